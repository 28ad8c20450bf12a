// The gRPC figure for docs/performance.md: from a client's cancel to the native loop
// two hops away returning (enough::grpc, hop_service.hpp), against gRPC's own
// cancellation (TryCancel) reaching a one-hop handler that polls IsCancelled(),
// trials interleaved. Prints one JSON object.
//   enough_grpc_measure [--quick]
#include "hop_service.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <thread>

namespace {

using clock_type = std::chrono::steady_clock;

// gRPC alone: the handler polls its context.
class polling_hop final : public enough::test::Hop::Service {
public:
    ::grpc::Status Work(::grpc::ServerContext *context, const enough::test::WorkRequest *,
                        enough::test::WorkReply *) override {
        {
            const std::lock_guard lock(report.mutex);
            ++report.started;
        }
        report.changed.notify_all();
        while (!context->IsCancelled()) {
        }
        const auto stopped = clock_type::now();
        {
            const std::lock_guard lock(report.mutex);
            report.stopped_at = stopped;
            ++report.finished;
        }
        report.changed.notify_all();
        return ::grpc::Status::CANCELLED;
    }
    enough_test::loop_report report;
};

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

} // namespace

int main(int argc, char **argv) {
    const int trials = argc > 1 && std::strcmp(argv[1], "--quick") == 0 ? 20 : 200;
    enough_test::hop_chain chain(3);
    polling_hop plain;
    int port = 0;
    ::grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&plain);
    auto plain_server = builder.BuildAndStart();
    auto plain_channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port),
                                               ::grpc::InsecureChannelCredentials());
    std::vector<double> ours;
    std::vector<double> theirs;
    for (int i = 0; i < trials; ++i) {
        {
            enough::source source;
            std::thread client([&] {
                ::grpc::ClientContext context;
                enough::grpc::client_call follow(context, source.token(), chain.entry());
                enough::test::WorkRequest request;
                request.set_hops_left(2);
                request.set_loop_limit_ms(20'000);
                enough::test::WorkReply reply;
                enough::test::Hop::NewStub(chain.entry())->Work(&context, request, &reply);
            });
            chain.report().wait_started(i + 1);
            const auto t0 = clock_type::now();
            source.cancel();
            chain.report().wait_finished(i + 1);
            ours.push_back(std::chrono::duration<double, std::milli>(chain.report().stopped_at - t0).count());
            client.join();
        }
        {
            ::grpc::ClientContext context;
            std::thread client([&] {
                enough::test::WorkRequest request;
                enough::test::WorkReply reply;
                enough::test::Hop::NewStub(plain_channel)->Work(&context, request, &reply);
            });
            plain.report.wait_started(i + 1);
            const auto t0 = clock_type::now();
            context.TryCancel();
            plain.report.wait_finished(i + 1);
            theirs.push_back(std::chrono::duration<double, std::milli>(plain.report.stopped_at - t0).count());
            client.join();
        }
    }
    plain_server->Shutdown();
    std::printf("{\n  \"grpc_trials\": %d,\n", trials);
    std::printf("  \"grpc_two_hops_p50_ms\": %.4g,\n  \"grpc_two_hops_p99_ms\": %.4g,\n",
                percentile(ours, 0.5), percentile(ours, 0.99));
    std::printf("  \"grpc_plain_one_hop_p50_ms\": %.4g,\n  \"grpc_plain_one_hop_p99_ms\": %.4g\n}\n",
                percentile(theirs, 0.5), percentile(theirs, 0.99));
    return 0;
}
