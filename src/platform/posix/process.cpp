#include "platform/posix/backend.hpp"
#include "platform/process.hpp"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#if defined(__GLIBC__)
extern "C" {
// glibc's own registration, which pthread_atfork makes from the caller's side
// (libc_nonshared.a): tied to the library that asks (its __dso_handle), so that dlclose
// forgets the handler with the library's code. zig's pthread_atfork for glibc targets
// ties it to none, and a fork after an unload ran unmapped code in the child
// (tests/c/unload_test.c).
int __register_atfork(void (*prepare)(), void (*parent)(), void (*child)(), void *library);
extern void *__dso_handle; // the linker's marker of this library (its type as the compiler declares it)
}
#endif

namespace enough::detail {

int32_t current_process_id() noexcept { return static_cast<int32_t>(getpid()); }

bool at_fork(void (*prepare)(), void (*parent)(), void (*child)()) noexcept {
#if defined(__GLIBC__)
    return __register_atfork(prepare, parent, child, &__dso_handle) == 0;
#else
    // musl never unloads a library; FreeBSD's and macOS's forget the handlers of an
    // unloaded library by their addresses.
    return pthread_atfork(prepare, parent, child) == 0;
#endif
}

bool posix::process_id_exists(int32_t pid) noexcept {
    const int saved = errno;
    const bool exists = pid > 0 && (kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM);
    errno = saved;
    return exists;
}

bool exit_handler_may_join_threads() noexcept { return true; }

} // namespace enough::detail
