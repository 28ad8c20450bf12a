// Runs the library's static destructors when it is unloaded (dlclose), which the
// toolchain's start files do where they are linked in: crtbegin.o's
// __do_global_dtors_aux calls __cxa_finalize(__dso_handle) from .fini_array. zig links
// shared libraries without them, so every destructor the library registered stayed in
// libc's exit list after its code was unmapped, and exit() jumped into nothing (mono
// unloads its native libraries at shutdown; tests/c/unload_test.c). Built into the
// shared library of zig's ELF targets only (src/CMakeLists.txt). At exit the
// destructors have run already and this finds none left.
#include "runtime/compiler.hpp"

extern "C" {
// The linker's marker of this library, as the compiler names it when it registers a
// destructor (__cxa_atexit(destructor, object, &__dso_handle)).
extern ENOUGH_INTERNAL void *__dso_handle;
// The C library's: runs and forgets the exit handlers registered for one library.
ENOUGH_WEAK void __cxa_finalize(void *library);
}

namespace {
ENOUGH_AT_UNLOAD void finalize_on_unload() {
    if (&__cxa_finalize != nullptr) {
        __cxa_finalize(&__dso_handle);
    }
}
} // namespace
