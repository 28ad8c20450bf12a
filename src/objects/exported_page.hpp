// The page an exported token lives in, as both processes see it (version 1): the
// first bytes of one shared page.
//
// The exporting process writes it; importers map it read-only and trust nothing in it
// beyond "a 32-bit word that may change": every field is checked or clamped where it
// is read, so a peer that scribbles on it can make the token look cancelled, orphaned
// or not, and nothing else.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace enough::detail {

struct exported_page {
    std::atomic<uint32_t> word;     // 0, or the reason: the importers' state word
    std::atomic<uint32_t> orphaned; // non-zero once the exporting side can never cancel
    uint32_t magic;                 // exported_page_magic
    uint32_t version;               // exported_page_version
    int32_t exporter_pid;           // who publishes into it (for importers' liveness check)
    uint32_t wake_key;              // names the exporter's wake (platform/shared_wake.hpp)
    uint64_t exporter_start_time;   // tells a reused pid apart
    // The exported token's earliest deadline, in nanoseconds of the steady clock
    // (CLOCK_MONOTONIC, the same in every process of the machine); -1: none.
    std::atomic<int64_t> deadline_ns;
};

// A page is the system's page (shared_page_size(): 4 KiB, 16 KiB or 64 KiB); an
// importer maps whatever size it is given, up to this.
inline constexpr std::size_t exported_page_max_size = std::size_t{1} << 20;
inline constexpr uint32_t exported_page_magic = 0x6E6F7567; // "guon": enough's token page
inline constexpr uint32_t exported_page_version = 1;

// A reason as read from a peer's page: 0 stays 0, a word that is no reason (beyond
// INT32_MAX) reads as ENOUGH_REASON_CANCELLED.
inline int32_t reason_from_peer(uint32_t word) noexcept {
    return word <= 0x7FFFFFFFu ? static_cast<int32_t>(word) : 1;
}

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
static_assert(offsetof(exported_page, word) == 0);
static_assert(sizeof(exported_page) == 40);
static_assert(std::atomic<int64_t>::is_always_lock_free);

} // namespace enough::detail
