/*
 * The Ctrl-C handler behind enough.cancel_on_sigint(): it cancels a source with
 * enough_cancellation_cancel_async (async-signal-safe), so that native code polling
 * the source's token stops while Python cannot run its own handlers (they run only
 * between bytecodes), then lets the handler it came before run (Python's, which makes
 * the interpreter raise KeyboardInterrupt once it runs bytecode again).
 *
 * POSIX: a SIGINT handler (sigaction) that chains to the one it replaced.
 * Windows: a console control handler (SetConsoleCtrlHandler; Windows runs it on a
 * thread of its own, newest first) that returns FALSE, so that the C runtime's, through
 * which CPython's SIGINT handler runs, comes next.
 *
 * Install and restore are called by Python with the GIL held, from one thread at a
 * time; the handler itself touches only atomic pointers (and, on POSIX, the saved
 * sigaction). The bridge does not link libenough: Python hands it the cancel function
 * of the copy it loaded, so that ENOUGH_LIBRARY's override is the one that cancels.
 */
#if defined(_WIN32)
#include <windows.h>
#define BRIDGE_API __declspec(dllexport)
#else
#define _POSIX_C_SOURCE 200809L
#include <signal.h>
#define BRIDGE_API __attribute__((visibility("default")))
#endif

#include <enough/reason.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef bool (*cancel_async_fn)(void *source, int32_t reason);

static void *target;           /* the source to cancel (read in the handler) */
static cancel_async_fn cancel; /* enough_cancellation_cancel_async, set at install */
static int installed;

/* What the handler does first, on either system. */
static void cancel_target(void) {
    void *source = __atomic_load_n(&target, __ATOMIC_ACQUIRE);
    cancel_async_fn fn = __atomic_load_n(&cancel, __ATOMIC_ACQUIRE);
    if (source != NULL && fn != NULL) {
        fn(source, ENOUGH_REASON_CANCELLED);
    }
}

#if defined(_WIN32)
static BOOL WINAPI on_console_event(DWORD event) {
    if (event == CTRL_C_EVENT) {
        cancel_target();
    }
    return FALSE; /* the next handler (the C runtime's, Python's SIGINT) runs too */
}
static bool add_handler(void) { return SetConsoleCtrlHandler(on_console_event, TRUE) != 0; }
static bool remove_handler(void) { return SetConsoleCtrlHandler(on_console_event, FALSE) != 0; }
#else
static struct sigaction replaced; /* the handler before ours */

static void on_sigint(int signal_number, siginfo_t *info, void *context) {
    cancel_target();
    if ((replaced.sa_flags & SA_SIGINFO) != 0) {
        if (replaced.sa_sigaction != NULL) {
            replaced.sa_sigaction(signal_number, info, context);
        }
    } else if (replaced.sa_handler != SIG_DFL && replaced.sa_handler != SIG_IGN &&
               replaced.sa_handler != NULL) {
        replaced.sa_handler(signal_number);
    }
}
static bool add_handler(void) {
    struct sigaction ours;
    ours.sa_sigaction = on_sigint;
    ours.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&ours.sa_mask);
    return sigaction(SIGINT, &ours, &replaced) == 0;
}
static bool remove_handler(void) { return sigaction(SIGINT, &replaced, NULL) == 0; }
#endif

/* Points the handler at `source` (a borrowed source handle, or NULL for none) and
 * returns the one it pointed at before, so that nested blocks can restore it. */
BRIDGE_API void *enough_signal_bridge_target(void *source) {
    return __atomic_exchange_n(&target, source, __ATOMIC_ACQ_REL);
}

/* Installs the handler, keeping (POSIX) the current one to chain to; it cancels with
 * `cancel_async` (enough_cancellation_cancel_async). 0 on success. */
BRIDGE_API int enough_signal_bridge_install(cancel_async_fn cancel_async) {
    if (installed++ > 0) {
        return 0; /* nested: already ours */
    }
    __atomic_store_n(&cancel, cancel_async, __ATOMIC_RELEASE);
    if (!add_handler()) {
        installed = 0;
        return -1;
    }
    return 0;
}

/* Takes the handler away once the outermost block ends. 0 on success. */
BRIDGE_API int enough_signal_bridge_restore(void) {
    if (installed == 0 || --installed > 0) {
        return 0;
    }
    return remove_handler() ? 0 : -1;
}
