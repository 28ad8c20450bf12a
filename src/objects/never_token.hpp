// The never token: an immortal token that is never cancelled and never may be.
//
// One static object per copy of the library; create and destroy cost nothing.
#pragma once

#include "platform/os_handle.hpp"

#include <enough/abi.h>

namespace enough::detail {

enough_token *never_token() noexcept;
bool is_never_token(const enough_token *token) noexcept;
// A descriptor that never becomes readable, one for the whole process (for this copy
// of the library), so that an event loop needs no special case for tokens that can
// never cancel; -1 if the system refuses one. Closed when the library is unloaded.
int never_readable_fd() noexcept;
// The event behind it, one for the whole process, never signalled (Windows: what
// enough_token_wait_handle gives for such tokens); no_os_handle if the system refuses.
os_handle never_signalled_event() noexcept;

} // namespace enough::detail
