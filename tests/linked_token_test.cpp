// Linked tokens (enough_token_create_linked, token::linked): cancelled by the first
// parent to cancel, following without any source kept alive, orphaned once every
// parent can never cancel (fan-in), and gone with their last reference.
#include "allocation_counter.hpp"
#include "flag_token.hpp"
#include "wait_helpers.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using enough_test::flag_token;
using enough_test::live_objects;

TEST(LinkedToken, TheFirstParentToCancelGivesItsReason) {
    enough::source a;
    enough::source b;
    enough::token linked = enough::token::linked({a.token(), b.token()});
    EXPECT_FALSE(linked.is_cancelled());
    EXPECT_TRUE(linked.may_cancel());
    b.cancel(enough::reason{7});
    EXPECT_EQ(linked.check(), enough::reason{7});
    a.cancel(enough::reason{8});
    EXPECT_EQ(linked.check(), enough::reason{7}); // the first wins
}

TEST(LinkedToken, StartsCancelledWhenAParentAlreadyIs) {
    enough::source a;
    a.cancel(enough::reason{42});
    enough::source b;
    EXPECT_EQ(enough::token::linked({b.token(), a.token()}).check(), enough::reason{42});
}

TEST(LinkedToken, FollowsWithNoSourceKeptAlive) {
    enough::source parent;
    // Nothing but the token: no source of its own to keep (a linked source's tokens
    // are orphaned once that source goes; this one goes on following).
    void *linked = enough_token_create_linked(std::vector<void *>{parent.token().get()}.data(), 1);
    ASSERT_NE(linked, nullptr);
    std::atomic<int32_t> seen{0};
    void *registration = enough_token_register(
        linked, [](void *out, int32_t reason) { static_cast<std::atomic<int32_t> *>(out)->store(reason); }, &seen);
    parent.cancel(enough::reason{99});
    EXPECT_EQ(enough_token_reason(linked), 99);
    EXPECT_EQ(seen.load(), 99); // its callback ran before cancel returned
    enough_registration_destroy(registration);
    enough_token_destroy(linked);
}

TEST(LinkedToken, CancellingNeverTouchesTheParents) {
    enough::source parent;
    enough::source other;
    enough::token linked = enough::token::linked({parent.token()});
    other.cancel();
    EXPECT_FALSE(linked.is_cancelled());
    EXPECT_FALSE(parent.token().is_cancelled());
}

TEST(LinkedToken, ItsLinksLiveWhileAnyReferenceToItDoes) {
    enough::source parent;
    enough::token clone;
    {
        enough::token linked = enough::token::linked({parent.token()});
        clone = linked; // another reference
    }
    EXPECT_TRUE(clone.may_cancel());
    parent.cancel();
    EXPECT_TRUE(clone.is_cancelled());
}

TEST(LinkedToken, AChildOfItKeepsItFollowing) {
    enough::source root;
    enough::token grandchild;
    {
        const enough::token child = enough::token::linked({root.token()});
        grandchild = enough::token::linked({child}); // holds the child, not a source
    }
    root.cancel(enough::reason{5});
    EXPECT_EQ(grandchild.check(), enough::reason{5});
}

TEST(LinkedToken, OrphanedOnceEveryParentCanNeverCancelWaitersWoken) {
    const long long before = live_objects();
    {
        auto a = std::make_unique<enough::source>();
        auto b = std::make_unique<enough::source>();
        enough::token linked = enough::token::linked({a->token(), b->token()});
        std::atomic<bool> returned{false};
        bool waited = true;
        std::thread waiter([&] {
            waited = linked.wait(); // no limit: only an orphaning or a cancel ends it
            returned = true;
        });
        a.reset(); // one parent gone: the other may still cancel
        std::this_thread::sleep_for(20ms);
        EXPECT_TRUE(linked.may_cancel());
        EXPECT_FALSE(returned.load());
        b.reset(); // the last one: the token can never cancel now
        waiter.join();
        EXPECT_FALSE(waited);
        EXPECT_FALSE(linked.may_cancel());
        EXPECT_FALSE(linked.is_cancelled());
    }
    EXPECT_EQ(live_objects(), before); // the links went with the orphaning
}

TEST(LinkedToken, OrphaningFlowsDownAChainOfLinkedTokens) {
    auto root = std::make_unique<enough::source>();
    enough::token first = enough::token::linked({root->token()});
    enough::token second = enough::token::linked({first});
    enough::token fanned = enough::token::linked({second, first});
    EXPECT_TRUE(fanned.may_cancel());
    root.reset();
    EXPECT_FALSE(first.may_cancel());
    EXPECT_FALSE(second.may_cancel());
    EXPECT_FALSE(fanned.may_cancel());
}

TEST(LinkedToken, ACancelledTokenStaysCancelledWhenItsParentsGo) {
    auto parent = std::make_unique<enough::source>();
    enough::token linked = enough::token::linked({parent->token()});
    parent->cancel();
    parent.reset();
    EXPECT_TRUE(linked.is_cancelled());
    EXPECT_TRUE(linked.may_cancel()); // cancelled counts as "may cancel"
}

