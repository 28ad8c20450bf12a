// enough demo: a long job that reports progress and stops promptly when its caller
// cancels, by Ctrl-C or by a time limit, then says how long the stop took to be seen.
//
//   enough-demo [--seconds N] [--blocks N]
//
// Threads: the job runs on the main thread and polls an enough::token_view once per
// block. The time limit is the library's own deadline (source.cancel_after, fired by
// its timer thread). Ctrl-C cancels: on POSIX systems a controller thread turns
// SIGINT/SIGTERM into source.cancel(); on Windows a console control handler does (it
// runs on a thread of its own, where any call is allowed).
// The stop latency is measured from the instant the stop was asked for (the deadline,
// or the signal's arrival) to the instant the job noticed.
#include <enough/enough.hpp>

#if defined(_WIN32)
#include <windows.h>
#else
#include <pthread.h>
#include <signal.h>
#endif

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

// While it lives, Ctrl-C records when it came and cancels `source`.
class ctrl_c_cancels {
public:
#if defined(_WIN32)
    ctrl_c_cancels(enough::source &source, std::atomic<clock_type::rep> &at) {
        target = &source;
        asked_at = &at;
        SetConsoleCtrlHandler(on_control, TRUE);
    }
    ~ctrl_c_cancels() { SetConsoleCtrlHandler(on_control, FALSE); }

private:
    static BOOL WINAPI on_control(DWORD event) {
        if (event != CTRL_C_EVENT && event != CTRL_BREAK_EVENT && event != CTRL_CLOSE_EVENT) {
            return FALSE;
        }
        asked_at->store(clock_type::now().time_since_epoch().count());
        target->cancel();
        return TRUE; // handled: the job stops on its own, and reports
    }
    static inline enough::source *target = nullptr;
    static inline std::atomic<clock_type::rep> *asked_at = nullptr;
#else
    ctrl_c_cancels(enough::source &source, std::atomic<clock_type::rep> &at) {
        // Signals go to the controller thread only: blocked before it starts (main
        // starts no other thread).
        sigemptyset(&signals_);
        sigaddset(&signals_, SIGINT);
        sigaddset(&signals_, SIGTERM);
        sigaddset(&signals_, SIGUSR1); // "the job is over", sent by the destructor
        pthread_sigmask(SIG_BLOCK, &signals_, nullptr);
        controller_ = std::thread([this, &source, &at] {
            int signal_number = 0;
            while (sigwait(&signals_, &signal_number) != 0) {
            }
            if (signal_number != SIGUSR1) { // SIGUSR1: the job is over, nothing to cancel
                at.store(clock_type::now().time_since_epoch().count());
                source.cancel();
            }
        });
    }
    ~ctrl_c_cancels() {
        pthread_kill(controller_.native_handle(), SIGUSR1); // a no-op if it already returned
        controller_.join();
    }

private:
    sigset_t signals_;
    std::thread controller_;
#endif
};

int main(int argc, char **argv) {
    options opts;
    if (!parse(argc, argv, opts)) {
        std::fprintf(stderr, "usage: %s [--seconds N] [--blocks N]\n", argv[0]);
        return 2;
    }

    enough::source source;
    std::atomic<clock_type::rep> signalled_at{0};
    const auto limit = std::chrono::milliseconds(static_cast<long long>(opts.seconds * 1000));
    const auto deadline = clock_type::now() + limit;
    if (opts.seconds > 0) {
        source.cancel_after(limit);
    }
    const ctrl_c_cancels stop_on_ctrl_c(source, signalled_at);

    std::printf("enough %s demo: decoding %llu blocks; Ctrl-C cancels", enough_version_string(),
                opts.blocks);
    if (opts.seconds > 0) {
        std::printf(" (time limit %.3g s)", opts.seconds);
    }
    std::printf("\n");
    std::fflush(stdout);

    const auto start = clock_type::now();
    clock_type::time_point noticed{};
    const unsigned long long done = decode(source.token(), opts.blocks, noticed);
    const double elapsed = std::chrono::duration<double>(noticed - start).count();

    if (done == opts.blocks) {
        std::printf("finished all %llu blocks in %.3f s\n", done, elapsed);
        return 0;
    }
    const bool timed_out = source.reason() == enough::reason::timed_out;
    const char *why = timed_out ? "time limit" : "Ctrl-C";
    const auto at = timed_out ? deadline : clock_type::time_point(clock_type::duration(signalled_at.load()));
    const double latency_us = std::chrono::duration<double, std::micro>(noticed - at).count();
    std::printf("cancelled (%s) after %.3f s and %llu blocks: stop observed %.1f us after cancel\n",
                why, elapsed, done, latency_us);
    return 0;
}
