#include "objects/timer_service.hpp"
#include "runtime/time_limit.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"

#include <algorithm>
#include <cstdlib>

namespace enough::detail {

timer_service &timer_service::instance() noexcept {
    // Leaked on purpose: other threads may use it while static objects are destroyed.
    static timer_service *const service = [] {
        auto *created = new timer_service();
        std::atexit([] { instance().shut_down(); });
        return created;
    }();
    return *service;
}

void timer_service::shut_down() noexcept {
    std::unique_lock lock(mutex_);
    shutting_down_ = true;
    wake_.notify_all();
    if (!thread_.joinable()) {
        return;
    }
    if (thread_.get_id() == std::this_thread::get_id()) {
        thread_.detach(); // exit() called from a callback on the timer thread itself
        return;
    }
    lock.unlock();
    thread_.join(); // the thread sees shutting_down_ and leaves
}

bool timer_service::arm(cancellation_state *state, uint64_t milliseconds) noexcept {
    const auto when = time_after(milliseconds); // "practically never" must not overflow
    try {
        std::lock_guard lock(mutex_);
        if (!ensure_thread()) {
            return false;
        }
        if (const auto armed = armed_.find(state); armed != armed_.end()) {
            queue_.erase(armed->second); // re-arm: the reference stays
            armed->second = queue_.emplace(when, state);
        } else {
            const auto queued = queue_.emplace(when, state);
            try {
                armed_.emplace(state, queued);
            } catch (...) {
                queue_.erase(queued);
                throw;
            }
            state->add_ref();
        }
        wake_.notify_one();
        return true;
    } catch (...) {
        return false;
    }
}

void timer_service::disarm(cancellation_state *state) noexcept {
    {
        std::lock_guard lock(mutex_);
        const auto armed = armed_.find(state);
        if (armed == armed_.end()) {
            return;
        }
        queue_.erase(armed->second);
        armed_.erase(armed);
    }
    state->release();
}

bool timer_service::watch(enough_token *foreign, cancellation_state *mirror) noexcept {
    try {
        std::lock_guard lock(mutex_);
        if (!ensure_thread()) {
            return false;
        }
        new_watches_.push_back({foreign, mirror});
        foreign->vtbl->add_ref(foreign);
        mirror->add_source_ref();
        wake_.notify_one();
        return true;
    } catch (...) {
        return false;
    }
}

bool timer_service::stopped() noexcept {
    std::lock_guard lock(mutex_);
    if (running_) {
        return false;
    }
    if (thread_.joinable()) {
        thread_.join(); // it is past its last use of the lock: only returning is left
    }
    return true;
}

bool timer_service::ensure_thread() noexcept {
    if (shutting_down_) {
        return false; // the process is exiting: no new thread
    }
    if (!running_) {
        try {
            if (thread_.joinable()) {
                thread_.join(); // the previous thread is leaving; it needs no lock
            }
            thread_ = std::thread([this] { run(); });
            running_ = true;
        } catch (...) {
            return false;
        }
    }
    return true;
}

void timer_service::run() noexcept {
    std::unique_lock lock(mutex_);
    for (;;) {
        if (shutting_down_) {
            running_ = false;
            return;
        }
        fire_due(lock);
        poll_watches(lock);
        if (idle()) {
            // Idle: linger a little, then let the thread go.
            if (!wake_.wait_for(lock, std::chrono::seconds(1),
                                [this] { return !idle() || shutting_down_; })) {
                running_ = false;
                return;
            }
            continue;
        }
        auto until = queue_.empty() ? clock::time_point::max() : queue_.begin()->first;
        if (!watches_.empty() || !new_watches_.empty()) {
            until = std::min(until, clock::now() + poll_interval);
        }
        wake_.wait_until(lock, until);
    }
}

void timer_service::fire_due(std::unique_lock<std::mutex> &lock) {
    while (!queue_.empty() && queue_.begin()->first <= clock::now()) {
        cancellation_state *const state = queue_.begin()->second;
        armed_.erase(state);
        queue_.erase(queue_.begin());
        lock.unlock(); // callbacks run inside cancel: no lock of ours is held
        state->cancel(ENOUGH_REASON_TIMED_OUT);
        state->release();
        lock.lock();
    }
}

void timer_service::poll_watches(std::unique_lock<std::mutex> &lock) {
    watches_.insert(watches_.end(), new_watches_.begin(), new_watches_.end());
    new_watches_.clear();
    if (watches_.empty()) {
        return;
    }
    lock.unlock(); // foreign code and callbacks run while polling: no lock held
    std::erase_if(watches_, [](const watch_entry &entry) { return settle(entry); });
    lock.lock();
}

bool timer_service::settle(const watch_entry &entry) noexcept {
    enough_token *const foreign = entry.foreign;
    bool over = true;
    if (foreign->vtbl->is_cancelled(foreign) != 0) {
        entry.mirror->cancel(any_token_reason(foreign));
    } else if (foreign->vtbl->may_cancel(foreign) != 0 && entry.mirror->is_observed()) {
        over = false;
    }
    if (over) {
        foreign->vtbl->release(foreign);
        entry.mirror->release_source_ref(); // orphans the mirror unless it was cancelled
    }
    return over;
}

} // namespace enough::detail
