// The one thread that asks, for every served call nothing notifies (the synchronous
// API: gRPC tells its handler nothing), whether the client cancelled: every 250
// microseconds while there are such calls, asleep otherwise.
#include "server_side.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace enough::grpc::detail {
namespace {

constexpr std::chrono::microseconds period{250};

class sync_watcher {
public:
    void add(::grpc::ServerContextBase &context, const enough::source &source) {
        {
            const std::lock_guard lock(mutex_);
            if (!thread_.joinable()) {
                thread_ = std::thread([this] { run(); }); // detached at exit: never joined
            }
            calls_.emplace(&context, source);
        }
        changed_.notify_one();
    }
    void remove(::grpc::ServerContextBase &context) {
        // Under the lock: once this returns, the thread no longer asks the context.
        const std::lock_guard lock(mutex_);
        calls_.erase(&context);
    }

private:
    void run() {
        std::vector<enough::source> cancelled;
        std::unique_lock lock(mutex_);
        for (;;) {
            changed_.wait(lock, [&] { return !calls_.empty(); });
            for (auto it = calls_.begin(); it != calls_.end();) {
                if (client_cancelled(*it->first)) {
                    cancelled.push_back(std::move(it->second)); // told once
                    it = calls_.erase(it);
                } else {
                    ++it;
                }
            }
            if (!cancelled.empty()) {
                lock.unlock(); // cancel runs callbacks (a client_call's TryCancel): no lock held
                for (auto &source : cancelled) {
                    source.cancel(enough::reason::cancelled);
                }
                cancelled.clear();
                lock.lock();
            }
            changed_.wait_for(lock, period);
        }
    }

    std::mutex mutex_;
    std::condition_variable changed_;
    std::unordered_map<::grpc::ServerContextBase *, enough::source> calls_;
    std::thread thread_;
};

sync_watcher &watcher() {
    static auto *instance = new sync_watcher(); // never destroyed: calls may end during exit
    return *instance;
}

} // namespace

void watch(::grpc::ServerContextBase &context, const enough::source &source) { watcher().add(context, source); }
void unwatch(::grpc::ServerContextBase &context) { watcher().remove(context); }

} // namespace enough::grpc::detail
