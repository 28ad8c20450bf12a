/// @file
/// enough: the C++ projection, authoring side. enough::implements<D, I...> turns a
/// class with plain member functions into an ABI object (vtables, reference count,
/// query_interface), in the spirit of C++/WinRT's implements. Exceptions never cross the
/// ABI: a thunk that catches one returns the documented failure value instead.
#pragma once

#include <enough/handles.hpp>

#include <atomic>
#include <chrono>
#include <concepts>
#include <cstdint>
#include <mutex>
#include <new>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>

namespace enough {

template <class I>
struct interface_traits; ///< specialised for each ABI interface that can be authored

namespace detail {

/// One interface pointer inside an implementation: the ABI struct, first and alone.
template <class I>
struct interface_slot {
    I abi;
};

/// Calls D's member through a thunk; any exception becomes the failure value.
template <class Fn, class R>
R catching(Fn &&fn, R on_exception) noexcept {
    try {
        return fn();
    } catch (...) {
        return on_exception;
    }
}

} // namespace detail

/// Derive D from implements<D, I...> and write plain member functions; the vtables, the
/// reference count and query_interface are generated. Create objects with enough::make.
template <class D, class... I>
class implements : private detail::interface_slot<I>... {
    static_assert(sizeof...(I) > 0, "implement at least one interface");

public:
    /// The identity: the interface query_interface answers for ENOUGH_IID_UNKNOWN.
    using first_interface = std::tuple_element_t<0, std::tuple<I...>>;

    implements(const implements &) = delete;
    implements &operator=(const implements &) = delete;

    /// The interface pointer for I, without a new reference.
    template <class J>
    J *interface_of() noexcept {
        return &static_cast<detail::interface_slot<J> *>(this)->abi;
    }

    /// IUnknown's three, for D's own use (the vtables' thunks call them): add_ref and
    /// release return the new count, and the last release deletes the object;
    /// query_interface answers ENOUGH_IID_UNKNOWN with the first interface and any id
    /// the listed interfaces offer.
    ///@{
    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept {
        const uint32_t left = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
        if (left == 0) {
            delete static_cast<D *>(this);
        }
        return left;
    }
    enough_result query_interface(const enough_iid *iid, void **out) noexcept {
        if (out == nullptr) {
            return ENOUGH_E_POINTER;
        }
        *out = nullptr;
        if (iid == nullptr) {
            return ENOUGH_E_POINTER;
        }
        void *found = nullptr;
        if (enough_iid_equal(iid, &ENOUGH_IID_UNKNOWN)) {
            found = interface_of<first_interface>(); // the identity
        } else {
            // The first listed interface that offers the id answers.
            ((found == nullptr && interface_traits<I>::offers(iid)
                  ? static_cast<void>(found = interface_of<I>())
                  : static_cast<void>(0)),
             ...);
        }
        if (found == nullptr) {
            return ENOUGH_E_NOINTERFACE;
        }
        add_ref();
        *out = found;
        return ENOUGH_OK;
    }
    ///@}

