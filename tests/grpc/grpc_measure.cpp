// The gRPC figures for docs/performance.md, in one run, trials interleaved: from a
// client's cancel to a native loop polling its token returning (enough::grpc,
// hop_service.hpp), one and two hops away, with the callback API (the interceptor
// tells each hop) and with the synchronous API (the watcher asks each context); beside
// gRPC's own delivery of the cancel: to a callback reactor's OnCancel one hop away, and
// two (a reactor whose OnCancel cancels its own call to the next), and to a synchronous
// handler spinning on IsCancelled(). The loops yield the CPU between checks: on a
// 2-core machine a loop that spins takes a core from gRPC's own threads. Prints one
// JSON object.
//   enough_grpc_measure [--quick]
#include "hop_service.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <thread>

namespace {

using clock_type = std::chrono::steady_clock;
using enough_test::hop_kind;

void started(enough_test::loop_report &report) {
    {
        const std::lock_guard lock(report.mutex);
        ++report.started;
    }
    report.changed.notify_all();
}

void stopped(enough_test::loop_report &report) {
    const auto now = clock_type::now();
    {
        const std::lock_guard lock(report.mutex);
        report.stopped_at = now;
        ++report.finished;
    }
    report.changed.notify_all();
}

// gRPC alone, synchronous: the handler polls its context.
class polling_hop final : public enough::test::Hop::Service {
public:
    ::grpc::Status Work(::grpc::ServerContext *context, const enough::test::WorkRequest *,
                        enough::test::WorkReply *) override {
        started(report);
        while (!context->IsCancelled()) {
        }
        stopped(report);
        return ::grpc::Status::CANCELLED;
    }
    enough_test::loop_report report;
};

// gRPC alone, callback API: the moment its reactor's OnCancel runs.
class notified_hop final : public enough::test::Hop::CallbackService {
    class work final : public ::grpc::ServerUnaryReactor {
    public:
        explicit work(enough_test::loop_report &report) : report_(report) { started(report_); }
        void OnCancel() override {
            stopped(report_);
            Finish(::grpc::Status::CANCELLED);
        }
        void OnDone() override { delete this; }

    private:
        enough_test::loop_report &report_;
    };

public:
    ::grpc::ServerUnaryReactor *Work(::grpc::CallbackServerContext *, const enough::test::WorkRequest *,
                                     enough::test::WorkReply *) override {
        return new work(report);
    }
    enough_test::loop_report report;
};

// gRPC alone, two hops: a reactor whose OnCancel cancels the call it made to the next
// server (a notified_hop), with the callback client API.
class forwarding_hop final : public enough::test::Hop::CallbackService {
    class work final : public ::grpc::ServerUnaryReactor {
    public:
        explicit work(const std::shared_ptr<::grpc::Channel> &next) : stub_(enough::test::Hop::NewStub(next)) {
            stub_->async()->Work(&downstream_, &request_, &reply_, [this](::grpc::Status) {
                Finish(::grpc::Status::CANCELLED);
            });
        }
        void OnCancel() override { downstream_.TryCancel(); }
        void OnDone() override { delete this; }

