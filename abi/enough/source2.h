/** @file
 * enough ABI: enough_source2, the source's second interface: reasons and deadlines.
 * Reached with query_interface(ENOUGH_IID_SOURCE2).
 *
 * Its vtable begins with enough_source's six entries, unchanged, so an enough_source2*
 * is also a valid enough_source* (the library's sources return the same pointer).
 */
#ifndef ENOUGH_ABI_SOURCE2_H
#define ENOUGH_ABI_SOURCE2_H

#include "base.h"
#include "source.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enough_source2 interface: a pointer to its vtable (enough_source2_vtbl). */
typedef struct enough_source2 enough_source2;

/** The entries of enough_source2, in vtable order. */
typedef struct enough_source2_vtbl {
    /** enough_source's entries, in the same order. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_source2 *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_source2 *self);
    uint32_t(ENOUGH_CALL *release)(enough_source2 *self);
    int32_t(ENOUGH_CALL *cancel)(enough_source2 *self);
    int32_t(ENOUGH_CALL *is_cancelled)(enough_source2 *self);
    enough_result(ENOUGH_CALL *get_token)(enough_source2 *self, enough_token **out);
    /**@}*/

    /** Cancels with `reason` (> 0). 1 for the call that cancelled; 0 if already
     * cancelled or if reason <= 0 (then nothing changes). */
    int32_t(ENOUGH_CALL *cancel_with_reason)(enough_source2 *self, int32_t reason);

    /** ENOUGH_REASON_NONE (0) while not cancelled, else the reason. */
    int32_t(ENOUGH_CALL *reason)(enough_source2 *self);

    /** Arms, or re-arms, a deadline `milliseconds` from now: when it passes, the source
     * cancels with ENOUGH_REASON_TIMED_OUT. Huge values mean "practically never".
     * ENOUGH_OK; ENOUGH_E_CANCELLED if already cancelled; ENOUGH_E_OUTOFMEMORY.
     * Releasing the last source reference disarms it. */
    enough_result(ENOUGH_CALL *cancel_after)(enough_source2 *self, uint64_t milliseconds);
} enough_source2_vtbl;

/** What an enough_source2 pointer points at: its vtable pointer, first and alone. */
struct enough_source2 {
    const enough_source2_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_SOURCE2 as an initializer: {705EC15A-1408-4EF3-80F9-AE9738AAA294}. */
#define ENOUGH_IID_SOURCE2_INIT \
    {0x705EC15Au, 0x1408u, 0x4EF3u, {0x80u, 0xF9u, 0xAEu, 0x97u, 0x38u, 0xAAu, 0xA2u, 0x94u}}
/** The id of enough_source2, for query_interface. */
static const enough_iid ENOUGH_IID_SOURCE2 = ENOUGH_IID_SOURCE2_INIT;

ENOUGH_STATIC_ASSERT(source2_vtbl_size, sizeof(enough_source2_vtbl) == 9 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source2_extends_source,
                     offsetof(enough_source2_vtbl, get_token) ==
                         offsetof(enough_source_vtbl, get_token));
ENOUGH_STATIC_ASSERT(source2_vtbl_cancel_with_reason_at_6,
                     offsetof(enough_source2_vtbl, cancel_with_reason) == 6 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source2_vtbl_reason_at_7,
                     offsetof(enough_source2_vtbl, reason) == 7 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source2_vtbl_cancel_after_at_8,
                     offsetof(enough_source2_vtbl, cancel_after) == 8 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_SOURCE2_H */
