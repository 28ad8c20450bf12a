// The ABI objects driven through their vtables: COM rules, separate identities, the
// state word, no allocation for tokens, and flat calls on foreign implementations.
#include "allocation_counter.hpp"

#include <enough/enough.h>
#include <enough/enough.hpp>

#include <gtest/gtest.h>

namespace {

enough_source *new_source() { return static_cast<enough_source *>(enough_cancellation_create()); }

template <class I>
void *query(I *object, const enough_iid &iid) {
    void *out = reinterpret_cast<void *>(0x1); // must be overwritten, even on failure
    const enough_result result = object->vtbl->query_interface(object, &iid, &out);
    EXPECT_EQ(result == ENOUGH_OK, out != nullptr);
    return out;
}

template <class I>
void *identity(I *object) {
    void *unknown = query(object, ENOUGH_IID_UNKNOWN);
    static_cast<enough_unknown *>(unknown)->vtbl->release(static_cast<enough_unknown *>(unknown));
    return unknown;
}

TEST(Interfaces, SourceAnswersItsIdsAndNotTheToken) {
    enough_source *source = new_source();
    void *as_source = query(source, ENOUGH_IID_SOURCE);
    EXPECT_EQ(as_source, source);
    source->vtbl->release(source);
    EXPECT_EQ(query(source, ENOUGH_IID_TOKEN), nullptr);
    EXPECT_EQ(identity(source), static_cast<void *>(source));
    source->vtbl->release(source);
}

TEST(Interfaces, TokenNeverYieldsItsSource) {
    enough_source *source = new_source();
    enough_token *token = nullptr;
    ASSERT_EQ(source->vtbl->get_token(source, &token), ENOUGH_OK);
    EXPECT_EQ(query(token, ENOUGH_IID_SOURCE), nullptr);
    void *as_token = query(token, ENOUGH_IID_TOKEN);
    EXPECT_EQ(as_token, token);
    token->vtbl->release(token);
    EXPECT_NE(identity(token), identity(source)); // two identities
    EXPECT_EQ(identity(token), static_cast<void *>(token));
    token->vtbl->release(token);
    source->vtbl->release(source);
}

TEST(Interfaces, QueryRejectsNullArgumentsAndUnknownIds) {
    enough_source *source = new_source();
    void *out = reinterpret_cast<void *>(0x1);
    EXPECT_EQ(source->vtbl->query_interface(source, nullptr, &out), ENOUGH_E_POINTER);
    EXPECT_EQ(out, nullptr);
    EXPECT_EQ(source->vtbl->query_interface(source, &ENOUGH_IID_SOURCE, nullptr),
              ENOUGH_E_POINTER);
    const enough_iid unknown_id = {1, 2, 3, {4, 5, 6, 7, 8, 9, 10, 11}};
    out = reinterpret_cast<void *>(0x1);
    EXPECT_EQ(source->vtbl->query_interface(source, &unknown_id, &out), ENOUGH_E_NOINTERFACE);
    EXPECT_EQ(out, nullptr);
    enough_token *token = nullptr;
    EXPECT_EQ(source->vtbl->get_token(source, nullptr), ENOUGH_E_POINTER);
    ASSERT_EQ(source->vtbl->get_token(source, &token), ENOUGH_OK);
    token->vtbl->release(token);
    source->vtbl->release(source);
}

TEST(Interfaces, SourceCancelReportsTheWinner) {
    enough_source *source = new_source();
    EXPECT_EQ(source->vtbl->is_cancelled(source), 0);
    EXPECT_EQ(source->vtbl->cancel(source), 1);
    EXPECT_EQ(source->vtbl->cancel(source), 0);
    EXPECT_EQ(source->vtbl->is_cancelled(source), 1);
    source->vtbl->release(source);
}

TEST(Interfaces, StateWordHoldsTheReason) {
    enough_source *source = new_source();
    enough_token *token = nullptr;
    ASSERT_EQ(source->vtbl->get_token(source, &token), ENOUGH_OK);
    const uint32_t *word = token->vtbl->state_word(token);
    ASSERT_NE(word, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(word) % 4, 0u);
    EXPECT_EQ(enough_state_word_load(word), uint32_t{ENOUGH_REASON_NONE});
    source->vtbl->cancel(source);
    EXPECT_EQ(enough_state_word_load(word), uint32_t{ENOUGH_REASON_CANCELLED});
    source->vtbl->release(source);
    EXPECT_EQ(enough_state_word_load(word), uint32_t{ENOUGH_REASON_CANCELLED});
    token->vtbl->release(token);
}

TEST(Interfaces, NeverTokenHasAZeroWordAndAnIdentity) {
    auto *never = static_cast<enough_token *>(enough_token_create_never());
    const uint32_t *word = never->vtbl->state_word(never);
    ASSERT_NE(word, nullptr);
    EXPECT_EQ(*word, 0u);
    EXPECT_EQ(identity(never), static_cast<void *>(never));
    EXPECT_EQ(query(never, ENOUGH_IID_SOURCE), nullptr);
}

// Allocation counts hold for normal builds only: a hardened build counts handles in a
// table and keeps freed blocks in quarantine (see src/misuse_guard.hpp).
#if !ENOUGH_TEST_HARDENED
TEST(Interfaces, TokenCreationDoesNotAllocate) {
    void *source = enough_cancellation_create();
    enough_test::allocation_scope scope;
    for (int i = 0; i < 1000; ++i) {
        void *token = enough_token_create(source);
        void *clone = enough_token_clone(token);
        enough_token_destroy(clone);
        enough_token_destroy(token);
        enough_token_destroy(enough_token_create_never());
    }
    EXPECT_EQ(scope.count(), 0u);
    enough_cancellation_destroy(source);
}

TEST(Interfaces, SourceCreationReusesFreedBlocks) {
    {
        // Warms this thread's cache; the first listed registration also starts the
        // library's thread (which a later cancel_async needs), allocating once.
        enough::source warm;
        auto registration = warm.token().on_cancel([](enough::reason) {});
    }
    enough_test::allocation_scope scope;
    for (int i = 0; i < 1000; ++i) {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        void *registration = enough_token_register(token, [](void *, int32_t) {}, nullptr);
        enough_registration_destroy(registration);
        enough_token_destroy(token);
        enough_cancellation_destroy(source);
    }
    EXPECT_EQ(scope.count(), 0u); // every block comes back from the warmed cache
}
#endif

// A token written against the ABI with the authoring helper: cancels after N checks.
struct countdown_token : enough::implements<countdown_token, enough_token> {
    explicit countdown_token(int checks, int *destroyed) : left(checks), destroyed(destroyed) {}
    ~countdown_token() { ++*destroyed; }
    bool is_cancelled() { return left <= 0 || --left == 0; }
    bool may_cancel() { return true; }
    int left;
    int *destroyed;
};

TEST(Interfaces, FlatCallsAcceptForeignTokens) {
    int destroyed = 0;
    auto *token = enough::make<enough_token, countdown_token>(3, &destroyed);
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(token->vtbl->state_word(token), nullptr); // none offered
    EXPECT_EQ(enough_token_state_word(token), nullptr); // and so none through the flat API
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_TRUE(enough_token_is_cancelled(token));
    EXPECT_TRUE(enough_token_may_cancel(token));
    void *clone = enough_token_clone(token);
    EXPECT_EQ(clone, token);
    enough_token_destroy(token);
    EXPECT_EQ(destroyed, 0);
    EXPECT_EQ(identity(static_cast<enough_token *>(clone)), clone);
    EXPECT_EQ(query(static_cast<enough_token *>(clone), ENOUGH_IID_SOURCE), nullptr);
    enough_token_destroy(clone);
    EXPECT_EQ(destroyed, 1);
}

// A source written against the ABI: its token is an immortal never-cancelled word.
struct foreign_source : enough::implements<foreign_source, enough_source> {
    bool cancel() { return !std::exchange(cancelled, true); }
    bool is_cancelled() { return cancelled; }
    enough_token *get_token() {
        if (fail_get_token) {
            throw std::runtime_error("no token today");
        }
        return static_cast<enough_token *>(enough_token_create_never());
    }
    bool cancelled = false;
    bool fail_get_token = false;
};

TEST(Interfaces, FlatCallsAcceptForeignSources) {
    auto *source = enough::make<enough_source, foreign_source>();
    ASSERT_NE(source, nullptr);
    EXPECT_FALSE(enough_cancellation_is_cancelled(source));
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_cancellation_is_cancelled(source));
    EXPECT_EQ(enough_token_create(source), enough_token_create_never());
    // An exception inside the implementation becomes a failure result, not an unwind.
    foreign_source::self(source)->fail_get_token = true;
    EXPECT_EQ(enough_token_create(source), nullptr);
    enough_cancellation_destroy(source);
}

} // namespace
