// Whether another process still runs, told reliably even after its id is reused where
// the system allows it (Linux: a pidfd and the start time the kernel reports; POSIX:
// the process id alone, see posix/process_watch.cpp).
#pragma once

#include "platform/os_handle.hpp"

#include <cstdint>

namespace enough::detail {

// Who a process is: its id, and when it started (0 where the system cannot tell), so
// that a reused id is told apart.
struct process_identity {
    int32_t pid = 0;
    uint64_t start_time = 0;
};
process_identity this_process() noexcept;

// A watch on the process `who` while it runs.
struct process_watch {
    os_handle handle = no_os_handle; // Linux: a pidfd
    int32_t pid = 0;                 // where the system has no handle on processes
    bool gone = true;                // it had exited (or was another process) when opened
};
process_watch process_watch_open(const process_identity &who) noexcept;
// True while the watched process runs. No blocking.
bool process_watch_alive(const process_watch &watch) noexcept;
void process_watch_close(process_watch &watch) noexcept;

} // namespace enough::detail
