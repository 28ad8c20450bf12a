#include "objects/token_export.hpp"

#include "objects/any_token.hpp"
#include "objects/exported_page.hpp"
#include "objects/query.hpp"
#include "platform/process.hpp"
#include "platform/process_watch.hpp"
#include "platform/wait_word.hpp"
#include "runtime/poll_list.hpp"
#include "runtime/time_limit.hpp"

#include <mutex>
#include <new>
#include <unordered_map>

namespace enough::detail {
namespace {

// The live exports by token identity, so that one token has one page.
struct export_registry {
    std::mutex mutex;
    std::unordered_map<const void *, token_export *> by_identity;
};

export_registry &registry() noexcept {
    // Built in static storage and never destroyed (exports end on the library's thread,
    // which may run during exit); a forked child starts with an empty one.
    alignas(export_registry) static unsigned char storage[sizeof(export_registry)];
    static export_registry *const instance = [] {
        auto *made = new (storage) export_registry();
        at_fork_child([] { new (storage) export_registry(); }); // the parent's exports are not ours
        return made;
    }();
    return *instance;
}

// The library's thread polls every export until it is over, then finishes it.
bool poll_and_finish(token_export *&exported) noexcept {
    if (!exported->poll()) {
        return false;
    }
    exported->finish();
    return true;
}

poll_list<token_export *, poll_and_finish> &polled_exports() noexcept {
    // Leaked on purpose: exports end on the library's thread, which may run during exit.
    static auto *const list = new poll_list<token_export *, poll_and_finish>(token_export::poll_interval);
    return *list;
}

const void *identity_of(enough_token *token) noexcept {
    void *unknown = nullptr;
    if (token->vtbl->query_interface(token, &ENOUGH_IID_UNKNOWN, &unknown) != ENOUGH_OK ||
        unknown == nullptr) {
        return token;
    }
    auto *face = static_cast<enough_unknown *>(unknown);
    face->vtbl->release(face);
    return unknown;
}

} // namespace

token_export::token_export(enough_token *token, const void *identity) noexcept
    : token_(token), identity_(identity) {}

exported_page *token_export::page() const noexcept {
    return static_cast<exported_page *>(page_.address);
}

bool token_export::owns_page() const noexcept { return current_process_id() == owner_pid_; }

void token_export::publish_reason(int32_t reason) noexcept {
    if (owns_page()) {
        page()->word.store(static_cast<uint32_t>(reason), std::memory_order_seq_cst);
        shared_word_wake_all(page()->word);
        shared_wake_signal(wake_);
    }
    over_.store(true, std::memory_order_release);
}

void token_export::publish_orphaned() noexcept {
    if (owns_page()) {
        page()->orphaned.store(1, std::memory_order_seq_cst);
        shared_word_wake_all(page()->word); // waiters sleep on the word
        shared_wake_signal(wake_);
    }
    over_.store(true, std::memory_order_release);
}

void ENOUGH_CALL token_export::on_cancelled(void *self, int32_t reason) {
    static_cast<token_export *>(self)->publish_reason(reason);
}

int token_export::export_token(gsl::not_null<enough_token *> token, int32_t *error) noexcept {
    const void *const identity = identity_of(token);
    export_registry &exports = registry();
    std::unique_lock lock(exports.mutex);
    if (const auto found = exports.by_identity.find(identity); found != exports.by_identity.end()) {
        const int fd = os_handle_to_int(shared_page_share(found->second->page_));
        *error = fd < 0 ? ENOUGH_ERROR_SYSTEM : ENOUGH_ERROR_NONE;
        return fd;
    }
    auto *made = new (std::nothrow) token_export(token, identity);
    if (made == nullptr) {
        *error = ENOUGH_ERROR_OUT_OF_MEMORY;
        return -1;
    }
    if (!shared_page_create(shared_page_size(), made->page_)) {
        delete made;
        *error = ENOUGH_ERROR_SYSTEM;
        return -1;
    }
    const process_identity me = this_process();
    made->owner_pid_ = me.pid;
    exported_page *const shared = made->page();
    shared->magic = exported_page_magic;
    shared->version = exported_page_version;
    shared->exporter_pid = me.pid;
    shared->exporter_start_time = me.start_time;
    static std::atomic<uint32_t> wake_keys{0}; // one per export of this process
    shared->wake_key = wake_keys.fetch_add(1, std::memory_order_relaxed);
    made->wake_ = shared_wake_create(me, shared->wake_key);
    made->publish_deadline();
    const int fd = os_handle_to_int(shared_page_share(made->page_));
    token->vtbl->add_ref(token);

    // Followed before the library's thread can see it (it may finish it at once):
    // a token already cancelled runs on_cancelled right here.
    const enough_result followed =
        fd < 0 ? ENOUGH_E_UNEXPECTED : any_token_register(token, on_cancelled, made, &made->registration_);
    if (followed != ENOUGH_OK) {
        lock.unlock();
        made->finish();
        if (fd >= 0) {
            os_handle_close(os_handle_from_int(fd));
        }
        *error = fd < 0                                ? ENOUGH_ERROR_SYSTEM
                 : followed == ENOUGH_E_OUTOFMEMORY ? ENOUGH_ERROR_OUT_OF_MEMORY
                                                      : ENOUGH_ERROR_FOREIGN_FAILURE;
        return -1;
    }
    bool watched = false;
    try {
        exports.by_identity.emplace(identity, made);
        watched = polled_exports().add(made);
    } catch (...) {
    }
    if (!watched) {
        exports.by_identity.erase(identity);
        lock.unlock();
        made->finish();
        os_handle_close(os_handle_from_int(fd));
        *error = ENOUGH_ERROR_OUT_OF_MEMORY;
        return -1;
    }
    *error = ENOUGH_ERROR_NONE;
    return fd; // a token that can never cancel is published as orphaned at the first poll
}

void token_export::publish_deadline() noexcept {
    if (!owns_page()) {
        return;
    }
    const int64_t left = any_token_remaining_ms(token_);
    const int64_t at = left < 0 ? -1
                                : std::chrono::duration_cast<std::chrono::nanoseconds>(
                                      (steady_clock::now() + std::chrono::milliseconds(left))
                                          .time_since_epoch())
                                      .count();
    page()->deadline_ns.store(at, std::memory_order_release);
}

bool token_export::poll() noexcept {
    if (!over_.load(std::memory_order_acquire)) {
        if (token_->vtbl->may_cancel(token_) == 0) {
            publish_orphaned();
        } else {
            publish_deadline(); // deadlines may be armed, re-armed or inherited later
        }
    }
    return over_.load(std::memory_order_acquire);
}

void token_export::finish() noexcept {
    {
        export_registry &exports = registry();
        const std::lock_guard lock(exports.mutex);
        if (const auto found = exports.by_identity.find(identity_);
            found != exports.by_identity.end() && found->second == this) {
            exports.by_identity.erase(found);
        }
    }
    if (registration_ != nullptr) {
        registration_->vtbl->release(registration_); // waits out a running on_cancelled
    }
    shared_wake_close(wake_);
    shared_page_release(page_);
    token_->vtbl->release(token_);
    delete this;
}

} // namespace enough::detail
