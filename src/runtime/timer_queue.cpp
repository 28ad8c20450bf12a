#include "runtime/timer_queue.hpp"

#include "runtime/fork_locks.hpp"

#include <new>

namespace enough::detail {

timer_queue &timer_queue::instance() noexcept {
    static timer_queue *const queue = [] {
        auto *const made = new timer_queue(); // leaked on purpose
        lock_across_fork(made->mutex_);       // a forked child arms deadlines too
        return made;
    }();
    return *queue;
}

namespace {
// Made as the library loads, while one thread runs (runtime/fork_locks.hpp).
[[maybe_unused]] const timer_queue &made_at_load = timer_queue::instance();
} // namespace

bool timer_queue::arm(void *target, fire_fn fire, clock::time_point when, bool *newly) noexcept {
    return library_thread::instance().add_work(*this, [&] {
        std::lock_guard lock(mutex_);
        if (const auto armed = armed_.find(target); armed != armed_.end()) {
            queue_.erase(armed->second);
            armed->second = queue_.emplace(when, timer{target, fire});
            *newly = false;
            return;
        }
        const auto queued = queue_.emplace(when, timer{target, fire});
        try {
            armed_.emplace(target, queued);
        } catch (...) {
            queue_.erase(queued);
            throw;
        }
        *newly = true;
    });
}

bool timer_queue::disarm(void *target) noexcept {
    std::lock_guard lock(mutex_);
    const auto armed = armed_.find(target);
    if (armed == armed_.end()) {
        return false;
    }
    queue_.erase(armed->second);
    armed_.erase(armed);
    return true;
}

bool timer_queue::when(const void *target, clock::time_point *at) noexcept {
    std::lock_guard lock(mutex_);
    const auto armed = armed_.find(target);
    if (armed == armed_.end()) {
        return false;
    }
    *at = armed->second->first;
    return true;
}

library_thread::clock::time_point timer_queue::run(clock::time_point now) noexcept {
    std::unique_lock lock(mutex_);
    while (!queue_.empty() && queue_.begin()->first <= now) {
        const timer due = queue_.begin()->second;
        armed_.erase(due.target);
        queue_.erase(queue_.begin());
        lock.unlock(); // firing may run user code: no lock of ours is held
        due.fire(due.target);
        lock.lock();
    }
    return queue_.empty() ? library_thread::only_when_woken : queue_.begin()->first;
}

bool timer_queue::idle() noexcept {
    std::lock_guard lock(mutex_);
    return queue_.empty();
}

} // namespace enough::detail
