// Figures Google Benchmark does not measure well, ours next to the peer in one run:
//   t7  heap bytes per source and per extra token (ours vs the seed's boxed design)
//   t9  wake latency of a blocked wait after cancel (ours vs condition_variable_any
//       waiting with a std::stop_token), trials interleaved
//   t10 polling throughput of one token while another thread clones and destroys
//       handles of it, against the quiet case (quiet and busy rounds interleaved)
//   t14 wake latency of a wait blocked in a child process on an imported token after
//       the parent cancels, against the same wait in-process (trials interleaved)
// and deadline lateness and heap growth under linked-source churn (issue 3's figures).
//
//   enough_measure [--quick]    prints one JSON object
#include "boxed_baseline.h"

#include <enough/enough.hpp>

#include <malloc.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}
double median(std::vector<double> values) { return percentile(std::move(values), 0.5); }
double micros(clock_type::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }
long long heap_in_use() { return static_cast<long long>(mallinfo2().uordblks); }

std::vector<std::string> fields;
void emit(const char *name, double value) {
    char line[160];
    std::snprintf(line, sizeof line, "\"%s\": %.4g", name, value);
    fields.emplace_back(line);
}

// ---- t7 ---------------------------------------------------------------------------

template <class Create, class Destroy>
double heap_bytes_per_object(int count, Create create, Destroy destroy) {
    std::vector<void *> objects(static_cast<std::size_t>(count));
    const long long before = heap_in_use();
    for (auto &object : objects) {
        object = create();
    }
    const long long after = heap_in_use();
    for (void *object : objects) {
        destroy(object);
    }
    return static_cast<double>(after - before) / count;
}

void memory(int count) {
    // Sources: a fresh thread, so that no cached block hides an allocation.
    std::thread([count] {
        emit("t7_source_bytes_ours", heap_bytes_per_object(count, enough_cancellation_create,
                                                           enough_cancellation_destroy));
        emit("t7_source_bytes_boxed", heap_bytes_per_object(count, boxed_cancellation_create,
                                                            boxed_cancellation_destroy));
        void *source = enough_cancellation_create();
        emit("t7_token_bytes_ours", heap_bytes_per_object(
                                        count, [source] { return enough_token_create(source); },
                                        enough_token_destroy));
        enough_cancellation_destroy(source);
        void *boxed = boxed_cancellation_create();
        emit("t7_token_bytes_boxed", heap_bytes_per_object(
                                         count, [boxed] { return boxed_token_create(boxed); },
                                         boxed_token_destroy));
        boxed_cancellation_destroy(boxed);
    }).join();
}

// ---- t9 ---------------------------------------------------------------------------

// One trial: a thread blocks in wait(); we cancel at t0; it notes t1 when it returns.
double wake_once(const std::function<void()> &wait, const std::function<void()> &cancel) {
    std::atomic<bool> ready{false};
    std::atomic<clock_type::rep> woke{0};
    std::thread waiter([&] {
        ready.store(true);
        wait();
        woke.store(clock_type::now().time_since_epoch().count());
    });
    while (!ready.load()) {
        std::this_thread::yield();
    }
    std::this_thread::sleep_for(std::chrono::microseconds(300)); // let it block
    const auto t0 = clock_type::now();
    cancel();
    waiter.join();
    return micros(clock_type::time_point(clock_type::duration(woke.load())) - t0);
}

void wake_latency(int trials) {
    std::vector<double> ours;
    std::vector<double> peer;
    for (int i = 0; i < trials; ++i) {
        {
            enough::source source;
            const enough::token token = source.token();
            ours.push_back(wake_once([&] { token.wait(); }, [&] { source.cancel(); }));
        }
        {
            std::stop_source stop;
            std::mutex mutex;
            std::condition_variable_any cv;
            peer.push_back(wake_once(
                [&] {
                    std::unique_lock lock(mutex);
                    cv.wait(lock, stop.get_token(), [] { return false; });
                },
                [&] { stop.request_stop(); }));
        }
    }
    emit("t9_wake_p50_us_ours", percentile(ours, 0.5));
    emit("t9_wake_p99_us_ours", percentile(ours, 0.99));
    emit("t9_wake_p50_us_peer", percentile(peer, 0.5));
    emit("t9_wake_p99_us_peer", percentile(peer, 0.99));
}

// ---- t14 --------------------------------------------------------------------------

// One trial across processes: a forked child imports the token, blocks in wait(), and
// writes when it woke (CLOCK_MONOTONIC is the same clock in both processes).
double wake_in_child_once() {
    enough::source source;
    const int fd = source.token().export_fd();
    int ready[2];
    int woke[2];
    if (fd < 0 || pipe(ready) != 0 || pipe(woke) != 0) {
        return -1;
    }
    const pid_t child = fork();
    if (child == 0) {
        const std::optional<enough::token> imported = enough::token::import_fd(fd);
        const char one = 1;
        [[maybe_unused]] ssize_t n = write(ready[1], &one, 1);
        imported->wait();
        const auto at = clock_type::now().time_since_epoch().count();
        n = write(woke[1], &at, sizeof at);
        _exit(0);
    }
    char one = 0;
    [[maybe_unused]] ssize_t n = read(ready[0], &one, 1);
    std::this_thread::sleep_for(std::chrono::microseconds(300)); // let it block
    const auto t0 = clock_type::now();
    source.cancel();
    clock_type::rep at = 0;
    n = read(woke[0], &at, sizeof at);
    waitpid(child, nullptr, 0);
    for (int end : {ready[0], ready[1], woke[0], woke[1], fd}) {
        close(end);
    }
    return micros(clock_type::time_point(clock_type::duration(at)) - t0);
}

