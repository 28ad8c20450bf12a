#include "objects/linked_source.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"
#include "objects/source_interface.hpp"
#include "objects/link_set.hpp"

namespace enough::detail {
namespace {
void ENOUGH_CALL link_fired(void *child, int32_t reason) {
    static_cast<cancellation_state *>(child)->cancel_through_link(reason);
}
} // namespace

enough_result create_linked_state(gsl::span<void *const> parents, parent_filter accept,
                                  gsl::owner<cancellation_state *> *out) noexcept {
    *out = nullptr;
    cancellation_state *const child = new_cancellation_state();
    link_set *const links =
        child != nullptr && !parents.empty() ? link_set::create(parents.size()) : nullptr;
    if (child == nullptr || (!parents.empty() && links == nullptr)) {
        if (child != nullptr) {
            child->release_source_ref();
        }
        return ENOUGH_E_OUTOFMEMORY;
    }
    child->adopt_links(links); // none without parents: the loop then does nothing
    for (std::size_t i = 0; i < parents.size(); ++i) {
        enough_token *const parent = accept(parents[i]);
        if (parent == nullptr) {
            continue; // never cancels, or refused by the caller's check: nothing to link
        }
        link_set::link &slot = links->links()[i];
        parent->vtbl->add_ref(parent);
        slot.parent = parent;
        // A parent already cancelled runs link_fired now: the child starts cancelled.
        const enough_result linked = any_token_register(parent, link_fired, child, &slot.registration);
        if (linked != ENOUGH_OK) {
            child->release_source_ref(); // unlinks what was linked, frees the child
            return linked;
        }
    }
    *out = child;
    return ENOUGH_OK;
}

} // namespace enough::detail
