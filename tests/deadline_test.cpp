// Deadlines: never early, promptly after, re-armable, overflow-proof, disarmed with
// the source, pushed into the state word by the one timer thread.
#include "flag_token.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// No test here bounds how soon a deadline fires or how much budget is left: on a busy
// machine any wait may take longer. Those are measured by scripts/bench; the tests
// check order and bounds that hold at any speed (never early; the earliest wins).

TEST(Deadline, FiresNoEarlierThanAsked) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    const auto start = clock_type::now();
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 50));
    ASSERT_TRUE(enough_token_wait(token, 5000));
    const auto elapsed = clock_type::now() - start;
    EXPECT_GE(elapsed, 50ms);
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_TIMED_OUT);
    EXPECT_EQ(enough_cancellation_reason(source), ENOUGH_REASON_TIMED_OUT);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Deadline, ReArmingMovesTheDeadline) {
    // A deadline replaced before it falls never fires. On a stalled machine the first
    // one may fall before the re-arm (and then rightly cancels): such an attempt proves
    // nothing, so it is made again on a fresh source.
    constexpr auto first = 50ms;
    std::optional<enough::source> later;
    for (int attempt = 0; attempt < 100 && !later; ++attempt) {
        enough::source candidate;
        const auto armed = clock_type::now();
        ASSERT_TRUE(candidate.cancel_after(first));
        const bool pushed_out = candidate.cancel_after(std::chrono::hours(1));
        if (pushed_out && clock_type::now() - armed < first) {
            later = std::move(candidate);
        }
    }
    ASSERT_TRUE(later) << "no re-arm came within " << first.count() << " ms in 100 tries";
    enough::source sooner;
    const auto start = clock_type::now();
    ASSERT_TRUE(sooner.cancel_after(std::chrono::hours(10)));
    ASSERT_TRUE(sooner.cancel_after(2 * first)); // pulled in
    ASSERT_TRUE(sooner.token().wait(60'000ms));
    EXPECT_GE(clock_type::now() - start, 2 * first);
    EXPECT_FALSE(later->is_cancelled()); // its first deadline fell meanwhile, and is gone
    const auto rearmed = clock_type::now();
    ASSERT_TRUE(later->cancel_after(150ms)); // pulled in again
    ASSERT_TRUE(later->token().wait(60'000ms));
    EXPECT_GE(clock_type::now() - rearmed, 150ms);
    EXPECT_EQ(later->reason(), enough::reason::timed_out);
}

TEST(Deadline, HugeValuesMeanPracticallyNever) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_TRUE(enough_cancellation_cancel_after(source, UINT64_MAX));
    EXPECT_FALSE(enough_token_wait(token, 50));
    EXPECT_TRUE(enough_cancellation_cancel_after(source, UINT64_MAX / 2));
    EXPECT_FALSE(enough_token_wait(token, 20));
    EXPECT_FALSE(enough_token_is_cancelled(token));
    enough_cancellation_destroy(source); // disarms: the timer's reference goes too
    enough_token_destroy(token);
}

TEST(Deadline, DestroyingTheSourceDisarms) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    // A minute: the destroy comes first however slow the machine. Were the timer still
    // armed it would hold the state, and the token would read may_cancel true.
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 60'000));
    enough_cancellation_destroy(source);
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_FALSE(enough_token_may_cancel(token));
    enough_token_destroy(token);
}

TEST(Deadline, RejectedForNullAndForCancelledSources) {
    EXPECT_FALSE(enough_cancellation_cancel_after(nullptr, 10));
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_cancel(source);
    EXPECT_FALSE(enough_cancellation_cancel_after(source, 10));
    EXPECT_FALSE(enough_cancellation_cancel_after(token, 10)); // a token is not a source
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

// A zero delay is already due: the source cancels before cancel_after returns, on the
// caller's thread, callbacks included (as .NET's CancelAfter(0)).
TEST(Deadline, ZeroCancelsBeforeReturningOnTheCallersThread) {
    enough::source source;
    int ran = 0; // 1: timed out, 2: another reason
    std::thread::id where;
    auto registration = source.token().on_cancel([&](enough::reason why) {
        where = std::this_thread::get_id();
        ran = why == enough::reason::timed_out ? 1 : 2;
    });
    ASSERT_TRUE(source.cancel_after(0ms));
    EXPECT_TRUE(source.token().is_cancelled());
    EXPECT_EQ(source.reason(), enough::reason::timed_out);
    EXPECT_EQ(ran, 1);
    EXPECT_EQ(where, std::this_thread::get_id());
    EXPECT_FALSE(source.cancel_after(0ms)); // already cancelled: refused, as any delay
}

TEST(Deadline, ZeroThroughTheFlatApiAndOverAnArmedDeadline) {
    const std::size_t live = enough_live_objects();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 3'600'000)); // an hour: armed
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 0));
    EXPECT_TRUE(enough_token_is_cancelled(token));
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_TIMED_OUT);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    // The armed hour was disarmed: nothing waits an hour to let go of the state.
    EXPECT_EQ(enough_live_objects(), live);
}

// In the projection a negative delay is refused, never silently "now".
TEST(Deadline, NegativeDelayIsRefusedInTheProjection) {
    enough::source source;
    EXPECT_FALSE(source.cancel_after(-1ms));
    EXPECT_FALSE(source.cancel_after(std::chrono::hours::min()));
    std::this_thread::sleep_for(20ms);
    EXPECT_FALSE(source.is_cancelled());
    EXPECT_TRUE(source.cancel_after(std::chrono::hours::max())); // far off: no overflow
    EXPECT_TRUE(source.cancel_after(1ns));                        // rounds up to 1 ms
    EXPECT_TRUE(source.token().wait(5s));
    EXPECT_EQ(source.reason(), enough::reason::timed_out);
}

