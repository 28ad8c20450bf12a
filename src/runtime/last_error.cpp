#include "runtime/last_error.hpp"

#include <cstdio>

namespace enough::detail {
namespace {
thread_local char message[192];
thread_local int32_t code_recorded = ENOUGH_ERROR_NONE;
} // namespace

void set_last_error(const char *function, int32_t code, const char *problem) noexcept {
    std::snprintf(message, sizeof message, "%s: %s", function, problem);
    code_recorded = code;
}

const char *last_error() noexcept { return code_recorded != ENOUGH_ERROR_NONE ? message : nullptr; }

int32_t last_error_code() noexcept { return code_recorded; }

} // namespace enough::detail
