#include "runtime/cascade.hpp"

#include <vector>

namespace enough::detail::cascade {
namespace {

struct deferred {
    void *target;
    run_fn run;
};

// This thread's cascade: how deep it is, and its work list (a queue: taken from
// `next`, emptied whenever it has been run through, so a chain keeps it at one entry).
struct thread_cascade {
    int depth = 0;
    std::size_t next = 0;
    std::vector<deferred> list;
};
thread_local thread_cascade here;

} // namespace

bool must_defer(bool through_link) noexcept {
    return here.depth > 0 && (through_link || here.depth >= max_nesting);
}

bool defer(void *target, run_fn run) noexcept {
    try {
        here.list.push_back({target, run});
        return true;
    } catch (...) {
        return false;
    }
}

scope::scope() noexcept { ++here.depth; }

scope::~scope() {
    if (here.depth == 1) {
        // The outermost: run what was deferred, one level deep, until nothing is left.
        while (here.next < here.list.size()) {
            const deferred work = here.list[here.next++];
            if (here.next == here.list.size()) {
                here.list.clear(); // run through: what this run defers starts afresh
                here.next = 0;
            }
            work.run(work.target);
        }
    }
    --here.depth;
}

} // namespace enough::detail::cascade
