#include "objects/never_token.hpp"

#include "objects/query.hpp"
#include "platform/waitable_event.hpp"

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

os_handle never_signalled_event() noexcept {
    // Made on first use; never signalled. Its destructor runs at exit or at dlclose.
    static struct never_event {
        std::atomic<waitable_event> event{no_waitable_event};
        ~never_event() {
            if (const waitable_event made = event.load(std::memory_order_relaxed);
                made != no_waitable_event) {
                waitable_event_close(made);
            }
        }
    } holder;
    const waitable_event event = waitable_event_install_once(holder.event);
    return event == no_waitable_event ? no_os_handle : waitable_event_handle(event);
}

int never_readable_fd() noexcept {
    if constexpr (!waitable_event_is_descriptor) {
        return -1;
    }
    return os_handle_to_int(never_signalled_event());
}

} // namespace enough::detail
