// The server interceptor that pushes a client's cancel to the server_call of a call
// served by the callback API: gRPC runs its POST_RECV_CLOSE hook on one of its callback
// threads as soon as the client cancels or goes away (or when the call ends). For the
// synchronous API it runs that hook only after the handler has returned (measured:
// 200 ms late for a 300 ms handler), so those calls are left to the watcher.
#include "server_side.hpp"

#include <mutex>
#include <unordered_map>

namespace enough::grpc::detail {
namespace {

using ::grpc::experimental::InterceptionHookPoints;

// The callback calls the interceptor serves: closed once POST_RECV_CLOSE ran; the
// source of their server_call, while there is one.
struct intercepted_call {
    const void *interceptor; // whose entry (a context's memory may serve a later call)
    bool closed = false;
    std::optional<enough::source> source;
};
struct intercepted_calls {
    std::mutex mutex;
    std::unordered_map<::grpc::ServerContextBase *, intercepted_call> calls;
};
intercepted_calls &intercepted() {
    static auto *calls = new intercepted_calls(); // never destroyed: calls may end during exit
    return *calls;
}

class cancel_interceptor final : public ::grpc::experimental::Interceptor {
public:
    explicit cancel_interceptor(::grpc::ServerContextBase *context) : context_(context) {
        const std::lock_guard lock(intercepted().mutex);
        intercepted().calls.insert_or_assign(context_, intercepted_call{this, false, std::nullopt});
    }
    ~cancel_interceptor() override { // the call is over: its context goes
        const std::lock_guard lock(intercepted().mutex);
        const auto found = intercepted().calls.find(context_);
        if (found != intercepted().calls.end() && found->second.interceptor == this) {
            intercepted().calls.erase(found);
        }
    }
    void Intercept(::grpc::experimental::InterceptorBatchMethods *methods) override {
        if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_CLOSE)) {
            std::optional<enough::source> source;
            {
                const std::lock_guard lock(intercepted().mutex);
                const auto found = intercepted().calls.find(context_);
                if (found != intercepted().calls.end() && found->second.interceptor == this) {
                    found->second.closed = true;
                    source = found->second.source;
                }
            }
            if (source.has_value() && client_cancelled(*context_)) {
                source->cancel(enough::reason::cancelled); // no lock held: callbacks run here
            }
        }
        methods->Proceed();
    }

private:
    ::grpc::ServerContextBase *context_;
};

class cancel_interceptor_factory final : public ::grpc::experimental::ServerInterceptorFactoryInterface {
public:
    ::grpc::experimental::Interceptor *CreateServerInterceptor(::grpc::experimental::ServerRpcInfo *info) override {
        // Only the callback API is told in time; the others pass through (nullptr).
        auto *context = info->server_context();
        if (dynamic_cast<::grpc::CallbackServerContext *>(context) == nullptr) {
            return nullptr;
        }
        return new cancel_interceptor(context);
    }
};

} // namespace

bool attach_to_interceptor(::grpc::ServerContextBase &context, enough::source source) {
    bool closed = false;
    {
        const std::lock_guard lock(intercepted().mutex);
        const auto found = intercepted().calls.find(&context);
        if (found == intercepted().calls.end()) {
            return false;
        }
        found->second.source = source;
        closed = found->second.closed;
    }
    if (closed && client_cancelled(context)) { // cancelled before the handler began
        source.cancel(enough::reason::cancelled);
    }
    return true;
}

void detach_from_interceptor(::grpc::ServerContextBase &context) {
    const std::lock_guard lock(intercepted().mutex);
    if (const auto found = intercepted().calls.find(&context); found != intercepted().calls.end()) {
        found->second.source.reset();
    }
}

} // namespace enough::grpc::detail

namespace enough::grpc {

std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface> make_interceptor_factory() {
    return std::make_unique<detail::cancel_interceptor_factory>();
}

} // namespace enough::grpc
