// Why the last flat call on this thread was refused or failed (libgit2 style): a code
// from <enough/error.h> for programs, and "function: problem" for people.
//
// Messages are formatted into a thread-local buffer: recording one never allocates and
// never fails. Successful calls leave both alone.
#pragma once

#include <enough/abi.h>

#include <cstdint>

namespace enough::detail {

// Records `code` (an ENOUGH_ERROR_*) and "function: problem" for this thread.
void set_last_error(const char *function, int32_t code, const char *problem) noexcept;
// The last message recorded on this thread, or nullptr if none.
const char *last_error() noexcept;
// The last code recorded on this thread, or ENOUGH_ERROR_NONE if none.
int32_t last_error_code() noexcept;

} // namespace enough::detail
