// The projection speaks standard C++: the C++26 stop-token concept, stop_callback,
// equality and hashing, std::stop_token both ways, non-waiting unregistration,
// source reuse, and coroutines.
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <concepts>
#include <coroutine>
#include <condition_variable>
#include <mutex>
#include <stop_token>
#include <thread>
#include <unordered_set>

namespace {

using namespace std::chrono_literals;

// ---- the concept, as [stoptoken.concepts] writes it ---------------------------------

template <template <class> class>
struct check_type_alias_exists;

template <class Token, class CallbackFn>
using stop_callback_for_t = typename Token::template callback_type<CallbackFn>;

template <class CallbackFn, class Token, class Initializer = CallbackFn>
concept stoppable_callback_for =
    std::invocable<CallbackFn> && std::constructible_from<CallbackFn, Initializer> &&
    requires { typename stop_callback_for_t<Token, CallbackFn>; } &&
    std::constructible_from<stop_callback_for_t<Token, CallbackFn>, const Token &, Initializer>;

template <class Token>
concept stoppable_token = requires(const Token tok) {
    typename check_type_alias_exists<Token::template callback_type>;
    { tok.stop_requested() } noexcept -> std::same_as<bool>;
    { tok.stop_possible() } noexcept -> std::same_as<bool>;
    { Token(tok) } noexcept;
} && std::copyable<Token> && std::equality_comparable<Token>;

struct plain_callback {
    void operator()() const noexcept {}
};

// (libstdc++ 12 predates callback_type on std::stop_token: it does not model this yet.)
static_assert(stoppable_token<enough::token>);
static_assert(stoppable_token<enough::token_view>);
static_assert(stoppable_callback_for<plain_callback, enough::token>);
static_assert(stoppable_callback_for<plain_callback, enough::token_view>);

// ---- stop_callback ---------------------------------------------------------------

TEST(StopCallback, RunsOnceWithNoArgumentOnTheCancellingThread) {
    enough::source source;
    std::atomic<int> runs{0};
    std::thread::id where;
    enough::stop_callback callback(source.token(), [&] {
        ++runs;
        where = std::this_thread::get_id();
    });
    std::thread canceller([&] { source.cancel(); });
    const auto canceller_id = canceller.get_id();
    canceller.join();
    EXPECT_EQ(runs.load(), 1);
    EXPECT_EQ(where, canceller_id);
    source.cancel(enough::reason{5});
    EXPECT_EQ(runs.load(), 1);
}

// Invoked as an rvalue, never copied: what std::stop_callback guarantees.
struct rvalue_only {
    explicit rvalue_only(int *runs) : runs(runs) {}
    rvalue_only(const rvalue_only &) = delete;
    rvalue_only(rvalue_only &&other) noexcept : runs(other.runs) { ++moves; }
    void operator()() && { ++*runs; }
    void operator()() & = delete;
    int *runs;
    static inline int moves = 0;
};

TEST(StopCallback, InvokedWithTheValueCategoryItWasGivenAndNotCopied) {
    enough::source source;
    int runs = 0;
    rvalue_only::moves = 0;
    enough::token::callback_type<rvalue_only> callback(source.token(), rvalue_only(&runs));
    EXPECT_LE(rvalue_only::moves, 1); // moved into place once, at most
    source.cancel();
    EXPECT_EQ(runs, 1);
}

TEST(StopCallback, AlreadyCancelledRunsInTheConstructor) {
    enough::source source;
    source.cancel();
    bool ran = false;
    enough::stop_callback callback(enough::token_view(source.token()), [&] { ran = true; });
    EXPECT_TRUE(ran);
}

// A one-shot gate on a mutex and a condition variable. With std::latch the try_reset test
// below hung under Wine in 15 of 100 runs (mingw-w64's libstdc++ 12 waits on atomics
// without a futex, through its waiter pool); with this gate, in none of 100.
class gate {
  public:
    void count_down() {
        {
            std::lock_guard lock(mutex_);
            open_ = true;
        }
        opened_.notify_all();
    }
    void wait() {
        std::unique_lock lock(mutex_);
        opened_.wait(lock, [this] { return open_; });
    }

