// The C++ projection: owning handles without manual reference counting, token_view,
// check(), and authoring with implements<>.
#include "allocation_counter.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include "wait_helpers.hpp"

#include <atomic>

#include <cmath>
#include <stdexcept>
#include <thread>

namespace {

using enough_test::live_objects;

TEST(Projection, SourceAndTokenWithoutManualCounting) {
    const long long before = live_objects();
    {
        enough::source source;
        enough::token token = source.token();
        enough::token copy = token;
        EXPECT_FALSE(token.is_cancelled());
        EXPECT_TRUE(copy.may_cancel());
        EXPECT_EQ(token.check(), enough::reason::none);
        EXPECT_TRUE(source.cancel());
        EXPECT_FALSE(source.cancel());
        EXPECT_TRUE(source.is_cancelled());
        EXPECT_TRUE(copy.is_cancelled());
        EXPECT_EQ(copy.check(), enough::reason::cancelled);
        EXPECT_EQ(live_objects(), before + 1);
    }
    EXPECT_EQ(live_objects(), before);
}

TEST(Projection, DefaultAndMovedFromTokensAreNever) {
    enough::token never;
    EXPECT_FALSE(never.is_cancelled());
    EXPECT_FALSE(never.may_cancel());
    EXPECT_EQ(never.get(), enough_token_create_never());

    enough::source source;
    enough::token token = source.token();
    enough::token moved = std::move(token);
    EXPECT_EQ(token.get(), enough_token_create_never()); // NOLINT: testing moved-from
    EXPECT_TRUE(moved.may_cancel());
}

TEST(Projection, SourceCopiesShareTheRightToCancel) {
    enough::source source;
    enough::token token = source.token();
    {
        enough::source copy = source;
        enough::source moved = std::move(source);
        EXPECT_FALSE(static_cast<bool>(source)); // NOLINT: testing moved-from
        EXPECT_FALSE(source.cancel());
        EXPECT_EQ(source.token().get(), enough_token_create_never());
        EXPECT_TRUE(token.may_cancel());
    }
    EXPECT_FALSE(token.may_cancel()); // every source is gone: orphaned
    EXPECT_FALSE(token.is_cancelled());
}

TEST(Projection, TokenViewPollsTheWord) {
    enough::source source;
    enough::token token = source.token();
    enough::token_view view = token;
    enough::token_view raw(token.get());
    enough::token_view null_view(nullptr);
    enough::token_view default_view;
    EXPECT_FALSE(view.is_cancelled());
    EXPECT_TRUE(view.may_cancel());
    EXPECT_FALSE(null_view.is_cancelled());
    EXPECT_FALSE(null_view.may_cancel());
    EXPECT_EQ(default_view.check(), enough::reason::none);
    source.cancel();
    EXPECT_TRUE(view.is_cancelled());
    EXPECT_TRUE(raw.is_cancelled());
    EXPECT_EQ(view.check(), enough::reason::cancelled);
    EXPECT_FALSE(null_view.is_cancelled());
}

TEST(Projection, AttachAndCopyFromMakeOwnershipExplicit) {
    void *source = enough_cancellation_create();
    const long long before = live_objects();
    {
        auto owned = enough::token::attach(static_cast<enough_token *>(enough_token_create(source)));
        auto shared = enough::token::copy_from(owned.get());
        enough_token *raw = shared.detach();
        EXPECT_EQ(shared.get(), enough_token_create_never());
        enough_token_destroy(raw); // detach handed the reference back to us
        EXPECT_TRUE(owned.may_cancel());
        EXPECT_EQ(enough::token::attach(nullptr).get(), enough_token_create_never());
    }
    enough_cancellation_destroy(source);
    EXPECT_EQ(live_objects(), before - 1);
}

// A token authored with implements<>: cancelled when its flag is set; offers a word.
struct flag_token : enough::implements<flag_token, enough_token> {
    bool is_cancelled() const { return word != 0; }
    bool may_cancel() const { return true; }
    const uint32_t *state_word() const { return &word; }
    uint32_t word = 0;
};

TEST(Projection, AuthoredTokenWorksEverywhere) {
    enough::token token = enough::make_token<flag_token>();
    flag_token *impl = flag_token::self(token.get());
    enough::token_view view = token;
    EXPECT_FALSE(token.is_cancelled());
    EXPECT_FALSE(enough_token_is_cancelled(token.get()));
    impl->word = 300; // an application reason
    EXPECT_TRUE(view.is_cancelled());
    EXPECT_EQ(static_cast<int32_t>(view.check()), 300);
    EXPECT_EQ(static_cast<int32_t>(token.check()), 300);
    EXPECT_TRUE(enough_token_is_cancelled(token.get()));
}

struct throwing_token : enough::implements<throwing_token, enough_token> {
    bool is_cancelled() const { throw std::runtime_error("boom"); }
    bool may_cancel() const { throw std::runtime_error("boom"); }
};

TEST(Projection, ExceptionsInAuthoredCodeNeverCrossTheAbi) {
    enough::token token = enough::make_token<throwing_token>();
    EXPECT_EQ(token.get()->vtbl->is_cancelled(token.get()), 0);
    EXPECT_FALSE(enough_token_may_cancel(token.get()));
    EXPECT_EQ(token.get()->vtbl->state_word(token.get()), nullptr);
    enough::token_view view = token; // no word: falls back to is_cancelled
    EXPECT_FALSE(view.is_cancelled());
}

} // namespace

