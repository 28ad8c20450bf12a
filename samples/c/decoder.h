/* A library author's side, in C: a long "decode" that takes an enough token. */
#ifndef SAMPLE_DECODER_H
#define SAMPLE_DECODER_H

#include <stddef.h>
#include <stdint.h>

typedef enum decode_status {
    DECODE_DONE = 0,      /* every block decoded */
    DECODE_CANCELLED = 1, /* stopped at the caller's request; *blocks_done says how far */
} decode_status;

/* Decodes `blocks` blocks, checking `token` before each one. The token is borrowed: the
 * caller keeps its reference, so the decoder never destroys it. NULL never cancels.
 * *reason receives why it stopped (0 when DECODE_DONE). */
decode_status decode(size_t blocks, void *token, size_t *blocks_done, int32_t *reason);

#endif
