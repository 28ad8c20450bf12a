#include "platform/posix/backend.hpp"

#include <fcntl.h>
#include <unistd.h>

namespace enough::detail {

bool posix::make_pipe(int ends[2]) noexcept {
    if (pipe(ends) != 0) {
        return false;
    }
    for (int i = 0; i < 2; ++i) {
        if (fcntl(ends[i], F_SETFD, FD_CLOEXEC) != 0 ||
            fcntl(ends[i], F_SETFL, fcntl(ends[i], F_GETFL) | O_NONBLOCK) != 0) {
            close(ends[0]);
            close(ends[1]);
            return false;
        }
    }
    return true;
}

} // namespace enough::detail
