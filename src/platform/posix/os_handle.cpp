#include "platform/os_handle.hpp"

#include <unistd.h>

namespace enough::detail {

void os_handle_close(os_handle handle) noexcept {
    if (handle >= 0) {
        close(handle);
    }
}

int os_handle_to_int(os_handle handle) noexcept { return handle; }
os_handle os_handle_from_int(int value) noexcept { return value; }

} // namespace enough::detail
