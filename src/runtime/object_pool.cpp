#include "runtime/object_pool.hpp"

#include "platform/thread_exit.hpp"
#include "runtime/fork_locks.hpp"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <mutex>
#include <new>
#include <utility>

namespace enough::detail {
namespace {

// Every thread's cache, for live_objects(); the counts of threads that have exited.
std::mutex caches_mutex;
thread_cache *caches = nullptr;
std::atomic<int64_t> exited_live{0};

// ---- slabs (states only) -------------------------------------------------------
// Blocks of slab_block bytes at slab_offset past a cache-line boundary. Refilled in
// batches under a lock; freed blocks beyond a thread's cache go to a shared list.
constexpr std::size_t cache_line = 64;
constexpr std::size_t slab_block = 64;
constexpr std::size_t slab_offset = 32;
constexpr unsigned refill_batch = 32;
constexpr std::size_t largest_slab_blocks = 1024;

std::mutex slab_mutex;
free_block *shared_free = nullptr; // freed slab blocks not cached by any thread
char *slab_next = nullptr;         // the current slab's next uncarved block
char *slab_end = nullptr;
std::size_t next_slab_blocks = 16; // slabs grow to largest_slab_blocks
// Every slab, kept for reuse: each one's first (otherwise unused) bytes hold the start
// of the one made before it.
struct slab_header {
    slab_header *previous;
};
slab_header *newest_slab = nullptr;
static_assert(sizeof(slab_header) <= slab_offset);

#if ENOUGH_HARDENED_BUILD
std::mutex quarantine_mutex; // pool_quarantine's FIFO of the last frees
#endif

// A forked child allocates too: it gets these lists whole (runtime/fork_locks.hpp).
// Registered as the library loads, while one thread runs: a lazy registration could be
// under way in a thread that the child lacks.
[[maybe_unused]] const bool whole_across_fork = lock_across_fork(caches_mutex) && lock_across_fork(slab_mutex)
#if ENOUGH_HARDENED_BUILD
                                                && lock_across_fork(quarantine_mutex)
#endif
    ;

// Both kinds' blocks are alike (64 bytes, 32 past a line): one shared list serves both.
bool uses_slabs(unsigned kind) noexcept {
    return kind == static_cast<unsigned>(pool_kind::state) || kind == static_cast<unsigned>(pool_kind::link);
}

// One slab block, with slab_mutex held; nullptr when memory is exhausted.
void *take_slab_block() noexcept {
    if (shared_free != nullptr) {
        return std::exchange(shared_free, shared_free->next);
    }
    if (slab_next == slab_end) {
        const std::size_t bytes = next_slab_blocks * slab_block + cache_line;
        auto *slab = static_cast<char *>(
            ::operator new(bytes, std::align_val_t{cache_line}, std::nothrow));
        if (slab == nullptr) {
            return nullptr;
        }
        newest_slab = new (slab) slab_header{newest_slab};
        slab_next = slab + slab_offset;
        slab_end = slab_next + next_slab_blocks * slab_block;
        next_slab_blocks = std::min(next_slab_blocks * 2, largest_slab_blocks);
    }
    return std::exchange(slab_next, slab_next + slab_block);
}

// Puts the list first..last (linked by next) on the shared list, under one lock.
void give_slab_blocks(free_block *first, free_block *last) noexcept {
    std::lock_guard lock(slab_mutex);
    last->next = shared_free;
    shared_free = first;
}
void give_slab_block(void *block) noexcept {
    auto *const freed = static_cast<free_block *>(block);
    give_slab_blocks(freed, freed);
}

void unlink_and_retire(thread_cache *cache) noexcept {
    {
        std::lock_guard lock(caches_mutex);
        (cache->prev != nullptr ? cache->prev->next : caches) = cache->next;
        if (cache->next != nullptr) {
            cache->next->prev = cache->prev;
        }
        exited_live.fetch_add(cache->live.load(std::memory_order_relaxed), std::memory_order_relaxed);
    }
    for (unsigned k = 0; k < pool_kinds; ++k) {
        while (cache->free[k] != nullptr) {
            void *block = std::exchange(cache->free[k], cache->free[k]->next);
            if (uses_slabs(k)) {
                give_slab_block(block);
            } else {
                ::operator delete(block);
            }
        }
    }
    delete cache;
}

// The calling thread's cache: created on first use, retired when the thread exits
// (platform/thread_exit.hpp: while its thread-local storage is still whole, which C++
// thread_local destructors cannot promise under mingw-w64). The hot path reads a
// trivial initial-exec thread-local (one %fs-relative load on ELF, no call).
ENOUGH_FAST_TLS thread_local bool cache_retired = false; // exiting

void retire_thread_cache(void *cache) noexcept {
    cache_retired = true; // objects freed by later thread-exit code use no cache
    current_cache = nullptr;
    unlink_and_retire(static_cast<thread_cache *>(cache));
}

ENOUGH_NOINLINE thread_cache *create_thread_cache() noexcept {
    if (cache_retired) {
        return nullptr;
    }
    auto *cache = new (std::nothrow) thread_cache();
    if (cache == nullptr) {
        return nullptr;
    }
    if (!call_at_thread_exit(retire_thread_cache, cache)) {
        delete cache; // it could never be retired: this thread goes without one
        return nullptr;
    }
    {
        std::lock_guard lock(caches_mutex);
        cache->next = caches;
        if (caches != nullptr) {
            caches->prev = cache;
        }
        caches = cache;
    }
    current_cache = cache;
    return cache;
}

thread_cache *this_thread_cache() noexcept {
    thread_cache *cache = current_cache;
    return cache != nullptr ? cache : create_thread_cache();
}

void count(thread_cache *cache, int64_t delta) noexcept {
    if (cache != nullptr) {
        cache->count(delta);
    } else {
        exited_live.fetch_add(delta, std::memory_order_relaxed);
    }
}

} // namespace

constinit thread_local thread_cache *current_cache = nullptr;

// Returns a slab block, and fills the thread's cache of kind k with a batch of the
// ones after it, or nullptr. In the order the shared list (or the slab) holds them, so
// that allocation stays last-in first-out overall: a structure freed in one order is
// rebuilt in the reverse, on the memory it had, and a fresh slab is handed out at
// rising addresses. (Reversed batches made a chain built on reused memory run
// downwards every other time, and dropping it then took a third longer.)
void *refill_from_slabs(thread_cache *cache, unsigned k) noexcept {
    std::lock_guard lock(slab_mutex);
    void *const first = take_slab_block();
    if (cache == nullptr || first == nullptr) {
        return first;
    }
    free_block *head = nullptr;
    free_block *tail = nullptr;
    unsigned taken = 0;
    for (; taken < refill_batch; ++taken) {
        auto *const block = static_cast<free_block *>(take_slab_block());
        if (block == nullptr) {
            break;
        }
        (tail != nullptr ? tail->next : head) = block;
        tail = block;
    }
    if (tail != nullptr) {
        tail->next = cache->free[k];
        cache->free[k] = head;
        cache->free_count[k] += taken;
    }
    return first;
}

void *pool_allocate_slow(pool_kind kind, std::size_t size) noexcept {
    thread_cache *cache = this_thread_cache();
    const auto k = static_cast<unsigned>(kind);
    void *block = nullptr;
    if (cache != nullptr && cache->free[k] != nullptr) {
        free_block *reused = cache->free[k];
        cache->free[k] = reused->next;
        --cache->free_count[k];
        block = reused;
    } else if (uses_slabs(k)) {
        block = size <= slab_block ? refill_from_slabs(cache, k) : nullptr;
    } else {
        block = ::operator new(size, std::nothrow);
    }
    if (block != nullptr) {
        count(cache, +1);
    }
    return block;
}

namespace {
// Puts a freed block (already counted) where the next allocation of its kind finds it.
void reuse(thread_cache *cache, pool_kind kind, void *block) noexcept {
    const auto k = static_cast<unsigned>(kind);
    if (cache != nullptr && cache->free_count[k] < cache_capacity[k]) {
        auto *freed = static_cast<free_block *>(block);
        freed->next = cache->free[k];
        cache->free[k] = freed;
        ++cache->free_count[k];
    } else if (uses_slabs(k)) {
        // A full cache: this block and half the cache go back in one lock, not one
        // lock per block (dropping a wide tree frees states by the thousand).
        auto *const first = static_cast<free_block *>(block);
        free_block *last = first;
        for (unsigned i = 0; cache != nullptr && i < cache_capacity[k] / 2 && cache->free[k] != nullptr; ++i) {
            last->next = cache->free[k];
            last = last->next;
            cache->free[k] = last->next;
            --cache->free_count[k];
        }
        give_slab_blocks(first, last);
    } else {
        ::operator delete(block);
    }
}
} // namespace

void pool_free_slow(pool_kind kind, void *block) noexcept {
    if (block == nullptr) {
        return;
    }
    thread_cache *cache = this_thread_cache();
    count(cache, -1);
    reuse(cache, kind, block);
}

#if ENOUGH_HARDENED_BUILD
void pool_quarantine(pool_kind kind, void *block) noexcept {
    if (block == nullptr) {
        return;
    }
    struct quarantined {
        pool_kind kind;
        void *block;
    };
    static quarantined ring[quarantine_capacity]; // a FIFO of the last frees; empty: null
    static std::size_t next = 0;

    thread_cache *cache = this_thread_cache();
    count(cache, -1);
    quarantined oldest{};
    {
        const std::lock_guard lock(quarantine_mutex);
        oldest = ring[next]; // the block freed quarantine_capacity frees ago, if any
        ring[next] = {kind, block};
        next = (next + 1) % quarantine_capacity;
    }
    if (oldest.block != nullptr) {
        misuse_guard::forget(oldest.block, slab_block);
        reuse(cache, oldest.kind, oldest.block);
    }
}
#endif

std::size_t live_objects() noexcept {
    std::lock_guard lock(caches_mutex);
    int64_t live = exited_live.load(std::memory_order_relaxed);
    for (const thread_cache *cache = caches; cache != nullptr; cache = cache->next) {
        live += cache->live.load(std::memory_order_relaxed);
    }
    return live > 0 ? static_cast<std::size_t>(live) : 0;
}

} // namespace enough::detail
