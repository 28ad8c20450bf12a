#include "objects/callback_registry.hpp"

#include "objects/query.hpp"
#include "platform/wait_word.hpp"
#include "runtime/misuse_guard.hpp"
#include "runtime/object_pool.hpp"

#include <new>
#include <thread>

namespace enough::detail {
namespace {

// The callbacks running on this thread, innermost first (a callback may cancel
// another source whose callbacks then run nested inside it).
struct running_frame {
    const registry_node *node;
    const running_frame *outer;
};
ENOUGH_FAST_TLS thread_local const running_frame *running_here = nullptr; // no call to reach it

callback_registration *self(enough_unknown *face) noexcept {
    return callback_registration::from(face);
}
enough_result ENOUGH_CALL registration_query_interface(enough_unknown *face, const enough_iid *iid,
                                                       void **out) noexcept {
    return answer_query(face, iid, out, {&ENOUGH_IID_UNKNOWN});
}
uint32_t ENOUGH_CALL registration_add_ref(enough_unknown *face) noexcept {
    misuse_guard::acquired(face, handle_kind::registration, "enough_unknown_vtbl.add_ref");
    return self(face)->add_ref();
}
uint32_t ENOUGH_CALL registration_release(enough_unknown *face) noexcept {
    misuse_guard::released(face, handle_kind::registration, "enough_unknown_vtbl.release");
    return self(face)->release();
}
} // namespace

const enough_unknown_vtbl registration_vtable = {
    checked_entry<"enough_unknown_vtbl.query_interface", registration_query_interface>::entry,
    registration_add_ref, registration_release};

bool is_running_on_this_thread(const registry_node *node) noexcept {
    for (const running_frame *frame = running_here; frame != nullptr; frame = frame->outer) {
        if (frame->node == node) {
            return true;
        }
    }
    return false;
}

gsl::owner<callback_registration *> callback_registration::create(callback_registry *registry,
                                                                  enough_callback_fn callback,
                                                                  void *user_data) noexcept {
    // It holds the owner's memory once the registry counts it (in add).
    return new (std::nothrow) callback_registration(registry, callback, user_data);
}

callback_registration::callback_registration(callback_registry *registry,
                                             enough_callback_fn callback,
                                             void *user_data) noexcept
    : face_{&registration_vtable}, callback_(callback), user_data_(user_data), registry_(registry) {}

uint32_t callback_registration::release() noexcept {
    return unregister_on_last(true).last ? 0 : 1; // informational count
}

bool callback_registration::release_without_waiting() noexcept {
    const unregistered result = unregister_on_last(false);
    return result.last && result.before_it_ran;
}

callback_registration::unregistered callback_registration::unregister_on_last(bool wait) noexcept {
    // The only reference (the usual case: one owner): no read-modify-write needed.
    const bool last = refs_.load(std::memory_order_acquire) == 1 ||
                      refs_.fetch_sub(1, std::memory_order_acq_rel) == 1;
    if (!last) {
        return {false, false};
    }
    if (registry_ == nullptr) {
        destroy();
        return {true, true}; // registered on a token that can never cancel: never ran
    }
    callback_registry *const registry = registry_;
    const callback_registry::removal removal = registry->remove(&node_, wait);
    if (removal.free_node) {
        destroy();
    }
    if (removal.free_state) {
        free_registry_owner(registry);
    }
    return {true, removal.before_it_ran};
}

void callback_registration::destroy() noexcept { delete this; }


// ---- a node ------------------------------------------------------------------------
void registry_node::invoke(int32_t reason) noexcept {
    const running_frame frame{this, running_here};
    running_here = &frame;
    if (kind_ == kind::link) {
        fire_link(this, reason);
    } else {
        callback_registration::from(this)->call(reason);
    }
    running_here = frame.outer;
}

void registry_node::destroy() noexcept {
    if (kind_ == kind::link) {
        free_link(this);
    } else {
        callback_registration::from(this)->destroy();
    }
}


// ---- the registry ------------------------------------------------------------------
uint32_t callback_registry::lock() noexcept {
    for (int spins = 0;; ++spins) {
        uint32_t word = lock_and_holders_.load(std::memory_order_relaxed);
        if ((word & locked) == 0 &&
            // seq_cst, not only acquire: add() then loads the word, and cancel_async
            // stores the word and then loads this one without locking (a Dekker pair).
            lock_and_holders_.compare_exchange_weak(word, word | locked, std::memory_order_seq_cst,
                                                    std::memory_order_relaxed)) {
            return word;
        }
        if (spins > 64) {
            std::this_thread::yield(); // held only for list operations, never user code
        }
    }
}

bool callback_registry::add(registry_node *node,
                            const std::atomic<uint32_t> &word) noexcept {
    const uint32_t uncounted = lock();
    const uint32_t counted = uncounted + holder_unit; // this registration holds the memory
    // Checked under the lock: cancel stores the word before it takes the lock to run
    // the list, so a node is either seen by the runner or run by its registrar.
    if (word.load(std::memory_order_seq_cst) != ENOUGH_REASON_NONE) {
        // A link its registrar runs now is done at once: it holds nothing (see remove).
        unlock(node->kind_ == registry_node::kind::link ? uncounted : counted);
        return false;
    }
    if (head_ == nullptr) {
        node->prev_ = node->next_ = node;
        head_ = node;
    } else {
        registry_node *tail = head_->prev_;
        node->prev_ = tail;
        node->next_ = head_;
        tail->next_ = node;
        head_->prev_ = node;
    }
    node->set_phase(phase::listed);
    unlock(counted);
    return true;
}

void callback_registry::unlink(registry_node *node) noexcept {
    if (node->next_ == node) {
        head_ = nullptr;
    } else {
        node->prev_->next_ = node->next_;
        node->next_->prev_ = node->prev_;
        if (head_ == node) {
            head_ = node->next_;
        }
    }
}

void callback_registry::run_all(int32_t reason) noexcept {
    for (;;) {
        uint32_t word = lock();
        registry_node *node = head_;
        if (node == nullptr) {
            unlock(word);
            return;
        }
        unlink(node); // in registration order
        node->set_phase(phase::running);
        unlock(word);

        node->invoke(reason); // no lock held while user code runs

        word = lock();
        const bool destroyed_inside = node->destroy_after_run_;
        const bool awaited = node->awaited_;
        const bool link = node->kind_ == registry_node::kind::link;
        node->set_phase(phase::done); // a link's owner may free it from here on (remove)
        if (destroyed_inside || link) {
            // Its owner let go from inside the callback (drop its holder and free it
            // here), or a link is done (it holds nothing from now: see remove). Never
            // the last holder: this thread holds a reference.
            drop_holder(word);
        }
        unlock(word);
        if (destroyed_inside) {
            node->destroy();
        } else if (awaited) {
            // The waiter may already have seen `done` and freed the node: waking its
            // address is harmless (the kernel only hashes it) and nothing else touches it.
            word_wake_all(node->phase_);
        }
    }
}

callback_registry::removal callback_registry::remove_locked(registry_node *node, bool wait) noexcept {
    uint32_t word = lock();
    removal result{true, false, false};
    switch (node->current_phase()) {
    case phase::listed:
        unlink(node);
        node->set_phase(phase::idle);
        result.before_it_ran = true;
        break;
    case phase::running:
        if (!wait || is_running_on_this_thread(node)) {
            node->destroy_after_run_ = true; // the runner drops its holder and frees it
            unlock(word);
            return {false, false, false};
        }
        node->awaited_ = true;
        unlock(word);
        // Another thread runs it: wait for it to finish (std::stop_callback's rule).
        while (node->current_phase() == phase::running) {
            word_wait(node->phase_, static_cast<uint32_t>(phase::running), -1);
        }
        word = lock();
        break;
    case phase::idle:
        result.before_it_ran = true; // listed on nothing (the state can never cancel)
        break;
    case phase::done:
        break;
    }
    result.free_state = !is_done_link(node) && drop_holder(word); // (a link that ran meanwhile)
    unlock(word); // the last access to the state's memory
    return result;
}

bool callback_registry::drop_references_holder() noexcept {
    // The only holder, and nobody in the lock: no registration can appear (registering
    // takes a reference), so no read-modify-write is needed.
    if (lock_and_holders_.load(std::memory_order_acquire) == holder_unit) {
        return true;
    }
    uint32_t word = lock();
    const bool last = drop_holder(word);
    unlock(word);
    return last;
}

} // namespace enough::detail
