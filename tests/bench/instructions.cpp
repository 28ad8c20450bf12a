// Instruction counts of the hot operations, for callgrind (scripts/bench-instructions):
// each function below repeats one operation `times` times, so the instructions
// callgrind attributes to it, divided by `times`, are the cost of one operation:
// repeatable to the instruction, whatever else the machine is doing.
//   enough_instructions OPERATION TIMES
#include <enough/enough.hpp>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stop_token>

extern "C" {

[[gnu::noinline]] void count_token_create_destroy(void *source, long times) {
    for (long i = 0; i < times; ++i) {
        void *token = enough_token_create(source);
        enough_token_destroy(token);
    }
}

[[gnu::noinline]] void count_stop_token_copy(const std::stop_token *token, long times) {
    for (long i = 0; i < times; ++i) {
        std::stop_token copy = *token;
        asm volatile("" : : "r"(&copy) : "memory"); // the copy is made and destroyed
    }
}

[[gnu::noinline]] long count_flat_check(void *token, long times) {
    long seen = 0;
    for (long i = 0; i < times; ++i) {
        seen += enough_token_is_cancelled(token) ? 1 : 0;
    }
    return seen;
}

[[gnu::noinline]] long count_view_check(enough::token_view view, long times) {
    long seen = 0;
    for (long i = 0; i < times; ++i) {
        seen += view.is_cancelled() ? 1 : 0;
        asm volatile("" : : : "memory"); // load the word again each time
    }
    return seen;
}

} // extern "C"

int main(int argc, char **argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: %s token_create_destroy|stop_token_copy|flat_check|view_check TIMES\n", argv[0]);
        return 2;
    }
    const long times = std::strtol(argv[2], nullptr, 10);
    enough::source source;
    enough::token token = source.token();
    std::stop_source stop;
    const std::stop_token stop_token = stop.get_token();
    long seen = 0;
    if (std::strcmp(argv[1], "token_create_destroy") == 0) {
        count_token_create_destroy(source.get(), times);
    } else if (std::strcmp(argv[1], "stop_token_copy") == 0) {
        count_stop_token_copy(&stop_token, times);
    } else if (std::strcmp(argv[1], "flat_check") == 0) {
        seen = count_flat_check(token.get(), times);
    } else if (std::strcmp(argv[1], "view_check") == 0) {
        seen = count_view_check(token, times);
    } else {
        return 2;
    }
    return seen == 0 ? 0 : 1;
}
