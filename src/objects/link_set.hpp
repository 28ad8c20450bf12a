// The links of a linked state: one link on each parent token, and a reference to each
// parent (to ask it for its deadline: enough_token_remaining_ms).
//
// A link to one of this library's tokens is a node listed in the parent's callback
// registry, inside this set's memory: a child of one such parent costs the state and
// one 64-byte block of the object pool's slabs. A link to a foreign token is a callback registration
// made through its interfaces (link_fired, with the link as user data).
//
// Owned by the child's state and destroyed when the child stops following (a linked
// source: its last source reference; a linked token: its last reference, or its last
// parent that could cancel), which unlists every link (waiting out a link running on
// another thread), so a long-lived parent never accumulates dead children.
//
// Every linked state counts its parents that may still cancel: each parent that
// becomes unable to (orphaned, or refused at creation) is counted down once. The last
// one orphans a child that follows with nothing else to cancel it (a linked token, or
// an abandoned linked source: enough_cancellation_abandon).
#pragma once

#include "objects/callback_registry.hpp"

#include <enough/abi.h>

#include <gsl/pointers>
#include <gsl/span>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace enough::detail {

class cancellation_state;

class link_set {
public:
    struct link {
        explicit link(link_set *set) noexcept : owner(set) {}
        // Listed on an own parent's registry; its spare_ marks the parent gone
        // (counted down: a follower's parent can never cancel).
        registry_node node{registry_node::kind::link};
        enough_token *parent = nullptr;          // one reference, once linked
        link_set *owner;
        enough_unknown *registration = nullptr; // a foreign parent's registration

        static link *from(gsl::not_null<registry_node *> node) noexcept {
            return reinterpret_cast<link *>(node.get()); // node is first
        }
        bool is_foreign() const noexcept { return registration != nullptr; }
    };

    // Room for `count` links of `child`, all empty, counting its parents (and one
    // creation guard, dropped by finish_creation). nullptr when memory is exhausted.
    static gsl::owner<link_set *> create(std::size_t count, gsl::not_null<cancellation_state *> child) noexcept;
    // Unlists every link (no link runs after, but one running on this thread, which
    // frees the set when it returns: link_returned), then releases every parent reference
    // (joining the cascade running on this thread, so that destroying a chain of a
    // million linked tokens is a loop), then frees the set.
    static void destroy(gsl::owner<link_set *> links) noexcept;
    // A link that ran when its set was destroyed has returned.
    static void link_returned(link &slot) noexcept;

    gsl::span<link> links() noexcept { return {slots(), count_}; }
    cancellation_state *child() const noexcept { return child_; }

    // The parent of `slot` can never cancel any more. True when that was the last of
    // the parents that could (the caller tells the child); each link counts once,
    // whoever notices first (the parent orphaning, or the child's creation).
    static bool parent_gone(link &slot) noexcept;
    // Drops the creation guard: true when no parent can cancel any more.
    bool finish_creation() noexcept { return live_.fetch_sub(1, std::memory_order_acq_rel) == 1; }
    // Some parent may still cancel (after creation).
    bool any_parent_may_cancel() const noexcept { return live_.load(std::memory_order_acquire) != 0; }

private:
    link_set(uint32_t count, cancellation_state *child) noexcept
        : count_(count), live_(count + 1), child_(child) {}
    // A link is running on this thread and will free the set when it returns (its
    // registry marked it so when destroy unlisted it).
    bool any_link_running() noexcept;
    // The links follow the set in the same allocation: one malloc per child, not two.
    link *slots() noexcept { return std::launder(reinterpret_cast<link *>(this + 1)); }
    static void deallocate(gsl::owner<link_set *> links) noexcept;

    uint32_t count_;
    std::atomic<uint32_t> live_; // parents that may still cancel, + the creation guard
    cancellation_state *child_;
};

} // namespace enough::detail
