// The library's one thread: fires deadlines, watches foreign tokens that cannot push
// their cancellation (no enough_token2), and runs the callbacks that cancel_async
// posted (posted_callbacks.hpp).
//
// Started lazily by the first arm, watch or listed callback registration (a later
// cancel_async, which may not start threads, then finds it); with nothing to do it
// sleeps. It stops at exit, at dlclose of a private copy, or when
// enough_can_unload_now finds nothing alive (stop_when_unused); the next use starts it
// again. It sleeps on a wait word (platform/wait_word.hpp) rather than a condition variable, so that a signal
// handler can wake it. Deadlines set the state's word (push): nobody polling a token
// ever reads a clock.
#pragma once

#include <enough/abi.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace enough::detail {

class cancellation_state;
class token_export;

class timer_service {
public:
    // Never destroyed: its thread may run while the process exits.
    static timer_service &instance() noexcept;

    // Arms (or re-arms) `state` to cancel with ENOUGH_REASON_TIMED_OUT after
    // `milliseconds`; holds a reference on it while armed. False if out of memory.
    bool arm(cancellation_state *state, uint64_t milliseconds) noexcept;
    // Disarms; no-op when not armed (or already fired).
    void disarm(cancellation_state *state) noexcept;
    // When `state`'s armed deadline falls; false when none is armed.
    bool deadline_of(const cancellation_state *state, std::chrono::steady_clock::time_point *when) noexcept;

    // Mirrors `foreign` into `mirror` (taking a reference on `foreign` and one source
    // reference on `mirror`): polled every poll_interval, the mirror is cancelled with
    // the foreign reason when it cancels, orphaned when it no longer may, and the watch
    // ends when nobody observes the mirror any more. False if out of memory.
    bool watch(enough_token *foreign, cancellation_state *mirror) noexcept;

    // Polls `exported` every token_export::poll_interval until its poll() says it is
    // over, then finishes it (token_export.hpp). False if out of memory.
    bool watch_export(token_export *exported) noexcept;

    // Makes sure the thread runs (a registration was listed): one load when it does.
    void ensure_running() noexcept {
        if (!started_.load(std::memory_order_acquire)) {
            start_slow();
        }
    }
    // Stops and joins the thread if it has nothing to do (nothing armed, watched or
    // posted); true when no thread runs afterwards. Never from the thread itself.
    bool stop_when_unused() noexcept;

    // Wakes the thread: async-signal-safe (an atomic and a word wake, on static
    // storage that exists before any constructor runs).
    static void wake() noexcept;
    // True on the library's thread. Async-signal-safe (no thread-local storage).
    static bool on_service_thread() noexcept;

    static constexpr std::chrono::milliseconds poll_interval{1};

private:
    using clock = std::chrono::steady_clock;
    struct watch_entry {
        enough_token *foreign;
        cancellation_state *mirror;
    };

    timer_service() = default;
    // At exit (or at dlclose of a module holding a private copy): the thread leaves.
    void shut_down() noexcept;
    // In the child of a fork: the parent's thread does not exist here; forget it.
    void forget_after_fork() noexcept;
    void start_slow() noexcept;
    bool ensure_thread() noexcept; // with mutex_ held
    // Under mutex_, with the thread running: add(), then wake the thread. False when
    // the thread cannot run or add() throws (out of memory); add() must then change nothing.
    template <class Add>
    bool with_thread(Add add) noexcept {
        try {
            std::lock_guard lock(mutex_);
            if (!ensure_thread()) {
                return false;
            }
            add();
            wake();
            return true;
        } catch (...) {
            return false;
        }
    }
    void stop_thread(std::unique_lock<std::mutex> &lock) noexcept; // with mutex_ held
    void run() noexcept;
    void fire_due(std::unique_lock<std::mutex> &lock);
    void poll_watches(std::unique_lock<std::mutex> &lock);
    void poll_exports(std::unique_lock<std::mutex> &lock);
    // Nothing armed or watched (with mutex_ held; watches_ and exports_ are the thread's own).
    bool idle() const noexcept {
        return queue_.empty() && new_watches_.empty() && watching_ == 0 && new_exports_.empty() &&
               exporting_ == 0;
    }
    static bool settle(const watch_entry &entry) noexcept; // true: the watch is over

    std::mutex mutex_;
    std::multimap<clock::time_point, cancellation_state *> queue_;
    std::unordered_map<cancellation_state *, decltype(queue_)::iterator> armed_;
    std::vector<watch_entry> new_watches_; // guarded by mutex_
    std::vector<watch_entry> watches_;     // the timer thread's own: polled unlocked
    std::size_t watching_ = 0;             // watches_.size(), guarded by mutex_
    std::vector<token_export *> new_exports_; // guarded by mutex_
    std::vector<token_export *> exports_;     // the timer thread's own: polled unlocked
    std::size_t exporting_ = 0;               // exports_.size(), guarded by mutex_
    clock::time_point next_export_poll_{};
    bool running_ = false; // a thread runs and has not been asked to stop
    bool stop_requested_ = false;
    bool shutting_down_ = false;
    std::atomic<bool> started_{false}; // running_, for ensure_running's fast path
    std::thread thread_; // joinable until joined by ensure_thread or stop_thread
};

} // namespace enough::detail
