// Process-wide facts and hooks the operating system offers.
#pragma once

#include <cstdint>

namespace enough::detail {

// This process's id as the system numbers processes (changes in a forked child).
int32_t current_process_id() noexcept;

// Runs `handler` in the child process right after a fork (only the forking thread
// exists there). False if the system refused to record it, or has no fork.
bool at_fork_child(void (*handler)()) noexcept;

} // namespace enough::detail
