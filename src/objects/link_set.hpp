// The links of a linked state: one callback registration on each parent token, and a
// reference to each parent (to ask it for its deadline: enough_token_remaining_ms).
//
// Owned by the child's state and destroyed when the child stops following (a linked
// source: its last source reference; a linked token: its last reference, or its last
// parent that could cancel), which unregisters every link (waiting out a link callback
// running on another thread), so a long-lived parent never accumulates dead children.
//
// Every linked state counts its parents that may still cancel: each parent that
// becomes unable to (orphaned, or refused at creation) is counted down once. The last
// one orphans a child that follows with nothing else to cancel it (a linked token, or
// an abandoned linked source: enough_cancellation_abandon).
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>
#include <gsl/span>

#include <atomic>
#include <cstddef>
#include <new>

namespace enough::detail {

class cancellation_state;

class link_set {
public:
    struct link {
        enough_unknown *registration = nullptr;
        enough_token *parent = nullptr; // one reference
        link_set *owner = nullptr;      // the registration's user data is the link
        std::atomic<bool> gone{false};  // counted down (a follower's parent can never cancel)
    };

    // Room for `count` links of `child`, all empty, counting its parents (and one
    // creation guard, dropped by finish_creation). nullptr when memory is exhausted.
    static gsl::owner<link_set *> create(std::size_t count, gsl::not_null<cancellation_state *> child) noexcept;
    // Releases every registration (no link callback runs after), then every parent
    // reference (joining the cascade running on this thread, so that destroying a chain
    // of a million linked tokens is a loop), then frees the set.
    static void destroy(gsl::owner<link_set *> links) noexcept;

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
    link_set(std::size_t count, cancellation_state *child) noexcept
        : count_(count), child_(child), live_(count + 1) {}
    // The links follow the set in the same allocation: one malloc per child, not two.
    link *slots() noexcept { return std::launder(reinterpret_cast<link *>(this + 1)); }

    std::size_t count_;
    cancellation_state *child_;
    std::atomic<std::size_t> live_; // parents that may still cancel, + the creation guard
};

} // namespace enough::detail