    /// From an interface pointer of this implementation back to the object.
    template <class J>
    static D *self(J *abi) noexcept {
        // interface_slot<J> holds only the ABI struct, so the two pointers are interconvertible.
        implements *base = static_cast<implements *>(reinterpret_cast<detail::interface_slot<J> *>(abi));
        return static_cast<D *>(base);
    }

protected:
    implements() noexcept : detail::interface_slot<I>{&interface_traits<I>::template vtable<D>}... {}
    ~implements() = default;

private:
    std::atomic<uint32_t> refs_{1};
};

/// Creates an implementation with one reference, handed to the caller as the
/// interface pointer I. nullptr when memory is exhausted or D's constructor throws.
template <class I, class D, class... Args>
[[nodiscard]] I *make(Args &&...args) noexcept {
    try {
        D *object = new (std::nothrow) D(std::forward<Args>(args)...);
        return object != nullptr ? object->template interface_of<I>() : nullptr;
    } catch (...) {
        return nullptr;
    }
}

/// Creates a token implementation (whose first interface is enough_token, or
/// enough_token2 or enough_token3, which extend it), owned by the returned handle.
template <class D, class... Args>
[[nodiscard]] token make_token(Args &&...args) {
    using first = typename D::first_interface;
    static_assert(std::is_same_v<first, enough_token> || std::is_same_v<first, enough_token2> ||
                      std::is_same_v<first, enough_token3>,
                  "a token's first interface is enough_token, enough_token2 or enough_token3");
    auto *t = reinterpret_cast<enough_token *>(make<first, D>(std::forward<Args>(args)...));
    if (t == nullptr) {
        throw std::bad_alloc();
    }
    return token::attach(t);
}

/// The members every authored interface shares: query_interface, add_ref, release.
template <class I>
struct unknown_thunks {
    /// The vtable entry: calls D's query_interface.
    template <class D>
    static enough_result ENOUGH_CALL query_interface(I *self, const enough_iid *iid,
                                                     void **out) noexcept {
        return D::self(self)->query_interface(iid, out);
    }
    /// The vtable entry: calls D's add_ref.
    template <class D>
    static uint32_t ENOUGH_CALL add_ref(I *self) noexcept {
        return D::self(self)->add_ref();
    }
    /// The vtable entry: calls D's release.
    template <class D>
    static uint32_t ENOUGH_CALL release(I *self) noexcept {
        return D::self(self)->release();
    }
};

/// What a token written in C++ holds to push its cancellation instead of being polled:
/// call cancel(reason) when its own condition is met (on any thread: the callbacks
/// registered on the token run there, before cancel returns), orphan() once it can never
/// be met, and expose the hub as `enough::callback_hub &hub()`. The enough_token2
/// entries (register_callback, wait, fd, and reason once cancelled) are then served by
/// it. Without a hub, an authored token2 answers register_callback with
/// ENOUGH_E_NOTIMPL and the library watches it by polling every millisecond.
class callback_hub {
public:
    callback_hub() : source_(enough_cancellation_create()) {
        if (source_ == nullptr) {
            throw std::bad_alloc();
        }
        token_ = enough_token_create(source_);
    }
    ~callback_hub() {
        enough_cancellation_destroy(source_);
        enough_token_destroy(token_);
    }
    callback_hub(const callback_hub &) = delete;
    callback_hub &operator=(const callback_hub &) = delete;

