// Blocking on a 32-bit atomic with a timeout, and waking its waiters (Linux: a futex;
// POSIX: a table of parked threads, each on a pipe of its own; Windows: WaitOnAddress).
#pragma once

#include <atomic>
#include <cstdint>

namespace enough::detail {

// Blocks while *word == expected, until woken or timeout_ns passes (negative: no
// limit). May return early (spuriously): callers re-check their condition. Waiters and
// wakers are threads of this process.
void word_wait(const std::atomic<uint32_t> &word, uint32_t expected, int64_t timeout_ns) noexcept;
// Wakes every thread waiting on `word`. Async-signal-safe (cancel_async calls it from
// signal handlers).
void word_wake_all(const std::atomic<uint32_t> &word) noexcept;

// The same for a word in memory that other processes map (a shared page). Where the
// system cannot wake across processes (POSIX), the wait looks at the word every
// shared_wait_poll_ns instead of sleeping until woken.
void shared_word_wait(const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept;
void shared_word_wake_all(const std::atomic<uint32_t> &word) noexcept;

} // namespace enough::detail
