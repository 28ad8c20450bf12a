// Operations on any source: the library's own (direct, inline), or a foreign one
// through enough_source2 where it offers it, else through enough_source alone (out of
// line). The source side of the seam for foreign objects; any_token.hpp is the token
// side.
#pragma once

#include "objects/source_interface.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <cstdint>

namespace enough::detail {

// The foreign halves, out of line.
enough_result foreign_source_cancel(gsl::not_null<enough_source *> source, int32_t reason) noexcept;
int32_t foreign_source_reason(gsl::not_null<enough_source *> source) noexcept;
enough_result foreign_source_cancel_after(gsl::not_null<enough_source *> source,
                                          uint64_t milliseconds) noexcept;
enough_result foreign_source_cancel_async(gsl::not_null<enough_source *> source,
                                          int32_t reason) noexcept;

// ENOUGH_OK: this call cancelled with `reason` (> 0). ENOUGH_E_CANCELLED: it did not
// (already cancelled, or orphaned). ENOUGH_E_NOTIMPL: a foreign source without
// enough_source2 and a reason other than ENOUGH_REASON_CANCELLED.
inline enough_result any_source_cancel(gsl::not_null<enough_source *> source,
                                       int32_t reason) noexcept {
    if (is_own_source(source)) {
        return cancellation_state::from(source)->cancel(reason) ? ENOUGH_OK : ENOUGH_E_CANCELLED;
    }
    return foreign_source_cancel(source, reason);
}
// 0 while not cancelled, else the reason (ENOUGH_REASON_CANCELLED where a foreign
// source cannot tell).
inline int32_t any_source_reason(gsl::not_null<enough_source *> source) noexcept {
    return is_own_source(source) ? cancellation_state::from(source)->reason()
                                 : foreign_source_reason(source);
}
// enough_source2_vtbl.cancel_after's results; ENOUGH_E_NOTIMPL without enough_source2.
inline enough_result any_source_cancel_after(gsl::not_null<enough_source *> source,
                                             uint64_t milliseconds) noexcept {
    return is_own_source(source) ? cancellation_state::from(source)->cancel_after(milliseconds)
                                 : foreign_source_cancel_after(source, milliseconds);
}

// ENOUGH_OK: this call cancelled, async-signal-safely (enough_source3).
// ENOUGH_E_CANCELLED: it did not. ENOUGH_E_NOTIMPL: a foreign source without
// enough_source3 (its query_interface was called: foreign code's own business).
inline enough_result any_source_cancel_async(gsl::not_null<enough_source *> source,
                                             int32_t reason) noexcept {
    if (is_own_source(source)) {
        return cancellation_state::from(source)->cancel_async(reason) ? ENOUGH_OK
                                                                      : ENOUGH_E_CANCELLED;
    }
    return foreign_source_cancel_async(source, reason);
}

} // namespace enough::detail
