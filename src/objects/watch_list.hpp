// A watch list: many tokens, one waiting thread (enough_watch_list_*).
//
// For an event loop that must not run code on the cancelling thread (Node.js: the
// library never calls into JavaScript): each watched token gets one registration whose
// callback only queues the watch's key, and the loop's one waiting thread takes the
// keys. Adding and removing a watch cost the same whatever the number watched.
//
// A watch queues its key once: when its token cancels (with the reason), or when the
// token can never cancel any more (reason 0): noticed at once for this library's
// tokens (their orphaning calls the callback with 0: objects/orphan_notice.hpp),
// when the library's thread next polls for foreign ones (their mirror orphans).
//
// Or, for a loop that polls descriptors, without a thread of its own: the list's
// doorbell (fd()) is readable while events are queued, and the loop takes them when it is.
//
// Threads and locks: the registration's callback runs on the cancelling thread, and
// the orphaning note under the token's registry lock; both only take the list's mutex
// to queue (and ring the doorbell: one write). Nothing holds the list's mutex while it
// calls into a token.
#pragma once

#include "objects/orphan_notice.hpp"
#include "platform/doorbell.hpp"

#include <enough/enough.h>

#include <gsl/pointers>
#include <gsl/span>

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace enough::detail {

class watch_list;

// Neither the list nor a watch counts as a live object (enough_live_objects): a watch's
// registration does, as every registration.
//
// One watched token: a reference to it (so an abandoned source keeps following while
// watched, as a token handle would keep it) and a registration on it.
class watch {
public:
    watch(const watch &) = delete;
    watch &operator=(const watch &) = delete;

    // Ends the watch: after this its key is never queued (one queued and not yet
    // taken is dropped); frees it.
    static void destroy(gsl::owner<watch *> entry) noexcept;
private:
    friend class watch_list;
    friend void ENOUGH_CALL watch_fired(void *entry, int32_t reason) noexcept;
    watch(watch_list *list, enough_token *token, uint64_t key) noexcept
        : list_(list), token_(token), key_(key) {}
    ~watch() = default;

    watch_list *list_;
    enough_token *token_;                     // one reference
    enough_unknown *registration_ = nullptr;  // on token_
    uint64_t key_;
    // Under the list's mutex:
    int32_t reason_ = 0;
    bool done_ = false;       // queued once already (or ended): never again
    watch *prev_ = nullptr;   // in the list's queue while queued
    watch *next_ = nullptr;
};

class watch_list {
public:
    // nullptr when memory is exhausted.
    static gsl::owner<watch_list *> create() noexcept;

    watch_list(const watch_list &) = delete;
    watch_list &operator=(const watch_list &) = delete;

    // Watches `token` under `key`; nullptr when memory is exhausted or the token
    // refuses a registration (`refused` tells which).
    watch *add(gsl::not_null<enough_token *> token, uint64_t key, enough_result *refused) noexcept;
    // Takes queued events, oldest first, waiting up to `timeout_ms` (negative: no
    // limit) for the first one; returns how many. 0 on timeout, after wake(), and once
    // closed. With no room (`events` empty) it takes none and returns how many are queued.
    std::size_t take(gsl::span<enough_watch_event> events, int64_t timeout_ms) noexcept;
    // Makes the take waiting now (if any) return.
    void wake() noexcept;
    // A new descriptor, the caller's to close, readable whenever events are queued
    // (the doorbell, opened by the first call); -1 where the system has or gives none.
    int fd() noexcept;
    // The owner lets go: takes return 0 from now on; the memory goes with the last watch.
    void close() noexcept;

    // The one who queues: a watch's key, once.
    void queue(watch &entry, int32_t reason) noexcept;
    // A watch ends: unqueues it.
    void remove(watch &entry) noexcept;
    // One of the holders (the owner, each watch, each take in progress) lets go.
    void release() noexcept;

private:
    watch_list() = default;
    // Takes `entry` out of the queue if it is there (mutex_ held).
    void unqueue(watch &entry) noexcept;
    ~watch_list() { doorbell_close(bell_); }

    std::mutex mutex_;
    std::condition_variable queued_;
    watch *head_ = nullptr; // the queue (head_->prev_ is the tail), under mutex_
    uint64_t wakes_ = 0;    // under mutex_: a take returns when this moves
    bool closed_ = false;   // under mutex_
    std::size_t holders_ = 1; // under mutex_: the owner, the watches, the takes
    doorbell bell_;           // under mutex_: rung while head_ is not null, once opened
};

} // namespace enough::detail
