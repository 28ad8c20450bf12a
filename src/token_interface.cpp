#include "token_interface.hpp"

namespace enough::detail {

using face = enough_token2;

const enough_token2_vtbl token_vtable = {
    token_methods::query_interface<face>,
    token_methods::add_ref<face>,
    token_methods::release<face>,
    token_methods::is_cancelled<face>,
    token_methods::may_cancel<face>,
    token_methods::state_word<face>,
    token_methods::reason,
    token_methods::register_callback,
    token_methods::wait,
    token_methods::fd,
};

} // namespace enough::detail
