// Hostile input, one case at a time, as listed in docs/hostile-input.md: what NULL,
// zero, negative, huge and duplicated arguments do to every flat function. Each case
// checks the defined result, the code and message enough_last_error_code and
// enough_last_error give, and that nothing
// leaks (the library's live-object count is back where it was).
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace {

class Hostile : public ::testing::Test {
protected:
    void SetUp() override { live_before_ = enough_live_objects(); }
    void TearDown() override {
        // The timer thread drops its reference just after it has cancelled: allow it.
        for (int i = 0; i < 2000 && enough_live_objects() != live_before_; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        EXPECT_EQ(enough_live_objects(), live_before_) << "leaked";
    }

    static std::string error() {
        const char *message = enough_last_error();
        return message != nullptr ? message : "";
    }
    // The last error names `function`, says `problem` and has `code`.
    static void expect_error(const char *function, int32_t code, const char *problem) {
        EXPECT_EQ(error(), std::string(function) + ": " + problem);
        EXPECT_EQ(enough_last_error_code(), code) << function << ": " << problem;
    }

    std::size_t live_before_ = 0;
};

void ENOUGH_CALL ignore(void *, int32_t) {}

// ---- NULL -------------------------------------------------------------------------

TEST_F(Hostile, NullSourceEverywhere) {
    enough_cancellation_cancel(nullptr);
    expect_error("enough_cancellation_cancel", ENOUGH_ERROR_NULL_HANDLE, "the source is NULL");
    EXPECT_FALSE(enough_cancellation_is_cancelled(nullptr));
    expect_error("enough_cancellation_is_cancelled", ENOUGH_ERROR_NULL_HANDLE, "the source is NULL");
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(nullptr, 5));
    expect_error("enough_cancellation_cancel_with_reason", ENOUGH_ERROR_NULL_HANDLE, "the source is NULL");
    EXPECT_EQ(enough_cancellation_reason(nullptr), 0);
    expect_error("enough_cancellation_reason", ENOUGH_ERROR_NULL_HANDLE, "the source is NULL");
    EXPECT_FALSE(enough_cancellation_cancel_after(nullptr, 10));
    expect_error("enough_cancellation_cancel_after", ENOUGH_ERROR_NULL_HANDLE, "the source is NULL");
    EXPECT_EQ(enough_token_create(nullptr), enough_token_create_never()); // documented
}

TEST_F(Hostile, NullTokenEverywhere) {
    EXPECT_EQ(enough_token_clone(nullptr), nullptr);
    expect_error("enough_token_clone", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_FALSE(enough_token_is_cancelled(nullptr));
    expect_error("enough_token_is_cancelled", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_FALSE(enough_token_may_cancel(nullptr));
    expect_error("enough_token_may_cancel", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_EQ(enough_token_reason(nullptr), 0);
    expect_error("enough_token_reason", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_EQ(enough_token_register(nullptr, ignore, nullptr), nullptr);
    expect_error("enough_token_register", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_FALSE(enough_token_wait(nullptr, -1)); // no hang
    expect_error("enough_token_wait", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
    EXPECT_EQ(enough_token_fd(nullptr), -1);
    expect_error("enough_token_fd", ENOUGH_ERROR_NULL_HANDLE, "the token is NULL");
}

TEST_F(Hostile, NullDestroysAreQuietNoOps) {
    enough_cancellation_cancel(nullptr); // records an error...
    const std::string before = error();
    enough_cancellation_destroy(nullptr); // ...which the documented no-ops leave alone
    enough_token_destroy(nullptr);
    enough_registration_destroy(nullptr);
    EXPECT_EQ(error(), before);
}

TEST_F(Hostile, NullCallbackAndNullArrays) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_EQ(enough_token_register(token, nullptr, nullptr), nullptr);
    expect_error("enough_token_register", ENOUGH_ERROR_NULL_HANDLE, "the callback is NULL");
    EXPECT_EQ(enough_cancellation_create_linked(nullptr, 3), nullptr);
    expect_error("enough_cancellation_create_linked", ENOUGH_ERROR_BAD_ARGUMENT, "tokens is NULL but count is not 0");
    void *only_nulls[] = {nullptr, nullptr};
    void *child = enough_cancellation_create_linked(only_nulls, 2); // NULL entries skipped
    ASSERT_NE(child, nullptr);
    enough_cancellation_destroy(child);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

// ---- the wrong kind -------------------------------------------------------------

TEST_F(Hostile, TokensWhereSourcesBelong) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_cancel(token);
    expect_error("enough_cancellation_cancel", ENOUGH_ERROR_WRONG_KIND, "the handle is a token, not a source");
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(token, 9));
    EXPECT_FALSE(enough_cancellation_cancel_after(token, 1));
    enough_cancellation_destroy(token); // refused: the token's reference stays
    expect_error("enough_cancellation_destroy", ENOUGH_ERROR_WRONG_KIND, "the handle is a token, not a source");
    EXPECT_EQ(enough_token_create(token), enough_token_create_never());
    expect_error("enough_token_create", ENOUGH_ERROR_WRONG_KIND, "the handle is a token, not a source");
    enough_cancellation_destroy(enough_token_create_never()); // the never token, too
    expect_error("enough_cancellation_destroy", ENOUGH_ERROR_WRONG_KIND, "the handle is a token, not a source");
    EXPECT_FALSE(enough_token_is_cancelled(token));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST_F(Hostile, SourcesWhereTokensBelong) {
    void *source = enough_cancellation_create();
    EXPECT_EQ(enough_token_clone(source), nullptr);
    expect_error("enough_token_clone", ENOUGH_ERROR_WRONG_KIND, "the handle is a source, not a token");
    EXPECT_EQ(enough_token_register(source, ignore, nullptr), nullptr);
    EXPECT_FALSE(enough_token_wait(source, 10));
    EXPECT_EQ(enough_token_fd(source), -1);
    enough_token_destroy(source); // refused: the source's reference stays
    expect_error("enough_token_destroy", ENOUGH_ERROR_WRONG_KIND, "the handle is a source, not a token");
    void *parents[] = {source};
    void *child = enough_cancellation_create_linked(parents, 1); // the source is not linked
    expect_error("enough_cancellation_create_linked", ENOUGH_ERROR_WRONG_KIND, "the handle is a source, not a token");
    ASSERT_NE(child, nullptr);
    enough_cancellation_cancel(source);
    EXPECT_FALSE(enough_cancellation_is_cancelled(child));
    enough_cancellation_destroy(child);
    enough_cancellation_destroy(source);
}

// ---- zero, negative, huge ---------------------------------------------------------

TEST_F(Hostile, ReasonsOutOfRange) {
    void *source = enough_cancellation_create();
    for (int32_t reason : {0, -1, INT32_MIN}) {
        EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, reason));
        expect_error("enough_cancellation_cancel_with_reason", ENOUGH_ERROR_BAD_ARGUMENT, "the reason must be greater than 0");
    }
    EXPECT_FALSE(enough_cancellation_is_cancelled(source));
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(source, INT32_MAX)); // the largest is fine
    EXPECT_EQ(enough_cancellation_reason(source), INT32_MAX);
    enough_cancellation_destroy(source);
}

TEST_F(Hostile, DeadlinesZeroAndHuge) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_TRUE(enough_cancellation_cancel_after(source, UINT64_MAX)); // no overflow
    EXPECT_FALSE(enough_token_wait(token, 20));
    EXPECT_TRUE(enough_cancellation_cancel_after(source, 0)); // now, before it returns
    EXPECT_TRUE(enough_token_is_cancelled(token));
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_TIMED_OUT);
    EXPECT_FALSE(enough_cancellation_cancel_after(source, 10)); // already cancelled
    expect_error("enough_cancellation_cancel_after", ENOUGH_ERROR_ALREADY_CANCELLED, "the source is already cancelled");
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

// Every negative timeout means "no limit", with no arithmetic on it: the wait returns
// when another thread cancels (UndefinedBehaviorSanitizer would report an overflow).
TEST_F(Hostile, NegativeTimeoutsWaitWithoutLimitOnALiveToken) {
    for (int64_t timeout : {int64_t{-1}, int64_t{-1000}, INT64_MIN + 1, INT64_MIN}) {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        std::thread canceller([source] {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            enough_cancellation_cancel_with_reason(source, 300);
        });
        EXPECT_TRUE(enough_token_wait(token, timeout)) << timeout;
        EXPECT_EQ(enough_token_reason(token), 300);
        canceller.join();
        enough_token_destroy(token);
        enough_cancellation_destroy(source);
    }
}

TEST_F(Hostile, WaitTimeoutsZeroNegativeHuge) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(enough_token_wait(token, 0));
    EXPECT_FALSE(enough_token_wait(token, 1));
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_token_wait(token, -1));
    EXPECT_TRUE(enough_token_wait(token, INT64_MIN));
    EXPECT_TRUE(enough_token_wait(token, INT64_MAX)); // clamped, no overflow
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    void *never = enough_token_create_never();
    EXPECT_FALSE(enough_token_wait(never, INT64_MAX)); // never cancels: no hang
    EXPECT_FALSE(enough_token_wait(never, -1));
}

