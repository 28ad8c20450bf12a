#include "runtime/fork_locks.hpp"

#include "platform/process.hpp"

#include <atomic>
#include <cstddef>

namespace enough::detail {
namespace {

constexpr std::size_t fork_lock_capacity = 8;
std::mutex *locks[fork_lock_capacity]; // constant-initialized: no order of static init
std::atomic<std::size_t> reserved{0};  // slots taken by lock_across_fork
std::atomic<std::size_t> published{0}; // slots whose mutex is in place
std::size_t held = 0;                  // how many the forking thread locked

void lock_all() {
    const std::size_t count = published.load(std::memory_order_acquire);
    for (std::size_t i = 0; i < count; ++i) {
        locks[i]->lock();
    }
    held = count; // written only by the thread holding them all
}

void unlock_all() {
    for (std::size_t i = held; i-- > 0;) {
        locks[i]->unlock();
    }
}

} // namespace

bool lock_across_fork(std::mutex &mutex) noexcept {
    static const bool handlers = at_fork(lock_all, unlock_all, unlock_all);
    if (!handlers) {
        return false;
    }
    const std::size_t slot = reserved.fetch_add(1, std::memory_order_relaxed);
    if (slot >= fork_lock_capacity) {
        return false;
    }
    locks[slot] = &mutex;
    // Published in slot order (a fork sees a prefix of whole entries): wait for the
    // ones before ours, registered by other threads' first uses at this moment.
    for (std::size_t expected = slot;
         !published.compare_exchange_weak(expected, slot + 1, std::memory_order_release,
                                          std::memory_order_relaxed);
         expected = slot) {
    }
    return true;
}

} // namespace enough::detail
