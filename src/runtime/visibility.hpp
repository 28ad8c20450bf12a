// Internal symbols: never exported, and addressed directly (not through the GOT).
// -fvisibility=hidden covers definitions only; extern declarations need the attribute.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define ENOUGH_INTERNAL __attribute__((visibility("hidden")))
#else
#define ENOUGH_INTERNAL
#endif

// The entry points called in hot loops start on a cache line (as libc aligns its
// string functions): measured faster that way (docs/performance.md, target t2).
#if defined(__GNUC__) || defined(__clang__)
#define ENOUGH_HOT_ENTRY [[gnu::aligned(64)]]
#else
#define ENOUGH_HOT_ENTRY
#endif
