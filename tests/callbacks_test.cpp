// Callbacks: run once with the reason on the cancelling thread; the unregistration
// guarantee; re-entrancy without deadlock; races.
#include "allocation_counter.hpp"

#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;
using enough_test::live_objects;

struct record {
    std::atomic<int> runs{0};
    std::atomic<int32_t> reason{0};
    std::thread::id thread;
};

void ENOUGH_CALL remember(void *user_data, int32_t reason) {
    auto *r = static_cast<record *>(user_data);
    r->thread = std::this_thread::get_id();
    r->reason.store(reason);
    r->runs.fetch_add(1);
}

TEST(Callbacks, RunOnceOnTheCancellingThreadWithTheReason) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    record r;
    void *registration = enough_token_register(token, remember, &r);
    ASSERT_NE(registration, nullptr);
    EXPECT_EQ(r.runs.load(), 0);
    std::thread::id canceller;
    std::thread([&] {
        canceller = std::this_thread::get_id();
        enough_cancellation_cancel_with_reason(source, 301);
        enough_cancellation_cancel_with_reason(source, 302);
    }).join();
    EXPECT_EQ(r.runs.load(), 1);
    EXPECT_EQ(r.reason.load(), 301);
    EXPECT_EQ(r.thread, canceller);
    enough_registration_destroy(registration);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Callbacks, AlreadyCancelledRunsBeforeRegisterReturns) {
    void *source = enough_cancellation_create();
    enough_cancellation_cancel(source);
    void *token = enough_token_create(source);
    record r;
    void *registration = enough_token_register(token, remember, &r);
    ASSERT_NE(registration, nullptr);
    EXPECT_EQ(r.runs.load(), 1);
    EXPECT_EQ(r.reason.load(), ENOUGH_REASON_CANCELLED);
    EXPECT_EQ(r.thread, std::this_thread::get_id());
    enough_registration_destroy(registration);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Callbacks, TokensThatCannotCancelAcceptAndNeverRun) {
    record r;
    void *on_never = enough_token_register(enough_token_create_never(), remember, &r);
    ASSERT_NE(on_never, nullptr);
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_destroy(source); // orphaned
    void *on_orphan = enough_token_register(token, remember, &r);
    ASSERT_NE(on_orphan, nullptr);
    EXPECT_EQ(r.runs.load(), 0);
    enough_registration_destroy(on_never);
    enough_registration_destroy(on_orphan);
    enough_token_destroy(token);
}

TEST(Callbacks, NullArgumentsGiveNull) {
    record r;
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_EQ(enough_token_register(nullptr, remember, &r), nullptr);
    EXPECT_EQ(enough_token_register(token, nullptr, &r), nullptr);
    EXPECT_EQ(enough_token_register(source, remember, &r), nullptr); // not a token
    enough_registration_destroy(nullptr);
    void *with_null_data = enough_token_register(token, [](void *, int32_t) {}, nullptr);
    EXPECT_NE(with_null_data, nullptr);
    enough_cancellation_cancel(source);
    enough_registration_destroy(with_null_data);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Callbacks, DestroyedBeforeCancelNeverRuns) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    record first, second, third;
    void *a = enough_token_register(token, remember, &first);
    void *b = enough_token_register(token, remember, &second);
    void *c = enough_token_register(token, remember, &third);
    enough_registration_destroy(b); // from the middle of the list
    enough_cancellation_cancel(source);
    EXPECT_EQ(first.runs.load(), 1);
    EXPECT_EQ(second.runs.load(), 0);
    EXPECT_EQ(third.runs.load(), 1);
    enough_registration_destroy(a);
    enough_registration_destroy(c);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

struct self_destroying {
    void *registration = nullptr;
    std::atomic<int> runs{0};
};

TEST(Callbacks, DestroyFromInsideItsOwnCallbackReturnsAtOnce) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    self_destroying s;
    s.registration = enough_token_register(token, [](void *user_data, int32_t) {
        auto *me = static_cast<self_destroying *>(user_data);
        enough_registration_destroy(me->registration); // must not deadlock
        me->runs.fetch_add(1);
    }, &s);
    enough_cancellation_cancel(source);
    EXPECT_EQ(s.runs.load(), 1);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Callbacks, DestroyFromAnotherThreadWaitsForARunningCallback) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    struct slow {
        std::atomic<bool> started{false};
        std::atomic<bool> finished{false};
    } state;
    void *registration = enough_token_register(token, [](void *user_data, int32_t) {
        auto *s = static_cast<slow *>(user_data);
        s->started.store(true);
        std::this_thread::sleep_for(50ms);
        s->finished.store(true);
    }, &state);
    std::thread canceller([&] { enough_cancellation_cancel(source); });
    while (!state.started.load()) {
        std::this_thread::yield();
    }
    enough_registration_destroy(registration);
    EXPECT_TRUE(state.finished.load()); // the guarantee: not running after destroy
    canceller.join();
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