TEST_F(Hostile, LinkedCountZeroAndLarge) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *plain = enough_cancellation_create_linked(nullptr, 0);
    ASSERT_NE(plain, nullptr);
    enough_cancellation_destroy(plain);
    // The same parent many times over: each link is its own registration.
    std::vector<void *> parents(1000, token);
    void *child = enough_cancellation_create_linked(parents.data(), parents.size());
    ASSERT_NE(child, nullptr);
    enough_cancellation_cancel_with_reason(source, 77);
    EXPECT_EQ(enough_cancellation_reason(child), 77);
    enough_cancellation_destroy(child);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

// ---- foreign objects without the second interfaces --------------------------------

struct plain_source : enough::implements<plain_source, enough_source> {
    bool cancel() { return !std::exchange(cancelled, true); }
    bool is_cancelled() { return cancelled; }
    enough_token *get_token() { return static_cast<enough_token *>(enough_token_create_never()); }
    bool cancelled = false;
};

struct plain_token : enough::implements<plain_token, enough_token> {
    bool is_cancelled() { return false; }
    bool may_cancel() { return can_cancel; }
    bool can_cancel = true;
};

TEST_F(Hostile, ForeignObjectsRefuseWhatTheyDoNotOffer) {
    auto *source = enough::make<enough_source, plain_source>();
    ASSERT_NE(source, nullptr);
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, 300));
    expect_error("enough_cancellation_cancel_with_reason", ENOUGH_ERROR_UNSUPPORTED,
                 "the foreign source takes no reason but 1 (cancelled)");
    EXPECT_FALSE(enough_cancellation_cancel_after(source, 10));
    expect_error("enough_cancellation_cancel_after", ENOUGH_ERROR_UNSUPPORTED,
                 "the foreign source has no deadlines (enough_source2)");
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(source, ENOUGH_REASON_CANCELLED));
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, ENOUGH_REASON_CANCELLED));
    EXPECT_EQ(enough_cancellation_reason(source), ENOUGH_REASON_CANCELLED);
    enough_cancellation_destroy(source);

    auto *token = enough::make<enough_token, plain_token>();
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(enough_token_fd(token), -1); // it may cancel, and has no fd to offer
#if defined(_WIN32)
    expect_error("enough_token_fd", ENOUGH_ERROR_UNSUPPORTED,
                 "tokens hand out event handles here: use enough_token_wait_handle");
