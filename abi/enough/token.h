/** @file
 * enough ABI: the token interface, the right to observe a cancellation.
 *
 * A token never yields a source: query_interface on a token for ENOUGH_IID_SOURCE
 * fails with ENOUGH_E_NOINTERFACE. Holding a token lets you observe, never cancel.
 *
 * Every entry may be called from any thread, concurrently, by a holder of a reference.
 */
#ifndef ENOUGH_ABI_TOKEN_H
#define ENOUGH_ABI_TOKEN_H

#include "base.h"
#include "reason.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The enough_token interface: a pointer to its vtable (enough_token_vtbl). */
typedef struct enough_token enough_token;

/** The entries of enough_token, in vtable order. */
typedef struct enough_token_vtbl {
    /** enough_unknown's three entries, typed for this interface. */
    /**@{*/
    enough_result(ENOUGH_CALL *query_interface)(enough_token *self, const enough_iid *iid,
                                                void **out);
    uint32_t(ENOUGH_CALL *add_ref)(enough_token *self);
    uint32_t(ENOUGH_CALL *release)(enough_token *self);
    /**@}*/

    /** 1 once cancelled (and forever after), else 0. */
    int32_t(ENOUGH_CALL *is_cancelled)(enough_token *self);

    /** 1 if the token is cancelled or may still become cancelled; 0 if it never will
     * (a never token, or every source is gone without cancelling). Once 0, always 0.
     * Like std::stop_token::stop_possible. */
    int32_t(ENOUGH_CALL *may_cancel)(enough_token *self);

    /** A read-only 32-bit state word for polling, or NULL where the implementation has
     * none (then call is_cancelled). The word is ENOUGH_REASON_NONE (0) while the token
     * is not cancelled; once cancelled it holds the positive reason and never changes
     * again. Read it with an atomic acquire load (C11 atomic_load_explicit, GCC/Clang
     * __atomic_load_n(word, __ATOMIC_ACQUIRE), C++ std::atomic_ref, or
     * enough_state_word_load in enough.h); never write it. It is valid while the
     * caller holds a reference to this token, and is 4-byte aligned. */
    const uint32_t *(ENOUGH_CALL *state_word)(enough_token *self);
} enough_token_vtbl;

/** What an enough_token pointer points at: its vtable pointer, first and alone. */
struct enough_token {
    const enough_token_vtbl *vtbl; /**< the interface's entries */
};

/** ENOUGH_IID_TOKEN as an initializer: {A81EDFE3-750E-4083-8361-7DE36BEF63DF}. */
#define ENOUGH_IID_TOKEN_INIT \
    {0xA81EDFE3u, 0x750Eu, 0x4083u, {0x83u, 0x61u, 0x7Du, 0xE3u, 0x6Bu, 0xEFu, 0x63u, 0xDFu}}
/** The id of enough_token, for query_interface. */
static const enough_iid ENOUGH_IID_TOKEN = ENOUGH_IID_TOKEN_INIT;

ENOUGH_STATIC_ASSERT(token_is_one_pointer, sizeof(enough_token) == sizeof(void *));
ENOUGH_STATIC_ASSERT(token_vtbl_size, sizeof(enough_token_vtbl) == 6 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token_vtbl_is_cancelled_at_3,
                     offsetof(enough_token_vtbl, is_cancelled) == 3 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token_vtbl_may_cancel_at_4,
                     offsetof(enough_token_vtbl, may_cancel) == 4 * sizeof(void (*)(void)));
ENOUGH_STATIC_ASSERT(token_vtbl_state_word_at_5,
                     offsetof(enough_token_vtbl, state_word) == 5 * sizeof(void (*)(void)));

#ifdef __cplusplus
}
#endif

#endif /* ENOUGH_ABI_TOKEN_H */
