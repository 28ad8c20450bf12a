/// @file
/// enough: the C++ projection, consuming side: enough::source, enough::token (owning
/// handles; copying adds a reference, destruction releases it), enough::token_view
/// (non-owning, for hot loops), enough::registration and enough::stop_callback.
/// Reference counting is invisible: nobody writes add_ref or release. Header-only, over
/// the flat API and the ABI. <enough/enough.hpp> includes this and the rest.
///
/// Which way a method calls: what every implementation has (the base interfaces'
/// entries: add_ref, release, is_cancelled, may_cancel, state_word, cancel, get_token)
/// goes through the vtable, a direct call. What an object may lack (the second
/// interfaces: reasons, deadlines, wait, fd, callbacks, links) goes through the flat
/// API, which supplies the fallbacks for foreign objects in one place.
///
/// Durations: waits and deadlines round up to whole milliseconds (they never end early)
/// and saturate (hours::max() is "practically never", not an overflow).
#pragma once

#include <enough/enough.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>
#include <vector>

namespace enough {

/// Why a token was cancelled. Values from 256 up belong to applications.
enum class reason : int32_t {
    none = ENOUGH_REASON_NONE,
    cancelled = ENOUGH_REASON_CANCELLED,
    timed_out = ENOUGH_REASON_TIMED_OUT,
};

namespace detail {
/// The word polled for tokens that can never be cancelled.
inline constexpr uint32_t never_word = ENOUGH_REASON_NONE;
/// The word polled for tokens without a state word: not a reason (reasons are positive
/// int32_t), it sends the check to the token's vtable. Keeps the hot path one load.
inline constexpr uint32_t ask_the_token = 0xFFFFFFFFu;

inline reason to_reason(uint32_t word) noexcept { return static_cast<reason>(word); }

/// A duration as whole milliseconds, rounded up and saturated at INT64_MAX; -1 for a
/// negative duration (or a floating one that is not a number).
template <class Rep, class Period>
int64_t ceil_milliseconds(std::chrono::duration<Rep, Period> d) noexcept {
    const long double ms = std::chrono::duration<long double, std::milli>(d).count();
    if (!(ms >= 0)) {
        return -1;
    }
    if (ms >= 9.2e18L) {
        return INT64_MAX;
    }
    return static_cast<int64_t>(std::ceil(ms));
}
} // namespace detail

/// Why the last refused or failed enough_* call on this thread returned what it did:
/// code is an ENOUGH_ERROR_* of <enough/error.h> (ENOUGH_ERROR_NONE when nothing was
/// refused), message names the function and the problem (empty when none).
struct error_info {
    int32_t code;        ///< an ENOUGH_ERROR_* code
    const char *message; ///< what was refused and why; "" when nothing was
};
/// This thread's last refused or failed call (enough_last_error_code, enough_last_error).
[[nodiscard]] inline error_info last_error() noexcept {
    const char *message = enough_last_error();
    return {enough_last_error_code(), message != nullptr ? message : ""};
}

class registration;
class token_view;
template <class Callback>
class stop_callback;
class cancelled_awaiter;

/// An owning token handle. Never empty: a default or moved-from token is the never token.
/// It models the stop-token concept of C++26 (std::stoppable_token): stop_requested,
/// stop_possible, equality (the same token object), and callback_type.
class token {
public:
    /// The stop-token concept's callback type: enough::stop_callback.
    template <class Callback>
    using callback_type = enough::stop_callback<Callback>;

    /// The never token.
    token() noexcept : token_(never()) {}
    /// Copying adds a reference; moving leaves the never token behind; assignment swaps.
    ///@{
    token(const token &other) noexcept : token_(other.token_) { add_ref(token_); }
    token(token &&other) noexcept : token_(std::exchange(other.token_, never())) {}
    token &operator=(token other) noexcept {
        std::swap(token_, other.token_);
        return *this;
    }
    ///@}
    /// Releases the reference.
    ~token() { token_->vtbl->release(token_); }

