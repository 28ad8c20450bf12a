// Process-wide facts and hooks the operating system offers.
#pragma once

#include <cstdint>

namespace enough::detail {

// This process's id as the system numbers processes (changes in a forked child).
int32_t current_process_id() noexcept;

// Runs `prepare` in the forking thread right before a fork, `parent` in the parent and
// `child` in the child (only the forking thread exists there) right after it; any may
// be null. False if the system refused to record them, or has no fork.
bool at_fork(void (*prepare)(), void (*parent)(), void (*child)()) noexcept;
inline bool at_fork_child(void (*handler)()) noexcept { return at_fork(nullptr, nullptr, handler); }

// Whether the library's exit handler (std::atexit) may wait for the library's own
// threads to leave. Not on Windows: a DLL's exit handlers run in DllMain's
// DLL_PROCESS_DETACH, under the loader lock, which a leaving thread needs for its own
// DLL_THREAD_DETACH (a join there never returns). At process exit Windows has ended
// the other threads already; before FreeLibrary the host asks enough_can_unload_now,
// which stops the thread outside the loader lock (DllCanUnloadNow's contract).
bool exit_handler_may_join_threads() noexcept;

} // namespace enough::detail
