// What the POSIX backend lends the Linux backend (Linux takes from POSIX whatever it
// has nothing better for). Private to the platform folders.
#pragma once

#include "platform/shared_page.hpp"

#include <cstddef>
#include <cstdint>

namespace enough::detail::posix {

// True while a process with this id exists (kill with signal 0). Cannot tell a
// zombie, or a process that took over a reused id, from the one that had it.
bool process_id_exists(int32_t pid) noexcept;

// Sizes the new shared memory object `fd` to `size` and maps it writable into `out`
// (which then owns fd). False, closing fd, when the system refuses.
bool size_and_map(int fd, std::size_t size, shared_page &out) noexcept;

// The checks every importer makes of a descriptor (open, shared memory, a plausible
// size), then the read-only mapping. `size_is_fixed` adds the system's own promise
// that the size can never change (Linux: seals), where it has one.
shared_page_check map_read_only(int fd, std::size_t max_size, bool (*size_is_fixed)(int fd),
                                const void **address, std::size_t *size) noexcept;

// Sets close-on-exec and non-blocking on both ends of a new pipe (POSIX.1-2008 has no
// pipe2). False, closing both, when the system refuses.
bool make_pipe(int ends[2]) noexcept;

} // namespace enough::detail::posix
