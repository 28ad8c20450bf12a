// Shared pages from shm_open: made under a fresh name, opened a second time read-only,
// and unlinked at once, so that nothing is left behind and no other process can open
// it by name. Shared handles are copies (dup) of the read-only descriptor, and a
// read-only descriptor can never map the page writable.
//
// What POSIX cannot promise: that the size never changes. Only the exporting process
// holds a writable descriptor and it never resizes, but a hostile peer could hand over
// memory of its own and shrink it later (a fault in the importer). Linux's backend
// refuses memory whose size is not sealed.
#include "platform/posix/backend.hpp"
#include "platform/shared_page.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>

namespace enough::detail {

bool shared_page_create(std::size_t size, shared_page &out) noexcept {
    static std::atomic<uint32_t> counter{0};
    for (int attempt = 0; attempt < 16; ++attempt) {
        // macOS refuses names over 31 characters (PSHMNAMLEN): "/en" and three 32-bit
        // fields of 8 hex digits each make 27.
        constexpr std::size_t longest_name = 3 + 3 * 8;
        static_assert(longest_name <= 31, "macOS's shm_open takes names of 31 characters at most");
        char name[longest_name + 1];
        const auto noise = static_cast<uint32_t>(
            std::chrono::steady_clock::now().time_since_epoch().count());
        std::snprintf(name, sizeof name, "/en%08x%08x%08x", static_cast<uint32_t>(getpid()),
                      counter.fetch_add(1, std::memory_order_relaxed), noise);
        // Readable by its owner only, so the read-only open below is the only other.
        const int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, S_IRUSR);
        if (fd < 0) {
            if (errno == EEXIST) {
                continue;
            }
            return false;
        }
        const int read_only = shm_open(name, O_RDONLY, 0);
        shm_unlink(name);
        if (read_only < 0) {
            close(fd);
            return false;
        }
        if (!posix::size_and_map(fd, size, out)) {
            close(read_only);
            return false;
        }
        out.read_only = read_only;
        return true; // shm_open sets close-on-exec on both
    }
    return false;
}

os_handle shared_page_share(const shared_page &page) noexcept {
    return fcntl(page.read_only, F_DUPFD_CLOEXEC, 0);
}

shared_page_check shared_page_map_read_only(os_handle handle, std::size_t max_size,
                                            const void **address, std::size_t *size) noexcept {
    return posix::map_read_only(handle, max_size, nullptr, address, size);
}

} // namespace enough::detail
