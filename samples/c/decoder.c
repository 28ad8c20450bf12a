#include "decoder.h"

#include <enough/enough.h>

static double decode_block(size_t block) {
    double acc = (double)block;
    int i;
    for (i = 0; i < 200; ++i) {
        acc = acc * 0.999 + (double)i;
    }
    return acc;
}

decode_status decode(size_t blocks, void *token, size_t *blocks_done, int32_t *reason) {
    /* Poll the state word directly when the token has one: one load per block. */
    const uint32_t *word = NULL;
    volatile double sink = 0;
    size_t block;
    if (token != NULL) {
        enough_token *t = (enough_token *)token;
        word = t->vtbl->state_word(t);
    }
    for (block = 0; block < blocks; ++block) {
        int stop = word != NULL ? enough_state_word_load(word) != 0 : enough_token_is_cancelled(token);
        if (stop) {
            *blocks_done = block;
            *reason = enough_token_reason(token);
            return DECODE_CANCELLED;
        }
        sink += decode_block(block);
    }
    *blocks_done = blocks;
    *reason = ENOUGH_REASON_NONE;
    return DECODE_DONE;
}
