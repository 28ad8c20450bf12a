#include "runtime/misuse_guard.hpp"

#include "runtime/fork_locks.hpp"

#if ENOUGH_HARDENED_BUILD

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <new>
#include <unordered_map>

namespace enough::detail::misuse_guard {
namespace {

// References handed to callers, per interface pointer. An entry at zero is a handle
// whose references are all gone (its memory is quarantined, or still used internally).
struct ledger {
    std::mutex mutex;
    std::unordered_map<const void *, uint32_t> references;
};

// Built in static storage and never destroyed: objects are released during exit too,
// and making it cannot fail.
ledger &the_ledger() noexcept {
    alignas(ledger) static unsigned char storage[sizeof(ledger)];
    static ledger *const instance = [] {
        auto *const made = new (storage) ledger();
        lock_across_fork(made->mutex); // a forked child checks its handles too
        return made;
    }();
    return *instance;
}
// Made as the library loads, while one thread runs (runtime/fork_locks.hpp).
[[maybe_unused]] const ledger &made_at_load = the_ledger();

const char *kind_name(handle_kind kind) noexcept {
    switch (kind) {
    case handle_kind::source:
        return "source";
    case handle_kind::token:
        return "token";
    case handle_kind::registration:
        return "registration";
    }
    return "handle";
}

// One message for every case: a dangling handle was released again or used.
[[noreturn]] void report(const void *face, handle_kind kind, const char *call) noexcept {
    std::fprintf(stderr,
                 "enough (hardened): %s(%p): this %s handle was already released for the "
                 "last time (double release, or use after release)\n",
                 call, face, kind_name(kind));
    std::fflush(stderr);
    std::abort();
}

// A caller's call on a handle it must hold a reference to: reports a handle whose
// references are all gone, then applies `delta` (+1 add_ref, -1 release, 0 any use).
// Handles the ledger never saw (internal objects) pass.
void account(const void *face, handle_kind kind, const char *call, int delta) noexcept {
    ledger &l = the_ledger();
    const std::lock_guard lock(l.mutex);
    const auto found = l.references.find(face);
    if (found != l.references.end()) {
        if (found->second == 0) {
            report(face, kind, call);
        }
        found->second = static_cast<uint32_t>(static_cast<int64_t>(found->second) + delta);
    }
}

} // namespace

void handed_out(const void *face) noexcept {
    ledger &l = the_ledger();
    const std::lock_guard lock(l.mutex);
    try {
        ++l.references[face];
    } catch (...) {
        // Out of memory for the table: this handle goes unchecked rather than the
        // process ending (an untracked handle always passes the checks).
    }
}

void acquired(const void *face, handle_kind kind, const char *call) noexcept {
    account(face, kind, call, +1);
}

void released(const void *face, handle_kind kind, const char *call) noexcept {
    account(face, kind, call, -1);
}

void check_use(const void *face, handle_kind kind, const char *call) noexcept {
    account(face, kind, call, 0);
}

void forget(const void *block, std::size_t size) noexcept {
    ledger &l = the_ledger();
    const std::lock_guard lock(l.mutex);
    const auto *const bytes = static_cast<const char *>(block);
    for (std::size_t offset = 0; offset < size; offset += alignof(void *)) {
        l.references.erase(bytes + offset);
    }
}

} // namespace enough::detail::misuse_guard

#endif
