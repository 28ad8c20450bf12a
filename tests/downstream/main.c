/* A C99 consumer of the installed package. */
#include <enough/enough.h>

#include <stdio.h>

int main(void) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    enough_token *abi_token = (enough_token *)token;
    int ok = source != NULL && token != NULL;
    ok = ok && !enough_token_is_cancelled(token) && enough_token_may_cancel(token);
    enough_cancellation_cancel(source);
    ok = ok && enough_token_is_cancelled(token);
    ok = ok && enough_state_word_load(abi_token->vtbl->state_word(abi_token)) == ENOUGH_REASON_CANCELLED;
    enough_cancellation_destroy(source);
    ok = ok && enough_token_is_cancelled(token);
    enough_token_destroy(token);
    ok = ok && enough_version() == ENOUGH_VERSION;
    printf("downstream C99 against enough %s: %s\n", enough_version_string(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
