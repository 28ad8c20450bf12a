/* A plugin host's life with the library: load it, use it (the library's thread, a
 * deadline, a fork handler), let go of everything, unload it, then fork and exit. What
 * the library registered with the C library (exit handlers, fork handlers) must leave
 * with its code: a handler left behind runs unmapped code in the forked child or at
 * exit. Loads the library named on the command line (the build's, or a zig build's:
 * scripts/cross-check), by dlopen, as a host does.
 *   unload_test LIBRARY */
#define _DEFAULT_SOURCE /* usleep */
#define _POSIX_C_SOURCE 200809L
#include "check.h"

#include <dlfcn.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* dlsym's object pointer into a function pointer, as POSIX's dlsym page does (ISO C
 * has no such conversion). */
#define LOAD(function, library, name)              \
    do {                                           \
        void *found = dlsym(library, name);        \
        CHECK(found != NULL);                      \
        memcpy(&(function), &found, sizeof found); \
    } while (0)

int main(int argc, char **argv) {
    CHECK(argc == 2);
    if (argc != 2) {
        return check_summary("c.unload");
    }
    void *library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    CHECK(library != NULL);
    if (library == NULL) {
        fprintf(stderr, "%s\n", dlerror());
        return check_summary("c.unload");
    }
    void *(*create)(void);
    void *(*create_token)(void *);
    bool (*cancel_after)(void *, int64_t);
    bool (*wait)(void *, int64_t);
    void (*destroy_token)(void *);
    void (*destroy)(void *);
    bool (*can_unload_now)(void);
    LOAD(create, library, "enough_cancellation_create");
    LOAD(create_token, library, "enough_token_create");
    LOAD(cancel_after, library, "enough_cancellation_cancel_after");
    LOAD(wait, library, "enough_token_wait");
    LOAD(destroy_token, library, "enough_token_destroy");
    LOAD(destroy, library, "enough_cancellation_destroy");
    LOAD(can_unload_now, library, "enough_can_unload_now");
    if (check_failures != 0) {
        return check_summary("c.unload");
    }
    /* A deadline: starts the library's thread and registers its exit and fork hooks. */
    void *source = create();
    void *token = create_token(source);
    CHECK(cancel_after(source, 1));
    CHECK(wait(token, 10000));
    destroy_token(token);
    destroy(source);
    /* The library's thread lets go of the deadline's source just after it fires: a host
     * asks again until it may unload (COM's hosts poll DllCanUnloadNow alike). */
    bool may_unload = false;
    for (int tries = 0; tries < 10000 && !may_unload; ++tries) {
        may_unload = can_unload_now();
        if (!may_unload) {
            usleep(1000);
        }
    }
    CHECK(may_unload);
    CHECK(dlclose(library) == 0);
#if defined(__GLIBC__)
    /* Gone from the process (a library marked not to unload would still be here). */
    CHECK(dlopen(argv[1], RTLD_NOW | RTLD_NOLOAD) == NULL);
#else
    printf("c.unload: kept loaded after dlclose, as musl and some systems do\n");
#endif

    pid_t child = fork();
    if (child == 0) {
        _exit(0); /* the fork ran no handler of the unloaded library's */
    }
    int status = -1;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return check_summary("c.unload"); /* and exit runs no handler of its either */
}
