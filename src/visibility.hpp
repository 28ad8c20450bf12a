// Internal symbols: never exported, and addressed directly (not through the GOT).
// -fvisibility=hidden covers definitions only; extern declarations need the attribute.
#pragma once

#if defined(__GNUC__) || defined(__clang__)
#define ENOUGH_INTERNAL __attribute__((visibility("hidden")))
#else
#define ENOUGH_INTERNAL
#endif
