/** @file
 * enough ABI: the whole binary contract in one include. C99 and C++; types only.
 */
#ifndef ENOUGH_ABI_H
#define ENOUGH_ABI_H

#include "base.h"
#include "error.h"
#include "reason.h"
#include "source.h"
#include "source2.h"
#include "source3.h"
#include "token.h"
#include "token2.h"
#include "token3.h"

#endif /* ENOUGH_ABI_H */
