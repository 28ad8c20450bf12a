/** @file
 * enough ABI: enough_token2, the token's second interface: reason, callbacks, blocking
 * wait and a pollable file descriptor. Reached with query_interface(ENOUGH_IID_TOKEN2).
 *
 * Its vtable begins with enough_token's six entries, unchanged, so an enough_token2*
 * is also a valid enough_token* (the library's tokens return the same pointer for both).
 */
#ifndef ENOUGH_ABI_TOKEN2_H
#define ENOUGH_ABI_TOKEN2_H

#include "base.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A cancellation callback. Runs at most once, with the reason, on the thread that
 * cancelled (or, if the token was already cancelled, on the registering thread before
 * the registration returns). No lock of the library is held while it runs: it may
 * cancel, register, unregister (even its own registration) and destroy handles. */
typedef void(ENOUGH_CALL *enough_callback_fn)(void *user_data, int32_t reason);

/** The enough_token2 interface: a pointer to its vtable (enough_token2_vtbl). */
typedef struct enough_token2 enough_token2;

/** The entries of enough_token2, in vtable order. */
typedef struct enough_token2_vtbl {
    /** enough_token's entries, in the same order. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_token2 *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_token2 *self);
    uint32_t(ENOUGH_CALL *release)(enough_token2 *self);
    int32_t(ENOUGH_CALL *is_cancelled)(enough_token2 *self);
    int32_t(ENOUGH_CALL *may_cancel)(enough_token2 *self);
    const uint32_t *(ENOUGH_CALL *state_word)(enough_token2 *self);
    /**@}*/

    /** ENOUGH_REASON_NONE (0) while not cancelled, else the positive reason. */
    int32_t(ENOUGH_CALL *reason)(enough_token2 *self);

    /** Registers callback(user_data, reason). On success *registration receives an
     * object (an enough_unknown with one reference); releasing its last reference
     * unregisters: after that release returns, the callback is not running and never
     * will (called from inside that callback, release returns at once). A token that
     * can never cancel accepts the registration and never runs it.
     * ENOUGH_E_POINTER for a NULL callback or registration; ENOUGH_E_OUTOFMEMORY.
     * ENOUGH_E_NOTIMPL from a token that can only be polled (it has nothing to run
     * callbacks with): the library then watches it by polling is_cancelled and
     * may_cancel on its own thread, and takes the reason from the reason entry. */
    enough_result(ENOUGH_CALL *register_callback)(enough_token2 *self, enough_callback_fn callback,
                                                  void *user_data,
                                                  enough_unknown **registration);

    /** Blocks until cancelled (1) or until timeout_ms passes (0). A negative timeout
     * waits without limit; a token that can never cancel returns 0 at once, and a
     * waiter whose sources all go away without cancelling returns 0 then. */
    int32_t(ENOUGH_CALL *wait)(enough_token2 *self, int64_t timeout_ms);

    /** A file descriptor owned by the token object that becomes readable once the token
     * is cancelled and stays readable; -1 where unavailable. Never read from it or close
     * it; it is valid while the caller holds a reference to the token. */
    int32_t(ENOUGH_CALL *fd)(enough_token2 *self);
} enough_token2_vtbl;

/** What an enough_token2 pointer points at: its vtable pointer, first and alone. */
struct enough_token2 {
    const enough_token2_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_TOKEN2 as an initializer: {F25A1C91-CC30-44D5-83AE-F2D36DE7B9AE}. */
#define ENOUGH_IID_TOKEN2_INIT \
    {0xF25A1C91u, 0xCC30u, 0x44D5u, {0x83u, 0xAEu, 0xF2u, 0xD3u, 0x6Du, 0xE7u, 0xB9u, 0xAEu}}
/** The id of enough_token2, for query_interface. */
static const enough_iid ENOUGH_IID_TOKEN2 = ENOUGH_IID_TOKEN2_INIT;

ENOUGH_STATIC_ASSERT(token2_vtbl_size, sizeof(enough_token2_vtbl) == 10 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token2_extends_token,
                     offsetof(enough_token2_vtbl, state_word) ==
                         offsetof(enough_token_vtbl, state_word));
ENOUGH_STATIC_ASSERT(token2_vtbl_reason_at_6,
                     offsetof(enough_token2_vtbl, reason) == 6 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token2_vtbl_register_at_7,
                     offsetof(enough_token2_vtbl, register_callback) == 7 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token2_vtbl_wait_at_8,
                     offsetof(enough_token2_vtbl, wait) == 8 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token2_vtbl_fd_at_9,
                     offsetof(enough_token2_vtbl, fd) == 9 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_TOKEN2_H */
