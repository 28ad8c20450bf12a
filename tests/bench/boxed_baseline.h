/* The seed's design, as a stand-in baseline: each handle is its own heap box pointing
 * at a shared reference-counted flag (Rust's Box<Arc<AtomicBool>>), called through a
 * shared library. Built as libenough_boxed_baseline.so for the benchmarks only. */
#ifndef ENOUGH_BOXED_BASELINE_H
#define ENOUGH_BOXED_BASELINE_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

void *boxed_cancellation_create(void);
void boxed_cancellation_cancel(void *source);
void boxed_cancellation_destroy(void *source);
void *boxed_token_create(void *source);
bool boxed_token_is_cancelled(void *token);
void boxed_token_destroy(void *token);

#ifdef __cplusplus
}
#endif

#endif