  private:
    std::mutex mutex_;
    std::condition_variable opened_;
    bool open_ = false;
};

TEST(StopCallback, TheDestructorWaitsForARunOnAnotherThread) {
    enough::source source;
    std::atomic<bool> finished{false};
    gate running;
    auto callback = std::make_unique<enough::stop_callback<std::function<void()>>>(
        source.token(), std::function<void()>([&] {
            running.count_down();
            std::this_thread::sleep_for(50ms);
            finished = true;
        }));
    std::thread canceller([&] { source.cancel(); });
    running.wait();
    callback.reset(); // waits
    EXPECT_TRUE(finished.load());
    canceller.join();
}

TEST(StopCallback, ExceptionsStopAtTheBoundary) {
    enough::source source;
    enough::stop_callback callback(source.token(), [] { throw std::runtime_error("nope"); });
    EXPECT_NO_THROW(source.cancel());
}

// ---- equality and hashing ---------------------------------------------------------

TEST(Identity, TokensAndSourcesCompareByObject) {
    enough::source a;
    enough::source b;
    const enough::source a_copy = a;
    EXPECT_EQ(a.token(), a.token());
    EXPECT_NE(a.token(), b.token());
    EXPECT_EQ(a, a_copy);
    EXPECT_NE(a, b);
    EXPECT_EQ(enough::token_view(a.token()), enough::token_view(a_copy.token()));
    std::unordered_set<enough::token> tokens{a.token(), a_copy.token(), b.token()};
    EXPECT_EQ(tokens.size(), 2u);
    EXPECT_EQ(std::hash<enough::token>()(a.token()), std::hash<enough::token>()(a_copy.token()));
}

// ---- std::stop_token both ways ------------------------------------------------------

TEST(StdInterop, ASourceFollowsAStdStopToken) {
    std::stop_source stop;
    enough::std_linked_source linked(stop.get_token());
    const enough::token token = linked.token();
    EXPECT_FALSE(token.is_cancelled());
    stop.request_stop();
    EXPECT_TRUE(token.is_cancelled());
    EXPECT_EQ(token.check(), enough::reason::cancelled);
    std::stop_source already;
    already.request_stop();
    enough::std_linked_source late(already.get_token());
    EXPECT_TRUE(late.source().is_cancelled());
}

TEST(StdInterop, AJthreadsRequestStopStopsNativeWorkPollingOurToken) {
    std::atomic<long> checks{0};
    std::atomic<bool> stopped{false};
    {
        std::jthread worker([&](std::stop_token stop) {
            enough::std_linked_source linked(stop);
            const enough::token token = linked.token();
            const enough::token_view view(token); // what the native code gets
            while (!view.is_cancelled()) {
                ++checks;
            }
            stopped = true;
        });
        while (checks.load() == 0) {
            std::this_thread::yield();
        }
    } // ~jthread: request_stop(), then join
    EXPECT_TRUE(stopped.load());
}

TEST(StdInterop, AStdStopTokenFollowsOurToken) {
    enough::source source;
    enough::std_stop_bridge bridge(source.token());
    std::stop_token stop = bridge.get_token();
    bool ran = false;
    std::stop_callback callback(stop, [&] { ran = true; });
    EXPECT_FALSE(stop.stop_requested());
    source.cancel(enough::reason{300});
    EXPECT_TRUE(stop.stop_requested());
    EXPECT_TRUE(ran);
}

// ---- unregistering that answers -----------------------------------------------------

TEST(TryReset, ARegistrationRemovedBeforeItRan) {
    enough::source source;
    bool ran = false;
    enough::registration registration = source.token().on_cancel([&](enough::reason) { ran = true; });
    EXPECT_TRUE(registration.try_reset());
    EXPECT_FALSE(registration);
    source.cancel();
    EXPECT_FALSE(ran);
}

TEST(TryReset, ARegistrationThatRanSaysSo) {
    enough::source source;
    enough::registration registration = source.token().on_cancel([](enough::reason) {});
    source.cancel();
    EXPECT_FALSE(registration.try_reset());
}

TEST(TryReset, ACallbackThatRanInsideRegisterSaysSo) {
    // The token was cancelled when it registered: the callback ran before on_cancel
    // returned, so there is nothing left to remove.
    enough::source source;
    source.cancel();
    int ran = 0;
    enough::registration registration = source.token().on_cancel([&](enough::reason) { ++ran; });
    EXPECT_EQ(ran, 1);
    EXPECT_FALSE(registration.try_reset());
    EXPECT_FALSE(registration);
}

TEST(TryReset, TheFlatFunctionSaysACallbackRanInsideRegister) {
    const std::size_t live = enough_live_objects();
    void *source = enough_cancellation_create();
    enough_cancellation_cancel(source);
    void *token = enough_token_create(source);
    int ran = 0;
    void *registration = enough_token_register(
        token, [](void *count, int32_t) { ++*static_cast<int *>(count); }, &ran);
    ASSERT_NE(registration, nullptr);
    EXPECT_EQ(ran, 1);
    EXPECT_FALSE(enough_registration_try_destroy(registration)); // released all the same
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    EXPECT_EQ(enough_live_objects(), live);
}

TEST(TryReset, NeverWaitsForACallbackRunningElsewhere) {
    enough::source source;
    gate running;
    gate release;
    std::atomic<bool> finished{false};
    enough::registration registration = source.token().on_cancel([&](enough::reason) {
        running.count_down();
        release.wait();
        finished = true;
    });
    std::thread canceller([&] { source.cancel(); });
    running.wait();
    EXPECT_FALSE(registration.try_reset()); // returns while the callback still runs
    EXPECT_FALSE(finished.load());
    release.count_down();
    canceller.join();
    EXPECT_TRUE(finished.load());
}

TEST(TryReset, TheFlatFunction) {
    const std::size_t live = enough_live_objects();
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *registration = enough_token_register(token, [](void *, int32_t) {}, nullptr);
    EXPECT_TRUE(enough_registration_try_destroy(registration));
    EXPECT_FALSE(enough_registration_try_destroy(nullptr));
    void *never_runs = enough_token_register(enough_token_create_never(), [](void *, int32_t) {}, nullptr);
    EXPECT_TRUE(enough_registration_try_destroy(never_runs)); // a token that cannot cancel
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    EXPECT_EQ(enough_live_objects(), live);
}

TEST(TryReset, ASourceIsGoodAsNewWhenNobodyListens) {
    enough::source source;
    EXPECT_TRUE(source.try_reset());
    // An hour: a short deadline could fall first on a stalled machine, and then wins.
    ASSERT_TRUE(source.cancel_after(std::chrono::hours(1)));
    EXPECT_TRUE(source.try_reset()); // the deadline is disarmed
    EXPECT_EQ(enough_token_remaining_ms(source.token().get()), -1);
    EXPECT_FALSE(source.is_cancelled());
    {
        auto listening = source.token().on_cancel([](enough::reason) {});
        EXPECT_FALSE(source.try_reset()); // someone listens: nothing changes
    }
    EXPECT_TRUE(source.try_reset());
    source.cancel();
    EXPECT_FALSE(source.try_reset());
    EXPECT_FALSE(enough_cancellation_try_reset(nullptr));
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
}

// ---- coroutines -------------------------------------------------------------------

// A minimal task: starts at once, runs to completion, records what it saw.
struct task {
    struct promise_type {
        task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() noexcept {}
        void unhandled_exception() noexcept { std::terminate(); }
    };
    explicit task(std::coroutine_handle<promise_type> h) : handle(h) {}
    task(task &&other) noexcept : handle(std::exchange(other.handle, {})) {}
    ~task() {
        if (handle) {
            handle.destroy();
        }
    }
    bool done() const { return handle.done(); }
    std::coroutine_handle<promise_type> handle;
};

task wait_for(enough::token token, enough::reason *seen, std::thread::id *where) {
    *seen = co_await token.cancelled();
    *where = std::this_thread::get_id();
}

TEST(Coroutines, CoAwaitResumesOnTheCancellingThreadWithTheReason) {
    enough::source source;
    enough::reason seen{};
    std::thread::id where;
    task waiting = wait_for(source.token(), &seen, &where);
    EXPECT_FALSE(waiting.done());
    std::thread canceller([&] { source.cancel(enough::reason{77}); });
    const auto canceller_id = canceller.get_id();
    canceller.join();
    EXPECT_TRUE(waiting.done());
    EXPECT_EQ(seen, enough::reason{77});
    EXPECT_EQ(where, canceller_id);
}

TEST(Coroutines, AnAlreadyCancelledTokenDoesNotSuspend) {
    enough::source source;
    source.cancel(enough::reason::timed_out);
    enough::reason seen{};
    std::thread::id where;
    task waiting = wait_for(source.token(), &seen, &where);
    EXPECT_TRUE(waiting.done());
    EXPECT_EQ(seen, enough::reason::timed_out);
    EXPECT_EQ(where, std::this_thread::get_id());
}

TEST(Coroutines, ACoroutineDestroyedWhileWaitingUnregisters) {
    const std::size_t live = enough_live_objects();
    enough::source source;
    {
        enough::reason seen{};
        std::thread::id where;
        task waiting = wait_for(source.token(), &seen, &where);
        EXPECT_FALSE(waiting.done());
    } // destroyed while suspended
    source.cancel(); // nothing left to resume
    EXPECT_EQ(enough_live_objects(), live + 1); // only the source's state
}

task race(enough::token token, std::atomic<enough::cancellation_race *> *slot, bool *by_cancel) {
    struct awaiter {
        enough::token token;
        std::atomic<enough::cancellation_race *> *slot;
        std::optional<enough::cancellation_race> race;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) {
            race.emplace(token, h);
            slot->store(&*race);
        }
        bool await_resume() const noexcept { return race->won_by_cancel(); }
    };
    // A named awaiter: GCC 12 destroys an aggregate temporary co_await operand twice.
    awaiter racing{std::move(token), slot, {}};
    *by_cancel = co_await racing;
}

TEST(Coroutines, ARaceBetweenAnOperationAndAToken) {
    {
        enough::source source;
        std::atomic<enough::cancellation_race *> slot{nullptr};
        bool by_cancel = true;
        task racing = race(source.token(), &slot, &by_cancel);
        EXPECT_TRUE(slot.load()->complete()); // the operation finishes first
        EXPECT_TRUE(racing.done());
        EXPECT_FALSE(by_cancel);
        source.cancel(); // the loser does nothing
    }
    {
        enough::source source;
        std::atomic<enough::cancellation_race *> slot{nullptr};
        bool by_cancel = false;
        task racing = race(source.token(), &slot, &by_cancel);
        enough::cancellation_race *pending = slot.load();
        source.cancel(); // the token first
        EXPECT_TRUE(racing.done());
        EXPECT_TRUE(by_cancel);
        (void)pending; // the frame finished: complete() must not be called any more
    }
}

} // namespace
