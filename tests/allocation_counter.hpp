// Counts heap allocations made by the current thread (operator new is replaced for the
// whole test process, so it sees the library's allocations too).
#pragma once

#include <enough/enough.h>

#include <cstddef>

namespace enough_test {

std::size_t allocations_on_this_thread() noexcept;
// Objects the library has alive (its own count: freed blocks may stay cached).
inline long long live_objects() noexcept { return static_cast<long long>(enough_live_objects()); }

// Allocations made on this thread while it is alive.
class allocation_scope {
public:
    allocation_scope() noexcept : start_(allocations_on_this_thread()) {}
    [[nodiscard]] std::size_t count() const noexcept {
        return allocations_on_this_thread() - start_;
    }

private:
    std::size_t start_;
};

} // namespace enough_test
