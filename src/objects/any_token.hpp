// Operations on any token: the library's own (direct), a foreign one that offers
// enough_token2 (through it), or a foreign one with only enough_token (through a
// mirror state kept in step by the library's thread, polled every 1 ms). The
// token side of the seam for foreign objects; any_source.hpp is the source side.
#pragma once

#include "objects/token_interface.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <cstdint>

namespace enough::detail {

class cancellation_state;

// A state that mirrors a token it cannot be pushed by: cancelled with its reason, or
// orphaned once it can no longer cancel, kept in step by the library's thread polling
// it (a poll_list in any_token.cpp) while the mirror is observed. One token-side reference
// for the caller; nullptr when memory is exhausted.
cancellation_state *mirror_of(gsl::not_null<enough_token *> token) noexcept;
// Registers on `token` through a mirror (a token that can never cancel accepts the
// registration and never runs it); enough_token2_vtbl.register_callback's results.
enough_result register_through_mirror(gsl::not_null<enough_token *> token, enough_callback_fn callback,
                                      void *user_data, enough_unknown **registration) noexcept;

// The foreign halves, out of line: a foreign token through enough_token2 or a mirror.
int32_t foreign_token_reason(gsl::not_null<enough_token *> token) noexcept;
enough_result foreign_token_register(gsl::not_null<enough_token *> token,
                                     enough_callback_fn callback, void *user_data,
                                     enough_unknown **registration) noexcept;
bool foreign_token_wait(gsl::not_null<enough_token *> token, int64_t timeout_ms) noexcept;
int foreign_token_fd(gsl::not_null<enough_token *> token) noexcept;
int64_t foreign_token_remaining_ms(gsl::not_null<enough_token *> token) noexcept;

// The own-object halves, inline: the flat fast paths compile them in.
inline int32_t any_token_reason(gsl::not_null<enough_token *> token) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->reason()
                               : foreign_token_reason(token);
}
inline enough_result any_token_register(gsl::not_null<enough_token *> token,
                                        enough_callback_fn callback, void *user_data,
                                        enough_unknown **registration) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->register_callback(
                                     callback, user_data, registration)
                               : foreign_token_register(token, callback, user_data, registration);
}
inline bool any_token_wait(gsl::not_null<enough_token *> token, int64_t timeout_ms) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->wait(timeout_ms)
                               : foreign_token_wait(token, timeout_ms);
}
// The token's fd (enough_token_fd); for a token that can never cancel without one of
// its own (the never token), never_readable_fd(). -1 where there is none.
inline int any_token_fd(gsl::not_null<enough_token *> token) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->fd() : foreign_token_fd(token);
}

// enough_token3_vtbl.remaining_ms; for a foreign token without enough_token3: 0 once
// cancelled, else -1 (it tells of no deadline).
inline int64_t any_token_remaining_ms(gsl::not_null<enough_token *> token) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->remaining_ms()
                               : foreign_token_remaining_ms(token);
}

} // namespace enough::detail
