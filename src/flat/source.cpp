// Flat enough_cancellation_* functions: thin adapters over enough_source(2), in the
// two forms of flat/handles.hpp. Every refusal or failure is recorded for
// enough_last_error(_code), under the function's name.
#include "flat/handles.hpp"
#include "objects/any_source.hpp"
#include "flat/linked_parents.hpp"
#include "runtime/last_error.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_HOT_ENTRY ENOUGH_API void *enough_cancellation_create(void) {
    cancellation_state *const state = new_cancellation_state();
    if (state == nullptr) {
        set_last_error(__func__, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory");
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

ENOUGH_API void enough_cancellation_abandon(void *source) {
    if (source != nullptr) { // NULL: a no-op, as for enough_cancellation_destroy
        call<enough_source, &enough_source_vtbl::release, source_methods::abandon<enough_source>>(
            __func__, source, 0u);
    }
}

ENOUGH_API bool enough_cancellation_cancel_with_reason(void *source, int32_t reason) {
    if (reason <= ENOUGH_REASON_NONE) {
        set_last_error(__func__, ENOUGH_ERROR_BAD_ARGUMENT, "the reason must be greater than 0");
        return false;
    }
    enough_source *const face = accept<enough_source>(__func__, source);
    if (face == nullptr) {
        return false;
    }
    const enough_result result = any_source_cancel(face, reason);
    if (result == ENOUGH_E_NOTIMPL) {
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED,
                       "the foreign source takes no reason but 1 (cancelled)");
    }
    return result == ENOUGH_OK; // losing to an earlier cancel is no refusal
}

ENOUGH_API bool enough_cancellation_cancel_async(void *source, int32_t reason) {
    // Async-signal-safe: compares and atomics, no misuse check (a lock in hardened
    // builds) and no enough_last_error (thread-local storage may allocate on first use
    // in a dlopen'ed library).
    auto *const face = static_cast<enough_source *>(source);
    if (face == nullptr || reason <= ENOUGH_REASON_NONE || is_wrong_kind(face)) {
        return false;
    }
    return any_source_cancel_async(face, reason) == ENOUGH_OK;
}

ENOUGH_API bool enough_cancellation_try_reset(void *source) {
    enough_source *const face = accept<enough_source>(__func__, source);
    if (face == nullptr) {
        return false;
    }
    if (!is_own_source(face)) {
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED, "a foreign source cannot be reset");
        return false;
    }
    return cancellation_state::from(face)->try_reset();
}

ENOUGH_API int32_t enough_cancellation_reason(void *source) {
    enough_source *const face = accept<enough_source>(__func__, source);
    return face != nullptr ? any_source_reason(face) : ENOUGH_REASON_NONE;
}

ENOUGH_API bool enough_cancellation_cancel_after(void *source, uint64_t milliseconds) {
    enough_source *const face = accept<enough_source>(__func__, source);
    if (face == nullptr) {
        return false;
    }
    switch (any_source_cancel_after(face, milliseconds)) {
    case ENOUGH_OK:
        return true;
    case ENOUGH_E_CANCELLED:
        set_last_error(__func__, ENOUGH_ERROR_ALREADY_CANCELLED,
                       "the source is already cancelled");
        return false;
    case ENOUGH_E_NOTIMPL:
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED,
                       "the foreign source has no deadlines (enough_source2)");
        return false;
    case ENOUGH_E_OUTOFMEMORY:
        set_last_error(__func__, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory (or the library's thread could not start)");
        return false;
    default:
        set_last_error(__func__, ENOUGH_ERROR_FOREIGN_FAILURE,
                       "the foreign source's cancel_after failed");
        return false;
    }
}

ENOUGH_API void *enough_cancellation_create_linked(void *const *tokens, size_t count) {
    static constexpr char function[] = "enough_cancellation_create_linked";
    cancellation_state *const child =
        link_for_flat_call<function, cancellation_state>(tokens, count, create_linked_state);
    if (child == nullptr) {
        return nullptr;
    }
    misuse_guard::handed_out(child->source_face());
    return child->source_face();
}

} // extern "C"
