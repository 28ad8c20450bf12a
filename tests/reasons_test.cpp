// Reasons: first cancel wins, through the flat API, the vtables and the projection.
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace {

TEST(Reasons, FlatFirstCancelWinsAndKeepsItsReason) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    EXPECT_EQ(enough_cancellation_reason(source), ENOUGH_REASON_NONE);
    EXPECT_EQ(enough_token_reason(token), ENOUGH_REASON_NONE);
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(source, 300));
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, 400));
    enough_cancellation_cancel(source);
    EXPECT_EQ(enough_cancellation_reason(source), 300);
    EXPECT_EQ(enough_token_reason(token), 300);
    enough_cancellation_destroy(source);
    EXPECT_EQ(enough_token_reason(token), 300); // kept after the source is gone
    enough_token_destroy(token);
}

TEST(Reasons, PlainCancelMeansCancelled) {
    void *source = enough_cancellation_create();
    enough_cancellation_cancel(source);
    EXPECT_EQ(enough_cancellation_reason(source), ENOUGH_REASON_CANCELLED);
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, ENOUGH_REASON_TIMED_OUT));
    EXPECT_EQ(enough_cancellation_reason(source), ENOUGH_REASON_CANCELLED);
    enough_cancellation_destroy(source);
}

TEST(Reasons, NonPositiveReasonsAreRejected) {
    void *source = enough_cancellation_create();
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, 0));
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, -5));
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(source, INT32_MIN));
    EXPECT_FALSE(enough_cancellation_is_cancelled(source));
    EXPECT_TRUE(enough_cancellation_cancel_with_reason(source, INT32_MAX));
    EXPECT_EQ(enough_cancellation_reason(source), INT32_MAX);
    enough_cancellation_destroy(source);
}

TEST(Reasons, NullAndWrongKindGiveNone) {
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(nullptr, 1));
    EXPECT_EQ(enough_cancellation_reason(nullptr), 0);
    EXPECT_EQ(enough_token_reason(nullptr), 0);
    EXPECT_EQ(enough_token_reason(enough_token_create_never()), 0);
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_cancel(source);
    EXPECT_EQ(enough_token_reason(source), 0);       // a source is not a token
    EXPECT_EQ(enough_cancellation_reason(token), 0); // a token is not a source
    EXPECT_FALSE(enough_cancellation_cancel_with_reason(token, 5));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Reasons, SecondInterfacesShareThePointerAndExtendTheFirst) {
    auto *source = static_cast<enough_source *>(enough_cancellation_create());
    void *out = nullptr;
    ASSERT_EQ(source->vtbl->query_interface(source, &ENOUGH_IID_SOURCE2, &out), ENOUGH_OK);
    auto *source2 = static_cast<enough_source2 *>(out);
    EXPECT_EQ(static_cast<void *>(source2), static_cast<void *>(source));
    enough_token *token = nullptr;
    ASSERT_EQ(source2->vtbl->get_token(source2, &token), ENOUGH_OK);
    ASSERT_EQ(token->vtbl->query_interface(token, &ENOUGH_IID_TOKEN2, &out), ENOUGH_OK);
    auto *token2 = static_cast<enough_token2 *>(out);
    EXPECT_EQ(static_cast<void *>(token2), static_cast<void *>(token));
    // A token still never yields a source, through either interface.
    EXPECT_EQ(token2->vtbl->query_interface(token2, &ENOUGH_IID_SOURCE2, &out), ENOUGH_E_NOINTERFACE);
    EXPECT_EQ(source2->vtbl->query_interface(source2, &ENOUGH_IID_TOKEN2, &out), ENOUGH_E_NOINTERFACE);

    EXPECT_EQ(source2->vtbl->cancel_with_reason(source2, 0), 0);
    EXPECT_EQ(source2->vtbl->cancel_with_reason(source2, 777), 1);
    EXPECT_EQ(source2->vtbl->cancel_with_reason(source2, 778), 0);
    EXPECT_EQ(source2->vtbl->reason(source2), 777);
    EXPECT_EQ(token2->vtbl->reason(token2), 777);
    EXPECT_EQ(enough_state_word_load(token2->vtbl->state_word(token2)), 777u);
    EXPECT_EQ(source2->vtbl->cancel_after(source2, 10), ENOUGH_E_CANCELLED);
    token2->vtbl->release(token2);
    token->vtbl->release(token);
    source2->vtbl->release(source2);
    source->vtbl->release(source);
}

