// Linked sources: cancelled by any parent with its reason, never the other way,
// leak-free under churn, and fine with foreign parents.
#include "allocation_counter.hpp"
#include "flag_token.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;
using enough_test::flag_token;
using enough_test::live_objects;

TEST(Linked, AnyParentCancelsTheChildWithItsReason) {
    void *a = enough_cancellation_create();
    void *b = enough_cancellation_create();
    void *parents[] = {enough_token_create(a), enough_token_create(b)};
    void *child = enough_cancellation_create_linked(parents, 2);
    ASSERT_NE(child, nullptr);
    void *child_token = enough_token_create(child);
    EXPECT_FALSE(enough_token_is_cancelled(child_token));
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(b, 900));
    EXPECT_TRUE(enough_token_is_cancelled(child_token)); // pushed synchronously
    EXPECT_EQ(enough_token_reason(child_token), 900);
    EXPECT_FALSE(enough_cancellation_is_cancelled(a));
    enough_cancellation_cancel(a);
    EXPECT_EQ(enough_token_reason(child_token), 900); // first wins
    enough_token_destroy(child_token);
    enough_cancellation_destroy(child);
    enough_token_destroy(parents[0]);
    enough_token_destroy(parents[1]);
    enough_cancellation_destroy(a);
    enough_cancellation_destroy(b);
}

TEST(Linked, StartsCancelledWhenAParentAlreadyIs) {
    void *parent = enough_cancellation_create();
    enough_cancellation_cancel_with_reason(parent, 333);
    void *token = enough_token_create(parent);
    void *child = enough_cancellation_create_linked(&token, 1);
    EXPECT_TRUE(enough_cancellation_is_cancelled(child));
    EXPECT_EQ(enough_cancellation_reason(child), 333);
    enough_cancellation_destroy(child);
    enough_token_destroy(token);
    enough_cancellation_destroy(parent);
}

TEST(Linked, CancellingTheChildNeverTouchesTheParents) {
    enough::source parent;
    enough::source child = enough::source::linked({parent.token()});
    EXPECT_TRUE(child.cancel());
    EXPECT_FALSE(parent.is_cancelled());
    EXPECT_TRUE(parent.token().may_cancel());
}

TEST(Linked, EdgeArguments) {
    EXPECT_EQ(enough_cancellation_create_linked(nullptr, 1), nullptr);
    void *plain = enough_cancellation_create_linked(nullptr, 0);
    ASSERT_NE(plain, nullptr);
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(plain, 5));
    enough_cancellation_destroy(plain);
    void *parents[] = {nullptr, enough_token_create_never()};
    void *child = enough_cancellation_create_linked(parents, 2);
    ASSERT_NE(child, nullptr);
    void *token = enough_token_create(child);
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_cancellation_destroy(child);
    EXPECT_FALSE(enough_token_may_cancel(token)); // nothing else can cancel it
    enough_token_destroy(token);
}

TEST(Linked, ChildOfChildCancelsThroughTheChain) {
    enough::source root;
    enough::source middle = enough::source::linked({root.token()});
    enough::source leaf = enough::source::linked({middle.token()});
    root.cancel(enough::reason{4242});
    EXPECT_EQ(leaf.reason(), enough::reason{4242});
}

TEST(Linked, MemoryStaysFlatUnderChurnBeneathALongLivedParent) {
    void *parent = enough_cancellation_create();
    void *parent_token = enough_token_create(parent);
    const long long before = live_objects();
    for (int i = 0; i < 200'000; ++i) {
        void *child = enough_cancellation_create_linked(&parent_token, 1);
        ASSERT_NE(child, nullptr);
        enough_cancellation_destroy(child);
        if (i == 1000) {
            EXPECT_EQ(live_objects(), before);
        }
    }
    EXPECT_EQ(live_objects(), before);
    enough_token_destroy(parent_token);
    enough_cancellation_destroy(parent);
}

TEST(Linked, ChildTokensOutliveTheChildAndItsLinks) {
    const long long before = live_objects();
    {
        enough::source parent;
        enough::token child_token;
        {
            enough::source child = enough::source::linked({parent.token()});
            child_token = child.token();
        }
        parent.cancel();
        EXPECT_FALSE(child_token.is_cancelled()); // the child was gone: orphaned, not cancelled
        EXPECT_FALSE(child_token.may_cancel());
    }
    EXPECT_EQ(live_objects(), before);
}

TEST(Linked, ForeignParentWithoutPushIsWatched) {
    enough::token foreign = enough::make_token<flag_token>();
    auto *impl = flag_token::self(foreign.get());
    enough::source child = enough::source::linked({foreign});
    EXPECT_FALSE(child.token().wait(20ms));
    impl->cancel(1234);
    EXPECT_TRUE(child.token().wait(5000ms));
    EXPECT_EQ(child.reason(), enough::reason{1234});
}

TEST(Linked, RacingParentCancelAndChildDestroy) {
    const long long before = live_objects();
    for (int round = 0; round < 500; ++round) {
        void *parent = enough_cancellation_create();
        void *token = enough_token_create(parent);
        void *child = enough_cancellation_create_linked(&token, 1);
        void *child_token = enough_token_create(child);
        std::thread a([&] { enough_cancellation_cancel(parent); });
        std::thread b([&] { enough_cancellation_destroy(child); });
        a.join();
        b.join();
        // Either the parent reached the child first (cancelled) or the child was gone.
        EXPECT_EQ(enough_token_may_cancel(child_token), enough_token_is_cancelled(child_token));
        enough_token_destroy(child_token);
        enough_token_destroy(token);
        enough_cancellation_destroy(parent);
    }
    EXPECT_EQ(live_objects(), before);
}

} // namespace
