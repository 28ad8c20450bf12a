#include "objects/callback_registration.hpp"

#include "objects/cancellation_state.hpp"
#include "runtime/misuse_guard.hpp"
#include "runtime/object_pool.hpp"
#include "objects/query.hpp"

#include <new>

namespace enough::detail {
namespace {

// The callbacks running on this thread, innermost first (a callback may cancel
// another source whose callbacks then run nested inside it).
struct running_frame {
    const callback_registration *registration;
    const running_frame *outer;
};
thread_local const running_frame *running_here = nullptr;

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

bool is_running_on_this_thread(const callback_registration *registration) noexcept {
    for (const running_frame *frame = running_here; frame != nullptr; frame = frame->outer) {
        if (frame->registration == registration) {
            return true;
        }
    }
    return false;
}

gsl::owner<callback_registration *> callback_registration::create(cancellation_state *state,
                                                                  enough_callback_fn callback,
                                                                  void *user_data) noexcept {
    // It holds the state's memory once the registry counts it (in add).
    return new (std::nothrow) callback_registration(state, callback, user_data);
}

callback_registration::callback_registration(cancellation_state *state,
                                             enough_callback_fn callback,
                                             void *user_data) noexcept
    : face_{&registration_vtable}, callback_(callback), user_data_(user_data), state_(state) {}

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
    if (state_ == nullptr) {
        destroy();
        return {true, true}; // registered on a token that can never cancel: never ran
    }
    cancellation_state *const state = state_;
    const callback_registry::removal removal = state->callbacks().remove(this, wait);
    if (removal.free_node) {
        destroy();
    }
    if (removal.free_state) {
        cancellation_state::free_memory(state);
    }
    return {true, removal.before_it_ran};
}

void callback_registration::invoke(int32_t reason) noexcept {
    const running_frame frame{this, running_here};
    running_here = &frame;
    callback_(user_data_, reason);
    running_here = frame.outer;
}

void callback_registration::destroy() noexcept { delete this; }

} // namespace enough::detail
