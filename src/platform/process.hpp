// Process-wide facts and hooks the operating system offers.
#pragma once

#include <cstdint>

namespace enough::detail {

// This process's id as the system numbers processes (changes in a forked child).
int32_t current_process_id() noexcept;

// Runs `handler` in the child process right after a fork (only the forking thread
// exists there). False if the system refused to record it, or has no fork.
bool at_fork_child(void (*handler)()) noexcept;

// Whether the library's exit handler (std::atexit) may wait for the library's own
// threads to leave. Not on Windows: a DLL's exit handlers run in DllMain's
// DLL_PROCESS_DETACH, under the loader lock, which a leaving thread needs for its own
// DLL_THREAD_DETACH (a join there never returns). At process exit Windows has ended
// the other threads already; before FreeLibrary the host asks enough_can_unload_now,
// which stops the thread outside the loader lock (DllCanUnloadNow's contract).
bool exit_handler_may_join_threads() noexcept;

} // namespace enough::detail
