/* A minimal test harness for the C-language tests: counts checks, prints failures. */
#ifndef ENOUGH_TEST_CHECK_H
#define ENOUGH_TEST_CHECK_H

#include <stdio.h>

static int check_failures = 0;
static int check_count = 0;

#define CHECK(cond)                                                         \
    do {                                                                    \
        ++check_count;                                                      \
        if (!(cond)) {                                                      \
            ++check_failures;                                               \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                   \
    } while (0)

/* Prints the summary; returns the process exit code. */
static int check_summary(const char *suite) {
    printf("%s: %d checks, %d failed\n", suite, check_count, check_failures);
    return check_failures == 0 ? 0 : 1;
}

#endif
