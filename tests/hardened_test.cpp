// The hardened build (ENOUGH_HARDENED=ON): a dangling handle, released twice or used
// after its last release, is reported with the call and the handle and the process
// aborts (death tests); correct programs, including the legal ones that look close to
// misuse, run untouched. Compiled only into a hardened build's test suite.
#include <enough/enough.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

namespace {

// Death tests run in a fork of this process ("fast" style: no thread of the library is
// running in these tests), so the handle's address is the same in the child.

// The report's first words, as a regular expression: "<call>(<handle>): this <kind>".
std::string report(const char *call, const void *handle, const char *kind) {
    char pointer[32];
    std::snprintf(pointer, sizeof pointer, "%p", handle);
    return std::string("enough \\(hardened\\): ") + call + "\\(" + pointer + "\\): this " + kind +
           " handle was already released for the last time";
}

void ENOUGH_CALL ignore(void * /*user_data*/, int32_t /*reason*/) {}

TEST(Hardened, TokenDestroyedTwiceWhileItsSourceLives) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_token_destroy(token);
    EXPECT_DEATH(enough_token_destroy(token), report("enough_token_destroy", token, "token"));
    enough_cancellation_destroy(source);
}

TEST(Hardened, TokenUsedAfterItsLastRelease) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_token_destroy(token);
    EXPECT_DEATH(enough_token_is_cancelled(token), report("enough_token_is_cancelled", token, "token"));
    EXPECT_DEATH(enough_token_clone(token), report("enough_token_clone", token, "token"));
    EXPECT_DEATH(enough_token_wait(token, 0), report("enough_token_wait", token, "token"));
    EXPECT_DEATH(enough_token_register(token, ignore, nullptr),
                 report("enough_token_register", token, "token"));
    void *const parents[] = {token};
    EXPECT_DEATH(enough_cancellation_create_linked(parents, 1),
                 report("enough_cancellation_create_linked", token, "token"));
    enough_cancellation_destroy(source);
}

TEST(Hardened, SourceDestroyedTwice) {
    void *source = enough_cancellation_create();
    enough_cancellation_destroy(source); // the object is gone: its memory waits in quarantine
    EXPECT_DEATH(enough_cancellation_destroy(source),
                 report("enough_cancellation_destroy", source, "source"));
}

TEST(Hardened, SourceUsedAfterItsLastReleaseWhileATokenKeepsTheObject) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_cancellation_destroy(source);
    EXPECT_DEATH(enough_cancellation_cancel(source),
                 report("enough_cancellation_cancel", source, "source"));
    EXPECT_DEATH(enough_token_create(source),
                 report("enough_token_create", source, "source"));
    EXPECT_DEATH(enough_cancellation_cancel_after(source, 10),
                 report("enough_cancellation_cancel_after", source, "source"));
    EXPECT_FALSE(enough_token_may_cancel(token)); // the token itself is fine: orphaned
    enough_token_destroy(token);
}

TEST(Hardened, RegistrationDestroyedTwice) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *registration = enough_token_register(token, ignore, nullptr);
    ASSERT_NE(registration, nullptr);
    enough_registration_destroy(registration);
    EXPECT_DEATH(enough_registration_destroy(registration),
                 report("enough_registration_destroy", registration, "registration"));
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}

TEST(Hardened, VtableCallsOnADanglingHandle) {
    void *source = enough_cancellation_create();
    auto *token = static_cast<enough_token *>(enough_token_create(source));
    token->vtbl->release(token);
    EXPECT_DEATH(token->vtbl->release(token), report("enough_token_vtbl.release", token, "token"));
    EXPECT_DEATH(token->vtbl->add_ref(token), report("enough_token_vtbl.add_ref", token, "token"));
    EXPECT_DEATH(token->vtbl->is_cancelled(token),
                 report("enough_token_vtbl.is_cancelled", token, "token"));
    void *out = nullptr;
    EXPECT_DEATH(token->vtbl->query_interface(token, &ENOUGH_IID_TOKEN2, &out),
                 report("enough_token_vtbl.query_interface", token, "token"));

    auto *face = static_cast<enough_source *>(source);
    face->vtbl->release(face);
    EXPECT_DEATH(face->vtbl->cancel(face), report("enough_source_vtbl.cancel", face, "source"));
    EXPECT_DEATH(face->vtbl->release(face), report("enough_source_vtbl.release", face, "source"));
}

TEST(Hardened, CorrectProgramsAreNotReported) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    void *copy = enough_token_clone(token); // the same pointer: two references
    ASSERT_EQ(copy, token);
    enough_token_destroy(copy);
    EXPECT_FALSE(enough_token_is_cancelled(token)); // one reference is still held

    // A reference obtained through query_interface is one more to release.
    auto *face = static_cast<enough_token *>(token);
    void *token2 = nullptr;
    ASSERT_EQ(face->vtbl->query_interface(face, &ENOUGH_IID_TOKEN2, &token2), ENOUGH_OK);
    enough_token_destroy(token2);
    enough_token_destroy(token);

    // Every token handle released, the source alive: a new token from it is legal.
    void *again = enough_token_create(source);
    ASSERT_EQ(again, token);
    void *child = enough_cancellation_create_linked(&again, 1);
    void *registration = enough_token_register(again, ignore, nullptr);
    EXPECT_TRUE(enough_cancellation_cancel_after(source, 0) || enough_token_is_cancelled(again));
    EXPECT_TRUE(enough_token_wait(again, -1));
    enough_registration_destroy(registration);
    enough_cancellation_destroy(child);
    enough_token_destroy(again);
    enough_cancellation_destroy(source);
}

} // namespace
