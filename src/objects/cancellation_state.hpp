// The cancellation state: the one allocation behind a source and its token.
//
// It carries two COM identities, the source face and the token face, each a single
// vtable pointer, so handing out a token is an add_ref on this object, never an
// allocation. It lives while anything references it: the sources (together one
// reference), every token handle, every callback registration, and internal holders
// (an armed deadline, a link from a child source).
//
// Cancellation is pushed into one 32-bit word (0, or the reason) that token holders
// poll with one acquire load; deadlines and parents cancel by setting it, so polling
// never computes anything.
#pragma once

#include "objects/callback_registry.hpp"
#include "platform/waitable_event.hpp"
#include "runtime/compiler.hpp"
#include "runtime/object_pool.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace enough::detail {

class link_set;

class cancellation_state : public pooled<pool_kind::state> {
public:
    // A new state with one source reference, whose faces carry these vtables (the
    // faces' layer above makes states: new_cancellation_state in source_interface.hpp).
    // nullptr when memory is exhausted.
    static gsl::owner<cancellation_state *> create(const enough_source_vtbl *source_faces,
                                                   const enough_token_vtbl *token_faces) noexcept;

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
    static cancellation_state *from_registry(gsl::not_null<callback_registry *> registry) noexcept {
        return from_member(registry.get(), offsetof(cancellation_state, callbacks_));
    }

    // ---- references --------------------------------------------------------------
    // Token-side references (token handles, registrations, internal holders).
    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept {
        // The only reference: nobody can add one concurrently (that takes a reference),
        // so no read-modify-write is needed to know it is the last.
        if (refs_.load(std::memory_order_acquire) != 1) {
            if ((control_.load(std::memory_order_acquire) & parents_hold) != 0) [[unlikely]] {
                return release_follower();
            }
            if (refs_.fetch_sub(1, std::memory_order_acq_rel) != 1) {
                return 1; // informational: some other reference remains
            }
        }
        return release_last();
    }
    // Source-side references. All of them together hold one reference on the object;
    // the last one to go disarms the deadline, drops the links to parents and leaves
    // the state orphaned unless it was cancelled.
    uint32_t add_source_ref() noexcept {
        return (control_.fetch_add(source_ref_unit, std::memory_order_relaxed) >> source_ref_shift) + 1;
    }
    uint32_t release_source_ref() noexcept;
    // Releases a source reference without taking away what the source was set to do
    // (enough_cancellation_abandon): when it is the last one and an armed deadline or a
    // parent may still cancel the state, it becomes the parents' hold, kept while
    // anything else references the state (so an armed deadline fires and a linked
    // source follows, as if the source were still held), and released once nothing
    // does, once it cancels and nothing else does, or once nothing can cancel it.
    // Otherwise it is release_source_ref.
    uint32_t abandon_source_ref() noexcept;
    // True while something besides the sources references the state or registers on it.
    bool is_observed() const noexcept {
        return refs_.load(std::memory_order_acquire) > 1 || callbacks_.has_registrations();
    }
    // Frees a state whose last memory holder a registration dropped (the memory rule,
    // callback_registry.hpp).
    static void free_memory(gsl::owner<cancellation_state *> state) noexcept { delete state; }

