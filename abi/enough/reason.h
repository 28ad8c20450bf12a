/** @file
 * enough ABI: why a token was cancelled.
 *
 * A reason is a positive int32_t. It is the value a cancelled token's state word holds,
 * so "cancelled" and "why" are one atomic fact: 0 means not cancelled, anything else
 * is the reason given by the call that cancelled (the first one wins).
 */
#ifndef ENOUGH_ABI_REASON_H
#define ENOUGH_ABI_REASON_H

#define ENOUGH_REASON_NONE 0      /**< not cancelled */
#define ENOUGH_REASON_CANCELLED 1 /**< cancelled by a caller (enough_cancellation_cancel) */
#define ENOUGH_REASON_TIMED_OUT 2 /**< a deadline passed (enough_cancellation_cancel_after) */
/** 3..255 are reserved for enough; 256 and up are free for applications. */
#define ENOUGH_REASON_FIRST_USER 256

#endif /* ENOUGH_ABI_REASON_H */
