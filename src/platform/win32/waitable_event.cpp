// A manual-reset event: signalled once, for good. The event word holds the HANDLE.
#include "platform/waitable_event.hpp"

#include <windows.h>

namespace enough::detail {
namespace {
HANDLE handle_of(waitable_event event) noexcept {
    return reinterpret_cast<HANDLE>(static_cast<uintptr_t>(event));
}
} // namespace

waitable_event waitable_event_create() noexcept {
    HANDLE event = CreateEventW(nullptr, TRUE, FALSE, nullptr);
    return event == nullptr ? no_waitable_event
                            : static_cast<waitable_event>(reinterpret_cast<uintptr_t>(event));
}

os_handle waitable_event_handle(waitable_event event) noexcept { return handle_of(event); }

void waitable_event_signal(waitable_event event) noexcept { SetEvent(handle_of(event)); }

void waitable_event_close(waitable_event event) noexcept { CloseHandle(handle_of(event)); }

} // namespace enough::detail
