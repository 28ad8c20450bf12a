/** @file
 * enough: cooperative cancellation across threads, modules and languages. Flat C API.
 *
 * Handles are interface pointers. The void* of a source IS an `enough_source*` and the
 * void* of a token IS an `enough_token*` (see <enough/abi.h>), so a handle from these
 * functions can be driven through its vtable, and these functions accept sources and
 * tokens implemented by other modules or languages against the ABI.
 *
 * Ownership: every function that returns a handle returns one reference, which the
 * caller gives back with the matching destroy function exactly once. Destroying a
 * source does not invalidate its tokens: they keep their state, and a token whose
 * sources are all gone without cancelling never becomes cancelled.
 *
 * Safety: every function may be called from any thread. None throws, aborts or blocks
 * (except those documented to wait). A NULL handle is always accepted: functions that
 * return bool return false, functions that return a handle return NULL (or the never
 * token, where documented), functions that return nothing do nothing. Passing a source
 * where a token is expected (or the reverse) is detected for this library's own
 * objects and treated like NULL. A handle used after its last destroy is undefined.
 */
#ifndef ENOUGH_ENOUGH_H
#define ENOUGH_ENOUGH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <enough/abi.h>

/** Version of these headers. enough_version() tells the version of the library that is
 * actually loaded; compare the two to detect a mismatch. */
/**@{*/
#define ENOUGH_VERSION_MAJOR 0
#define ENOUGH_VERSION_MINOR 2
#define ENOUGH_VERSION_PATCH 0
/**@}*/
/** One number for a version: major << 16 | minor << 8 | patch (what enough_version() returns). */
#define ENOUGH_MAKE_VERSION(major, minor, patch) \
    (((uint32_t)(major) << 16) | ((uint32_t)(minor) << 8) | (uint32_t)(patch))
/** These headers' version as one number, to compare with enough_version(). */
#define ENOUGH_VERSION \
    ENOUGH_MAKE_VERSION(ENOUGH_VERSION_MAJOR, ENOUGH_VERSION_MINOR, ENOUGH_VERSION_PATCH)

/** Marks the library's exported functions: dllexport or dllimport on Windows (nothing
 * with ENOUGH_STATIC, for the static library), default visibility when building the
 * shared library elsewhere. */
#if defined(_WIN32)
#if defined(ENOUGH_BUILDING_SHARED)
#define ENOUGH_API __declspec(dllexport)
#elif defined(ENOUGH_STATIC)
#define ENOUGH_API
#else
#define ENOUGH_API __declspec(dllimport)
#endif
#elif defined(ENOUGH_BUILDING_SHARED)
#define ENOUGH_API __attribute__((visibility("default")))
#else
#define ENOUGH_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Sources: the right to cancel ------------------------------------------------ */

/** A new, not cancelled source. NULL if memory is exhausted. */
ENOUGH_API void *enough_cancellation_create(void);

/** Cancels the source with ENOUGH_REASON_CANCELLED (first cancel wins). NULL: no-op. */
ENOUGH_API void enough_cancellation_cancel(void *source);

/** True once the source is cancelled. False for NULL. */
ENOUGH_API bool enough_cancellation_is_cancelled(void *source);

/** Releases the caller's reference to the source. Its tokens stay valid. NULL: no-op. */
ENOUGH_API void enough_cancellation_destroy(void *source);

/** Abandons the source: releases the caller's reference like enough_cancellation_destroy,
 * but leaves what the source was set to do running on its own. While anything else
 * references its state (a token, or its armed deadline's timer), an armed deadline
 * still fires and a linked source still follows its parents, as though the source
 * were still held (.NET's CancellationTokenSource when collected, not disposed). The
 * state goes once it has cancelled and nothing else references it, once no token of
 * it is left (an armed deadline fires first: its timer holds a reference until then),
 * or once nothing can cancel it any more (its tokens then read may_cancel false). A
 * source with neither an armed deadline nor a parent that may cancel, one referenced
 * elsewhere, and a foreign source are simply released. What a garbage-collected
 * binding calls for a source its program dropped without disposing it, so that what a
 * token does never depends on when the collector runs. NULL: no-op. */
ENOUGH_API void enough_cancellation_abandon(void *source);