    /// Runs the callbacks (first cancel wins); false once cancelled or orphaned.
    bool cancel(int32_t reason = ENOUGH_REASON_CANCELLED) noexcept {
        std::lock_guard lock(mutex_);
        return source_ != nullptr && enough_cancellation_cancel_with_reason(source_, reason);
    }
    /// It can never cancel now: waits return false, callbacks never run.
    void orphan() noexcept {
        std::lock_guard lock(mutex_);
        enough_cancellation_destroy(std::exchange(source_, nullptr));
    }
    /// The token the hub's entries are served by (owned by the hub).
    [[nodiscard]] void *token() const noexcept { return token_; }

private:
    std::mutex mutex_;
    void *source_; ///< guarded by mutex_; nullptr once orphaned
    void *token_;
};

namespace detail {

template <class D>
concept has_hub = requires(D &d) {
    { d.hub() } -> std::same_as<callback_hub &>;
};

/// The entries of enough_token, enough_token2 and enough_token3 (each extends the one
/// before), for a face type Face that is one of them.
template <class Face>
struct token_thunks : unknown_thunks<Face> {
    template <class D>
    static int32_t ENOUGH_CALL is_cancelled(Face *self) noexcept {
        return catching([&] { return D::self(self)->is_cancelled() ? 1 : 0; }, 0);
    }
    template <class D>
    static int32_t ENOUGH_CALL may_cancel(Face *self) noexcept {
        return catching([&] { return D::self(self)->may_cancel() ? 1 : 0; }, 0);
    }
    template <class D>
    static const uint32_t *ENOUGH_CALL state_word(Face *self) noexcept {
        if constexpr (requires(D &d) { d.state_word(); }) {
            return catching([&]() -> const uint32_t * { return D::self(self)->state_word(); },
                            static_cast<const uint32_t *>(nullptr));
        } else {
            (void)self;
            return nullptr;
        }
    }
    template <class D>
    static int32_t ENOUGH_CALL reason(Face *self) noexcept {
        return catching(
            [&]() -> int32_t {
                D &d = *D::self(self);
                if constexpr (requires { d.reason(); }) {
                    return static_cast<int32_t>(d.reason());
                } else {
                    if (!d.is_cancelled()) {
                        return ENOUGH_REASON_NONE;
                    }
                    if constexpr (has_hub<D>) {
                        const int32_t pushed = enough_token_reason(d.hub().token());
                        return pushed != ENOUGH_REASON_NONE ? pushed : ENOUGH_REASON_CANCELLED;
                    } else {
                        return ENOUGH_REASON_CANCELLED;
                    }
                }
            },
            ENOUGH_REASON_NONE);
    }
    template <class D>
    static enough_result ENOUGH_CALL register_callback(Face *self, enough_callback_fn callback,
                                                       void *user_data,
                                                       enough_unknown **registration) noexcept {
        if constexpr (has_hub<D>) {
            if (registration == nullptr || callback == nullptr) {
                return ENOUGH_E_POINTER;
            }
            *registration = static_cast<enough_unknown *>(
                enough_token_register(D::self(self)->hub().token(), callback, user_data));
            return *registration != nullptr ? ENOUGH_OK : ENOUGH_E_OUTOFMEMORY;
        } else {
            (void)self, (void)callback, (void)user_data;
            if (registration != nullptr) {
                *registration = nullptr;
            }
            return ENOUGH_E_NOTIMPL; // the library polls it
        }
    }
    template <class D>
    static int32_t ENOUGH_CALL wait(Face *self, int64_t timeout_ms) noexcept {
        D &d = *D::self(self);
        if constexpr (has_hub<D>) {
            return enough_token_wait(d.hub().token(), timeout_ms) ? 1 : 0;
        } else {
            // Nothing pushes: look every millisecond until cancelled, orphaned or due.
            (void)d;
            constexpr int64_t unlimited = int64_t{1} << 40; // 35 years: no limit
            const bool limited = timeout_ms >= 0 && timeout_ms < unlimited;
            const auto due = std::chrono::steady_clock::now() +
                             std::chrono::milliseconds(limited ? timeout_ms : 0);
            for (;;) {
                if (is_cancelled<D>(self) != 0) {
                    return 1;
                }
                if (may_cancel<D>(self) == 0 || (limited && std::chrono::steady_clock::now() >= due)) {
                    return 0;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
        }
    }
    template <class D>
    static int32_t ENOUGH_CALL fd(Face *self) noexcept {
        if constexpr (has_hub<D>) {
            return enough_token_fd(D::self(self)->hub().token());
        } else {
            (void)self;
            return -1;
        }
    }
    template <class D>
    static int64_t ENOUGH_CALL remaining_ms(Face *self) noexcept {
        if constexpr (requires(D &d) { d.remaining_ms(); }) {
            return catching([&]() -> int64_t { return D::self(self)->remaining_ms(); }, int64_t{-1});
        } else {
            return is_cancelled<D>(self) != 0 ? 0 : -1;
        }
    }
};

} // namespace detail

/// enough_token: D provides bool is_cancelled() and bool may_cancel(); optionally
/// const uint32_t* state_word() (without it, holders call is_cancelled).
template <>
struct interface_traits<enough_token> : detail::token_thunks<enough_token> {
    /// True for the ids this interface answers query_interface for.
    static bool offers(const enough_iid *iid) noexcept {
        return enough_iid_equal(iid, &ENOUGH_IID_TOKEN);
    }
    /// The vtable of D's objects, built from the thunks.
    template <class D>
    static constexpr enough_token_vtbl vtable = {
        query_interface<D>, add_ref<D>, release<D>, is_cancelled<D>, may_cancel<D>, state_word<D>,
    };
};

/// enough_token2 (and enough_token, which it extends): as enough_token, and optionally
/// int32_t reason(), and a callback_hub &hub() that pushes (see callback_hub). Without a
/// hub, wait looks every millisecond and fd is -1.
template <>
struct interface_traits<enough_token2> : detail::token_thunks<enough_token2> {
    /// True for the ids this interface answers query_interface for.
    static bool offers(const enough_iid *iid) noexcept {
        return enough_iid_equal(iid, &ENOUGH_IID_TOKEN) || enough_iid_equal(iid, &ENOUGH_IID_TOKEN2);
    }
    /// The vtable of D's objects, built from the thunks.
    template <class D>
    static constexpr enough_token2_vtbl vtable = {
        query_interface<D>, add_ref<D>, release<D>, is_cancelled<D>, may_cancel<D>, state_word<D>,
        reason<D>, register_callback<D>, wait<D>, fd<D>,
    };
};

/// enough_token3 (and the two it extends): as enough_token2, and optionally
/// int64_t remaining_ms() (the time left before a deadline that would cancel it; -1
/// when none applies).
template <>
struct interface_traits<enough_token3> : detail::token_thunks<enough_token3> {
    /// True for the ids this interface answers query_interface for.
    static bool offers(const enough_iid *iid) noexcept {
        return enough_iid_equal(iid, &ENOUGH_IID_TOKEN) || enough_iid_equal(iid, &ENOUGH_IID_TOKEN2) ||
               enough_iid_equal(iid, &ENOUGH_IID_TOKEN3);
    }
    /// The vtable of D's objects, built from the thunks.
    template <class D>
    static constexpr enough_token3_vtbl vtable = {
        query_interface<D>, add_ref<D>, release<D>, is_cancelled<D>, may_cancel<D>, state_word<D>,
        reason<D>, register_callback<D>, wait<D>, fd<D>, remaining_ms<D>,
    };
};

/// enough_source: D provides bool cancel(), bool is_cancelled() and
/// enough_token* get_token() (returning a new reference, or nullptr on failure).
template <>
struct interface_traits<enough_source> : unknown_thunks<enough_source> {
    /// True for the ids this interface answers query_interface for.
    static bool offers(const enough_iid *iid) noexcept {
        return enough_iid_equal(iid, &ENOUGH_IID_SOURCE);
    }
    /// The vtable entries past IUnknown's: each calls D's member of the same name; an
    /// exception becomes 0 (or ENOUGH_E_UNEXPECTED for get_token).
    ///@{
    template <class D>
    static int32_t ENOUGH_CALL cancel(enough_source *self) noexcept {
        return detail::catching([&] { return D::self(self)->cancel() ? 1 : 0; }, 0);
    }
    template <class D>
    static int32_t ENOUGH_CALL is_cancelled(enough_source *self) noexcept {
        return detail::catching([&] { return D::self(self)->is_cancelled() ? 1 : 0; }, 0);
    }
    template <class D>
    static enough_result ENOUGH_CALL get_token(enough_source *self, enough_token **out) noexcept {
        if (out == nullptr) {
            return ENOUGH_E_POINTER;
        }
        *out = detail::catching([&] { return D::self(self)->get_token(); },
                               static_cast<enough_token *>(nullptr));
        return *out != nullptr ? ENOUGH_OK : ENOUGH_E_UNEXPECTED;
    }
    ///@}
    /// The vtable of D's objects, built from the thunks.
    template <class D>
    static constexpr enough_source_vtbl vtable = {
        query_interface<D>, add_ref<D>, release<D>, cancel<D>, is_cancelled<D>, get_token<D>,
    };
};

} // namespace enough
