// enough::grpc, the server side: server_call (a served call as a source), told of its
// client's cancel by the interceptor, by you (done), or by the watcher; and the
// statuses both sides use.
#include "server_side.hpp"

#include <chrono>

namespace enough::grpc {
namespace {

std::chrono::milliseconds until(std::chrono::system_clock::time_point when) {
    const auto left = when - std::chrono::system_clock::now();
    return left <= left.zero() ? std::chrono::milliseconds(0)
                               : std::chrono::ceil<std::chrono::milliseconds>(left);
}

} // namespace

bool detail::client_cancelled(::grpc::ServerContextBase &context) {
    return std::chrono::system_clock::now() + deadline_grace < context.deadline() && context.IsCancelled();
}

server_call::server_call(::grpc::ServerContextBase &context) : context_(&context) {
    start(context);
    if (detail::attach_to_interceptor(context, source_)) {
        told_by_ = notice::interceptor;
    } else {
        told_by_ = notice::watcher;
        detail::watch(context, source_);
    }
}

server_call::server_call(::grpc::ServerContextBase &context, notified_t)
    : context_(&context), told_by_(notice::notified) {
    start(context);
}

// The deadline, by the source's own timer, and the call id a client named it by.
void server_call::start(::grpc::ServerContextBase &context) {
    const auto deadline = context.deadline();
    if (deadline != std::chrono::system_clock::time_point::max()) {
        source_.cancel_after(until(deadline)); // grpc-timeout: timed_out
    }
    const auto &metadata = context.client_metadata();
    if (const auto found = metadata.find(call_id_key); found != metadata.end()) {
        std::string id(found->second.data(), found->second.size());
        if (detail::register_call_id(id, source_)) {
            call_id_ = std::move(id);
        }
    }
}

server_call::~server_call() {
    if (!call_id_.empty()) {
        detail::unregister_call_id(call_id_);
    }
    switch (told_by_) { // after this, nothing asks the context again
    case notice::interceptor:
        detail::detach_from_interceptor(*context_);
        break;
    case notice::watcher:
        detail::unwatch(*context_);
        break;
    case notice::notified:
        break;
    }
}

void server_call::done() {
    if (detail::client_cancelled(*context_)) {
        source_.cancel(enough::reason::cancelled);
    }
}

::grpc::Status server_call::cancelled_status() const { return status_for(source_.reason()); }

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
