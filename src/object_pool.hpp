// Memory for the library's objects, and how many of them are alive.
//
// Each thread keeps a small cache of freed blocks per kind of object, and its own count
// of objects made minus objects freed, so creating and destroying a source or a
// registration touches no shared counter and, in a steady state, no allocator.
// live_objects() adds the counts up (exact whenever no other thread is mid-call).
//
// States come from the pool's own slabs: 64-byte blocks that start 32 bytes past a
// cache-line boundary (see cancellation_state's layout), with no allocator header.
// Slab memory is kept for reuse, never returned to the system: the footprint is the
// peak number of live sources times 64 bytes.
#pragma once

#include <cstddef>
#include <new>

namespace enough::detail {

enum class pool_kind : unsigned { state, registration };
inline constexpr unsigned pool_kinds = 2;

// A block of `size` bytes (the same size every time for one kind); nullptr when
// memory is exhausted. Counts one live object.
void *pool_allocate(pool_kind kind, std::size_t size) noexcept;
// Gives back a block from pool_allocate of the same kind. Counts one object freed.
void pool_free(pool_kind kind, void *block) noexcept;

std::size_t live_objects() noexcept;

// Class-level operator new/delete that route an object kind through the pool.
template <pool_kind Kind>
struct pooled {
    static void *operator new(std::size_t size, const std::nothrow_t &) noexcept {
        return pool_allocate(Kind, size);
    }
    static void operator delete(void *block) noexcept { pool_free(Kind, block); }
    static void operator delete(void *block, const std::nothrow_t &) noexcept {
        pool_free(Kind, block);
    }
};

} // namespace enough::detail