/** Cancels with `reason` (> 0; ENOUGH_REASON_FIRST_USER and up are the application's).
 * True only for the call that cancelled: the first cancel wins and later calls change
 * nothing. False, changing nothing, for reason <= 0, NULL, or an already cancelled
 * source. A foreign source without enough_source2 accepts only ENOUGH_REASON_CANCELLED. */
ENOUGH_API bool enough_cancellation_cancel_with_reason(void *source, int32_t reason);

/** Cancels with `reason` like enough_cancellation_cancel_with_reason (same return
 * values), and is async-signal-safe: call it from a signal handler (Ctrl-C), or
 * wherever a canceller must not run other people's callbacks. It takes no lock,
 * allocates nothing, starts no thread and calls only async-signal-safe system calls
 * (futex or write, and sched_yield). Before it returns, the token reads cancelled, blocked
 * waiters wake and the token's fd is readable; the callbacks run soon after on the
 * library's own thread, never on the caller's. Two differences, both for the sake of
 * signal handlers: a refusal is not recorded for enough_last_error (thread-local
 * storage may allocate), and a hardened build does not check the handle (that takes
 * a lock). A foreign source must offer enough_source3; false otherwise. */
ENOUGH_API bool enough_cancellation_cancel_async(void *source, int32_t reason);

/** The reason the source was cancelled with; 0 while not cancelled, and for NULL. */
ENOUGH_API int32_t enough_cancellation_reason(void *source);

/** Makes a source good as new for reuse (.NET's TryReset): true when it has not been
 * cancelled and nothing is registered on its token (no callback, linked child or
 * export); then its armed deadline, if any, is disarmed. False, changing nothing,
 * otherwise, for NULL, and for a foreign source (ENOUGH_ERROR_UNSUPPORTED). */
ENOUGH_API bool enough_cancellation_try_reset(void *source);

/** Arms, or re-arms, a deadline: `milliseconds` from now the source cancels with
 * ENOUGH_REASON_TIMED_OUT. 0 cancels before this returns, on the calling thread (its
 * callbacks included), as .NET's CancelAfter(0). Huge values mean "practically never"
 * (no overflow). False for NULL, an already cancelled source, or a foreign source
 * without enough_source2.
 * A re-arm replaces a deadline that has not fallen yet; one that fell before the call
 * (its timer may still be cancelling) wins, even when this returns true, as a cancel
 * made then would.
 * Destroying the last source reference disarms it. One timer thread serves the whole
 * process; callbacks of a timed-out source run on it. */
ENOUGH_API bool enough_cancellation_cancel_after(void *source, uint64_t milliseconds);

/** A new source that cancels, with the parent's reason, as soon as any of the `count`
 * parent tokens cancels; it starts cancelled if a parent already is. Cancelling it
 * never touches the parents. Parents may be foreign tokens; NULL entries are skipped.
 * count 0 gives a plain source; tokens NULL with count > 0 gives NULL. The links go
 * away with the last reference to the new source, so parents never accumulate them.
 * The caller keeps its references to the parents. NULL if memory is exhausted. */
ENOUGH_API void *enough_cancellation_create_linked(void *const *tokens, size_t count);

/* ---- Tokens: the right to observe ------------------------------------------------ */

/** A token of the source, with one new reference. It does not allocate. For NULL, the
 * never token (which is never cancelled). NULL only if the source is a foreign object
 * whose get_token failed. */
ENOUGH_API void *enough_token_create(void *source);

/** The never token: never cancelled, may_cancel false. Immortal, destroying it is a
 * no-op, so it is free to create and need not be destroyed (destroying is harmless). */
ENOUGH_API void *enough_token_create_never(void);

/** A new token, the caller's to destroy, that cancels with a parent's reason as soon as
 * any of the `count` parent tokens cancels (the first wins); it starts cancelled if a
 * parent already is. Unlike enough_cancellation_create_linked it needs no source kept
 * alive (tokio's child_token, JavaScript's AbortSignal.any): its links live as long as
 * a reference to it does (a clone, a registration's token, a linked child of its own)
 * and go with the last one, so a long-lived parent never accumulates dead children.
 * Once every parent can never cancel (their sources all gone), neither can it:
 * may_cancel turns false and its waiters wake. Parents may be foreign or imported
 * tokens; NULL entries are skipped. A foreign parent reached through enough_token2
 * (another module's copy of this library) is followed while the token lives, but
 * that it can no longer cancel is not noticed. count 0, or no parent that may cancel,
 * gives a token that can never cancel. tokens NULL with count > 0 gives NULL. The
 * caller keeps its references to the parents. NULL if memory is exhausted.
 * A registration does not keep the token's links: keep a reference to the token. */