    private:
        std::unique_ptr<enough::test::Hop::Stub> stub_;
        ::grpc::ClientContext downstream_;
        enough::test::WorkRequest request_;
        enough::test::WorkReply reply_;
    };

public:
    ::grpc::ServerUnaryReactor *Work(::grpc::CallbackServerContext *, const enough::test::WorkRequest *,
                                     enough::test::WorkReply *) override {
        return new work(next);
    }
    std::shared_ptr<::grpc::Channel> next;
};

template <class Service> struct plain_server {
    Service service;
    std::unique_ptr<::grpc::Server> server;
    std::shared_ptr<::grpc::Channel> channel;
    plain_server() {
        int port = 0;
        ::grpc::ServerBuilder builder;
        builder.AddListeningPort("127.0.0.1:0", ::grpc::InsecureServerCredentials(), &port);
        builder.RegisterService(&service);
        server = builder.BuildAndStart();
        channel = ::grpc::CreateChannel("127.0.0.1:" + std::to_string(port), ::grpc::InsecureChannelCredentials());
    }
    ~plain_server() { server->Shutdown(); }
};

// One trial: a call (`call` runs it, on a thread) is cancelled (`cancel`) once the
// loop started; the time until the loop reported its stop.
double trial(enough_test::loop_report &report, int index, const std::function<void()> &call,
             const std::function<void()> &cancel) {
    std::thread client(call);
    report.wait_started(index);
    const auto t0 = clock_type::now();
    cancel();
    report.wait_finished(index);
    client.join();
    return std::chrono::duration<double, std::milli>(report.stopped_at - t0).count();
}

// Through enough::grpc: a chain of `kinds`, the loop at its last hop.
struct chain_figure {
    const char *name;
    enough_test::hop_chain chain;
    std::vector<double> times;
    chain_figure(const char *label, std::vector<hop_kind> kinds) : name(label), chain(kinds) {}
    void run(int index, int hops_left) {
        enough::source source;
        times.push_back(trial(chain.report(), index, [&] {
            ::grpc::ClientContext context;
            enough::grpc::client_call follow(context, source.token(), chain.entry());
            enough::test::WorkRequest request;
            request.set_hops_left(hops_left);
            request.set_loop_limit_ms(20'000);
            enough::test::WorkReply reply;
            enough::test::Hop::NewStub(chain.entry())->Work(&context, request, &reply);
        }, [&] { source.cancel(); }));
    }
};

template <class Service> double plain_trial(plain_server<Service> &plain, int index) {
    ::grpc::ClientContext context;
    return trial(plain.service.report, index, [&] {
        enough::test::WorkRequest request;
        enough::test::WorkReply reply;
        enough::test::Hop::NewStub(plain.channel)->Work(&context, request, &reply);
    }, [&] { context.TryCancel(); });
}

double percentile(std::vector<double> values, double p) {
    std::sort(values.begin(), values.end());
    return values[static_cast<std::size_t>(p * static_cast<double>(values.size() - 1))];
}

void print(const char *name, const std::vector<double> &times, bool last = false) {
    std::printf("  \"grpc_%s_p50_ms\": %.4g,\n  \"grpc_%s_p99_ms\": %.4g%s\n", name, percentile(times, 0.5), name,
                percentile(times, 0.99), last ? "" : ",");
}

} // namespace

int main(int argc, char **argv) {
    const int trials = argc > 1 && std::strcmp(argv[1], "--quick") == 0 ? 20 : 200;
    chain_figure callback_one("callback_one_hop", {hop_kind::callback});
    chain_figure callback_two("callback_two_hops", {hop_kind::callback, hop_kind::callback});
    chain_figure sync_one("sync_one_hop", {hop_kind::sync});
    chain_figure sync_two("sync_two_hops", {hop_kind::sync, hop_kind::sync});
    plain_server<notified_hop> plain_callback;
    plain_server<notified_hop> plain_second;
    plain_server<forwarding_hop> plain_first;
    plain_first.service.next = plain_second.channel;
    plain_server<polling_hop> plain_sync;
    std::vector<double> plain_callback_times;
    std::vector<double> plain_two_times;
    std::atomic<::grpc::ClientContext *> plain_two_context{nullptr};
    std::vector<double> plain_sync_times;
    for (int i = 1; i <= trials; ++i) {
        plain_callback_times.push_back(plain_trial(plain_callback, i));
        plain_two_times.push_back(trial(plain_second.service.report, i, [&] {
            ::grpc::ClientContext context;
            enough::test::WorkRequest request;
            enough::test::WorkReply reply;
            plain_two_context = &context; // read once the second server has the call
            enough::test::Hop::NewStub(plain_first.channel)->Work(&context, request, &reply);
        }, [&] { plain_two_context.load()->TryCancel(); }));
        callback_one.run(i, 0);
        callback_two.run(i, 1);
        plain_sync_times.push_back(plain_trial(plain_sync, i));
        sync_one.run(i, 0);
        sync_two.run(i, 1);
    }
    std::printf("{\n  \"grpc_trials\": %d,\n", trials);
    print("plain_callback_one_hop", plain_callback_times);
    print("plain_callback_two_hops", plain_two_times);
    print(callback_one.name, callback_one.times);
    print(callback_two.name, callback_two.times);
    print("plain_sync_one_hop", plain_sync_times);
    print(sync_one.name, sync_one.times);
    print(sync_two.name, sync_two.times, true);
    std::printf("}\n");
    return 0;
}
