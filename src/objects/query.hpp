// query_interface, answered once for every object of the library.
#pragma once

#include <enough/enough.h>

#include <initializer_list>

namespace enough::detail {

// Answers a query for an object whose offered ids all map to one interface pointer
// (its identity, with interfaces that extend each other sharing that pointer).
// COM's rules: out is cleared on failure; a success carries one new reference.
template <class Face>
enough_result answer_query(Face *face, const enough_iid *iid, void **out,
                           std::initializer_list<const enough_iid *> offered) noexcept {
    if (out == nullptr) {
        return ENOUGH_E_POINTER;
    }
    *out = nullptr;
    if (iid == nullptr) {
        return ENOUGH_E_POINTER;
    }
    for (const enough_iid *id : offered) {
        if (enough_iid_equal(iid, id)) {
            face->vtbl->add_ref(face);
            *out = face;
            return ENOUGH_OK;
        }
    }
    return ENOUGH_E_NOINTERFACE;
}

// Calls use(J*) with the object's interface J (queried by `iid`, released after), or
// fallback() when the object does not offer it.
template <class J, class Face, class Use, class Fallback>
auto with_interface(Face *face, const enough_iid &iid, Use use, Fallback fallback) noexcept {
    void *out = nullptr;
    if (face->vtbl->query_interface(face, &iid, &out) == ENOUGH_OK && out != nullptr) {
        auto *const other = static_cast<J *>(out);
        auto result = use(other);
        other->vtbl->release(other);
        return result;
    }
    return fallback();
}

// A token's remaining time asked through its interfaces only (enough_token3's
// remaining_ms; without it, 0 once cancelled and -1 otherwise): how any token is asked
// when nothing more is known of it, this library's own included.
inline int64_t ask_remaining_ms(enough_token *token) noexcept {
    return with_interface<enough_token3>(
        token, ENOUGH_IID_TOKEN3, [](enough_token3 *t) { return t->vtbl->remaining_ms(t); },
        [token]() -> int64_t { return token->vtbl->is_cancelled(token) != 0 ? 0 : -1; });
}

} // namespace enough::detail
