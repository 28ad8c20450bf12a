// Blocking wait and the pollable fd.
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include "wait_helpers.hpp"

#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace {

using enough_test::readable;

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

TEST(Wait, WakesWhenAnotherThreadCancels) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    std::thread canceller([&] {
        std::this_thread::sleep_for(30ms);
        enough_cancellation_cancel(source);
    });
    EXPECT_TRUE(enough_token_wait(token, -1));
    EXPECT_TRUE(enough_token_is_cancelled(token));
    canceller.join();
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Wait, TimesOutNoEarlierThanAsked) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    const auto start = clock_type::now();
    EXPECT_FALSE(enough_token_wait(token, 40));
    EXPECT_GE(clock_type::now() - start, 40ms);
    EXPECT_FALSE(enough_token_wait(token, 0)); // 0: just a check
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Wait, ReturnsAtOnceWhenTheAnswerIsKnown) {
    const auto start = clock_type::now();
    EXPECT_FALSE(enough_token_wait(nullptr, -1));
    EXPECT_FALSE(enough_token_wait(enough_token_create_never(), -1)); // would hang forever
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_FALSE(enough_token_wait(source, -1)); // a source is not a token
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_token_wait(token, -1));
    EXPECT_TRUE(enough_token_wait(token, 0));
    EXPECT_LT(clock_type::now() - start, 1s);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Wait, AWaiterOfAnOrphanReturnsFalse) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    std::thread destroyer([&] {
        std::this_thread::sleep_for(30ms);
        enough_cancellation_destroy(source);
    });
    EXPECT_FALSE(enough_token_wait(token, -1));
    destroyer.join();
    enough_token_destroy(token);
}

TEST(Wait, ManyWaitersAllWake) {
    enough::source source;
    std::vector<std::thread> waiters;
    std::atomic<int> woke{0};
    for (int i = 0; i < 8; ++i) {
        waiters.emplace_back([&] {
            if (source.token().wait()) {
                woke.fetch_add(1);
            }
        });
    }
    std::this_thread::sleep_for(20ms);
    source.cancel();
    for (auto &w : waiters) {
        w.join();
    }
    EXPECT_EQ(woke.load(), 8);
}

TEST(Fd, BecomesReadableOnCancelAndStaysReadable) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    const int fd = enough_token_fd(token);
    ASSERT_GE(fd, 0);
    EXPECT_EQ(enough_token_fd(token), fd); // at most one per token object
    EXPECT_FALSE(readable(fd, 0));
    std::thread canceller([&] {
        std::this_thread::sleep_for(20ms);
        enough_cancellation_cancel(source);
    });
    EXPECT_TRUE(readable(fd, 5000));
    canceller.join();
    EXPECT_TRUE(readable(fd, 0));
    EXPECT_TRUE(readable(fd, 0)); // level-triggered, nobody reads it
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Fd, CreatedAfterCancelIsAlreadyReadable) {
    enough::source source;
    source.cancel();
    const int fd = source.token().fd();
    ASSERT_GE(fd, 0);
    EXPECT_TRUE(readable(fd, 0));
}

TEST(Fd, UnavailableForNull) {
    EXPECT_EQ(enough_token_fd(nullptr), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
}

// An event loop needs no special case for the never token: a real descriptor, one for
// the process, that never becomes readable.
TEST(Fd, NeverTokenGivesOneDescriptorThatNeverBecomesReadable) {
    const int fd = enough_token_fd(enough_token_create_never());
    ASSERT_GE(fd, 0);
    EXPECT_EQ(enough_token_fd(enough_token_create_never()), fd);
    int from_thread = -2;
    std::thread([&] { from_thread = enough_token_fd(enough_token_create_never()); }).join();
    EXPECT_EQ(from_thread, fd);
    EXPECT_FALSE(readable(fd, 20));
    // The projection's default token is the never token.
    EXPECT_EQ(enough::token().fd(), fd);
    // Cancelling and orphaning other tokens never reaches it.
    {
        enough::source source;
        enough::token token = source.token();
        source.cancel();
    }
    EXPECT_FALSE(readable(fd, 0));
}

TEST(Fd, ConcurrentFirstUseCreatesOne) {
    for (int round = 0; round < 200; ++round) {
        enough::source source;
        enough::token token = source.token();
        int a = -2;
        int b = -2;
        std::thread t1([&] { a = token.fd(); });
        std::thread t2([&] { b = token.fd(); });
        t1.join();
        t2.join();
        ASSERT_GE(a, 0);
        EXPECT_EQ(a, b);
    }
}

} // namespace
