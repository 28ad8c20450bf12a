// Waking a wait on an exported page's word from another process, where waits on
// shared memory cannot be woken across processes by themselves (Windows:
// WaitOnAddress serves one process). There the exporter makes a named manual-reset
// event per page, and signals it once, after the page's last change (the reason, or
// orphaned); importers open it with SYNCHRONIZE access only (they can wait, never
// signal) and wait on it together with the exporter's process. Elsewhere (a futex;
// the POSIX backend's polling) the wake is empty and shared_word_wait serves.
#pragma once

#include "platform/os_handle.hpp"
#include "platform/process_watch.hpp"

#include <atomic>
#include <cstdint>

namespace enough::detail {

struct shared_wake {
    os_handle event = no_os_handle; // empty: the word's own wait serves
};

// The exporter's wake for the page it publishes as `key` (unique in the process).
// Empty where none is needed, or if the name is taken (then importers poll).
shared_wake shared_wake_create(const process_identity &me, uint32_t key) noexcept;
// An importer's: the exporter's wake, opened to wait only; empty if it cannot be.
shared_wake shared_wake_open(const process_identity &exporter, uint32_t key) noexcept;
// The exporter, after the page's last change.
void shared_wake_signal(const shared_wake &wake) noexcept;
// Blocks while `word` == expected, until the wake is signalled, the exporter exits or
// timeout_ns passes (negative: no limit). True when it returned because the wake was
// signalled (a caller that then finds nothing changed was lied to: it stops using it).
bool shared_wake_wait(const shared_wake &wake, const process_watch &exporter,
                      const std::atomic<uint32_t> &word, uint32_t expected,
                      int64_t timeout_ns) noexcept;
void shared_wake_close(shared_wake &wake) noexcept;

} // namespace enough::detail