    /// Takes over the caller's reference (NULL gives the never token).
    [[nodiscard]] static token attach(enough_token *owned) noexcept {
        return token(owned != nullptr ? owned : never());
    }
    /// A new token cancelled (with the parent's reason) as soon as any parent is, that
    /// needs no source kept alive: it follows while it lives and a parent may cancel
    /// (tokio's child_token, AbortSignal.any). Throws std::bad_alloc when memory is
    /// exhausted. See enough_token_create_linked.
    [[nodiscard]] static token linked(std::initializer_list<token_view> parents);
    /// As linked({...}), from any range of tokens or token views.
    template <class Range>
    [[nodiscard]] static token linked(const Range &parents);
    /// Adds a reference of its own (NULL gives the never token).
    [[nodiscard]] static token copy_from(enough_token *borrowed) noexcept {
        if (borrowed == nullptr) {
            return token();
        }
        add_ref(borrowed);
        return token(borrowed);
    }

    /// True once cancelled (and forever after).
    [[nodiscard]] bool is_cancelled() const noexcept {
        return token_->vtbl->is_cancelled(token_) != 0;
    }
    /// True if cancelled or it still may be; false for the never token and once every
    /// source is gone without cancelling (then forever).
    [[nodiscard]] bool may_cancel() const noexcept { return token_->vtbl->may_cancel(token_) != 0; }
    /// The stop-token concept's names for is_cancelled and may_cancel.
    ///@{
    [[nodiscard]] bool stop_requested() const noexcept { return is_cancelled(); }
    [[nodiscard]] bool stop_possible() const noexcept { return may_cancel(); }
    ///@}
    /// The same token object (tokens of one source are one object).
    friend bool operator==(const token &a, const token &b) noexcept { return a.token_ == b.token_; }
    /// reason::none while not cancelled, else why. No exception, no allocation.
    [[nodiscard]] reason check() const noexcept;
    /// co_await token.cancelled() (<enough/coroutine.hpp>): resumes the coroutine when
    /// the token cancels, on the cancelling thread (at once if it already is), giving
    /// the reason. A coroutine
    /// destroyed while it waits unregisters (the awaiter's destructor).
    [[nodiscard]] cancelled_awaiter cancelled() const;

    /// Blocks until cancelled (true) or the timeout passes (false); false at once for a
    /// token that can never cancel. A negative timeout has already passed: it only
    /// checks (as std::condition_variable::wait_for); wait() without one has no limit.
    template <class Rep, class Period>
    bool wait(std::chrono::duration<Rep, Period> timeout) const noexcept {
        const int64_t ms = detail::ceil_milliseconds(timeout);
        return enough_token_wait(token_, ms < 0 ? 0 : ms);
    }
    /// Blocks until cancelled (true), or returns false once it never can be.
    bool wait() const noexcept { return enough_token_wait(token_, -1); }
    /// Time left before the earliest deadline that would cancel this token (its own or
    /// one it follows), rounded up to a millisecond; std::nullopt when none applies;
    /// zero once cancelled or passed. See enough_token_remaining_ms.
    [[nodiscard]] std::optional<std::chrono::milliseconds> remaining() const noexcept {
        const int64_t ms = enough_token_remaining_ms(token_);
        return ms < 0 ? std::nullopt : std::optional(std::chrono::milliseconds(ms));
    }
    /// An fd readable once cancelled (owned by the token; never close it), or -1.
    [[nodiscard]] int fd() const noexcept { return enough_token_fd(token_); }
    /// Windows: an event HANDLE signalled once cancelled (owned by the token; never close
    /// it), for WaitForMultipleObjects. Elsewhere nullptr (see enough_token_wait_handle).
    [[nodiscard]] void *wait_handle() const noexcept { return enough_token_wait_handle(token_); }

    /// A new descriptor carrying this token to another process (close-on-exec set;
    /// close it when done), or -1 (see enough::last_error()). See enough_token_export.
    [[nodiscard]] int export_fd() const noexcept { return enough_token_export(token_); }
    /// The token exported behind `fd` by another process (the descriptor stays yours),
    /// or std::nullopt when `fd` is no exported token (see enough::last_error()).
    [[nodiscard]] static std::optional<token> import_fd(int fd) noexcept {
        void *imported = enough_token_import(fd);
        if (imported == nullptr) {
            return std::nullopt;
        }
        return attach(static_cast<enough_token *>(imported));
    }

