// The source face of a cancellation_state: one vtable that is enough_source,
// enough_source2 and enough_source3 (each extends the one before, so one pointer
// serves all three ids).
//
// A source's references are source references: the last release orphans the state.
// Its query_interface never offers a token id (separate identities).
#pragma once

#include "objects/cancellation_state.hpp"
#include "runtime/misuse_guard.hpp"
#include "objects/query.hpp"
#include "runtime/compiler.hpp"

namespace enough::detail {

ENOUGH_INTERNAL extern const enough_source3_vtbl source_vtable;

// The vtable pointer the source face carries (enough_source3's, seen as enough_source's).
inline const enough_source_vtbl *source_face_vtable() noexcept {
    return reinterpret_cast<const enough_source_vtbl *>(&source_vtable);
}
inline bool is_own_source(const enough_source *source) noexcept {
    return source->vtbl == source_face_vtable();
}

// A new cancellation state with its two faces (this source face, and the token face of
// token_interface.hpp) and one source reference; nullptr when memory is exhausted.
gsl::owner<cancellation_state *> new_cancellation_state() noexcept;

namespace source_methods {

template <class Face>
cancellation_state *state(Face *self) noexcept {
    return cancellation_state::from(reinterpret_cast<enough_source *>(self));
}
template <class Face>
enough_result ENOUGH_CALL query_interface(Face *self, const enough_iid *iid, void **out) noexcept {
    return answer_query(self, iid, out,
                        {&ENOUGH_IID_UNKNOWN, &ENOUGH_IID_SOURCE, &ENOUGH_IID_SOURCE2,
                         &ENOUGH_IID_SOURCE3});
}
template <class Face>
uint32_t ENOUGH_CALL add_ref(Face *self) noexcept {
    misuse_guard::acquired(self, handle_kind::source, "enough_source_vtbl.add_ref");
    return state(self)->add_source_ref();
}
template <class Face>
uint32_t ENOUGH_CALL release(Face *self) noexcept {
    misuse_guard::released(self, handle_kind::source, "enough_source_vtbl.release");
    return state(self)->release_source_ref();
}
// Not in the vtable: what enough_cancellation_abandon does to the library's own source
// (a foreign source is released; its own rules decide what its deadline does).
template <class Face>
uint32_t abandon(Face *self) noexcept {
    misuse_guard::released(self, handle_kind::source, "enough_cancellation_abandon");
    return state(self)->abandon_source_ref();
}
template <class Face>
int32_t ENOUGH_CALL cancel(Face *self) noexcept {
    return state(self)->cancel(ENOUGH_REASON_CANCELLED) ? 1 : 0;
}
template <class Face>
int32_t ENOUGH_CALL is_cancelled(Face *self) noexcept {
    return state(self)->is_cancelled() ? 1 : 0;
}
// A new reference to the token face (what get_token hands out).
template <class Face>
enough_token *new_token(Face *self) noexcept {
    state(self)->add_ref();
    enough_token *const token = state(self)->token_face();
    misuse_guard::handed_out(token);
    return token;
}
template <class Face>
enough_result ENOUGH_CALL get_token(Face *self, enough_token **out) noexcept {
    if (out == nullptr) {
        return ENOUGH_E_POINTER;
    }
    *out = new_token(self);
    return ENOUGH_OK;
}
template <class Face>
int32_t ENOUGH_CALL cancel_with_reason(Face *self, int32_t reason) noexcept {
    return state(self)->cancel(reason) ? 1 : 0;
}
template <class Face>
int32_t ENOUGH_CALL reason(Face *self) noexcept {
    return state(self)->reason();
}
template <class Face>
enough_result ENOUGH_CALL cancel_after(Face *self, uint64_t milliseconds) noexcept {
    return state(self)->cancel_after(milliseconds);
}
// No misuse check, even in hardened builds: that takes a lock, and this may run in a
// signal handler.
template <class Face>
int32_t ENOUGH_CALL cancel_async(Face *self, int32_t reason) noexcept {
    return state(self)->cancel_async(reason) ? 1 : 0;
}

} // namespace source_methods
} // namespace enough::detail
