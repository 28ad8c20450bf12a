// One name for what the operating system hands out, as libuv's uv_os_fd_t: a file
// descriptor on POSIX systems, a HANDLE on Windows. Nothing above the platform folders
// looks inside one: they store it, hand it to the caller, and close it here.
#pragma once

#include <cstdint>

namespace enough::detail {

#if defined(_WIN32)
using os_handle = void *;
inline const os_handle no_os_handle = nullptr;
#else
using os_handle = int;
inline constexpr os_handle no_os_handle = -1;
#endif

// Closes a handle this library opened (a descriptor handed back after a failure).
void os_handle_close(os_handle handle) noexcept;

// The flat API's `int` for a handle, and back: the descriptor itself on POSIX; the
// low 32 bits of a kernel HANDLE on Windows (the only significant ones). -1 for none.
int os_handle_to_int(os_handle handle) noexcept;
os_handle os_handle_from_int(int value) noexcept;

} // namespace enough::detail
