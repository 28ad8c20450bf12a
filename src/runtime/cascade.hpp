// A cascade: the cancels one cancel causes on the same thread (a parent's link
// cancelling its children, a callback cancelling another source), run as a loop over a
// work list instead of a recursion, so that the stack does not grow with a chain of a
// million linked sources.
//
// THE RULE. The outermost cancel on a thread runs its own callbacks, then everything
// deferred to it, in the order deferred, before it returns. A cancel reached through a
// link is always deferred to the cascade running on its thread (its tokens read
// cancelled at once; only its callbacks wait). A cancel made by a callback runs its
// callbacks at once, nested, up to max_nesting cancels deep; deeper ones are deferred
// too. So when enough_cancellation_cancel returns, every callback of its source and of
// every source it cancelled, directly or through links and callbacks, has run, except
// when it was itself called from a callback beyond that depth: then its callbacks run
// after that callback returns, before the outermost cancel on the thread returns.
#pragma once

#include <cstddef>

namespace enough::detail::cascade {

// How many cancels made by callbacks nest on one thread before they are deferred.
inline constexpr int max_nesting = 16;

// Runs `target`'s deferred work: `run(target)` owns whatever the deferral held (the
// state's reference) and gives it back.
using run_fn = void (*)(void *target) noexcept;

// True when a cascade runs on this thread and the work must join its list: always
// for `through_link`, else beyond max_nesting.
bool must_defer(bool through_link) noexcept;
// Appends `target` to the running cascade's list; false when out of memory (the
// caller then runs it itself, nested).
bool defer(void *target, run_fn run) noexcept;

// While one lives, a cascade runs on this thread, one level deeper; the outermost
// one's destructor runs every deferred target, in order, before it returns.
class scope {
public:
    scope() noexcept;
    ~scope();
    scope(const scope &) = delete;
    scope &operator=(const scope &) = delete;
};

} // namespace enough::detail::cascade
