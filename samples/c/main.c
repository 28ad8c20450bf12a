/* A caller's side, in C: runs decode() on a worker thread, with a deadline, and
 * cancels it from the main thread when the user gives up first. */
#define _POSIX_C_SOURCE 200809L
#include "decoder.h"

#include <enough/enough.h>

#include <pthread.h>
#include <stdio.h>
#include <time.h>

typedef struct work {
    void *token;
    size_t done;
    int32_t reason;
    decode_status status;
} work;

static void *worker(void *arg) {
    work *w = (work *)arg;
    w->status = decode((size_t)1 << 40, w->token, &w->done, &w->reason);
    return NULL;
}

static int run_case(const char *title, int cancel_after_ms, int deadline_ms, int32_t expected) {
    void *source = enough_cancellation_create();
    work w = {NULL, 0, 0, DECODE_DONE};
    pthread_t thread;
    struct timespec pause = {0, (long)cancel_after_ms * 1000000L};
    w.token = enough_token_create(source); /* the worker borrows our reference */
    if (deadline_ms > 0) {
        enough_cancellation_cancel_after(source, (uint64_t)deadline_ms);
    }
    pthread_create(&thread, NULL, worker, &w);
    if (cancel_after_ms > 0) {
        nanosleep(&pause, NULL);
        enough_cancellation_cancel(source); /* a no-op if the deadline came first */
    }
    pthread_join(thread, NULL);
    printf("%s: %s after %zu blocks, reason %d\n", title,
           w.status == DECODE_CANCELLED ? "cancelled" : "done", w.done, (int)w.reason);
    enough_token_destroy(w.token);
    enough_cancellation_destroy(source);
    return w.status == DECODE_CANCELLED && w.reason == expected ? 0 : 1;
}

int main(void) {
    int failures = 0;
    size_t done;
    int32_t reason;
    failures += run_case("caller cancels", 20, 0, ENOUGH_REASON_CANCELLED);
    failures += run_case("deadline passes", 0, 20, ENOUGH_REASON_TIMED_OUT);
    /* A NULL token never cancels: the decoder runs to the end. */
    failures += decode(1000, NULL, &done, &reason) == DECODE_DONE && done == 1000 ? 0 : 1;
    printf("c sample: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