    // ---- state ---------------------------------------------------------------------
    // First cancel wins: true only for the call that cancelled. Fails (false) once
    // cancelled or once orphaned, so an orphaned token never becomes cancelled. The
    // winner wakes waiters, signals the fd and runs the callbacks on this thread, as
    // part of the cascade running there (runtime/cascade.hpp: nested, or deferred).
    bool cancel(int32_t reason) noexcept { return cancel(reason, false); }
    // The same for a cancel that a parent's link makes: its callbacks always join the
    // cascade running on this thread, so a chain of links is a loop, not a recursion.
    bool cancel_through_link(int32_t reason) noexcept { return cancel(reason, true); }
    // The same, async-signal-safe (no lock, no allocation, no thread-local storage):
    // the word, the waiters and the fd as cancel does; the callbacks are posted to the
    // library's thread (runtime/posted_work.hpp), never run on this one.
    bool cancel_async(int32_t reason) noexcept;
    // 0 while not cancelled, else the reason. One acquire load: the hot path.
    int32_t reason() const noexcept {
        return static_cast<int32_t>(word_.load(std::memory_order_acquire));
    }
    bool is_cancelled() const noexcept { return reason() != ENOUGH_REASON_NONE; }
    // Cancelled, or some source still holds the right to cancel.
    bool may_cancel() const noexcept { return may_cancel(control_.load(std::memory_order_acquire)); }
    // The word polled by token holders through the ABI (a read-only view).
    const uint32_t *state_word() const noexcept {
        return reinterpret_cast<const uint32_t *>(&word_);
    }

    // ---- capabilities ------------------------------------------------------------
    // Registers a callback; see enough_token2_vtbl.register_callback.
    enough_result register_callback(enough_callback_fn callback, void *user_data,
                                    enough_unknown **registration) noexcept;
    // Lists `node` (a registration, or a child's link) to run when this state cancels,
    // counted as a holder of its memory until removed; runs it now, on this thread, if
    // the state is cancelled already.
    void listen(registry_node *node) noexcept;
    callback_registry &callbacks() noexcept { return callbacks_; }
    // The library's thread, for a cancel_async: runs the callbacks it left, as the
    // start of a cascade there.
    void run_posted_callbacks() noexcept { run_callbacks(false); }
    // Blocks until cancelled (true), the timeout passes or the state is orphaned (false).
    bool wait(int64_t timeout_ms) noexcept;
    // The waitable event signalled once cancelled (platform/waitable_event.hpp), made
    // on first use: its handle, or no_os_handle if the system refuses one.
    os_handle event() noexcept;
    // That event as a descriptor readable once cancelled; -1 if the system refuses one
    // or its events are no descriptors (Windows).
    int fd() noexcept {
        if constexpr (!waitable_event_is_descriptor) {
            return -1;
        }
        return os_handle_to_int(event());
    }
    // Arms or re-arms the deadline; see enough_source2_vtbl.cancel_after. 0 cancels
    // with ENOUGH_REASON_TIMED_OUT before it returns, on this thread.
    enough_result cancel_after(uint64_t milliseconds) noexcept;
    // .NET's TryReset: true when not cancelled and nothing is registered on it (no
    // callback, no linked child, no export); its armed deadline is then disarmed, and
    // it is as good as new. False, changing nothing, otherwise.
    bool try_reset() noexcept;
    // enough_token3_vtbl.remaining_ms: its own deadline, or its parents' (recursively).
    int64_t remaining_ms() noexcept;
    // ---- links (objects/linked_state.hpp) ---------------------------------------------
    // Takes over the links to parent tokens (set once, before the state is shared).
    // With `follows`, the state is a linked token: its one source reference is held for
    // its parents (the parents' hold) until it stops following.
    void adopt_links(gsl::owner<link_set *> links, bool follows) noexcept;
    // A linked state is made: drops the links' creation guard, and stops following at
    // once if no parent may cancel.
    void finish_linking() noexcept;
    // The last parent that could cancel can no longer: a follower stops following,
    // unless its armed deadline still may cancel it (its timer then decides).
    void parents_gone() noexcept;
    // A linked token stops following its parents: its last reference went, or its last
    // parent that could cancel can no longer. Once, whoever comes first: the parents'
    // hold is released, which orphans it unless it was cancelled, and drops its links.
    void stop_following() noexcept;
    // The callback a link registers on a foreign parent, with its link_set::link as user
    // data (a link to one of ours is listed in the parent's registry: fire_link).
    static void ENOUGH_CALL link_fired(void *link, int32_t reason) noexcept;

private:
    cancellation_state(const enough_source_vtbl *source_faces,
                       const enough_token_vtbl *token_faces) noexcept;
    ~cancellation_state();

