// Flat enough_registration_destroy and enough_registration_try_destroy: the release of
// a registration handle, waiting out a running callback or not.
#include "flat/handles.hpp"
#include "objects/callback_registry.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_HOT_ENTRY ENOUGH_API void enough_registration_destroy(void *registration) {
    auto *const face = static_cast<enough_unknown *>(registration);
    if (face == nullptr) {
        return; // a documented no-op
    }
    if (face->vtbl == &registration_vtable) [[likely]] {
        misuse_guard::released(face, handle_kind::registration, __func__);
        callback_registration::from(face)->release();
    } else {
        face->vtbl->release(face); // a foreign token's registration
    }
}

ENOUGH_API bool enough_registration_try_destroy(void *registration) {
    auto *const face = static_cast<enough_unknown *>(registration);
    if (face == nullptr) {
        return false;
    }
    if (face->vtbl == &registration_vtable) [[likely]] {
        misuse_guard::released(face, handle_kind::registration, __func__);
        return callback_registration::from(face)->release_without_waiting();
    }
    face->vtbl->release(face); // a foreign token's registration: released as it releases
    return false;              // whether it ran cannot be told
}

} // extern "C"