TEST(LinkedToken, ParentsThatCanNeverCancelAreNotFollowed) {
    enough::token orphan;
    {
        enough::source gone;
        orphan = gone.token();
    }
    EXPECT_FALSE(enough::token::linked({}).may_cancel());
    EXPECT_FALSE(enough::token::linked({enough::token(), orphan}).may_cancel());
    void *nulls[] = {nullptr, nullptr};
    void *linked = enough_token_create_linked(nulls, 2);
    ASSERT_NE(linked, nullptr);
    EXPECT_FALSE(enough_token_may_cancel(linked));
    enough_token_destroy(linked);
    enough::source alive;
    EXPECT_TRUE(enough::token::linked({orphan, alive.token()}).may_cancel());
}

TEST(LinkedToken, EdgeArguments) {
    EXPECT_EQ(enough_token_create_linked(nullptr, 1), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_BAD_ARGUMENT);
    void *empty = enough_token_create_linked(nullptr, 0);
    ASSERT_NE(empty, nullptr);
    EXPECT_FALSE(enough_token_may_cancel(empty));
    enough_token_destroy(empty);
    // A source among the parents is refused (recorded) and skipped.
    enough::source parent;
    void *handles[] = {parent.get(), nullptr};
    void *linked = enough_token_create_linked(handles, 2);
    ASSERT_NE(linked, nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    EXPECT_FALSE(enough_token_may_cancel(linked));
    enough_token_destroy(linked);
}

TEST(LinkedToken, ALongLivedParentAccumulatesNothing) {
    enough::source parent;
    const long long before = live_objects();
    for (int i = 0; i < 100'000; ++i) {
        const enough::token linked = enough::token::linked({parent.token()});
    }
    EXPECT_EQ(live_objects(), before);
    EXPECT_TRUE(parent.try_reset()); // nothing registered on its token any more
}

TEST(LinkedToken, ForeignParentsAreFollowedAndTheirOrphaningNoticed) {
    const long long before = live_objects();
    {
        enough::token cancelling = enough::make_token<flag_token>();
        enough::token orphaning = enough::make_token<flag_token>();
        enough::token linked = enough::token::linked({cancelling});
        enough::token orphaned = enough::token::linked({orphaning});
        flag_token::self(cancelling.get())->cancel(1234); // seen by the library's thread
        EXPECT_TRUE(linked.wait(5000ms));
        EXPECT_EQ(linked.check(), enough::reason{1234});
        flag_token::self(orphaning.get())->orphan();
        EXPECT_FALSE(orphaned.wait(5000ms)); // woken by the orphaning, not the time limit
        EXPECT_FALSE(orphaned.may_cancel());
    }
    // The library's thread ends the watches at its next poll: nothing stays behind.
    EXPECT_TRUE(enough_test::eventually([&] { return live_objects() == before; }));
}

TEST(LinkedToken, TheDeadlineIsTheEarliestParents) {
    enough::source far;
    enough::source near;
    ASSERT_TRUE(far.cancel_after(60'000ms));
    ASSERT_TRUE(near.cancel_after(30'000ms));
    const enough::token linked = enough::token::linked({far.token(), near.token()});
    // Read between two readings of the nearer parent's: right at any speed.
    const int64_t near_before = enough_token_remaining_ms(near.token().get());
    const int64_t remaining = enough_token_remaining_ms(linked.get());
    EXPECT_LE(remaining, near_before);
    EXPECT_GE(remaining, enough_token_remaining_ms(near.token().get()));
}

// Each race: the token's last reference, a parent's cancel and a parent's orphaning,
// on three threads; nothing leaks and the outcome is one of the allowed ones.
TEST(LinkedToken, RacingReleaseCancelAndOrphaning) {
    const long long before = live_objects();
    for (int round = 0; round < 300; ++round) {
        void *cancelling = enough_cancellation_create();
        void *orphaning = enough_cancellation_create();
        void *parents[] = {enough_token_create(cancelling), enough_token_create(orphaning)};
        void *linked = enough_token_create_linked(parents, 2);
        void *observer = enough_token_create_linked(&linked, 1); // follows the linked one
        std::thread a([&] { enough_cancellation_cancel_with_reason(cancelling, 3); });
        std::thread b([&] { enough_cancellation_destroy(orphaning); });
        std::thread c([&] { enough_token_destroy(linked); });
        a.join();
        b.join();
        c.join();
        // The observer kept the linked token following: the cancel reached it.
        EXPECT_EQ(enough_token_reason(observer), 3);
        enough_token_destroy(observer);
        enough_token_destroy(parents[0]);
        enough_token_destroy(parents[1]);
        enough_cancellation_destroy(cancelling);
    }
    EXPECT_EQ(live_objects(), before);
}

TEST(LinkedToken, RacingCreationAndTheLastParentsOrphaning) {
    const long long before = live_objects();
    for (int round = 0; round < 300; ++round) {
        void *parent = enough_cancellation_create();
        void *token = enough_token_create(parent);
        void *linked = nullptr;
        std::thread a([&] { linked = enough_token_create_linked(&token, 1); });
        std::thread b([&] { enough_cancellation_destroy(parent); });
        a.join();
        b.join();
        // Whichever came first, the orphaning is noticed exactly once.
        EXPECT_FALSE(enough_token_may_cancel(linked));
        EXPECT_FALSE(enough_token_wait(linked, -1));
        enough_token_destroy(linked);
        enough_token_destroy(token);
    }
    EXPECT_EQ(live_objects(), before);
}

} // namespace
