#include "objects/imported_token.hpp"

#include "objects/any_token.hpp"
#include "objects/cancellation_state.hpp"
#include "objects/exported_page.hpp"
#include "objects/query.hpp"
#include "platform/process_watch.hpp"
#include "platform/shared_page.hpp"
#include "platform/shared_wake.hpp"
#include "platform/wait_word.hpp"
#include "runtime/object_pool.hpp"
#include "runtime/time_limit.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <new>

namespace enough::detail {
namespace {

// How often a blocked wait re-checks that the exporter still runs: an exit is noticed
// within this.
constexpr int64_t liveness_slice_ns = 250'000'000;

class imported_token : public pooled<pool_kind::rare> {
public:
    imported_token(const exported_page *page, std::size_t size, process_watch exporter,
                   shared_wake wake) noexcept;
    ~imported_token();

    enough_token *face() noexcept { return reinterpret_cast<enough_token *>(&face_); }
    static imported_token *from(void *face) noexcept {
        return reinterpret_cast<imported_token *>(face); // face_ is first
    }

    uint32_t add_ref() noexcept { return refs_.fetch_add(1, std::memory_order_relaxed) + 1; }
    uint32_t release() noexcept {
        const uint32_t left = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
        if (left == 0) {
            delete this;
        }
        return left;
    }
    uint32_t word() const noexcept { return page_->word.load(std::memory_order_acquire); }
    bool is_cancelled() const noexcept { return word() != 0; }
    bool may_cancel() const noexcept {
        return is_cancelled() ||
               (page_->orphaned.load(std::memory_order_acquire) == 0 && exporter_alive());
    }
    const uint32_t *state_word() const noexcept {
        return reinterpret_cast<const uint32_t *>(&page_->word);
    }
    bool wait(int64_t timeout_ms) noexcept;
    int fd() noexcept;
    // The state that follows this token for fd, wait handles and callbacks: made on
    // first use, kept while this token lives; nullptr when memory is exhausted.
    cancellation_state *mirror() noexcept;
    int64_t remaining_ms() const noexcept {
        if (is_cancelled()) {
            return 0;
        }
        const int64_t at = page_->deadline_ns.load(std::memory_order_acquire);
        if (!may_cancel() || at < 0) {
            return -1;
        }
        return milliseconds_until(steady_clock::time_point(std::chrono::nanoseconds(at)));
    }

private:
    bool exporter_alive() const noexcept {
        return process_watch_alive(exporter_);
    }

