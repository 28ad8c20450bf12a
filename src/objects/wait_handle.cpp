#include "objects/wait_handle.hpp"

#include "objects/cancellation_state.hpp"
#include "objects/imported_token.hpp"
#include "objects/never_token.hpp"
#include "objects/token_interface.hpp"
#include "platform/waitable_event.hpp"

#include <type_traits>

namespace enough::detail {
namespace {
// A HANDLE where handles are pointers; where they are descriptors, none.
template <class Handle>
void *as_wait_handle(Handle handle) noexcept {
    if constexpr (std::is_pointer_v<Handle>) {
        return handle;
    } else {
        return nullptr;
    }
}
} // namespace

bool tokens_wait_on_descriptors() noexcept { return waitable_event_is_descriptor; }

void *token_wait_handle(gsl::not_null<enough_token *> token) noexcept {
    if (waitable_event_is_descriptor) {
        return nullptr;
    }
    if (is_own_token(token)) {
        return as_wait_handle(cancellation_state::from(token)->event());
    }
    if (is_never_token(token)) {
        return as_wait_handle(never_signalled_event());
    }
    if (is_imported_token(token)) {
        return as_wait_handle(imported_token_event(token));
    }
    return nullptr;
}

} // namespace enough::detail
