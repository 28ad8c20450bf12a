// Operations on any token: the library's own (direct), a foreign one that offers
// enough_token2 (through it), or a foreign one with only enough_token (through a
// mirror state kept in step by the timer service's watcher, polled every 1 ms). The
// token side of the seam for foreign objects; any_source.hpp is the source side.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>

#include <cstdint>

namespace enough::detail {

int32_t any_token_reason(gsl::not_null<enough_token *> token) noexcept;
enough_result any_token_register(gsl::not_null<enough_token *> token, enough_callback_fn callback,
                                 void *user_data, enough_unknown **registration) noexcept;
bool any_token_wait(gsl::not_null<enough_token *> token, int64_t timeout_ms) noexcept;
// The token's fd (enough_token_fd); for a token that can never cancel without one of
// its own (the never token), never_readable_fd(). -1 where there is none.
int any_token_fd(gsl::not_null<enough_token *> token) noexcept;

} // namespace enough::detail
