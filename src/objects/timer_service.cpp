#include "objects/timer_service.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"
#include "objects/posted_callbacks.hpp"
#include "objects/token_export.hpp"
#include "platform/process.hpp"
#include "platform/wait_word.hpp"
#include "runtime/time_limit.hpp"

#include <algorithm>
#include <cstdlib>
#include <new>

namespace enough::detail {
namespace {
// Static storage, zero before any constructor: wake() and on_service_thread() may be
// called from a signal handler at any time.
constinit std::atomic<uint32_t> wake_word{0};
std::atomic<std::thread::id> service_thread_id; // zero (no thread) from static initialisation
static_assert(std::atomic<std::thread::id>::is_always_lock_free);
} // namespace

timer_service &timer_service::instance() noexcept {
    // Leaked on purpose: other threads may use it while static objects are destroyed.
    static timer_service *const service = [] {
        auto *created = new timer_service();
        std::atexit([] { instance().shut_down(); });
        at_fork_child([] { instance().forget_after_fork(); });
        return created;
    }();
    return *service;
}

void timer_service::wake() noexcept {
    wake_word.fetch_add(1, std::memory_order_seq_cst);
    word_wake_all(wake_word);
}

bool timer_service::on_service_thread() noexcept {
    return service_thread_id.load(std::memory_order_acquire) == std::this_thread::get_id();
}

void timer_service::shut_down() noexcept {
    std::unique_lock lock(mutex_);
    shutting_down_ = true;
    if (!thread_.joinable()) {
        return;
    }
    if (on_service_thread()) {
        thread_.detach(); // exit() called from a callback on the thread itself
        return;
    }
    stop_thread(lock); // the thread sees shutting_down_ and leaves
}

void timer_service::forget_after_fork() noexcept {
    // Only this thread exists in the child, and the parent's may have held the mutex:
    // make both anew without touching the old ones (nothing to join or unlock here).
    new (&mutex_) std::mutex();
    new (&thread_) std::thread();
    running_ = false;
    stop_requested_ = false;
    started_.store(false, std::memory_order_release);
    service_thread_id.store(std::thread::id(), std::memory_order_release);
}

void timer_service::start_slow() noexcept {
    std::lock_guard lock(mutex_);
    ensure_thread();
}

void timer_service::stop_thread(std::unique_lock<std::mutex> &lock) noexcept {
    stop_requested_ = true;
    started_.store(false, std::memory_order_release);
    wake();
    std::thread leaving = std::move(thread_);
    lock.unlock();
    leaving.join(); // it sees stop_requested_ (or shutting_down_) and leaves
    lock.lock();
    stop_requested_ = false;
}

bool timer_service::stop_when_unused() noexcept {
    std::unique_lock lock(mutex_);
    if (!running_) {
        if (thread_.joinable()) {
            thread_.join(); // left already (shut down): only returning was left
        }
        return true;
    }
    if (on_service_thread() || !idle() || posted_callbacks::pending()) {
        return false;
    }
    stop_thread(lock);
    return true;
}

bool timer_service::arm(cancellation_state *state, uint64_t milliseconds) noexcept {
    const auto when = time_after(milliseconds); // "practically never" must not overflow
    return with_thread([&] {
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
    });
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

bool timer_service::deadline_of(const cancellation_state *state, clock::time_point *when) noexcept {
    std::lock_guard lock(mutex_);
    const auto armed = armed_.find(const_cast<cancellation_state *>(state));
    if (armed == armed_.end()) {
        return false;
    }
    *when = armed->second->first;
    return true;
}

bool timer_service::watch(enough_token *foreign, cancellation_state *mirror) noexcept {
    return with_thread([&] {
        new_watches_.push_back({foreign, mirror});
        foreign->vtbl->add_ref(foreign);
        mirror->add_source_ref();
    });
}

bool timer_service::watch_export(token_export *exported) noexcept {
    return with_thread([&] { new_exports_.push_back(exported); });
}

bool timer_service::ensure_thread() noexcept {
    if (shutting_down_) {
        return false; // the process is exiting: no new thread
    }
    if (!running_) {
        try {
            if (thread_.joinable()) {
                thread_.join(); // the previous thread has left; it needs no lock
            }
            thread_ = std::thread([this] { run(); });
            running_ = true;
            started_.store(true, std::memory_order_release);
        } catch (...) {
            return false;
        }
    }
    return true;
}

void timer_service::run() noexcept {
    service_thread_id.store(std::this_thread::get_id(), std::memory_order_release);
    std::unique_lock lock(mutex_);
    for (;;) {
        if (shutting_down_ || stop_requested_) {
            running_ = false;
            service_thread_id.store(std::thread::id(), std::memory_order_release);
            return;
        }
        // Read before looking for work: whatever is posted, armed or watched after
        // this changes the word, and the wait below returns at once.
        const uint32_t seen = wake_word.load(std::memory_order_seq_cst);
        lock.unlock();
        posted_callbacks::run_all(); // no lock of ours is held while callbacks run
        lock.lock();
        fire_due(lock);
        poll_watches(lock);
        poll_exports(lock);
        int64_t timeout_ns = -1; // nothing due: sleep until woken
        if (!watches_.empty() || !new_watches_.empty()) {
            timeout_ns = std::chrono::nanoseconds(poll_interval).count();
        } else if (!exports_.empty()) {
            timeout_ns = std::max<int64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(next_export_poll_ - clock::now())
                    .count(),
                0);
        }
        if (!queue_.empty()) {
            const auto due = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                 queue_.begin()->first - clock::now())
                                 .count();
            const int64_t until_due = std::max<int64_t>(due, 0);
            timeout_ns = timeout_ns < 0 ? until_due : std::min(timeout_ns, until_due);
        }
        lock.unlock();
        word_wait(wake_word, seen, timeout_ns);
        lock.lock();
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
    watching_ = watches_.size();
}

void timer_service::poll_exports(std::unique_lock<std::mutex> &lock) {
    exports_.insert(exports_.end(), new_exports_.begin(), new_exports_.end());
    const bool added = !new_exports_.empty();
    new_exports_.clear();
    if (exports_.empty() || (!added && clock::now() < next_export_poll_)) {
        return;
    }
    next_export_poll_ = clock::now() + token_export::poll_interval;
    lock.unlock(); // foreign code (may_cancel) and unregistering run: no lock held
    std::erase_if(exports_, [](token_export *exported) {
        if (!exported->poll()) {
            return false;
        }
        exported->finish();
        return true;
    });
    lock.lock();
    exporting_ = exports_.size();
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
