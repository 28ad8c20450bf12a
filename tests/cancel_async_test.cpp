// enough_cancellation_cancel_async: the cancel that is safe in a signal handler. The
// word, the waiters and the fd are done before it returns; the callbacks run on the
// library's thread, never on the caller's.
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include "wait_helpers.hpp"

#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <thread>
#include <vector>

namespace {

using enough_test::eventually;
using enough_test::readable;

using namespace std::chrono_literals;

struct callback_record {
    std::atomic<int> runs{0};
    std::atomic<int32_t> reason{0};
    std::atomic<std::thread::id> thread{};
};

void ENOUGH_CALL record(void *user_data, int32_t reason) {
    auto *r = static_cast<callback_record *>(user_data);
    r->reason.store(reason);
    r->thread.store(std::this_thread::get_id());
    r->runs.fetch_add(1);
}

TEST(CancelAsync, PublishesBeforeReturningAndRunsCallbacksOnTheLibrarysThread) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    callback_record rec;
    void *registration = enough_token_register(token, record, &rec);
    ASSERT_NE(registration, nullptr);
    const int fd = enough_token_fd(token);
    ASSERT_GE(fd, 0);

    EXPECT_TRUE(enough_cancellation_cancel_async(source, 300));
    EXPECT_TRUE(enough_token_is_cancelled(token)); // the word, before it returned
    EXPECT_EQ(enough_token_reason(token), 300);
    EXPECT_TRUE(readable(fd, 0)); // the fd, before it returned
    EXPECT_FALSE(enough_cancellation_cancel_async(source, 301)); // the first cancel wins
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, 302));
    EXPECT_EQ(enough_token_reason(token), 300);

    ASSERT_TRUE(eventually([&] { return rec.runs.load() == 1; }));
    EXPECT_EQ(rec.reason.load(), 300);
    EXPECT_NE(rec.thread.load(), std::this_thread::get_id()); // never the caller's thread
    enough_registration_destroy(registration);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(CancelAsync, RunsCallbacksWhenTheLibrarysThreadWasStartedForADeadlineFirst) {
    // ctest runs each test in a process of its own: here the library's thread starts
    // for a deadline, before anything is registered; a later registration must still
    // make it drain what cancel_async posts.
    enough::source timed;
    timed.cancel_after(std::chrono::hours(1));
    enough::source source;
    std::atomic<bool> ran{false};
    enough::registration registration =
        source.token().on_cancel([&](enough::reason) { ran = true; });
    ASSERT_TRUE(enough_cancellation_cancel_async(source.get(), 9));
    EXPECT_TRUE(enough_test::eventually([&] { return ran.load(); }));
}

TEST(CancelAsync, RefusesWhatCancelWithReasonRefuses) {
    EXPECT_FALSE(enough_cancellation_cancel_async(nullptr, 5));
    enough::source source;
    enough::token token = source.token();
    EXPECT_FALSE(enough_cancellation_cancel_async(source.get(), 0));
    EXPECT_FALSE(enough_cancellation_cancel_async(source.get(), -7));
    EXPECT_FALSE(enough_cancellation_cancel_async(token.get(), 5)); // a token: wrong kind
    EXPECT_FALSE(enough_cancellation_cancel_async(enough_token_create_never(), 5));
    EXPECT_FALSE(source.is_cancelled());
    EXPECT_TRUE(source.cancel(enough::reason{3}));
    EXPECT_FALSE(source.cancel_async(enough::reason{4})); // already cancelled
    EXPECT_EQ(token.check(), enough::reason{3});
}

TEST(CancelAsync, RegistrationsAfterTheCancelRunAtOnceOnTheRegistrar) {
    enough::source source;
    ASSERT_TRUE(source.cancel_async(enough::reason{400}));
    std::thread::id where;
    int32_t why = 0;
    auto registration = source.token().on_cancel([&](enough::reason r) {
        where = std::this_thread::get_id();
        why = static_cast<int32_t>(r);
    });
    EXPECT_EQ(why, 400);
    EXPECT_EQ(where, std::this_thread::get_id());
}

TEST(CancelAsync, WakesWaitersAndLinkedChildren) {
    enough::source source;
    enough::token token = source.token();
    enough::source child = enough::source::linked({token});
    std::atomic<bool> woke{false};
    std::thread waiter([&] { woke = token.wait(); });
    std::this_thread::sleep_for(20ms);
    ASSERT_TRUE(source.cancel_async(enough::reason::timed_out));
    waiter.join();
    EXPECT_TRUE(woke.load());
    // The child's link is a callback: it runs on the library's thread.
    EXPECT_TRUE(eventually([&] { return child.is_cancelled(); }));
    EXPECT_EQ(child.reason(), enough::reason::timed_out);
}

