#include "platform/posix/backend.hpp"
#include "platform/process.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace enough::detail {

int32_t current_process_id() noexcept { return static_cast<int32_t>(getpid()); }

bool at_fork_child(void (*handler)()) noexcept {
    return pthread_atfork(nullptr, nullptr, handler) == 0;
}

bool posix::process_id_exists(int32_t pid) noexcept {
    const int saved = errno;
    const bool exists = pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    errno = saved;
    return exists;
}

bool exit_handler_may_join_threads() noexcept { return true; }

} // namespace enough::detail
