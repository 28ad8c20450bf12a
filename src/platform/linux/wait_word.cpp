#include "platform/wait_word.hpp"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <climits>
#include <ctime>

namespace enough::detail {
namespace {
long futex(const std::atomic<uint32_t> &word, int op, uint32_t value, const timespec *timeout) {
    // The kernel only compares and queues on the address; it never writes the word.
    return syscall(SYS_futex, const_cast<std::atomic<uint32_t> *>(&word), op, value, timeout,
                   nullptr, 0);
}

void wait(const std::atomic<uint32_t> &word, int op, uint32_t expected, int64_t timeout_ns) {
    if (timeout_ns < 0) {
        futex(word, op, expected, nullptr);
        return;
    }
    const timespec timeout{static_cast<time_t>(timeout_ns / 1'000'000'000),
                           static_cast<long>(timeout_ns % 1'000'000'000)};
    futex(word, op, expected, &timeout);
}
} // namespace

void word_wait(const std::atomic<uint32_t> &word, uint32_t expected, int64_t timeout_ns) noexcept {
    wait(word, FUTEX_WAIT_PRIVATE, expected, timeout_ns);
}

void word_wake_all(const std::atomic<uint32_t> &word) noexcept {
    futex(word, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr);
}

void shared_word_wait(const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept {
    wait(word, FUTEX_WAIT, expected, timeout_ns);
}

void shared_word_wake_all(const std::atomic<uint32_t> &word) noexcept {
    futex(word, FUTEX_WAKE, INT_MAX, nullptr);
}

} // namespace enough::detail
