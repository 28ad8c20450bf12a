#include "platform/posix/backend.hpp"
#include "platform/process_watch.hpp"

#include <cerrno>

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 // Linux 5.3, the same number on every architecture
#endif

namespace enough::detail {
namespace {

// Field 22 of the stat of the process's main thread (/proc/PID/task/PID/stat): when the
// process started, in clock ticks since boot. Exporter and importer read this same
// file, the exporter for itself too, by its number: a process reading /proc/self/stat
// may be answered by its emulator rather than the kernel (qemu-user fakes the start
// time there, one tick off what others see), never mind the importer's view.
uint64_t start_time_of(int32_t pid) noexcept {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/%d/task/%d/stat", static_cast<int>(pid), static_cast<int>(pid));
    const int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    char text[1024];
    const ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0) {
        return 0;
    }
    text[length] = '\0';
    // The command name (field 2) may hold spaces and parentheses: count after the last ')'.
    const char *field = std::strrchr(text, ')');
    if (field == nullptr) {
        return 0;
    }
    for (int number = 2; number < 22 && field != nullptr; ++number) {
        field = std::strchr(field + 1, ' ');
    }
    unsigned long long ticks = 0;
    return field != nullptr && std::sscanf(field + 1, "%llu", &ticks) == 1 ? ticks : 0;
}

} // namespace

process_identity this_process() noexcept {
    const auto pid = static_cast<int32_t>(getpid());
    return {pid, start_time_of(pid)};
}

process_watch process_watch_open(const process_identity &who) noexcept {
    if (who.pid <= 0) {
        return {};
    }
    const int watch = static_cast<int>(syscall(SYS_pidfd_open, who.pid, 0));
    if (watch < 0) {
        // A kernel before 5.3 has no pidfd: what POSIX offers, the id alone.
        const bool gone = errno != ENOSYS || !posix::process_id_exists(who.pid);
        return {no_os_handle, who.pid, gone};
    }
    // Opened first, compared second: the pidfd cannot follow a pid reused later, and
    // a different start time means the pid was reused before. (pidfds are close-on-exec.)
    if (start_time_of(who.pid) != who.start_time) {
        close(watch);
        return {};
    }
    return {watch, who.pid, false};
}

bool process_watch_alive(const process_watch &watch) noexcept {
    if (watch.gone) {
        return false;
    }
    if (watch.handle < 0) {
        return posix::process_id_exists(watch.pid);
    }
    pollfd poll_entry{watch.handle, POLLIN, 0};
    return poll(&poll_entry, 1, 0) == 0; // readable once the process has exited
}

void process_watch_close(process_watch &watch) noexcept {
    if (watch.handle >= 0) {
        close(watch.handle);
    }
    watch = {};
}

} // namespace enough::detail
