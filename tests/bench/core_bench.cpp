// Core costs, ours next to std::stop_token's, in one binary and one run.
#include <enough/enough.hpp>

#include <benchmark/benchmark.h>

#include <stop_token>

namespace {

void flat_token_create_destroy(benchmark::State &state) {
    void *source = enough_cancellation_create();
    for (auto _ : state) {
        void *token = enough_token_create(source);
        benchmark::DoNotOptimize(token);
        enough_token_destroy(token);
    }
    enough_cancellation_destroy(source);
}
BENCHMARK(flat_token_create_destroy);

void std_stop_token_copy(benchmark::State &state) {
    std::stop_source source;
    const std::stop_token token = source.get_token();
    for (auto _ : state) {
        std::stop_token copy = token;
        benchmark::DoNotOptimize(copy);
    }
}
BENCHMARK(std_stop_token_copy);

void flat_token_is_cancelled(benchmark::State &state) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    for (auto _ : state) {
        benchmark::DoNotOptimize(enough_token_is_cancelled(token));
    }
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
}
BENCHMARK(flat_token_is_cancelled);

void token_view_is_cancelled(benchmark::State &state) {
    enough::source source;
    const enough::token token = source.token();
    const enough::token_view view = token;
    for (auto _ : state) {
        benchmark::DoNotOptimize(view.is_cancelled());
    }
}
BENCHMARK(token_view_is_cancelled);

void std_stop_requested(benchmark::State &state) {
    std::stop_source source;
    const std::stop_token token = source.get_token();
    for (auto _ : state) {
        benchmark::DoNotOptimize(token.stop_requested());
    }
}
BENCHMARK(std_stop_requested);

void flat_source_create_destroy(benchmark::State &state) {
    for (auto _ : state) {
        void *source = enough_cancellation_create();
        benchmark::DoNotOptimize(source);
        enough_cancellation_destroy(source);
    }
}
BENCHMARK(flat_source_create_destroy);

void std_stop_source_create_destroy(benchmark::State &state) {
    for (auto _ : state) {
        std::stop_source source;
        benchmark::DoNotOptimize(source);
    }
}
BENCHMARK(std_stop_source_create_destroy);

} // namespace

BENCHMARK_MAIN();
