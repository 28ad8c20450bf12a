// A client that calls the last hop directly and is then killed (SIGKILL) by the test:
// it goes away without cancelling.
//   disconnecting_client ADDRESS
#include "hop.grpc.pb.h"

#include <grpcpp/grpcpp.h>

#include <cstdio>

int main(int argc, char **argv) {
    if (argc != 2) {
        return 64;
    }
    auto stub = enough::test::Hop::NewStub(::grpc::CreateChannel(argv[1], ::grpc::InsecureChannelCredentials()));
    ::grpc::ClientContext context;
    enough::test::WorkRequest request;
    request.set_hops_left(0);
    request.set_loop_limit_ms(60'000);
    enough::test::WorkReply reply;
    std::printf("calling\n");
    std::fflush(stdout);
    stub->Work(&context, request, &reply); // killed in here
    return 0;
}
