// Flat enough_token_* functions: thin adapters over enough_token.
#include "any_token.hpp"
#include "handles.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_token_create(void *source) {
    enough_token *token = never_token(); // what NULL (or a token) gets
    const enough_result result =
        call<enough_source, &enough_source_vtbl::get_token, source_methods::get_token<enough_source>>(
            source, ENOUGH_OK, &token);
    return result == ENOUGH_OK ? token : nullptr;
}

ENOUGH_API void *enough_token_create_never(void) { return never_token(); }

ENOUGH_API void *enough_token_clone(void *token) {
    enough_token *const face = accept<enough_token>(token);
    if (face != nullptr) {
        call<enough_token, &enough_token_vtbl::add_ref, token_methods::add_ref<enough_token>>(face, 0u);
    }
    return face;
}

ENOUGH_API bool enough_token_is_cancelled(void *token) {
    return call<enough_token, &enough_token_vtbl::is_cancelled, token_methods::is_cancelled<enough_token>>(
               token, 0) != 0;
}

ENOUGH_API bool enough_token_may_cancel(void *token) {
    return call<enough_token, &enough_token_vtbl::may_cancel, token_methods::may_cancel<enough_token>>(
               token, 0) != 0;
}

ENOUGH_API void enough_token_destroy(void *token) {
    call<enough_token, &enough_token_vtbl::release, token_methods::release<enough_token>>(token, 0u);
}

} // extern "C"

// ---- reasons, callbacks, waiting, fd (enough_token2) ------------------------------

extern "C" {

ENOUGH_API int32_t enough_token_reason(void *token) {
    enough_token *const face = accept<enough_token>(token);
    return face != nullptr ? any_token_reason(face) : ENOUGH_REASON_NONE;
}

ENOUGH_API void *enough_token_register(void *token,
                                       void(ENOUGH_CALL *callback)(void *user_data, int32_t reason),
                                       void *user_data) {
    enough_token *const face = accept<enough_token>(token);
    if (face == nullptr || callback == nullptr) {
        return nullptr;
    }
    enough_unknown *registration = nullptr;
    const enough_result result =
        is_own_token(face)
            ? cancellation_state::from(face)->register_callback(callback, user_data, &registration)
            : any_token_register(face, callback, user_data, &registration);
    return result == ENOUGH_OK ? registration : nullptr;
}

ENOUGH_API void enough_registration_destroy(void *registration) {
    auto *const face = static_cast<enough_unknown *>(registration);
    if (face == nullptr) {
        return;
    }
    if (face->vtbl == &registration_vtable) [[likely]] {
        callback_registration::from(face)->release();
    } else {
        face->vtbl->release(face);
    }
}

ENOUGH_API bool enough_token_wait(void *token, int64_t timeout_ms) {
    enough_token *const face = accept<enough_token>(token);
    return face != nullptr && any_token_wait(face, timeout_ms);
}

ENOUGH_API int enough_token_fd(void *token) {
    enough_token *const face = accept<enough_token>(token);
    return face != nullptr ? any_token_fd(face) : -1;
}

} // extern "C"
