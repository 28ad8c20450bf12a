// Waiting helpers shared by the tests: for a condition another thread makes true, and
// (POSIX) for a descriptor to become readable.
#pragma once

#if !defined(_WIN32)
#include <poll.h>
#endif

#include <chrono>
#include <thread>

namespace enough_test {

// True once condition() is; false if it is still false after `limit` (a hang, not a
// measure of speed: generous for a busy machine).
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds limit = std::chrono::seconds(60)) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!condition() && std::chrono::steady_clock::now() < end) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return condition();
}

#if !defined(_WIN32)
// True when `fd` is readable within `timeout_ms` (0: right now).
inline bool readable(int fd, int timeout_ms) {
    pollfd entry{fd, POLLIN, 0};
    return poll(&entry, 1, timeout_ms) == 1 && (entry.revents & POLLIN) != 0;
}
#endif

} // namespace enough_test
