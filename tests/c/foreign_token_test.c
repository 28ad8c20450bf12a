/* A token written by hand in C against the ABI (enough_token only, no enough_token2),
 * used as a parent of a linked source, as a callback target and as a wait target. */
#define _POSIX_C_SOURCE 200809L
#include <enough/enough.h>

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "check.h"

typedef struct c_token {
    enough_token face; /* first: the interface pointer is the object pointer */
    uint32_t refs;     /* atomic: the library's timer thread also holds references */
    uint32_t word;     /* 0, or the reason; atomic */
    uint32_t alive;    /* 1 while it may still cancel; atomic */
} c_token;

static c_token *impl(enough_token *t) { return (c_token *)t; }

static enough_result ENOUGH_CALL c_query(enough_token *self, const enough_iid *iid, void **out) {
    if (out == NULL) {
        return ENOUGH_E_POINTER;
    }
    *out = NULL;
    if (iid == NULL) {
        return ENOUGH_E_POINTER;
    }
    if (enough_iid_equal(iid, &ENOUGH_IID_UNKNOWN) || enough_iid_equal(iid, &ENOUGH_IID_TOKEN)) {
        self->vtbl->add_ref(self);
        *out = self;
        return ENOUGH_OK;
    }
    return ENOUGH_E_NOINTERFACE;
}
static uint32_t ENOUGH_CALL c_add_ref(enough_token *self) {
    return __atomic_add_fetch(&impl(self)->refs, 1, __ATOMIC_RELAXED);
}
static uint32_t ENOUGH_CALL c_release(enough_token *self) {
    uint32_t left = __atomic_sub_fetch(&impl(self)->refs, 1, __ATOMIC_ACQ_REL);
    if (left == 0) {
        free(impl(self));
    }
    return left;
}
static int32_t ENOUGH_CALL c_is_cancelled(enough_token *self) {
    return __atomic_load_n(&impl(self)->word, __ATOMIC_ACQUIRE) != 0;
}
static int32_t ENOUGH_CALL c_may_cancel(enough_token *self) {
    return c_is_cancelled(self) || __atomic_load_n(&impl(self)->alive, __ATOMIC_ACQUIRE);
}
static const uint32_t *ENOUGH_CALL c_state_word(enough_token *self) { return &impl(self)->word; }

static const enough_token_vtbl c_vtbl = {c_query,        c_add_ref,    c_release,
                                         c_is_cancelled, c_may_cancel, c_state_word};

static enough_token *c_token_create(void) {
    c_token *t = (c_token *)calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->face.vtbl = &c_vtbl;
    t->refs = 1;
    t->alive = 1;
    return &t->face;
}
static void c_token_cancel(enough_token *t, uint32_t reason) {
    __atomic_store_n(&impl(t)->word, reason, __ATOMIC_RELEASE);
}

/* ---- helpers ---------------------------------------------------------------- */

static void sleep_ms(long ms) {
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

typedef struct callback_record {
    int runs;    /* atomic */
    int reason;  /* atomic */
} callback_record;

static void ENOUGH_CALL on_cancel(void *user_data, int32_t reason) {
    callback_record *r = (callback_record *)user_data;
    __atomic_store_n(&r->reason, reason, __ATOMIC_RELEASE);
    __atomic_add_fetch(&r->runs, 1, __ATOMIC_ACQ_REL);
}

static void *cancel_later(void *token) {
    sleep_ms(30);
    c_token_cancel((enough_token *)token, 4321);
    return NULL;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_as_wait_target(void) {
    enough_token *t = c_token_create();
    pthread_t thread;
    CHECK(!enough_token_wait(t, 20)); /* times out: not cancelled */
    CHECK(pthread_create(&thread, NULL, cancel_later, t) == 0);
    CHECK(enough_token_wait(t, 5000));
    CHECK(enough_token_reason(t) == 4321);
    pthread_join(thread, NULL);
    CHECK(enough_token_wait(t, -1)); /* already cancelled: at once */
    CHECK(enough_token_fd(t) == -1); /* no enough_token2: no fd */
    enough_token_destroy(t);
}

static void test_as_callback_target(void) {
    enough_token *t = c_token_create();
    callback_record dropped = {0, 0};
    callback_record kept = {0, 0};
    callback_record late = {0, 0};
    void *r1 = enough_token_register(t, on_cancel, &dropped);
    void *r2 = enough_token_register(t, on_cancel, &kept);
    void *r3;
    int i;
    CHECK(r1 != NULL && r2 != NULL);
    enough_registration_destroy(r1);
    c_token_cancel(t, 77);
    for (i = 0; i < 5000 && __atomic_load_n(&kept.runs, __ATOMIC_ACQUIRE) == 0; ++i) {
        sleep_ms(1);
    }
    CHECK(kept.runs == 1);
    CHECK(kept.reason == 77);
    CHECK(dropped.runs == 0);
    r3 = enough_token_register(t, on_cancel, &late); /* already cancelled: runs now */
    CHECK(late.runs == 1 && late.reason == 77);
    enough_registration_destroy(r2);
    enough_registration_destroy(r3);
    enough_token_destroy(t);
}

static void test_as_parent(void) {
    enough_token *t = c_token_create();
    void *parents[1];
    void *child;
    void *child_token;
    parents[0] = t;
    child = enough_cancellation_create_linked(parents, 1);
    CHECK(child != NULL);
    child_token = enough_token_create(child);
    CHECK(!enough_token_wait(child_token, 10));
    c_token_cancel(t, 5150);
    CHECK(enough_token_wait(child_token, 5000));
    CHECK(enough_token_reason(child_token) == 5150);
    enough_token_destroy(child_token);
    enough_cancellation_destroy(child);
    enough_token_destroy(t);
}

static void test_parent_that_can_no_longer_cancel(void) {
    enough_token *t = c_token_create();
    void *parents[1];
    void *child_token;
    void *child;
    parents[0] = t;
    child = enough_cancellation_create_linked(parents, 1);
    child_token = enough_token_create(child);
    __atomic_store_n(&impl(t)->alive, 0, __ATOMIC_RELEASE);
    CHECK(!enough_token_wait(t, -1)); /* can never cancel now: returns at once */
    CHECK(!enough_token_wait(child_token, 30));
    enough_cancellation_destroy(child);
    CHECK(!enough_token_may_cancel(child_token));
    enough_token_destroy(child_token);
    enough_token_destroy(t);
}

int main(void) {
    test_as_wait_target();
    test_as_callback_target();
    test_as_parent();
    test_parent_that_can_no_longer_cancel();
    /* The watcher drops its references within a few polls; give it the time so that
     * leak checkers see every foreign token freed. */
    sleep_ms(50);
    return check_summary("c_foreign_token_test");
}
