// enough::grpc, the client side: a ClientContext follows a token.
#include <enough/grpc.hpp>

#include "cancellation.grpc.pb.h"

#include <chrono>
#include <cstdio>
#include <functional>
#include <mutex>
#include <random>

namespace enough::grpc {
namespace {

// 128 random bits as 32 hexadecimal digits: unguessable, so that nobody else can name
// this call to the server's Cancellation service.
std::string new_call_id() {
    static std::mutex mutex;
    static std::random_device entropy;
    static std::mt19937_64 bits(((uint64_t)entropy() << 32) ^ entropy());
    const std::lock_guard lock(mutex);
    char text[33];
    std::snprintf(text, sizeof text, "%016llx%016llx", static_cast<unsigned long long>(bits()),
                  static_cast<unsigned long long>(bits()));
    return text;
}

} // namespace

// Shared with the token's callback and a Cancellation RPC in flight, which may outlive
// the client_call: `context` is null once the call is over.
struct client_call::state {
    std::mutex mutex;
    ::grpc::ClientContext *context;
    std::shared_ptr<::grpc::Channel> channel;
    std::string call_id;
    std::chrono::system_clock::time_point deadline = std::chrono::system_clock::time_point::max();

    void cancel_call() {
        const std::lock_guard lock(mutex);
        if (context != nullptr) {
            context->TryCancel();
        }
    }
};

namespace {

// One Cancellation RPC, alive until its completion: then the call itself is cancelled
// (after the reason has reached the server, so that the reason wins there).
struct reason_call {
    std::function<void()> then; // cancels the call itself
    ::grpc::ClientContext context;
    CancelRequest request;
    CancelReply reply;
    std::unique_ptr<Cancellation::Stub> stub;
};

} // namespace

client_call::client_call(::grpc::ClientContext &context, enough::token_view token,
                         std::shared_ptr<::grpc::Channel> channel)
    : state_(std::make_shared<state>()) {
    state_->context = &context;
    state_->channel = std::move(channel);
    state_->call_id = new_call_id();
    if (const int64_t left = enough_token_remaining_ms(token.get()); left >= 0) {
        state_->deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(left);
        context.set_deadline(state_->deadline);
    }
    context.AddMetadata(call_id_key, state_->call_id);
    registration_ = enough::token::copy_from(token.get()).on_cancel([shared = state_](enough::reason why) {
        if (why == enough::reason::timed_out &&
            shared->deadline <= std::chrono::system_clock::now() + deadline_grace) {
            return; // the call's own deadline ends it: DEADLINE_EXCEEDED at every hop
        }
        if (static_cast<int32_t>(why) < ENOUGH_REASON_FIRST_USER || shared->channel == nullptr) {
            shared->cancel_call(); // CANCELLED
            return;
        }
        auto *pending = new reason_call{[shared] { shared->cancel_call(); }, {}, {}, {},
                                        Cancellation::NewStub(shared->channel)};
        pending->context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
        pending->request.set_call_id(shared->call_id);
        pending->request.set_reason(static_cast<int32_t>(why));
        pending->stub->async()->Cancel(&pending->context, &pending->request, &pending->reply,
                                       [pending](::grpc::Status) {
                                           pending->then();
                                           delete pending;
                                       });
    });
}

client_call::~client_call() {
    registration_.reset(); // no callback runs after this one returns
    const std::lock_guard lock(state_->mutex);
    state_->context = nullptr; // a Cancellation RPC still in flight leaves it alone
}

} // namespace enough::grpc
