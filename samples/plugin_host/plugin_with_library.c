/* A plugin that uses enough's flat API. Built twice: linked to the shared libenough.so
 * (one copy of enough in the process), and with its own private, hidden copy of
 * libenough.a (two copies: objects still cross, through their vtables). */
#include "plugin_api.h"

#include <enough/enough.h>

#include <stddef.h>

#ifndef PLUGIN_NAME
#define PLUGIN_NAME "with-library"
#endif

static void *own_source;  /* the source behind make_token's token, until cancel_own */
static void *watch_registration;
static int watched;       /* atomic */

static volatile unsigned long long sink;

static int run(void *token, int max_steps, bool *stopped) {
    int step;
    for (step = 0; step < max_steps; ++step) {
        unsigned long long i;
        if (enough_token_is_cancelled(token)) {
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
    if (own_source == NULL) {
        own_source = enough_cancellation_create();
    }
    return enough_token_create(own_source);
}

static void cancel_own(void) {
    enough_cancellation_cancel(own_source);
    enough_cancellation_destroy(own_source); /* the host's token keeps the state */
    own_source = NULL;
}

static void report_failure(void *host_source) {
    enough_cancellation_cancel_with_reason(host_source, SAMPLE_FAILURE_REASON);
}

static void ENOUGH_CALL on_host_cancel(void *user_data, int32_t reason) {
    (void)user_data;
    (void)reason;
    __atomic_add_fetch(&watched, 1, __ATOMIC_ACQ_REL);
}

static bool watch(void *host_token) {
    watch_registration = enough_token_register(host_token, on_host_cancel, NULL);
    return watch_registration != NULL;
}

static int watched_cancellations(void) { return __atomic_load_n(&watched, __ATOMIC_ACQUIRE); }

static void unwatch(void) {
    enough_registration_destroy(watch_registration); /* after this on_host_cancel never runs */
    watch_registration = NULL;
}

static bool can_unload_now(void) {
    /* With a private copy of enough, its objects and timer thread live in this module
     * too; with the shared library, enough_can_unload_now speaks for libenough.so and
     * is not this module's business. */
#ifdef PLUGIN_PRIVATE_ENOUGH
    if (!enough_can_unload_now()) {
        return false;
    }
#endif
    return own_source == NULL && watch_registration == NULL;
}

static const sample_plugin_api api = {
    PLUGIN_NAME, run, make_token, cancel_own, report_failure,
    watch, watched_cancellations, unwatch, can_unload_now,
};

__attribute__((visibility("default"))) const sample_plugin_api *enough_sample_plugin(void) {
    return &api;
}
