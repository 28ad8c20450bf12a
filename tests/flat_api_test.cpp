// The flat enough_* API: the seed's semantics and the additions.
#include <enough/enough.h>

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace {

TEST(FlatSource, StartsNotCancelledAndCancels) {
    void *source = enough_cancellation_create();
    ASSERT_NE(source, nullptr);
    EXPECT_FALSE(enough_cancellation_is_cancelled(source));
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_cancellation_is_cancelled(source));
    enough_cancellation_cancel(source); // idempotent
    EXPECT_TRUE(enough_cancellation_is_cancelled(source));
    enough_cancellation_destroy(source);
}

TEST(FlatSource, NullIsSafe) {
    enough_cancellation_cancel(nullptr);
    EXPECT_FALSE(enough_cancellation_is_cancelled(nullptr));
    enough_cancellation_destroy(nullptr);
}

TEST(FlatToken, ObservesItsSource) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    ASSERT_NE(token, nullptr);
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_token_is_cancelled(token));
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(FlatToken, NullIsSafe) {
    EXPECT_FALSE(enough_token_is_cancelled(nullptr));
    EXPECT_FALSE(enough_token_may_cancel(nullptr));
    EXPECT_EQ(enough_token_clone(nullptr), nullptr);
    enough_token_destroy(nullptr);
}

TEST(FlatToken, CreateFromNullGivesTheNeverToken) {
    void *token = enough_token_create(nullptr);
    ASSERT_NE(token, nullptr);
    EXPECT_EQ(token, enough_token_create_never());
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_FALSE(enough_token_may_cancel(token));
    enough_token_destroy(token);
}

TEST(FlatToken, NeverTokenIsImmortal) {
    void *never = enough_token_create_never();
    for (int i = 0; i < 10; ++i) {
        enough_token_destroy(never); // more destroys than creates: still harmless
    }
    void *clone = enough_token_clone(never);
    EXPECT_EQ(clone, never);
    EXPECT_FALSE(enough_token_is_cancelled(clone));
    EXPECT_FALSE(enough_token_may_cancel(clone));
}

TEST(FlatToken, CloneIsAnotherReferenceToTheSameToken) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *clone = enough_token_clone(token);
    EXPECT_EQ(clone, token);
    enough_token_destroy(token);
    enough_cancellation_cancel(source);
    EXPECT_TRUE(enough_token_is_cancelled(clone)); // still valid after the first destroy
    enough_token_destroy(clone);
    enough_cancellation_destroy(source);
}

TEST(FlatToken, OutlivesItsSourceAndNeverCancels) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_destroy(source);
    EXPECT_FALSE(enough_token_is_cancelled(token));
    EXPECT_FALSE(enough_token_may_cancel(token)); // orphaned: nobody can cancel
    enough_token_destroy(token);
}

TEST(FlatToken, KeepsCancelledStateAfterSourceIsGone) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_cancel(source);
    enough_cancellation_destroy(source);
    EXPECT_TRUE(enough_token_is_cancelled(token));
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_token_destroy(token);
}

TEST(FlatToken, TokensOfOneSourceAreOneObject) {
    void *source = enough_cancellation_create();
    void *a = enough_token_create(source);
    void *b = enough_token_create(source);
    EXPECT_EQ(a, b);
    EXPECT_NE(a, source); // separate identity from the source
    enough_token_destroy(a);
    enough_token_destroy(b);
    enough_cancellation_destroy(source);
}

TEST(FlatToken, StateWordIsTheWordAOneLoadCheckReads) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    const uint32_t *word = enough_token_state_word(token);
    ASSERT_NE(word, nullptr);
    EXPECT_EQ(enough_token_state_word(source), nullptr) << "a source is refused as a token";
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_WRONG_KIND);
    EXPECT_EQ(enough_state_word_load(word), uint32_t{ENOUGH_REASON_NONE});
    enough_cancellation_cancel_with_reason(source, 300);
    EXPECT_EQ(enough_state_word_load(word), 300u);
    const uint32_t *never = enough_token_state_word(enough_token_create_never());
    ASSERT_NE(never, nullptr);
    EXPECT_EQ(enough_state_word_load(never), uint32_t{ENOUGH_REASON_NONE});
    EXPECT_EQ(enough_token_state_word(nullptr), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(FlatMisuse, TokenPassedAsSourceIsTreatedAsNull) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_cancel(token); // a token cannot cancel
    EXPECT_FALSE(enough_cancellation_is_cancelled(token));
    EXPECT_FALSE(enough_token_is_cancelled(token));
    enough_cancellation_destroy(token); // refused: the token reference stays
    EXPECT_EQ(enough_token_create(token), enough_token_create_never());
    EXPECT_TRUE(enough_token_may_cancel(token));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(FlatMisuse, SourcePassedAsTokenIsTreatedAsNull) {
    void *source = enough_cancellation_create();
    enough_cancellation_cancel(source);
    EXPECT_FALSE(enough_token_is_cancelled(source));
    EXPECT_FALSE(enough_token_may_cancel(source));
    EXPECT_EQ(enough_token_clone(source), nullptr);
    enough_token_destroy(source); // refused: the source reference stays
    EXPECT_TRUE(enough_cancellation_is_cancelled(source));
    enough_cancellation_destroy(source);
}

TEST(FlatLibrary, VersionMatchesTheHeader) {
    EXPECT_EQ(enough_version(), ENOUGH_VERSION);
    const std::string expected = std::to_string(ENOUGH_VERSION_MAJOR) + "." +
                                 std::to_string(ENOUGH_VERSION_MINOR) + "." +
                                 std::to_string(ENOUGH_VERSION_PATCH);
    ASSERT_NE(enough_version_string(), nullptr);
    EXPECT_STREQ(enough_version_string(), expected.c_str());
    EXPECT_EQ(ENOUGH_MAKE_VERSION(1, 2, 3), 0x010203u);
}

} // namespace
