// gRPC sample: a client calls a gateway service, which calls a transcoder service,
// which runs a long native loop polling its token. Both services are on 127.0.0.1
// (ports chosen by the system), in this process for the sample's sake; each could
// be on another machine. The client cancels one job and gives another a deadline:
// either way the loop two hops away stops. With --serve it only serves, for the
// Python client (client.py): the same chain, begun in another language.
#include <enough/grpc.hpp>

#include "transcode.grpc.pb.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace {

using namespace std::chrono_literals;

// The native code at the end of the chain: a long loop that checks its token.
int64_t transcode(int64_t frames, enough::token_view token) {
    int64_t done = 0;
    while (done < frames && !token.is_cancelled()) {
        std::this_thread::sleep_for(100us); // one frame's work
        ++done;
    }
    return done;
}

std::atomic<int> jobs_ended{0}; // so that the client prints after the transcoder

class transcoder final : public sample::Transcoder::Service {
    ::grpc::Status Transcode(::grpc::ServerContext *context, const sample::Job *job,
                             sample::Done *done) override {
        enough::grpc::server_call call(*context); // cancelled by the client, or the deadline
        const enough::token token = call.token();
        done->set_frames_done(transcode(job->frames(), token));
        std::printf("  transcoder: stopped after %lld frames: %s\n", static_cast<long long>(done->frames_done()),
                    call.cancelled_status().error_message().c_str());
        std::fflush(stdout); // in order with the client's lines, when stdout is a pipe
        jobs_ended.fetch_add(1);
        return token.is_cancelled() ? call.cancelled_status() : ::grpc::Status::OK;
    }
};

class gateway final : public sample::Transcoder::Service {
public:
    explicit gateway(std::shared_ptr<::grpc::Channel> next) : next_(std::move(next)) {}
    ::grpc::Status Transcode(::grpc::ServerContext *context, const sample::Job *job,
                             sample::Done *done) override {
        enough::grpc::server_call call(*context);
        ::grpc::ClientContext onward;
        enough::grpc::client_call follow(onward, call.token(), next_); // passes the token on
        return sample::Transcoder::NewStub(next_)->Transcode(&onward, *job, done);
    }

private:
    std::shared_ptr<::grpc::Channel> next_;
};

struct server {
    std::unique_ptr<::grpc::Server> grpc;
    std::string address;
};

server start(::grpc::Service &service, ::grpc::Service &cancellation) {
    int port = 0;
    ::grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&service);
    builder.RegisterService(&cancellation);
    server started{builder.BuildAndStart(), {}};
    started.address = "127.0.0.1:" + std::to_string(port);
    return started;
}

::grpc::Status run_job(const std::shared_ptr<::grpc::Channel> &gateway_channel, enough::source &source) {
    ::grpc::ClientContext context;
    enough::grpc::client_call follow(context, source.token(), gateway_channel);
    sample::Job job;
    job.set_frames(100'000); // about 10 s of work: it will not get that far
    sample::Done done;
    const int ended = jobs_ended.load();
    ::grpc::Status status = sample::Transcoder::NewStub(gateway_channel)->Transcode(&context, job, &done);
    while (jobs_ended.load() == ended) { // the transcoder's own report first
        std::this_thread::sleep_for(1ms);
    }
    return status;
}

} // namespace

int main(int argc, char **argv) {
    auto cancellation = enough::grpc::make_cancellation_service();
    transcoder back;
    server transcoder_server = start(back, *cancellation);
    auto to_transcoder = ::grpc::CreateChannel(transcoder_server.address, ::grpc::InsecureChannelCredentials());
    gateway front(to_transcoder);
    server gateway_server = start(front, *cancellation);
    auto to_gateway = ::grpc::CreateChannel(gateway_server.address, ::grpc::InsecureChannelCredentials());

    if (argc > 1 && std::string(argv[1]) == "--serve") {
        // The services for a client in another language (client.py): the gateway's
        // address on stdout, then serve until stdin closes.
        std::printf("gateway %s\n", gateway_server.address.c_str());
        std::fflush(stdout);
        while (std::getchar() != EOF) {
        }
        gateway_server.grpc->Shutdown();
        transcoder_server.grpc->Shutdown();
        return 0;
    }

    int failures = 0;
    std::printf("job 1: the client cancels after 100 ms\n");
    {
        enough::source source;
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            source.cancel();
        });
        const auto start_time = std::chrono::steady_clock::now();
        const ::grpc::Status status = run_job(to_gateway, source);
        canceller.join();
        const auto took = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_time);
        std::printf("  client: %s after %.0f ms\n", status.error_message().c_str(), took.count());
        failures += status.error_code() == ::grpc::StatusCode::CANCELLED ? 0 : 1;
    }
    std::printf("job 2: the client gives it 150 ms\n");
    {
        enough::source source;
        source.cancel_after(150ms);
        const ::grpc::Status status = run_job(to_gateway, source);
        std::printf("  client: %s\n", status.error_message().c_str());
        failures += status.error_code() == ::grpc::StatusCode::DEADLINE_EXCEEDED ? 0 : 1;
    }
    std::printf("job 3: the client cancels with its own reason, 4242\n");
    {
        enough::source source;
        std::thread canceller([&] {
            std::this_thread::sleep_for(100ms);
            source.cancel(enough::reason{4242});
        });
        const ::grpc::Status status = run_job(to_gateway, source);
        canceller.join();
        std::printf("  client: %s\n", status.error_message().c_str());
        failures += status.error_code() == ::grpc::StatusCode::CANCELLED ? 0 : 1;
    }
    gateway_server.grpc->Shutdown();
    transcoder_server.grpc->Shutdown();
    std::printf(failures == 0 ? "all jobs stopped as asked\n" : "%d jobs did not\n", failures);
    return failures == 0 ? 0 : 1;
}
