// Shared pages as sealed memfds. The creator maps the page writable, then seals it:
// no new writable mapping or write() through any descriptor (F_SEAL_FUTURE_WRITE,
// Linux 5.1), and a size fixed for good. Shared handles are new read-only open file
// descriptions of it. Importers refuse memory whose size is not sealed, so that
// reading it can never fault.
#include "platform/posix/backend.hpp"
#include "platform/shared_page.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>

// The kernel's values, for C libraries older than the calls (glibc before 2.27 has no
// memfd_create wrapper; the shipped builds target glibc 2.17). The system calls are
// Linux 3.17's.
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#define MFD_ALLOW_SEALING 0x0002U
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS 1033
#define F_GET_SEALS 1034
#define F_SEAL_SEAL 0x0001
#define F_SEAL_SHRINK 0x0002
#define F_SEAL_GROW 0x0004
#endif
#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010 // Linux 5.1; older kernels refuse it (EINVAL)
#endif

namespace enough::detail {
namespace {
// The seals without which a page is refused: its size is fixed for good.
constexpr int size_seals = F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL;

bool size_is_sealed(int fd) noexcept {
    const int seals = fcntl(fd, F_GET_SEALS);
    return seals >= 0 && (seals & size_seals) == size_seals;
}
} // namespace

bool shared_page_create(std::size_t size, shared_page &out) noexcept {
    // The system call itself: the C library may predate its wrapper.
    const int fd = static_cast<int>(syscall(SYS_memfd_create, "enough-token", MFD_CLOEXEC | MFD_ALLOW_SEALING));
    if (fd < 0 || !posix::size_and_map(fd, size, out)) {
        return false;
    }
    // F_SEAL_FUTURE_WRITE first: F_SEAL_SEAL forbids adding seals afterwards.
    fcntl(fd, F_ADD_SEALS, F_SEAL_FUTURE_WRITE);
    fcntl(fd, F_ADD_SEALS, size_seals);
    return true;
}

os_handle shared_page_share(const shared_page &page) noexcept {
    char path[48];
    std::snprintf(path, sizeof path, "/proc/self/fd/%d", page.handle);
    // A new open file description that can only read: it can never map writable.
    const int reopened = open(path, O_RDONLY | O_CLOEXEC);
    if (reopened >= 0) {
        return reopened;
    }
    // No /proc: the future-write seal still refuses writable mappings and write().
    return fcntl(page.handle, F_DUPFD_CLOEXEC, 0);
}

shared_page_check shared_page_map_read_only(os_handle handle, std::size_t max_size,
                                            const void **address, std::size_t *size) noexcept {
    if (handle >= 0 && fcntl(handle, F_GET_SEALS) < 0 && fcntl(handle, F_GETFD) >= 0) {
        return shared_page_check::not_a_shared_page; // a pipe, a file, a socket: no memfd
    }
    return posix::map_read_only(handle, max_size, size_is_sealed, address, size);
}

} // namespace enough::detail
