// Stress: threads x rounds of create / link / register / cancel / unregister / destroy
// on shared and private objects, in racing orders. At the end the library's
// live-object count is back to zero. Rounds are fewer under sanitizers (they are
// slower, not less thorough: the races are the same).
#include <enough/enough.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <random>
#include <thread>
#include <vector>

namespace {

int rounds() {
    const char *configured = std::getenv("ENOUGH_STRESS_ROUNDS");
    return configured != nullptr ? std::atoi(configured) : 20000;
}

void ENOUGH_CALL count_run(void *user_data, int32_t) {
    static_cast<std::atomic<long> *>(user_data)->fetch_add(1, std::memory_order_relaxed);
}

TEST(Stress, ManyThreadsManyRoundsEndWithNothingAlive) {
    const std::size_t live_before = enough_live_objects();
    constexpr int thread_count = 6;
    const int round_count = rounds();
    std::atomic<long> runs{0};
    std::atomic<long> cancels_won{0};
    void *shared_root = enough_cancellation_create();
    void *shared_token = enough_token_create(shared_root);
    {
        std::vector<std::thread> threads;
        for (int t = 0; t < thread_count; ++t) {
            threads.emplace_back([&, t] {
                std::mt19937 random(static_cast<unsigned>(t) * 7919u + 1u);
                void *my_token = enough_token_clone(shared_token);
                for (int round = 0; round < round_count; ++round) {
                    // A private source linked to the shared root and to a fresh parent.
                    void *parent = enough_cancellation_create();
                    void *parent_token = enough_token_create(parent);
                    void *parents[] = {my_token, parent_token};
                    void *child = enough_cancellation_create_linked(parents, 2);
                    void *child_token = enough_token_create(child);
                    void *registrations[4];
                    for (auto &registration : registrations) {
                        registration = enough_token_register(child_token, count_run, &runs);
                    }
                    void *on_shared = enough_token_register(my_token, count_run, &runs);
                    if (random() % 8 == 0) {
                        enough_cancellation_cancel_after(child, random() % 2);
                    }
                    switch (random() % 3) {
                    case 0:
                        cancels_won += enough_cancellation_cancel_with_reason(parent, 300) ? 1 : 0;
                        break;
                    case 1:
                        cancels_won += enough_cancellation_cancel_with_reason(child, 301) ? 1 : 0;
                        break;
                    default:
                        break; // nobody cancels: everything is released uncancelled
                    }
                    enough_token_wait(child_token, 0);
                    // Release in a random order.
                    std::shuffle(std::begin(registrations), std::end(registrations), random);
                    for (void *registration : registrations) {
                        enough_registration_destroy(registration);
                    }
                    enough_registration_destroy(on_shared);
                    if (random() % 2 == 0) {
                        enough_cancellation_destroy(child);
                        enough_token_destroy(child_token);
                    } else {
                        enough_token_destroy(child_token);
                        enough_cancellation_destroy(child);
                    }
                    enough_token_destroy(parent_token);
                    enough_cancellation_destroy(parent);
                }
                enough_token_destroy(my_token);
            });
        }
        // Midway, the shared root is cancelled under everyone's feet.
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        enough_cancellation_cancel(shared_root);
        for (auto &thread : threads) {
            thread.join();
        }
    }
    enough_token_destroy(shared_token);
    enough_cancellation_destroy(shared_root);
    // Deadlines that were armed may still be firing on the timer thread for a moment.
    for (int i = 0; i < 3000 && enough_live_objects() != live_before; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    EXPECT_EQ(enough_live_objects(), live_before);
    EXPECT_GT(runs.load(), 0);
    EXPECT_GT(cancels_won.load(), 0);
    RecordProperty("rounds", thread_count * round_count);
    std::printf("stress: %d threads x %d rounds, %ld callbacks ran, %ld cancels won\n",
                thread_count, round_count, runs.load(), cancels_won.load());
}

} // namespace
