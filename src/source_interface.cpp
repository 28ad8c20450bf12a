#include "source_interface.hpp"

namespace enough::detail {

using face = enough_source2;

const enough_source2_vtbl source_vtable = {
    source_methods::query_interface<face>,    source_methods::add_ref<face>,
    source_methods::release<face>,            source_methods::cancel<face>,
    source_methods::is_cancelled<face>,       source_methods::get_token<face>,
    source_methods::cancel_with_reason<face>, source_methods::reason<face>,
    source_methods::cancel_after<face>,
};

} // namespace enough::detail
