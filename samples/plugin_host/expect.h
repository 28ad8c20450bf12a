/* The samples' one-line checks: prints "ok" or "FAIL" with what was checked, and
 * counts the failures (the program's exit status says whether there were any). */
#ifndef SAMPLE_EXPECT_H
#define SAMPLE_EXPECT_H

#include <stdio.h>

static int failures;
#define EXPECT(cond, what)                                                   \
    do {                                                                     \
        if (cond) {                                                          \
            printf("  ok    %s\n", what);                                    \
        } else {                                                             \
            printf("  FAIL  %s\n", what);                                    \
            ++failures;                                                      \
        }                                                                    \
    } while (0)

#endif /* SAMPLE_EXPECT_H */