    static cancellation_state *from_member(void *face, std::size_t offset) noexcept {
        return reinterpret_cast<cancellation_state *>(static_cast<char *>(face) - offset);
    }

    // control_: bit 0 = a cancel has claimed the state; bit 1 = a deadline was armed
    // (so orphaning skips the timer otherwise); bit 2 = the parents' hold (a linked
    // token's source reference, held while it follows; also what an abandoned source's
    // reference becomes); bits 3..31 = source references.
    static constexpr uint32_t cancel_claimed = 1;
    static constexpr uint32_t deadline_armed = 2;
    static constexpr uint32_t parents_hold = 4;
    static constexpr int source_ref_shift = 3;
    static constexpr uint32_t source_ref_unit = 1u << source_ref_shift;
    static bool may_cancel(uint32_t control) noexcept {
        return (control & cancel_claimed) != 0 || control >= source_ref_unit;
    }
    // Claims the cancel for `reason` (first wins; refused once orphaned), stores the
    // word, wakes waiters, signals the fd: everything but the callbacks.
    bool claim_and_publish(int32_t reason) noexcept;
    bool cancel(int32_t reason, bool through_link) noexcept;
    // Runs the callbacks now, nested in this thread's cascade, or defers them to it.
    void run_callbacks(bool through_link) noexcept;
    // A deferred run: the callbacks, then the reference the deferral held.
    static void run_deferred(void *target) noexcept;
    void wake_waiters() noexcept;
    static void signal_event(waitable_event event) noexcept;
    // The last reference went (out of line: the fast path above saves no registers).
    ENOUGH_NOINLINE uint32_t release_last() noexcept;
    // release() of a linked token still following: the caller's reference is kept
    // until it is known not to be the last but the parents' hold.
    ENOUGH_NOINLINE uint32_t release_follower() noexcept;
    // release_follower's common case, ours and the hold the only references: true when
    // the hold went and ours is the last (the caller frees the state); false when it
    // could not be dropped so (stop_following's way then) or a reference remains.
    bool drop_unshared_hold() noexcept;
    void on_orphaned() noexcept;
    // Unlists the callbacks of an orphan (they can never run), telling each linked
    // token that follows it.
    void unlist_for_orphan() noexcept;
    void disarm_deadline() noexcept;
    // Takes the links out (under the registry's lock: remaining_ms reads them there).
    gsl::owner<link_set *> take_links() noexcept;

    // 64 bytes, placed by the object pool at 32 bytes past a cache-line boundary, so
    // the two halves live on two cache lines. First half: what pollers read (the word,
    // and the vtables flat calls read) and what changes only once or twice in a life.
    // Second half: what reference counting, waiting and registration write. Threads
    // cloning and destroying token handles then never invalidate the line that pollers
    // spin on.
    enough_source source_face_;
    enough_token token_face_;
    std::atomic<uint32_t> word_{ENOUGH_REASON_NONE};
    std::atomic<uint32_t> control_{source_ref_unit}; // one source reference; waiters block on it
    std::atomic<waitable_event> event_{no_waitable_event}; // made by the first fd()
    // ---- second half ----
    std::atomic<uint32_t> refs_{1};    // the sources' shared reference
    std::atomic<uint32_t> waiters_{0}; // threads blocked in wait()
    callback_registry callbacks_;
    link_set *links_ = nullptr; // owned; registrations on parent tokens

public:
    static constexpr std::size_t layout_size = 64;
    static constexpr std::size_t half_line = 32;
    static constexpr std::size_t word_offset() noexcept { return offsetof(cancellation_state, word_); }
    static constexpr std::size_t refs_offset() noexcept { return offsetof(cancellation_state, refs_); }
};

// The ABI hands out the word as `const uint32_t*`: the atomic must be exactly that word.
static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
static_assert(alignof(std::atomic<uint32_t>) == alignof(uint32_t));
static_assert(std::atomic<uint32_t>::is_always_lock_free);

} // namespace enough::detail
