#include "runtime/library_thread.hpp"

#include "platform/precise_timers.hpp"
#include "platform/process.hpp"
#include "platform/wait_word.hpp"

#include <algorithm>
#include <new>

namespace enough::detail {
namespace {
// Static storage, zero before any constructor: wake() and on_library_thread() may be
// called from a signal handler at any time.
constinit std::atomic<uint32_t> wake_word{0};
std::atomic<std::thread::id> thread_id; // zero (no thread) from static initialisation
static_assert(std::atomic<std::thread::id>::is_always_lock_free);
} // namespace

library_thread &library_thread::instance() noexcept {
    // Leaked on purpose: other threads may use it while static objects are destroyed.
    static library_thread *const thread = [] {
        auto *created = new library_thread();
        // Shuts the thread down at exit, or when the library is unloaded first: a
        // static object's destructor, not std::atexit. The compiler ties its
        // registration to this library (__cxa_atexit with its own __dso_handle); zig's
        // atexit for glibc targets ties it to none, so a process that had unloaded the
        // library (mono does) jumped into unmapped code at exit.
        struct shut_down_at_exit {
            ~shut_down_at_exit() { instance().shut_down(); }
        };
        static shut_down_at_exit hook; // registered now, where atexit's handler was
        at_fork_child([] { instance().forget_after_fork(); });
        return created;
    }();
    return *thread;
}

void library_thread::wake() noexcept {
    wake_word.fetch_add(1, std::memory_order_seq_cst);
    word_wake_all(wake_word);
}

bool library_thread::on_library_thread() noexcept {
    return thread_id.load(std::memory_order_acquire) == std::this_thread::get_id();
}

void library_thread::shut_down() noexcept {
    std::unique_lock lock(mutex_);
    shutting_down_.store(true, std::memory_order_seq_cst);
    if (!thread_.joinable()) {
        return;
    }
    if (on_library_thread() || !exit_handler_may_join_threads() ||
        in_jobs_.load(std::memory_order_seq_cst)) {
        // exit() called from a callback on the thread itself, Windows's loader lock is
        // held, or the thread is running jobs (a callback may block, or wait for this
        // very exit, as a managed runtime's code does): the thread is told to leave,
        // and nobody waits for it. Its jobs and this object are never destroyed.
        stop_requested_ = true;
        wake();
        thread_.detach();
        return;
    }
    stop_thread(lock); // the thread sees shutting_down_ and leaves
}

void library_thread::forget_after_fork() noexcept {
    // Only this thread exists in the child, and the parent's may have held the mutex:
    // make both anew without touching the old ones (nothing to join or unlock here).
    new (&mutex_) std::mutex();
    new (&thread_) std::thread();
    running_ = false;
    stop_requested_ = false;
    in_jobs_.store(false, std::memory_order_relaxed);
    started_.store(false, std::memory_order_release);
    thread_id.store(std::thread::id(), std::memory_order_release);
}

bool library_thread::attach(job &owner) noexcept {
    if (owner.attached_.load(std::memory_order_relaxed)) {
        return true;
    }
    const std::size_t count = job_count_.load(std::memory_order_relaxed);
    if (count == max_jobs) {
        return false; // a feature too many: a programming error, refused safely
    }
    jobs_[count] = &owner;
    job_count_.store(count + 1, std::memory_order_release);
    owner.attached_.store(true, std::memory_order_release);
    return true;
}

void library_thread::stop_thread(std::unique_lock<std::mutex> &lock) noexcept {
    stop_requested_ = true;
    started_.store(false, std::memory_order_release);
    wake();
    std::thread leaving = std::move(thread_);
    lock.unlock();
    leaving.join(); // it sees stop_requested_ (or shutting_down_) and leaves
    lock.lock();
    stop_requested_ = false;
}

bool library_thread::stop_when_unused() noexcept {
    std::unique_lock lock(mutex_);
    if (!running_) {
        if (thread_.joinable()) {
            thread_.join(); // left already (shut down): only returning was left
        }
        return true;
    }
    if (on_library_thread() || !all_idle()) {
        return false;
    }
    stop_thread(lock);
    // Work added while the thread was leaving (the lock is let go for the join) found
    // it still running: it must not be stranded.
    if (!all_idle()) {
        ensure_thread();
        return false;
    }
    return true;
}

bool library_thread::all_idle() noexcept {
    const std::size_t count = job_count_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < count; ++i) {
        if (!jobs_[i]->idle()) {
            return false;
        }
    }
    return true;
}

bool library_thread::ensure_thread() noexcept {
    if (shutting_down_.load(std::memory_order_relaxed)) {
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

void library_thread::run() noexcept {
    thread_id.store(std::this_thread::get_id(), std::memory_order_release);
    make_this_threads_timers_precise(); // deadlines fire on time, not up to 50 us late
    std::unique_lock lock(mutex_);
    while (!shutting_down_.load(std::memory_order_relaxed) && !stop_requested_) {
        // Read before running the jobs: whatever is added after this changes the word,
        // and the wait below returns at once.
        const uint32_t seen = wake_word.load(std::memory_order_seq_cst);
        const std::size_t count = job_count_.load(std::memory_order_acquire);
        in_jobs_.store(true, std::memory_order_seq_cst); // under the lock: see shut_down
        lock.unlock(); // jobs run user code: no lock of ours is held
        clock::time_point next = only_when_woken;
        for (std::size_t i = 0; i < count && !shutting_down_.load(std::memory_order_seq_cst); ++i) {
            next = std::min(next, jobs_[i]->run(clock::now()));
        }
        in_jobs_.store(false, std::memory_order_seq_cst);
        int64_t timeout_ns = -1; // nothing due: sleep until woken
        if (next != only_when_woken) {
            timeout_ns = std::max<int64_t>(
                std::chrono::duration_cast<std::chrono::nanoseconds>(next - clock::now()).count(), 0);
        }
        word_wait(wake_word, seen, timeout_ns);
        lock.lock();
    }
    running_ = false;
    thread_id.store(std::thread::id(), std::memory_order_release);
}

} // namespace enough::detail
