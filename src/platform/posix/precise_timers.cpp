// Nothing to ask for: POSIX has no per-thread timer slack (macOS coalesces timers by
// its own rules; the BSDs' precision is a system setting).
#include "platform/precise_timers.hpp"

namespace enough::detail {

void make_this_threads_timers_precise() noexcept {}

} // namespace enough::detail
