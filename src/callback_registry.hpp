// The callbacks registered on one cancellation state, and the protocol that runs them.
//
// A circular doubly-linked list (head only: head->prev is the tail) under a one-word
// lock. That word also counts the registrations made on the state, each of which keeps
// the state's memory (not its references) alive until it is removed: counting them
// while the lock is held anyway costs no extra atomic operation, and the unlock is a
// plain store of the new count.
//
// The cancelling thread takes the callbacks one at a time off the list and runs each
// with no lock held. Unregistering a callback that is running on another thread waits
// for it (on the registration's own phase word); unregistering it from inside itself
// returns at once and leaves the freeing to the runner. Nothing here allocates.
#pragma once

#include "callback_registration.hpp"

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
        bool free_node;  // false only from inside the node's own callback (the runner frees it)
        bool free_state; // this was the last thing keeping the state's memory
    };
    // Unlists and uncounts `node`. After it returns the callback is not running and
    // never will.
    removal remove(callback_registration *node) noexcept;

    // The state's last reference is gone: true if no registration keeps its memory
    // (the caller frees it); otherwise the last registration to go will.
    bool release_memory_on_last_reference() noexcept;

    bool has_registrations() const noexcept {
        return word_.load(std::memory_order_acquire) >= registration_unit;
    }

private:
    using phase = callback_registration::phase;
    // word_: bit 0 = locked; bit 1 = the state's references are all gone;
    // bits 2..31 = registrations counted.
    static constexpr uint32_t locked = 1;
    static constexpr uint32_t references_gone = 2;
    static constexpr uint32_t registration_unit = 4;

    uint32_t lock() noexcept; // returns the word (without the lock bit), lock held
    void unlock(uint32_t word) noexcept { word_.store(word, std::memory_order_release); }
    void unlink(callback_registration *node) noexcept; // with the lock held
    // Uncounts one registration, with the lock held; returns the new word and whether
    // the state's memory is now to be freed.
    static uint32_t uncount(uint32_t word, bool &free_state) noexcept;

    std::atomic<uint32_t> word_{0};
    callback_registration *head_ = nullptr;
};

} // namespace enough::detail
