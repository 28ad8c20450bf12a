// No doorbell: Windows event loops wait on handles, not on descriptors. A loop there
// blocks a thread of its own in the watch list's take.
#include "platform/doorbell.hpp"

namespace enough::detail {

bool doorbell_open(doorbell &) noexcept { return false; }
int doorbell_share(const doorbell &) noexcept { return -1; }
void doorbell_ring(const doorbell &) noexcept {}
void doorbell_clear(const doorbell &) noexcept {}
void doorbell_close(doorbell &bell) noexcept { bell = doorbell{}; }

} // namespace enough::detail
