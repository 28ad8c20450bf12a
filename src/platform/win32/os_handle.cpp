#include "platform/os_handle.hpp"

#include <windows.h>

namespace enough::detail {

void os_handle_close(os_handle handle) noexcept {
    if (handle != nullptr && handle != INVALID_HANDLE_VALUE) {
        CloseHandle(handle);
    }
}

// Only the low 32 bits of a kernel handle are significant (HandleToLong/LongToHandle):
// an int carries one across the flat API and between processes.
int os_handle_to_int(os_handle handle) noexcept {
    return handle == nullptr ? -1 : static_cast<int>(HandleToLong(handle));
}

os_handle os_handle_from_int(int value) noexcept {
    return value == -1 || value == 0 ? nullptr : LongToHandle(value);
}

} // namespace enough::detail
