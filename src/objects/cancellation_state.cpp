#include "objects/cancellation_state.hpp"

#include "objects/link_set.hpp"
#include "objects/query.hpp"
#include "objects/orphan_notice.hpp"
#include "platform/wait_word.hpp"
#include "runtime/cascade.hpp"
#include "runtime/object_pool.hpp"
#include "runtime/posted_work.hpp"
#include "runtime/time_limit.hpp"
#include "runtime/timer_queue.hpp"

#include <chrono>
#include <new>
#include <unordered_set>
#include <thread>
#include <utility>
#include <vector>

namespace enough::detail {
namespace {

// The library's thread, when an armed deadline falls: the timer held one reference.
void fire_deadline(void *target) noexcept {
    auto *const state = static_cast<cancellation_state *>(target);
    state->cancel(ENOUGH_REASON_TIMED_OUT);
    state->release();
}

// A linked token whose last parent that could cancel no longer can: the parent held
// one reference for it.
void stop_following_deferred(void *target) noexcept {
    auto *const state = static_cast<cancellation_state *>(target);
    state->parents_gone();
    state->release();
}

// The library's thread, for a cancel_async: the post held one reference.
void run_posted(void *target) noexcept {
    auto *const state = static_cast<cancellation_state *>(target);
    state->run_posted_callbacks();
    state->release();
}

} // namespace

void free_registry_owner(callback_registry *registry) noexcept {
    cancellation_state::free_memory(cancellation_state::from_registry(registry));
}

gsl::owner<cancellation_state *> cancellation_state::create(const enough_source_vtbl *source_faces,
                                                            const enough_token_vtbl *token_faces) noexcept {
    return new (std::nothrow) cancellation_state(source_faces, token_faces);
}

cancellation_state::cancellation_state(const enough_source_vtbl *source_faces,
                                       const enough_token_vtbl *token_faces) noexcept
    : source_face_{source_faces}, token_face_{token_faces} {}

cancellation_state::~cancellation_state() {
    if (const waitable_event event = event_.load(std::memory_order_relaxed);
        event != no_waitable_event) {
        waitable_event_close(event);
    }
}

uint32_t cancellation_state::release_last() noexcept {
    if (callbacks_.drop_references_holder()) { // the memory rule (callback_registry.hpp)
        delete this;
    }
    return 0;
}

uint32_t cancellation_state::release_source_ref() noexcept {
    // The only reference of any kind (one source, no token, registration, deadline or
    // waiter): nobody can observe the orphaning, so the state just goes. (A registration
    // may be a linked token's link, which must learn of it: see on_orphaned.)
    if (refs_.load(std::memory_order_acquire) == 1 &&
        control_.load(std::memory_order_acquire) >> source_ref_shift == 1 &&
        !callbacks_.has_registrations()) {
        if (links_ != nullptr) {
            link_set::destroy(std::exchange(links_, nullptr));
        }
        return release(); // the sources' shared reference, the last one
    }
    const uint32_t left =
        (control_.fetch_sub(source_ref_unit, std::memory_order_seq_cst) >> source_ref_shift) - 1;
    if (left == 0) {
        on_orphaned();
        release(); // the sources' shared reference
    }
    return left;
}

uint32_t cancellation_state::release_follower() noexcept {
    uint32_t refs = refs_.load(std::memory_order_acquire);
    for (;;) {
        if (refs == 1) {
            return release_last();
        }
        if (refs == 2 && (control_.load(std::memory_order_acquire) & parents_hold) != 0) {
            // Ours and the parents' hold: nobody else can reach the token, so it stops
            // following (ours keeps the memory meanwhile), then ours goes.
            if (drop_unshared_hold()) {
                return release_last();
            }
            stop_following();
            refs = refs_.load(std::memory_order_acquire);
            continue;
        }
        if (refs_.compare_exchange_weak(refs, refs - 1, std::memory_order_acq_rel,
                                        std::memory_order_acquire)) {
            return refs - 1;
        }
    }
}

bool cancellation_state::drop_unshared_hold() noexcept {
    // Nothing registered, no deadline and no source but the hold: as in
    // release_source_ref's only-reference case, nobody can observe the orphaning, so the
    // hold and its source reference go in one step, and the links with no lock (their
    // other readers, remaining_ms and abandon_source_ref, need a reference we hold).
    uint32_t control = control_.load(std::memory_order_acquire);
    for (;;) {
        if ((control & (parents_hold | deadline_armed)) != parents_hold ||
            control >> source_ref_shift != 1 || callbacks_.has_registrations()) {
            return false; // taken by a parent's going, or shared: stop_following's way
        }
        if (control_.compare_exchange_weak(control, (control & ~parents_hold) - source_ref_unit,
                                           std::memory_order_acq_rel, std::memory_order_acquire)) {
            break;
        }
    }
    if (links_ != nullptr) {
        link_set::destroy(std::exchange(links_, nullptr)); // waits out a link running elsewhere
    }
    // Such a link may have taken a reference (a cancel it deferred): then the hold's
    // goes as any other, and the last one frees the state.
    if (refs_.load(std::memory_order_acquire) == 2) {
        return true; // ours and the hold's: the caller frees the state
    }
    release();
    return false;
}

void cancellation_state::adopt_links(gsl::owner<link_set *> links, bool follows) noexcept {
    links_ = links;
    if (follows) {
        control_.fetch_or(parents_hold, std::memory_order_relaxed); // not yet shared
    }
}

void cancellation_state::finish_linking() noexcept {
    if (links_ != nullptr && links_->finish_creation()) {
        parents_gone();
    }
}

void cancellation_state::parents_gone() noexcept {
    if ((control_.load(std::memory_order_acquire) & deadline_armed) == 0) {
        stop_following();
    }
}

uint32_t cancellation_state::abandon_source_ref() noexcept {
    const uint32_t control = control_.load(std::memory_order_acquire);
    const bool armed = (control & deadline_armed) != 0;
    // links_ is stable here: only the last source reference (ours) takes it out.
    const bool follows = links_ != nullptr && links_->any_parent_may_cancel();
    if (control >> source_ref_shift != 1 || (control & (cancel_claimed | parents_hold)) != 0 ||
        (!armed && !follows)) {
        return release_source_ref(); // not the last, cancelled, or nothing could cancel it
    }
    // Ours becomes the hold. A reference of our own meanwhile: its release, below, is
    // the last-but-the-hold check that every other release makes once the hold is
    // seen (one that was released before could not see it).
    add_ref();
    control_.fetch_or(parents_hold, std::memory_order_seq_cst);
    if (!armed) {
        // Once the hold is there, a parent's going may stop the following and destroy
        // the links at any moment: they are read under the lock that taking them out
        // takes (taken out already: that one stops the following, not us).
        bool last_gone = false;
        callbacks_.with_lock([&] { last_gone = links_ != nullptr && !links_->any_parent_may_cancel(); });
        if (last_gone) {
            parents_gone(); // the last parent went before the hold was there to see
        }
    }
    release();
    return 0;
}

void cancellation_state::stop_following() noexcept {
    if ((control_.fetch_and(~parents_hold, std::memory_order_acq_rel) & parents_hold) != 0) {
        release_source_ref(); // the hold was the one source reference
    }
}

void ENOUGH_CALL cancellation_state::link_fired(void *link, int32_t reason) noexcept {
    static_cast<link_set::link *>(link)->owner->child()->cancel_through_link(reason);
}

void fire_link(registry_node *link, int32_t reason) noexcept {
    cancellation_state::link_fired(link_set::link::from(link), reason);
}

callback_registry &registry_of_own_token(gsl::not_null<enough_token *> token) noexcept {
    return cancellation_state::from(token)->callbacks();
}

void cancellation_state::on_orphaned() noexcept {
    // Orphaning a follower orphans those following it, and so on down a chain: each
    // joins the cascade on this thread (a loop), as destroying the links does.
    const cascade::scope nested;
    wake_waiters(); // a waiter of an orphan returns false instead of hanging
    if ((control_.load(std::memory_order_acquire) & deadline_armed) != 0) {
        disarm_deadline();
    }
    if ((control_.load(std::memory_order_acquire) & cancel_claimed) == 0) {
        unlist_for_orphan();
    }
    if (link_set *links = take_links(); links != nullptr) {
        // After this no parent callback runs for this state (or is running).
        link_set::destroy(links);
    }
}

void cancellation_state::unlist_for_orphan() noexcept {
    // Orphaned unclaimed, it can never be claimed: nothing runs these callbacks. Each
    // link of a linked token is counted down under the lock (its link_set lives while
    // the link is listed); the last one's child is told after it. The callbacks of
    // objects/orphan_notice.hpp are called with reason 0.
    cancellation_state *follower = nullptr;
    const auto note = [&follower](registry_node *node) noexcept {
        link_set::link *link = nullptr;
        if (node->kind_ == registry_node::kind::link) {
            link = link_set::link::from(node);
        } else if (const callback_registration *registration = callback_registration::from(node);
                   registration->callback_function() == link_fired) {
            link = static_cast<link_set::link *>(registration->callback_data()); // a mirror's
        } else if (registration->callback_function() == watch_fired) {
            watch_fired(registration->callback_data(), ENOUGH_REASON_NONE); // objects/orphan_notice.hpp
        }
        if (link != nullptr && link_set::parent_gone(*link)) {
            follower = link->owner->child();
            follower->add_ref(); // for stop_following_deferred
        }
    };
    while (callbacks_.unlist_first(note)) {
        if (follower != nullptr && !cascade::defer(follower, stop_following_deferred)) {
            stop_following_deferred(follower); // out of memory: nested, then
        }
        follower = nullptr;
    }
}

bool cancellation_state::try_reset() noexcept {
    if ((control_.load(std::memory_order_acquire) & cancel_claimed) != 0 ||
        callbacks_.has_registrations()) {
        return false;
    }
    if ((control_.fetch_and(~deadline_armed, std::memory_order_acq_rel) & deadline_armed) != 0) {
        disarm_deadline();
    }
    return !is_cancelled(); // a deadline that fired meanwhile has won
}

gsl::owner<link_set *> cancellation_state::take_links() noexcept {
    link_set *links = nullptr;
    callbacks_.with_lock([&] { links = std::exchange(links_, nullptr); });
    return links;
}

int64_t cancellation_state::remaining_ms() noexcept {
    if (is_cancelled()) {
        return 0;
    }
    if (!may_cancel()) {
        return -1; // can never cancel: no deadline applies
    }
    // This state and its ancestors, walked with a work list (a chain of a million links
    // must not recurse), each parent once; a foreign parent is asked through its
    // interfaces. Each parent's reference is taken under the state's lock (orphaning
    // takes the links out under it) and released after: a foreign parent runs its own
    // code, never under our lock (the one foreign call there is add_ref, a count by
    // COM's rules).
    int64_t earliest = -1;
    const auto consider = [&earliest](int64_t ms) {
        if (ms >= 0 && (earliest < 0 || ms < earliest)) {
            earliest = ms;
        }
    };
    std::vector<enough_token *> parents;
    std::unordered_set<const enough_token *> seen;
    bool complete = true; // false once out of memory: what was found is the answer
    const auto visit = [&](cancellation_state *state) {
        steady_clock::time_point when{};
        if ((state->control_.load(std::memory_order_acquire) & deadline_armed) != 0 &&
            timer_queue::instance().when(state, &when)) {
            consider(milliseconds_until(when));
        }
        state->callbacks_.with_lock([&] {
            if (state->links_ == nullptr) {
                return;
            }
            for (const link_set::link &each : state->links_->links()) {
                try {
                    if (each.parent != nullptr && seen.insert(each.parent).second) {
                        parents.push_back(each.parent);
                        each.parent->vtbl->add_ref(each.parent);
                    }
                } catch (...) {
                    complete = false;
                }
            }
        });
    };
    visit(this);
    while (!parents.empty()) {
        enough_token *const parent = parents.back();
        parents.pop_back();
        if (earliest != 0 && complete) {
            if (parent->vtbl != token_face_.vtbl) {
                consider(ask_remaining_ms(parent)); // a foreign token
            } else if (cancellation_state *const state = from(parent); state->is_cancelled()) {
                consider(0);
            } else if (state->may_cancel()) {
                visit(state); // one of ours: its deadline and its own parents
            }
        }
        parent->vtbl->release(parent);
    }
    return earliest;
}

bool cancellation_state::claim_and_publish(int32_t reason) noexcept {
    if (reason <= ENOUGH_REASON_NONE) {
        return false;
    }
    uint32_t control = control_.load(std::memory_order_relaxed);
    do {
        if (!may_cancel(control) || (control & cancel_claimed) != 0) {
            return false; // already cancelled, or orphaned: nobody may cancel any more
        }
    } while (!control_.compare_exchange_weak(control, control | cancel_claimed,
                                             std::memory_order_seq_cst,
                                             std::memory_order_relaxed));
    word_.store(static_cast<uint32_t>(reason), std::memory_order_seq_cst);
    wake_waiters();
    signal_event(event_.load(std::memory_order_seq_cst));
    return true;
}

bool cancellation_state::cancel(int32_t reason, bool through_link) noexcept {
    if (!claim_and_publish(reason)) {
        return false;
    }
    run_callbacks(through_link);
    return true;
}

void cancellation_state::run_callbacks(bool through_link) noexcept {
    // Nothing listed (a child with no children and no callbacks: most of a wide tree):
    // nothing to run or defer. The word was stored (seq_cst) before this looks: a
    // registrar that did not see it under the registry's lock is counted here.
    if (!callbacks_.has_registrations()) {
        return;
    }
    // A reference of our own while they run (run_all's precondition): the caller's may
    // go meanwhile, released on another thread once the last callback has returned (as
    // a Python with-block closes a source whose threading.Timer is still in cancel()),
    // and the last registration's release would then free the list under the runner.
    add_ref();
    if (cascade::must_defer(through_link) && cascade::defer(this, run_deferred)) {
        return; // the deferred run releases it (out of memory: run here, nested)
    }
    const cascade::scope nested; // the outermost runs what is deferred before it goes
    callbacks_.run_all(reason());
    release();
}

void cancellation_state::run_deferred(void *target) noexcept {
    auto *const state = static_cast<cancellation_state *>(target);
    state->callbacks_.run_all(state->reason());
    state->release();
}

bool cancellation_state::cancel_async(int32_t reason) noexcept {
    if (!claim_and_publish(reason)) {
        return false;
    }
    // The word is stored (seq_cst) before this looks: a registrar that did not see it
    // under the registry's lock is counted here, and one that saw it runs its own.
    if (callbacks_.has_registrations()) {
        add_ref(); // the library's thread releases it once the callbacks have run
        posted_work::post(this);
    }
    return true;
}

void cancellation_state::wake_waiters() noexcept {
    if (waiters_.load(std::memory_order_seq_cst) != 0) {
        word_wake_all(control_);
    }
}

enough_result cancellation_state::register_callback(enough_callback_fn callback, void *user_data,
                                                    enough_unknown **registration) noexcept {
    if (registration == nullptr) {
        return ENOUGH_E_POINTER;
    }
    *registration = nullptr;
    if (callback == nullptr) {
        return ENOUGH_E_POINTER;
    }
    callback_registration *made = callback_registration::create(&callbacks_, callback, user_data);
    if (made == nullptr) {
        return ENOUGH_E_OUTOFMEMORY;
    }
    listen(made->node());
    *registration = made->face();
    return ENOUGH_OK;
}

void cancellation_state::listen(registry_node *node) noexcept {
    if (!callbacks_.add(node, word_)) {
        node->run_unlisted(reason()); // already cancelled: runs now, before we return
    } else {
        // Listed: a cancel_async may hand it to the library's thread, which must then
        // exist (cancel_async cannot start it). One load once it runs.
        posted_work::prepare(run_posted);
    }
}

bool cancellation_state::wait(int64_t timeout_ms) noexcept {
    if (is_cancelled()) {
        return true;
    }
    if (!may_cancel() || timeout_ms == 0) {
        return false;
    }
    const bool limited = timeout_ms > 0; // every negative timeout means "no limit"
    const auto deadline = limited ? time_after(static_cast<uint64_t>(timeout_ms))
                                  : steady_clock::time_point::max();
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    bool cancelled = false;
    for (;;) {
        const uint32_t control = control_.load(std::memory_order_seq_cst);
        if ((control & cancel_claimed) != 0) {
            // The winner is between claiming and publishing the word: a few instructions.
            while (!is_cancelled()) {
                std::this_thread::yield();
            }
            cancelled = true;
            break;
        }
        if (!may_cancel(control)) {
            break; // orphaned while we waited
        }
        int64_t left_ns = -1;
        if (limited) {
            left_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                          deadline - steady_clock::now())
                          .count();
            if (left_ns <= 0) {
                break;
            }
        }
        word_wait(control_, control, left_ns); // any change of control_ wakes us
    }
    waiters_.fetch_sub(1, std::memory_order_relaxed);
    return cancelled;
}

