// A descriptor an event loop polls, readable once rung until cleared: how a watch list
// wakes a loop that watches descriptors itself (Node.js opens it as a stream; libuv
// opens a pipe, never an eventfd), so that no thread of the loop's has to block.
//
// A pipe on every POSIX system; none on Windows (its loops wait on handles: a thread
// of theirs blocks in the watch list's take instead).
#pragma once

namespace enough::detail {

struct doorbell {
    int read_end = -1;
    int write_end = -1;
};

// Opens `bell` (close-on-exec, never blocking either side); false, leaving it closed,
// where the system refuses or has none.
bool doorbell_open(doorbell &bell) noexcept;
// A new descriptor for the read end, the caller's to close; -1 when refused.
int doorbell_share(const doorbell &bell) noexcept;
// Makes it readable (a byte; a full pipe is readable already).
void doorbell_ring(const doorbell &bell) noexcept;
// Empties it: no longer readable until rung again.
void doorbell_clear(const doorbell &bell) noexcept;
void doorbell_close(doorbell &bell) noexcept;

} // namespace enough::detail
