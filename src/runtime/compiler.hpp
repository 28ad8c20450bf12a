// What the library asks of its compiler, in one place: every compiler-specific
// attribute is spelled here, with a branch per compiler and a plain fallback.
#pragma once

#include <climits> // the C library's identity (__GLIBC__), which ENOUGH_FAST_TLS needs

#if defined(__GNUC__) || defined(__clang__)

// Internal symbols: never exported, and addressed directly (not through the GOT).
// -fvisibility=hidden covers definitions only; extern declarations need the attribute.
// (PE/COFF exports only what is marked dllexport: nothing to hide there.)
#if defined(_WIN32)
#define ENOUGH_INTERNAL
#else
#define ENOUGH_INTERNAL __attribute__((visibility("hidden")))
#endif
// The entry points called in hot loops start on a cache line (as libc aligns its
// string functions): measured faster that way (docs/performance.md, target t2).
#define ENOUGH_HOT_ENTRY [[gnu::aligned(64)]]
// A thread-local read by one %fs-relative load, without a call. glibc keeps room in
// every thread's static TLS for such libraries even when dlopen loads them (as Python,
// Node.js and .NET do); musl refuses to dlopen one ("initial-exec TLS resolves to
// dynamic definition"; scripts/cross-check's unload test), and the BSDs keep little
// room: elsewhere the default model.
#if defined(__ELF__) && defined(__GLIBC__)
#define ENOUGH_FAST_TLS __attribute__((tls_model("initial-exec")))
#else
#define ENOUGH_FAST_TLS
#endif
// Kept out of line: a slow path that must not bloat its callers.
#define ENOUGH_NOINLINE [[gnu::noinline]]
#define ENOUGH_COLD [[gnu::cold]]
// A function the loader runs when the library is unloaded (or at exit): .fini_array.
#define ENOUGH_AT_UNLOAD [[gnu::destructor]]
// A declaration the link may leave unresolved (its address is then null).
#define ENOUGH_WEAK [[gnu::weak]]
// Asks for the cache line at `address` ahead of its use (a hint: no fault, no effect
// on what the program does).
#define ENOUGH_PREFETCH(address) __builtin_prefetch(address)

#else

#define ENOUGH_INTERNAL
#define ENOUGH_HOT_ENTRY
#define ENOUGH_FAST_TLS
#define ENOUGH_NOINLINE
#define ENOUGH_COLD
#define ENOUGH_AT_UNLOAD
#define ENOUGH_WEAK
#define ENOUGH_PREFETCH(address) ((void)(address))

#endif
