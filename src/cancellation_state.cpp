#include "cancellation_state.hpp"

#include "source_interface.hpp"
#include "token_interface.hpp"

#include <new>

namespace enough::detail {

gsl::owner<cancellation_state *> cancellation_state::create() noexcept {
    return new (std::nothrow) cancellation_state();
}

cancellation_state::cancellation_state() noexcept
    : source_face_{&source_vtable}, token_face_{&token_vtable} {}

uint32_t cancellation_state::release() noexcept {
    const uint32_t left = refs_.fetch_sub(1, std::memory_order_acq_rel) - 1;
    if (left == 0) {
        delete this;
    }
    return left;
}

uint32_t cancellation_state::release_source_ref() noexcept {
    const uint32_t left =
        (control_.fetch_sub(source_ref_unit, std::memory_order_acq_rel) >> 1) - 1;
    if (left == 0) {
        // The right to cancel is gone; the sources' shared reference goes with it.
        release();
    }
    return left;
}

bool cancellation_state::cancel(uint32_t reason) noexcept {
    uint32_t control = control_.load(std::memory_order_relaxed);
    do {
        if ((control & cancel_claimed) != 0 || control < source_ref_unit) {
            return false; // already cancelled, or orphaned: nobody may cancel any more
        }
    } while (!control_.compare_exchange_weak(control, control | cancel_claimed,
                                             std::memory_order_acq_rel,
                                             std::memory_order_relaxed));
    word_.store(reason, std::memory_order_release);
    return true;
}

} // namespace enough::detail
