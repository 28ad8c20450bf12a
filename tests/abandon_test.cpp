// Abandoned sources (enough_cancellation_abandon): what a garbage-collected binding
// does with a source its program dropped. An armed deadline still fires and a linked
// source still follows its parents while a token of it lives; the state goes with its
// last reference, or once nothing can cancel it; nothing else changes from destroy.
#include "allocation_counter.hpp"
#include "wait_helpers.hpp"

#include <enough/enough.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

namespace {

using enough_test::eventually;
using enough_test::live_objects;

// Waits on the token with a generous limit: a hang fails the test, never its speed.
constexpr int64_t generous_ms = 60'000;

void *linked_to(void *parent_source) {
    void *parent = enough_token_create(parent_source);
    void *child = enough_cancellation_create_linked(&parent, 1);
    enough_token_destroy(parent);
    return child;
}

TEST(Abandon, AnArmedDeadlineStillFires) {
    const long long live = live_objects();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 20));
    enough_cancellation_abandon(source);
    EXPECT_TRUE(enough_token_may_cancel(token)); // destroy would have orphaned it
    ASSERT_TRUE(enough_token_wait(token, generous_ms));
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_TIMED_OUT);
    enough_token_destroy(token);
    // The timer lets go of its reference just after the cancel it made returns.
    EXPECT_TRUE(eventually([&] { return live_objects() == live; }));
}

TEST(Abandon, DestroyStillDisarmsTheDeadline) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    // A minute: the destroy comes first however slow the machine (20 ms was not, under
    // qemu-user with both cores busy). An armed timer would keep may_cancel true.
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 60'000));
    enough_cancellation_destroy(source);
    EXPECT_FALSE(enough_token_may_cancel(token));
    EXPECT_FALSE(enough_token_wait(token, generous_ms)); // orphaned: returns at once
    enough_token_destroy(token);
}

TEST(Abandon, ARegistrationAloneStillRunsAtTheDeadline) {
    // .NET's shape: new CancellationTokenSource(delay).Token.Register(cb), all dropped.
    const long long live = live_objects();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    std::atomic<int32_t> seen{0};
    void *registration = enough_token_register(
        token, [](void *out, int32_t reason) { static_cast<std::atomic<int32_t> *>(out)->store(reason); },
        &seen);
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 20));
    enough_cancellation_abandon(source);
    enough_token_destroy(token);
    ASSERT_TRUE(eventually([&] { return seen.load() != 0; }, std::chrono::milliseconds(generous_ms)));
    EXPECT_EQ(seen.load(), ENOUGH_REASON_TIMED_OUT);
    enough_registration_destroy(registration);
    EXPECT_TRUE(eventually([&] { return live_objects() == live; }));
}

TEST(Abandon, ALinkedSourceFollowsItsParentWhileATokenLives) {
    const long long live = live_objects();
    void *parent = enough_cancellation_create();
    void *child = linked_to(parent);
    void *token = enough_token_create(child);
    enough_cancellation_abandon(child);
    EXPECT_TRUE(enough_token_may_cancel(token));
    ASSERT_TRUE(enough_cancellation_cancel_with_reason(parent, 4242));
    EXPECT_EQ(enough_token_reason(token), 4242); // before cancel returned
    enough_token_destroy(token);
    enough_cancellation_destroy(parent);
    EXPECT_EQ(live_objects(), live);
}

TEST(Abandon, ALinkedSourceLetsGoOfItsParentWithItsLastToken) {
    const long long live = live_objects();
    void *parent = enough_cancellation_create();
    void *child = linked_to(parent);
    void *token = enough_token_create(child);
    enough_cancellation_abandon(child);
    enough_token_destroy(token);
    // Nothing is registered on the parent any more: it can be reset.
    EXPECT_TRUE(enough_cancellation_try_reset(parent));
    enough_cancellation_destroy(parent);
    EXPECT_EQ(live_objects(), live);
}

TEST(Abandon, ALinkedSourceWithNoTokenGoesAtOnce) {
    const long long live = live_objects();
    void *parent = enough_cancellation_create();
    enough_cancellation_abandon(linked_to(parent));
    EXPECT_TRUE(enough_cancellation_try_reset(parent));
    enough_cancellation_destroy(parent);
    EXPECT_EQ(live_objects(), live);
}

