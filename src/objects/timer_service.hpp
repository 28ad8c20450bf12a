// The one timer thread of the process: fires deadlines, and watches foreign tokens
// that cannot push their cancellation (no enough_token2).
//
// Started lazily by the first arm or watch; it exits after a second with nothing to do
// and the next arm starts it again. Deadlines set the state's word (push): nobody
// polling a token ever reads a clock.
#pragma once

#include <enough/abi.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace enough::detail {

class cancellation_state;

class timer_service {
public:
    // Never destroyed: its thread may run while the process exits.
    static timer_service &instance() noexcept;

    // Arms (or re-arms) `state` to cancel with ENOUGH_REASON_TIMED_OUT after
    // `milliseconds`; holds a reference on it while armed. False if out of memory.
    bool arm(cancellation_state *state, uint64_t milliseconds) noexcept;
    // Disarms; no-op when not armed (or already fired).
    void disarm(cancellation_state *state) noexcept;

    // Mirrors `foreign` into `mirror` (taking a reference on `foreign` and one source
    // reference on `mirror`): polled every poll_interval, the mirror is cancelled with
    // the foreign reason when it cancels, orphaned when it no longer may, and the watch
    // ends when nobody observes the mirror any more. False if out of memory.
    bool watch(enough_token *foreign, cancellation_state *mirror) noexcept;

    // True when the timer thread is not running (joined): nothing of this module's code
    // runs on it. It starts again with the next arm or watch.
    bool stopped() noexcept;

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
    bool ensure_thread() noexcept; // with mutex_ held
    void run() noexcept;
    void fire_due(std::unique_lock<std::mutex> &lock);
    void poll_watches(std::unique_lock<std::mutex> &lock);
    bool idle() const noexcept { return queue_.empty() && watches_.empty() && new_watches_.empty(); }
    static bool settle(const watch_entry &entry) noexcept; // true: the watch is over

    std::mutex mutex_;
    std::condition_variable wake_;
    std::multimap<clock::time_point, cancellation_state *> queue_;
    std::unordered_map<cancellation_state *, decltype(queue_)::iterator> armed_;
    std::vector<watch_entry> new_watches_; // guarded by mutex_
    std::vector<watch_entry> watches_;     // the timer thread's own: polled unlocked
    bool running_ = false; // the thread has work or lingers; false once it is leaving
    bool shutting_down_ = false;
    std::thread thread_;   // joinable until joined by ensure_thread or stopped
};

} // namespace enough::detail
