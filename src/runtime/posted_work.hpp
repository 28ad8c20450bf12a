// Work posted from anywhere, signal handlers included, and run on the library's
// thread: what cancel_async leaves to it (the callbacks of a state it cancelled).
//
// A fixed ring of slots in static storage, filled and emptied with atomics only, so
// posting is async-signal-safe: no lock, no allocation, no thread-local storage, and
// the one system call of waking the library's thread (platform/wait_word.hpp). There
// is one kind of posted work per process, named by prepare(); a target carries
// whatever reference its kind needs, which that run function gives back.
#pragma once

#include <cstddef>

namespace enough::detail::posted_work {

using run_fn = void (*)(void *target) noexcept;

// Slots for targets waiting at once; a post beyond them waits (yielding, no lock) for
// the library's thread to take one, or runs it itself on that very thread.
inline constexpr std::size_t capacity = 4096;

// Makes sure the library's thread runs and drains the ring with `run`, before any post
// that may need it (a post cannot start a thread): one load once it does. Every caller
// names the same function.
void prepare(run_fn run) noexcept;
// Hands `target` to the library's thread and wakes it. After prepare().
void post(void *target) noexcept;
// True while some target waits (for the thread's decision to stop).
bool pending() noexcept;

} // namespace enough::detail::posted_work
