// How many objects this copy of the library has created and not yet freed (states,
// registrations): what a plugin host asks before unloading a module, and what the
// stress tests check returns to zero.
#pragma once

#include <cstddef>

namespace enough::detail {

void count_created() noexcept;
void count_destroyed() noexcept;
std::size_t live_objects() noexcept;

} // namespace enough::detail
