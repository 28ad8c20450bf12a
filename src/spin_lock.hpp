// A one-word lock for short critical sections that never run user code.
//
// The registry's list operations take a few nanoseconds, so spinning (with a yield
// after a short while) beats a 40-byte mutex in an object that should fit a cache line.
#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace enough::detail {

class spin_lock {
public:
    void lock() noexcept {
        for (int spins = 0; locked_.exchange(1, std::memory_order_acquire) != 0;) {
            while (locked_.load(std::memory_order_relaxed) != 0) {
                if (++spins > 64) {
                    std::this_thread::yield();
                }
            }
        }
    }
    void unlock() noexcept { locked_.store(0, std::memory_order_release); }

private:
    std::atomic<uint32_t> locked_{0};
};

} // namespace enough::detail
