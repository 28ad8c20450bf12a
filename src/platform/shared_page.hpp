// Memory shared with other processes, handed over as an OS handle. The creating
// process maps it writable; every handle it shares can only map it read-only, and its
// size can never change (where the system can promise it), so reading it never faults.
#pragma once

#include "platform/os_handle.hpp"

#include <cstddef>

namespace enough::detail {

// The system's page size, as it says (4 KiB, 16 KiB and 64 KiB kernels exist).
std::size_t system_page_size() noexcept;

#ifndef ENOUGH_PAGE_MULTIPLE
#define ENOUGH_PAGE_MULTIPLE 1
#endif
// The size of a shared page: the system's page, asked once, times ENOUGH_PAGE_MULTIPLE
// where a build asks for more (to test sizes other than 4096 on a 4 KiB machine).
inline std::size_t shared_page_size() noexcept {
    static const std::size_t size = system_page_size() * ENOUGH_PAGE_MULTIPLE;
    return size;
}

struct shared_page {
    os_handle handle = no_os_handle;    // read-write; kept by the creator
    os_handle read_only = no_os_handle; // where shared handles are copies of one (POSIX)
    void *address = nullptr;            // writable mapping
    std::size_t size = 0;
};
// A new zero-filled page of `size` bytes (a multiple of shared_page_size()), mapped
// writable here, that no one else can write or resize. False when the system refuses.
bool shared_page_create(std::size_t size, shared_page &out) noexcept;
// A new close-on-exec (non-inheritable) handle of the page that can only read it;
// no_os_handle on failure.
os_handle shared_page_share(const shared_page &page) noexcept;
void shared_page_release(shared_page &page) noexcept;

// What an importer finds behind a handle.
enum class shared_page_check { ok, not_a_handle, not_a_shared_page, wrong_size, resizable };
// Checks that `handle` is shared memory of a plausible size (a multiple of the
// system's page, at most max_size) that can never shrink where the system can tell,
// then maps it read-only into *address and its size into *size.
shared_page_check shared_page_map_read_only(os_handle handle, std::size_t max_size,
                                            const void **address, std::size_t *size) noexcept;
void shared_page_unmap(const void *address, std::size_t size) noexcept;

} // namespace enough::detail
