// The personality the posix preset's suite runs under, asserted: Linux's as it is, or
// macOS's where tests/posix/macos_personality.c is preloaded. Without this, a preload
// that failed to load would leave the macos_personality.* run testing Linux again.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

bool macos_personality() {
    const char *preload = std::getenv("LD_PRELOAD");
    return preload != nullptr && std::strstr(preload, "enough_macos_personality") != nullptr;
}

std::string shm_name(std::size_t length) {
    std::string name = "/en-personality-" + std::to_string(getpid()) + "-";
    name.resize(length, 'x');
    return name;
}

TEST(Personality, PagesAndNames) {
    const bool macos = macos_personality();
    const long kernel_page = static_cast<long>(getauxval(AT_PAGESZ));
    EXPECT_EQ(sysconf(_SC_PAGESIZE), macos ? 16384 : kernel_page);
    EXPECT_EQ(getpagesize(), macos ? 16384 : kernel_page);

    const std::string longest = shm_name(31);
    int fd = shm_open(longest.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    EXPECT_GE(fd, 0) << "31 characters are taken everywhere";
    shm_unlink(longest.c_str());
    close(fd);
    const std::string too_long = shm_name(32);
    fd = shm_open(too_long.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    const int error = errno;
    if (macos) {
        EXPECT_EQ(fd, -1);
        EXPECT_EQ(error, ENAMETOOLONG);
    } else {
        EXPECT_GE(fd, 0);
        shm_unlink(too_long.c_str());
        close(fd);
    }
}

TEST(Personality, SharedMemoryIsSizedOnceAndReadsAsPages) {
    const bool macos = macos_personality();
    const std::string name = shm_name(24);
    const int fd = shm_open(name.c_str(), O_RDWR | O_CREAT | O_EXCL, 0600);
    ASSERT_GE(fd, 0);
    shm_unlink(name.c_str());
    ASSERT_EQ(ftruncate(fd, 100), 0);
    struct stat info {};
    ASSERT_EQ(fstat(fd, &info), 0);
    if (macos) {
        EXPECT_EQ(info.st_mode & S_IFMT, 0u) << "no file type: neither S_ISREG nor S_TYPEISSHM";
        EXPECT_EQ(info.st_size, 16384);
        EXPECT_EQ(ftruncate(fd, 200), -1) << "sized once";
        EXPECT_EQ(errno, EINVAL);
        EXPECT_EQ(mmap(nullptr, 2 * 16384, PROT_READ, MAP_SHARED, fd, 0), MAP_FAILED);
        EXPECT_EQ(errno, EINVAL);
    } else {
        EXPECT_TRUE(S_ISREG(info.st_mode));
        EXPECT_EQ(info.st_size, 100);
        EXPECT_EQ(ftruncate(fd, 200), 0);
    }
    close(fd);
}

TEST(Personality, ThreadStacks) {
    std::size_t stack = 0;
    std::thread([&] {
        pthread_attr_t attributes;
        ASSERT_EQ(pthread_getattr_np(pthread_self(), &attributes), 0);
        pthread_attr_getstacksize(&attributes, &stack);
        pthread_attr_destroy(&attributes);
    }).join();
    if (macos_personality()) {
        EXPECT_EQ(stack, 512u * 1024);
    } else {
        EXPECT_GT(stack, 512u * 1024) << "glibc's default follows RLIMIT_STACK (8 MiB as a rule)";
    }
}

} // namespace
