#include "objects/watch_list.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"

#include <chrono>
#include <new>

namespace enough::detail {
namespace {

bool may_cancel(gsl::not_null<enough_token *> token) noexcept {
    return is_own_token(token) ? cancellation_state::from(token)->may_cancel()
                               : token->vtbl->may_cancel(token) != 0;
}

// No limit, as far as a condition variable can count (a year).
constexpr int64_t longest_wait_ms = int64_t{365} * 24 * 3600 * 1000;

} // namespace

void watch::destroy(gsl::owner<watch *> entry) noexcept {
    // After the release no callback runs, and no orphaning note sees the registration.
    if (entry->registration_ != nullptr) {
        entry->registration_->vtbl->release(entry->registration_);
    }
    watch_list *const list = entry->list_;
    list->remove(*entry);
    entry->token_->vtbl->release(entry->token_);
    delete entry;
    list->release();
}

void ENOUGH_CALL watch_fired(void *entry, int32_t reason) noexcept {
    auto *const self = static_cast<watch *>(entry);
    self->list_->queue(*self, reason);
}

gsl::owner<watch_list *> watch_list::create() noexcept { return new (std::nothrow) watch_list(); }

watch *watch_list::add(gsl::not_null<enough_token *> token, uint64_t key, enough_result *refused) noexcept {
    auto *const entry = new (std::nothrow) watch(this, token.get(), key);
    if (entry == nullptr) {
        *refused = ENOUGH_E_OUTOFMEMORY;
        return nullptr;
    }
    {
        const std::lock_guard lock(mutex_);
        ++holders_;
    }
    token->vtbl->add_ref(token);
    // A token cancelled already runs watch_fired now: the key is queued before we return.
    *refused = any_token_register(token, watch_fired, entry, &entry->registration_);
    if (*refused != ENOUGH_OK) {
        entry->registration_ = nullptr;
        watch::destroy(entry);
        return nullptr;
    }
    // Registered before this looks: an orphaning since is queued here or by the
    // orphaning's note (which sees the registration); once either way.
    if (!may_cancel(token)) {
        queue(*entry, ENOUGH_REASON_NONE);
    }
    return entry;
}

void watch_list::queue(watch &entry, int32_t reason) noexcept {
    doorbell bell; // rung once the lock is let go, so the woken loop finds it free
    {
        const std::lock_guard lock(mutex_);
        if (entry.done_) {
            return;
        }
        entry.done_ = true;
        entry.reason_ = reason;
        if (head_ == nullptr) {
            head_ = &entry;
            entry.prev_ = entry.next_ = &entry;
            bell = bell_; // the queue was empty: the bell was not rung
        } else {
            watch *const tail = head_->prev_;
            entry.prev_ = tail;
            entry.next_ = head_;
            tail->next_ = &entry;
            head_->prev_ = &entry;
        }
    }
    queued_.notify_one();
    // The list outlives this (the watch holds it, and its registration's release
    // waits for this callback), and its bell is closed only when it goes. A take in
    // between may have emptied the queue: then this wakes the loop for nothing.
    if (bell.read_end >= 0) {
        doorbell_ring(bell);
    }
}

void watch_list::remove(watch &entry) noexcept {
    const std::lock_guard lock(mutex_);
    entry.done_ = true;
    unqueue(entry);
}

void watch_list::unqueue(watch &entry) noexcept {
    if (entry.next_ == nullptr) {
        return; // not queued
    }
    if (entry.next_ == &entry) {
        head_ = nullptr;
    } else {
        entry.prev_->next_ = entry.next_;
        entry.next_->prev_ = entry.prev_;
        if (head_ == &entry) {
            head_ = entry.next_;
        }
    }
    entry.prev_ = entry.next_ = nullptr;
}

std::size_t watch_list::take(gsl::span<enough_watch_event> events, int64_t timeout_ms) noexcept {
    std::unique_lock lock(mutex_);
    if (closed_) {
        return 0;
    }
    ++holders_; // a close() meanwhile must not free what this waits on
    const uint64_t wakes = wakes_;
    const auto ready = [&] { return head_ != nullptr || wakes_ != wakes || closed_; };
    if (timeout_ms != 0) {
        const int64_t limit = timeout_ms < 0 || timeout_ms > longest_wait_ms ? longest_wait_ms : timeout_ms;
        queued_.wait_for(lock, std::chrono::milliseconds(limit), ready);
    }
    if (events.empty()) {
        // A look, for a thread that only tells another to take: how many are queued.
        std::size_t queued = 0;
        if (head_ != nullptr && !closed_) {
            const watch *entry = head_;
            do {
                ++queued;
                entry = entry->next_;
            } while (entry != head_);
        }
        lock.unlock();
        release();
        return queued;
    }
    std::size_t taken = 0;
    while (taken < events.size() && head_ != nullptr && !closed_) {
        watch *const entry = head_;
        events[taken++] = enough_watch_event{entry->key_, entry->reason_};
        unqueue(*entry); // it stays (done_: never queued again) until destroyed
    }
    if (bell_.read_end >= 0) {
        // Readable exactly while something is queued (the loop may have read the byte
        // that woke it, and left some queued: it hears the bell again).
        head_ == nullptr ? doorbell_clear(bell_) : doorbell_ring(bell_);
    }
    lock.unlock();
    release();
    return taken;
}

void watch_list::wake() noexcept {
    const std::lock_guard lock(mutex_);
    ++wakes_;
    queued_.notify_all();
}

int watch_list::fd() noexcept {
    const std::lock_guard lock(mutex_);
    if (bell_.read_end < 0) {
        if (!doorbell_open(bell_)) {
            return -1;
        }
        if (head_ != nullptr) {
            doorbell_ring(bell_);
        }
    }
    return doorbell_share(bell_);
}

void watch_list::close() noexcept {
    {
        const std::lock_guard lock(mutex_);
        closed_ = true;
        queued_.notify_all();
    }
    release();
}

void watch_list::release() noexcept {
    bool last = false;
    {
        const std::lock_guard lock(mutex_);
        last = --holders_ == 0;
    }
    if (last) {
        delete this;
    }
}

} // namespace enough::detail
