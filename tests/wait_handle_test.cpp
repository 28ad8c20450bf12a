// enough_token_wait_handle: on Windows an event HANDLE signalled once the token is
// cancelled (and enough_token_fd refuses); elsewhere NULL with ENOUGH_ERROR_UNSUPPORTED
// (and enough_token_fd serves).
#include <enough/enough.hpp>

#include <gtest/gtest.h>

#if defined(_WIN32)
#include <windows.h>
#endif

#include <thread>

namespace {

#if defined(_WIN32)

TEST(WaitHandle, IsSignalledOnceTheTokenCancelsFromAnotherThread) {
    enough::source source;
    enough::token token = source.token();
    auto *handle = static_cast<HANDLE>(enough_token_wait_handle(token.get()));
    ASSERT_NE(handle, nullptr);
    EXPECT_EQ(enough_token_wait_handle(token.get()), handle); // one per token object
    EXPECT_EQ(token.wait_handle(), handle);                    // the projection's
    EXPECT_EQ(WaitForSingleObject(handle, 10), static_cast<DWORD>(WAIT_TIMEOUT));
    std::thread canceller([&] { source.cancel(); });
    EXPECT_EQ(WaitForSingleObject(handle, 5000), WAIT_OBJECT_0);
    canceller.join();
    EXPECT_EQ(WaitForSingleObject(handle, 0), WAIT_OBJECT_0); // and stays signalled
}

TEST(WaitHandle, AlreadyCancelledIsSignalledAtOnceAndWorksWithWaitForMultipleObjects) {
    enough::source quiet;
    enough::source cancelled;
    cancelled.cancel();
    HANDLE handles[] = {static_cast<HANDLE>(enough_token_wait_handle(quiet.token().get())),
                        static_cast<HANDLE>(enough_token_wait_handle(cancelled.token().get()))};
    EXPECT_EQ(WaitForMultipleObjects(2, handles, FALSE, 1000), WAIT_OBJECT_0 + 1);
}

TEST(WaitHandle, TheNeverTokensIsNeverSignalledAndFdIsRefused) {
    auto *never = static_cast<HANDLE>(enough_token_wait_handle(enough_token_create_never()));
    ASSERT_NE(never, nullptr);
    EXPECT_EQ(WaitForSingleObject(never, 10), static_cast<DWORD>(WAIT_TIMEOUT));
    enough::source source;
    EXPECT_EQ(enough_token_fd(source.token().get()), -1);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_UNSUPPORTED);
    EXPECT_EQ(enough_token_wait_handle(nullptr), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
}

#else

TEST(WaitHandle, IsWindowsOnlyAndSaysSo) {
    enough::source source;
    EXPECT_EQ(enough_token_wait_handle(source.token().get()), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_UNSUPPORTED);
    EXPECT_EQ(source.token().wait_handle(), nullptr); // the projection's
    EXPECT_GE(enough_token_fd(source.token().get()), 0); // the descriptor serves here
    EXPECT_EQ(enough_token_wait_handle(nullptr), nullptr);
    EXPECT_EQ(enough_last_error_code(), ENOUGH_ERROR_NULL_HANDLE);
}

#endif

} // namespace
