#include "source_interface.hpp"

namespace enough::detail {

using face = enough_source2;

// add_ref and release check the handle themselves (they also count it).
const enough_source2_vtbl source_vtable = {
    guarded<"enough_source_vtbl.query_interface", source_methods::query_interface<face>>::entry,
    source_methods::add_ref<face>,
    source_methods::release<face>,
    guarded<"enough_source_vtbl.cancel", source_methods::cancel<face>>::entry,
    guarded<"enough_source_vtbl.is_cancelled", source_methods::is_cancelled<face>>::entry,
    guarded<"enough_source_vtbl.get_token", source_methods::get_token<face>>::entry,
    guarded<"enough_source2_vtbl.cancel_with_reason", source_methods::cancel_with_reason<face>>::entry,
    guarded<"enough_source2_vtbl.reason", source_methods::reason<face>>::entry,
    guarded<"enough_source2_vtbl.cancel_after", source_methods::cancel_after<face>>::entry,
};

} // namespace enough::detail
