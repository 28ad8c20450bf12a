// Flat enough_registration_destroy: the release of a registration handle.
#include "flat/handles.hpp"
#include "objects/callback_registration.hpp"

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

} // extern "C"
