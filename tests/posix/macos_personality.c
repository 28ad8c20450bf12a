/* macOS's personality on Linux: preloaded (LD_PRELOAD) into the posix preset's suite
 * so that the portable backend meets, on this machine, what macOS's kernel and libc do
 * where they differ from Linux (src/platform/posix/README.md has the table; xnu's
 * bsd/kern/posix_shm.c is the reference):
 *   - shm_open refuses names over 31 characters (PSHMNAMLEN) with ENAMETOOLONG;
 *   - a shared memory object is sized once: a second ftruncate fails with EINVAL;
 *   - fstat of one reports permission bits only (no S_IFREG: neither S_ISREG nor
 *     S_TYPEISSHM holds) and its size rounded up to the page;
 *   - mmap past that size fails with EINVAL;
 *   - pages are 16 KiB (Apple silicon): sysconf(_SC_PAGESIZE), getpagesize;
 *   - a thread made without attributes has a 512 KiB stack.
 * Linux's shm_open objects are files under /dev/shm, so any process (the suite's peers
 * inherit the preload) knows one by its descriptor's path. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

enum { macos_page = 16384, macos_shm_name_max = 31 };
static const size_t macos_thread_stack = 512 * 1024;

/* The next definition of a function (libc's), looked up once per call site (stored
 * through a void pointer, as POSIX's dlsym page does: ISO C has no such conversion). */
#define NEXT(name) \
    static __typeof__(name) *next_##name; \
    if (next_##name == NULL) { \
        void *found = dlsym(RTLD_NEXT, #name); \
        memcpy(&next_##name, &found, sizeof found); \
    }

static int is_shared_memory(int fd) {
    char link[64];
    char target[128];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t length = readlink(link, target, sizeof target - 1);
    if (length < 0) {
        return 0;
    }
    target[length] = '\0';
    return strncmp(target, "/dev/shm/", 9) == 0;
}

static off_t page_rounded(off_t size) { return (size + macos_page - 1) / macos_page * macos_page; }

int shm_open(const char *name, int flags, mode_t mode) {
    NEXT(shm_open);
    if (strlen(name) > macos_shm_name_max) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return next_shm_open(name, flags, mode);
}

int fstat(int fd, struct stat *info) {
    NEXT(fstat);
    const int result = next_fstat(fd, info);
    if (result == 0 && is_shared_memory(fd)) {
        const struct stat real = *info;
        memset(info, 0, sizeof *info); /* as pshm_stat: mode, owner and size, nothing else */
        info->st_mode = real.st_mode & 07777;
        info->st_uid = real.st_uid;
        info->st_gid = real.st_gid;
        info->st_size = page_rounded(real.st_size);
    }
    return result;
}

int ftruncate(int fd, off_t size) {
    NEXT(ftruncate);
    NEXT(fstat);
    struct stat info;
    if (is_shared_memory(fd) && next_fstat(fd, &info) == 0 && info.st_size != 0) {
        errno = EINVAL; /* one ftruncate per lifetime of the object */
        return -1;
    }
    return next_ftruncate(fd, is_shared_memory(fd) ? page_rounded(size) : size);
}

void *mmap(void *address, size_t length, int protection, int flags, int fd, off_t offset) {
    NEXT(mmap);
    NEXT(fstat);
    struct stat info;
    if (fd >= 0 && is_shared_memory(fd) && next_fstat(fd, &info) == 0 &&
        (offset < 0 || (off_t)length > info.st_size - offset)) {
        errno = EINVAL;
        return MAP_FAILED;
    }
    return next_mmap(address, length, protection, flags, fd, offset);
}

long sysconf(int name) {
    NEXT(sysconf);
    return name == _SC_PAGESIZE ? macos_page : next_sysconf(name);
}

int getpagesize(void) { return macos_page; }

int pthread_create(pthread_t *thread, const pthread_attr_t *attributes, void *(*start)(void *),
                   void *argument) {
    NEXT(pthread_create);
    if (attributes != NULL) {
        return next_pthread_create(thread, attributes, start, argument);
    }
    pthread_attr_t macos;
    pthread_attr_init(&macos);
    pthread_attr_setstacksize(&macos, macos_thread_stack);
    const int result = next_pthread_create(thread, &macos, start, argument);
    pthread_attr_destroy(&macos);
    return result;
}
