/* A plugin host: loads plugins built apart with dlopen and passes tokens and sources
 * across in both directions, then unloads each one in the safe order.
 *
 *   plugin_host PLUGIN.so...
 *
 * Safe order before dlclose: release every handle that came from the plugin or that
 * carries its code (registrations with its callbacks, linked sources on its tokens),
 * ask the plugin to release what it holds, then wait until it says it can be unloaded. */
#define _POSIX_C_SOURCE 200809L
#include "expect.h"
#include "plugin_api.h"

#include <enough/enough.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>


static void sleep_ms(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

typedef struct job {
    const sample_plugin_api *api;
    void *token;
    int steps;
    bool stopped;
} job;

static void *run_job(void *arg) {
    job *j = (job *)arg;
    j->steps = j->api->run(j->token, 100000000, &j->stopped);
    return NULL;
}

static int callback_reason; /* atomic */
static void ENOUGH_CALL on_plugin_token(void *user_data, int32_t reason) {
    (void)user_data;
    __atomic_store_n(&callback_reason, reason, __ATOMIC_RELEASE);
}

static void exercise(const sample_plugin_api *api) {
    /* 1. Host token -> plugin: the plugin's long job stops when the host cancels. */
    {
        void *source = enough_cancellation_create();
        job j = {api, enough_token_create(source), 0, false};
        pthread_t thread;
        pthread_create(&thread, NULL, run_job, &j);
        sleep_ms(20);
        enough_cancellation_cancel(source);
        pthread_join(thread, NULL);
        EXPECT(j.stopped, "host token -> plugin: the plugin's job stopped on the host's cancel");
        enough_token_destroy(j.token);
        enough_cancellation_destroy(source);
    }

    /* 2. Plugin token -> host: flat calls, a linked source and a callback accept it. */
    {
        void *plugin_token = api->make_token();
        void *registration = enough_token_register(plugin_token, on_plugin_token, NULL);
        void *child = enough_cancellation_create_linked(&plugin_token, 1);
        void *child_token = enough_token_create(child);
        int i;
        EXPECT(plugin_token != NULL && registration != NULL && child != NULL,
               "plugin token -> host: registered and linked");
        EXPECT(!api->can_unload_now(), "the plugin cannot be unloaded while its objects are in use");
        api->cancel_own();
        EXPECT(enough_token_wait(child_token, 5000),
               "the host's linked source saw the plugin token cancel");
        for (i = 0; i < 5000 && __atomic_load_n(&callback_reason, __ATOMIC_ACQUIRE) == 0; ++i) {
            sleep_ms(1);
        }
        EXPECT(__atomic_load_n(&callback_reason, __ATOMIC_ACQUIRE) > 0,
               "the host's callback ran on the plugin token's cancel");
        EXPECT(enough_token_is_cancelled(plugin_token), "the host's flat check agrees");
        /* Safe order: the host's objects that depend on the plugin's token go first. */
        enough_registration_destroy(registration);
        enough_token_destroy(child_token);
        enough_cancellation_destroy(child);
        enough_token_destroy(plugin_token);
    }

    /* 3. Host source -> plugin: the plugin cancels the host's work with a reason. */
    {
        void *source = enough_cancellation_create();
        api->report_failure(source);
        EXPECT(enough_cancellation_reason(source) == SAMPLE_FAILURE_REASON,
               "host source -> plugin: cancelled with the plugin's reason");
        enough_cancellation_destroy(source);
    }

    /* 4. The plugin registers its own callback on a host token. */
    {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        EXPECT(api->watch(token), "the plugin registered a callback on a host token");
        EXPECT(!api->can_unload_now(), "the plugin cannot be unloaded while its callback is registered");
        enough_cancellation_cancel(source);
        EXPECT(api->watched_cancellations() == 1, "the plugin's callback ran on the host's cancel");
        api->unwatch();
        enough_token_destroy(token);
        enough_cancellation_destroy(source);
    }
}

int main(int argc, char **argv) {
    int i;
    for (i = 1; i < argc; ++i) {
        void *module = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
        sample_plugin_entry entry;
        const sample_plugin_api *api;
        int waited_ms = 0;
        if (module == NULL) {
            printf("FAIL  cannot load %s: %s\n", argv[i], dlerror());
            ++failures;
            continue;
        }
        *(void **)(&entry) = dlsym(module, SAMPLE_PLUGIN_ENTRY);
        if (entry == NULL) {
            printf("FAIL  %s has no %s\n", argv[i], SAMPLE_PLUGIN_ENTRY);
            ++failures;
            dlclose(module);
            continue;
        }
        api = entry();
        printf("[%s]\n", api->name);
        __atomic_store_n(&callback_reason, 0, __ATOMIC_RELEASE);
        exercise(api);
        /* 5. Unload only once the plugin says nothing of it is alive or running (a
         * private copy of enough lets its timer thread go about a second after use). */
        while (!api->can_unload_now() && waited_ms < 5000) {
            sleep_ms(10);
            waited_ms += 10;
        }
        EXPECT(api->can_unload_now(), "the plugin can be unloaded once everything is released");
        printf("  unloading after %d ms\n", waited_ms);
        dlclose(module);
    }
    printf("plugin host: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
