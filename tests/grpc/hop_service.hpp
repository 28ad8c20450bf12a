// A chain of Hop servers on 127.0.0.1 (ports chosen by the system), for the gRPC tests
// and measurements: hop i calls hop i+1 with its call's token (enough::grpc), the last
// hop runs a native loop polling its token and reports how it ended.
#pragma once

#include <enough/grpc.hpp>

#include "hop.grpc.pb.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace enough_test {

// What the last hop's loop saw; waited on by tests.
struct loop_report {
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    int finished = 0;
    int32_t reason = 0;
    int64_t remaining_ms_seen = -1;
    std::chrono::steady_clock::time_point started_at{};
    std::chrono::steady_clock::time_point stopped_at{};

    // How each hop's server_call was told of a cancel (server_call::told_by), counted.
    std::atomic<int> told_by_interceptor{0};
    std::atomic<int> told_by_notified{0};
    std::atomic<int> told_by_watcher{0};

    void wait_started(int count);
    void wait_finished(int count);
};

// How a hop serves: the synchronous API (the watcher asks its context), the callback
// API with the default reactor (the interceptor tells it), or the callback API with a
// reactor of its own whose OnCancel passes the notice on (server_call::done).
enum class hop_kind { sync, callback, reactor };

class hop_chain {
public:
    // `hops` servers; server 0 is the one clients call. The odd ones serve with the
    // callback API, the even ones with the synchronous API.
    explicit hop_chain(int hops);
    // One server of each kind given, in that order. Every server has the interceptor.
    explicit hop_chain(const std::vector<hop_kind> &kinds);
    ~hop_chain();

    std::shared_ptr<::grpc::Channel> entry() const { return channels_.front(); }
    std::string address(int hop) const { return addresses_[static_cast<std::size_t>(hop)]; }
    loop_report &report() { return report_; }

private:
    struct hop;
    loop_report report_;
    std::vector<std::string> addresses_;
    std::vector<std::shared_ptr<::grpc::Channel>> channels_;
    std::vector<std::unique_ptr<hop>> hops_;
};

} // namespace enough_test
