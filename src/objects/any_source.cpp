#include "objects/any_source.hpp"

#include "objects/query.hpp"
#include "objects/source_interface.hpp"

namespace enough::detail {
namespace {

// Calls `own` on the library's own state, `use` on a foreign enough_source2, or
// `fallback` for a foreign source with only enough_source.
template <class Own, class Use, class Fallback>
auto with_source2(enough_source *source, Own own, Use use, Fallback fallback) noexcept {
    if (is_own_source(source)) {
        return own(cancellation_state::from(source));
    }
    return with_interface<enough_source2>(source, ENOUGH_IID_SOURCE2, use, fallback);
}

} // namespace

enough_result any_source_cancel(gsl::not_null<enough_source *> source, int32_t reason) noexcept {
    const auto won = [](bool cancelled) { return cancelled ? ENOUGH_OK : ENOUGH_E_CANCELLED; };
    return with_source2(
        source, [&](cancellation_state *s) { return won(s->cancel(reason)); },
        [&](enough_source2 *s) { return won(s->vtbl->cancel_with_reason(s, reason) != 0); },
        [&] {
            if (reason != ENOUGH_REASON_CANCELLED) {
                return ENOUGH_E_NOTIMPL;
            }
            return won(source->vtbl->cancel(source) != 0);
        });
}

int32_t any_source_reason(gsl::not_null<enough_source *> source) noexcept {
    return with_source2(
        source, [](cancellation_state *s) { return s->reason(); },
        [](enough_source2 *s) { return s->vtbl->reason(s); },
        [&] {
            return source->vtbl->is_cancelled(source) != 0 ? ENOUGH_REASON_CANCELLED
                                                            : ENOUGH_REASON_NONE;
        });
}

enough_result any_source_cancel_after(gsl::not_null<enough_source *> source,
                                      uint64_t milliseconds) noexcept {
    return with_source2(
        source, [&](cancellation_state *s) { return s->cancel_after(milliseconds); },
        [&](enough_source2 *s) { return s->vtbl->cancel_after(s, milliseconds); },
        [] { return ENOUGH_E_NOTIMPL; });
}

} // namespace enough::detail
