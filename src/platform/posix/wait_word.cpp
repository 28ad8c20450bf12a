// Waiting on a word without a futex, and waking from a signal handler.
//
// A waiter parks in one of a fixed table of slots: it names the word it waits on, then
// looks at the word once more, then sleeps in poll() on the slot's own pipe. A waker
// writes one byte to the pipe of every slot that names its word. write() and atomics
// are async-signal-safe (cancel_async wakes from signal handlers), and poll() gives the
// timeout. No wake is lost: the waiter publishes the slot before its last look at the
// word (both sequentially consistent), the waker changes the word before it scans, so
// one of them sees the other. A stale byte only makes a later wait return early, which
// callers allow. With every slot taken, a waiter sleeps a millisecond and returns.
#include "platform/posix/backend.hpp"
#include "platform/process.hpp"
#include "platform/wait_word.hpp"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <limits>
#include <thread>

namespace enough::detail {
namespace {

struct parking_slot {
    std::atomic<uint32_t> taken{0};
    std::atomic<const void *> word{nullptr};
    std::atomic<int> read_end{-1};  // the pipe is made on the slot's first use, then kept
    std::atomic<int> write_end{-1};
};
constexpr std::size_t slot_count = 64;
constinit parking_slot slots[slot_count];

constexpr int64_t full_table_sleep_ns = 1'000'000;

void forget_parked_threads() noexcept {
    // In a forked child only the forking thread exists: no slot is in use any more.
    for (parking_slot &slot : slots) {
        slot.word.store(nullptr, std::memory_order_relaxed);
        slot.taken.store(0, std::memory_order_relaxed);
    }
}

parking_slot *claim() noexcept {
    static const bool fork_safe = at_fork_child(forget_parked_threads);
    (void)fork_safe;
    const std::size_t start = std::hash<std::thread::id>{}(std::this_thread::get_id());
    for (std::size_t i = 0; i < slot_count; ++i) {
        parking_slot &slot = slots[(start + i) % slot_count];
        uint32_t free = 0;
        if (slot.taken.load(std::memory_order_relaxed) == 0 &&
            slot.taken.compare_exchange_strong(free, 1, std::memory_order_acquire)) {
            if (slot.read_end.load(std::memory_order_relaxed) < 0) {
                int ends[2];
                if (!posix::make_pipe(ends)) {
                    slot.taken.store(0, std::memory_order_release);
                    return nullptr;
                }
                slot.write_end.store(ends[1], std::memory_order_release);
                slot.read_end.store(ends[0], std::memory_order_relaxed);
            }
            return &slot;
        }
    }
    return nullptr;
}

void drain(int fd) noexcept {
    char bytes[64];
    while (read(fd, bytes, sizeof bytes) > 0) {
    }
}

int poll_timeout_ms(int64_t timeout_ns) noexcept {
    if (timeout_ns < 0) {
        return -1;
    }
    const int64_t ms = timeout_ns / 1'000'000 + (timeout_ns % 1'000'000 != 0 ? 1 : 0); // round up
    return static_cast<int>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

void sleep_ns(int64_t ns) noexcept { poll(nullptr, 0, poll_timeout_ms(ns)); }

} // namespace

void word_wait(const std::atomic<uint32_t> &word, uint32_t expected, int64_t timeout_ns) noexcept {
    parking_slot *const slot = claim();
    if (slot == nullptr) {
        sleep_ns(timeout_ns < 0 ? full_table_sleep_ns : std::min(timeout_ns, full_table_sleep_ns));
        return;
    }
    const int fd = slot->read_end.load(std::memory_order_relaxed);
    drain(fd); // a stale wake-up meant for an earlier waiter
    slot->word.store(&word, std::memory_order_seq_cst);
    if (word.load(std::memory_order_seq_cst) == expected) {
        pollfd entry{fd, POLLIN, 0};
        poll(&entry, 1, poll_timeout_ms(timeout_ns));
    }
    slot->word.store(nullptr, std::memory_order_relaxed);
    slot->taken.store(0, std::memory_order_release);
}

void word_wake_all(const std::atomic<uint32_t> &word) noexcept {
    const int saved = errno; // signal handlers must leave errno as they found it
    for (parking_slot &slot : slots) {
        if (slot.word.load(std::memory_order_seq_cst) == &word) {
            const char one = 1;
            [[maybe_unused]] const ssize_t written =
                write(slot.write_end.load(std::memory_order_acquire), &one, 1);
        }
    }
    errno = saved;
}

// Other processes' wakers cannot reach our slots: look at the word again soon.
void shared_word_wait(const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept {
    if (word.load(std::memory_order_seq_cst) == expected) {
        sleep_ns(timeout_ns < 0 ? full_table_sleep_ns : std::min(timeout_ns, full_table_sleep_ns));
    }
}

void shared_word_wake_all(const std::atomic<uint32_t> &) noexcept {}

} // namespace enough::detail
