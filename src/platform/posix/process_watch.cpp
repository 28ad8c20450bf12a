// Process liveness with nothing but process ids: kill(pid, 0) says whether a process
// with that id exists. POSIX offers no portable way to tell a zombie (exited, not yet
// reaped by its parent) from a running process, nor a process that took over a reused
// id from the one that had it; start times are not portable either. So an importer
// notices its exporter's death once the exporter is reaped (a killed child of a parent
// that waits for it: at once). Systems with a better handle on processes (Linux's
// pidfd, macOS's kqueue EVFILT_PROC, Windows's process HANDLE) add it in their folder.
#include "platform/posix/backend.hpp"
#include "platform/process_watch.hpp"

#include <unistd.h>

namespace enough::detail {

process_identity this_process() noexcept {
    return {static_cast<int32_t>(getpid()), 0}; // no portable start time
}

process_watch process_watch_open(const process_identity &who) noexcept {
    return {no_os_handle, who.pid, !posix::process_id_exists(who.pid)};
}

bool process_watch_alive(const process_watch &watch) noexcept {
    return !watch.gone && posix::process_id_exists(watch.pid);
}

void process_watch_close(process_watch &watch) noexcept { watch.gone = true; }

} // namespace enough::detail
