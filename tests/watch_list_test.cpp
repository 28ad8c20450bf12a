// Watch lists (enough_watch_list_*): many tokens, one waiting thread, as the Node.js
// package's watcher uses them. Each watch queues its key once: on cancel (with the
// reason) or once its token can never cancel (reason 0); a destroyed watch never does.
#include "allocation_counter.hpp"
#include "flag_token.hpp"
#include "wait_helpers.hpp"

#include <enough/enough.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <thread>
#include <vector>

#if !defined(_WIN32)
#include <poll.h>
#include <unistd.h>
#endif

namespace {

using enough_test::eventually;
using enough_test::live_objects;

constexpr int64_t generous_ms = 60'000; // a hang fails the test, never its speed

// The events one take returns (waiting up to `timeout_ms` for the first).
std::vector<enough_watch_event> take(void *list, int64_t timeout_ms = 0, size_t capacity = 16) {
    std::vector<enough_watch_event> events(capacity);
    events.resize(enough_watch_list_take(list, events.data(), events.size(), timeout_ms));
    return events;
}

TEST(WatchList, ACancelQueuesTheKeyWithTheReasonOnce) {
    const long long live = live_objects();
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *watch = enough_watch_list_add(list, token, 42);
    ASSERT_NE(watch, nullptr);
    EXPECT_TRUE(take(list).empty());
    ASSERT_TRUE(enough_cancellation_cancel_with_reason(source, 300));
    const auto events = take(list);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].key, 42u);
    EXPECT_EQ(events[0].reason, 300);
    EXPECT_TRUE(take(list).empty()); // once
    enough_watch_destroy(watch);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
    EXPECT_EQ(live_objects(), live);
}

TEST(WatchList, ATokenCancelledAlreadyIsQueuedBeforeAddReturns) {
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    enough_cancellation_cancel_with_reason(source, 7);
    void *token = enough_token_create(source);
    void *watch = enough_watch_list_add(list, token, 1);
    const auto events = take(list);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].reason, 7);
    enough_watch_destroy(watch);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
}

TEST(WatchList, ATokenThatCanNeverCancelIsQueuedWithReasonZero) {
    void *list = enough_watch_list_create();
    void *never = enough_token_create_never();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *parent = enough_cancellation_create();
    void *parent_token = enough_token_create(parent);
    void *linked = enough_token_create_linked(&parent_token, 1);
    void *watches[] = {enough_watch_list_add(list, never, 1), enough_watch_list_add(list, token, 2),
                       enough_watch_list_add(list, linked, 3)};
    auto events = take(list);
    ASSERT_EQ(events.size(), 1u); // the never token, at once
    EXPECT_EQ(events[0].key, 1u);
    EXPECT_EQ(events[0].reason, ENOUGH_REASON_NONE);
    enough_cancellation_destroy(source); // orphans `token`
    enough_cancellation_destroy(parent); // orphans the linked token through its parent
    events = take(list);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].key, 2u);
    EXPECT_EQ(events[1].key, 3u);
    EXPECT_EQ(events[0].reason, ENOUGH_REASON_NONE);
    EXPECT_EQ(events[1].reason, ENOUGH_REASON_NONE);
    for (void *watch : watches) {
        enough_watch_destroy(watch);
    }
    for (void *each : {never, token, parent_token, linked}) {
        enough_token_destroy(each);
    }
    enough_watch_list_destroy(list);
}

TEST(WatchList, ADestroyedWatchIsNeverQueuedAndItsQueuedEventIsDropped) {
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *before = enough_watch_list_add(list, token, 1);
    void *after = enough_watch_list_add(list, token, 2);
    void *kept = enough_watch_list_add(list, token, 3);
    enough_watch_destroy(before);
    enough_cancellation_cancel(source);
    enough_watch_destroy(after); // queued, not taken
    const auto events = take(list);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].key, 3u);
    enough_watch_destroy(kept);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
}

