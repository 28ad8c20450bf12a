// Flat functions about the library itself: its version, why the last call on this
// thread was refused, and whether this copy of it may be unloaded.
#include "runtime/library_thread.hpp"
#include "runtime/last_error.hpp"
#include "runtime/object_pool.hpp"

#include <enough/enough.h>

#define ENOUGH_STRINGIFY_(x) #x
#define ENOUGH_STRINGIFY(x) ENOUGH_STRINGIFY_(x)

extern "C" {

ENOUGH_API uint32_t enough_version(void) { return ENOUGH_VERSION; }

ENOUGH_API const char *enough_version_string(void) {
    return ENOUGH_STRINGIFY(ENOUGH_VERSION_MAJOR) "." ENOUGH_STRINGIFY(
        ENOUGH_VERSION_MINOR) "." ENOUGH_STRINGIFY(ENOUGH_VERSION_PATCH);
}

ENOUGH_API const char *enough_last_error(void) { return enough::detail::last_error(); }

ENOUGH_API int32_t enough_last_error_code(void) { return enough::detail::last_error_code(); }

ENOUGH_API size_t enough_live_objects(void) { return enough::detail::live_objects(); }

ENOUGH_API bool enough_can_unload_now(void) {
    // Nothing alive means nothing armed, watched or posted: the thread can go now.
    return enough::detail::live_objects() == 0 &&
           enough::detail::library_thread::instance().stop_when_unused();
}

} // extern "C"