namespace {

// Waits take any std::chrono duration: rounded up, saturated, never overflowing; a
// negative one has already passed and only checks.
TEST(Projection, WaitDurationsOfEveryRange) {
    using namespace std::chrono_literals;
    enough::source source;
    enough::token token = source.token();
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(token.wait(-5ms));
    EXPECT_FALSE(token.wait(std::chrono::hours::min()));
    EXPECT_FALSE(token.wait(std::chrono::duration<double>(std::nan(""))));
    EXPECT_FALSE(token.wait(1ns)); // rounds up to 1 ms, then times out
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
    std::thread canceller([&] {
        std::this_thread::sleep_for(20ms);
        source.cancel(enough::reason{300});
    });
    EXPECT_TRUE(token.wait(std::chrono::hours::max())); // practically never: no overflow
    canceller.join();
    EXPECT_TRUE(token.wait(-5ms)); // already cancelled: the check says so
    EXPECT_EQ(token.check(), enough::reason{300});
}

} // namespace

namespace {

// The thread's last refusal, as a code and a message, through the projection.
TEST(Projection, LastErrorCarriesTheCode) {
    using namespace std::chrono_literals;
    enough::source source;
    source.cancel();
    EXPECT_FALSE(source.cancel_after(10ms)); // refused: already cancelled
    const enough::error_info error = enough::last_error();
    EXPECT_EQ(error.code, ENOUGH_ERROR_ALREADY_CANCELLED);
    EXPECT_STREQ(error.message, "enough_cancellation_cancel_after: the source is already cancelled");
    EXPECT_FALSE(source.cancel(enough::reason{0})); // a reason must be > 0
    EXPECT_EQ(enough::last_error().code, ENOUGH_ERROR_BAD_ARGUMENT);
}

// A token written in C++ that pushes: its own flag, a hub that runs callbacks when
// the flag flips, and a deadline of its own (enough_token3).
struct pushing_token : enough::implements<pushing_token, enough_token3> {
    bool is_cancelled() const { return flag.load() != 0; }
    bool may_cancel() const { return !gone.load(); }
    const uint32_t *state_word() const { return reinterpret_cast<const uint32_t *>(&flag); }
    int64_t remaining_ms() const { return 1234; }
    enough::callback_hub &hub() { return pushes; }
    void trip(int32_t reason) {
        flag.store(static_cast<uint32_t>(reason));
        pushes.cancel(reason);
    }
    std::atomic<uint32_t> flag{0};
    std::atomic<bool> gone{false};
    enough::callback_hub pushes;
};

TEST(Projection, AnAuthoredToken3PushesCallbacksOnTheCancellingThread) {
    enough::token token = enough::make_token<pushing_token>();
    pushing_token *impl = pushing_token::self(reinterpret_cast<enough_token3 *>(token.get()));
    void *token3 = nullptr;
    ASSERT_EQ(token.get()->vtbl->query_interface(token.get(), &ENOUGH_IID_TOKEN3, &token3), ENOUGH_OK);
    static_cast<enough_token3 *>(token3)->vtbl->release(static_cast<enough_token3 *>(token3));
    EXPECT_EQ(token3, token.get()); // one identity for token, token2 and token3
    EXPECT_EQ(enough_token_remaining_ms(token.get()), 1234);

    std::atomic<std::thread::id> ran_on{};
    std::atomic<int32_t> seen{0};
    enough::registration registration = token.on_cancel([&](enough::reason why) {
        ran_on = std::this_thread::get_id();
        seen = static_cast<int32_t>(why);
    });
#if defined(_WIN32)
    // An authored token offers no wait handle on Windows (enough_token2 has a slot for an
    // fd only): a defined refusal. It is waited on with wait() or a callback instead.
    EXPECT_EQ(enough_token_wait_handle(token.get()), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_UNSUPPORTED);
#else
    const int fd = enough_token_fd(token.get()); // the hub's, made now
    ASSERT_GE(fd, 0);
    EXPECT_FALSE(enough_test::readable(fd, 0));
#endif
    std::thread waiter([&] { EXPECT_TRUE(token.wait()); });
    std::thread canceller([&] {
        impl->trip(700);
        // Pushed, not polled: the callback ran on this thread before trip returned.
        EXPECT_EQ(ran_on.load(), std::this_thread::get_id());
        EXPECT_EQ(seen.load(), 700);
    });
    canceller.join();
    waiter.join();
#if !defined(_WIN32)
    EXPECT_TRUE(enough_test::readable(fd, 0));
#endif
    EXPECT_EQ(enough_token_reason(token.get()), 700);
    EXPECT_EQ(enough::token_view(token).check(), static_cast<enough::reason>(700));
}

TEST(Projection, AnAuthoredTokenWithoutAHubIsPolledByTheLibrary) {
    struct polled_token : enough::implements<polled_token, enough_token2> {
        bool is_cancelled() const { return flag.load(); }
        bool may_cancel() const { return true; }
        std::atomic<bool> flag{false};
    };
    enough::token token = enough::make_token<polled_token>();
    auto *impl = polled_token::self(reinterpret_cast<enough_token2 *>(token.get()));
    std::atomic<bool> ran{false};
    enough::registration registration = token.on_cancel([&](enough::reason) { ran = true; });
    EXPECT_FALSE(token.wait(std::chrono::milliseconds(5))); // looks, times out
    impl->flag = true;
    EXPECT_TRUE(enough_test::eventually([&] { return ran.load(); })); // the library's poll found it
    EXPECT_EQ(enough_token_reason(token.get()), ENOUGH_REASON_CANCELLED);
    EXPECT_EQ(enough_token_fd(token.get()), -1);
}

TEST(Projection, AnAuthoredTokenWhoseHubIsOrphanedNeverCancels) {
    enough::token token = enough::make_token<pushing_token>();
    pushing_token *impl = pushing_token::self(reinterpret_cast<enough_token3 *>(token.get()));
    bool ran = false;
    enough::registration registration = token.on_cancel([&](enough::reason) { ran = true; });
    impl->gone = true;
    impl->pushes.orphan();
    EXPECT_FALSE(token.may_cancel());
    EXPECT_FALSE(token.wait()); // returns at once: nothing can cancel it any more
    EXPECT_FALSE(impl->pushes.cancel(5));
    EXPECT_FALSE(ran);
}

} // namespace