struct reentrant {
    void *other_source;
    void *other_token;
    void *own_token;
    record *late;
    void *late_registration = nullptr;
};

TEST(Callbacks, CallbacksMayCancelRegisterUnregisterAndDestroy) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    reentrant r{enough_cancellation_create(), nullptr, enough_token_clone(token), new record};
    r.other_token = enough_token_create(r.other_source);
    record chained;
    void *chained_registration = enough_token_register(r.other_token, remember, &chained);
    void *registration = enough_token_register(token, [](void *user_data, int32_t reason) {
        auto *me = static_cast<reentrant *>(user_data);
        enough_cancellation_cancel_with_reason(me->other_source, reason + 1); // nested cancel
        // A registration on a token already cancelled runs right here, nested.
        me->late_registration = enough_token_register(me->own_token, remember, me->late);
        enough_registration_destroy(me->late_registration);
        enough_token_destroy(me->own_token); // destroy handles
        enough_cancellation_destroy(me->other_source);
    }, &r);
    enough_cancellation_cancel_with_reason(source, 10);
    EXPECT_EQ(chained.runs.load(), 1);
    EXPECT_EQ(chained.reason.load(), 11);
    EXPECT_EQ(r.late->runs.load(), 1);
    EXPECT_EQ(r.late->reason.load(), 10);
    delete r.late;
    enough_registration_destroy(chained_registration);
    enough_registration_destroy(registration);
    enough_token_destroy(r.other_token);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Callbacks, RacesOfCancelRegisterUnregisterAndDestroyLeaveNothingBehind) {
    const long long before = live_objects();
    constexpr int rounds = 300;
    for (int round = 0; round < rounds; ++round) {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        std::atomic<int> runs_kept{0};
        std::atomic<int> runs_dropped{0};
        std::atomic<bool> go{false};
        std::atomic<bool> cancel_returned{false};
        auto count = [](void *user_data, int32_t) {
            static_cast<std::atomic<int> *>(user_data)->fetch_add(1);
        };
        std::vector<std::thread> threads;
        std::atomic<int> kept{0};
        for (int t = 0; t < 3; ++t) {
            threads.emplace_back([&] {
                void *mine = enough_token_clone(token);
                while (!go.load()) {
                }
                for (int i = 0; i < 20; ++i) {
                    void *registration =
                        enough_token_register(mine, count, i % 2 == 0 ? &runs_dropped : &runs_kept);
                    if (i % 2 == 0) {
                        enough_registration_destroy(registration);
                    } else {
                        kept.fetch_add(1);
                        // Keep it until cancel has returned: by then it must have run.
                        while (!cancel_returned.load()) {
                            std::this_thread::yield();
                        }
                        enough_registration_destroy(registration);
                    }
                }
                enough_token_destroy(mine);
            });
        }
        threads.emplace_back([&] {
            while (!go.load()) {
            }
            enough_cancellation_cancel(source);
            cancel_returned.store(true);
            enough_cancellation_destroy(source);
        });
        go.store(true);
        for (auto &t : threads) {
            t.join();
        }
        // Every kept registration ran exactly once (listed before cancel, or inline).
        EXPECT_EQ(runs_kept.load(), kept.load());
        EXPECT_LE(runs_dropped.load(), 30);
        enough_token_destroy(token);
    }
    EXPECT_EQ(live_objects(), before);
}

TEST(Callbacks, ProjectionRegistrationIsRaii) {
    enough::source source;
    std::atomic<int> runs{0};
    enough::reason seen = enough::reason::none;
    {
        auto dropped = source.token().on_cancel([&](enough::reason) { runs += 100; });
    }
    auto kept = source.token().on_cancel([&](enough::reason why) {
        seen = why;
        ++runs;
    });
    source.cancel(enough::reason::timed_out);
    EXPECT_EQ(runs.load(), 1);
    EXPECT_EQ(seen, enough::reason::timed_out);
    kept.reset();
    EXPECT_FALSE(static_cast<bool>(kept));
}

TEST(Callbacks, ProjectionCallableMayDropItsOwnRegistration) {
    enough::source source;
    enough::registration self;
    int runs = 0;
    self = source.token().on_cancel([&](enough::reason) {
        self.reset(); // from inside: returns at once, the callable finishes first
        ++runs;
    });
    source.cancel();
    EXPECT_EQ(runs, 1);
    EXPECT_FALSE(static_cast<bool>(self));
}

TEST(Callbacks, ProjectionExceptionsStopAtTheBoundary) {
    enough::source source;
    int after = 0;
    auto thrower = source.token().on_cancel([](enough::reason) { throw std::runtime_error("x"); });
    auto next = source.token().on_cancel([&](enough::reason) { ++after; });
    EXPECT_NO_THROW(source.cancel());
    EXPECT_EQ(after, 1); // the canceller carried on with the next callback
}

} // namespace
