/* A plugin with no copy of enough at all: it implements its own token type directly
 * against the ABI headers (a token that cancels after N checks) and drives the host's
 * objects through their vtables. */
#include "plugin_api.h"

#include <enough/abi.h>

#include <stdlib.h>

#define CHECKS_BEFORE_CANCEL 5

static int live_tokens; /* atomic: custom tokens not yet freed */
static enough_unknown *watch_registration;
static int watched; /* atomic */

/* ---- the custom token ------------------------------------------------------------ */

typedef struct countdown_token {
    enough_token face; /* first member: the interface pointer is the object pointer */
    uint32_t refs;     /* atomic */
    uint32_t checks;   /* atomic: is_cancelled calls so far */
} countdown_token;

static countdown_token *self_of(enough_token *t) { return (countdown_token *)t; }

static enough_result ENOUGH_CALL ct_query(enough_token *self, const enough_iid *iid, void **out) {
    if (out == NULL) {
        return ENOUGH_E_POINTER;
    }
    *out = NULL;
    if (iid == NULL) {
        return ENOUGH_E_POINTER;
    }
    /* Compared by hand: this module has no enough.h helpers, only the ABI. */
    if ((iid->data1 == ENOUGH_IID_UNKNOWN.data1 && iid->data2 == ENOUGH_IID_UNKNOWN.data2) ||
        (iid->data1 == ENOUGH_IID_TOKEN.data1 && iid->data2 == ENOUGH_IID_TOKEN.data2)) {
        self->vtbl->add_ref(self);
        *out = self;
        return ENOUGH_OK;
    }
    return ENOUGH_E_NOINTERFACE;
}
static uint32_t ENOUGH_CALL ct_add_ref(enough_token *self) {
    return __atomic_add_fetch(&self_of(self)->refs, 1, __ATOMIC_RELAXED);
}
static uint32_t ENOUGH_CALL ct_release(enough_token *self) {
    uint32_t left = __atomic_sub_fetch(&self_of(self)->refs, 1, __ATOMIC_ACQ_REL);
    if (left == 0) {
        free(self_of(self));
        __atomic_sub_fetch(&live_tokens, 1, __ATOMIC_ACQ_REL);
    }
    return left;
}
static int32_t ENOUGH_CALL ct_is_cancelled(enough_token *self) {
    return __atomic_add_fetch(&self_of(self)->checks, 1, __ATOMIC_ACQ_REL) >= CHECKS_BEFORE_CANCEL;
}
static int32_t ENOUGH_CALL ct_may_cancel(enough_token *self) {
    (void)self;
    return 1;
}
static const uint32_t *ENOUGH_CALL ct_state_word(enough_token *self) {
    (void)self;
    return NULL; /* cancellation is computed per check: no word to poll */
}
static const enough_token_vtbl countdown_vtbl = {
    ct_query, ct_add_ref, ct_release, ct_is_cancelled, ct_may_cancel, ct_state_word,
};

/* ---- the plugin ------------------------------------------------------------------ */

static volatile unsigned long long sink;

static int run(void *token, int max_steps, bool *stopped) {
    enough_token *t = (enough_token *)token;
    int step;
    for (step = 0; step < max_steps; ++step) {
        unsigned long long i;
        if (t->vtbl->is_cancelled(t)) {
            *stopped = true;
            return step;
        }
        for (i = 0; i < 2000; ++i) {
            sink += i * (unsigned long long)step;
        }
    }
    *stopped = false;
    return step;
}

static void *make_token(void) {
    countdown_token *t = (countdown_token *)calloc(1, sizeof *t);
    if (t == NULL) {
        return NULL;
    }
    t->face.vtbl = &countdown_vtbl;
    t->refs = 1;
    __atomic_add_fetch(&live_tokens, 1, __ATOMIC_ACQ_REL);
    return &t->face;
}

static void cancel_own(void) {} /* the token cancels itself after N checks */

static void report_failure(void *host_source) {
    enough_source *s = (enough_source *)host_source;
    void *s2 = NULL;
    if (s->vtbl->query_interface(s, &ENOUGH_IID_SOURCE2, &s2) == ENOUGH_OK) {
        ((enough_source2 *)s2)->vtbl->cancel_with_reason((enough_source2 *)s2, SAMPLE_FAILURE_REASON);
        ((enough_source2 *)s2)->vtbl->release((enough_source2 *)s2);
    } else {
        s->vtbl->cancel(s);
    }
}

static void ENOUGH_CALL on_host_cancel(void *user_data, int32_t reason) {
    (void)user_data;
    (void)reason;
    __atomic_add_fetch(&watched, 1, __ATOMIC_ACQ_REL);
}

static bool watch(void *host_token) {
    enough_token *t = (enough_token *)host_token;
    void *t2 = NULL;
    bool ok;
    if (t->vtbl->query_interface(t, &ENOUGH_IID_TOKEN2, &t2) != ENOUGH_OK) {
        return false;
    }
    ok = ((enough_token2 *)t2)->vtbl->register_callback((enough_token2 *)t2, on_host_cancel, NULL,
                                                        &watch_registration) == ENOUGH_OK;
    ((enough_token2 *)t2)->vtbl->release((enough_token2 *)t2);
    return ok;
}

static int watched_cancellations(void) { return __atomic_load_n(&watched, __ATOMIC_ACQUIRE); }

static void unwatch(void) {
    if (watch_registration != NULL) {
        watch_registration->vtbl->release(watch_registration);
        watch_registration = NULL;
    }
}

static bool can_unload_now(void) {
    return __atomic_load_n(&live_tokens, __ATOMIC_ACQUIRE) == 0 && watch_registration == NULL;
}

static const sample_plugin_api api = {
    "custom-token", run, make_token, cancel_own, report_failure,
    watch, watched_cancellations, unwatch, can_unload_now,
};

__attribute__((visibility("default"))) const sample_plugin_api *enough_sample_plugin(void) {
    return &api;
}
