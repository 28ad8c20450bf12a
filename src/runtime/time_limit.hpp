// From a caller's count of milliseconds to a point on the steady clock, without
// overflow: every place where a number from outside becomes a time goes through here.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace enough::detail {

using steady_clock = std::chrono::steady_clock;

// "Practically never": about 31 years, far inside the clock's range from any now.
inline constexpr uint64_t longest_ms = 1'000'000'000'000;

// `milliseconds` from now, saturated at longest_ms.
inline steady_clock::time_point time_after(uint64_t milliseconds) noexcept {
    return steady_clock::now() +
           std::chrono::milliseconds(static_cast<int64_t>(std::min(milliseconds, longest_ms)));
}

// Whole milliseconds from now until `when`, rounded up; 0 once it has passed.
inline int64_t milliseconds_until(steady_clock::time_point when) noexcept {
    const auto left = when - steady_clock::now();
    if (left <= steady_clock::duration::zero()) {
        return 0;
    }
    return std::chrono::ceil<std::chrono::milliseconds>(left).count();
}

} // namespace enough::detail
