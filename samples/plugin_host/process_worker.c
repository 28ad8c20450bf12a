/* An out-of-process plugin: a worker process that runs a long job for its host and
 * stops when the host cancels, or when the host is gone.
 *
 *   process_worker FD      FD: the token the host exported (enough_token_export)
 *
 * Exit status: 0 stopped at the host's request (it prints the reason), 3 the host's
 * token can never cancel any more (the host exited, was killed, or let go). */
#define _POSIX_C_SOURCE 200809L
#include <enough/enough.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

/* The job: checks the token between units of work, as any native library would. */
static int long_job(void *token) {
    unsigned long units = 0;
    for (;;) {
        if (enough_token_is_cancelled(token)) { /* one load of the word the host writes */
            return 0;
        }
        if (++units % 100000 == 0 && !enough_token_may_cancel(token)) {
            return 3; /* nobody is left to cancel us: stop rather than run for ever */
        }
    }
}

int main(int argc, char **argv) {
    void *token;
    int status;
    if (argc != 2) {
        return 64;
    }
    signal(SIGPIPE, SIG_IGN); /* our host, and the pipe it read us through, may be gone */
    token = enough_token_import(atoi(argv[1]));
    if (token == NULL) {
        fprintf(stderr, "worker: %s\n", enough_last_error());
        return 2;
    }
    printf("worker ready\n");
    fflush(stdout);
    status = long_job(token);
    if (status == 0) {
        printf("worker stopped: reason %d\n", (int)enough_token_reason(token));
    } else {
        printf("worker stopped: its host is gone\n");
    }
    fflush(stdout);
    enough_token_destroy(token);
    return status;
}
