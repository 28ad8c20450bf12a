/*
 * The Ctrl-C handler behind enough.cancel_on_sigint() on Windows, with the same three
 * functions as signal_bridge.c. Windows delivers Ctrl-C to console control handlers,
 * on a thread of their own, newest first; the C runtime's (through which CPython's
 * SIGINT handler runs) was installed when Python started. Ours cancels the source with
 * enough_cancellation_cancel_async and returns FALSE, so the runtime's handler runs
 * next and Python raises KeyboardInterrupt once it runs bytecode again.
 *
 * Install and restore are called by Python with the GIL held, from one thread at a
 * time; the handler touches only atomic pointers. The bridge does not link libenough:
 * Python hands it the cancel function of the copy it loaded.
 */
#include <enough/reason.h>

#include <windows.h>

#include <stdbool.h>
#include <stdint.h>

#define BRIDGE_API __declspec(dllexport)

typedef bool (*cancel_async_fn)(void *source, int32_t reason);

static void *volatile target;         /* the source to cancel (read in the handler) */
static cancel_async_fn volatile cancel; /* enough_cancellation_cancel_async, set at install */
static int installed;

static BOOL WINAPI on_console_event(DWORD event) {
    if (event == CTRL_C_EVENT) {
        void *source = __atomic_load_n(&target, __ATOMIC_ACQUIRE);
        cancel_async_fn fn = __atomic_load_n(&cancel, __ATOMIC_ACQUIRE);
        if (source != NULL && fn != NULL) {
            fn(source, ENOUGH_REASON_CANCELLED);
        }
    }
    return FALSE; /* the next handler (the C runtime's, Python's SIGINT) runs too */
}

/* Points the handler at `source` (a borrowed source handle, or NULL for none) and
 * returns the one it pointed at before, so that nested blocks can restore it. */
BRIDGE_API void *enough_signal_bridge_target(void *source) {
    return __atomic_exchange_n(&target, source, __ATOMIC_ACQ_REL);
}

/* Adds the console control handler; it cancels with `cancel_async`. 0 on success. */
BRIDGE_API int enough_signal_bridge_install(cancel_async_fn cancel_async) {
    if (installed++ > 0) {
        return 0; /* nested: already ours */
    }
    __atomic_store_n(&cancel, cancel_async, __ATOMIC_RELEASE);
    if (!SetConsoleCtrlHandler(on_console_event, TRUE)) {
        installed = 0;
        return -1;
    }
    return 0;
}

/* Removes the handler once the outermost block ends. 0 on success. */
BRIDGE_API int enough_signal_bridge_restore(void) {
    if (installed == 0 || --installed > 0) {
        return 0;
    }
    return SetConsoleCtrlHandler(on_console_event, FALSE) ? 0 : -1;
}
