// Latencies and memory that Google Benchmark does not measure well: deadline lateness,
// wake latency of a blocked wait (ours and std::condition_variable_any with a
// std::stop_token), and heap in use after a million linked-source cycles.
//
//   enough_latency [--quick]      prints "name value unit" lines
#include <enough/enough.hpp>

#include <malloc.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace {

using clock_type = std::chrono::steady_clock;

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    const auto index = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
    return values[index];
}

void report(const char *name, const std::vector<double> &values, const char *unit) {
    std::printf("%s_p50 %.1f %s\n", name, percentile(values, 0.50), unit);
    std::printf("%s_p99 %.1f %s\n", name, percentile(values, 0.99), unit);
}

double micros(clock_type::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

void deadline_lateness(int trials) {
    std::vector<double> late;
    for (int i = 0; i < trials; ++i) {
        enough::source source;
        std::atomic<clock_type::rep> fired{0};
        auto registration = source.token().on_cancel(
            [&](enough::reason) { fired.store(clock_type::now().time_since_epoch().count()); });
        const auto armed = clock_type::now();
        source.cancel_after(std::chrono::milliseconds(5));
        while (fired.load() == 0) {
            std::this_thread::sleep_for(std::chrono::microseconds(200));
        }
        const auto at = clock_type::time_point(clock_type::duration(fired.load()));
        late.push_back(micros(at - armed) - 5000.0);
    }
    report("deadline_lateness", late, "us");
    std::printf("deadline_earliest %.1f us\n", *std::min_element(late.begin(), late.end()));
}

// Cancel at t0 from this thread; the blocked waiter takes t1 when it returns.
template <class Setup>
std::vector<double> wake_latency(int trials, Setup setup) {
    std::vector<double> latency;
    for (int i = 0; i < trials; ++i) {
        std::atomic<bool> waiting{false};
        std::atomic<clock_type::rep> woke{0};
        auto [wait, cancel] = setup();
        std::thread waiter([&] {
            waiting.store(true);
            wait();
            woke.store(clock_type::now().time_since_epoch().count());
        });
        while (!waiting.load()) {
            std::this_thread::yield();
        }
        std::this_thread::sleep_for(std::chrono::microseconds(300)); // let it block
        const auto t0 = clock_type::now();
        cancel();
        waiter.join();
        latency.push_back(micros(clock_type::time_point(clock_type::duration(woke.load())) - t0));
    }
    return latency;
}

void wake_latencies(int trials) {
    report("wait_wake_enough", wake_latency(trials, [] {
        auto source = std::make_shared<enough::source>();
        return std::pair{[source] { source->token().wait(); }, [source] { source->cancel(); }};
    }), "us");
    report("wait_wake_std_cv_any", wake_latency(trials, [] {
        struct shared {
            std::stop_source stop;
            std::mutex mutex;
            std::condition_variable_any cv;
        };
        auto s = std::make_shared<shared>();
        return std::pair{[s] {
                             std::unique_lock lock(s->mutex);
                             s->cv.wait(lock, s->stop.get_token(), [] { return false; });
                         },
                         [s] { s->stop.request_stop(); }};
    }), "us");
}

void linked_churn_memory(int cycles) {
    enough::source parent;
    const enough::token parent_token = parent.token();
    void *parents[] = {parent_token.get()};
    // Warm up the allocator so the figures compare steady states.
    for (int i = 0; i < 1000; ++i) {
        enough_cancellation_destroy(enough_cancellation_create_linked(parents, 1));
    }
    const auto before = mallinfo2().uordblks;
    const auto start = clock_type::now();
    for (int i = 0; i < cycles; ++i) {
        enough_cancellation_destroy(enough_cancellation_create_linked(parents, 1));
    }
    const double elapsed_ns = std::chrono::duration<double, std::nano>(clock_type::now() - start).count();
    const auto after = mallinfo2().uordblks;
    std::printf("linked_cycles %d count\n", cycles);
    std::printf("linked_heap_growth %lld bytes\n",
                static_cast<long long>(after) - static_cast<long long>(before));
    std::printf("linked_cycle_time %.1f ns\n", elapsed_ns / cycles);
}

} // namespace

int main(int argc, char **argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    deadline_lateness(quick ? 20 : 200);
    wake_latencies(quick ? 100 : 1000);
    linked_churn_memory(quick ? 100'000 : 1'000'000);
    return 0;
}
