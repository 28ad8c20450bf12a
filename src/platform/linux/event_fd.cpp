#include "platform/event_fd.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace enough::detail {

int event_fd_create() noexcept { return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK); }

void event_fd_signal(int fd) noexcept {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t written = write(fd, &one, sizeof one);
}

void event_fd_close(int fd) noexcept { close(fd); }

} // namespace enough::detail