TEST(Abandon, ALinkedSourceIsOrphanedOnceItsParentsCanNeverCancel) {
    const long long live = live_objects();
    void *a = enough_cancellation_create();
    void *b = enough_cancellation_create();
    void *parents[2] = {enough_token_create(a), enough_token_create(b)};
    void *child = enough_cancellation_create_linked(parents, 2);
    void *token = enough_token_create(child);
    enough_cancellation_abandon(child);
    enough_cancellation_destroy(a);
    EXPECT_TRUE(enough_token_may_cancel(token)); // b may still cancel
    std::thread waiter([&] { EXPECT_FALSE(enough_token_wait(token, -1)); }); // woken by the orphaning
    enough_cancellation_destroy(b);
    waiter.join();
    EXPECT_FALSE(enough_token_may_cancel(token));
    enough_token_destroy(token);
    enough_token_destroy(parents[0]);
    enough_token_destroy(parents[1]);
    EXPECT_EQ(live_objects(), live);
}

TEST(Abandon, ALinkedSourceWhoseParentsAreGoneIsReleasedAsDestroyDoes) {
    void *parent = enough_cancellation_create();
    void *child = linked_to(parent);
    enough_cancellation_destroy(parent); // its one parent can never cancel
    void *token = enough_token_create(child);
    enough_cancellation_abandon(child);
    EXPECT_FALSE(enough_token_may_cancel(token));
    enough_token_destroy(token);
}

TEST(Abandon, ALinkedSourceWithADeadlineOutlivesItsParents) {
    void *parent = enough_cancellation_create();
    void *child = linked_to(parent);
    void *token = enough_token_create(child);
    ASSERT_TRUE(enough_cancellation_cancel_after(child, 20));
    enough_cancellation_abandon(child);
    enough_cancellation_destroy(parent); // the deadline may still cancel it
    ASSERT_TRUE(enough_token_wait(token, generous_ms));
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_TIMED_OUT);
    enough_token_destroy(token);
}

TEST(Abandon, APlainSourceIsReleasedAsDestroyDoes) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_abandon(source);
    EXPECT_FALSE(enough_token_may_cancel(token)); // nothing could ever cancel it
    enough_token_destroy(token);
}

TEST(Abandon, ACancelledSourceKeepsItsReason) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 1'000'000));
    ASSERT_TRUE(enough_cancellation_cancel_with_reason(source, 300));
    enough_cancellation_abandon(source);
    EXPECT_EQ(enough_token_reason(token), 300);
    enough_token_destroy(token);
}

TEST(Abandon, NullIsANoOpAndATokenIsRefused) {
    enough_cancellation_abandon(nullptr);
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_abandon(token); // the wrong kind: refused, nothing released
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

// Abandoning races the deadline firing, the parent cancelling or going, and the last
// token going: every state ends cancelled or orphaned, and nothing is left alive.
TEST(Abandon, RacesLeaveEveryStateSettledAndNothingAlive) {
    const long long live = live_objects();
    constexpr int rounds = 2'000;
    for (int i = 0; i < rounds; ++i) {
        void *parent = enough_cancellation_create();
        void *child = linked_to(parent);
        void *token = enough_token_create(child);
        if (i % 2 == 0) {
            ASSERT_TRUE(enough_cancellation_cancel_after(child, 1));
        }
        std::thread other([&] {
            if (i % 3 == 0) {
                enough_cancellation_cancel_with_reason(parent, 7);
            } else {
                enough_cancellation_destroy(parent);
                parent = nullptr;
            }
        });
        enough_cancellation_abandon(child);
        other.join();
        // Settles: cancelled (by the parent or the deadline), or orphaned; never stuck.
        const bool cancelled = enough_token_wait(token, generous_ms);
        EXPECT_EQ(cancelled, enough_token_is_cancelled(token));
        if (!cancelled) {
            EXPECT_FALSE(enough_token_may_cancel(token)) << "round " << i;
        }
        if (i % 4 == 1) {
            std::thread dropper([&] { enough_token_destroy(token); });
            dropper.join();
        } else {
            enough_token_destroy(token);
        }
        enough_cancellation_destroy(parent);
    }
    EXPECT_TRUE(eventually([&] { return live_objects() == live; }, std::chrono::milliseconds(generous_ms)));
}

} // namespace
