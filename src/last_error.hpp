// Why the last flat call on this thread was refused or failed (libgit2 style).
//
// Messages are formatted into a thread-local buffer: recording one never allocates and
// never fails. Successful calls leave the message alone.
#pragma once

namespace enough::detail {

// Records "function: problem" for this thread.
void set_last_error(const char *function, const char *problem) noexcept;
// The last message recorded on this thread, or nullptr if none.
const char *last_error() noexcept;

} // namespace enough::detail
