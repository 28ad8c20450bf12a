// From a flat API handle (void*) to an interface pointer, and calls through it.
//
// A flat handle is an interface pointer, so the flat functions accept foreign objects.
// Every flat function takes one of two forms:
//  - call<>: a method every implementation has (the base vtable). The library's own
//    object is called directly (inlined: the fast path), anything else through its
//    vtable, NULL and the wrong kind refused.
//  - accept<> then any_token_* / any_source_*: a capability a foreign object may lack;
//    the seam for foreign objects (objects/any_token.hpp, objects/any_source.hpp)
//    takes the own-object fast path itself and supplies the fallbacks.
#pragma once

#include <type_traits>

#include "runtime/compiler.hpp"
#include "runtime/last_error.hpp"
#include "runtime/misuse_guard.hpp"
#include "objects/imported_token.hpp"
#include "objects/never_token.hpp"
#include "objects/source_interface.hpp"
#include "objects/token_interface.hpp"

namespace enough::detail {

// The vtable of this library's own objects of an interface, and whether a handle is
// this library's object of the *other* kind (a source passed as a token, or back).
inline const void *own_vtable(const enough_source * /*face*/) noexcept { return &source_vtable; }
inline const void *own_vtable(const enough_token * /*face*/) noexcept { return &token_vtable; }
inline bool is_wrong_kind(const enough_source *face) noexcept {
    return static_cast<const void *>(face->vtbl) == &token_vtable ||
           is_never_token(reinterpret_cast<const enough_token *>(face)) || is_imported_token(face);
}
inline bool is_wrong_kind(const enough_token *face) noexcept {
    return static_cast<const void *>(face->vtbl) == &source_vtable;
}

// Records why `function` refuses `face` (NULL, or this library's object of the other kind).
template <class Face>
ENOUGH_COLD void refuse(const char *function, const Face *face) noexcept {
    if (face == nullptr) {
        set_last_error(function, ENOUGH_ERROR_NULL_HANDLE,
                       std::is_same_v<Face, enough_source> ? "the source is NULL"
                                                           : "the token is NULL");
    } else {
        set_last_error(function, ENOUGH_ERROR_WRONG_KIND,
                       std::is_same_v<Face, enough_source> ? "the handle is a token, not a source"
                                                           : "the handle is a source, not a token");
    }
}

// The handle as an interface pointer, or nullptr (with the reason recorded for
// `function`) for NULL and for this library's object of the other kind.
template <class Face>
inline Face *accept(const char *function, void *handle) noexcept {
    auto *const face = static_cast<Face *>(handle);
    if (face == nullptr || is_wrong_kind(face)) {
        refuse(function, face);
        return nullptr;
    }
    if (static_cast<const void *>(face->vtbl) == own_vtable(face)) {
        misuse_guard::check_use(face, kind_of(face), function);
    }
    return face;
}

// call() below for anything but the library's own object: NULL and the other kind
// are refused, other implementations called through their vtable. Out of line, so
// that the fast path needs no stack frame and reaches this by a tail jump.
template <class Face, auto Slot, class R, class... Args>
ENOUGH_NOINLINE R call_other(const char *function, Face *face, R refused, Args... args) noexcept {
    if (face == nullptr || is_wrong_kind(face)) {
        refuse(function, face);
        return refused;
    }
    return static_cast<R>((face->vtbl->*Slot)(face, args...));
}

// Calls the method in vtable slot Slot on a flat handle of interface Face, giving R:
//  - this library's own object: Own, called directly (inlined), tested first (a
//    hardened build first checks that the handle is not dangling);
//  - NULL, or this library's object of the other kind: nothing is called, `refused`
//    is returned and the reason recorded for `function`;
//  - any other implementation: through its vtable.
template <class Face, auto Slot, auto Own, class R, class... Args>
inline R call(const char *function, void *handle, R refused, Args... args) noexcept {
    auto *const face = static_cast<Face *>(handle);
    if (face != nullptr && static_cast<const void *>(face->vtbl) == own_vtable(face)) [[likely]] {
        misuse_guard::check_use(face, kind_of(face), function);
        return static_cast<R>(Own(face, args...));
    }
    return call_other<Face, Slot>(function, face, refused, args...);
}

} // namespace enough::detail