    /// Runs f(reason) once, on the cancelling thread (now, if already cancelled), while
    /// the returned registration lives. See enough::registration.
    template <class F>
    [[nodiscard]] registration on_cancel(F &&f) const;

    /// The interface pointer, still owned by this object (also the flat API handle).
    [[nodiscard]] enough_token *get() const noexcept { return token_; }
    /// Gives up ownership of the interface pointer; this becomes the never token.
    [[nodiscard]] enough_token *detach() noexcept { return std::exchange(token_, never()); }

private:
    explicit token(enough_token *owned) noexcept : token_(owned) {}
    static enough_token *never() noexcept {
        return static_cast<enough_token *>(enough_token_create_never());
    }
    static void add_ref(enough_token *t) noexcept { t->vtbl->add_ref(t); }

    enough_token *token_;
};

/// A non-owning view for hot loops: is_cancelled() is one acquire load and one compare
/// with zero while not cancelled, whatever the token. Tokens without a state word are
/// asked through their vtable only once the sentinel word says so. The viewed token
/// must outlive the view. NULL and default views are never cancelled.
class token_view {
public:
    /// The stop-token concept's callback type: enough::stop_callback.
    template <class Callback>
    using callback_type = enough::stop_callback<Callback>;

    /// A view that is never cancelled.
    token_view() noexcept = default;
    /// A view of the token, which must outlive it.
    token_view(const token &t) noexcept : token_view(t.get()) {} // NOLINT: implicit by design
    /// A view of an ABI token the caller keeps alive (NULL: never cancelled).
    explicit token_view(enough_token *t) noexcept : token_(t), word_(word_of(t)) {}

    /// True once cancelled: one acquire load while not.
    [[nodiscard]] bool is_cancelled() const noexcept {
        const uint32_t word = enough_state_word_load(word_);
        if (word == ENOUGH_REASON_NONE) [[likely]] {
            return false;
        }
        return word != detail::ask_the_token || token_->vtbl->is_cancelled(token_) != 0;
    }
    /// reason::none while not cancelled, else why.
    [[nodiscard]] reason check() const noexcept {
        const uint32_t word = enough_state_word_load(word_);
        if (word != detail::ask_the_token) [[likely]] {
            return detail::to_reason(word);
        }
        return static_cast<reason>(enough_token_reason(token_));
    }
    /// As token::may_cancel (false for an empty view).
    [[nodiscard]] bool may_cancel() const noexcept {
        return token_ != nullptr && token_->vtbl->may_cancel(token_) != 0;
    }
    /// The stop-token concept's names for is_cancelled and may_cancel.
    ///@{
    [[nodiscard]] bool stop_requested() const noexcept { return is_cancelled(); }
    [[nodiscard]] bool stop_possible() const noexcept { return may_cancel(); }
    ///@}
    /// Views of the same token object.
    friend bool operator==(const token_view &a, const token_view &b) noexcept {
        return a.token_ == b.token_;
    }
    /// The viewed ABI token (no reference added), or NULL.
    [[nodiscard]] enough_token *get() const noexcept { return token_; }

private:
    static const uint32_t *word_of(enough_token *t) noexcept {
        if (t == nullptr) {
            return &detail::never_word;
        }
        const uint32_t *word = t->vtbl->state_word(t);
        return word != nullptr ? word : &detail::ask_the_token;
    }

