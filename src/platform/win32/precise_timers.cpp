// Nothing per thread: Windows's timer resolution is process-wide (timeBeginPeriod),
// which a library has no business changing.
#include "platform/precise_timers.hpp"

namespace enough::detail {

void make_this_threads_timers_precise() noexcept {}

} // namespace enough::detail
