#include "source_interface.hpp"

namespace enough::detail {

const enough_source_vtbl source_vtable = {
    source_methods::query_interface, source_methods::add_ref,      source_methods::release,
    source_methods::cancel,          source_methods::is_cancelled, source_methods::get_token,
};

} // namespace enough::detail
