// The callbacks registered on one cancellation state, and the protocol that runs them.
//
// A circular doubly-linked list (head only: head->prev is the tail) under a one-word
// lock. That word also keeps the state's memory, by one rule:
//
//   THE MEMORY RULE. The state's memory has holders: its references, all together, are
//   one holder, and every registration counted here is one more. The lock word counts
//   the holders; whoever drops the last one frees the memory.
//
// So a registration keeps the state's memory (not a reference: it must not keep a
// token alive or un-orphan it), and counting it while the lock is held anyway costs no
// extra atomic operation: the unlock is a plain store of the new count.
//
// The cancelling thread takes the callbacks one at a time off the list and runs each
// with no lock held. Unregistering a callback that is running on another thread waits
// for it (on the registration's own phase word); unregistering it from inside itself
// returns at once and leaves the freeing to the runner. Nothing here allocates.
#pragma once

#include "objects/callback_registration.hpp"

#include <atomic>
#include <cstdint>

namespace enough::detail {

class callback_registry {
public:
    // Counts `node` as a registration of this state and lists it to run when the state
    // cancels. Returns false, listing nothing (but counting it), when `word` already
    // holds a reason: the caller then runs the callback itself.
    bool add(callback_registration *node, const std::atomic<uint32_t> &word) noexcept;

    // Runs and unlists every listed callback, on this (the cancelling) thread, which
    // holds a reference to the state throughout.
    void run_all(int32_t reason) noexcept;

    struct removal {
        bool free_node;     // false while its callback runs (the runner frees it)
        bool free_state;    // it dropped the state's last memory holder
        bool before_it_ran; // the callback never ran and now never will
    };
    // Unlists `node` and drops its holder. With `wait`, after it returns the callback
    // is not running and never will (but from inside the callback itself); without,
    // a callback running on another thread is left to finish, and frees the node.
    removal remove(callback_registration *node, bool wait) noexcept;

    // The state's last reference is gone: drops the references' holder. True if it was
    // the last holder (the caller frees the state).
    bool drop_references_holder() noexcept;

    // Runs f() under this registry's lock (the owning state's links use it too). f
    // must be short and run no user code.
    template <class F>
    void with_lock(F f) noexcept {
        const uint32_t word = lock();
        f();
        unlock(word);
    }

    // seq_cst: cancel_async orders it after storing the word (see add).
    bool has_registrations() const noexcept {
        return (lock_and_holders_.load(std::memory_order_seq_cst) & ~locked) > holder_unit;
    }

private:
    using phase = callback_registration::phase;
    // lock_and_holders_: bit 0 = locked; bits 1..31 = the memory holders.
    static constexpr uint32_t locked = 1;
    static constexpr uint32_t holder_unit = 2;

    uint32_t lock() noexcept; // returns the word (without the lock bit), lock held
    void unlock(uint32_t word) noexcept { lock_and_holders_.store(word, std::memory_order_release); }
    void unlink(callback_registration *node) noexcept; // with the lock held
    // Drops one holder from `word` (lock held); true when it was the last.
    static bool drop_holder(uint32_t &word) noexcept {
        word -= holder_unit;
        return word == 0;
    }

    std::atomic<uint32_t> lock_and_holders_{holder_unit}; // the references' holder
    callback_registration *head_ = nullptr;
};

} // namespace enough::detail
