// enough::grpc, the server side: server_call, and the Cancellation service that
// carries application reasons to it.
#include <enough/grpc.hpp>

#include "cancellation.grpc.pb.h"

#include <chrono>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace enough::grpc {
namespace {

// The calls being served that a client named (call id -> their source), for the
// Cancellation service. Never destroyed: calls may end during exit.
struct call_registry {
    std::mutex mutex;
    std::unordered_map<std::string, enough::source> calls;
};
call_registry &registry() {
    static auto *calls = new call_registry();
    return *calls;
}

// A call id as client_call makes them: 32 hexadecimal digits (128 random bits).
bool plausible_call_id(const std::string &id) {
    return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

std::chrono::milliseconds until(std::chrono::system_clock::time_point when) {
    const auto left = when - std::chrono::system_clock::now();
    return left <= left.zero() ? std::chrono::milliseconds(0)
                               : std::chrono::ceil<std::chrono::milliseconds>(left);
}

class cancellation_service final : public Cancellation::CallbackService {
    ::grpc::ServerUnaryReactor *Cancel(::grpc::CallbackServerContext *context,
                                       const CancelRequest *request, CancelReply *reply) override {
        bool won = false;
        if (request->reason() >= ENOUGH_REASON_FIRST_USER) { // 1 and 2 travel by gRPC itself
            std::optional<enough::source> call;
            {
                const std::lock_guard lock(registry().mutex);
                const auto found = registry().calls.find(request->call_id());
                if (found != registry().calls.end()) {
                    call = found->second; // a reference: cancelled below, without our lock
                }
            }
            won = call.has_value() && call->cancel(enough::reason{request->reason()});
        }
        reply->set_cancelled(won);
        ::grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        reactor->Finish(::grpc::Status::OK);
        return reactor;
    }
};

} // namespace

// A token of ours that asks the call's context: cancelled once the client cancels or
// goes away, unless the deadline is less than deadline_grace away (the deadline is the
// source's own, and says timed_out). It can only be polled, so the library watches it (every millisecond)
// for the source linked to it. Detached, it never touches the context again.
struct server_call::watch : enough::implements<watch, enough_token> {
    explicit watch(::grpc::ServerContextBase &context) : context_(&context) {}
    bool is_cancelled() {
        const std::lock_guard lock(mutex_);
        return context_ != nullptr &&
               std::chrono::system_clock::now() + deadline_grace < context_->deadline() &&
               context_->IsCancelled();
    }
    bool may_cancel() {
        const std::lock_guard lock(mutex_);
        return context_ != nullptr;
    }
    void detach() {
        const std::lock_guard lock(mutex_);
        context_ = nullptr;
    }

private:
    std::mutex mutex_; // is_cancelled (the library's thread) against detach (the handler)
    ::grpc::ServerContextBase *context_;
};

server_call::server_call(::grpc::ServerContextBase &context)
    : watched_(enough::make_token<watch>(context)), source_(enough::source::linked({watched_})) {
    const auto deadline = context.deadline();
    if (deadline != std::chrono::system_clock::time_point::max()) {
        source_.cancel_after(until(deadline)); // grpc-timeout: timed_out, by our own timer
    }
    const auto &metadata = context.client_metadata();
    if (const auto found = metadata.find(call_id_key); found != metadata.end()) {
        std::string id(found->second.data(), found->second.size());
        if (plausible_call_id(id)) {
            const std::lock_guard lock(registry().mutex);
            if (registry().calls.emplace(id, source_).second) { // a duplicate id is ignored
                call_id_ = std::move(id);
            }
        }
    }
}

server_call::~server_call() {
    if (!call_id_.empty()) {
        const std::lock_guard lock(registry().mutex);
        registry().calls.erase(call_id_);
    }
    watch::self(watched_.get())->detach(); // the context may go after this
}

::grpc::Status server_call::cancelled_status() const { return status_for(source_.reason()); }

std::unique_ptr<::grpc::Service> make_cancellation_service() {
    return std::make_unique<cancellation_service>();
}

::grpc::Status status_for(enough::reason why) {
    switch (why) {
    case enough::reason::none:
        return ::grpc::Status::OK;
    case enough::reason::timed_out:
        return {::grpc::StatusCode::DEADLINE_EXCEEDED, "enough: timed out"};
    default:
        return {::grpc::StatusCode::CANCELLED,
                "enough: cancelled (reason " + std::to_string(static_cast<int32_t>(why)) + ")"};
    }
}

enough::reason reason_for(const ::grpc::Status &status) {
    switch (status.error_code()) {
    case ::grpc::StatusCode::CANCELLED:
        return enough::reason::cancelled;
    case ::grpc::StatusCode::DEADLINE_EXCEEDED:
        return enough::reason::timed_out;
    default:
        return enough::reason::none;
    }
}

} // namespace enough::grpc
