#include "objects/linked_state.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"
#include "objects/source_interface.hpp"
#include "objects/link_set.hpp"

namespace enough::detail {
namespace {

// True while `parent` may still cancel (or has): a parent that cannot is not followed.
bool may_cancel(gsl::not_null<enough_token *> parent) noexcept {
    return is_own_token(parent) ? cancellation_state::from(parent)->may_cancel()
                                : parent->vtbl->may_cancel(parent) != 0;
}

// A new state linked to the parents, of either kind (`follows`: a linked token).
enough_result link_new_state(gsl::span<void *const> parents, parent_filter accept, bool follows,
                             gsl::owner<cancellation_state *> *out) noexcept {
    *out = nullptr;
    cancellation_state *const child = new_cancellation_state();
    link_set *const links =
        child != nullptr && (follows || !parents.empty()) ? link_set::create(parents.size(), child)
                                                          : nullptr;
    if (child == nullptr || ((follows || !parents.empty()) && links == nullptr)) {
        if (child != nullptr) {
            child->release_source_ref();
        }
        return ENOUGH_E_OUTOFMEMORY;
    }
    child->adopt_links(links, follows); // a linked source without parents has none
    for (std::size_t i = 0; i < parents.size(); ++i) {
        link_set::link &slot = links->links()[i];
        enough_token *const parent = accept(parents[i]);
        if (parent == nullptr) {
            link_set::parent_gone(slot); // never cancels, or refused by the caller's check
            continue;
        }
        parent->vtbl->add_ref(parent);
        // A parent already cancelled runs the link now: the child starts cancelled.
        if (is_own_token(parent)) {
            slot.parent = parent; // before listing: destroying the set unlists it then
            cancellation_state::from(parent)->listen(&slot.node);
        } else if (enough_result linked = foreign_token_register(
                       parent, cancellation_state::link_fired, &slot, &slot.registration);
                   linked == ENOUGH_OK && slot.is_foreign()) {
            slot.parent = parent;
        } else {
            if (linked == ENOUGH_OK) {
                linked = ENOUGH_E_UNEXPECTED; // "registered" without a registration
            }
            parent->vtbl->release(parent);
            // Unlinks what was linked and frees the child (nobody else holds it).
            follows ? child->stop_following() : static_cast<void>(child->release_source_ref());
            return linked;
        }
        // Registered before this looks: a parent orphaned since is counted here, or by
        // its own orphaning (which sees the registration), once either way.
        if (!may_cancel(parent)) {
            link_set::parent_gone(slot);
        }
    }
    *out = child;
    return ENOUGH_OK;
}

} // namespace

enough_result create_linked_state(gsl::span<void *const> parents, parent_filter accept,
                                  gsl::owner<cancellation_state *> *out) noexcept {
    const enough_result result = link_new_state(parents, accept, false, out);
    if (result == ENOUGH_OK) {
        (*out)->finish_linking(); // counts its parents, should it be abandoned later
    }
    return result;
}

enough_result create_linked_token(gsl::span<void *const> parents, parent_filter accept,
                                  enough_token **out) noexcept {
    *out = nullptr;
    cancellation_state *child = nullptr;
    const enough_result result = link_new_state(parents, accept, true, &child);
    if (result != ENOUGH_OK) {
        return result;
    }
    *out = source_methods::new_token(child->source_face()); // the caller's reference
    child->finish_linking(); // orphans it now if no parent may cancel
    return ENOUGH_OK;
}

} // namespace enough::detail
