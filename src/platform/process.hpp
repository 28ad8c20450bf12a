// Process-wide hooks the operating system offers.
#pragma once

namespace enough::detail {

// Runs `handler` in the child process right after a fork (only the forking thread
// exists there). False if the system refused to record it.
bool at_fork_child(void (*handler)()) noexcept;

} // namespace enough::detail
