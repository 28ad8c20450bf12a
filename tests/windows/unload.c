/* DllCanUnloadNow's contract on Windows, with enough.dll loaded at run time as a plugin
 * host loads it: while a deadline is armed the library's thread runs and
 * enough_can_unload_now says no; once nothing is alive it stops the thread (waiting for
 * it here, outside the loader lock) and says yes, and FreeLibrary unloads the DLL.
 * Then, loaded again with the thread running, the process exits at once: the DLL's
 * exit handler runs under the loader lock and must not wait for the thread. */
#include <windows.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef void *(*create_fn)(void);
typedef bool (*cancel_after_fn)(void *, uint64_t);
typedef void (*destroy_fn)(void *);
typedef bool (*can_unload_fn)(void);

struct library {
    HMODULE module;
    create_fn create;
    cancel_after_fn cancel_after;
    destroy_fn destroy;
    can_unload_fn can_unload_now;
};

static bool load(struct library *library) {
    library->module = LoadLibraryA("enough");
    if (library->module == NULL) {
        printf("LoadLibrary failed: %lu\n", (unsigned long)GetLastError());
        return false;
    }
    library->create = (create_fn)(void (*)(void))GetProcAddress(library->module, "enough_cancellation_create");
    library->cancel_after = (cancel_after_fn)(void (*)(void))GetProcAddress(library->module, "enough_cancellation_cancel_after");
    library->destroy = (destroy_fn)(void (*)(void))GetProcAddress(library->module, "enough_cancellation_destroy");
    library->can_unload_now = (can_unload_fn)(void (*)(void))GetProcAddress(library->module, "enough_can_unload_now");
    return library->create && library->cancel_after && library->destroy && library->can_unload_now;
}

int main(void) {
    struct library library;
    if (!load(&library)) {
        return 1;
    }
    void *source = library.create();
    if (source == NULL || !library.cancel_after(source, 60000)) { /* starts the thread */
        return 2;
    }
    const bool while_armed = library.can_unload_now();
    library.destroy(source);
    const bool once_unused = library.can_unload_now();
    printf("can_unload_now: %d while a deadline is armed, %d once nothing is alive\n",
           while_armed, once_unused);
    if (while_armed || !once_unused) {
        return 3;
    }
    if (!FreeLibrary(library.module) || GetModuleHandleA("enough") != NULL) {
        printf("enough.dll is still loaded\n");
        return 4;
    }
    if (!load(&library)) { /* again, and leave with its thread running */
        return 5;
    }
    source = library.create();
    if (source == NULL || !library.cancel_after(source, 60000)) {
        return 6;
    }
    printf("unloaded; loaded again; exiting with the library's thread running\n");
    fflush(stdout);
    exit(0);
}
