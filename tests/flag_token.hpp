// A foreign token with only enough_token (no enough_token2 to push through): the
// library watches it through a mirror its thread keeps in step (polled every 1 ms).
#pragma once

#include <enough/enough.hpp>

#include <atomic>
#include <cstdint>

namespace enough_test {

struct flag_token : enough::implements<flag_token, enough_token> {
    bool is_cancelled() const { return word.load() != 0; }
    bool may_cancel() const { return is_cancelled() || alive.load(); }
    const uint32_t *state_word() const { return reinterpret_cast<const uint32_t *>(&word); }

    void cancel(uint32_t reason = 1) { word.store(reason); }
    void orphan() { alive.store(false); } // can never cancel any more

    std::atomic<uint32_t> word{0};
    std::atomic<bool> alive{true};
};

} // namespace enough_test
