/* A C library function that takes a token, as the Rust tests call it: "decodes" up to
 * `blocks` blocks, checking the token before each; returns how many it did. */
#include <enough/enough.h>

#include <stddef.h>

size_t enough_cancel_decode_example(size_t blocks, void *token) {
    size_t done = 0;
    while (done < blocks && !enough_token_is_cancelled(token)) {
        ++done;
    }
    return done;
}
