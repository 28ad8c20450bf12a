// Depth without recursion: cancelling (and destroying, orphaning, and asking the
// remaining time of) a chain of a million linked sources or linked tokens from a thread
// with a 128 KiB stack, a wide fan-out in one call, and the rule for cancels that
// callbacks make (runtime/cascade.hpp).
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace {

// Runs `work` on a new thread with a stack of `bytes` (musl's default is 128 KiB).
void on_small_stack(std::size_t bytes, std::function<void()> work) {
    pthread_attr_t attributes;
    ASSERT_EQ(pthread_attr_init(&attributes), 0);
    ASSERT_EQ(pthread_attr_setstacksize(&attributes, bytes), 0);
    pthread_t thread;
    ASSERT_EQ(pthread_create(
                  &thread, &attributes,
                  [](void *argument) -> void * {
                      (*static_cast<std::function<void()> *>(argument))();
                      return nullptr;
                  },
                  &work),
              0);
    pthread_join(thread, nullptr);
    pthread_attr_destroy(&attributes);
}

constexpr std::size_t small_stack = 128 * 1024;
constexpr std::size_t chain_length = 1'000'000;

TEST(Depth, AChainOfAMillionLinkedSourcesCancelsAndGoesOnASmallStack) {
    const std::size_t live = enough_live_objects();
    on_small_stack(small_stack, [&] {
        std::vector<void *> chain;
        chain.reserve(chain_length);
        chain.push_back(enough_cancellation_create());
        for (std::size_t i = 1; i < chain_length; ++i) {
            void *parent = enough_token_create(chain.back());
            chain.push_back(enough_cancellation_create_linked(&parent, 1));
            enough_token_destroy(parent);
            ASSERT_NE(chain.back(), nullptr);
        }
        void *leaf = enough_token_create(chain.back());
        // The deadline at the root, a million links up, is the leaf's budget. An hour:
        // what is left depends on nothing but that it arrives (the machine may be slow).
        ASSERT_TRUE(enough_cancellation_cancel_after(chain.front(), 3'600'000));
        const int64_t budget = enough_token_remaining_ms(leaf);
        EXPECT_GT(budget, 0);
        EXPECT_LE(budget, 3'600'000);

        std::atomic<int32_t> seen{0};
        void *registration = enough_token_register(
            leaf, [](void *out, int32_t reason) { static_cast<std::atomic<int32_t> *>(out)->store(reason); },
            &seen);
        const auto started = std::chrono::steady_clock::now();
        ASSERT_TRUE(enough_cancellation_cancel_with_reason(chain.front(), 4242));
        const auto took = std::chrono::steady_clock::now() - started;
        // Everything ran before cancel returned: the leaf's callback, every token.
        EXPECT_EQ(seen.load(), 4242);
        EXPECT_EQ(enough_token_reason(leaf), 4242);
        for (void *source : chain) {
            ASSERT_EQ(enough_cancellation_reason(source), 4242);
        }
        RecordProperty("cancel_ms",
                       static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        enough_registration_destroy(registration);
        enough_token_destroy(leaf);
        for (void *source : chain) {
            enough_cancellation_destroy(source);
        }
    });
    EXPECT_EQ(enough_live_objects(), live); // nothing left alive
}

TEST(Depth, AChainDestroyedLeafFirstOrRootFirstLeavesNothing) {
    const std::size_t live = enough_live_objects();
    on_small_stack(small_stack, [&] {
        for (const bool root_first : {true, false}) {
            std::vector<void *> chain{enough_cancellation_create()};
            for (std::size_t i = 1; i < chain_length / 10; ++i) {
                void *parent = enough_token_create(chain.back());
                chain.push_back(enough_cancellation_create_linked(&parent, 1));
                enough_token_destroy(parent);
            }
            if (!root_first) {
                std::reverse(chain.begin(), chain.end());
            }
            for (void *source : chain) {
                enough_cancellation_destroy(source);
            }
        }
    });
    EXPECT_EQ(enough_live_objects(), live);
}

// The same for a chain of a million linked tokens (enough_token_create_linked), each
// holding the one before: cancelled from the root, or orphaned by the root's source
// going, and destroyed leaf first or root first.
std::vector<void *> linked_token_chain(void *root_token, std::size_t length) {
    std::vector<void *> chain{enough_token_clone(root_token)};
    chain.reserve(length);
    while (chain.size() < length) {
        chain.push_back(enough_token_create_linked(&chain.back(), 1));
        if (chain.back() == nullptr) {
            ADD_FAILURE() << "out of memory at " << chain.size();
            break;
        }
    }
    return chain;
}

TEST(Depth, AChainOfAMillionLinkedTokensCancelsAndGoesOnASmallStack) {
    const std::size_t live = enough_live_objects();
    on_small_stack(small_stack, [&] {
        void *root = enough_cancellation_create();
        void *root_token = enough_token_create(root);
        std::vector<void *> chain = linked_token_chain(root_token, chain_length);
        ASSERT_TRUE(enough_cancellation_cancel_after(root, 3'600'000)); // an hour
        const int64_t budget = enough_token_remaining_ms(chain.back()); // a million links up
        EXPECT_GT(budget, 0);
        EXPECT_LE(budget, 3'600'000);
        std::atomic<int32_t> seen{0};
        void *registration = enough_token_register(
            chain.back(), [](void *out, int32_t reason) { static_cast<std::atomic<int32_t> *>(out)->store(reason); },
            &seen);
        const auto started = std::chrono::steady_clock::now();
        ASSERT_TRUE(enough_cancellation_cancel_with_reason(root, 4242));
        const auto took = std::chrono::steady_clock::now() - started;
        EXPECT_EQ(seen.load(), 4242); // the leaf's callback ran before cancel returned
        for (void *token : chain) {
            ASSERT_EQ(enough_token_reason(token), 4242);
        }
        RecordProperty("cancel_ms",
                       static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));
        enough_registration_destroy(registration);
        for (void *token : chain) { // root first: the chain goes when the leaf does
            enough_token_destroy(token);
        }
        enough_token_destroy(root_token);
        enough_cancellation_destroy(root);
    });
    EXPECT_EQ(enough_live_objects(), live); // nothing left alive
}

TEST(Depth, AChainOfAMillionLinkedTokensIsOrphanedAndDestroyedOnASmallStack) {
    const std::size_t live = enough_live_objects();
    on_small_stack(small_stack, [&] {
        void *root = enough_cancellation_create();
        void *root_token = enough_token_create(root);
        std::vector<void *> chain = linked_token_chain(root_token, chain_length);
        enough_token_destroy(root_token);
        enough_cancellation_destroy(root); // the root can never cancel: nor can any of them
        EXPECT_FALSE(enough_token_may_cancel(chain.back()));
        EXPECT_FALSE(enough_token_may_cancel(chain[chain_length / 2]));
        std::reverse(chain.begin(), chain.end());
        for (void *token : chain) { // leaf first
            enough_token_destroy(token);
        }
        // And a chain still following, dropped leaf first: each link releases the next.
        void *other = enough_cancellation_create();
        void *other_token = enough_token_create(other);
        chain = linked_token_chain(other_token, chain_length);
        std::reverse(chain.begin(), chain.end());
        for (void *token : chain) {
            enough_token_destroy(token);
        }
        EXPECT_TRUE(enough_cancellation_try_reset(other)); // nothing left linked to it
        enough_token_destroy(other_token);
        enough_cancellation_destroy(other);
    });
    EXPECT_EQ(enough_live_objects(), live);
}

enough::token token_of(const enough::token &token) { return token; }
enough::token token_of(const enough::source &source) { return source.token(); }

// A hundred thousand children of one parent, each a linked token or a linked source
// with a callback: one cancel runs every callback before it returns.
template <class Child>
void cancel_a_hundred_thousand_children(Child (*link)(const enough::token &parent)) {
    constexpr std::size_t children = 100'000;
    const std::size_t live = enough_live_objects();
    on_small_stack(small_stack, [&] {
        enough::source parent;
        std::vector<Child> linked;
        std::vector<enough::registration> registrations;
        std::atomic<std::size_t> ran{0};
        linked.reserve(children);
        registrations.reserve(children);
        for (std::size_t i = 0; i < children; ++i) {
            linked.push_back(link(parent.token()));
            registrations.push_back(token_of(linked.back()).on_cancel([&](enough::reason) { ++ran; }));
        }
        parent.cancel();
        EXPECT_EQ(ran.load(), children); // all of them, before cancel returned
    });
    EXPECT_EQ(enough_live_objects(), live);
}

TEST(Depth, AHundredThousandLinkedTokensOfOneParentCancelInOneCall) {
    cancel_a_hundred_thousand_children<enough::token>(
        [](const enough::token &parent) { return enough::token::linked({parent}); });
}

TEST(Depth, AHundredThousandChildrenOfOneParentCancelInOneCall) {
    cancel_a_hundred_thousand_children<enough::source>(
        [](const enough::token &parent) { return enough::source::linked({parent}); });
}

// Callbacks that cancel another source: nested up to cascade's depth, then deferred to
// the outermost cancel, which runs them before it returns.
TEST(Depth, CancelsMadeByCallbacksNestSixteenDeepThenJoinTheWorkList) {
    constexpr int sources = 24;
    std::vector<enough::source> chain(sources);
    std::vector<int> order;             // which source's callback ran, in order
    std::vector<bool> ran_when_returned(sources, false); // did its callback run by the
                                                         // time its cancel returned?
    std::vector<enough::registration> registrations;
    for (int i = 0; i < sources; ++i) {
        registrations.push_back(chain[static_cast<std::size_t>(i)].token().on_cancel([&, i](enough::reason) {
            order.push_back(i);
            if (i + 1 < sources) {
                const std::size_t next = static_cast<std::size_t>(i + 1);
                chain[next].cancel();
                ran_when_returned[next] =
                    std::find(order.begin(), order.end(), i + 1) != order.end();
            }
        }));
    }
    chain[0].cancel();
    ASSERT_EQ(order.size(), static_cast<std::size_t>(sources)); // all ran before it returned
    for (int i = 0; i < sources; ++i) {
        EXPECT_EQ(order[static_cast<std::size_t>(i)], i);
        EXPECT_TRUE(chain[static_cast<std::size_t>(i)].token().is_cancelled());
    }
    // Cancels 1..15 ran their callbacks nested (depths 2..16); the 16th, made at depth
    // 16, was deferred to the outermost cancel, whose work list ran it at depth 1, from
    // where the cancels it made nested again.
    for (int i = 1; i < sources; ++i) {
        EXPECT_EQ(ran_when_returned[static_cast<std::size_t>(i)], i != 16) << "source " << i;
    }
}

// Links never nest: a parent's own callbacks all run first, then its children's, in
// the order the links were reached; every token reads cancelled at once.
TEST(Depth, ThroughLinksAParentsCallbacksRunFirstThenItsChildrens) {
    enough::source parent;
    enough::source first = enough::source::linked({parent.token()});
    enough::source second = enough::source::linked({parent.token()});
    std::vector<std::string> order;
    bool children_cancelled_in_parent_callback = false;
    auto a = first.token().on_cancel([&](enough::reason) { order.push_back("first"); });
    auto b = second.token().on_cancel([&](enough::reason) { order.push_back("second"); });
    auto c = parent.token().on_cancel([&](enough::reason) {
        order.push_back("parent");
        children_cancelled_in_parent_callback = first.token().is_cancelled() && second.token().is_cancelled();
    });
    parent.cancel();
    EXPECT_EQ(order, (std::vector<std::string>{"parent", "first", "second"}));
    EXPECT_TRUE(children_cancelled_in_parent_callback); // the words were set at once
}

} // namespace
