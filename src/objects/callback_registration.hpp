// A callback registration: the object enough_token_register hands out.
//
// An enough_unknown whose last release unregisters with std::stop_callback's
// guarantee. It keeps the memory of the state it is registered with (the memory rule
// in callback_registry.hpp), not a reference: a registration must not keep a token
// observable or its sources' right to cancel alive, but the state's list, which it
// sits in, must outlive it.
#pragma once

#include "runtime/object_pool.hpp"
#include "runtime/compiler.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <atomic>
#include <cstdint>

namespace enough::detail {

class cancellation_state;
class callback_registry;

class callback_registration : public pooled<pool_kind::registration> {
public:
    // A registration for `state` (whose memory it holds once the registry counts it),
    // or for nothing (state nullptr: a token that can never cancel; it never runs).
    // nullptr when memory is exhausted.
    static gsl::owner<callback_registration *> create(cancellation_state *state,
                                                      enough_callback_fn callback,
                                                      void *user_data) noexcept;

    enough_unknown *face() noexcept { return &face_; }
    static callback_registration *from(gsl::not_null<enough_unknown *> face) noexcept {
        return reinterpret_cast<callback_registration *>(face.get()); // face_ is first
    }

    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept; // the last one unregisters, waiting out a running callback
    // Releases this reference without ever waiting: true when it was the last and the
    // callback had not run (now it never will).
    bool release_without_waiting() noexcept;

    // Runs the callback on this thread, marked as "running here" so that an
    // unregister from inside it returns at once.
    void invoke(int32_t reason) noexcept;

    // Frees the registration; its callback is not running.
    void destroy() noexcept;

private:
    friend class callback_registry;
    struct unregistered {
        bool last;          // it was the last reference
        bool before_it_ran; // and the callback had not run: now it never will
    };
    unregistered unregister_on_last(bool wait) noexcept;
    enum class phase : uint32_t { idle, listed, running, done };
    phase current_phase() const noexcept {
        return static_cast<phase>(phase_.load(std::memory_order_acquire));
    }
    void set_phase(phase p) noexcept {
        phase_.store(static_cast<uint32_t>(p), std::memory_order_release);
    }
    const std::atomic<uint32_t> &phase_word() const noexcept { return phase_; }

    callback_registration(cancellation_state *state, enough_callback_fn callback,
                          void *user_data) noexcept;
    ~callback_registration() = default;

    enough_unknown face_;
    std::atomic<uint32_t> refs_{1};
    enough_callback_fn callback_;
    void *user_data_;
    cancellation_state *state_;
    // Guarded by the registry's lock (phase_ is also read, and waited on, without it).
    callback_registration *prev_ = nullptr;
    callback_registration *next_ = nullptr;
    std::atomic<uint32_t> phase_{static_cast<uint32_t>(phase::idle)};
    bool destroy_after_run_ = false; // unregistered from inside its own callback
    bool awaited_ = false;           // another thread waits for its run to finish
};

// The vtable of this library's registrations (for the flat adapters' fast path).
ENOUGH_INTERNAL extern const enough_unknown_vtbl registration_vtable;

// The registration the current thread is running the callback of, if any.
ENOUGH_INTERNAL bool is_running_on_this_thread(const callback_registration *registration) noexcept;

} // namespace enough::detail
