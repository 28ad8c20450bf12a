// Timers: things that must happen at a point in time, fired by the library's thread
// (runtime/library_thread.hpp). The queue knows a timer by its target's address and
// calls the function it was armed with; what firing means is the target's business
// (a cancellation state's deadline cancels it with ENOUGH_REASON_TIMED_OUT).
#pragma once

#include "runtime/library_thread.hpp"

#include <map>
#include <mutex>
#include <unordered_map>

namespace enough::detail {

class timer_queue final : public library_thread::job {
public:
    using clock = library_thread::clock;
    // Runs on the library's thread with no lock held; the target's to do with as it likes.
    using fire_fn = void (*)(void *target) noexcept;

    // Never destroyed: the library's thread may fire timers while the process exits.
    static timer_queue &instance() noexcept;

    // Arms `target` to fire at `when`, or moves its armed time. *newly tells which
    // (the caller's reference on the target then belongs to the queue until it fires or
    // is disarmed). False if out of memory or the library's thread cannot run.
    bool arm(void *target, fire_fn fire, clock::time_point when, bool *newly) noexcept;
    // True if `target` was armed: it will not fire, and the queue's reference is the
    // caller's again. False when not armed (or fired already).
    bool disarm(void *target) noexcept;
    // When `target` fires; false when it is not armed.
    bool when(const void *target, clock::time_point *at) noexcept;

    clock::time_point run(clock::time_point now) noexcept override;
    bool idle() noexcept override;

private:
    timer_queue() = default;

    struct timer {
        void *target;
        fire_fn fire;
    };
    std::mutex mutex_;
    std::multimap<clock::time_point, timer> queue_;
    std::unordered_map<const void *, decltype(queue_)::iterator> armed_;
};

} // namespace enough::detail
