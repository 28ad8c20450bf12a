// The C++ hop of the test across languages (across_languages.py): a Hop server (the
// callback API, told by the interceptor) that forwards each call to the next server
// with its call's token (after forward_after_ms), and prints what its token saw:
//   start remaining_ms=<ms, -1 without a deadline>
//   end reason=<the token's reason>
// It prints "port <n>" once it listens on 127.0.0.1, then serves until stdin closes.
//   enough_grpc_forwarding_server NEXT_ADDRESS
#include "hop.grpc.pb.h"

#include <enough/grpc.hpp>

#include <cstdio>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>

namespace {

std::mutex output;

void say(const std::string &line) {
    const std::lock_guard lock(output);
    std::printf("%s\n", line.c_str());
    std::fflush(stdout);
}

class forwarding_hop final : public enough::test::Hop::CallbackService {
public:
    explicit forwarding_hop(std::shared_ptr<::grpc::Channel> next) : next_(std::move(next)) {}
    ::grpc::ServerUnaryReactor *Work(::grpc::CallbackServerContext *context, const enough::test::WorkRequest *request,
                                     enough::test::WorkReply *reply) override {
        ::grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        std::thread([=, this] {
            ::grpc::Status status;
            {
                enough::grpc::server_call call(*context);
                const enough::token token = call.token();
                say("start remaining_ms=" + std::to_string(enough_token_remaining_ms(token.get())));
                enough_token_wait(token.get(), request->forward_after_ms()); // works a while first
                ::grpc::ClientContext downstream;
                enough::grpc::client_call follow(downstream, token, next_);
                enough::test::WorkRequest forwarded = *request;
                forwarded.set_hops_left(request->hops_left() - 1);
                status = enough::test::Hop::NewStub(next_)->Work(&downstream, forwarded, reply);
                if (!status.ok()) {
                    enough_token_wait(token.get(), 1000); // the next hop may end first: its deadline
                }
                if (token.is_cancelled()) {
                    status = call.cancelled_status();
                }
                say("end reason=" + std::to_string(enough_token_reason(token.get())));
            }
            reactor->Finish(status);
        }).detach();
        return reactor;
    }

private:
    std::shared_ptr<::grpc::Channel> next_;
};

} // namespace

int main(int argc, char **argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: enough_grpc_forwarding_server NEXT_ADDRESS\n");
        return 64;
    }
    forwarding_hop work(::grpc::CreateChannel(argv[1], ::grpc::InsecureChannelCredentials()));
    auto cancellation = enough::grpc::make_cancellation_service();
    int port = 0;
    ::grpc::ServerBuilder builder;
    builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&work);
    builder.RegisterService(cancellation.get());
    std::vector<std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
    interceptors.push_back(enough::grpc::make_interceptor_factory());
    builder.experimental().SetInterceptorCreators(std::move(interceptors));
    auto server = builder.BuildAndStart();
    say("port " + std::to_string(port));
    for (std::string line; std::getline(std::cin, line);) {
    }
    server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
    return 0;
}
