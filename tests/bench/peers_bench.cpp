// Ours against the peers users would otherwise pick, in one binary: targets 1-6 of the
// performance brief. Names are "tN/ours", "tN/peer" (and "tN/boxed" for the seed's
// design) so that scripts/perf_report.py can pair them. Run with random interleaving
// and repetitions; compare medians.
#include "boxed_baseline.h"

#include <enough/enough.hpp>

#include <benchmark/benchmark.h>

#include <unistd.h>

#include <array>
#include <optional>
#include <stop_token>

namespace {

// ---- t1: hot-loop check --------------------------------------------------------------
// A loop as a codec writes it: check, stop if asked, else work. ClobberMemory stands for
// the work: the compiler must assume memory changed, so it reloads the word each time.
// One iteration is checks_per_iteration checks.

constexpr int checks_per_iteration = 256;

template <class Stopped>
void hot_loop(benchmark::State &state, Stopped stopped) {
    for (auto _ : state) {
        for (int i = 0; i < checks_per_iteration; ++i) {
            if (stopped()) {
                state.SkipWithError("cancelled");
                return;
            }
            benchmark::ClobberMemory();
        }
    }
}

void t1_ours(benchmark::State &state) {
    enough::source source;
    const enough::token token = source.token();
    const enough::token_view view = token;
    hot_loop(state, [view] { return view.is_cancelled(); });
}
BENCHMARK(t1_ours)->Name("t1/ours");

void t1_peer(benchmark::State &state) {
    std::stop_source source;
    const std::stop_token token = source.get_token();
    hot_loop(state, [&token] { return token.stop_requested(); });
}
BENCHMARK(t1_peer)->Name("t1/peer");

// ---- t13: the hot-loop check through an imported token (its word is in a page shared
// with the exporter), against the same check of the in-process token.

void t13_ours(benchmark::State &state) {
    enough::source source;
    const int fd = source.token().export_fd();
    const enough::token imported = *enough::token::import_fd(fd);
    close(fd);
    const enough::token_view view = imported;
    hot_loop(state, [view] { return view.is_cancelled(); });
}
BENCHMARK(t13_ours)->Name("t13/ours");

void t13_peer(benchmark::State &state) {
    enough::source source;
    const enough::token token = source.token();
    const enough::token_view view = token;
    hot_loop(state, [view] { return view.is_cancelled(); });
}
BENCHMARK(t13_peer)->Name("t13/peer");

// ---- t2: flat check through a shared library ---------------------------------------

void t2_ours(benchmark::State &state) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    for (auto _ : state) {
        benchmark::DoNotOptimize(enough_token_is_cancelled(token));
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}
BENCHMARK(t2_ours)->Name("t2/ours");

void t2_boxed(benchmark::State &state) {
    void *source = boxed_cancellation_create();
    void *token = boxed_token_create(source);
    for (auto _ : state) {
        benchmark::DoNotOptimize(boxed_token_is_cancelled(token));
    }
    boxed_token_destroy(token);
    boxed_cancellation_destroy(source);
}
BENCHMARK(t2_boxed)->Name("t2/boxed");

// ---- t3: token create + destroy ------------------------------------------------------

void t3_ours(benchmark::State &state) {
    void *source = enough_cancellation_create();
    for (auto _ : state) {
        void *token = enough_token_create(source);
        benchmark::DoNotOptimize(token);
        enough_token_destroy(token);
    }
    enough_cancellation_destroy(source);
}
BENCHMARK(t3_ours)->Name("t3/ours");

void t3_peer(benchmark::State &state) {
    std::stop_source source;
    const std::stop_token token = source.get_token();
    for (auto _ : state) {
        std::stop_token copy = token;
        benchmark::DoNotOptimize(copy);
    }
}
BENCHMARK(t3_peer)->Name("t3/peer");

void t3_boxed(benchmark::State &state) {
    void *source = boxed_cancellation_create();
    for (auto _ : state) {
        void *token = boxed_token_create(source);
        benchmark::DoNotOptimize(token);
        boxed_token_destroy(token);
    }
    boxed_cancellation_destroy(source);
}
BENCHMARK(t3_boxed)->Name("t3/boxed");

// ---- t4: source create + destroy -----------------------------------------------------

void t4_ours(benchmark::State &state) {
    for (auto _ : state) {
        void *source = enough_cancellation_create();
        benchmark::DoNotOptimize(source);
        enough_cancellation_destroy(source);
    }
}
BENCHMARK(t4_ours)->Name("t4/ours");

void t4_peer(benchmark::State &state) {
    for (auto _ : state) {
        std::stop_source source;
        benchmark::DoNotOptimize(source);
    }
}
BENCHMARK(t4_peer)->Name("t4/peer");

// ---- t5: callback register + unregister ---------------------------------------------

void ENOUGH_CALL count_call(void *user_data, int32_t) { ++*static_cast<int *>(user_data); }

void t5_ours(benchmark::State &state) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    int calls = 0;
    for (auto _ : state) {
        void *registration = enough_token_register(token, count_call, &calls);
        benchmark::DoNotOptimize(registration);
        enough_registration_destroy(registration);
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}
BENCHMARK(t5_ours)->Name("t5/ours");

struct counting {
    int *calls;
    void operator()() const noexcept { ++*calls; }
};

void t5_peer(benchmark::State &state) {
    std::stop_source source;
    const std::stop_token token = source.get_token();
    int calls = 0;
    for (auto _ : state) {
        std::stop_callback<counting> callback(token, counting{&calls});
        benchmark::DoNotOptimize(callback);
    }
}
BENCHMARK(t5_peer)->Name("t5/peer");

// ---- t6: cancel with 1000 registered callbacks (register, cancel, unregister) ---------

constexpr int callback_count = 1000;

void t6_ours(benchmark::State &state) {
    std::array<void *, callback_count> registrations{};
    int calls = 0;
    for (auto _ : state) {
        void *source = enough_cancellation_create();
        void *token = enough_token_create(source);
        for (auto &registration : registrations) {
            registration = enough_token_register(token, count_call, &calls);
        }
        enough_cancellation_cancel(source);
        for (void *registration : registrations) {
            enough_registration_destroy(registration);
        }
        enough_token_destroy(token);
        enough_cancellation_destroy(source);
    }
    benchmark::DoNotOptimize(calls);
}
BENCHMARK(t6_ours)->Name("t6/ours");

void t6_peer(benchmark::State &state) {
    auto callbacks = std::make_unique<std::array<std::optional<std::stop_callback<counting>>, callback_count>>();
    int calls = 0;
    for (auto _ : state) {
        std::stop_source source;
        const std::stop_token token = source.get_token();
        for (auto &callback : *callbacks) {
            callback.emplace(token, counting{&calls});
        }
        source.request_stop();
        for (auto &callback : *callbacks) {
            callback.reset();
        }
    }
    benchmark::DoNotOptimize(calls);
}
BENCHMARK(t6_peer)->Name("t6/peer");

} // namespace

BENCHMARK_MAIN();
