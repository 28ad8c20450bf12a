// Flat enough_token_* functions: thin adapters over enough_token.
#include "handles.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_token_create(void *source) {
    enough_token *token = never_token(); // what NULL (or a token) gets
    const enough_result result =
        call<enough_source, &enough_source_vtbl::get_token, source_methods::get_token>(
            source, ENOUGH_OK, &token);
    return result == ENOUGH_OK ? token : nullptr;
}

ENOUGH_API void *enough_token_create_never(void) { return never_token(); }

ENOUGH_API void *enough_token_clone(void *token) {
    enough_token *const face = accept<enough_token>(token);
    if (face != nullptr) {
        call<enough_token, &enough_token_vtbl::add_ref, token_methods::add_ref>(face, 0u);
    }
    return face;
}

ENOUGH_API bool enough_token_is_cancelled(void *token) {
    return call<enough_token, &enough_token_vtbl::is_cancelled, token_methods::is_cancelled>(
               token, 0) != 0;
}

ENOUGH_API bool enough_token_may_cancel(void *token) {
    return call<enough_token, &enough_token_vtbl::may_cancel, token_methods::may_cancel>(
               token, 0) != 0;
}

ENOUGH_API void enough_token_destroy(void *token) {
    call<enough_token, &enough_token_vtbl::release, token_methods::release>(token, 0u);
}

} // extern "C"