ENOUGH_API void *enough_token_create_linked(void *const *tokens, size_t count);

/** Another reference to the same token. NULL for NULL. */
ENOUGH_API void *enough_token_clone(void *token);

/** True once the token is cancelled. False for NULL. */
ENOUGH_API bool enough_token_is_cancelled(void *token);

/** True if the token is cancelled or still may be. False for NULL, for the never token,
 * and for a token whose sources are all gone without cancelling. */
ENOUGH_API bool enough_token_may_cancel(void *token);

/** Releases the caller's reference to the token. NULL: no-op. */
ENOUGH_API void enough_token_destroy(void *token);

/** The reason the token was cancelled with; 0 while not cancelled, and for NULL. */
ENOUGH_API int32_t enough_token_reason(void *token);

/** Registers callback(user_data, reason), to run once, on the cancelling thread, when
 * the token cancels; if it already is, the callback runs before this returns. Returns
 * a registration handle for enough_registration_destroy. A token that can never cancel
 * accepts it and never runs it. NULL for a NULL token or callback, or out of memory.
 * Foreign tokens without enough_token2 are watched by the timer thread (every 1 ms),
 * which then runs the callback. No library lock is held while the callback runs. */
ENOUGH_API void *enough_token_register(void *token, enough_callback_fn callback,
                                       void *user_data);

/** Unregisters. When it returns the callback is not running and never will run
 * (std::stop_callback's guarantee): it waits for a run in progress on another thread.
 * Called from inside that very callback it returns at once. NULL: no-op. */
ENOUGH_API void enough_registration_destroy(void *registration);

/** Releases the registration without ever waiting (.NET's Unregister): true when the
 * callback had not run and now never will; false when it has run, or runs right now on
 * another thread (it then finishes on its own; the handle is released all the same),
 * or for NULL. A registration of a foreign token is released as its release does, and
 * gives false (whether it ran cannot be told). */
ENOUGH_API bool enough_registration_try_destroy(void *registration);

/** Milliseconds until the earliest deadline that would cancel the token (rounded up):
 * its source's (enough_cancellation_cancel_after), or that of any source it follows
 * through linked sources, foreign tokens through enough_token3 where they offer it,
 * imported tokens through their exporter. -1 when no deadline applies (and for NULL,
 * and a token that can never cancel); 0 once cancelled or once the deadline passed.
 * The budget a call can pass on (Go's ctx.Deadline()). */
ENOUGH_API int64_t enough_token_remaining_ms(void *token);

/** The token's state word, for checks that are one load: 0 while not cancelled, then
 * the reason, for good (read it with an acquire load; never write it). Owned by the
 * token object: valid while you hold the token. NULL for NULL and for a token without
 * one (a foreign token whose vtable offers none): call enough_token_is_cancelled
 * instead. What enough::token_view and the Python, Node and C# packages poll. */
ENOUGH_API const uint32_t *enough_token_state_word(void *token);

/** Blocks until the token is cancelled (true) or `timeout_ms` passes (false). Every
 * negative value means no limit. Returns at once: true if already cancelled; false for
 * NULL, for 0, and for a token that can never cancel (also when its sources go away
 * while waiting). */
ENOUGH_API bool enough_token_wait(void *token, int64_t timeout_ms);

/** A file descriptor that becomes readable once the token is cancelled and stays
 * readable (an eventfd on Linux, a pipe elsewhere), for poll/epoll, asyncio's add_reader, libuv. Owned by the
 * token object: never read, write or close it; valid while you hold the token. Created
 * on first use, at most one per token object. The never token (and a foreign token
 * that can never cancel) gives one descriptor, shared by the whole process, that never
 * becomes readable, so an event loop needs no special case. -1 for NULL, for a foreign
 * token that offers none, or when the system refuses one. */
ENOUGH_API int enough_token_fd(void *token);