    enough_token3 face_;
    std::atomic<uint32_t> refs_{1};
    const exported_page *page_;   // read-only mapping of page_size_ bytes
    std::size_t page_size_;
    process_watch exporter_;      // a watch on the exporting process
    shared_wake wake_;            // the exporter's wake, where the system needs one
    std::atomic<bool> wake_lied_{false}; // signalled with nothing changed: not used again
    std::mutex mirror_mutex_;
    cancellation_state *mirror_ = nullptr; // made for fd(); one reference
};

bool imported_token::wait(int64_t timeout_ms) noexcept {
    if (is_cancelled()) {
        return true;
    }
    if (timeout_ms == 0 || !may_cancel()) {
        return false;
    }
    const bool limited = timeout_ms > 0;
    const auto deadline = limited ? time_after(static_cast<uint64_t>(timeout_ms))
                                  : steady_clock::time_point::max();
    for (;;) {
        int64_t slice = liveness_slice_ns;
        if (limited) {
            const int64_t left = std::chrono::duration_cast<std::chrono::nanoseconds>(
                                     deadline - steady_clock::now())
                                     .count();
            if (left <= 0) {
                return false;
            }
            slice = std::min(slice, left);
        }
        // The exporter wakes it on cancel (the word's own wait, or its wake).
        const bool woken = wake_lied_.load(std::memory_order_relaxed)
                               ? (shared_word_wait(page_->word, 0, slice), false)
                               : shared_wake_wait(wake_, exporter_, page_->word, 0, slice);
        if (is_cancelled()) {
            return true;
        }
        if (!may_cancel()) {
            return false; // orphaned, or the exporter exited
        }
        if (woken) {
            wake_lied_.store(true, std::memory_order_relaxed); // a stranger's signal
        }
    }
}

cancellation_state *imported_token::mirror() noexcept {
    const std::lock_guard lock(mirror_mutex_);
    if (mirror_ == nullptr) {
        mirror_ = mirror_of(face()); // kept in step while we hold it
    }
    return mirror_;
}

int imported_token::fd() noexcept {
    cancellation_state *const follower = mirror();
    return follower != nullptr ? follower->fd() : -1;
}

imported_token *self(void *face) noexcept { return imported_token::from(face); }

enough_result ENOUGH_CALL query(enough_token3 *face, const enough_iid *iid, void **out) noexcept {
    return answer_query(face, iid, out, {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_TOKEN, &ENOUGH_IID_TOKEN2,
                                            &ENOUGH_IID_TOKEN3});
}
uint32_t ENOUGH_CALL add_ref(enough_token3 *face) noexcept { return self(face)->add_ref(); }
uint32_t ENOUGH_CALL release(enough_token3 *face) noexcept { return self(face)->release(); }
int32_t ENOUGH_CALL is_cancelled(enough_token3 *face) noexcept {
    return self(face)->is_cancelled() ? 1 : 0;
}
int32_t ENOUGH_CALL may_cancel(enough_token3 *face) noexcept {
    return self(face)->may_cancel() ? 1 : 0;
}
const uint32_t *ENOUGH_CALL state_word(enough_token3 *face) noexcept {
    return self(face)->state_word();
}
int32_t ENOUGH_CALL reason(enough_token3 *face) noexcept {
    return reason_from_peer(self(face)->word());
}
enough_result ENOUGH_CALL register_callback(enough_token3 *face, enough_callback_fn callback,
                                            void *user_data, enough_unknown **registration) noexcept {
    return register_through_mirror(self(face)->face(), callback, user_data, registration);
}
int32_t ENOUGH_CALL wait(enough_token3 *face, int64_t timeout_ms) noexcept {
    return self(face)->wait(timeout_ms) ? 1 : 0;
}
int32_t ENOUGH_CALL fd(enough_token3 *face) noexcept { return self(face)->fd(); }

int64_t ENOUGH_CALL remaining_ms(enough_token3 *face) noexcept { return self(face)->remaining_ms(); }

constexpr enough_token3_vtbl imported_vtable = {
    query, add_ref, release, is_cancelled, may_cancel, state_word,
    reason, register_callback, wait, fd, remaining_ms,
};

imported_token::imported_token(const exported_page *page, std::size_t size,
                               process_watch exporter, shared_wake wake) noexcept
    : face_{&imported_vtable}, page_(page), page_size_(size), exporter_(exporter), wake_(wake) {}

imported_token::~imported_token() {
    if (mirror_ != nullptr) {
        mirror_->release();
    }
    shared_wake_close(wake_);
    process_watch_close(exporter_);
    shared_page_unmap(page_, page_size_);
}

} // namespace

os_handle imported_token_event(void *face) noexcept {
    cancellation_state *const follower = imported_token::from(face)->mirror();
    return follower != nullptr ? follower->event() : no_os_handle;
}

bool is_imported_token(const void *face) noexcept {
    return static_cast<const enough_token3 *>(face)->vtbl == &imported_vtable;
}

enough_token *import_token(int fd, int32_t *error, const char **problem) noexcept {
    const void *mapped = nullptr;
    std::size_t size = 0;
    switch (shared_page_map_read_only(os_handle_from_int(fd), exported_page_max_size, &mapped, &size)) {
    case shared_page_check::ok:
        break;
    case shared_page_check::not_a_handle:
        *error = ENOUGH_ERROR_BAD_ARGUMENT;
        *problem = "the descriptor is not open";
        return nullptr;
    case shared_page_check::not_a_shared_page:
        *error = ENOUGH_ERROR_NOT_EXPORTED;
        *problem = "the descriptor is not an exported token (not shared memory)";
        return nullptr;
    case shared_page_check::wrong_size:
        *error = ENOUGH_ERROR_NOT_EXPORTED;
        *problem = "the descriptor is not an exported token (wrong size)";
        return nullptr;
    case shared_page_check::resizable:
        *error = ENOUGH_ERROR_NOT_EXPORTED;
        *problem = "the descriptor is not an exported token (its size is not sealed)";
        return nullptr;
    }
    const auto *page = static_cast<const exported_page *>(mapped);
    if (page->magic != exported_page_magic || page->version != exported_page_version) {
        shared_page_unmap(mapped, size);
        *error = ENOUGH_ERROR_NOT_EXPORTED;
        *problem = "the descriptor is not an exported token of this version";
        return nullptr;
    }
    const process_identity exporter_identity{page->exporter_pid, page->exporter_start_time};
    process_watch exporter = process_watch_open(exporter_identity);
    shared_wake wake = shared_wake_open(exporter_identity, page->wake_key);
    auto *made = new (std::nothrow) imported_token(page, size, exporter, wake);
    if (made == nullptr) {
        shared_wake_close(wake);
        process_watch_close(exporter);
        shared_page_unmap(mapped, size);
        *error = ENOUGH_ERROR_OUT_OF_MEMORY;
        *problem = "out of memory";
        return nullptr;
    }
    return made->face();
}

} // namespace enough::detail