#else
    expect_error("enough_token_fd", ENOUGH_ERROR_UNSUPPORTED, "the foreign token offers no fd");
#endif
    plain_token::self(token)->can_cancel = false; // now it never can: the never fd is exact
    EXPECT_EQ(enough_token_fd(token), enough_token_fd(enough_token_create_never()));
    enough_token_destroy(token);
}

// ---- duplicated arguments and repeated calls ----------------------------------------

TEST_F(Hostile, RepeatedCancelsAndRegistrations) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    int runs = 0;
    auto count = [](void *user_data, int32_t) { ++*static_cast<int *>(user_data); };
    void *first = enough_token_register(token, count, &runs);
    void *second = enough_token_register(token, count, &runs); // same callback and data
    EXPECT_NE(first, second);
    for (int i = 0; i < 3; ++i) {
        enough_cancellation_cancel(source);
    }
    EXPECT_EQ(runs, 2); // each registration once
    void *fd_first = reinterpret_cast<void *>(static_cast<intptr_t>(enough_token_fd(token)));
    EXPECT_EQ(reinterpret_cast<void *>(static_cast<intptr_t>(enough_token_fd(token))), fd_first);
    enough_registration_destroy(first);
    enough_registration_destroy(second);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST_F(Hostile, LastErrorIsPerThreadAndKeptBySuccess) {
    enough_token_clone(nullptr);
    const std::string mine = error();
    void *source = enough_cancellation_create(); // success leaves the message alone
    EXPECT_EQ(error(), mine);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
    std::string other = "unset";
    int32_t other_code = -1;
    std::thread([&] {
        other = enough_last_error() == nullptr ? "none" : enough_last_error();
        other_code = enough_last_error_code();
    }).join();
    EXPECT_EQ(other, "none");
    EXPECT_EQ(other_code, ENOUGH_ERROR_NONE);
    enough_cancellation_destroy(source);
}

} // namespace
