// The callbacks registered on one cancellation state, and the protocol that runs them.
//
// A circular doubly-linked list (head only: head->prev is the tail) under a one-word
// lock. The cancelling thread takes the callbacks one at a time off the list and runs
// each with no lock held. Unregistering a callback that is running on another thread
// waits for it (on the registration's own phase word); unregistering it from inside
// itself returns at once and leaves the freeing to the runner. Nothing here allocates.
#pragma once

#include "callback_registration.hpp"
#include "spin_lock.hpp"

#include <atomic>
#include <cstdint>

namespace enough::detail {

class callback_registry {
public:
    // Lists `node` to run when the state cancels. Returns false, listing nothing, when
    // `word` already holds a reason: the caller then runs the callback itself.
    bool add(callback_registration *node, const std::atomic<uint32_t> &word) noexcept;

    // Runs and unlists every listed callback, on this (the cancelling) thread.
    void run_all(int32_t reason) noexcept;

    // Unlists `node`. After it returns the callback is not running and never will, and
    // the result says whether the caller may free the node now (false only when called
    // from inside that callback: the runner frees it when the callback returns).
    bool remove(callback_registration *node) noexcept;

private:
    using phase = callback_registration::phase;
    void unlink(callback_registration *node) noexcept; // with lock_ held

    spin_lock lock_;
    callback_registration *head_ = nullptr;
};

} // namespace enough::detail
