// An object an event loop can wait on, signalled once and for good: what a token hands
// out as enough_token_fd (a descriptor that becomes readable) and, on Windows, as
// enough_token_wait_handle.
//
// The objects keep an event as one 64-bit word (so it can be installed with one atomic
// compare-exchange); what the word holds is the backend's business (an eventfd on
// Linux, the two ends of a pipe on POSIX, an event HANDLE on Windows).
#pragma once

#include "platform/os_handle.hpp"

#include <cstdint>

namespace enough::detail {

using waitable_event = std::uint64_t;

// Whether a waitable event's handle is a descriptor (enough_token_fd hands it out) or,
// on Windows, an event HANDLE (enough_token_wait_handle does).
#if defined(_WIN32)
inline constexpr bool waitable_event_is_descriptor = false;
#else
inline constexpr bool waitable_event_is_descriptor = true;
#endif
inline constexpr waitable_event no_waitable_event = 0;

// A new, unsignalled event (close-on-exec, never blocking its signaller), or
// no_waitable_event when the system refuses.
waitable_event waitable_event_create() noexcept;
// What waiters wait on: readable (POSIX) or signalled (Windows) once signalled. Owned
// by the event.
os_handle waitable_event_handle(waitable_event event) noexcept;
// Signals it for good. Async-signal-safe; signalling twice is harmless.
void waitable_event_signal(waitable_event event) noexcept;
void waitable_event_close(waitable_event event) noexcept;

} // namespace enough::detail

#include <atomic>

namespace enough::detail {

// The event in `slot`, made and installed now if it holds none (one compare-exchange;
// the loser of a race closes its own). no_waitable_event when the system refuses.
inline waitable_event waitable_event_install_once(std::atomic<waitable_event> &slot) noexcept {
    waitable_event event = slot.load(std::memory_order_acquire);
    if (event != no_waitable_event) {
        return event;
    }
    const waitable_event created = waitable_event_create();
    if (created == no_waitable_event) {
        return no_waitable_event;
    }
    if (slot.compare_exchange_strong(event, created, std::memory_order_seq_cst)) {
        return created;
    }
    waitable_event_close(created);
    return event;
}

} // namespace enough::detail
