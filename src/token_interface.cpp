#include "token_interface.hpp"

namespace enough::detail {

using face = enough_token2;

// add_ref and release check the handle themselves (they also count it).
const enough_token2_vtbl token_vtable = {
    guarded<"enough_token_vtbl.query_interface", token_methods::query_interface<face>>::entry,
    token_methods::add_ref<face>,
    token_methods::release<face>,
    guarded<"enough_token_vtbl.is_cancelled", token_methods::is_cancelled<face>>::entry,
    guarded<"enough_token_vtbl.may_cancel", token_methods::may_cancel<face>>::entry,
    guarded<"enough_token_vtbl.state_word", token_methods::state_word<face>>::entry,
    guarded<"enough_token2_vtbl.reason", token_methods::reason>::entry,
    guarded<"enough_token2_vtbl.register_callback", token_methods::register_callback>::entry,
    guarded<"enough_token2_vtbl.wait", token_methods::wait>::entry,
    guarded<"enough_token2_vtbl.fd", token_methods::fd>::entry,
};

} // namespace enough::detail
