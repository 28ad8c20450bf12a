#include "runtime/cascade.hpp"
#include "runtime/compiler.hpp"

#include <cstdlib>

namespace enough::detail::cascade {
namespace {

struct deferred {
    void *target;
    run_fn run;
};

// This thread's cascade: how deep it is, and its work list (a queue: taken from
// `next`). Plain data, so that the thread-local needs no destructor: a destructor
// would make a Windows DLL pin itself until the thread exits (enough_can_unload_now
// and FreeLibrary must be able to let it go). The list's memory is freed whenever the
// outermost cascade has run through it.
struct thread_cascade {
    int depth;
    std::size_t next;
    std::size_t size;
    std::size_t capacity;
    deferred *list;
};
ENOUGH_FAST_TLS thread_local thread_cascade here{}; // no call to reach it (runtime/compiler.hpp)

} // namespace

bool must_defer(bool through_link) noexcept {
    return here.depth > 0 && (through_link || here.depth >= max_nesting);
}

bool defer(void *target, run_fn run) noexcept {
    if (here.size == here.capacity) {
        const std::size_t grown = here.capacity == 0 ? 16 : here.capacity * 2;
        void *const larger = std::realloc(here.list, grown * sizeof(deferred));
        if (larger == nullptr) {
            return false;
        }
        here.list = static_cast<deferred *>(larger);
        here.capacity = grown;
    }
    here.list[here.size++] = {target, run};
    return true;
}

scope::scope() noexcept { ++here.depth; }

scope::~scope() {
    if (here.depth == 1) {
        // The outermost: run what was deferred, one level deep, until nothing is left.
        while (here.next < here.size) {
            const deferred work = here.list[here.next++];
            if (here.next == here.size) {
                here.next = here.size = 0; // run through: what this run defers starts afresh
            }
            work.run(work.target);
        }
        std::free(here.list);
        here.list = nullptr;
        here.capacity = 0;
    }
    --here.depth;
}

} // namespace enough::detail::cascade
