/** @file
 * enough ABI: enough_source3, the source's third interface: a cancel that is safe in a
 * signal handler. Reached with query_interface(ENOUGH_IID_SOURCE3).
 *
 * Its vtable begins with enough_source2's nine entries, unchanged, so an
 * enough_source3* is also a valid enough_source2* and enough_source* (the library's
 * sources return the same pointer for all three ids).
 */
#ifndef ENOUGH_ABI_SOURCE3_H
#define ENOUGH_ABI_SOURCE3_H

#include "base.h"
#include "source2.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enough_source3 interface: a pointer to its vtable (enough_source3_vtbl). */
typedef struct enough_source3 enough_source3;

/** The entries of enough_source3, in vtable order. */
typedef struct enough_source3_vtbl {
    /** enough_source2's entries, in the same order. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_source3 *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_source3 *self);
    uint32_t(ENOUGH_CALL *release)(enough_source3 *self);
    int32_t(ENOUGH_CALL *cancel)(enough_source3 *self);
    int32_t(ENOUGH_CALL *is_cancelled)(enough_source3 *self);
    enough_result(ENOUGH_CALL *get_token)(enough_source3 *self, enough_token **out);
    int32_t(ENOUGH_CALL *cancel_with_reason)(enough_source3 *self, int32_t reason);
    int32_t(ENOUGH_CALL *reason)(enough_source3 *self);
    enough_result(ENOUGH_CALL *cancel_after)(enough_source3 *self, uint64_t milliseconds);
    /**@}*/

    /** Cancels with `reason` (> 0) like cancel_with_reason, and may be called from a
     * signal handler: it takes no lock, allocates nothing, starts no thread and calls
     * only async-signal-safe system calls. The state word is set, waiters are woken
     * and the token's fd becomes readable before it returns; the registered callbacks
     * run soon after on the library's own thread, never on the caller's. 1 for the
     * call that cancelled; 0 if already cancelled, orphaned, or reason <= 0. */
    int32_t(ENOUGH_CALL *cancel_async)(enough_source3 *self, int32_t reason);
} enough_source3_vtbl;

/** What an enough_source3 pointer points at: its vtable pointer, first and alone. */
struct enough_source3 {
    const enough_source3_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_SOURCE3 as an initializer: {3C8E5D0B-6F21-4A77-9B1E-5D2C07A4F6E1}. */
#define ENOUGH_IID_SOURCE3_INIT \
    {0x3C8E5D0Bu, 0x6F21u, 0x4A77u, {0x9Bu, 0x1Eu, 0x5Du, 0x2Cu, 0x07u, 0xA4u, 0xF6u, 0xE1u}}
/** The id of enough_source3, for query_interface. */
static const enough_iid ENOUGH_IID_SOURCE3 = ENOUGH_IID_SOURCE3_INIT;

ENOUGH_STATIC_ASSERT(source3_vtbl_size, sizeof(enough_source3_vtbl) == 10 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source3_extends_source2,
                     offsetof(enough_source3_vtbl, cancel_after) ==
                         offsetof(enough_source2_vtbl, cancel_after));
ENOUGH_STATIC_ASSERT(source3_vtbl_cancel_async_at_9,
                     offsetof(enough_source3_vtbl, cancel_async) == 9 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_SOURCE3_H */
