#include "platform/process.hpp"

#include <windows.h>

namespace enough::detail {

int32_t current_process_id() noexcept { return static_cast<int32_t>(GetCurrentProcessId()); }

bool at_fork(void (* /*prepare*/)(), void (* /*parent*/)(), void (* /*child*/)()) noexcept {
    return false; // Windows has no fork: nothing to do around one
}

bool exit_handler_may_join_threads() noexcept { return false; } // loader lock held

} // namespace enough::detail
