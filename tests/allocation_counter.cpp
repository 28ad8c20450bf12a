#include "allocation_counter.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local std::size_t allocations = 0;

void *counted(std::size_t size) noexcept {
    void *p = std::malloc(size == 0 ? 1 : size);
    if (p != nullptr) {
        ++allocations;
    }
    return p;
}
void uncounted(void *p) noexcept { std::free(p); }
} // namespace

namespace enough_test {
std::size_t allocations_on_this_thread() noexcept { return allocations; }
} // namespace enough_test

void *operator new(std::size_t size) {
    if (void *p = counted(size)) {
        return p;
    }
    throw std::bad_alloc();
}
void *operator new[](std::size_t size) { return operator new(size); }
void *operator new(std::size_t size, const std::nothrow_t &) noexcept { return counted(size); }
void *operator new[](std::size_t size, const std::nothrow_t &) noexcept { return counted(size); }
void operator delete(void *p) noexcept { uncounted(p); }
void operator delete[](void *p) noexcept { uncounted(p); }
void operator delete(void *p, std::size_t) noexcept { uncounted(p); }
void operator delete[](void *p, std::size_t) noexcept { uncounted(p); }
void operator delete(void *p, const std::nothrow_t &) noexcept { uncounted(p); }
void operator delete[](void *p, const std::nothrow_t &) noexcept { uncounted(p); }
