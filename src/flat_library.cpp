// Flat library-wide functions: version.
#include "last_error.hpp"
#include "object_pool.hpp"
#include "timer_service.hpp"

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

ENOUGH_API size_t enough_live_objects(void) { return enough::detail::live_objects(); }

ENOUGH_API bool enough_can_unload_now(void) {
    return enough::detail::live_objects() == 0 && enough::detail::timer_service::instance().stopped();
}

} // extern "C"
