// A descriptor that an event loop can poll: readable once signalled, and from then on
// (an eventfd on Linux). The objects hand these out as enough_token_fd.
#pragma once

namespace enough::detail {

// A new, unsignalled descriptor (close-on-exec, non-blocking), or -1 on failure.
int event_fd_create() noexcept;
// Makes it readable for good. Async-signal-safe; signalling twice is harmless.
void event_fd_signal(int fd) noexcept;
void event_fd_close(int fd) noexcept;

} // namespace enough::detail
