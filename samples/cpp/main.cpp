// A caller's side, in C++, with the projection only: no manual reference counting.
#include "decoder.hpp"

#include <chrono>
#include <cstdio>
#include <future>
#include <thread>

using namespace std::chrono_literals;

namespace {

int run_case(const char *title, enough::source source, enough::reason expected) {
    // The task owns a token (a copy is a reference); the decoder borrows it as a view.
    auto task = std::async(std::launch::async,
                           [token = source.token()] { return sample::decode(1ull << 40, token); });
    if (expected == enough::reason::cancelled) {
        std::this_thread::sleep_for(20ms);
        source.cancel();
    }
    const sample::decode_result result = task.get();
    std::printf("%s: stopped after %zu blocks, reason %d\n", title, result.blocks_done,
                static_cast<int>(result.stopped_by));
    return result.stopped_by == expected ? 0 : 1;
}

} // namespace

int main() {
    int failures = 0;
    failures += run_case("caller cancels", enough::source(), enough::reason::cancelled);

    enough::source timed;
    timed.cancel_after(20ms);
    failures += run_case("deadline passes", timed, enough::reason::timed_out);

    // A request linked to a server-wide shutdown: either one stops the work.
    enough::source shutdown;
    enough::source request = enough::source::linked({shutdown.token()});
    int notified = 0;
    auto on_stop = request.token().on_cancel([&](enough::reason) { ++notified; });
    shutdown.cancel(enough::reason{503});
    failures += request.reason() == enough::reason{503} && notified == 1 ? 0 : 1;
    std::printf("linked request stopped with reason %d; callback ran %d time(s)\n",
                static_cast<int>(request.reason()), notified);

    // The default token never cancels: the decoder runs to the end.
    failures += sample::decode(1000, enough::token()).blocks_done == 1000 ? 0 : 1;
    std::printf("c++ sample: %d failed\n", failures);
    return failures == 0 ? 0 : 1;
}
