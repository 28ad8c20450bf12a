#include "objects/link_set.hpp"

#include "runtime/cascade.hpp"

#include <limits>
#include <new>
#include <type_traits>

namespace enough::detail {
namespace {
void release_parent(void *parent) noexcept {
    auto *const token = static_cast<enough_token *>(parent);
    token->vtbl->release(token);
}
} // namespace

gsl::owner<link_set *> link_set::create(std::size_t count, gsl::not_null<cancellation_state *> child) noexcept {
    static_assert(alignof(link) <= alignof(link_set) && sizeof(link_set) % alignof(link) == 0);
    static_assert(std::is_trivially_destructible_v<link>);
    if (count > (std::numeric_limits<std::size_t>::max() - sizeof(link_set)) / sizeof(link)) {
        return nullptr; // as out of memory
    }
    void *const memory = ::operator new(sizeof(link_set) + count * sizeof(link), std::nothrow);
    if (memory == nullptr) {
        return nullptr;
    }
    auto *const links = new (memory) link_set(count, child.get());
    for (std::size_t i = 0; i < count; ++i) {
        new (links->slots() + i) link{nullptr, nullptr, links};
    }
    return links;
}

void link_set::destroy(gsl::owner<link_set *> links) noexcept {
    for (const link &each : links->links()) {
        if (each.registration != nullptr) {
            each.registration->vtbl->release(each.registration); // no parent callback after this
        }
    }
    // A parent's last reference may destroy its own links, and so on up a chain: each
    // of ours joins the cascade running on this thread, or starts one that runs them
    // in turn (their parents then join it), so the stack never grows with the chain.
    const bool joining = cascade::must_defer(true);
    const cascade::scope nested;
    for (const link &each : links->links()) {
        if (each.parent != nullptr &&
            !(joining && cascade::defer(each.parent, release_parent))) {
            release_parent(each.parent);
        }
    }
    links->~link_set(); // the links need no destructor (asserted above)
    ::operator delete(links);
}

bool link_set::parent_gone(link &slot) noexcept {
    link_set &set = *slot.owner;
    return !slot.gone.exchange(true, std::memory_order_acq_rel) &&
           set.live_.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

} // namespace enough::detail
