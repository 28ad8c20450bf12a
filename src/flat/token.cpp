// Flat enough_token_* functions: thin adapters over enough_token(2), in the two forms
// of flat/handles.hpp. Every refusal or failure is recorded for enough_last_error(_code).
#include "objects/any_token.hpp"
#include "flat/handles.hpp"
#include "flat/linked_parents.hpp"
#include "objects/imported_token.hpp"
#include "objects/never_token.hpp"
#include "objects/wait_handle.hpp"
#include "runtime/last_error.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

namespace {
// enough_token_create for anything but this library's own source, out of line: the
// fast path then needs no stack frame for the out parameter.
ENOUGH_NOINLINE void *token_of_other(void *source) noexcept {
    enough_token *token = never_token(); // what a refused handle gets
    const enough_result result =
        call_other<enough_source, &enough_source_vtbl::get_token>("enough_token_create",
                                                                   static_cast<enough_source *>(source),
                                                                   ENOUGH_OK, &token);
    if (result != ENOUGH_OK) {
        set_last_error("enough_token_create", ENOUGH_ERROR_FOREIGN_FAILURE,
                       "the foreign source's get_token failed");
        return nullptr;
    }
    return token;
}
} // namespace

ENOUGH_HOT_ENTRY ENOUGH_API void *enough_token_create(void *source) {
    if (source == nullptr) {
        return never_token(); // documented: NULL gives the never token
    }
    auto *const face = static_cast<enough_source *>(source);
    if (is_own_source(face)) [[likely]] {
        misuse_guard::check_use(face, handle_kind::source, __func__);
        return source_methods::new_token(face);
    }
    return token_of_other(source);
}

ENOUGH_API void *enough_token_create_never(void) { return never_token(); }

ENOUGH_API void *enough_token_create_linked(void *const *tokens, size_t count) {
    static constexpr char function[] = "enough_token_create_linked";
    return link_for_flat_call<function, enough_token>(tokens, count, create_linked_token);
}

ENOUGH_HOT_ENTRY ENOUGH_API void *enough_token_clone(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face != nullptr) {
        call<enough_token, &enough_token_vtbl::add_ref, token_methods::add_ref<enough_token>>(
            __func__, face, 0u);
    }
    return face;
}

ENOUGH_HOT_ENTRY ENOUGH_API bool enough_token_is_cancelled(void *token) {
    return call<enough_token, &enough_token_vtbl::is_cancelled,
                token_methods::is_cancelled<enough_token>>(__func__, token, false);
}

ENOUGH_API bool enough_token_may_cancel(void *token) {
    return call<enough_token, &enough_token_vtbl::may_cancel,
                token_methods::may_cancel<enough_token>>(__func__, token, false);
}

ENOUGH_HOT_ENTRY ENOUGH_API void enough_token_destroy(void *token) {
    if (token != nullptr) { // NULL: a documented no-op, like free(NULL)
        call<enough_token, &enough_token_vtbl::release, token_methods::release<enough_token>>(
            __func__, token, 0u);
    }
}

ENOUGH_API int32_t enough_token_reason(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    return face != nullptr ? any_token_reason(face) : ENOUGH_REASON_NONE;
}

ENOUGH_HOT_ENTRY ENOUGH_API void *enough_token_register(void *token, enough_callback_fn callback,
                                                        void *user_data) {
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face == nullptr) {
        return nullptr;
    }
    if (callback == nullptr) {
        set_last_error(__func__, ENOUGH_ERROR_NULL_HANDLE, "the callback is NULL");
        return nullptr;
    }
    enough_unknown *registration = nullptr;
    const enough_result result = any_token_register(face, callback, user_data, &registration);
    if (result != ENOUGH_OK) {
        if (result == ENOUGH_E_OUTOFMEMORY) {
            set_last_error(__func__, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory");
        } else {
            set_last_error(__func__, ENOUGH_ERROR_FOREIGN_FAILURE, "the token refused the callback");
        }
        return nullptr;
    }
    if (registration->vtbl == &registration_vtable) {
        misuse_guard::handed_out(registration);
    }
    return registration;
}

ENOUGH_API const uint32_t *enough_token_state_word(void *token) {
    return call<enough_token, &enough_token_vtbl::state_word,
                token_methods::state_word<enough_token>>(__func__, token,
                                                         static_cast<const uint32_t *>(nullptr));
}

ENOUGH_API int64_t enough_token_remaining_ms(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    return face != nullptr ? any_token_remaining_ms(face) : -1;
}

ENOUGH_API bool enough_token_wait(void *token, int64_t timeout_ms) {
    enough_token *const face = accept<enough_token>(__func__, token);
    return face != nullptr && any_token_wait(face, timeout_ms);
}

ENOUGH_API int enough_token_fd(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face == nullptr) {
        return -1;
    }
    if (!tokens_wait_on_descriptors()) {
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED,
                       "tokens hand out event handles here: use enough_token_wait_handle");
        return -1;
    }
    const int fd = any_token_fd(face);
    if (fd < 0) {
        if (is_own_token(face) || is_never_token(face)) {
            set_last_error(__func__, ENOUGH_ERROR_SYSTEM, "the system refused a pollable descriptor");
        } else {
            set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED, "the foreign token offers no fd");
        }
    }
    return fd;
}

ENOUGH_API void *enough_token_wait_handle(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face == nullptr) {
        return nullptr;
    }
    if (tokens_wait_on_descriptors()) {
        set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED,
                       "tokens hand out descriptors here: use enough_token_fd");
        return nullptr;
    }
    void *const handle = token_wait_handle(face);
    if (handle == nullptr) {
        if (is_own_token(face) || is_never_token(face) || is_imported_token(face)) {
            set_last_error(__func__, ENOUGH_ERROR_SYSTEM, "the system refused an event");
        } else {
            set_last_error(__func__, ENOUGH_ERROR_UNSUPPORTED, "the foreign token offers no wait handle");
        }
    }
    return handle;
}

} // extern "C"
