#include "runtime/cascade.hpp"
#include "runtime/compiler.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace enough::detail::cascade {
namespace {

struct deferred {
    void *target;
    run_fn run;
};

// This thread's cascade: how deep it is, and its work list (a queue: taken from
// `next`). Plain data, so that the thread-local needs no destructor: a destructor
// would make a Windows DLL pin itself until the thread exits (enough_can_unload_now
// and FreeLibrary must be able to let it go). The list starts in the thread-local
// itself (a dropped child defers one release, a chain's links one at a time), and
// moves to the heap only when it outgrows that; the heap's memory is freed whenever
// the outermost cascade has run through it.
constexpr std::size_t inline_capacity = 4;
struct thread_cascade {
    int depth;
    std::size_t next;
    std::size_t size;
    std::size_t capacity; // of the heap list; 0 while the list is inline
    deferred *heap;       // nullptr while the list is inline
    deferred inline_list[inline_capacity];

    deferred *list() noexcept { return heap != nullptr ? heap : inline_list; }
};
ENOUGH_FAST_TLS thread_local thread_cascade here{}; // no call to reach it (runtime/compiler.hpp)

} // namespace

bool must_defer(bool through_link) noexcept {
    return here.depth > 0 && (through_link || here.depth >= max_nesting);
}

namespace {
// The list is full: doubles it (on the heap from the first time). False when memory
// is exhausted. Out of line: a chain's links defer one at a time, into room there is.
ENOUGH_NOINLINE bool grow() noexcept {
    const std::size_t grown = here.size * 2;
    void *const larger = std::realloc(here.heap, grown * sizeof(deferred));
    if (larger == nullptr) {
        return false;
    }
    if (here.heap == nullptr) {
        std::memcpy(larger, here.inline_list, sizeof here.inline_list);
    }
    here.heap = static_cast<deferred *>(larger);
    here.capacity = grown;
    return true;
}
} // namespace

bool defer(void *target, run_fn run) noexcept {
    if (here.size == std::max(here.capacity, inline_capacity) && !grow()) {
        return false;
    }
    here.list()[here.size++] = {target, run};
    return true;
}

scope::scope() noexcept { ++here.depth; }

scope::~scope() {
    if (here.depth == 1) {
        // The outermost: run what was deferred, one level deep, until nothing is left.
        while (here.next < here.size) {
            const deferred work = here.list()[here.next++];
            if (here.next == here.size) {
                here.next = here.size = 0; // run through: what this run defers starts afresh
            }
            work.run(work.target);
        }
        if (here.heap != nullptr) {
            std::free(here.heap);
            here.heap = nullptr;
            here.capacity = 0;
        }
    }
    --here.depth;
}

} // namespace enough::detail::cascade
