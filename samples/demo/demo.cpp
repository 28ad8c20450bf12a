// enough demo: a long job that reports progress and stops promptly when its caller
// cancels, by Ctrl-C or by a time limit, then says how long the stop took to be seen.
//
//   enough-demo [--seconds N] [--blocks N]
//
// Threads: the job runs on the main thread and polls an enough::token_view once per
// block. A controller thread waits for SIGINT/SIGTERM or the time limit (sigtimedwait)
// and cancels the source; it records when it did, the job records when it noticed.
#include <enough/enough.hpp>

#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
    double seconds = 0;               // 0: no time limit
    unsigned long long blocks = 20'000'000;
};

bool parse(int argc, char **argv, options &opts) {
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if ((arg == "--seconds" || arg == "--blocks") && i + 1 < argc) {
            char *end = nullptr;
            const char *value = argv[++i];
            if (arg == "--seconds") {
                opts.seconds = std::strtod(value, &end);
            } else {
                opts.blocks = std::strtoull(value, &end, 10);
            }
            if (end == value || *end != '\0' || opts.seconds < 0) {
                return false;
            }
        } else {
            return false;
        }
    }
    return true;
}

// One block of "decoding": a few microseconds of arithmetic the compiler must keep.
double decode_block(unsigned long long block) {
    double acc = static_cast<double>(block);
    for (int i = 0; i < 400; ++i) {
        acc = std::sqrt(acc * 1.000001 + i);
    }
    return acc;
}

// The library author's side: a long function that takes a token and stops promptly.
// Returns how many blocks it decoded.
unsigned long long decode(enough::token_view token, unsigned long long blocks,
                          clock_type::time_point &noticed) {
    auto next_report = clock_type::now();
    const auto start = next_report;
    double sink = 0;
    for (unsigned long long block = 0; block < blocks; ++block) {
        if (token.is_cancelled()) {
            noticed = clock_type::now();
            return block;
        }
        sink += decode_block(block);
        if ((block & 0x3ff) == 0 && clock_type::now() >= next_report) {
            const double elapsed = std::chrono::duration<double>(clock_type::now() - start).count();
            std::printf("  %5.1f%%  %llu blocks  %.2f s\n", 100.0 * static_cast<double>(block) /
                        static_cast<double>(blocks), block, elapsed);
            std::fflush(stdout);
            next_report += std::chrono::milliseconds(250);
        }
    }
    noticed = clock_type::now();
    return sink < 0 ? 0 : blocks; // keeps sink alive
}

} // namespace

int main(int argc, char **argv) {
    options opts;
    if (!parse(argc, argv, opts)) {
        std::fprintf(stderr, "usage: %s [--seconds N] [--blocks N]\n", argv[0]);
        return 2;
    }

    // Signals go to the controller thread only: block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGUSR1); // "the job is over", sent by main
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    enough::source source;
    std::atomic<clock_type::rep> cancelled_at{0};
    const char *why = "finished";

    std::thread controller([&] {
        const auto deadline = clock_type::now() + std::chrono::duration<double>(opts.seconds);
        for (;;) {
            int signal_number = 0;
            if (opts.seconds > 0) {
                const auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    deadline - clock_type::now());
                if (left.count() <= 0) {
                    why = "time limit";
                    break;
                }
                timespec timeout{static_cast<time_t>(left.count() / 1'000'000'000),
                                 static_cast<long>(left.count() % 1'000'000'000)};
                signal_number = sigtimedwait(&signals, nullptr, &timeout);
                if (signal_number < 0) {
                    continue; // timed out or interrupted: the loop re-checks the deadline
                }
            } else if (sigwait(&signals, &signal_number) != 0) {
                continue;
            }
            if (signal_number == SIGUSR1) {
                return; // the job finished first
            }
            why = signal_number == SIGINT ? "Ctrl-C" : "SIGTERM";
            break;
        }
        cancelled_at.store(clock_type::now().time_since_epoch().count());
        source.cancel();
    });

    std::printf("enough %s demo: decoding %llu blocks; Ctrl-C cancels", enough_version_string(),
                opts.blocks);
    if (opts.seconds > 0) {
        std::printf(" (time limit %.3g s)", opts.seconds);
    }
    std::printf("\n");
    std::fflush(stdout);

    const auto start = clock_type::now();
    clock_type::time_point noticed;
    const unsigned long long done = decode(source.token(), opts.blocks, noticed);
    const double elapsed = std::chrono::duration<double>(noticed - start).count();

    if (done == opts.blocks) {
        pthread_kill(controller.native_handle(), SIGUSR1);
        controller.join();
        std::printf("finished all %llu blocks in %.3f s\n", done, elapsed);
        return 0;
    }
    controller.join();
    const auto at = clock_type::time_point(clock_type::duration(cancelled_at.load()));
    const double latency_us = std::chrono::duration<double, std::micro>(noticed - at).count();
    std::printf("cancelled (%s) after %.3f s and %llu blocks: stop observed %.1f us after cancel\n",
                why, elapsed, done, latency_us);
    return 0;
}
