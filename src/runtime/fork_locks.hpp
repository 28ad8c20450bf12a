// The process-wide mutexes a forked child may need (the pool's, the deadline queue's,
// the hardened build's ledger): held by the forking thread across fork(), so that the
// child gets each one whole and unlocked, never one that another thread of the parent
// held at that moment (the child would wait on it for ever: only the forking thread
// exists there). Each is a leaf (no code holds one while it takes another), so
// taking them all in turn cannot deadlock.
#pragma once

#include <mutex>

namespace enough::detail {

// Adds `mutex` (static storage, never destroyed) to the ones held across a fork. False
// when the system records no fork handlers, or the fixed table is full (a programming
// error: raise fork_lock_capacity).
bool lock_across_fork(std::mutex &mutex) noexcept;

} // namespace enough::detail
