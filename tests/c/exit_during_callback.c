/* No process waits at exit for a callback. A deadline's callback runs on the
 * library's own thread and blocks for good (it waits on a token nobody cancels); the
 * process then leaves in one of the ways a program or a managed runtime does:
 *
 *   exit     main calls exit(7) (Environment.Exit, sys.exit, process.exit)
 *   return   main returns 7 (returning from Main, a script's end)
 *   sigterm  SIGTERM arrives; a thread waiting for it calls exit(7), as CoreCLR's,
 *            Python's and Node's signal handling does (POSIX only)
 *
 * The library's exit handler must abandon its thread rather than join it; the driver
 * (run_expecting.cmake) fails the test when the process does not end with 7. */
#ifndef _WIN32
#define _POSIX_C_SOURCE 200809L /* sigwait, pthread_sigmask, kill under -std=c99 */
#endif
#include <enough/enough.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef _WIN32
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#endif

struct blocking {
    void *started;  /* a source the callback cancels once it runs */
    void *never;    /* a token of a source nobody cancels: the callback waits on it */
};

static void ENOUGH_CALL block_for_good(void *user_data, int32_t reason) {
    struct blocking *const blocking = (struct blocking *)user_data;
    (void)reason;
    enough_cancellation_cancel(blocking->started);
    enough_token_wait(blocking->never, -1); /* never returns: nobody cancels it */
}

#ifndef _WIN32
static sigset_t term_only;

static void *exit_on_sigterm(void *unused) {
    int signal_number = 0;
    (void)unused;
    if (sigwait(&term_only, &signal_number) == 0 && signal_number == SIGTERM) {
        printf("SIGTERM taken: exit(7) with the callback still running\n");
        fflush(stdout);
        exit(7);
    }
    return NULL;
}
#endif

int main(int argc, char **argv) {
    const char *const how = argc > 1 ? argv[1] : "";
    static struct blocking blocking;
    void *deadline = NULL;
    void *deadline_token = NULL;
    void *started_token = NULL;
    void *never_source = NULL;
#ifndef _WIN32
    pthread_t signal_thread;
    if (strcmp(how, "sigterm") == 0) {
        /* Blocked before any thread starts, so only signal_thread takes it. */
        sigemptyset(&term_only);
        sigaddset(&term_only, SIGTERM);
        if (pthread_sigmask(SIG_BLOCK, &term_only, NULL) != 0 ||
            pthread_create(&signal_thread, NULL, exit_on_sigterm, NULL) != 0) {
            return 2;
        }
    } else
#endif
    if (strcmp(how, "exit") != 0 && strcmp(how, "return") != 0) {
        fprintf(stderr, "usage: %s exit|return|sigterm\n", argv[0]);
        return 2;
    }

    blocking.started = enough_cancellation_create();
    never_source = enough_cancellation_create(); /* kept, never cancelled */
    blocking.never = enough_token_create(never_source);
    started_token = enough_token_create(blocking.started);
    deadline = enough_cancellation_create();
    deadline_token = enough_token_create(deadline);
    if (enough_token_register(deadline_token, block_for_good, &blocking) == NULL ||
        !enough_cancellation_cancel_after(deadline, 1)) {
        return 3;
    }
    if (!enough_token_wait(started_token, -1)) {
        return 4;
    }
    printf("the deadline's callback is running on the library's thread and blocks: %s\n", how);
    fflush(stdout);

    if (strcmp(how, "exit") == 0) {
        exit(7);
    }
#ifndef _WIN32
    if (strcmp(how, "sigterm") == 0) {
        kill(getpid(), SIGTERM);
        for (;;) {
            pause(); /* signal_thread exits the process */
        }
    }
#endif
    return 7;
}
