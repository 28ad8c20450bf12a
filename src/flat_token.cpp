// Flat enough_token_* functions: thin adapters over enough_token.
#include "handles.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_token_create(void *source) {
    enough_source *const face = as_source(source);
    if (face == nullptr) {
        return never_token();
    }
    enough_token *token = nullptr;
    if (call<&enough_source_vtbl::get_token, source_methods::get_token>(face, &token) !=
        ENOUGH_OK) {
        return nullptr;
    }
    return token;
}

ENOUGH_API void *enough_token_create_never(void) { return never_token(); }

ENOUGH_API void *enough_token_clone(void *token) {
    enough_token *const face = as_token(token);
    if (face == nullptr) {
        return nullptr;
    }
    call<&enough_token_vtbl::add_ref, token_methods::add_ref>(face);
    return face;
}

ENOUGH_API bool enough_token_is_cancelled(void *token) {
    enough_token *const face = as_token(token);
    return face != nullptr &&
           call<&enough_token_vtbl::is_cancelled, token_methods::is_cancelled>(face) != 0;
}

ENOUGH_API bool enough_token_may_cancel(void *token) {
    enough_token *const face = as_token(token);
    return face != nullptr &&
           call<&enough_token_vtbl::may_cancel, token_methods::may_cancel>(face) != 0;
}

ENOUGH_API void enough_token_destroy(void *token) {
    if (enough_token *const face = as_token(token)) {
        call<&enough_token_vtbl::release, token_methods::release>(face);
    }
}

} // extern "C"
