#include "token_interface.hpp"

namespace enough::detail {

const enough_token_vtbl token_vtable = {
    token_methods::query_interface, token_methods::add_ref,    token_methods::release,
    token_methods::is_cancelled,    token_methods::may_cancel, token_methods::state_word,
};

} // namespace enough::detail
