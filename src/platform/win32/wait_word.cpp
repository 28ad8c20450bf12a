// WaitOnAddress and WakeByAddressAll for threads of this process. Another process
// cannot wake them: a wait on a shared word looks at it again every millisecond
// (an imported token waits on its exporter's wake instead, shared_wake.cpp).
#include "platform/wait_word.hpp"

#include "platform/win32/timeout.hpp"

#include <windows.h>

#include <algorithm>

namespace enough::detail {

void word_wait(const std::atomic<uint32_t> &word, uint32_t expected, int64_t timeout_ns) noexcept {
    WaitOnAddress(const_cast<std::atomic<uint32_t> *>(&word), &expected, sizeof expected,
                  wait_milliseconds(timeout_ns));
}

void word_wake_all(const std::atomic<uint32_t> &word) noexcept {
    WakeByAddressAll(const_cast<std::atomic<uint32_t> *>(&word));
}

void shared_word_wait(const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept {
    if (word.load(std::memory_order_seq_cst) == expected) {
        Sleep(timeout_ns < 0 ? 1 : std::min<DWORD>(wait_milliseconds(timeout_ns), 1));
    }
}

void shared_word_wake_all(const std::atomic<uint32_t> &) noexcept {}

} // namespace enough::detail