TEST(WatchList, TakesEventsOldestFirstAtMostCapacityAtATime) {
    void *list = enough_watch_list_create();
    std::vector<void *> sources, tokens, watches;
    for (uint64_t key = 0; key < 5; ++key) {
        sources.push_back(enough_cancellation_create());
        tokens.push_back(enough_token_create(sources.back()));
        watches.push_back(enough_watch_list_add(list, tokens.back(), key));
    }
    for (uint64_t key : {3, 1, 4, 0, 2}) {
        enough_cancellation_cancel(sources[key]);
    }
    std::vector<uint64_t> keys;
    for (size_t expected : {2u, 2u, 1u, 0u}) {
        const auto events = take(list, 0, 2);
        EXPECT_EQ(events.size(), expected);
        for (const auto &event : events) {
            keys.push_back(event.key);
        }
    }
    EXPECT_EQ(keys, (std::vector<uint64_t>{3, 1, 4, 0, 2}));
    for (size_t i = 0; i < 5; ++i) {
        enough_watch_destroy(watches[i]);
        enough_token_destroy(tokens[i]);
        enough_cancellation_destroy(sources[i]);
    }
    enough_watch_list_destroy(list);
}

TEST(WatchList, ATakeWithNoRoomWaitsAndCountsWithoutTaking) {
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *watches[] = {enough_watch_list_add(list, token, 1), enough_watch_list_add(list, token, 2)};
    EXPECT_EQ(enough_watch_list_take(list, nullptr, 0, 0), 0u);
    std::thread canceller([source] { enough_cancellation_cancel(source); });
    const size_t queued = enough_watch_list_take(list, nullptr, 0, -1); // until the cancel
    canceller.join();
    EXPECT_GE(queued, 1u); // the cancel queues both, maybe not both before the look
    EXPECT_EQ(enough_watch_list_take(list, nullptr, 0, 0), 2u);
    EXPECT_EQ(take(list).size(), 2u); // still there to take
    EXPECT_EQ(enough_watch_list_take(list, nullptr, 0, 0), 0u);
    for (void *watch : watches) {
        enough_watch_destroy(watch);
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
}

TEST(WatchList, AWaitingTakeReturnsForACancelElsewhereAWakeAndADestroy) {
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *watch = enough_watch_list_add(list, token, 9);
    std::thread canceller([source] { enough_cancellation_cancel_with_reason(source, 5); });
    const auto events = take(list, -1); // no limit: only the cancel ends it
    canceller.join();
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].reason, 5);

    std::atomic<int> returned{-1};
    std::thread woken([&] { returned = static_cast<int>(take(list, -1).size()); });
    while (returned.load() == -1) {
        enough_watch_list_wake(list); // may come before the take waits: wake again
        std::this_thread::yield();
    }
    woken.join();
    EXPECT_EQ(returned.load(), 0);

    // A take waiting when the owner destroys the list returns 0; the list lives on
    // while the watch does.
    std::atomic<bool> started{false};
    std::thread waiting([&] {
        started = true;
        returned = static_cast<int>(take(list, generous_ms).size());
    });
    while (!started.load()) {
        std::this_thread::yield();
    }
    enough_watch_list_destroy(list);
    waiting.join();
    EXPECT_EQ(returned.load(), 0);
    enough_watch_destroy(watch);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(WatchList, AWatchKeepsAnAbandonedSourceFollowing) {
    const long long live = live_objects();
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *watch = enough_watch_list_add(list, token, 1);
    enough_token_destroy(token); // the watch is all that references the state now
    ASSERT_TRUE(enough_cancellation_cancel_after(source, 20));
    enough_cancellation_abandon(source);
    const auto events = take(list, generous_ms);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_EQ(events[0].reason, ENOUGH_REASON_TIMED_OUT);
    enough_watch_destroy(watch);
    enough_watch_list_destroy(list);
    EXPECT_TRUE(eventually([&] { return live_objects() == live; }));
}

