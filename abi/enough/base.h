/** @file
 * enough ABI: the base of every interface.
 *
 * This file is the binary contract. It holds types only, no code, and compiles as
 * C99 and as C++. What is published here never changes: a new capability is a new
 * interface with a new id, reached through query_interface.
 *
 * The rules are COM's (IUnknown):
 *  - Every interface is a struct whose only member is a pointer to a constant table of
 *    function pointers (its vtable). The first three entries of every vtable are
 *    query_interface, add_ref and release, in that order.
 *  - Identity: query_interface(ENOUGH_IID_UNKNOWN) on any interface of one object
 *    returns the same pointer every time. Two interfaces belong to one object exactly
 *    when those pointers are equal.
 *  - Symmetry, reflexivity, transitivity: if a query from interface A for B succeeds,
 *    a query from B for A succeeds, and a query from A for A succeeds.
 *  - Every interface pointer handed out (by query_interface, by a getter, by a
 *    factory) carries one reference that the receiver releases exactly once.
 *  - add_ref and release return the new count for debugging only; never rely on it.
 *  - Every function pointer uses ENOUGH_CALL and may be called from any thread.
 *  - No function reports failure by exception, longjmp or abort: failures are
 *    enough_result codes (negative), and out pointers are set to NULL on failure.
 */
#ifndef ENOUGH_ABI_BASE_H
#define ENOUGH_ABI_BASE_H

#include <stddef.h>
#include <stdint.h>

/** Calling convention of every function pointer in the ABI. Empty where the platform
 * has a single convention; __stdcall on 32-bit Windows, as COM. */
#if defined(_WIN32) && !defined(_WIN64)
#define ENOUGH_CALL __stdcall
#else
#define ENOUGH_CALL
#endif

/** Layout checks that work in C99 (no _Static_assert there), C11 and C++. */
#if defined(__cplusplus)
#define ENOUGH_STATIC_ASSERT(name, cond) static_assert(cond, #name)
#elif defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
#define ENOUGH_STATIC_ASSERT(name, cond) _Static_assert(cond, #name)
#else
#define ENOUGH_STATIC_ASSERT(name, cond) typedef char enough_static_assert_##name[(cond) ? 1 : -1]
#endif

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes: 0 is success, every failure is negative. */
typedef int32_t enough_result;
#define ENOUGH_OK 0                /**< success */
#define ENOUGH_E_NOINTERFACE (-1) /**< the object does not implement the requested interface */
#define ENOUGH_E_POINTER (-2)     /**< a required pointer argument was NULL */
#define ENOUGH_E_INVALIDARG (-3)  /**< an argument is out of its documented range */
#define ENOUGH_E_OUTOFMEMORY (-4) /**< an allocation failed; nothing was changed */
#define ENOUGH_E_NOTIMPL (-5)     /**< the implementation does not offer this operation */
#define ENOUGH_E_UNEXPECTED (-6)  /**< the implementation failed internally (e.g. it threw) */
#define ENOUGH_E_CANCELLED (-7)   /**< the object is already cancelled (or can no longer be) */

/** A 16-byte interface id, laid out as a GUID. Compare ids by value. */
typedef struct enough_iid {
    uint32_t data1;   /**< the first 8 hex digits */
    uint16_t data2;   /**< the next 4 */
    uint16_t data3;   /**< the next 4 */
    uint8_t data4[8]; /**< the last 16, as bytes */
} enough_iid;

ENOUGH_STATIC_ASSERT(iid_is_16_bytes, sizeof(enough_iid) == 16);

/** The base interface. Every interface pointer can be used as an enough_unknown*. */
typedef struct enough_unknown enough_unknown;

/** The entries of enough_unknown, in vtable order. */
typedef struct enough_unknown_vtbl {
    /** Asks the object for another of its interfaces. On success *out receives the
     * interface pointer with one new reference and the result is ENOUGH_OK. On failure
     * *out is set to NULL and the result is ENOUGH_E_NOINTERFACE (unknown id) or
     * ENOUGH_E_POINTER (iid or out is NULL; out is left alone when it is NULL). */
    enough_result(ENOUGH_CALL *query_interface)(enough_unknown *self, const enough_iid *iid,
                                                void **out);
    /** Adds one reference. Returns the new count (informational). */
    uint32_t(ENOUGH_CALL *add_ref)(enough_unknown *self);
    /** Removes one reference; the object may be gone when it returns. Returns the new
     * count (informational; immortal objects may return any non-zero value). */
    uint32_t(ENOUGH_CALL *release)(enough_unknown *self);
} enough_unknown_vtbl;

/** What an enough_unknown pointer points at: its vtable pointer, first and alone. */
struct enough_unknown {
    const enough_unknown_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_UNKNOWN as an initializer: {E23844D5-1046-46FF-A110-80F5B49DDA46}. */
#define ENOUGH_IID_UNKNOWN_INIT \
    {0xE23844D5u, 0x1046u, 0x46FFu, {0xA1u, 0x10u, 0x80u, 0xF5u, 0xB4u, 0x9Du, 0xDAu, 0x46u}}
/** The id of enough_unknown, for query_interface. */
static const enough_iid ENOUGH_IID_UNKNOWN = ENOUGH_IID_UNKNOWN_INIT;

/* Pinned layout: a vtable is an array of pointer-sized function pointers. */
ENOUGH_STATIC_ASSERT(unknown_is_one_pointer, sizeof(enough_unknown) == sizeof(void *));
ENOUGH_STATIC_ASSERT(unknown_vtbl_query_interface_first,
                     offsetof(enough_unknown_vtbl, query_interface) == 0);
ENOUGH_STATIC_ASSERT(unknown_vtbl_add_ref_second,
                     offsetof(enough_unknown_vtbl, add_ref) == sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(unknown_vtbl_release_third,
                     offsetof(enough_unknown_vtbl, release) == 2 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(unknown_vtbl_size, sizeof(enough_unknown_vtbl) == 3 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_BASE_H */
