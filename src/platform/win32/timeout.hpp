// A wait's timeout in nanoseconds (negative: no limit) as the milliseconds Windows's
// waits take: rounded up (a wait never ends early), INFINITE for no limit.
#pragma once

#include <windows.h>

#include <algorithm>
#include <cstdint>

namespace enough::detail {

inline DWORD wait_milliseconds(int64_t timeout_ns) noexcept {
    if (timeout_ns < 0) {
        return INFINITE;
    }
    const int64_t ms = timeout_ns / 1'000'000 + (timeout_ns % 1'000'000 != 0 ? 1 : 0);
    return static_cast<DWORD>(std::min<int64_t>(ms, INFINITE - 1));
}

} // namespace enough::detail
