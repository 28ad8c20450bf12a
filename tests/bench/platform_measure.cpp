// The figures one program measures on every system, so that a build for another
// platform (Windows under Wine, arm64 under qemu) reports the same ones as Linux:
//   check_ns                 token_view::is_cancelled (one read of the state word)
//   flat_check_ns            enough_token_is_cancelled through the flat API
//   token_create_destroy_ns  enough_token_create + enough_token_destroy
//   wake_p50_us, wake_p99_us a thread blocked in enough_token_wait, after the cancel
//   process_wake_p50_us, process_wake_p99_us   the same wait in a child process on an
//                            imported token (steady_clock is system-wide: the child
//                            reports when it woke)
//
//   enough_platform_measure [--quick]     prints one JSON object
//   enough_platform_measure child VALUE   (the child: imports VALUE and waits)
// $ENOUGH_CHILD_EMULATOR, when set, runs the child (qemu-user: the kernel here cannot
// exec the target's programs by itself).
#include <enough/enough.hpp>

#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

long long now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clock_type::now().time_since_epoch()).count();
}
double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

// Nanoseconds per call of `body`, the best of a few rounds (the least disturbed).
template <class Body> double ns_per_call(long iterations, Body body) {
    double best = 1e300;
    for (int round = 0; round < 5; ++round) {
        const auto start = clock_type::now();
        for (long i = 0; i < iterations; ++i) {
            body();
        }
        const double ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count();
        best = std::min(best, ns / static_cast<double>(iterations));
    }
    return best;
}

std::vector<double> in_process_wakes(int trials) {
    std::vector<double> wakes;
    for (int trial = 0; trial < trials; ++trial) {
        enough::source source;
        enough::token token = source.token();
        std::atomic<long long> woke{0};
        std::thread waiter([&] {
            token.wait();
            woke.store(now_ns());
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(2)); // blocked by now
        const long long cancelled = now_ns();
        source.cancel();
        waiter.join();
        wakes.push_back(static_cast<double>(woke.load() - cancelled) / 1000.0);
    }
    return wakes;
}

// The child: its command line goes through the shell (popen), which inherits the
// exported value (a descriptor, or on Windows an inheritable HANDLE).
std::vector<double> cross_process_wakes(const char *self, int trials) {
    std::vector<double> wakes;
    for (int trial = 0; trial < trials; ++trial) {
        enough::source source;
        const int exported = enough_token_export(source.token().get());
#if defined(_WIN32)
        const std::string command = std::string("\"") + self + "\" child " + std::to_string(exported);
        FILE *child = _popen(command.c_str(), "r");
#else
        fcntl(exported, F_SETFD, 0); // the child inherits it
        const char *emulator = std::getenv("ENOUGH_CHILD_EMULATOR");
        const std::string command = std::string(emulator != nullptr ? emulator : "") + " '" + self +
                                    "' child " + std::to_string(exported);
        FILE *child = popen(command.c_str(), "r");
#endif
        char line[64] = "";
        if (child == nullptr || std::fgets(line, sizeof line, child) == nullptr ||
            std::strncmp(line, "ready", 5) != 0) {
            std::fprintf(stderr, "child did not start: %s\n", line);
            std::exit(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5)); // blocked by now
        const long long cancelled = now_ns();
        source.cancel();
        long long woke = 0;
        if (std::fgets(line, sizeof line, child) == nullptr || std::sscanf(line, "woke %lld", &woke) != 1) {
            std::fprintf(stderr, "child said: %s\n", line);
            std::exit(1);
        }
#if defined(_WIN32)
        _pclose(child);
        CloseHandle(LongToHandle(exported));
#else
        pclose(child);
        close(exported);
#endif
        wakes.push_back(static_cast<double>(woke - cancelled) / 1000.0);
    }
    return wakes;
}

int child(const char *value) {
    void *imported = enough_token_import(std::atoi(value));
    if (imported == nullptr) {
        return 2;
    }
    enough::token token = enough::token::attach(static_cast<enough_token *>(imported));
    std::printf("ready\n");
    std::fflush(stdout);
    token.wait();
    std::printf("woke %lld\n", now_ns());
    std::fflush(stdout);
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    if (argc == 3 && std::strcmp(argv[1], "child") == 0) {
        return child(argv[2]);
    }
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const long iterations = quick ? 1000000 : 10000000;
    enough::source source;
    enough::token token = source.token();
    const enough::token_view view(token);
    int sink = 0; // what the loops read, printed: they cannot be dropped
    const double check = ns_per_call(iterations, [&] { sink += view.is_cancelled(); });
    const double flat_check = ns_per_call(iterations, [&] { sink += enough_token_is_cancelled(token.get()); });
    void *const raw_source = source.get();
    const double create_destroy = ns_per_call(iterations / 10, [&] {
        enough_token_destroy(enough_token_create(raw_source));
    });
    const std::vector<double> wakes = in_process_wakes(quick ? 50 : 300);
    const std::vector<double> process_wakes = cross_process_wakes(argv[0], quick ? 10 : 40);
    std::printf("{\"check_ns\": %.3g, \"flat_check_ns\": %.3g, \"token_create_destroy_ns\": %.3g, "
                "\"wake_p50_us\": %.3g, \"wake_p99_us\": %.3g, "
                "\"process_wake_p50_us\": %.3g, \"process_wake_p99_us\": %.3g, \"sink\": %d}\n",
                check, flat_check, create_destroy, percentile(wakes, 0.5), percentile(wakes, 0.99),
                percentile(process_wakes, 0.5), percentile(process_wakes, 0.99), sink & 1);
    return 0;
}
