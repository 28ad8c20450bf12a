/** @file
 * enough ABI: the source interface, the right to cancel.
 *
 * A source and its token are two identities: query_interface on a source for
 * ENOUGH_IID_TOKEN fails; use get_token. Releasing the last reference to a source
 * gives up the right to cancel: its tokens then stay as they are (cancelled, or never
 * to be cancelled) for as long as they are held.
 *
 * Every entry may be called from any thread, concurrently, by a holder of a reference.
 */
#ifndef ENOUGH_ABI_SOURCE_H
#define ENOUGH_ABI_SOURCE_H

#include "base.h"
#include "token.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enough_source interface: a pointer to its vtable (enough_source_vtbl). */
typedef struct enough_source enough_source;

/** The entries of enough_source, in vtable order. */
typedef struct enough_source_vtbl {
    /** enough_unknown's three entries, typed for this interface. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_source *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_source *self);
    uint32_t(ENOUGH_CALL *release)(enough_source *self);
    /**@}*/

    /** Cancels with ENOUGH_REASON_CANCELLED. Returns 1 for the call that cancelled, 0 if
     * the source was already cancelled (first wins; later calls change nothing). */
    int32_t(ENOUGH_CALL *cancel)(enough_source *self);

    /** 1 once cancelled, else 0. */
    int32_t(ENOUGH_CALL *is_cancelled)(enough_source *self);

    /** Sets *out to this source's token, with one new reference the caller releases.
     * ENOUGH_E_POINTER if out is NULL. */
    enough_result(ENOUGH_CALL *get_token)(enough_source *self, enough_token **out);
} enough_source_vtbl;

/** What an enough_source pointer points at: its vtable pointer, first and alone. */
struct enough_source {
    const enough_source_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_SOURCE as an initializer: {DE81061D-854A-4901-B01E-B5C034482E28}. */
#define ENOUGH_IID_SOURCE_INIT \
    {0xDE81061Du, 0x854Au, 0x4901u, {0xB0u, 0x1Eu, 0xB5u, 0xC0u, 0x34u, 0x48u, 0x2Eu, 0x28u}}
/** The id of enough_source, for query_interface. */
static const enough_iid ENOUGH_IID_SOURCE = ENOUGH_IID_SOURCE_INIT;

ENOUGH_STATIC_ASSERT(source_is_one_pointer, sizeof(enough_source) == sizeof(void *));
ENOUGH_STATIC_ASSERT(source_vtbl_size, sizeof(enough_source_vtbl) == 6 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source_vtbl_cancel_at_3,
                     offsetof(enough_source_vtbl, cancel) == 3 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source_vtbl_is_cancelled_at_4,
                     offsetof(enough_source_vtbl, is_cancelled) == 4 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(source_vtbl_get_token_at_5,
                     offsetof(enough_source_vtbl, get_token) == 5 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_SOURCE_H */