TEST(WatchList, AForeignTokenIsQueuedWhenTheLibraryNextPollsIt) {
    void *list = enough_watch_list_create();
    enough::token cancelled = enough::make_token<enough_test::flag_token>();
    enough::token orphaned = enough::make_token<enough_test::flag_token>();
    void *watches[] = {enough_watch_list_add(list, cancelled.get(), 1),
                       enough_watch_list_add(list, orphaned.get(), 2)};
    enough_test::flag_token::self(cancelled.get())->cancel(77);
    enough_test::flag_token::self(orphaned.get())->orphan();
    std::vector<enough_watch_event> events;
    while (events.size() < 2) {
        const auto more = take(list, generous_ms);
        ASSERT_FALSE(more.empty());
        events.insert(events.end(), more.begin(), more.end());
    }
    for (const auto &event : events) {
        EXPECT_EQ(event.reason, event.key == 1 ? 77 : ENOUGH_REASON_NONE);
    }
    for (void *watch : watches) {
        enough_watch_destroy(watch);
    }
    enough_watch_list_destroy(list);
}

TEST(WatchList, OneCancelQueuesAHundredThousandWatchesOfOneToken) {
    const long long live = live_objects();
    void *list = enough_watch_list_create();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    std::vector<void *> watches;
    for (uint64_t key = 0; key < 100'000; ++key) {
        watches.push_back(enough_watch_list_add(list, token, key));
    }
    enough_cancellation_cancel(source);
    std::vector<enough_watch_event> events(100'000);
    ASSERT_EQ(enough_watch_list_take(list, events.data(), events.size(), 0), 100'000u);
    std::vector<bool> seen(100'000);
    for (const auto &event : events) {
        seen.at(event.key) = true;
    }
    EXPECT_EQ(std::count(seen.begin(), seen.end(), true), 100'000);
    for (void *watch : watches) {
        enough_watch_destroy(watch);
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
    EXPECT_EQ(live_objects(), live);
}

TEST(WatchList, RacesBetweenAddDestroyCancelAndTakeLoseNothing) {
    // A taker, and two threads that each add watches whose tokens another thread
    // cancels or orphans while a third of the watches are destroyed meanwhile: every
    // watch kept is taken exactly once, a destroyed one at most once, nothing is left.
    const long long live = live_objects();
    void *list = enough_watch_list_create();
    constexpr uint64_t rounds = 2'000;
    std::atomic<int> producers{2};
    std::vector<int> times_taken(2 * rounds); // written by the taker only
    std::thread taker([&] {
        std::vector<enough_watch_event> events(64);
        for (;;) {
            const bool last = producers.load() == 0; // then one more take empties it
            for (size_t n; (n = enough_watch_list_take(list, events.data(), events.size(), last ? 0 : 1)) != 0;) {
                for (size_t i = 0; i < n; ++i) {
                    ++times_taken.at(events[i].key);
                }
            }
            if (last) {
                return;
            }
        }
    });
    std::vector<void *> kept[2];
    auto produce = [&](uint64_t seed) {
        for (uint64_t i = 0; i < rounds; ++i) {
            const uint64_t key = seed * rounds + i;
            void *source = enough_cancellation_create();
            void *token = enough_token_create(source);
            void *watch = enough_watch_list_add(list, token, key);
            const bool cancels = key % 2 == 0;
            std::thread other([&] { cancels ? enough_cancellation_cancel(source) : enough_cancellation_destroy(source); });
            if (key % 3 == 0) {
                enough_watch_destroy(watch); // races the cancel: taken once or never
            } else {
                kept[seed].push_back(reinterpret_cast<void *>(key));
                kept[seed].push_back(watch);
            }
            other.join();
            if (cancels) {
                enough_cancellation_destroy(source);
            }
            enough_token_destroy(token);
        }
        --producers;
    };
    std::thread a(produce, 0), b(produce, 1);
    a.join();
    b.join();
    taker.join();
    for (uint64_t key = 0; key < 2 * rounds; ++key) {
        if (key % 3 == 0) {
            EXPECT_LE(times_taken[key], 1) << key;
        } else {
            EXPECT_EQ(times_taken[key], 1) << key;
        }
    }
    for (auto &each : kept) {
        for (size_t i = 1; i < each.size(); i += 2) {
            enough_watch_destroy(each[i]);
        }
    }
    enough_watch_list_destroy(list);
    EXPECT_TRUE(eventually([&] { return live_objects() == live; }));
}

TEST(WatchList, NullArgumentsAreRefusedOrIgnored) {
    enough_watch_event event{};
    EXPECT_EQ(enough_watch_list_add(nullptr, nullptr, 1), nullptr);
    void *list = enough_watch_list_create();
    EXPECT_EQ(enough_watch_list_add(list, nullptr, 1), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
    void *source = enough_cancellation_create();
    EXPECT_EQ(enough_watch_list_add(list, source, 1), nullptr); // a source is no token
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    EXPECT_EQ(enough_watch_list_take(nullptr, &event, 1, 0), 0u);
    EXPECT_EQ(enough_watch_list_take(list, nullptr, 1, 0), 0u); // no room to write to
    enough_watch_destroy(nullptr);
    enough_watch_list_wake(nullptr);
    enough_watch_list_destroy(nullptr);
    EXPECT_EQ(enough_watch_list_fd(nullptr), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
    enough_cancellation_destroy(source);
    enough_watch_list_destroy(list);
}

#if defined(_WIN32)
TEST(WatchList, NoDescriptorOnWindowsWhereLoopsWaitOnHandles) {
    void *list = enough_watch_list_create();
    EXPECT_EQ(enough_watch_list_fd(list), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_UNSUPPORTED);
    enough_watch_list_destroy(list);
}
#else
bool readable(int fd, int timeout_ms = 0) {
    pollfd polled{fd, POLLIN, 0};
    return poll(&polled, 1, timeout_ms) == 1 && (polled.revents & POLLIN) != 0;
}

TEST(WatchList, ItsDescriptorIsReadableExactlyWhileEventsAreQueued) {
    void *list = enough_watch_list_create();
    std::vector<void *> sources, tokens, watches;
    for (uint64_t key = 0; key < 3; ++key) {
        sources.push_back(enough_cancellation_create());
        tokens.push_back(enough_token_create(sources.back()));
        watches.push_back(enough_watch_list_add(list, tokens.back(), key));
    }
    const int fd = enough_watch_list_fd(list);
    ASSERT_GE(fd, 0);
    EXPECT_FALSE(readable(fd));
    std::thread([&] { enough_cancellation_cancel(sources[0]); }).join();
    EXPECT_TRUE(readable(fd, int{generous_ms}));
    enough_cancellation_cancel(sources[1]);
    // The loop reads what woke it (Node's stream does), then takes only one of two.
    char bytes[16];
    EXPECT_GT(read(fd, bytes, sizeof bytes), 0);
    EXPECT_EQ(take(list, 0, 1).size(), 1u);
    EXPECT_TRUE(readable(fd)); // one is left: rung again
    EXPECT_EQ(take(list).size(), 1u);
    EXPECT_FALSE(readable(fd)); // none left: cleared
    // Each call hands out a descriptor of its own; one asked for while events are
    // queued is readable at once, and closing one leaves the other working.
    enough_cancellation_cancel(sources[2]);
    const int second = enough_watch_list_fd(list);
    ASSERT_GE(second, 0);
    EXPECT_NE(second, fd);
    EXPECT_TRUE(readable(second));
    EXPECT_TRUE(readable(fd));
    close(fd);
    EXPECT_EQ(take(list).size(), 1u);
    EXPECT_FALSE(readable(second));
    close(second);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        enough_watch_destroy(watches[i]);
        enough_token_destroy(tokens[i]);
        enough_cancellation_destroy(sources[i]);
    }
    enough_watch_list_destroy(list);
}
#endif

} // namespace
