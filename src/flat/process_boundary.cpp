// Flat enough_token_export and enough_token_import: tokens across process boundaries.
#include "flat/handles.hpp"
#include "objects/imported_token.hpp"
#include "objects/token_export.hpp"
#include "runtime/last_error.hpp"

#include <enough/enough.h>

using namespace enough::detail;

extern "C" {

ENOUGH_API int enough_token_export(void *token) {
    enough_token *const face = accept<enough_token>(__func__, token);
    if (face == nullptr) {
        return -1;
    }
    int32_t error = ENOUGH_ERROR_NONE;
    const int fd = token_export::export_token(face, &error);
    if (fd < 0) {
        set_last_error(__func__, error,
                       error == ENOUGH_ERROR_OUT_OF_MEMORY      ? "out of memory"
                       : error == ENOUGH_ERROR_FOREIGN_FAILURE ? "the foreign token refused to be followed"
                                                                : "the system refused a shared page");
    }
    return fd;
}

ENOUGH_API void *enough_token_import(int fd) {
    if (fd < 0) {
        set_last_error(__func__, ENOUGH_ERROR_BAD_ARGUMENT, "the descriptor is negative");
        return nullptr;
    }
    int32_t error = ENOUGH_ERROR_NONE;
    const char *problem = nullptr;
    enough_token *const imported = import_token(fd, &error, &problem);
    if (imported == nullptr) {
        set_last_error(__func__, error, problem);
    }
    return imported;
}

} // extern "C"