    enough_token *token_ = nullptr;
    const uint32_t *word_ = &detail::never_word;
};

inline reason token::check() const noexcept { return token_view(*this).check(); }

/// An owning source handle: the right to cancel. Copies share the same source.
class source {
public:
    /// A new source. Throws std::bad_alloc when memory is exhausted.
    source() : source_(static_cast<enough_source *>(enough_cancellation_create())) {
        if (source_ == nullptr) {
            throw std::bad_alloc();
        }
    }
    /// A new source, or an empty one (operator bool false) when memory is exhausted.
    explicit source(std::nothrow_t) noexcept
        : source_(static_cast<enough_source *>(enough_cancellation_create())) {}
    /// Copying adds a reference (copies are one source); moving leaves an empty source
    /// behind; assignment swaps.
    ///@{
    source(const source &other) noexcept : source_(other.source_) {
        if (source_ != nullptr) {
            source_->vtbl->add_ref(source_);
        }
    }
    source(source &&other) noexcept : source_(std::exchange(other.source_, nullptr)) {}
    source &operator=(source other) noexcept {
        std::swap(source_, other.source_);
        return *this;
    }
    ///@}
    /// Releases the reference; the tokens keep their state.
    ~source() {
        if (source_ != nullptr) {
            source_->vtbl->release(source_);
        }
    }

    /// Takes over the caller's reference.
    [[nodiscard]] static source attach(enough_source *owned) noexcept { return source(owned); }

    /// False for an empty source (moved from, detached, or std::nothrow out of memory).
    explicit operator bool() const noexcept { return source_ != nullptr; }

    /// A new source cancelled (with the parent's reason) as soon as any parent is.
    /// Throws std::bad_alloc when memory is exhausted.
    [[nodiscard]] static source linked(std::initializer_list<token_view> parents);
    /// As linked({...}), from any range of tokens or token views.
    template <class Range>
    [[nodiscard]] static source linked(const Range &parents);

    /// True for the call that cancelled; false if already cancelled or empty.
    bool cancel() noexcept { return source_ != nullptr && source_->vtbl->cancel(source_) != 0; }
    /// Cancels with a reason (> 0); true for the call that cancelled.
    bool cancel(enough::reason why) noexcept {
        return enough_cancellation_cancel_with_reason(source_, static_cast<int32_t>(why));
    }
    /// Cancels with a reason (> 0), async-signal-safely: callable from a signal
    /// handler. The token reads cancelled when it returns; the callbacks run soon after
    /// on the library's thread, never on this one. See enough_cancellation_cancel_async.
    bool cancel_async(enough::reason why = enough::reason::cancelled) noexcept {
        return enough_cancellation_cancel_async(source_, static_cast<int32_t>(why));
    }
    /// Arms or re-arms a deadline: cancels with reason::timed_out after `delay`; a zero
    /// delay cancels before this returns, on this thread. A negative delay is refused
    /// (false, nothing changes): it is a caller's mistake, not "now".
    template <class Rep, class Period>
    bool cancel_after(std::chrono::duration<Rep, Period> delay) noexcept {
        const int64_t ms = detail::ceil_milliseconds(delay);
        return ms >= 0 && enough_cancellation_cancel_after(source_, static_cast<uint64_t>(ms));
    }
    /// True once cancelled; false for an empty source.
    [[nodiscard]] bool is_cancelled() const noexcept {
        return source_ != nullptr && source_->vtbl->is_cancelled(source_) != 0;
    }
    /// reason::none while not cancelled, else why.
    [[nodiscard]] enough::reason reason() const noexcept {
        return static_cast<enough::reason>(enough_cancellation_reason(source_));
    }
    /// Good as new for reuse (.NET's TryReset): true when not cancelled and nothing is
    /// registered on its token; its deadline is then disarmed. False, changing nothing,
    /// otherwise. See enough_cancellation_try_reset.
    bool try_reset() noexcept { return enough_cancellation_try_reset(source_); }
    /// The same source (copies share one).
    friend bool operator==(const source &a, const source &b) noexcept { return a.source_ == b.source_; }
    /// This source's token (the never token for an empty source).
    [[nodiscard]] enough::token token() const noexcept {
        enough_token *t = nullptr;
        if (source_ == nullptr || source_->vtbl->get_token(source_, &t) != ENOUGH_OK) {
            return enough::token();
        }
        return enough::token::attach(t);
    }

    /// The ABI source (no reference added), or NULL when empty.
    [[nodiscard]] enough_source *get() const noexcept { return source_; }
    /// Gives the caller this handle's reference; the handle is empty after.
    [[nodiscard]] enough_source *detach() noexcept { return std::exchange(source_, nullptr); }

private:
    explicit source(enough_source *owned) noexcept : source_(owned) {}

