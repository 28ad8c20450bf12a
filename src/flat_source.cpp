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
    call<enough_source, &enough_source_vtbl::cancel, source_methods::cancel>(source, 0);
}

ENOUGH_API bool enough_cancellation_is_cancelled(void *source) {
    return call<enough_source, &enough_source_vtbl::is_cancelled, source_methods::is_cancelled>(
               source, 0) != 0;
}

ENOUGH_API void enough_cancellation_destroy(void *source) {
    call<enough_source, &enough_source_vtbl::release, source_methods::release>(source, 0u);
}

} // extern "C"