void wake_latency_across_processes(int trials) {
    std::vector<double> child;
    std::vector<double> in_process;
    for (int i = 0; i < trials; ++i) {
        child.push_back(wake_in_child_once());
        enough::source source;
        const enough::token token = source.token();
        in_process.push_back(wake_once([&] { token.wait(); }, [&] { source.cancel(); }));
    }
    emit("t14_wake_p50_us_child", percentile(child, 0.5));
    emit("t14_wake_p99_us_child", percentile(child, 0.99));
    emit("t14_wake_p50_us_in_process", percentile(in_process, 0.5));
    emit("t14_wake_p99_us_in_process", percentile(in_process, 0.99));
}

// ---- t10 --------------------------------------------------------------------------

// Polls a view of the token for `duration`; returns checks per microsecond.
double poll_rate(const enough::token_view view, std::chrono::milliseconds duration) {
    std::atomic<bool> stop{false};
    std::thread timer([&] {
        std::this_thread::sleep_for(duration);
        stop.store(true, std::memory_order_relaxed);
    });
    const auto start = clock_type::now();
    unsigned long long checks = 0;
    while (!stop.load(std::memory_order_relaxed)) {
        for (int i = 0; i < 1024; ++i) {
            if (view.is_cancelled()) {
                break;
            }
            ++checks;
        }
    }
    const double elapsed = micros(clock_type::now() - start);
    timer.join();
    return static_cast<double>(checks) / elapsed;
}

void scale(int rounds) {
    enough::source source;
    const enough::token token = source.token();
    std::vector<double> quiet;
    std::vector<double> busy;
    for (int round = 0; round < rounds; ++round) {
        quiet.push_back(poll_rate(token, std::chrono::milliseconds(100)));
        std::atomic<bool> done{false};
        std::thread churn([&] {
            void *handle = token.get();
            while (!done.load(std::memory_order_relaxed)) {
                enough_token_destroy(enough_token_clone(handle));
            }
        });
        busy.push_back(poll_rate(token, std::chrono::milliseconds(100)));
        done.store(true);
        churn.join();
    }
    emit("t10_polls_per_us_quiet", median(quiet));
    emit("t10_polls_per_us_busy", median(busy));
}

// ---- issue 3's figures ------------------------------------------------------------

void deadline_lateness(int trials) {
    std::vector<double> late;
    for (int i = 0; i < trials; ++i) {
        enough::source source;
        const enough::token token = source.token();
        const auto armed = clock_type::now();
        source.cancel_after(std::chrono::milliseconds(5));
        token.wait();
        late.push_back(micros(clock_type::now() - armed) - 5000.0);
    }
    emit("deadline_late_p50_us", percentile(late, 0.5));
    emit("deadline_late_p99_us", percentile(late, 0.99));
    emit("deadline_late_min_us", *std::min_element(late.begin(), late.end()));
}

void linked_churn(int cycles) {
    enough::source parent;
    const enough::token parent_token = parent.token();
    void *parents[] = {parent_token.get()};
    for (int i = 0; i < 1000; ++i) { // steady state first
        enough_cancellation_destroy(enough_cancellation_create_linked(parents, 1));
    }
    const long long before = heap_in_use();
    const auto start = clock_type::now();
    for (int i = 0; i < cycles; ++i) {
        enough_cancellation_destroy(enough_cancellation_create_linked(parents, 1));
    }
    emit("linked_cycles", cycles);
    emit("linked_cycle_ns", micros(clock_type::now() - start) * 1000.0 / cycles);
    emit("linked_heap_growth_bytes", static_cast<double>(heap_in_use() - before));
}

} // namespace

int main(int argc, char **argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    // Slab headers and the current slab's uncarved tail are counted too, amortized over
    // this many live sources (the figure approaches 64 bytes from above as it grows).
    memory(quick ? 20'000 : 200'000);
    wake_latency(quick ? 100 : 1000);
    wake_latency_across_processes(quick ? 50 : 300);
    scale(quick ? 3 : 9);
    deadline_lateness(quick ? 20 : 200);
    linked_churn(quick ? 100'000 : 1'000'000);
    std::printf("{\n");
    for (std::size_t i = 0; i < fields.size(); ++i) {
        std::printf("  %s%s\n", fields[i].c_str(), i + 1 < fields.size() ? "," : "");
    }
    std::printf("}\n");
    return 0;
}