os_handle cancellation_state::event() noexcept {
    const waitable_event event = waitable_event_install_once(event_);
    if (event == no_waitable_event) {
        return no_os_handle;
    }
    // Installed (seq_cst) before this check; cancel stores the word before it reads
    // event_: one of the two signals it (twice is harmless: it just stays signalled).
    // seq_cst here too: an acquire load may pass the install's store on arm64 (LDAPR).
    if (word_.load(std::memory_order_seq_cst) != ENOUGH_REASON_NONE) {
        signal_event(event);
    }
    return waitable_event_handle(event);
}

void cancellation_state::signal_event(waitable_event event) noexcept {
    if (event != no_waitable_event) {
        waitable_event_signal(event);
    }
}

enough_result cancellation_state::cancel_after(uint64_t milliseconds) noexcept {
    if (is_cancelled() || !may_cancel()) {
        return ENOUGH_E_CANCELLED;
    }
    if (milliseconds == 0) {
        // Already due: cancel now, on this thread, as .NET's CancelAfter(0) does, so
        // the caller sees the token cancelled when this returns. An armed deadline has
        // nothing left to do.
        if ((control_.load(std::memory_order_acquire) & deadline_armed) != 0) {
            disarm_deadline();
        }
        cancel(ENOUGH_REASON_TIMED_OUT); // losing to a concurrent cancel is fine too
        return ENOUGH_OK;
    }
    control_.fetch_or(deadline_armed, std::memory_order_acq_rel);
    add_ref(); // the timer's, taken before it can fire
    bool newly = false;
    if (!timer_queue::instance().arm(this, fire_deadline, time_after(milliseconds), &newly)) {
        release();
        return ENOUGH_E_OUTOFMEMORY;
    }
    if (!newly) {
        release(); // re-armed: the timer holds one already
    }
    return ENOUGH_OK;
}

void cancellation_state::disarm_deadline() noexcept {
    if (timer_queue::instance().disarm(this)) {
        release(); // the timer's reference
    }
}

} // namespace enough::detail

namespace enough::detail {
// One 64-byte pool block; the word in the first half, the reference count in the second.
static_assert(sizeof(cancellation_state) == cancellation_state::layout_size);
static_assert(cancellation_state::word_offset() + sizeof(uint32_t) <= cancellation_state::half_line);
static_assert(cancellation_state::refs_offset() >= cancellation_state::half_line);
} // namespace enough::detail
