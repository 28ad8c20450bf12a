// What the POSIX and Linux shared pages have in common: the page size, mapping,
// the importer's checks, and releasing.
#include "platform/posix/backend.hpp"
#include "platform/shared_page.hpp"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <initializer_list>

namespace enough::detail {
namespace {
// A shm_open object. Linux and FreeBSD report a regular file; macOS reports permission
// bits and no file type at all (xnu's pshm_stat), and its S_TYPEISSHM is (0), so a
// type of zero is macOS's shared memory (pinned by tests/posix/macos_personality.c).
bool is_shared_memory_object(const struct stat &info) noexcept {
    bool named_so = false;
#ifdef S_TYPEISSHM
    named_so = S_TYPEISSHM(&info); // where a system says so (none of ours does)
#endif
    return S_ISREG(info.st_mode) || (info.st_mode & S_IFMT) == 0 || named_so;
}
} // namespace

std::size_t system_page_size() noexcept {
    const long page = sysconf(_SC_PAGESIZE);
    return static_cast<std::size_t>(page > 0 ? page : 4096);
}

bool posix::size_and_map(int fd, std::size_t size, shared_page &out) noexcept {
    void *address = MAP_FAILED;
    if (ftruncate(fd, static_cast<off_t>(size)) == 0) {
        address = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    }
    if (address == MAP_FAILED) {
        close(fd);
        return false;
    }
    out.handle = fd;
    out.address = address;
    out.size = size;
    return true;
}

shared_page_check posix::map_read_only(int fd, std::size_t max_size,
                                       bool (*size_is_fixed)(int fd), const void **address,
                                       std::size_t *size) noexcept {
    *address = nullptr;
    struct stat info {};
    if (fd < 0 || fstat(fd, &info) != 0) {
        return shared_page_check::not_a_handle;
    }
    if (!is_shared_memory_object(info)) {
        return shared_page_check::not_a_shared_page; // a pipe, a socket, a device...
    }
    const auto bytes = static_cast<std::size_t>(info.st_size);
    if (info.st_size <= 0 || bytes > max_size || bytes % system_page_size() != 0) {
        return shared_page_check::wrong_size;
    }
    if (size_is_fixed != nullptr && !size_is_fixed(fd)) {
        return shared_page_check::resizable; // could shrink under us: reading would fault
    }
    void *mapped = mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        return shared_page_check::not_a_shared_page;
    }
    *address = mapped;
    *size = bytes;
    return shared_page_check::ok;
}

void shared_page_release(shared_page &page) noexcept {
    if (page.address != nullptr) {
        munmap(page.address, page.size);
        page.address = nullptr;
    }
    for (os_handle *handle : {&page.handle, &page.read_only}) {
        if (*handle >= 0) {
            close(*handle);
            *handle = no_os_handle;
        }
    }
}

void shared_page_unmap(const void *address, std::size_t size) noexcept {
    munmap(const_cast<void *>(address), size);
}

} // namespace enough::detail