std::size_t threads_in_process() {
    std::size_t count = 0;
    for ([[maybe_unused]] const auto &entry : std::filesystem::directory_iterator("/proc/self/task")) {
        ++count;
    }
    return count;
}

TEST(Deadline, ManyDeadlinesShareOneThread) {
    constexpr int count = 200;
    std::vector<enough::source> sources(count);
    // The first deadline starts the timer thread (and, under a sanitizer, its helper).
    ASSERT_TRUE(sources[0].cancel_after(std::chrono::milliseconds(20 + count / 4)));
    const std::size_t started = threads_in_process();
    for (int i = 1; i < count; ++i) {
        ASSERT_TRUE(sources[static_cast<std::size_t>(i)].cancel_after(std::chrono::milliseconds(
            20 + (count - i) / 4)));
    }
    EXPECT_EQ(threads_in_process(), started); // one timer thread, not one per deadline
    for (auto &s : sources) {
        EXPECT_TRUE(s.token().wait(5000ms));
        EXPECT_EQ(s.reason(), enough::reason::timed_out);
    }
}

} // namespace

namespace {

// enough_token_remaining_ms: the budget a token has left, for passing on (gRPC, Go).
TEST(Remaining, NoDeadlineCancelledOrphanedAndNull) {
    enough::source source;
    const enough::token token = source.token();
    EXPECT_EQ(enough_token_remaining_ms(token.get()), -1);
    EXPECT_FALSE(token.remaining().has_value());
    EXPECT_EQ(enough_token_remaining_ms(nullptr), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
    EXPECT_EQ(enough_token_remaining_ms(enough_token_create_never()), -1);
    source.cancel();
    EXPECT_EQ(enough_token_remaining_ms(token.get()), 0);
    EXPECT_EQ(token.remaining(), std::chrono::milliseconds(0));
    enough::token orphan = enough::source().token();
    EXPECT_EQ(enough_token_remaining_ms(orphan.get()), -1);
}

TEST(Remaining, OwnDeadlineCountsDown) {
    enough::source source;
    const enough::token token = source.token();
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(1)));
    const int64_t first = enough_token_remaining_ms(token.get());
    EXPECT_GT(first, 0);
    EXPECT_LE(first, 3'600'000);
    std::this_thread::sleep_for(50ms);
    EXPECT_LT(enough_token_remaining_ms(token.get()), first);
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(24))); // re-armed
    EXPECT_GT(*token.remaining(), std::chrono::hours(23));
}

TEST(Remaining, TheEarliestOfTheLinkedAncestors) {
    enough::source near_parent;
    enough::source far_parent;
    enough::source grandparent;
    // Hours apart, and each answer read between two readings of the deadline it must
    // be: right at any speed (the budget only shrinks).
    ASSERT_TRUE(near_parent.cancel_after(std::chrono::hours(5)));
    ASSERT_TRUE(far_parent.cancel_after(std::chrono::hours(20)));
    ASSERT_TRUE(grandparent.cancel_after(std::chrono::hours(3)));
    const auto remaining = [](const enough::token &t) { return enough_token_remaining_ms(t.get()); };
    enough::source middle = enough::source::linked({grandparent.token()});
    enough::source child = enough::source::linked({far_parent.token(), near_parent.token()});
    const enough::token child_token = child.token();
    const int64_t near_before = remaining(near_parent.token());
    const int64_t inherited = remaining(child_token);
    EXPECT_LE(inherited, near_before);
    EXPECT_GE(inherited, remaining(near_parent.token()));
    ASSERT_TRUE(child.cancel_after(std::chrono::hours(1))); // its own is earlier still
    EXPECT_LE(remaining(child_token), 3'600'000);
    enough::source two_levels = enough::source::linked({middle.token()});
    const int64_t grandparent_before = remaining(grandparent.token());
    const int64_t through_two = remaining(two_levels.token());
    EXPECT_LE(through_two, grandparent_before);
    EXPECT_GE(through_two, remaining(grandparent.token()));
}

TEST(Remaining, ForeignTokensWithoutToken3TellNoDeadline) {
    const std::size_t live = enough_live_objects();
    {
        enough::token foreign = enough::make_token<enough_test::flag_token>();
        EXPECT_EQ(enough_token_remaining_ms(foreign.get()), -1);
        enough::source child = enough::source::linked({foreign});
        EXPECT_EQ(enough_token_remaining_ms(child.token().get()), -1);
        enough_test::flag_token::self(foreign.get())->cancel();
        EXPECT_EQ(enough_token_remaining_ms(foreign.get()), 0);
    }
    // The link's mirror goes on the library's thread, within a poll (1 ms).
    for (int i = 0; i < 5000 && enough_live_objects() != live; ++i) {
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_EQ(enough_live_objects(), live);
}

TEST(Remaining, ThroughTheVtable) {
    enough::source source;
    const auto armed = clock_type::now();
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(1)));
    const enough::token token = source.token();
    void *out = nullptr;
    enough_token *face = token.get();
    ASSERT_EQ(face->vtbl->query_interface(face, &ENOUGH_IID_TOKEN3, &out), ENOUGH_OK);
    auto *token3 = static_cast<enough_token3 *>(out);
    EXPECT_EQ(static_cast<void *>(token3), static_cast<void *>(face));
    const int64_t left = token3->vtbl->remaining_ms(token3);
    // Bounds that hold at any speed: no more than asked, no less than asked minus the
    // time since arming.
    const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(clock_type::now() - armed);
    EXPECT_LE(left, 3'600'000);
    EXPECT_GE(left, 3'600'000 - since.count() - 1);
    token3->vtbl->release(token3);
}

} // namespace