    enough_source *source_;
};

namespace detail {
/// The flat handles of the parents of a linked source or token.
template <class Range>
std::vector<void *> parent_handles(const Range &parents) {
    std::vector<void *> handles;
    for (const auto &parent : parents) {
        handles.push_back(token_view(parent).get());
    }
    return handles;
}
/// What a flat create_linked gave: a new reference, or nullptr when memory is exhausted.
inline void *created_or_throw(void *created) {
    if (created == nullptr) {
        throw std::bad_alloc();
    }
    return created;
}
inline source linked_source(const std::vector<void *> &parents) {
    return source::attach(static_cast<enough_source *>(
        created_or_throw(enough_cancellation_create_linked(parents.data(), parents.size()))));
}
inline token linked_token(const std::vector<void *> &parents) {
    return token::attach(static_cast<enough_token *>(
        created_or_throw(enough_token_create_linked(parents.data(), parents.size()))));
}
} // namespace detail

inline source source::linked(std::initializer_list<token_view> parents) {
    return detail::linked_source(detail::parent_handles(parents));
}
template <class Range>
source source::linked(const Range &parents) {
    return detail::linked_source(detail::parent_handles(parents));
}
inline token token::linked(std::initializer_list<token_view> parents) {
    return detail::linked_token(detail::parent_handles(parents));
}
template <class Range>
token token::linked(const Range &parents) {
    return detail::linked_token(detail::parent_handles(parents));
}

/// A callback registration. While it lives, its callable runs once when the token
/// cancels, on the cancelling thread. Its destructor has std::stop_callback's
/// guarantee: when it returns the callable is not running and never will; destroyed
/// from inside the callable it returns at once. An exception thrown by the callable is
/// caught at the boundary and discarded: it never unwinds into the thread that
/// cancelled (which may be C code, another module, or the timer thread).
class registration {
public:
    /// An empty registration.
    registration() noexcept = default;
    /// Moving leaves an empty registration behind; assignment swaps (the old one is
    /// unregistered as the argument goes).
    ///@{
    registration(registration &&other) noexcept
        : handle_(std::exchange(other.handle_, nullptr)), box_(std::exchange(other.box_, nullptr)) {}
    registration &operator=(registration other) noexcept {
        std::swap(handle_, other.handle_);
        std::swap(box_, other.box_);
        return *this;
    }
    ///@}
    /// Unregisters, with reset()'s guarantee.
    ~registration() { reset(); }

    /// Unregisters now (the destructor's guarantee); afterwards this is empty.
    void reset() noexcept {
        if (handle_ != nullptr) {
            enough_registration_destroy(std::exchange(handle_, nullptr));
            box_base *box = std::exchange(box_, nullptr);
            // Not running now (or running right here, having set `ran`): if it never
            // ran it never will, and its run's share goes too.
            box->release(box->ran.load(std::memory_order_acquire) ? 1 : 2);
        }
    }
    /// Unregisters without ever waiting (.NET's Unregister): true when the callable had
    /// not run and now never will; false when it has run or runs right now on another
    /// thread (it finishes on its own). Afterwards this is empty, either way.
    bool try_reset() noexcept {
        if (handle_ == nullptr) {
            return false;
        }
        const bool removed = enough_registration_try_destroy(std::exchange(handle_, nullptr));
        std::exchange(box_, nullptr)->release(removed ? 2 : 1);
        return removed;
    }
    /// True while registered (not empty).
    explicit operator bool() const noexcept { return handle_ != nullptr; }

private:
    friend class token;

