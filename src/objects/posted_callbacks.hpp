// The states whose callbacks a cancel_async left to the library's thread.
//
// A fixed ring of slots in static storage, filled and emptied with atomics only, so
// posting is async-signal-safe: no lock, no allocation, no thread-local storage, and
// the one system call of waking the library's thread (platform/wait_word.hpp). Each posted state
// carries one reference, which the library's thread releases after running them.
#pragma once

#include <cstddef>

namespace enough::detail {

class cancellation_state;

namespace posted_callbacks {

// Slots for states waiting at once; a post beyond them waits (yielding, no lock) for
// the library's thread to take one, or runs them itself on that very thread.
inline constexpr std::size_t capacity = 4096;

// Hands `state` (and one reference on it) to the library's thread and wakes it.
void post(cancellation_state *state) noexcept;
// Runs the callbacks of every posted state and releases it: the library's thread.
void run_all() noexcept;
// True while some state waits (for the thread's decision to stop).
bool pending() noexcept;

} // namespace posted_callbacks
} // namespace enough::detail
