/* The package test (Conan's test_package, and scripts/vcpkg-check's consumer), in C:
 * a token sees its source's cancel. */
#include <enough/enough.h>

#include <stdio.h>

int main(void) {
    void *source = enough_cancellation_create();
    void *token = enough_token_create(source);
    int ok = source != NULL && token != NULL && !enough_token_is_cancelled(token);
    enough_cancellation_cancel(source);
    ok = ok && enough_token_is_cancelled(token);
    enough_token_destroy(token);
    enough_cancellation_destroy(source);
    ok = ok && enough_version() == ENOUGH_VERSION;
    printf("enough %s (package test, C): %s\n", enough_version_string(), ok ? "ok" : "FAILED");
    return ok ? 0 : 1;
}