/** Windows: a manual-reset event HANDLE that becomes signalled once the token is
 * cancelled and stays signalled, for WaitForSingleObject/WaitForMultipleObjects,
 * RegisterWaitForSingleObject and .NET's WaitHandle. Owned by the token object: never
 * close, reset or set it; valid while you hold the token. Created on first use. The
 * never token (and a token that can never cancel) gives one, shared by the whole
 * process, that is never signalled. NULL for NULL, for a foreign token, or when the
 * system refuses one. On other systems it returns NULL with ENOUGH_ERROR_UNSUPPORTED
 * (use enough_token_fd; on Windows enough_token_fd returns -1 with
 * ENOUGH_ERROR_UNSUPPORTED). */
ENOUGH_API void *enough_token_wait_handle(void *token);

/* ---- Watching many tokens from one thread ---------------------------------------- */

/** A watch list: tokens whose cancellations one thread learns of by taking events from
 * the list, for an event loop that must not run code on the cancelling thread (the
 * Node.js package's watcher thread). Adding or removing a watch costs the same however
 * many are watched. Thread-safe: any thread adds, removes, wakes and takes. */
typedef struct enough_watch_event {
    uint64_t key;   /**< the key the watch was added with */
    int32_t reason; /**< why the token cancelled; 0: it can never cancel any more */
} enough_watch_event;

/** A new, empty watch list, owned by the caller (enough_watch_list_destroy); NULL when
 * out of memory. */
ENOUGH_API void *enough_watch_list_create(void);

/** Watches `token` under `key` (any value; keys need not be unique): one event with the
 * key is queued once the token cancels (at once if it already is), or once it can never
 * cancel (at once for a token that never can; for a foreign token without
 * enough_token2, when the library's thread next polls it). A watch queues one event at
 * most. It holds a reference to the token (so an abandoned source keeps following while
 * watched) and keeps the list alive. Returns the watch, owned by the caller
 * (enough_watch_destroy); NULL for a NULL list or token, when the token refuses a
 * callback, or out of memory. */
ENOUGH_API void *enough_watch_list_add(void *list, void *token, uint64_t key);

/** Ends a watch: its event is never queued after this returns, and one queued but not
 * taken is dropped. Any thread, but never twice. NULL: no-op. */
ENOUGH_API void enough_watch_destroy(void *watch);

/** Copies up to `capacity` queued events into `events`, oldest first, taking them off
 * the list, after waiting up to `timeout_ms` (every negative value: no limit; 0: no
 * wait) for the first one. Returns how many: 0 when the time passed, after
 * enough_watch_list_wake, when the list is destroyed meanwhile, and for NULL arguments.
 * With `capacity` 0 (`events` may then be NULL) it takes none and returns how many are
 * queued: for a thread that waits only to tell another thread to take. (Taking from a
 * list after destroying it is a use after release.) */
ENOUGH_API size_t enough_watch_list_take(void *list, enough_watch_event *events, size_t capacity,
                                         int64_t timeout_ms);

/** For an event loop that polls descriptors instead of blocking a thread in
 * enough_watch_list_take: a new descriptor (the read end of the list's pipe, made by the
 * first call; close-on-exec, non-blocking), the caller's to close, that is readable
 * whenever events are queued. When it is, take with a timeout of 0 (Node.js's package
 * opens it as a stream). The loop may read and discard what it reads: each take leaves
 * it readable exactly while events remain. Ringing it costs the thread that queues the
 * first event after an empty queue one write. -1 for NULL, on Windows (ENOUGH_ERROR_UNSUPPORTED:
 * loops there wait on handles), or when the system refuses a pipe. */
ENOUGH_API int enough_watch_list_fd(void *list);

/** Makes every take waiting on the list now return (with the events queued, perhaps
 * none). For a loop that stops its waiting thread (at exit). NULL: no-op. */
ENOUGH_API void enough_watch_list_wake(void *list);

/** The owner lets go of the list: a take waiting on it returns 0. Its watches stay
 * valid until destroyed; the memory goes with the last of them. NULL: no-op. */
ENOUGH_API void enough_watch_list_destroy(void *list);

/* ---- Across processes ------------------------------------------------------------ */

/** A new file descriptor that carries the token's cancellation to other processes:
 * pass it to a child (clear its close-on-exec flag, which is set) or send it with
 * SCM_RIGHTS; close it when done. It names one shared page per token (exporting the
 * same token again gives another descriptor of the same page) that the importing
 * side can only read. Any token works: this library's, linked, deadline-driven,
 * imported and foreign ones. -1 for NULL, or when the system refuses (see
 * enough_last_error_code). */
