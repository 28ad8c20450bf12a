#include "last_error.hpp"

#include <cstdio>

namespace enough::detail {
namespace {
thread_local char message[192];
thread_local bool has_message = false;
} // namespace

void set_last_error(const char *function, const char *problem) noexcept {
    std::snprintf(message, sizeof message, "%s: %s", function, problem);
    has_message = true;
}

const char *last_error() noexcept { return has_message ? message : nullptr; }

} // namespace enough::detail
