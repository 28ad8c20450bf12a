// A child forked while other threads of the parent are inside the library uses it
// (runtime/fork_locks.hpp): the process-wide mutexes it may need (the pool's lists, the
// deadline queue, the hardened build's ledger) are held by the forking thread across
// fork(), so the child never finds one locked by a thread that does not exist there.
// Before that, a child could hang for ever (CI's hardened samples.plugin_process, once).
#include <enough/enough.h>

#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace {

using namespace std::chrono_literals;

// What the parent's threads do meanwhile: past every thread cache, so that the pool's
// shared lists are taken and given back, and deadlines armed and disarmed.
void churn(const std::atomic<bool> &stop) {
    std::vector<void *> tokens;
    while (!stop.load(std::memory_order_relaxed)) {
        void *const source = enough_cancellation_create();
        void *const token = enough_token_create(source);
        for (int i = 0; i < 200; ++i) {
            tokens.push_back(enough_token_create_linked(&token, 1));
        }
        enough_cancellation_cancel_after(source, 60'000);
        for (void *child : tokens) {
            enough_token_destroy(child);
        }
        tokens.clear();
        enough_token_destroy(token);
        enough_cancellation_destroy(source);
    }
}

// The child's work: allocations past its cache, and a deadline that must fire and
// cancel a linked token (the library's thread starts anew in the child). Exits 0 when
// all went as it should.
[[noreturn]] void child_uses_the_library() {
    std::vector<void *> tokens;
    void *const source = enough_cancellation_create();
    void *const token = enough_token_create(source);
    for (int i = 0; i < 500; ++i) {
        tokens.push_back(enough_token_create_linked(&token, 1));
    }
    if (source == nullptr || token == nullptr) {
        _exit(1);
    }
    if (!enough_cancellation_cancel_after(source, 1)) {
        _exit(2);
    }
    if (!enough_token_wait(tokens.back(), 10'000)) {
        _exit(3);
    }
    for (void *child : tokens) {
        enough_token_destroy(child);
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    _exit(0);
}

// The child's status, or -1 after killing it when it has not exited within `limit`.
int wait_or_kill(pid_t child, std::chrono::milliseconds limit) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(child, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > give_up) {
            kill(child, SIGKILL);
            waitpid(child, &status, 0);
            return -1;
        }
        std::this_thread::sleep_for(1ms);
    }
    return status;
}

TEST(Fork, AChildUsesTheLibraryWhileOtherThreadsOfTheParentWereInsideIt) {
    std::atomic<bool> stop{false};
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
        threads.emplace_back(churn, std::cref(stop));
    }
    constexpr int forks = 100;
    int hung = 0;
    int failed = 0;
    for (int i = 0; i < forks; ++i) {
        const pid_t child = fork();
        ASSERT_GE(child, 0);
        if (child == 0) {
            child_uses_the_library();
        }
        // Generous: a child that takes 20 s under a sanitizer on a busy machine is hung.
        const int status = wait_or_kill(child, 20s);
        hung += status == -1 ? 1 : 0;
        if (status != -1 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            ++failed;
            ADD_FAILURE() << "a child ended with status " << status << " (exit 1: out of memory, 2: no deadline armed, 3: none fired)";
        }
    }
    stop = true;
    for (std::thread &thread : threads) {
        thread.join();
    }
    EXPECT_EQ(hung, 0) << "children that hung (killed after 20 s), of " << forks;
    EXPECT_EQ(failed, 0) << "children that failed, of " << forks;
}

} // namespace
