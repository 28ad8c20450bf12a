// Blocking on a 32-bit atomic with a timeout, and waking its waiters (a futex on Linux).
#pragma once

#include <atomic>
#include <cstdint>

namespace enough::detail {

// Blocks while *word == expected, until woken or timeout_ns passes (negative: no
// limit). May return early (spuriously): callers re-check their condition. Waiters and
// wakers are threads of this process.
void word_wait(const std::atomic<uint32_t> &word, uint32_t expected, int64_t timeout_ns) noexcept;
void word_wake_all(const std::atomic<uint32_t> &word) noexcept;

// The same for a word in memory that other processes map (a shared page): the kernel
// matches waiters and wakers by the page, not by this process's address.
void shared_word_wait(const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept;
void shared_word_wake_all(const std::atomic<uint32_t> &word) noexcept;

} // namespace enough::detail
