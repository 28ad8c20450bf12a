// Flat library-wide functions: version.
#include <enough/enough.h>

#define ENOUGH_STRINGIFY_(x) #x
#define ENOUGH_STRINGIFY(x) ENOUGH_STRINGIFY_(x)

extern "C" {

ENOUGH_API uint32_t enough_version(void) { return ENOUGH_VERSION; }

ENOUGH_API const char *enough_version_string(void) {
    return ENOUGH_STRINGIFY(ENOUGH_VERSION_MAJOR) "." ENOUGH_STRINGIFY(
        ENOUGH_VERSION_MINOR) "." ENOUGH_STRINGIFY(ENOUGH_VERSION_PATCH);
}

} // extern "C"
