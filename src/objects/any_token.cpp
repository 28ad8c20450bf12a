#include "objects/any_token.hpp"

#include "objects/cancellation_state.hpp"
#include "objects/source_interface.hpp"
#include "objects/never_token.hpp"
#include "objects/token_interface.hpp"
#include "runtime/poll_list.hpp"

#include <enough/enough.h>

namespace enough::detail {
namespace {

// Calls `use` on the foreign token's enough_token2 if it has one; else `fallback`.
template <class Use, class Fallback>
auto with_token2(enough_token *token, Use use, Fallback fallback) noexcept {
    return with_interface<enough_token2>(token, ENOUGH_IID_TOKEN2, use, fallback);
}

// A foreign token that cannot push, and the mirror that follows it.
struct watch {
    enough_token *foreign; // one reference
    cancellation_state *mirror; // one source reference
};

// One poll of a watch: cancels the mirror with the foreign reason, or orphans it once
// the foreign token can never cancel, or ends the watch once nobody observes the
// mirror. True when the watch is over (its references released).
bool settle(watch &entry) noexcept {
    enough_token *const foreign = entry.foreign;
    if (foreign->vtbl->is_cancelled(foreign) != 0) {
        entry.mirror->cancel(foreign_token_reason(foreign));
    } else if (foreign->vtbl->may_cancel(foreign) != 0 && entry.mirror->is_observed()) {
        return false;
    }
    foreign->vtbl->release(foreign);
    entry.mirror->release_source_ref(); // orphans the mirror unless it was cancelled
    return true;
}

constexpr std::chrono::milliseconds watch_interval{1};

poll_list<watch, settle> &watches() noexcept {
    // Leaked on purpose: the library's thread may poll while the process exits.
    static auto *const list = new poll_list<watch, settle>(watch_interval);
    return *list;
}

} // namespace

cancellation_state *mirror_of(gsl::not_null<enough_token *> foreign) noexcept {
    cancellation_state *mirror = new_cancellation_state();
    if (mirror == nullptr) {
        return nullptr;
    }
    mirror->add_ref();
    bool ok = true;
    if (foreign->vtbl->is_cancelled(foreign) != 0) {
        mirror->cancel(foreign_token_reason(foreign));
    } else if (foreign->vtbl->may_cancel(foreign) != 0) {
        foreign->vtbl->add_ref(foreign);
        mirror->add_source_ref();
        ok = watches().add({foreign, mirror});
        if (!ok) {
            foreign->vtbl->release(foreign);
            mirror->release_source_ref();
        }
    }
    mirror->release_source_ref(); // the watch holds its own
    if (!ok) {
        mirror->release();
        return nullptr;
    }
    return mirror;
}

enough_result register_through_mirror(gsl::not_null<enough_token *> token, enough_callback_fn callback,
                                      void *user_data, enough_unknown **registration) noexcept {
    if (registration == nullptr || callback == nullptr) {
        return ENOUGH_E_POINTER;
    }
    *registration = nullptr;
    if (token->vtbl->may_cancel(token) == 0) {
        // Accepted, and never run.
        callback_registration *idle = callback_registration::create(nullptr, callback, user_data);
        if (idle == nullptr) {
            return ENOUGH_E_OUTOFMEMORY;
        }
        *registration = idle->face();
        return ENOUGH_OK;
    }
    cancellation_state *mirror = mirror_of(token);
    if (mirror == nullptr) {
        return ENOUGH_E_OUTOFMEMORY;
    }
    const enough_result result = mirror->register_callback(callback, user_data, registration);
    mirror->release(); // the watch keeps the mirror while the registration is listed
    return result;
}

int32_t foreign_token_reason(gsl::not_null<enough_token *> token) noexcept {
    return with_token2(
        token, [](enough_token2 *t) { return t->vtbl->reason(t); },
        [token]() -> int32_t {
            if (token->vtbl->is_cancelled(token) == 0) {
                return ENOUGH_REASON_NONE;
            }
            // Without enough_token2 the word, if any, still tells why.
            const uint32_t *word = token->vtbl->state_word(token);
            const uint32_t reason = word != nullptr ? enough_state_word_load(word) : 0;
            return reason != 0 ? static_cast<int32_t>(reason) : ENOUGH_REASON_CANCELLED;
        });
}

enough_result foreign_token_register(gsl::not_null<enough_token *> token, enough_callback_fn callback,
                                 void *user_data, enough_unknown **registration) noexcept {
    return with_token2(
        token,
        [&](enough_token2 *t) {
            const enough_result result = t->vtbl->register_callback(t, callback, user_data, registration);
            // A token that can only be polled (it cannot push) says so: watch it instead.
            return result == ENOUGH_E_NOTIMPL
                       ? register_through_mirror(token, callback, user_data, registration)
                       : result;
        },
        [&] { return register_through_mirror(token, callback, user_data, registration); });
}

bool foreign_token_wait(gsl::not_null<enough_token *> token, int64_t timeout_ms) noexcept {
    return with_token2(
        token, [&](enough_token2 *t) { return t->vtbl->wait(t, timeout_ms) != 0; },
        [&]() {
            if (token->vtbl->is_cancelled(token) != 0) {
                return true;
            }
            if (timeout_ms == 0 || token->vtbl->may_cancel(token) == 0) {
                return false;
            }
            cancellation_state *mirror = mirror_of(token);
            if (mirror == nullptr) {
                return false;
            }
            const bool cancelled = mirror->wait(timeout_ms);
            mirror->release();
            return cancelled;
        });
}

int foreign_token_fd(gsl::not_null<enough_token *> token) noexcept {
    return with_token2(
        token, [](enough_token2 *t) { return static_cast<int>(t->vtbl->fd(t)); },
        [token] {
            // Not cancelled and never will be (the never token, an orphan): a descriptor
            // that stays unreadable is exact. Otherwise there is none to give.
            const bool never = token->vtbl->is_cancelled(token) == 0 &&
                               token->vtbl->may_cancel(token) == 0;
            return never ? never_readable_fd() : -1;
        });
}

int64_t foreign_token_remaining_ms(gsl::not_null<enough_token *> token) noexcept {
    return ask_remaining_ms(token);
}

} // namespace enough::detail
