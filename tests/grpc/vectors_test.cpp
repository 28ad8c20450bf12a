// The gRPC protocol's shared vectors (docs/grpc-vectors.txt), which the Python and Go
// peers check too: the messages as protobuf encodes them, the call ids and reasons a
// server accepts, the statuses both ways.
#include "cancellation.grpc.pb.h"
#include "server_side.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <vector>

namespace {

std::vector<std::vector<std::string>> vectors() {
    std::ifstream file(ENOUGH_GRPC_VECTORS);
    std::vector<std::vector<std::string>> lines;
    for (std::string line; std::getline(file, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream words(line);
        std::vector<std::string> fields;
        for (std::string word; words >> word;) {
            fields.push_back(word == "-" ? "" : word);
        }
        lines.push_back(fields);
    }
    return lines;
}

std::string hex(const std::string &bytes) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (const unsigned char byte : bytes) {
        out += digits[byte >> 4];
        out += digits[byte & 15];
    }
    return out;
}

const std::map<std::string, ::grpc::StatusCode> codes = {
    {"OK", ::grpc::StatusCode::OK}, {"CANCELLED", ::grpc::StatusCode::CANCELLED},
    {"DEADLINE_EXCEEDED", ::grpc::StatusCode::DEADLINE_EXCEEDED},
    {"UNAVAILABLE", ::grpc::StatusCode::UNAVAILABLE}, {"INTERNAL", ::grpc::StatusCode::INTERNAL}};

TEST(GrpcProtocol, TheSharedVectors) {
    int checked = 0;
    for (const auto &v : vectors()) {
        SCOPED_TRACE(v[0] + " " + v[1]);
        if (v[0] == "key") {
            if (v[1] == "metadata") {
                EXPECT_EQ(v[2], enough::grpc::call_id_key);
            } else if (v[1] == "method") {
                EXPECT_EQ(v[2], "/" + std::string(enough::grpc::Cancellation::service_full_name()) + "/Cancel");
            } else {
                EXPECT_EQ(std::stoll(v[2]), enough::grpc::deadline_grace.count());
            }
        } else if (v[0] == "call_id") {
            enough::source source;
            const bool registered = enough::grpc::detail::register_call_id(v[2], source);
            EXPECT_EQ(registered, v[1] == "valid");
            if (registered) {
                enough::grpc::detail::unregister_call_id(v[2]);
            }
        } else if (v[0] == "request") {
            enough::grpc::CancelRequest request;
            request.set_call_id(v[1]);
            request.set_reason(std::stoi(v[2]));
            EXPECT_EQ(hex(request.SerializeAsString()), v[3]);
        } else if (v[0] == "reply") {
            enough::grpc::CancelReply reply;
            reply.set_cancelled(v[1] == "true");
            EXPECT_EQ(hex(reply.SerializeAsString()), v[2]);
        } else if (v[0] == "accepts") {
            // Through the service itself, as a client would ask it.
            enough::source source;
            const std::string id = "0123456789abcdef0123456789abcdef";
            ASSERT_TRUE(enough::grpc::detail::register_call_id(id, source));
            auto service = enough::grpc::make_cancellation_service();
            ::grpc::ServerBuilder builder;
            int port = 0;
            builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
            builder.RegisterService(service.get());
            auto server = builder.BuildAndStart();
            auto stub = enough::grpc::Cancellation::NewStub(
                ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port), ::grpc::InsecureChannelCredentials()));
            ::grpc::ClientContext context;
            enough::grpc::CancelRequest request;
            request.set_call_id(id);
            request.set_reason(std::stoi(v[1]));
            enough::grpc::CancelReply reply;
            ASSERT_TRUE(stub->Cancel(&context, request, &reply).ok());
            EXPECT_EQ(reply.cancelled(), v[2] == "yes");
            EXPECT_EQ(source.is_cancelled(), v[2] == "yes");
            enough::grpc::detail::unregister_call_id(id);
            server->Shutdown();
        } else if (v[0] == "status") {
            EXPECT_EQ(enough::grpc::status_for(enough::reason{std::stoi(v[1])}).error_code(), codes.at(v[2]));
        } else if (v[0] == "reason") {
            EXPECT_EQ(static_cast<int32_t>(enough::grpc::reason_for(::grpc::Status(codes.at(v[1]), ""))),
                      std::stoi(v[2]));
        } else {
            ADD_FAILURE() << "unknown vector";
        }
        ++checked;
    }
    EXPECT_GT(checked, 30);
}

} // namespace
