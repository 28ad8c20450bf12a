#include "hop_service.hpp"

#include <optional>
#include <thread>

namespace enough_test {

void loop_report::wait_started(int count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(20), [&] { return started >= count; });
}

void loop_report::wait_finished(int count) {
    std::unique_lock lock(mutex);
    changed.wait_for(lock, std::chrono::seconds(20), [&] { return finished >= count; });
}

struct hop_chain::hop {
    std::unique_ptr<::grpc::Service> work;
    std::unique_ptr<::grpc::Service> cancellation = enough::grpc::make_cancellation_service();
    std::unique_ptr<::grpc::Server> server;
};

namespace {

void count_notice(const enough::grpc::server_call &call, loop_report &report) {
    using notice = enough::grpc::server_call::notice;
    switch (call.told_by()) {
    case notice::interceptor:
        ++report.told_by_interceptor;
        break;
    case notice::notified:
        ++report.told_by_notified;
        break;
    case notice::watcher:
        ++report.told_by_watcher;
        break;
    }
}

// One hop's work, with any kind of server context.
::grpc::Status serve(enough::grpc::server_call &call, const enough::test::WorkRequest &request,
                     enough::test::WorkReply &reply, const std::shared_ptr<::grpc::Channel> &next,
                     loop_report &report) {
    count_notice(call, report);
    const enough::token token = call.token();
    if (request.hops_left() > 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(request.forward_after_ms()));
        ::grpc::ClientContext downstream;
        enough::grpc::client_call follow(downstream, token, next); // deadline and cancel go on
        enough::test::WorkRequest forwarded = request;
        forwarded.set_hops_left(request.hops_left() - 1);
        // The callback client API: gRPC's own threads carry the call and its cancel.
        std::mutex mutex;
        std::condition_variable finished;
        std::optional<::grpc::Status> status;
        auto stub = enough::test::Hop::NewStub(next);
        stub->async()->Work(&downstream, &forwarded, &reply, [&](::grpc::Status done) {
            const std::lock_guard lock(mutex);
            status = std::move(done);
            finished.notify_all();
        });
        std::unique_lock lock(mutex);
        finished.wait(lock, [&] { return status.has_value(); });
        return token.is_cancelled() ? call.cancelled_status() : *status;
    }
    {
        const std::lock_guard lock(report.mutex);
        report.remaining_ms_seen = enough_token_remaining_ms(token.get());
        report.started_at = std::chrono::steady_clock::now();
        ++report.started;
    }
    report.changed.notify_all();
    // The native loop: polls its token, as a codec would between blocks.
    const enough::token_view view(token);
    const auto limit = std::chrono::steady_clock::now() + std::chrono::milliseconds(request.loop_limit_ms());
    unsigned long spins = 0;
    while (!view.is_cancelled() && (++spins % 1024 != 0 || std::chrono::steady_clock::now() < limit)) {
        std::this_thread::yield();
    }
    const auto stopped = std::chrono::steady_clock::now();
    const enough::reason why = view.check();
    {
        const std::lock_guard lock(report.mutex);
        report.reason = static_cast<int32_t>(why);
        report.stopped_at = stopped;
        ++report.finished;
    }
    report.changed.notify_all();
    reply.set_reason(static_cast<int32_t>(why));
    reply.set_remaining_ms_seen(report.remaining_ms_seen);
    return enough::grpc::status_for(why);
}

class sync_hop final : public enough::test::Hop::Service {
public:
    sync_hop(std::shared_ptr<::grpc::Channel> next, loop_report &report)
        : next_(std::move(next)), report_(report) {}
    ::grpc::Status Work(::grpc::ServerContext *context, const enough::test::WorkRequest *request,
                        enough::test::WorkReply *reply) override {
        enough::grpc::server_call call(*context);
        return serve(call, *request, *reply, next_, report_);
    }

private:
    std::shared_ptr<::grpc::Channel> next_;
    loop_report &report_;
};

