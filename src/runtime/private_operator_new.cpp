// The shared library's own global operator new and delete, never exported (Mach-O, with
// clang's -fvisibility-global-new-delete=force-hidden: see src/CMakeLists.txt). Where
// the C++ runtime is linked in statically (zig's libc++ for macOS), its operator new and
// delete would otherwise be exported from libenough.dylib, and zig's Mach-O linker has
// no export list to keep them in. Defined here, hidden, the library's own allocations
// use these, the program keeps its own, and the runtime's copies are never linked in.
// Never part of libenough.a: there they would replace the program's.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <new>

namespace {

void* allocate(std::size_t size) {
    if (size == 0) size = 1;
    for (;;) {
        if (void* memory = std::malloc(size)) return memory;
        std::new_handler handler = std::get_new_handler();
        if (handler == nullptr) throw std::bad_alloc();
        handler();
    }
}

// Over-aligned: malloc'd with room to align, the malloc'd address stored just before
// what is handed out (aligned_alloc needs macOS 10.15; the library supports 10.13).
void* allocate_aligned(std::size_t size, std::align_val_t alignment) {
    const auto align = static_cast<std::size_t>(alignment);
    if (size > SIZE_MAX - align - sizeof(void*)) throw std::bad_alloc();
    auto* base = static_cast<unsigned char*>(allocate(size + align + sizeof(void*)));
    const auto start = reinterpret_cast<std::uintptr_t>(base + sizeof(void*));
    auto* aligned = base + sizeof(void*) + ((align - start % align) % align);
    std::memcpy(aligned - sizeof(void*), &base, sizeof(void*));
    return aligned;
}

void release_aligned(void* memory) noexcept {
    if (memory == nullptr) return;
    void* base = nullptr;
    std::memcpy(&base, static_cast<unsigned char*>(memory) - sizeof(void*), sizeof(void*));
    std::free(base);
}

template <typename Allocate>
void* or_null(Allocate allocate_it) noexcept {
    try {
        return allocate_it();
    } catch (...) {
        return nullptr;
    }
}

} // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    return or_null([&] { return allocate(size); });
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
    return or_null([&] { return allocate(size); });
}
void* operator new(std::size_t size, std::align_val_t alignment) {
    return allocate_aligned(size, alignment);
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
    return allocate_aligned(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return or_null([&] { return allocate_aligned(size, alignment); });
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
    return or_null([&] { return allocate_aligned(size, alignment); });
}

void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete[](void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete[](void* memory, std::size_t) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete[](void* memory, const std::nothrow_t&) noexcept { std::free(memory); }
void operator delete(void* memory, std::align_val_t) noexcept { release_aligned(memory); }
void operator delete[](void* memory, std::align_val_t) noexcept { release_aligned(memory); }
void operator delete(void* memory, std::size_t, std::align_val_t) noexcept {
    release_aligned(memory);
}
void operator delete[](void* memory, std::size_t, std::align_val_t) noexcept {
    release_aligned(memory);
}
void operator delete(void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
    release_aligned(memory);
}
void operator delete[](void* memory, std::align_val_t, const std::nothrow_t&) noexcept {
    release_aligned(memory);
}
