// Process liveness by process HANDLE: opened at import for the exporter's id, and kept
// only if the process's creation time is the one the exporter published (so a reused
// id is told apart); from then on the handle, not the id, says whether it runs.
#include "platform/process_watch.hpp"

#include <windows.h>

namespace enough::detail {
namespace {
uint64_t creation_time(HANDLE process) noexcept {
    FILETIME created{}, exited{}, kernel{}, user{};
    if (!GetProcessTimes(process, &created, &exited, &kernel, &user)) {
        return 0;
    }
    return (static_cast<uint64_t>(created.dwHighDateTime) << 32) | created.dwLowDateTime;
}
} // namespace

process_identity this_process() noexcept {
    return {static_cast<int32_t>(GetCurrentProcessId()), creation_time(GetCurrentProcess())};
}

process_watch process_watch_open(const process_identity &who) noexcept {
    if (who.pid <= 0) {
        return {};
    }
    HANDLE process = OpenProcess(SYNCHRONIZE | PROCESS_QUERY_LIMITED_INFORMATION, FALSE,
                                 static_cast<DWORD>(who.pid));
    if (process == nullptr) {
        return {};
    }
    if (creation_time(process) != who.start_time ||
        WaitForSingleObject(process, 0) != WAIT_TIMEOUT) {
        CloseHandle(process); // another process under a reused id, or exited already
        return {};
    }
    return {process, who.pid, false};
}

bool process_watch_alive(const process_watch &watch) noexcept {
    return !watch.gone && watch.handle != nullptr &&
           WaitForSingleObject(watch.handle, 0) == WAIT_TIMEOUT; // signalled once it exits
}

void process_watch_close(process_watch &watch) noexcept {
    if (watch.handle != nullptr) {
        CloseHandle(watch.handle);
    }
    watch = {};
}

} // namespace enough::detail
