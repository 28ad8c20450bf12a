// The never token: an immortal token that is never cancelled and never may be.
//
// One static object per copy of the library; create and destroy cost nothing.
#pragma once

#include <enough/abi.h>

namespace enough::detail {

enough_token *never_token() noexcept;
bool is_never_token(const enough_token *token) noexcept;

} // namespace enough::detail
