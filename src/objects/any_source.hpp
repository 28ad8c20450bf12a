// Operations on any source: the library's own (direct), or a foreign one through
// enough_source2 where it offers it, else through enough_source alone. The source
// side of the seam for foreign objects; any_token.hpp is the token side.
#pragma once

#include <enough/abi.h>

#include <gsl/pointers>

#include <cstdint>

namespace enough::detail {

// ENOUGH_OK: this call cancelled with `reason` (> 0). ENOUGH_E_CANCELLED: it did not
// (already cancelled, or orphaned). ENOUGH_E_NOTIMPL: a foreign source without
// enough_source2 and a reason other than ENOUGH_REASON_CANCELLED.
enough_result any_source_cancel(gsl::not_null<enough_source *> source, int32_t reason) noexcept;
// 0 while not cancelled, else the reason (ENOUGH_REASON_CANCELLED where a foreign
// source cannot tell).
int32_t any_source_reason(gsl::not_null<enough_source *> source) noexcept;
// enough_source2_vtbl.cancel_after's results; ENOUGH_E_NOTIMPL without enough_source2.
enough_result any_source_cancel_after(gsl::not_null<enough_source *> source,
                                      uint64_t milliseconds) noexcept;

} // namespace enough::detail
