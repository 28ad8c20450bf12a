// The cancellation state: the one allocation behind a source and its token.
//
// It carries two COM identities, the source face and the token face, each a single
// vtable pointer, so handing out a token is an add_ref on this object, never an
// allocation. It lives while anything references it: the sources (together one
// reference), every token handle, and internal holders added by later capabilities.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace enough::detail {

class cancellation_state {
public:
    // A new state with one source reference. nullptr when memory is exhausted.
    static gsl::owner<cancellation_state *> create() noexcept;

    cancellation_state(const cancellation_state &) = delete;
    cancellation_state &operator=(const cancellation_state &) = delete;

    // ---- faces: the interface pointers handed out; each is its own identity --------
    enough_source *source_face() noexcept { return &source_face_; }
    enough_token *token_face() noexcept { return &token_face_; }
    static cancellation_state *from(gsl::not_null<enough_source *> face) noexcept {
        return from_member(face.get(), offsetof(cancellation_state, source_face_));
    }
    static cancellation_state *from(gsl::not_null<enough_token *> face) noexcept {
        return from_member(face.get(), offsetof(cancellation_state, token_face_));
    }

    // ---- references --------------------------------------------------------------
    // Token-side references (token handles, internal holders): plain counting.
    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept;
    // Source-side references. All of them together hold one reference on the object;
    // the last one to go leaves the state orphaned unless it was cancelled.
    uint32_t add_source_ref() noexcept {
        return (control_.fetch_add(source_ref_unit, std::memory_order_relaxed) >> 1) + 1;
    }
    uint32_t release_source_ref() noexcept;

    // ---- state ---------------------------------------------------------------------
    // First cancel wins: true only for the call that cancelled. Fails (false) once
    // cancelled or once orphaned, so an orphaned token never becomes cancelled.
    bool cancel(uint32_t reason) noexcept;
    // 0 while not cancelled, else the reason. One acquire load: the hot path.
    uint32_t reason() const noexcept { return word_.load(std::memory_order_acquire); }
    bool is_cancelled() const noexcept { return reason() != ENOUGH_REASON_NONE; }
    // Cancelled, or some source still holds the right to cancel.
    bool may_cancel() const noexcept {
        const uint32_t control = control_.load(std::memory_order_acquire);
        return (control & cancel_claimed) != 0 || control >= source_ref_unit;
    }
    // The word polled by token holders through the ABI (a read-only view).
    const uint32_t *state_word() const noexcept {
        return reinterpret_cast<const uint32_t *>(&word_);
    }

private:
    cancellation_state() noexcept;
    ~cancellation_state() = default;

    static cancellation_state *from_member(void *face, std::size_t offset) noexcept {
        return reinterpret_cast<cancellation_state *>(static_cast<char *>(face) - offset);
    }

    // control_: bit 0 = a cancel has claimed the state; bits 1..31 = source references.
    static constexpr uint32_t cancel_claimed = 1;
    static constexpr uint32_t source_ref_unit = 2;

    enough_source source_face_;
    enough_token token_face_;
    std::atomic<uint32_t> word_{ENOUGH_REASON_NONE};
    std::atomic<uint32_t> refs_{1};                // the sources' shared reference
    std::atomic<uint32_t> control_{source_ref_unit}; // one source reference
};

// The ABI hands out the word as `const uint32_t*`: the atomic must be exactly that word.
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
static_assert(alignof(std::atomic<uint32_t>) == alignof(uint32_t));
static_assert(std::atomic<uint32_t>::is_always_lock_free);

} // namespace enough::detail
