// The library's one thread: it runs the jobs that the objects attach to it, and knows
// none of them (deadlines, foreign-token watches, export polling and posted callbacks
// each keep their own part in objects/).
//
// A job's run() is called on the thread, with no lock of the thread's held, each time
// the thread wakes: when woken (wake(), async-signal-safe) or when the earliest time a
// job asked for has come. Started by the first add_work (a later cancel_async, which may
// not start threads, then finds it); with nothing to do it sleeps on a wait word, so a
// signal handler can wake it. It stops at exit, at dlclose of a private copy, or when
// enough_can_unload_now finds nothing alive (stop_when_unused); the next add_work starts
// it again. A forked child forgets the parent's thread.
//
// At exit the thread is joined only while it sleeps: one that is running jobs (and so
// perhaps a callback that blocks, or a runtime's code that waits for the exit itself)
// is told to leave and abandoned, as a detached thread is, so that no process ever
// waits at exit for user code.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <thread>

namespace enough::detail {

class library_thread {
public:
    using clock = std::chrono::steady_clock;
    static constexpr clock::time_point only_when_woken = clock::time_point::max();

    // Work the thread runs. Jobs are static objects of the features, attached once.
    class job {
    public:
        // Does what is due at `now` (taking the job's own locks, running user code with
        // none held); returns when it wants to run next, or only_when_woken.
        virtual clock::time_point run(clock::time_point now) noexcept = 0;
        // Nothing left to do: the thread may stop (asked under the thread's lock).
        virtual bool idle() noexcept = 0;

    protected:
        constexpr job() = default;
        ~job() = default;

    private:
        friend class library_thread;
        std::atomic<bool> attached_{false}; // set once, under the thread's lock
    };

    // Never destroyed: its thread may run while the process exits.
    static library_thread &instance() noexcept;

    // Under the thread's lock, with the thread running and `owner` attached: add()
    // (which takes the job's own lock to record its work), then wakes the thread. False
    // when the thread cannot run (exiting, or no thread to be had) or add() throws (out
    // of memory); add() must then change nothing. Lock order: the thread's, then a job's.
    template <class Add>
    bool add_work(job &owner, Add add) noexcept {
        try {
            std::lock_guard lock(mutex_);
            if (!attach(owner) || !ensure_thread()) {
                return false;
            }
            add();
            wake();
            return true;
        } catch (...) {
            return false;
        }
    }
    // Makes sure the thread runs with `owner` attached: two loads once it does.
    void ensure_running(job &owner) noexcept {
        if (!started_.load(std::memory_order_acquire) ||
            !owner.attached_.load(std::memory_order_acquire)) {
            add_work(owner, [] {});
        }
    }

    // Stops and joins the thread if every job is idle; true when no thread runs
    // afterwards. Never from the thread itself.
    bool stop_when_unused() noexcept;

    // Wakes the thread: async-signal-safe (an atomic and a word wake, on static
    // storage that exists before any constructor runs).
    static void wake() noexcept;
    // True on the library's thread. Async-signal-safe (no thread-local storage).
    static bool on_library_thread() noexcept;

private:
    static constexpr std::size_t max_jobs = 8;

    library_thread() = default;
    void shut_down() noexcept;         // at exit: the thread leaves
    void forget_after_fork() noexcept; // in a forked child: the parent's thread is not here
    bool attach(job &owner) noexcept;  // with mutex_ held
    bool ensure_thread() noexcept;     // with mutex_ held
    bool all_idle() noexcept;          // with mutex_ held
    void stop_thread(std::unique_lock<std::mutex> &lock) noexcept; // with mutex_ held
    void run() noexcept;

    std::mutex mutex_;
    job *jobs_[max_jobs] = {};
    std::atomic<std::size_t> job_count_{0}; // written under mutex_, read by the thread
    bool running_ = false; // a thread runs and has not been asked to stop
    bool stop_requested_ = false;
    // Set under mutex_; the thread also reads it between jobs, without the lock.
    std::atomic<bool> shutting_down_{false};
    // The thread is running jobs: set under mutex_ before it lets the lock go for them,
    // cleared when they return (so the exit handler, holding mutex_, knows whether a
    // join could wait for user code).
    std::atomic<bool> in_jobs_{false};
    std::atomic<bool> started_{false}; // running_, for ensure_running's fast path
    std::thread thread_; // joinable until joined by ensure_thread or stop_thread
};

} // namespace enough::detail
