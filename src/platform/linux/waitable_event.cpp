// An eventfd: one descriptor, readable for good once written. The event word holds
// the descriptor plus one (0 means none).
#include "platform/waitable_event.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>

namespace enough::detail {
namespace {
int descriptor(waitable_event event) noexcept { return static_cast<int>(event) - 1; }
} // namespace

waitable_event waitable_event_create() noexcept {
    const int fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    return fd < 0 ? no_waitable_event : static_cast<waitable_event>(fd) + 1;
}

os_handle waitable_event_handle(waitable_event event) noexcept { return descriptor(event); }

void waitable_event_signal(waitable_event event) noexcept {
    const int saved = errno; // signal handlers must leave errno as they found it
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = write(descriptor(event), &one, sizeof one);
    errno = saved;
}

void waitable_event_close(waitable_event event) noexcept { close(descriptor(event)); }

} // namespace enough::detail