class callback_hop final : public enough::test::Hop::CallbackService {
public:
    callback_hop(std::shared_ptr<::grpc::Channel> next, loop_report &report)
        : next_(std::move(next)), report_(report) {}
    ::grpc::ServerUnaryReactor *Work(::grpc::CallbackServerContext *context,
                                     const enough::test::WorkRequest *request,
                                     enough::test::WorkReply *reply) override {
        ::grpc::ServerUnaryReactor *reactor = context->DefaultReactor();
        // Long work leaves gRPC's callback threads free: it runs on its own thread.
        std::thread([=, this] {
            ::grpc::Status status;
            {
                enough::grpc::server_call call(*context); // before Finish, it goes
                status = serve(call, *request, *reply, next_, report_);
            }
            reactor->Finish(status);
        }).detach();
        return reactor;
    }

private:
    std::shared_ptr<::grpc::Channel> next_;
    loop_report &report_;
};

// The callback API with a reactor of its own: OnCancel passes gRPC's notice on.
class reactor_hop final : public enough::test::Hop::CallbackService {
    class work final : public ::grpc::ServerUnaryReactor {
    public:
        work(::grpc::CallbackServerContext *context, const enough::test::WorkRequest *request,
             enough::test::WorkReply *reply, std::shared_ptr<::grpc::Channel> next, loop_report &report)
            : call_(*context, enough::grpc::notified) {
            std::thread([=, this, next = std::move(next), &report] {
                const ::grpc::Status status = serve(call_, *request, *reply, next, report);
                Finish(status);
            }).detach();
        }
        void OnCancel() override { call_.done(); } // the one line
        void OnDone() override { delete this; }

    private:
        enough::grpc::server_call call_;
    };

public:
    reactor_hop(std::shared_ptr<::grpc::Channel> next, loop_report &report)
        : next_(std::move(next)), report_(report) {}
    ::grpc::ServerUnaryReactor *Work(::grpc::CallbackServerContext *context,
                                     const enough::test::WorkRequest *request,
                                     enough::test::WorkReply *reply) override {
        return new work(context, request, reply, next_, report_);
    }

private:
    std::shared_ptr<::grpc::Channel> next_;
    loop_report &report_;
};

std::vector<hop_kind> alternating(int hops) {
    std::vector<hop_kind> kinds;
    for (int i = 0; i < hops; ++i) {
        kinds.push_back(i % 2 == 0 ? hop_kind::sync : hop_kind::callback);
    }
    return kinds;
}

} // namespace

hop_chain::hop_chain(int hops) : hop_chain(alternating(hops)) {}

hop_chain::hop_chain(const std::vector<hop_kind> &kinds) {
    // Built from the last hop to the first, each knowing the channel to the next.
    std::shared_ptr<::grpc::Channel> next;
    std::vector<std::unique_ptr<hop>> built;
    std::vector<std::string> addresses;
    for (auto kind = kinds.rbegin(); kind != kinds.rend(); ++kind) {
        auto made = std::make_unique<hop>();
        switch (*kind) {
        case hop_kind::sync:
            made->work = std::make_unique<sync_hop>(next, report_);
            break;
        case hop_kind::callback:
            made->work = std::make_unique<callback_hop>(next, report_);
            break;
        case hop_kind::reactor:
            made->work = std::make_unique<reactor_hop>(next, report_);
            break;
        }
        int port = 0;
        ::grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
        builder.RegisterService(made->work.get());
        builder.RegisterService(made->cancellation.get());
        std::vector<std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
        interceptors.push_back(enough::grpc::make_interceptor_factory());
        builder.experimental().SetInterceptorCreators(std::move(interceptors));
        made->server = builder.BuildAndStart();
        const std::string address = "127.0.0.1:" + std::to_string(port);
        next = ::grpc::CreateChannel(address, ::grpc::InsecureChannelCredentials());
        channels_.insert(channels_.begin(), next);
        addresses.insert(addresses.begin(), address);
        built.insert(built.begin(), std::move(made));
    }
    addresses_ = std::move(addresses);
    hops_ = std::move(built);
}

hop_chain::~hop_chain() {
    for (auto &each : hops_) {
        each->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    }
}

} // namespace enough_test
