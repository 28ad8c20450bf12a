// Flat enough_cancellation_* functions: thin adapters over enough_source.
#include "handles.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API void *enough_cancellation_create(void) {
    cancellation_state *const state = cancellation_state::create();
    return state != nullptr ? state->source_face() : nullptr;
}

ENOUGH_API void enough_cancellation_cancel(void *source) {
    if (enough_source *const face = as_source(source)) {
        call<&enough_source_vtbl::cancel, source_methods::cancel>(face);
    }
}

ENOUGH_API bool enough_cancellation_is_cancelled(void *source) {
    enough_source *const face = as_source(source);
    return face != nullptr &&
           call<&enough_source_vtbl::is_cancelled, source_methods::is_cancelled>(face) != 0;
}

ENOUGH_API void enough_cancellation_destroy(void *source) {
    if (enough_source *const face = as_source(source)) {
        call<&enough_source_vtbl::release, source_methods::release>(face);
    }
}

} // extern "C"