TEST(CancelAsync, TheCallbacksKeepTheStateWhenEveryHandleIsGone) {
    const std::size_t live = enough_live_objects();
    callback_record rec;
    {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        void *registration = enough_token_register(token, record, &rec);
        ASSERT_TRUE(enough_cancellation_cancel_async(source, 9));
        enough_cancellation_destroy(source);
        enough_token_destroy(token);
        ASSERT_TRUE(eventually([&] { return rec.runs.load() == 1; }));
        enough_registration_destroy(registration);
    }
    EXPECT_TRUE(eventually([&] { return enough_live_objects() == live; }));
}

TEST(CancelAsync, ThroughTheVtable) {
    enough::source source;
    void *out = nullptr;
    enough_source *s = source.get();
    ASSERT_EQ(s->vtbl->query_interface(s, &ENOUGH_IID_SOURCE3, &out), ENOUGH_OK);
    auto *s3 = static_cast<enough_source3 *>(out);
    EXPECT_EQ(static_cast<void *>(s3), static_cast<void *>(s)); // one pointer, three ids
    EXPECT_EQ(s3->vtbl->cancel_async(s3, 0), 0);
    EXPECT_EQ(s3->vtbl->cancel_async(s3, 77), 1);
    EXPECT_EQ(s3->vtbl->cancel_async(s3, 78), 0);
    EXPECT_EQ(source.reason(), enough::reason{77});
    s3->vtbl->release(s3);
}

struct plain_source : enough::implements<plain_source, enough_source> {
    bool cancel() { return !std::exchange(cancelled, true); }
    bool is_cancelled() { return cancelled; }
    enough_token *get_token() { return static_cast<enough_token *>(enough_token_create_never()); }
    bool cancelled = false;
};

TEST(CancelAsync, ForeignSourcesWithoutSource3AreRefused) {
    auto *source = enough::make<enough_source, plain_source>();
    ASSERT_NE(source, nullptr);
    EXPECT_FALSE(enough_cancellation_cancel_async(source, ENOUGH_REASON_CANCELLED));
    EXPECT_FALSE(enough_cancellation_is_cancelled(source));
    enough_cancellation_destroy(source);
}

// More sources cancelled at once than the library's thread has slots for: every
// callback still runs once.
TEST(CancelAsync, ABurstBeyondTheSlotsRunsEveryCallback) {
    constexpr int count = 6000;
    std::atomic<int> runs{0};
    std::vector<enough::source> sources(count);
    std::vector<enough::registration> registrations;
    registrations.reserve(count);
    for (auto &source : sources) {
        registrations.push_back(source.token().on_cancel([&](enough::reason) { ++runs; }));
    }
    for (auto &source : sources) {
        ASSERT_TRUE(source.cancel_async(enough::reason{500}));
    }
    EXPECT_TRUE(eventually([&] { return runs.load() == count; }));
    EXPECT_EQ(runs.load(), count);
}

// ---- from a real signal handler ----------------------------------------------------

std::atomic<void *> signal_source{nullptr};
std::atomic<int> handler_result{-1};

extern "C" void on_sigint(int) {
    handler_result.store(enough_cancellation_cancel_async(signal_source.load(), 130) ? 1 : 0);
}

TEST(CancelAsync, FromARealSigintHandler) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    signal_source = source;
    handler_result = -1;
    callback_record rec;
    void *registration = enough_token_register(token, record, &rec);

    struct sigaction action {};
    struct sigaction previous {};
    action.sa_handler = on_sigint;
    sigemptyset(&action.sa_mask);
    ASSERT_EQ(sigaction(SIGINT, &action, &previous), 0);

    std::atomic<int> ready{0};
    std::atomic<bool> polled{false};
    std::atomic<bool> waited{false};
    std::atomic<bool> fd_readable{false};
    std::thread poller([&] {
        ++ready;
        while (!enough_token_is_cancelled(token)) {
        }
        polled = true;
    });
    std::thread waiter([&] {
        ++ready;
        waited = enough_token_wait(token, -1);
    });
    const int fd = enough_token_fd(token);
    std::thread fd_poller([&] {
        ++ready;
        fd_readable = readable(fd, 10'000);
    });
    while (ready.load() < 3) {
        std::this_thread::yield();
    }
    std::this_thread::sleep_for(20ms);
    ASSERT_EQ(pthread_kill(pthread_self(), SIGINT), 0); // the handler runs on this thread
    poller.join();
    waiter.join();
    fd_poller.join();
    ASSERT_EQ(sigaction(SIGINT, &previous, nullptr), 0);

    EXPECT_EQ(handler_result.load(), 1);
    EXPECT_TRUE(polled.load());
    EXPECT_TRUE(waited.load());
    EXPECT_TRUE(fd_readable.load());
    EXPECT_EQ(enough_token_reason(token), 130);
    ASSERT_TRUE(eventually([&] { return rec.runs.load() == 1; }));
    EXPECT_EQ(rec.reason.load(), 130);
    EXPECT_NE(rec.thread.load(), std::this_thread::get_id());
    enough_registration_destroy(registration);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

} // namespace
