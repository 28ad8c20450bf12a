// Things the library's thread looks at every `interval` until each says it is over:
// one protocol for every feature that must poll (foreign tokens that cannot push,
// exported tokens that may become orphans).
//
// add() hands an item over under the list's lock; the thread takes the new items and
// polls its own list with no lock held (a poll may run foreign code and callbacks).
// Poll(item) returns true when the item is over, having finished it.
#pragma once

#include "runtime/library_thread.hpp"

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <vector>

namespace enough::detail {

template <class Item, bool (*Poll)(Item &) noexcept>
class poll_list final : public library_thread::job {
public:
    using clock = library_thread::clock;

    explicit poll_list(clock::duration interval) noexcept : interval_(interval) {}

    // Hands `item` to the library's thread, which polls it from now on. False if out of
    // memory (or the thread cannot run): the item stays the caller's.
    bool add(const Item &item) noexcept {
        return library_thread::instance().add_work(*this, [&] {
            std::lock_guard lock(mutex_);
            added_.push_back(item);
        });
    }

    clock::time_point run(clock::time_point now) noexcept override {
        bool fresh = false;
        {
            std::lock_guard lock(mutex_);
            try {
                polled_.insert(polled_.end(), added_.begin(), added_.end());
                fresh = !added_.empty();
                added_.clear();
            } catch (...) {
                // Out of memory: the new items wait in added_ for the next run.
            }
        }
        if (polled_.empty()) {
            return library_thread::only_when_woken;
        }
        if (fresh || now >= next_poll_) { // a new item is polled at once
            next_poll_ = now + interval_;
            std::erase_if(polled_, [](Item &item) { return Poll(item); });
            std::lock_guard lock(mutex_);
            polling_ = polled_.size();
        }
        return polled_.empty() ? library_thread::only_when_woken : next_poll_;
    }

    bool idle() noexcept override {
        std::lock_guard lock(mutex_);
        return added_.empty() && polling_ == 0;
    }

private:
    const clock::duration interval_;
    std::mutex mutex_;
    std::vector<Item> added_;  // guarded by mutex_
    std::vector<Item> polled_; // the library's thread's own: polled unlocked
    std::size_t polling_ = 0;  // polled_.size(), guarded by mutex_
    clock::time_point next_poll_{};
};

} // namespace enough::detail