ENOUGH_API int enough_token_export(void *token);

/** A token, owned by the caller, that mirrors the exported token behind `fd` (which
 * stays the caller's: close it when you like). Checking it is one load of the word
 * the two processes share; its reason crosses; wait, fd, register and linked sources
 * work. It can never cancel anything, and it can no longer be cancelled once the
 * exporting side's sources are all gone, or the exporting process has exited (noticed
 * within a second). NULL, with ENOUGH_ERROR_BAD_ARGUMENT for a negative or closed
 * descriptor and ENOUGH_ERROR_NOT_EXPORTED for one that is no exported token (a pipe,
 * a file, a page of the wrong size, version or seals). */
ENOUGH_API void *enough_token_import(int fd);

/* ---- Library ------------------------------------------------------------------- */

/** The loaded library's version, as ENOUGH_MAKE_VERSION(major, minor, patch). */
ENOUGH_API uint32_t enough_version(void);

/** The loaded library's version as "major.minor.patch". Static storage; never NULL. */
ENOUGH_API const char *enough_version_string(void);

/** Why the last refused or failed enough_* call on this thread returned what it did: a
 * message naming the function and the problem, such as "enough_token_register: the
 * callback is NULL". NULL when no call on this thread has been refused. Calls that
 * succeed leave it alone; the next refusal on this thread overwrites it. Thread-local
 * storage: read it on the thread that made the call, before the thread exits. */
ENOUGH_API const char *enough_last_error(void);

/** The same event as a code (ENOUGH_ERROR_* in <enough/error.h>), for programs and
 * bindings that map refusals to their own errors: ENOUGH_ERROR_NULL_HANDLE,
 * ENOUGH_ERROR_WRONG_KIND, ENOUGH_ERROR_BAD_ARGUMENT, ENOUGH_ERROR_OUT_OF_MEMORY,
 * ENOUGH_ERROR_UNSUPPORTED, ENOUGH_ERROR_ALREADY_CANCELLED, ENOUGH_ERROR_SYSTEM,
 * ENOUGH_ERROR_FOREIGN_FAILURE or ENOUGH_ERROR_NOT_EXPORTED. ENOUGH_ERROR_NONE (0) when no call on this thread has
 * been refused. Set and kept exactly as enough_last_error(). */
ENOUGH_API int32_t enough_last_error_code(void);

/** How many objects this copy of the library created and has not freed yet: sources
 * (with their tokens), callback registrations and the links of linked sources and
 * tokens (one object for all the links of one), including those it made internally
 * (mirrors of foreign tokens). 0 when everything has been released. */
ENOUGH_API size_t enough_live_objects(void);

/** True when this copy of the library may be unloaded (dlclose of a module that holds
 * it): no live objects, and then it stops the library's thread (which otherwise
 * sleeps once started, so that a cancel_async always finds it) and joins it. COM's
 * DllCanUnloadNow. It stays true until the module is used again. Called from one of
 * the library's callbacks it is false. On Windows ask it before FreeLibrary: the DLL's
 * exit handler runs under the loader lock and never waits for the thread (joining
 * there would deadlock), so a thread still running when the DLL unmaps is the host's
 * mistake, as with COM. */
ENOUGH_API bool enough_can_unload_now(void);

/* ---- Helpers for consumers and implementers of the ABI ----------------------------- */

/** True when two interface ids are the same id. NULL equals nothing. */
static inline bool enough_iid_equal(const enough_iid *a, const enough_iid *b) {
    size_t i;
    if (a == NULL || b == NULL) {
        return false;
    }
    if (a->data1 != b->data1 || a->data2 != b->data2 || a->data3 != b->data3) {
        return false;
    }
    for (i = 0; i < sizeof a->data4; ++i) {
        if (a->data4[i] != b->data4[i]) {
            return false;
        }
    }
    return true;
}

/** Atomic acquire load of a state word (see enough_token_vtbl.state_word). */
static inline uint32_t enough_state_word_load(const uint32_t *word) {
#if defined(__GNUC__) || defined(__clang__)
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
#else
    /** Aligned 32-bit loads are atomic on supported targets; the volatile read keeps
     * the compiler from caching it. Acquire ordering is implied on x86 and x64. */
    return *(const volatile uint32_t *)word;
#endif
}

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ENOUGH_H */
