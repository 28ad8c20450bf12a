#include "boxed_baseline.h"

#include <stdint.h>
#include <stdlib.h>

/* Arc<AtomicBool>: strong and weak counts plus the flag, as Rust lays it out. */
typedef struct shared_flag {
    uint64_t strong; /* atomic */
    uint64_t weak;
    uint8_t cancelled; /* atomic */
} shared_flag;

typedef struct box {
    shared_flag *shared;
} box;

static void *box_new(shared_flag *shared) {
    box *b = (box *)malloc(sizeof *b);
    if (b != NULL) {
        __atomic_add_fetch(&shared->strong, 1, __ATOMIC_RELAXED);
        b->shared = shared;
    }
    return b;
}

static void box_free(void *handle) {
    box *b = (box *)handle;
    if (b == NULL) {
        return;
    }
    if (__atomic_sub_fetch(&b->shared->strong, 1, __ATOMIC_ACQ_REL) == 0) {
        free(b->shared);
    }
    free(b);
}

void *boxed_cancellation_create(void) {
    shared_flag *shared = (shared_flag *)calloc(1, sizeof *shared);
    void *source;
    if (shared == NULL) {
        return NULL;
    }
    source = box_new(shared);
    if (source == NULL) {
        free(shared);
    }
    return source;
}

void boxed_cancellation_cancel(void *source) {
    if (source != NULL) {
        __atomic_store_n(&((box *)source)->shared->cancelled, 1, __ATOMIC_RELEASE);
    }
}

void boxed_cancellation_destroy(void *source) { box_free(source); }

void *boxed_token_create(void *source) {
    return source != NULL ? box_new(((box *)source)->shared) : NULL;
}

bool boxed_token_is_cancelled(void *token) {
    return token != NULL && __atomic_load_n(&((box *)token)->shared->cancelled, __ATOMIC_ACQUIRE);
}

void boxed_token_destroy(void *token) { box_free(token); }
