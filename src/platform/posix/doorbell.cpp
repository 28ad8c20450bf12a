// A pipe: ringing writes a byte, clearing reads until empty. Both ends non-blocking, so
// ringing a full pipe (readable already) and clearing an empty one return at once.
#include "platform/doorbell.hpp"
#include "platform/posix/backend.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace enough::detail {

bool doorbell_open(doorbell &bell) noexcept {
    int ends[2];
    if (!posix::make_pipe(ends)) {
        return false;
    }
    bell.read_end = ends[0];
    bell.write_end = ends[1];
    return true;
}

int doorbell_share(const doorbell &bell) noexcept { return fcntl(bell.read_end, F_DUPFD_CLOEXEC, 0); }

void doorbell_ring(const doorbell &bell) noexcept {
    const char one = 1;
    [[maybe_unused]] const ssize_t written = write(bell.write_end, &one, 1);
}

void doorbell_clear(const doorbell &bell) noexcept {
    char drained[64];
    while (read(bell.read_end, drained, sizeof drained) == static_cast<ssize_t>(sizeof drained)) {
    }
}

void doorbell_close(doorbell &bell) noexcept {
    if (bell.read_end >= 0) {
        close(bell.read_end);
        close(bell.write_end);
    }
    bell = doorbell{};
}

} // namespace enough::detail
