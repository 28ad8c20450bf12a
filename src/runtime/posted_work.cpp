#include "runtime/posted_work.hpp"

#include "runtime/library_thread.hpp"

#include <atomic>
#include <thread>

namespace enough::detail::posted_work {
namespace {

// Zero-initialised static storage: usable before any constructor has run.
constinit std::atomic<void *> slots[capacity] = {};
constinit std::atomic<std::size_t> posted{0}; // targets in the slots
constinit std::atomic<std::size_t> hint{0};   // where the next post starts looking
constinit std::atomic<run_fn> runner{nullptr};

void run_one(void *target) noexcept { runner.load(std::memory_order_acquire)(target); }

void run_all() noexcept {
    while (posted.load(std::memory_order_acquire) != 0) {
        for (std::atomic<void *> &slot : slots) {
            if (slot.load(std::memory_order_relaxed) == nullptr) {
                continue;
            }
            void *const target = slot.exchange(nullptr, std::memory_order_acquire);
            if (target != nullptr) {
                posted.fetch_sub(1, std::memory_order_relaxed);
                run_one(target); // no lock of ours is held
            }
        }
    }
}

// The library's thread drains the ring each time it wakes.
class drain final : public library_thread::job {
public:
    library_thread::clock::time_point run(library_thread::clock::time_point) noexcept override {
        run_all();
        return library_thread::only_when_woken;
    }
    bool idle() noexcept override { return !pending(); }
};
constinit drain drainer; // static storage: no constructor runs, no destructor matters

bool try_place(void *target) noexcept {
    const std::size_t start = hint.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < capacity; ++i) {
        std::atomic<void *> &slot = slots[(start + i) % capacity];
        void *empty = nullptr;
        if (slot.compare_exchange_strong(empty, target, std::memory_order_release,
                                         std::memory_order_relaxed)) {
            posted.fetch_add(1, std::memory_order_release);
            return true;
        }
    }
    return false;
}

} // namespace

void prepare(run_fn run) noexcept {
    if (runner.load(std::memory_order_relaxed) != run) { // once: every caller names the same
        runner.store(run, std::memory_order_release);
    }
    library_thread::instance().ensure_running(drainer);
}

void post(void *target) noexcept {
    while (!try_place(target)) {
        if (library_thread::on_library_thread()) {
            run_one(target); // full, and we are the library's thread: run it here
            return;
        }
        library_thread::wake();
        std::this_thread::yield(); // sched_yield: a system call, no lock
    }
    library_thread::wake();
}

bool pending() noexcept { return posted.load(std::memory_order_acquire) != 0; }

} // namespace enough::detail::posted_work
