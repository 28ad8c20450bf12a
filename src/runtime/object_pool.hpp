// Memory for the library's objects, and how many of them are alive.
//
// Each thread keeps a small cache of freed blocks per kind of object, and its own count
// of objects made minus objects freed, so creating and destroying a source or a
// registration touches no shared counter and, in a steady state, no allocator.
// live_objects() adds the counts up (exact whenever no other thread is mid-call).
//
// States and the links of a state linked to one parent come from the pool's own slabs:
// 64-byte blocks that start 32 bytes past a cache-line boundary (see
// cancellation_state's layout), with no allocator header. Slab memory is kept for
// reuse, never returned to the system: the footprint is the peak number of live
// sources and links times 64 bytes.
#pragma once

#include "runtime/misuse_guard.hpp"
#include "runtime/compiler.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <new>

namespace enough::detail {

// link: the links of a state linked to one parent (64 bytes). rare: objects made
// seldom or of any size (token exports and imports, links to several parents),
// counted like the others but never cached.
enum class pool_kind : unsigned { state, registration, link, rare };
inline constexpr unsigned pool_kinds = 4;

// Freed blocks kept per thread (64 bytes each), like an allocator's thread cache:
// enough for a thousand registrations per operation without touching malloc. States
// and links come from slabs, refilled and given back in batches.
inline constexpr unsigned cache_capacity[pool_kinds] = {64, 1024, 64, 0}; // states, registrations, links, rare

struct free_block {
    free_block *next;
};

// One thread's cache and live-object count (objects made minus objects freed).
struct thread_cache {
    std::atomic<int64_t> live{0}; // written by its thread only, read by live_objects()
    free_block *free[pool_kinds] = {};
    unsigned free_count[pool_kinds] = {};
    thread_cache *prev = nullptr;
    thread_cache *next = nullptr;

    void count(int64_t delta) noexcept {
        // One writer: a plain read-modify-write is enough, no lock prefix.
        live.store(live.load(std::memory_order_relaxed) + delta, std::memory_order_relaxed);
    }
};

// The calling thread's cache, or nullptr before its first use (and while it exits).
// initial-exec and constinit: one %fs-relative load, no call (no TLS wrapper).
ENOUGH_INTERNAL extern constinit thread_local thread_cache *current_cache
    ENOUGH_FAST_TLS;

// The slow paths: first use of a thread, empty cache, full cache, exiting thread.
void *pool_allocate_slow(pool_kind kind, std::size_t size) noexcept;
void pool_free_slow(pool_kind kind, void *block) noexcept;
// Hardened builds: counts the block freed, but reuses it only after the next
// quarantine_capacity frees, untouched until then (its vtable pointers stay valid, so
// a dangling handle still reaches the misuse guard instead of a reused object).
#if ENOUGH_HARDENED_BUILD
inline constexpr std::size_t quarantine_capacity = std::size_t{1} << 16;
void pool_quarantine(pool_kind kind, void *block) noexcept;
#endif

// A block of `size` bytes (the same size every time for one kind); nullptr when
// memory is exhausted. Counts one live object.
inline void *pool_allocate(pool_kind kind, std::size_t size) noexcept {
    thread_cache *cache = current_cache;
    const auto k = static_cast<unsigned>(kind);
    if (cache != nullptr && cache->free[k] != nullptr) [[likely]] {
        free_block *block = cache->free[k];
        cache->free[k] = block->next;
        --cache->free_count[k];
        cache->count(+1);
        return block;
    }
    return pool_allocate_slow(kind, size);
}

// Gives back a block from pool_allocate of the same kind. Counts one object freed.
inline void pool_free(pool_kind kind, void *block) noexcept {
#if ENOUGH_HARDENED_BUILD
    pool_quarantine(kind, block);
#else
    thread_cache *cache = current_cache;
    const auto k = static_cast<unsigned>(kind);
    if (cache != nullptr && block != nullptr && cache->free_count[k] < cache_capacity[k]) [[likely]] {
        auto *freed = static_cast<free_block *>(block);
        freed->next = cache->free[k];
        cache->free[k] = freed;
        ++cache->free_count[k];
        cache->count(-1);
        return;
    }
    pool_free_slow(kind, block);
#endif
}

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
