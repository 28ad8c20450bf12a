#include "objects/posted_callbacks.hpp"

#include "objects/cancellation_state.hpp"
#include "objects/timer_service.hpp"

#include <atomic>
#include <thread>

namespace enough::detail::posted_callbacks {
namespace {

// Zero-initialised static storage: usable before any constructor has run.
constinit std::atomic<cancellation_state *> slots[capacity] = {};
constinit std::atomic<std::size_t> posted{0}; // states in the slots
constinit std::atomic<std::size_t> hint{0};   // where the next post starts looking

void run_callbacks(cancellation_state *state) noexcept {
    state->callbacks().run_all(state->reason());
    state->release();
}

bool try_place(cancellation_state *state) noexcept {
    const std::size_t start = hint.fetch_add(1, std::memory_order_relaxed);
    for (std::size_t i = 0; i < capacity; ++i) {
        std::atomic<cancellation_state *> &slot = slots[(start + i) % capacity];
        cancellation_state *empty = nullptr;
        if (slot.compare_exchange_strong(empty, state, std::memory_order_release,
                                         std::memory_order_relaxed)) {
            posted.fetch_add(1, std::memory_order_release);
            return true;
        }
    }
    return false;
}

} // namespace

void post(cancellation_state *state) noexcept {
    while (!try_place(state)) {
        if (timer_service::on_service_thread()) {
            run_callbacks(state); // full, and we are the library's thread: run them here
            return;
        }
        timer_service::wake();
        std::this_thread::yield(); // sched_yield: a system call, no lock
    }
    timer_service::wake();
}

void run_all() noexcept {
    while (posted.load(std::memory_order_acquire) != 0) {
        for (std::atomic<cancellation_state *> &slot : slots) {
            if (slot.load(std::memory_order_relaxed) == nullptr) {
                continue;
            }
            cancellation_state *const state = slot.exchange(nullptr, std::memory_order_acquire);
            if (state != nullptr) {
                posted.fetch_sub(1, std::memory_order_relaxed);
                run_callbacks(state); // no lock of ours is held
            }
        }
    }
}

bool pending() noexcept { return posted.load(std::memory_order_acquire) != 0; }

} // namespace enough::detail::posted_callbacks
