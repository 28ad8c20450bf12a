// Flat enough_cancellation_* functions: thin adapters over enough_source.
#include "any_token.hpp"
#include "handles.hpp"
#include "link_set.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_cancellation_create(void) {
    cancellation_state *const state = cancellation_state::create();
    return state != nullptr ? state->source_face() : nullptr;
}

ENOUGH_API void enough_cancellation_cancel(void *source) {
    call<enough_source, &enough_source_vtbl::cancel, source_methods::cancel<enough_source>>(source, 0);
}

ENOUGH_API bool enough_cancellation_is_cancelled(void *source) {
    return call<enough_source, &enough_source_vtbl::is_cancelled, source_methods::is_cancelled<enough_source>>(
               source, 0) != 0;
}

ENOUGH_API void enough_cancellation_destroy(void *source) {
    call<enough_source, &enough_source_vtbl::release, source_methods::release<enough_source>>(source, 0u);
}

} // extern "C"

// ---- reasons, deadlines, links (enough_source2) ---------------------------------

namespace {

// Calls `use` on the source's enough_source2: directly for the library's own sources,
// through query_interface for foreign ones; `fallback` when there is none (or NULL).
template <class Use, class Fallback>
auto with_source2(void *handle, Use use, Fallback fallback) noexcept {
    enough_source *const face = accept<enough_source>(handle);
    if (face == nullptr) {
        return fallback(nullptr);
    }
    if (is_own_source(face)) {
        return use(reinterpret_cast<enough_source2 *>(face));
    }
    return with_interface<enough_source2>(face, ENOUGH_IID_SOURCE2, use,
                                          [&] { return fallback(face); });
}

void ENOUGH_CALL link_fired(void *child, int32_t reason) {
    static_cast<cancellation_state *>(child)->cancel(reason);
}

} // namespace

extern "C" {

ENOUGH_API bool enough_cancellation_cancel_with_reason(void *source, int32_t reason) {
    if (reason <= ENOUGH_REASON_NONE) {
        return false;
    }
    return with_source2(
        source, [&](enough_source2 *s) { return s->vtbl->cancel_with_reason(s, reason) != 0; },
        [&](enough_source *s) {
            // A foreign source without reasons can still cancel plainly.
            return s != nullptr && reason == ENOUGH_REASON_CANCELLED && s->vtbl->cancel(s) != 0;
        });
}

ENOUGH_API int32_t enough_cancellation_reason(void *source) {
    return with_source2(
        source, [](enough_source2 *s) { return s->vtbl->reason(s); },
        [](enough_source *s) {
            return s != nullptr && s->vtbl->is_cancelled(s) != 0 ? ENOUGH_REASON_CANCELLED
                                                                 : ENOUGH_REASON_NONE;
        });
}

ENOUGH_API bool enough_cancellation_cancel_after(void *source, uint64_t milliseconds) {
    return with_source2(
        source, [&](enough_source2 *s) { return s->vtbl->cancel_after(s, milliseconds) == ENOUGH_OK; },
        [](enough_source *) { return false; });
}

ENOUGH_API void *enough_cancellation_create_linked(void *const *tokens, size_t count) {
    if (tokens == nullptr && count > 0) {
        return nullptr;
    }
    cancellation_state *const child = cancellation_state::create();
    if (child == nullptr || count == 0) {
        return child != nullptr ? child->source_face() : nullptr;
    }
    link_set *const links = link_set::create(count);
    if (links == nullptr) {
        child->release_source_ref();
        return nullptr;
    }
    child->adopt_links(links);
    const gsl::span<void *const> parents(tokens, count);
    for (std::size_t i = 0; i < count; ++i) {
        enough_token *const parent = accept<enough_token>(parents[i]);
        if (parent == nullptr) {
            continue; // a NULL parent never cancels: nothing to link
        }
        // A parent already cancelled runs link_fired now: the child starts cancelled.
        if (any_token_register(parent, link_fired, child, &links->registrations()[i]) !=
            ENOUGH_OK) {
            child->release_source_ref(); // unlinks what was linked, frees the child
            return nullptr;
        }
    }
    return child->source_face();
}

} // extern "C"
