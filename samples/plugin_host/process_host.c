/* A plugin host that runs its plugin in another process: a crash or a hostile plugin
 * cannot take the host down. The host hands the worker a token (enough_token_export),
 * then cancels it; and a host that dies, even by SIGKILL, leaves no worker behind.
 *
 *   process_host WORKER
 *
 * Linux: the host makes itself the subreaper of its descendants (prctl), so that it can
 * wait for a worker whose parent it killed. */
#define _GNU_SOURCE
#include "expect.h"

#include <enough/enough.h>

#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;


static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* Starts WORKER with the token's descriptor; its stdout goes to *out. */
static pid_t start_worker(const char *worker, void *token, FILE **out) {
    int pipe_ends[2];
    int fd = enough_token_export(token);
    char fd_text[16];
    char *argv[3];
    pid_t pid = -1;
    posix_spawn_file_actions_t actions;
    if (fd < 0 || pipe(pipe_ends) != 0) {
        return -1;
    }
    snprintf(fd_text, sizeof fd_text, "%d", fd);
    argv[0] = (char *)worker;
    argv[1] = fd_text;
    argv[2] = NULL;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fd, fd); /* the same number: inherited */
    posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
    if (posix_spawn(&pid, worker, &actions, NULL, argv, environ) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    close(fd); /* the worker has its own */
    close(pipe_ends[1]);
    *out = fdopen(pipe_ends[0], "r");
    return pid;
}

static int line_is(FILE *out, const char *expected) {
    char line[128];
    if (fgets(line, sizeof line, out) == NULL) {
        return 0;
    }
    line[strcspn(line, "\n")] = '\0';
    return strcmp(line, expected) == 0;
}

static int exit_status(pid_t pid) {
    int status = 0;
    return waitpid(pid, &status, 0) == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv) {
    void *source;
    void *token;
    FILE *out = NULL;
    pid_t worker;
    pid_t doomed_host;
    double cancelled_at;
    if (argc != 2) {
        fprintf(stderr, "usage: process_host WORKER\n");
        return 64;
    }

    printf("worker process, cancelled by its host\n");
    source = enough_cancellation_create();
    token = enough_token_create(source);
    worker = start_worker(argv[1], token, &out);
    EXPECT(worker > 0 && line_is(out, "worker ready"), "the worker imported the host's token");
    cancelled_at = now_ms();
    enough_cancellation_cancel_with_reason(source, 300);
    EXPECT(line_is(out, "worker stopped: reason 300"), "the worker stopped with the host's reason");
    printf("        (%.2f ms from the cancel to the worker's report)\n", now_ms() - cancelled_at);
    EXPECT(exit_status(worker) == 0, "the worker exited normally");
    fclose(out);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);

    printf("worker process whose host is killed\n");
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* the orphaned worker comes back to us */
    fflush(stdout);                   /* nothing buffered is printed twice */
    doomed_host = fork();
    if (doomed_host == 0) {
        /* A host with a token that it never cancels: it dies with the worker running. */
        void *its_source = enough_cancellation_create();
        void *its_token = enough_token_create(its_source);
        FILE *its_out = NULL;
        if (start_worker(argv[1], its_token, &its_out) > 0) {
            line_is(its_out, "worker ready"); /* dies only once the worker runs */
        }
        raise(SIGKILL);
    }
    {
        int status = 0;
        double killed_at;
        waitpid(doomed_host, &status, 0);
        killed_at = now_ms();
        EXPECT(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL, "the host was killed (SIGKILL)");
        /* The worker is ours now: it must notice and exit on its own. */
        worker = wait(&status);
        printf("        (worker %d: %s %d)\n", (int)worker, WIFEXITED(status) ? "exit" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
        EXPECT(worker > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 3,
               "the worker noticed its host was gone and exited (status 3)");
        printf("        (%.0f ms after the host died)\n", now_ms() - killed_at);
        EXPECT(now_ms() - killed_at < 3000, "within a second or so, not for ever");
    }
    printf(failures == 0 ? "all passed\n" : "%d FAILED\n", failures);
    return failures == 0 ? 0 : 1;
}
