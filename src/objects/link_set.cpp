#include "objects/link_set.hpp"

#include "runtime/cascade.hpp"
#include "runtime/compiler.hpp"
#include "runtime/object_pool.hpp"

#include <limits>
#include <new>
#include <type_traits>

namespace enough::detail {
namespace {
// One parent, the usual case: a slab block, as a state is.
pool_kind kind_for(std::size_t count) noexcept { return count == 1 ? pool_kind::link : pool_kind::rare; }

// An own parent's state spans two cache lines (64 bytes, 32 past a line boundary:
// runtime/object_pool.hpp); its token face is in the first.
constexpr std::size_t cache_half = 32;

void release_parent(void *parent) noexcept {
    auto *const token = static_cast<enough_token *>(parent);
    token->vtbl->release(token);
}
} // namespace

gsl::owner<link_set *> link_set::create(std::size_t count, gsl::not_null<cancellation_state *> child) noexcept {
    static_assert(alignof(link) <= alignof(link_set) && sizeof(link_set) % alignof(link) == 0);
    static_assert(std::is_trivially_destructible_v<link>);
    static_assert(sizeof(link_set) + sizeof(link) == 64, "one parent: one 64-byte slab block");
    if (count >= std::numeric_limits<uint32_t>::max() ||
        count > (std::numeric_limits<std::size_t>::max() - sizeof(link_set)) / sizeof(link)) {
        return nullptr; // as out of memory
    }
    void *const memory = pool_allocate(kind_for(count), sizeof(link_set) + count * sizeof(link));
    if (memory == nullptr) {
        return nullptr;
    }
    auto *const links = new (memory) link_set(static_cast<uint32_t>(count), child.get());
    for (std::size_t i = 0; i < count; ++i) {
        new (links->slots() + i) link{links};
    }
    return links;
}

void link_set::destroy(gsl::owner<link_set *> links) noexcept {
    link *const first = links->slots();
    link *const end = first + links->count_;
    bool freed_by_a_link = false; // one runs on this thread, below us: it frees the set
    for (const link *each = first; each != end; ++each) {
        // Its parent is released below or next in the cascade, and in a chain that is
        // the memory touched next: both halves of its state, on their way meanwhile.
        if (each->parent != nullptr) {
            ENOUGH_PREFETCH(each->parent);
            ENOUGH_PREFETCH(reinterpret_cast<const char *>(each->parent) + cache_half);
        }
    }
    for (link *each = first; each != end; ++each) {
        if (each->is_foreign()) {
            each->registration->vtbl->release(each->registration); // no parent callback after this
        } else if (each->parent != nullptr) {
            callback_registry &registry = registry_of_own_token(each->parent);
            const callback_registry::removal removal = registry.remove(&each->node, true);
            freed_by_a_link |= !removal.free_node;
            if (removal.free_state) {
                free_registry_owner(&registry); // (not while we hold the parent's reference)
            }
        }
    }
    // A parent's last reference may destroy its own links, and so on up a chain: each
    // of ours joins the cascade running on this thread, or starts one that runs them
    // in turn (their parents then join it), so the stack never grows with the chain.
    if (cascade::must_defer(true)) {
        for (const link *each = first; each != end; ++each) {
            if (each->parent != nullptr && !cascade::defer(each->parent, release_parent)) {
                release_parent(each->parent); // out of memory: nested, then
            }
        }
    } else {
        const cascade::scope outermost;
        for (const link *each = first; each != end; ++each) {
            if (each->parent != nullptr) {
                release_parent(each->parent);
            }
        }
    }
    if (!freed_by_a_link) {
        deallocate(links);
    }
}

bool link_set::any_link_running() noexcept {
    for (const link &each : links()) {
        if (each.node.destroy_after_run_) {
            return true;
        }
    }
    return false;
}

void link_set::link_returned(link &slot) noexcept {
    link_set *const links = slot.owner;
    slot.node.destroy_after_run_ = false; // this thread's: the set is no longer listed anywhere
    if (!links->any_link_running()) {
        deallocate(links);
    }
}

void link_set::deallocate(gsl::owner<link_set *> links) noexcept {
    const pool_kind kind = kind_for(links->count_);
    links->~link_set(); // the links need no destructor (asserted above)
    pool_free(kind, links);
}

bool link_set::parent_gone(link &slot) noexcept {
    link_set &set = *slot.owner;
    return !slot.node.spare_.exchange(true, std::memory_order_acq_rel) &&
           set.live_.fetch_sub(1, std::memory_order_acq_rel) == 1;
}

void free_link(registry_node *node) noexcept { link_set::link_returned(*link_set::link::from(node)); }

} // namespace enough::detail
