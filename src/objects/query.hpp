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

} // namespace enough::detail
