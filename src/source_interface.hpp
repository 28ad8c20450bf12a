// The source face of a cancellation_state: enough_source's vtable.
//
// A source's references are source references: the last release orphans the state.
// Its query_interface never offers a token id (separate identities).
#pragma once

#include "cancellation_state.hpp"
#include "query.hpp"
#include "visibility.hpp"

namespace enough::detail {

ENOUGH_INTERNAL extern const enough_source_vtbl source_vtable;

inline bool is_own_source(const enough_source *source) noexcept {
    return source->vtbl == &source_vtable;
}

namespace source_methods {

inline cancellation_state *state(enough_source *self) noexcept {
    return cancellation_state::from(self);
}
inline enough_result ENOUGH_CALL query_interface(enough_source *self, const enough_iid *iid,
                                                 void **out) noexcept {
    return answer_query(self, iid, out, {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_SOURCE});
}
inline uint32_t ENOUGH_CALL add_ref(enough_source *self) noexcept {
    return state(self)->add_source_ref();
}
inline uint32_t ENOUGH_CALL release(enough_source *self) noexcept {
    return state(self)->release_source_ref();
}
inline int32_t ENOUGH_CALL cancel(enough_source *self) noexcept {
    return state(self)->cancel(ENOUGH_REASON_CANCELLED) ? 1 : 0;
}
inline int32_t ENOUGH_CALL is_cancelled(enough_source *self) noexcept {
    return state(self)->is_cancelled() ? 1 : 0;
}
inline enough_result ENOUGH_CALL get_token(enough_source *self, enough_token **out) noexcept {
    if (out == nullptr) {
        return ENOUGH_E_POINTER;
    }
    state(self)->add_ref();
    *out = state(self)->token_face();
    return ENOUGH_OK;
}

} // namespace source_methods
} // namespace enough::detail
