/** @file
 * enough ABI: enough_token3, the token's third interface: the time it has left.
 * Reached with query_interface(ENOUGH_IID_TOKEN3).
 *
 * Its vtable begins with enough_token2's ten entries, unchanged, so an enough_token3*
 * is also a valid enough_token2* and enough_token* (the library's tokens return the
 * same pointer for all three ids).
 */
#ifndef ENOUGH_ABI_TOKEN3_H
#define ENOUGH_ABI_TOKEN3_H

#include "base.h"
#include "token2.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enough_token3 interface: a pointer to its vtable (enough_token3_vtbl). */
typedef struct enough_token3 enough_token3;

/** The entries of enough_token3, in vtable order. */
typedef struct enough_token3_vtbl {
    /** enough_token2's entries, in the same order. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_token3 *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_token3 *self);
    uint32_t(ENOUGH_CALL *release)(enough_token3 *self);
    int32_t(ENOUGH_CALL *is_cancelled)(enough_token3 *self);
    int32_t(ENOUGH_CALL *may_cancel)(enough_token3 *self);
    const uint32_t *(ENOUGH_CALL *state_word)(enough_token3 *self);
    int32_t(ENOUGH_CALL *reason)(enough_token3 *self);
    enough_result(ENOUGH_CALL *register_callback)(enough_token3 *self, enough_callback_fn callback,
                                                  void *user_data,
                                                  enough_unknown **registration);
    int32_t(ENOUGH_CALL *wait)(enough_token3 *self, int64_t timeout_ms);
    int32_t(ENOUGH_CALL *fd)(enough_token3 *self);
    /**@}*/

    /** Milliseconds until the earliest deadline that would cancel this token (its own,
     * or any it follows), rounded up; -1 when no deadline applies (or it can never
     * cancel); 0 once cancelled or once the deadline has passed. */
    int64_t(ENOUGH_CALL *remaining_ms)(enough_token3 *self);
} enough_token3_vtbl;

/** What an enough_token3 pointer points at: its vtable pointer, first and alone. */
struct enough_token3 {
    const enough_token3_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_TOKEN3 as an initializer: {5B0E3C7A-9D41-4E2F-A6B8-1C3D5E7F9A02}. */
#define ENOUGH_IID_TOKEN3_INIT \
    {0x5B0E3C7Au, 0x9D41u, 0x4E2Fu, {0xA6u, 0xB8u, 0x1Cu, 0x3Du, 0x5Eu, 0x7Fu, 0x9Au, 0x02u}}
/** The id of enough_token3, for query_interface. */
static const enough_iid ENOUGH_IID_TOKEN3 = ENOUGH_IID_TOKEN3_INIT;

ENOUGH_STATIC_ASSERT(token3_vtbl_size, sizeof(enough_token3_vtbl) == 11 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token3_extends_token2,
                     offsetof(enough_token3_vtbl, fd) == offsetof(enough_token2_vtbl, fd));
ENOUGH_STATIC_ASSERT(token3_vtbl_remaining_ms_at_10,
                     offsetof(enough_token3_vtbl, remaining_ms) == 10 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_TOKEN3_H */