    /// The callable, owned twice: by the registration and by its run (the library's
    /// callback); whichever lets go last frees it, so that neither waits for the other.
    struct box_base {
        virtual ~box_base() = default;
        virtual void invoke(enough::reason why) noexcept = 0;
        void release(int shares) noexcept {
            if (owners.fetch_sub(shares, std::memory_order_acq_rel) == shares) {
                delete this;
            }
        }
        std::atomic<int> owners{2};
        std::atomic<bool> ran{false};
    };
    template <class F>
    struct box final : box_base {
        explicit box(F &&f) : callable(std::forward<F>(f)) {}
        void invoke(enough::reason why) noexcept override {
            try {
                callable(why);
            } catch (...) {
                // Discarded: exceptions never cross the ABI (see the class comment).
            }
        }
        std::decay_t<F> callable;
    };
    static void ENOUGH_CALL trampoline(void *user_data, int32_t why) {
        auto *const b = static_cast<box_base *>(user_data);
        b->ran.store(true, std::memory_order_release);
        b->invoke(static_cast<enough::reason>(why));
        b->release(1); // the run's share
    }

    registration(void *handle, box_base *b) noexcept : handle_(handle), box_(b) {}

    void *handle_ = nullptr;
    box_base *box_ = nullptr;
};

template <class F>
registration token::on_cancel(F &&f) const {
    auto *b = new registration::box<F>(std::forward<F>(f));
    void *handle = enough_token_register(token_, &registration::trampoline, b);
    if (handle == nullptr) {
        delete b; // never registered: nothing runs it
        throw std::bad_alloc();
    }
    return registration(handle, b);
}

/// std::stop_callback's counterpart for enough tokens (token::callback_type): while it
/// lives, its callback runs once, with no argument, when the token cancels (in the
/// constructor if it already is), on the cancelling thread. It is neither copied nor
/// moved, and invoked with the value category it was given (an rvalue-only
/// operator()() && works). Its destructor has std::stop_callback's guarantee. An
/// exception the callback throws is discarded: it never crosses the ABI.
template <class Callback>
class stop_callback {
public:
    /// The callable's type.
    using callback_type = Callback;

    /// Registers `callback` on the token (runs it at once if the token is cancelled).
    /// Out of memory leaves it unregistered: it then never runs, as on a token that
    /// cannot stop.
    ///@{
    template <class C>
        requires std::constructible_from<Callback, C>
    explicit stop_callback(const token &t, C &&callback) noexcept(std::is_nothrow_constructible_v<Callback, C>)
        : callback_(std::forward<C>(callback)) {
        attach(t.get());
    }
    template <class C>
        requires std::constructible_from<Callback, C>
    explicit stop_callback(token &&t, C &&callback) noexcept(std::is_nothrow_constructible_v<Callback, C>)
        : callback_(std::forward<C>(callback)) {
        attach(t.get()); // the registration keeps what it needs of the token
    }
    template <class C>
        requires std::constructible_from<Callback, C>
    explicit stop_callback(token_view t, C &&callback) noexcept(std::is_nothrow_constructible_v<Callback, C>)
        : callback_(std::forward<C>(callback)) {
        attach(t.get());
    }
    ///@}
    /// Unregisters: when it returns the callback is not running and never will.
    ~stop_callback() { enough_registration_destroy(handle_); }
    stop_callback(const stop_callback &) = delete;
    stop_callback &operator=(const stop_callback &) = delete;

private:
    void attach(enough_token *t) noexcept {
        if (t != nullptr) {
            // Out of memory leaves it unregistered: it then never runs (like a token
            // that cannot stop), rather than throwing from a noexcept constructor.
            handle_ = enough_token_register(t, &stop_callback::run, this);
        }
    }
    static void ENOUGH_CALL run(void *self, int32_t /*reason*/) {
        try {
            std::forward<Callback>(static_cast<stop_callback *>(self)->callback_)();
        } catch (...) {
            // Discarded: exceptions never cross the ABI.
        }
    }

    Callback callback_;
    void *handle_ = nullptr;
};
/// stop_callback's deduction guides, as std::stop_callback's.
///@{
template <class Callback>
stop_callback(token, Callback) -> stop_callback<Callback>;
template <class Callback>
stop_callback(token_view, Callback) -> stop_callback<Callback>;
///@}

} // namespace enough

namespace std {
/// Tokens hash by identity, as they compare.
template <>
struct hash<enough::token> {
    /// The token object's address, hashed.
    std::size_t operator()(const enough::token &t) const noexcept {
        return std::hash<const void *>()(t.get());
    }
};
} // namespace std