TEST(Reasons, Projection) {
    enough::source source;
    enough::token token = source.token();
    enough::token_view view = token;
    EXPECT_EQ(source.reason(), enough::reason::none);
    EXPECT_TRUE(source.cancel(enough::reason{512}));
    EXPECT_FALSE(source.cancel());
    EXPECT_EQ(source.reason(), enough::reason{512});
    EXPECT_EQ(token.check(), enough::reason{512});
    EXPECT_EQ(view.check(), enough::reason{512});
}

} // namespace

namespace {

struct counter {
    std::atomic<int> runs{0};
    std::atomic<int32_t> reason{0};
};

TEST(Token2Vtable, CallbacksWaitAndFdThroughTheVtable) {
    auto *source = static_cast<enough_source *>(enough_cancellation_create());
    void *out = nullptr;
    ASSERT_EQ(source->vtbl->query_interface(source, &ENOUGH_IID_SOURCE2, &out), ENOUGH_OK);
    auto *source2 = static_cast<enough_source2 *>(out);
    enough_token *token = nullptr;
    ASSERT_EQ(source->vtbl->get_token(source, &token), ENOUGH_OK);
    ASSERT_EQ(token->vtbl->query_interface(token, &ENOUGH_IID_TOKEN2, &out), ENOUGH_OK);
    auto *token2 = static_cast<enough_token2 *>(out);

    counter c;
    enough_unknown *registration = nullptr;
    EXPECT_EQ(token2->vtbl->register_callback(token2, nullptr, &c, &registration), ENOUGH_E_POINTER);
    EXPECT_EQ(registration, nullptr);
    EXPECT_EQ(token2->vtbl->register_callback(
                  token2, [](void *, int32_t) {}, &c, nullptr),
              ENOUGH_E_POINTER);
    ASSERT_EQ(token2->vtbl->register_callback(
                  token2,
                  [](void *user_data, int32_t reason) {
                      auto *me = static_cast<counter *>(user_data);
                      me->reason.store(reason);
                      me->runs.fetch_add(1);
                  },
                  &c, &registration),
              ENOUGH_OK);
    void *identity = nullptr;
    ASSERT_EQ(registration->vtbl->query_interface(registration, &ENOUGH_IID_UNKNOWN, &identity),
              ENOUGH_OK);
    EXPECT_EQ(identity, static_cast<void *>(registration));
    EXPECT_EQ(registration->vtbl->query_interface(registration, &ENOUGH_IID_TOKEN, &out),
              ENOUGH_E_NOINTERFACE);
    registration->vtbl->release(registration); // the reference query_interface added

    const int32_t fd = token2->vtbl->fd(token2);
#if defined(_WIN32)
    EXPECT_EQ(fd, -1); // tokens hand out event handles there (enough_token_wait_handle)
#else
    EXPECT_GE(fd, 0);
#endif
    EXPECT_EQ(token2->vtbl->wait(token2, 10), 0);
    EXPECT_EQ(source2->vtbl->cancel_after(source2, 1), ENOUGH_OK);
    EXPECT_EQ(token2->vtbl->wait(token2, -1), 1);
    EXPECT_EQ(token2->vtbl->reason(token2), ENOUGH_REASON_TIMED_OUT);
    // The word is published before the timer thread runs the callbacks.
    for (int i = 0; i < 5000 && c.runs.load() == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    registration->vtbl->release(registration);
    EXPECT_EQ(c.runs.load(), 1);
    EXPECT_EQ(c.reason.load(), ENOUGH_REASON_TIMED_OUT);

    token2->vtbl->release(token2);
    token->vtbl->release(token);
    source2->vtbl->release(source2);
    source->vtbl->release(source);
}

} // namespace
