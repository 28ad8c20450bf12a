// Shared pages as file mappings backed by the paging file. The creator maps a view
// writable; shared handles are duplicates with FILE_MAP_READ access only (and
// inheritable, so a child started with handle inheritance imports it), which can never
// map a writable view. A section's size is fixed when it is made: it cannot shrink.
#include "platform/shared_page.hpp"

#include <windows.h>

namespace enough::detail {

std::size_t system_page_size() noexcept {
    SYSTEM_INFO info{};
    GetSystemInfo(&info);
    return static_cast<std::size_t>(info.dwPageSize);
}

bool shared_page_create(std::size_t size, shared_page &out) noexcept {
    HANDLE mapping = CreateFileMappingW(INVALID_HANDLE_VALUE, nullptr, PAGE_READWRITE,
                                        static_cast<DWORD>(static_cast<uint64_t>(size) >> 32),
                                        static_cast<DWORD>(size), nullptr);
    if (mapping == nullptr) {
        return false;
    }
    void *address = MapViewOfFile(mapping, FILE_MAP_READ | FILE_MAP_WRITE, 0, 0, size);
    if (address == nullptr) {
        CloseHandle(mapping);
        return false;
    }
    out.handle = mapping;
    out.address = address;
    out.size = size;
    return true;
}

os_handle shared_page_share(const shared_page &page) noexcept {
    HANDLE shared = nullptr;
    if (!DuplicateHandle(GetCurrentProcess(), page.handle, GetCurrentProcess(), &shared,
                         FILE_MAP_READ, TRUE, 0)) {
        return nullptr;
    }
    return shared;
}

void shared_page_release(shared_page &page) noexcept {
    if (page.address != nullptr) {
        UnmapViewOfFile(page.address);
        page.address = nullptr;
    }
    if (page.handle != nullptr) {
        CloseHandle(page.handle);
        page.handle = nullptr;
    }
}

shared_page_check shared_page_map_read_only(os_handle handle, std::size_t max_size,
                                            const void **address, std::size_t *size) noexcept {
    *address = nullptr;
    DWORD flags = 0;
    if (handle == nullptr || !GetHandleInformation(handle, &flags)) {
        return shared_page_check::not_a_handle;
    }
    void *view = MapViewOfFile(handle, FILE_MAP_READ, 0, 0, 0); // the whole section
    if (view == nullptr) {
        return shared_page_check::not_a_shared_page; // a file, an event, a process...
    }
    MEMORY_BASIC_INFORMATION region{};
    if (VirtualQuery(view, &region, sizeof region) == 0 || region.RegionSize > max_size ||
        region.RegionSize % system_page_size() != 0) {
        UnmapViewOfFile(view);
        return shared_page_check::wrong_size;
    }
    *address = view;
    *size = region.RegionSize;
    return shared_page_check::ok;
}

void shared_page_unmap(const void *address, std::size_t /*size*/) noexcept {
    UnmapViewOfFile(address);
}

} // namespace enough::detail
