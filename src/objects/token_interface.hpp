// The token face of a cancellation_state: one vtable that is enough_token,
// enough_token2 and enough_token3 (each extends the one before, so one pointer serves
// all three ids).
//
// The methods are inline templates over the face type so that the flat adapters
// compile them into their fast path for the library's own tokens.
#pragma once

#include "objects/cancellation_state.hpp"
#include "runtime/misuse_guard.hpp"
#include "objects/query.hpp"
#include "runtime/compiler.hpp"

namespace enough::detail {

ENOUGH_INTERNAL extern const enough_token3_vtbl token_vtable;

// The vtable pointer the token face carries (enough_token3's, seen as enough_token's).
inline const enough_token_vtbl *token_face_vtable() noexcept {
    return reinterpret_cast<const enough_token_vtbl *>(&token_vtable);
}
inline bool is_own_token(const enough_token *token) noexcept {
    return token->vtbl == token_face_vtable();
}

namespace token_methods {

template <class Face>
cancellation_state *state(Face *self) noexcept {
    return cancellation_state::from(reinterpret_cast<enough_token *>(self));
}
template <class Face>
enough_result ENOUGH_CALL query_interface(Face *self, const enough_iid *iid, void **out) noexcept {
    return answer_query(self, iid, out,
                        {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_TOKEN, &ENOUGH_IID_TOKEN2,
                         &ENOUGH_IID_TOKEN3});
}
template <class Face>
uint32_t ENOUGH_CALL add_ref(Face *self) noexcept {
    misuse_guard::acquired(self, handle_kind::token, "enough_token_vtbl.add_ref");
    return state(self)->add_ref();
}
template <class Face>
uint32_t ENOUGH_CALL release(Face *self) noexcept {
    misuse_guard::released(self, handle_kind::token, "enough_token_vtbl.release");
    return state(self)->release();
}
template <class Face>
int32_t ENOUGH_CALL is_cancelled(Face *self) noexcept {
    return state(self)->is_cancelled() ? 1 : 0;
}
template <class Face>
int32_t ENOUGH_CALL may_cancel(Face *self) noexcept {
    return state(self)->may_cancel() ? 1 : 0;
}
template <class Face>
const uint32_t *ENOUGH_CALL state_word(Face *self) noexcept {
    return state(self)->state_word();
}
inline int32_t ENOUGH_CALL reason(enough_token3 *self) noexcept { return state(self)->reason(); }
inline enough_result ENOUGH_CALL register_callback(enough_token3 *self, enough_callback_fn callback,
                                                   void *user_data,
                                                   enough_unknown **registration) noexcept {
    const enough_result result = state(self)->register_callback(callback, user_data, registration);
    if (result == ENOUGH_OK) {
        misuse_guard::handed_out(*registration);
    }
    return result;
}
inline int32_t ENOUGH_CALL wait(enough_token3 *self, int64_t timeout_ms) noexcept {
    return state(self)->wait(timeout_ms) ? 1 : 0;
}
inline int32_t ENOUGH_CALL fd(enough_token3 *self) noexcept { return state(self)->fd(); }
inline int64_t ENOUGH_CALL remaining_ms(enough_token3 *self) noexcept {
    return state(self)->remaining_ms();
}

} // namespace token_methods
} // namespace enough::detail
