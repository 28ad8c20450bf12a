/* The contract between the sample host and its plugins: plain C, handles are enough
 * interface pointers (void*), so tokens and sources cross in both directions whatever
 * copy of enough (or none) a plugin carries. */
#ifndef ENOUGH_SAMPLE_PLUGIN_API_H
#define ENOUGH_SAMPLE_PLUGIN_API_H

#include <stdbool.h>

#define SAMPLE_PLUGIN_ENTRY "enough_sample_plugin"
#define SAMPLE_FAILURE_REASON 700 /* an application reason (>= 256) */

typedef struct sample_plugin_api {
    const char *name;
    /* Host -> plugin token: works up to max_steps steps, polling `token` before each.
     * Returns the steps done; *stopped is true if it stopped because of the token. */
    int (*run)(void *token, int max_steps, bool *stopped);
    /* Plugin -> host token: a token of the plugin's making, one reference for the host. */
    void *(*make_token)(void);
    /* Cancels the plugin's own token (plugins whose tokens cancel by themselves: no-op). */
    void (*cancel_own)(void);
    /* Host -> plugin source: the plugin cancels it with SAMPLE_FAILURE_REASON. */
    void (*report_failure)(void *host_source);
    /* The plugin registers a callback on a host token, kept until unwatch. */
    bool (*watch)(void *host_token);
    int (*watched_cancellations)(void);
    void (*unwatch)(void);
    /* DllCanUnloadNow: true when nothing the plugin made is alive and none of its code
     * can run any more (no callback registered, no thread). */
    bool (*can_unload_now)(void);
} sample_plugin_api;

typedef const sample_plugin_api *(*sample_plugin_entry)(void);

#endif
