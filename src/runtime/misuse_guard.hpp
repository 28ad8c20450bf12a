// Misuse detection for hardened builds (CMake option ENOUGH_HARDENED).
//
// A handle is an interface pointer, and one object may be referenced by many copies
// of it; a normal build cannot tell a dangling copy from a live one. A hardened build
// counts, per interface pointer (source face, token face, registration), the
// references handed to callers, and keeps freed memory out of reuse for a while (the
// object pool's quarantine), so that:
//  - a release beyond the references handed out (double release), and
//  - any call on a handle whose references are all released (use after release)
// are reported on stderr with the call and the handle, and the process aborts,
// before the object's real state is touched. Internal references (deadlines, links,
// mirrors) never go through these counts, so they cannot mask or cause a report.
//
// In a normal build every function here is an empty inline: no code, no cost.
#pragma once

#include <enough/abi.h>

#include <cstddef>

#if defined(ENOUGH_HARDENED) && ENOUGH_HARDENED
#define ENOUGH_HARDENED_BUILD 1
#else
#define ENOUGH_HARDENED_BUILD 0
#endif

namespace enough::detail {

enum class handle_kind { source, token, registration };
inline handle_kind kind_of(const enough_source * /*face*/) noexcept { return handle_kind::source; }
inline handle_kind kind_of(const enough_source2 * /*face*/) noexcept { return handle_kind::source; }
inline handle_kind kind_of(const enough_source3 * /*face*/) noexcept { return handle_kind::source; }
inline handle_kind kind_of(const enough_token * /*face*/) noexcept { return handle_kind::token; }
inline handle_kind kind_of(const enough_token2 * /*face*/) noexcept { return handle_kind::token; }
inline handle_kind kind_of(const enough_token3 * /*face*/) noexcept { return handle_kind::token; }
inline handle_kind kind_of(const enough_unknown * /*face*/) noexcept {
    return handle_kind::registration;
}

namespace misuse_guard {

#if ENOUGH_HARDENED_BUILD
// A new reference handed to a caller: creation, a token from a source, a registration.
void handed_out(const void *face) noexcept;
// A caller's add_ref: the caller must hold a reference already.
void acquired(const void *face, handle_kind kind, const char *call) noexcept;
// A caller's release: the caller must hold a reference.
void released(const void *face, handle_kind kind, const char *call) noexcept;
// Any other call: the caller must hold a reference.
void check_use(const void *face, handle_kind kind, const char *call) noexcept;
// The block's memory is about to be reused: forget the faces that lived in it.
void forget(const void *block, std::size_t size) noexcept;
#else
inline void handed_out(const void * /*face*/) noexcept {}
inline void acquired(const void * /*face*/, handle_kind /*kind*/, const char * /*call*/) noexcept {}
inline void released(const void * /*face*/, handle_kind /*kind*/, const char * /*call*/) noexcept {}
inline void check_use(const void * /*face*/, handle_kind /*kind*/, const char * /*call*/) noexcept {}
inline void forget(const void * /*block*/, std::size_t /*size*/) noexcept {}
#endif

} // namespace misuse_guard

// A call's name as a template argument ("enough_token_vtbl.is_cancelled").
template <std::size_t N>
struct call_name {
    char text[N];
    constexpr call_name(const char (&name)[N]) noexcept { // NOLINT: implicit on purpose
        for (std::size_t i = 0; i < N; ++i) {
            text[i] = name[i];
        }
    }
};

// A vtable entry that checks the handle before calling Method (hardened builds); in a
// normal build it compiles to Method itself.
template <call_name Name, auto Method>
struct checked_entry;
template <call_name Name, class R, class Face, class... Args,
          R(ENOUGH_CALL *Method)(Face *, Args...) noexcept>
struct checked_entry<Name, Method> {
    static R ENOUGH_CALL entry(Face *self, Args... args) noexcept {
        misuse_guard::check_use(self, kind_of(self), Name.text);
        return Method(self, args...);
    }
};

} // namespace enough::detail
