#include "objects/any_source.hpp"

#include "objects/query.hpp"

namespace enough::detail {
namespace {

// Calls `use` on the foreign source's enough_source2 if it has one; else `fallback`.
template <class Use, class Fallback>
auto with_source2(enough_source *source, Use use, Fallback fallback) noexcept {
    return with_interface<enough_source2>(source, ENOUGH_IID_SOURCE2, use, fallback);
}

enough_result won(bool cancelled) noexcept { return cancelled ? ENOUGH_OK : ENOUGH_E_CANCELLED; }

} // namespace

enough_result foreign_source_cancel(gsl::not_null<enough_source *> source, int32_t reason) noexcept {
    return with_source2(
        source, [&](enough_source2 *s) { return won(s->vtbl->cancel_with_reason(s, reason) != 0); },
        [&] {
            if (reason != ENOUGH_REASON_CANCELLED) {
                return ENOUGH_E_NOTIMPL;
            }
            return won(source->vtbl->cancel(source) != 0);
        });
}

int32_t foreign_source_reason(gsl::not_null<enough_source *> source) noexcept {
    return with_source2(
        source, [](enough_source2 *s) { return s->vtbl->reason(s); },
        [&] {
            return source->vtbl->is_cancelled(source) != 0 ? ENOUGH_REASON_CANCELLED
                                                            : ENOUGH_REASON_NONE;
        });
}

enough_result foreign_source_cancel_after(gsl::not_null<enough_source *> source,
                                          uint64_t milliseconds) noexcept {
    return with_source2(
        source, [&](enough_source2 *s) { return s->vtbl->cancel_after(s, milliseconds); },
        [] { return ENOUGH_E_NOTIMPL; });
}

enough_result foreign_source_cancel_async(gsl::not_null<enough_source *> source,
                                          int32_t reason) noexcept {
    return with_interface<enough_source3>(
        source.get(), ENOUGH_IID_SOURCE3,
        [&](enough_source3 *s) { return won(s->vtbl->cancel_async(s, reason) != 0); },
        [] { return ENOUGH_E_NOTIMPL; });
}

} // namespace enough::detail
