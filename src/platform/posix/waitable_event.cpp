// A pipe whose read end is handed out: one byte written, never read, keeps it readable
// for good. The event word holds both ends (each plus one, so that 0 means none).
#include "platform/posix/backend.hpp"
#include "platform/waitable_event.hpp"

#include <unistd.h>

#include <cerrno>

namespace enough::detail {
namespace {
int read_end(waitable_event event) noexcept { return static_cast<int>(event & 0xFFFFFFFFu) - 1; }
int write_end(waitable_event event) noexcept { return static_cast<int>(event >> 32) - 1; }
} // namespace

waitable_event waitable_event_create() noexcept {
    int ends[2];
    if (!posix::make_pipe(ends)) {
        return no_waitable_event;
    }
    return (static_cast<uint64_t>(static_cast<uint32_t>(ends[1] + 1)) << 32) |
           static_cast<uint32_t>(ends[0] + 1);
}

os_handle waitable_event_handle(waitable_event event) noexcept { return read_end(event); }

void waitable_event_signal(waitable_event event) noexcept {
    const int saved = errno; // signal handlers must leave errno as they found it
    const char one = 1;
    [[maybe_unused]] const ssize_t written = write(write_end(event), &one, 1); // full: readable already
    errno = saved;
}

void waitable_event_close(waitable_event event) noexcept {
    close(read_end(event));
    close(write_end(event));
}

} // namespace enough::detail
