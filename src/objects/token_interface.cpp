#include "objects/token_interface.hpp"

namespace enough::detail {


// add_ref and release check the handle themselves (they also count it).
const enough_token3_vtbl token_vtable = {
    checked_entry<"enough_token_vtbl.query_interface", token_methods::query_interface<enough_token3>>::entry,
    token_methods::add_ref<enough_token3>,
    token_methods::release<enough_token3>,
    checked_entry<"enough_token_vtbl.is_cancelled", token_methods::is_cancelled<enough_token3>>::entry,
    checked_entry<"enough_token_vtbl.may_cancel", token_methods::may_cancel<enough_token3>>::entry,
    checked_entry<"enough_token_vtbl.state_word", token_methods::state_word<enough_token3>>::entry,
    checked_entry<"enough_token2_vtbl.reason", token_methods::reason>::entry,
    checked_entry<"enough_token2_vtbl.register_callback", token_methods::register_callback>::entry,
    checked_entry<"enough_token2_vtbl.wait", token_methods::wait>::entry,
    checked_entry<"enough_token2_vtbl.fd", token_methods::fd>::entry,
    checked_entry<"enough_token3_vtbl.remaining_ms", token_methods::remaining_ms>::entry,
};

} // namespace enough::detail
