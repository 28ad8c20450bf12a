#include "live_objects.hpp"

#include <atomic>

namespace enough::detail {
namespace {
std::atomic<std::size_t> live{0};
} // namespace

void count_created() noexcept { live.fetch_add(1, std::memory_order_relaxed); }
void count_destroyed() noexcept { live.fetch_sub(1, std::memory_order_relaxed); }
std::size_t live_objects() noexcept { return live.load(std::memory_order_acquire); }

} // namespace enough::detail
