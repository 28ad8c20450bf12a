#include "objects/source_interface.hpp"

#include "objects/token_interface.hpp"

namespace enough::detail {

gsl::owner<cancellation_state *> new_cancellation_state() noexcept {
    return cancellation_state::create(source_face_vtable(), token_face_vtable());
}

// add_ref and release check the handle themselves (they also count it); cancel_async
// checks nothing (it may run in a signal handler).
const enough_source3_vtbl source_vtable = {
    checked_entry<"enough_source_vtbl.query_interface", source_methods::query_interface<enough_source3>>::entry,
    source_methods::add_ref<enough_source3>,
    source_methods::release<enough_source3>,
    checked_entry<"enough_source_vtbl.cancel", source_methods::cancel<enough_source3>>::entry,
    checked_entry<"enough_source_vtbl.is_cancelled", source_methods::is_cancelled<enough_source3>>::entry,
    checked_entry<"enough_source_vtbl.get_token", source_methods::get_token<enough_source3>>::entry,
    checked_entry<"enough_source2_vtbl.cancel_with_reason", source_methods::cancel_with_reason<enough_source3>>::entry,
    checked_entry<"enough_source2_vtbl.reason", source_methods::reason<enough_source3>>::entry,
    checked_entry<"enough_source2_vtbl.cancel_after", source_methods::cancel_after<enough_source3>>::entry,
    source_methods::cancel_async<enough_source3>,
};

} // namespace enough::detail
