// Whether another process still runs, told reliably even after its pid is reused
// (a pidfd plus the process's start time on Linux).
#pragma once

#include <cstdint>

namespace enough::detail {

// Who a process is: its pid, and when it started (so a reused pid is told apart).
struct process_identity {
    int32_t pid = 0;
    uint64_t start_time = 0;
};
process_identity this_process() noexcept;

// A handle on the process `who` while it runs; -1 if it is gone (or is another
// process under a reused pid) or the system cannot watch processes.
int process_watch_open(const process_identity &who) noexcept;
// True while the watched process runs. One system call, no blocking.
bool process_watch_alive(int watch) noexcept;
void process_watch_close(int watch) noexcept;

} // namespace enough::detail
