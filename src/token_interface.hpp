// The token face of a cancellation_state: enough_token's vtable.
//
// The methods are inline so that the flat adapters compile them into their fast path
// for the library's own tokens; the vtable serves every other caller.
#pragma once

#include "cancellation_state.hpp"
#include "query.hpp"
#include "visibility.hpp"

namespace enough::detail {

ENOUGH_INTERNAL extern const enough_token_vtbl token_vtable;

inline bool is_own_token(const enough_token *token) noexcept {
    return token->vtbl == &token_vtable;
}

namespace token_methods {

inline cancellation_state *state(enough_token *self) noexcept {
    return cancellation_state::from(self);
}
inline enough_result ENOUGH_CALL query_interface(enough_token *self, const enough_iid *iid,
                                                 void **out) noexcept {
    return answer_query(self, iid, out, {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_TOKEN});
}
inline uint32_t ENOUGH_CALL add_ref(enough_token *self) noexcept {
    return state(self)->add_ref();
}
inline uint32_t ENOUGH_CALL release(enough_token *self) noexcept {
    return state(self)->release();
}
inline int32_t ENOUGH_CALL is_cancelled(enough_token *self) noexcept {
    return state(self)->is_cancelled() ? 1 : 0;
}
inline int32_t ENOUGH_CALL may_cancel(enough_token *self) noexcept {
    return state(self)->may_cancel() ? 1 : 0;
}
inline const uint32_t *ENOUGH_CALL state_word(enough_token *self) noexcept {
    return state(self)->state_word();
}

} // namespace token_methods
} // namespace enough::detail
