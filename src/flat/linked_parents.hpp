// What the two flat linking functions share (enough_cancellation_create_linked and
// enough_token_create_linked): the check of the parents array, the check of each
// parent, and the report of a failure, all under the calling function's name.
#pragma once

#include "flat/handles.hpp"
#include "objects/linked_state.hpp"
#include "runtime/last_error.hpp"

#include <gsl/span>

namespace enough::detail {

// Links `create(parents, filter, out)` to the `count` parents at `tokens` for the flat
// function `Function`: NULL entries are skipped, a source among them is refused
// (recorded) and skipped too. Returns *out, or nullptr (recorded) when the arguments
// are refused or creation fails.
template <const char *Function, class Out, class Create>
Out *link_for_flat_call(void *const *tokens, std::size_t count, Create create) noexcept {
    if (tokens == nullptr && count > 0) {
        set_last_error(Function, ENOUGH_ERROR_BAD_ARGUMENT, "tokens is NULL but count is not 0");
        return nullptr;
    }
    const parent_filter accept_parent = [](void *handle) noexcept -> enough_token * {
        return handle != nullptr ? accept<enough_token>(Function, handle) : nullptr;
    };
    Out *out = nullptr;
    const enough_result result = create(gsl::span<void *const>(tokens, count), accept_parent, &out);
    if (result == ENOUGH_OK) {
        return out;
    }
    if (result == ENOUGH_E_OUTOFMEMORY) {
        set_last_error(Function, ENOUGH_ERROR_OUT_OF_MEMORY, "out of memory");
    } else {
        set_last_error(Function, ENOUGH_ERROR_FOREIGN_FAILURE, "a foreign parent token refused the link");
    }
    return nullptr;
}

} // namespace enough::detail
