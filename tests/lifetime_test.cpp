// Lifetimes: every order of release frees the state exactly once, and what is still
// held keeps working.
#include "allocation_counter.hpp"

#include <enough/enough.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <functional>
#include <chrono>
#include <numeric>
#include <thread>

namespace {

using enough_test::live_objects;

// Handles of one source: the source, two created tokens and a clone.
struct handles {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *second = enough_token_create(source);
    void *clone = enough_token_clone(token);
};

class ReleaseOrder : public ::testing::TestWithParam<bool> {};

TEST_P(ReleaseOrder, EveryPermutationFreesOnceAndOnlyAtTheEnd) {
    const bool cancel_first = GetParam();
    std::array<int, 4> order{0, 1, 2, 3};
    int permutations = 0;
    do {
        const long long before = live_objects();
        handles h;
        if (cancel_first) {
            enough_cancellation_cancel(h.source);
        }
        std::array<void **, 4> slots{&h.source, &h.token, &h.second, &h.clone};
        for (int step = 0; step < 4; ++step) {
            const int which = order[static_cast<std::size_t>(step)];
            void *&handle = *slots[static_cast<std::size_t>(which)];
            if (which == 0) {
                enough_cancellation_destroy(handle);
            } else {
                enough_token_destroy(handle);
            }
            handle = nullptr;
            // Everything still held works and tells the truth.
            for (int other = 1; other < 4; ++other) {
                if (void *token = *slots[static_cast<std::size_t>(other)]) {
                    EXPECT_EQ(enough_token_is_cancelled(token), cancel_first);
                    EXPECT_EQ(enough_token_may_cancel(token), cancel_first || h.source != nullptr);
                }
            }
            EXPECT_EQ(live_objects(), step < 3 ? before + 1 : before) << "step " << step;
        }
        ++permutations;
    } while (std::next_permutation(order.begin(), order.end()));
    EXPECT_EQ(permutations, 24);
}

INSTANTIATE_TEST_SUITE_P(CancelledOrNot, ReleaseOrder, ::testing::Bool());

// A cancel on another thread is running a callback when everything else lets go: the
// callback's registration (released without waiting: the runner frees it), the token
// and the very source handle the cancel was called through (as a Python with-block
// closes a source whose threading.Timer is still in cancel()). The cancel must keep
// the state until its callbacks have run, then free it: not touch it freed (the next
// source made here reuses its memory: CI's samples.grpc_python once saw a second job
// get the first job's reason), nor leave it behind.
TEST(Lifetime, ACancelKeepsItsStateUntilItsCallbacksHaveRun) {
    const long long live = live_objects();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    std::atomic<int> step{0}; // 1: the callback runs; 2: everything else is let go
    void *registration = enough_token_register(
        token,
        [](void *shared, int32_t) {
            auto &at = *static_cast<std::atomic<int> *>(shared);
            at.store(1);
            while (at.load() != 2) {
                std::this_thread::yield();
            }
        },
        &step);
    std::thread canceller([source] { enough_cancellation_cancel_with_reason(source, 4242); });
    while (step.load() != 1) {
        std::this_thread::yield();
    }
    EXPECT_FALSE(enough_registration_try_destroy(registration)); // running: the runner frees it
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    step.store(2);
    canceller.join();
    EXPECT_EQ(live_objects(), live);
}

TEST(Lifetime, OrphanedTokenStaysUncancelledForever) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *clone = enough_token_clone(token);
    enough_cancellation_destroy(source);
    for (int i = 0; i < 3; ++i) {
        EXPECT_FALSE(enough_token_is_cancelled(clone));
        EXPECT_FALSE(enough_token_may_cancel(token));
    }
    enough_token_destroy(token);
    enough_token_destroy(clone);
}

} // namespace

namespace {

TEST(LiveObjects, CountsStatesAndRegistrationsBackToZero) {
    const std::size_t base = enough_live_objects();
    void *source = enough_cancellation_create();
    EXPECT_EQ(enough_live_objects(), base + 1);
    void *token = enough_token_create(source);
    EXPECT_EQ(enough_live_objects(), base + 1); // a token is the same object
    void *registration = enough_token_register(token, [](void *, int32_t) {}, nullptr);
    EXPECT_EQ(enough_live_objects(), base + 2);
    void *child = enough_cancellation_create_linked(&token, 1);
    EXPECT_EQ(enough_live_objects(), base + 4); // the child and its link
    enough_cancellation_destroy(child);
    enough_registration_destroy(registration);
    enough_cancellation_destroy(source);
    EXPECT_EQ(enough_live_objects(), base + 1); // the token still holds the state
    enough_token_destroy(token);
    EXPECT_EQ(enough_live_objects(), base);
}

TEST(LiveObjects, CanUnloadOnlyWithNothingAliveAndNoThread) {
    EXPECT_TRUE(enough_can_unload_now());
    void *source = enough_cancellation_create();
    EXPECT_FALSE(enough_can_unload_now());
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 1));
    void *token = enough_token_create(source);
    ASSERT_TRUE(enough_token_wait(token, 5000));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    // The library's thread drops its reference when its cancel returns; with nothing
    // alive, can_unload_now stops and joins it.
    bool unloadable = false;
    for (int i = 0; i < 500 && !unloadable; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        unloadable = enough_can_unload_now();
    }
    EXPECT_TRUE(unloadable);
    EXPECT_EQ(enough_live_objects(), 0u);
}

} // namespace
