// From a flat API handle (void*) to an interface pointer, and calls through it.
//
// A flat handle is an interface pointer, so the flat functions accept foreign objects.
// For the library's own objects two things are cheaper than the vtable: the methods are
// called directly (inlined), and a handle of the wrong kind is recognised and refused.
#pragma once

#include "never_token.hpp"
#include "source_interface.hpp"
#include "token_interface.hpp"

namespace enough::detail {

inline const void *own_vtable(const enough_source * /*face*/) noexcept { return &source_vtable; }
inline const void *own_vtable(const enough_token * /*face*/) noexcept { return &token_vtable; }

// A source handle, or nullptr for NULL and for this library's tokens.
inline enough_source *as_source(void *handle) noexcept {
    auto *const source = static_cast<enough_source *>(handle);
    if (source == nullptr || static_cast<const void *>(source->vtbl) == &token_vtable ||
        is_never_token(static_cast<enough_token *>(handle))) {
        return nullptr;
    }
    return source;
}

// A token handle, or nullptr for NULL and for this library's sources.
inline enough_token *as_token(void *handle) noexcept {
    auto *const token = static_cast<enough_token *>(handle);
    if (token == nullptr || static_cast<const void *>(token->vtbl) == &source_vtable) {
        return nullptr;
    }
    return token;
}

// Calls the method in vtable slot Slot: Own directly for the library's own objects,
// through the vtable for any other implementation.
template <auto Slot, auto Own, class Face, class... Args>
inline auto call(Face *face, Args... args) noexcept {
    if (static_cast<const void *>(face->vtbl) == own_vtable(face)) {
        return Own(face, args...);
    }
    return (face->vtbl->*Slot)(face, args...);
}

} // namespace enough::detail
