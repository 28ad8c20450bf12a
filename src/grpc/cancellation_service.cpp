// The Cancellation service of enough::grpc: carries an application reason (256 and
// up) from a client's cancel to the token of the call it names, on the server; and the
// ids of the calls being served that their clients named.
#include "server_side.hpp"

#include "cancellation.grpc.pb.h"

#include <mutex>
#include <unordered_map>

namespace enough::grpc {
namespace detail {
namespace {

struct call_registry {
    std::mutex mutex;
    std::unordered_map<std::string, enough::source> calls;
};
call_registry &registry() {
    static auto *calls = new call_registry(); // never destroyed: calls may end during exit
    return *calls;
}

// A call id as client_call makes them: 32 hexadecimal digits (128 random bits).
bool plausible_call_id(const std::string &id) {
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

} // namespace

bool register_call_id(const std::string &id, const enough::source &source) {
    if (!plausible_call_id(id)) {
        return false;
    }
    const std::lock_guard lock(registry().mutex);
    return registry().calls.emplace(id, source).second; // a duplicate id is ignored
}

void unregister_call_id(const std::string &id) {
    const std::lock_guard lock(registry().mutex);
    registry().calls.erase(id);
}

namespace {

std::optional<enough::source> find_call(const std::string &id) {
    const std::lock_guard lock(registry().mutex);
    const auto found = registry().calls.find(id);
    if (found == registry().calls.end()) {
        return std::nullopt;
    }
    return found->second; // a reference: cancelled by the caller, without our lock
}

class cancellation_service final : public Cancellation::CallbackService {
    ::grpc::ServerUnaryReactor *Cancel(::grpc::CallbackServerContext *context,
                                       const CancelRequest *request, CancelReply *reply) override {
        bool won = false;
        if (request->reason() >= ENOUGH_REASON_FIRST_USER) { // 1 and 2 travel by gRPC itself
            std::optional<enough::source> call = find_call(request->call_id());
            won = call.has_value() && call->cancel(enough::reason{request->reason()});
        }
        reply->set_cancelled(won);
        ::grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        reactor->Finish(::grpc::Status::OK);
        return reactor;
    }
};

} // namespace
} // namespace detail

std::unique_ptr<::grpc::Service> make_cancellation_service() {
    return std::make_unique<detail::cancellation_service>();
}

} // namespace enough::grpc
