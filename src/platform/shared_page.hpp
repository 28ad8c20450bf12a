// A page of memory shared with other processes, handed over as a file descriptor
// (a sealed memfd on Linux). The exporting process maps it writable; every importer
// gets a descriptor that can only map it read-only.
#pragma once

#include <cstddef>

namespace enough::detail {

// A new shared page of `size` bytes (a multiple of the system page), zero-filled,
// whose size can never change again (sealed), mapped writable in this process.
struct shared_page {
    int fd = -1;             // read-write, close-on-exec; kept by the creator
    void *address = nullptr; // writable mapping
};
// False (with errno's story lost) when the system refuses.
bool shared_page_create(std::size_t size, shared_page &out) noexcept;
// After the creator has mapped it: no new writable mapping, write() or truncation
// by anyone, through any descriptor (where the system offers it).
void shared_page_forbid_new_writers(int fd) noexcept;
// A new close-on-exec descriptor of the page that can only read it; -1 on failure.
int shared_page_read_only_descriptor(int fd) noexcept;
void shared_page_release(shared_page &page, std::size_t size) noexcept;

// What an importer finds behind a descriptor.
enum class shared_page_check { ok, not_a_descriptor, not_a_shared_page, wrong_size, unsealed };
// Checks that `fd` is a shared page of exactly `size` bytes whose size can never change
// (so that reading it can never fault), then maps it read-only into *address.
shared_page_check shared_page_map_read_only(int fd, std::size_t size, const void **address) noexcept;
void shared_page_unmap(const void *address, std::size_t size) noexcept;

} // namespace enough::detail
