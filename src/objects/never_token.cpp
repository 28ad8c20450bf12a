#include "objects/never_token.hpp"

#include "objects/query.hpp"
#include "platform/event_fd.hpp"

#include <atomic>

namespace enough::detail {
namespace {

// Immortal: counting would only add contention, so add_ref and release do nothing.
constexpr uint32_t immortal_count = 1;
constexpr uint32_t never_word = ENOUGH_REASON_NONE;

enough_result ENOUGH_CALL never_query_interface(enough_token *self, const enough_iid *iid,
                                                void **out) noexcept {
    return answer_query(self, iid, out, {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_TOKEN});
}
uint32_t ENOUGH_CALL never_add_ref(enough_token * /*self*/) noexcept { return immortal_count; }
uint32_t ENOUGH_CALL never_release(enough_token * /*self*/) noexcept { return immortal_count; }
int32_t ENOUGH_CALL never_is_cancelled(enough_token * /*self*/) noexcept { return 0; }
int32_t ENOUGH_CALL never_may_cancel(enough_token * /*self*/) noexcept { return 0; }
const uint32_t *ENOUGH_CALL never_state_word(enough_token * /*self*/) noexcept {
    return &never_word;
}

constexpr enough_token_vtbl never_vtable = {
    never_query_interface, never_add_ref,    never_release,
    never_is_cancelled,    never_may_cancel, never_state_word,
};

// The ABI takes a non-const self; the object has no mutable state, so this is safe.
enough_token the_never_token = {&never_vtable};

} // namespace

enough_token *never_token() noexcept { return &the_never_token; }
bool is_never_token(const enough_token *token) noexcept { return token == &the_never_token; }

int never_readable_fd() noexcept {
    // Made on first use; never signalled. Its destructor runs at exit or at dlclose.
    static struct never_fd {
        std::atomic<int> fd{-1};
        ~never_fd() {
            if (const int open = fd.load(std::memory_order_relaxed); open >= 0) {
                event_fd_close(open);
            }
        }
    } holder;
    int fd = holder.fd.load(std::memory_order_acquire);
    if (fd >= 0) {
        return fd;
    }
    const int created = event_fd_create();
    if (created < 0 || holder.fd.compare_exchange_strong(fd, created, std::memory_order_acq_rel)) {
        return created;
    }
    event_fd_close(created); // another thread installed one first
    return fd;
}

} // namespace enough::detail
