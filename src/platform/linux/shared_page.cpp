#include "platform/shared_page.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 // Linux 5.1; older kernels refuse it (EINVAL)
#endif

namespace enough::detail {
namespace {
// The seals without which a page is refused: its size is fixed for good.
constexpr int size_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;
} // namespace

bool shared_page_create(std::size_t size, shared_page &out) noexcept {
    const int fd = memfd_create("enough-token", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (fd < 0) {
        return false;
    }
    void *address = MAP_FAILED;
    if (ftruncate(fd, static_cast<off_t>(size)) == 0) {
        address = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    }
    if (address == MAP_FAILED) {
        close(fd);
        return false;
    }
    out.fd = fd;
    out.address = address;
    return true;
}

void shared_page_forbid_new_writers(int fd) noexcept {
    // F_SEAL_FUTURE_WRITE first: F_SEAL_SEAL forbids adding seals afterwards.
    fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
    fcntl(fd, F_ADD_SEALS, size_seals);
}

int shared_page_read_only_descriptor(int fd) noexcept {
    char path[48];
    std::snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    // A new open file description that can only read: it can never map writable.
    const int reopened = open(path, O_RDONLY | O_CLOEXEC);
    if (reopened >= 0) {
        return reopened;
    }
    // No /proc: the future-write seal still refuses writable mappings and write().
    return fcntl(fd, F_DUPFD_CLOEXEC, 0);
}

void shared_page_release(shared_page &page, std::size_t size) noexcept {
    if (page.address != nullptr) {
        munmap(page.address, size);
        page.address = nullptr;
    }
    if (page.fd >= 0) {
        close(page.fd);
        page.fd = -1;
    }
}

shared_page_check shared_page_map_read_only(int fd, std::size_t size,
                                            const void **address) noexcept {
    *address = nullptr;
    struct stat info {};
    if (fd < 0 || fstat(fd, &info) != 0) {
        return shared_page_check::not_a_descriptor;
    }
    const int seals = fcntl(fd, F_GET_SEALS);
    if (!S_ISREG(info.st_mode) || seals < 0) {
        return shared_page_check::not_a_shared_page; // a pipe, a file, a socket...
    }
    if (static_cast<std::size_t>(info.st_size) != size) {
        return shared_page_check::wrong_size;
    }
    if ((seals & size_seals) != size_seals) {
        return shared_page_check::unsealed; // could shrink under us: reading would fault
    }
    void *mapped = mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    if (mapped == MAP_FAILED) {
        return shared_page_check::not_a_shared_page;
    }
    *address = mapped;
    return shared_page_check::ok;
}

void shared_page_unmap(const void *address, std::size_t size) noexcept {
    munmap(const_cast<void *>(address), size);
}

} // namespace enough::detail
