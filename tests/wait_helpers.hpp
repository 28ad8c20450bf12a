// Waiting helpers shared by the tests: for a condition another thread makes true, for
// a descriptor to become readable, and for a token's waitable object (its fd, or on
// Windows its event HANDLE) to be signalled.
#pragma once

#include <enough/enough.h>

#if defined(_WIN32)
#include <windows.h>
#else
#include <poll.h>
#endif

#include <chrono>
#include <thread>

namespace enough_test {

// True once condition() is; false if it is still false after `limit`.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!condition() && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return condition();
}

#if defined(_WIN32)
// True when the token's event HANDLE is signalled within `timeout_ms` (0: right now).
inline bool signalled(void *token, int timeout_ms) {
    void *event = enough_token_wait_handle(token);
    return event != nullptr &&
           WaitForSingleObject(static_cast<HANDLE>(event), static_cast<DWORD>(timeout_ms)) == WAIT_OBJECT_0;
}
#else
// True when `fd` is readable within `timeout_ms` (0: right now).
inline bool readable(int fd, int timeout_ms) {
    pollfd entry{fd, POLLIN, 0};
    return poll(&entry, 1, timeout_ms) == 1 && (entry.revents & POLLIN) != 0;
}
// True when the token's descriptor is readable within `timeout_ms` (0: right now).
inline bool signalled(void *token, int timeout_ms) {
    const int fd = enough_token_fd(token);
    return fd >= 0 && readable(fd, timeout_ms);
}
#endif

} // namespace enough_test
