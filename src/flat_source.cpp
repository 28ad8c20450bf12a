// Flat enough_cancellation_* functions: thin adapters over enough_source(2).
// Every refusal or failure is recorded for enough_last_error, under the function's name.
#include "any_token.hpp"
#include "handles.hpp"
#include "last_error.hpp"
#include "link_set.hpp"

#include <enough/enough.h>

using namespace enough::detail;

namespace {

// Calls `use` on the source's enough_source2: directly for the library's own sources,
// through query_interface for foreign ones; `fallback` when there is none (or NULL).
template <class Use, class Fallback>
auto with_source2(const char *function, void *handle, Use use, Fallback fallback) noexcept {
    enough_source *const face = accept<enough_source>(function, handle);
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

ENOUGH_HOT_ENTRY ENOUGH_API void *enough_cancellation_create(void) {
    cancellation_state *const state = cancellation_state::create();
    if (state == nullptr) {
        set_last_error(__func__, "out of memory");
        return nullptr;
    }
    misuse_guard::handed_out(state->source_face());
    return state->source_face();
}

ENOUGH_HOT_ENTRY ENOUGH_API void enough_cancellation_cancel(void *source) {
    call<enough_source, &enough_source_vtbl::cancel, source_methods::cancel<enough_source>>(
        __func__, source, 0);
}

ENOUGH_API bool enough_cancellation_is_cancelled(void *source) {
    return call<enough_source, &enough_source_vtbl::is_cancelled,
                source_methods::is_cancelled<enough_source>>(__func__, source, false);
}

ENOUGH_HOT_ENTRY ENOUGH_API void enough_cancellation_destroy(void *source) {
    if (source != nullptr) { // NULL: a documented no-op, like free(NULL)
        call<enough_source, &enough_source_vtbl::release, source_methods::release<enough_source>>(
            __func__, source, 0u);
    }
}

ENOUGH_API bool enough_cancellation_cancel_with_reason(void *source, int32_t reason) {
    const char *const function = __func__; // inside the lambdas __func__ is "operator()"
    if (reason <= ENOUGH_REASON_NONE) {
        set_last_error(__func__, "the reason must be greater than 0");
        return false;
    }
    return with_source2(
        __func__, source,
        [&](enough_source2 *s) { return s->vtbl->cancel_with_reason(s, reason) != 0; },
        [&](enough_source *s) {
            if (s != nullptr && reason != ENOUGH_REASON_CANCELLED) {
                set_last_error(function, "the foreign source takes no reason but 1 (cancelled)");
                return false;
            }
            return s != nullptr && s->vtbl->cancel(s) != 0;
        });
}

ENOUGH_API int32_t enough_cancellation_reason(void *source) {
    return with_source2(
        __func__, source, [](enough_source2 *s) { return s->vtbl->reason(s); },
        [](enough_source *s) {
            return s != nullptr && s->vtbl->is_cancelled(s) != 0 ? ENOUGH_REASON_CANCELLED
                                                                 : ENOUGH_REASON_NONE;
        });
}

ENOUGH_API bool enough_cancellation_cancel_after(void *source, uint64_t milliseconds) {
    const char *const function = __func__; // inside the lambdas __func__ is "operator()"
    return with_source2(
        __func__, source,
        [&](enough_source2 *s) {
            const enough_result result = s->vtbl->cancel_after(s, milliseconds);
            if (result != ENOUGH_OK) {
                set_last_error(function, result == ENOUGH_E_CANCELLED
                                             ? "the source is already cancelled"
                                             : "out of memory (or no timer thread)");
            }
            return result == ENOUGH_OK;
        },
        [&](enough_source *s) {
            if (s != nullptr) {
                set_last_error(function, "the foreign source has no deadlines (enough_source2)");
            }
            return false;
        });
}

ENOUGH_API void *enough_cancellation_create_linked(void *const *tokens, size_t count) {
    if (tokens == nullptr && count > 0) {
        set_last_error(__func__, "tokens is NULL but count is not 0");
        return nullptr;
    }
    cancellation_state *const child = cancellation_state::create();
    link_set *const links = child != nullptr && count > 0 ? link_set::create(count) : nullptr;
    if (child == nullptr || (count > 0 && links == nullptr)) {
        set_last_error(__func__, "out of memory");
        if (child != nullptr) {
            child->release_source_ref();
        }
        return nullptr;
    }
    child->adopt_links(links); // none when count is 0: then the loop does nothing

    const gsl::span<void *const> parents(tokens, count);
    for (std::size_t i = 0; i < count; ++i) {
        if (parents[i] == nullptr) {
            continue; // a NULL parent never cancels: nothing to link
        }
        enough_token *const parent = accept<enough_token>(__func__, parents[i]);
        if (parent == nullptr) {
            continue; // a source among the parents: refused and recorded, not linked
        }
        // A parent already cancelled runs link_fired now: the child starts cancelled.
        if (any_token_register(parent, link_fired, child, &links->registrations()[i]) !=
            ENOUGH_OK) {
            set_last_error(__func__, "out of memory");
            child->release_source_ref(); // unlinks what was linked, frees the child
            return nullptr;
        }
    }
    misuse_guard::handed_out(child->source_face());
    return child->source_face();
}

} // extern "C"
