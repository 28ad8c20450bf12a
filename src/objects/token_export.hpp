// Exported tokens: a token's cancellation published into a page that other processes
// map (exported_page.hpp), handed out as a read-only descriptor.
//
// One export per token (by identity), however often it is exported: a new descriptor
// of the same page each time. The export registers a callback on the token (a cancel
// stores the reason in the page and wakes the importers' waiters at once) and is
// polled by the library's thread (every export_poll_interval) for the token becoming
// unable to cancel, which it publishes as "orphaned". Then, or once cancelled, the
// export's work is done: the library's thread frees it (the page lives on while any
// process holds a descriptor or a mapping of it).
#pragma once

#include "platform/shared_page.hpp"
#include "platform/shared_wake.hpp"
#include "runtime/object_pool.hpp"

#include <enough/abi.h>

#include <gsl/pointers>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace enough::detail {

struct exported_page;

class token_export : public pooled<pool_kind::rare> {
public:
    // A new read-only, close-on-exec descriptor of `token`'s page (made on first
    // export); -1 with *error set on failure: ENOUGH_ERROR_SYSTEM (no shared page),
    // ENOUGH_ERROR_OUT_OF_MEMORY, or ENOUGH_ERROR_FOREIGN_FAILURE (a foreign token
    // refused the callback that follows it).
    static int export_token(gsl::not_null<enough_token *> token, int32_t *error) noexcept;

    // The library's thread, every export_poll_interval: true when the export is over
    // (cancelled, or can never be): then it calls finish().
    bool poll() noexcept;
    // Unregisters, unmaps, releases the token, frees this. The library's thread.
    void finish() noexcept;

    static constexpr std::chrono::milliseconds poll_interval{10};

private:
    token_export(enough_token *token, const void *identity) noexcept;
    ~token_export() = default;

    static void ENOUGH_CALL on_cancelled(void *self, int32_t reason);
    // Writes the page: only the process that made the export (not a forked copy).
    bool owns_page() const noexcept;
    void publish_reason(int32_t reason) noexcept;
    void publish_orphaned() noexcept;
    void publish_deadline() noexcept; // the token's remaining time, as a point in time
    exported_page *page() const noexcept;

    enough_token *token_;              // one reference
    const void *identity_;             // the token's IUnknown pointer: the registry key
    shared_page page_;                 // read-write handle and mapping
    shared_wake wake_;                 // signalled after the page's last change
    enough_unknown *registration_ = nullptr;
    std::atomic<bool> over_{false};    // cancelled or orphaned: published for good
    int32_t owner_pid_ = 0;            // the process that made it (not a forked copy)
};

} // namespace enough::detail
