#include "callback_registry.hpp"

#include "futex.hpp"

#include <thread>

namespace enough::detail {

uint32_t callback_registry::lock() noexcept {
    for (int spins = 0;; ++spins) {
        uint32_t word = word_.load(std::memory_order_relaxed);
        if ((word & locked) == 0 &&
            word_.compare_exchange_weak(word, word | locked, std::memory_order_acquire,
                                        std::memory_order_relaxed)) {
            return word;
        }
        if (spins > 64) {
            std::this_thread::yield(); // held only for list operations, never user code
        }
    }
}

uint32_t callback_registry::uncount(uint32_t word, bool &free_state) noexcept {
    word -= registration_unit;
    free_state = word == references_gone; // no registration left, no reference either
    return word;
}

bool callback_registry::add(callback_registration *node,
                            const std::atomic<uint32_t> &word) noexcept {
    const uint32_t counted = lock() + registration_unit;
    // Checked under the lock: cancel stores the word before it takes the lock to run
    // the list, so a node is either seen by the runner or run by its registrar.
    if (word.load(std::memory_order_seq_cst) != ENOUGH_REASON_NONE) {
        unlock(counted);
        return false;
    }
    if (head_ == nullptr) {
        node->prev_ = node->next_ = node;
        head_ = node;
    } else {
        callback_registration *tail = head_->prev_;
        node->prev_ = tail;
        node->next_ = head_;
        tail->next_ = node;
        head_->prev_ = node;
    }
    node->set_phase(phase::listed);
    unlock(counted);
    return true;
}

void callback_registry::unlink(callback_registration *node) noexcept {
    if (node->next_ == node) {
        head_ = nullptr;
    } else {
        node->prev_->next_ = node->next_;
        node->next_->prev_ = node->prev_;
        if (head_ == node) {
            head_ = node->next_;
        }
    }
}

void callback_registry::run_all(int32_t reason) noexcept {
    for (;;) {
        uint32_t word = lock();
        callback_registration *node = head_;
        if (node == nullptr) {
            unlock(word);
            return;
        }
        unlink(node); // in registration order
        node->set_phase(phase::running);
        unlock(word);

        node->invoke(reason); // no lock held while user code runs

        word = lock();
        const bool destroyed_inside = node->destroy_after_run_;
        const bool awaited = node->awaited_;
        node->set_phase(phase::done);
        if (destroyed_inside) {
            // Its owner let go from inside the callback: uncount and free it here. The
            // state cannot be left without references: this thread holds one.
            bool free_state = false;
            word = uncount(word, free_state);
        }
        unlock(word);
        if (destroyed_inside) {
            node->destroy();
        } else if (awaited) {
            // The waiter may already have seen `done` and freed the node: waking its
            // address is harmless (the kernel only hashes it) and nothing else touches it.
            futex_wake_all(node->phase_word());
        }
    }
}

callback_registry::removal callback_registry::remove(callback_registration *node) noexcept {
    uint32_t word = lock();
    removal result{true, false};
    switch (node->current_phase()) {
    case phase::listed:
        unlink(node);
        node->set_phase(phase::idle);
        break;
    case phase::running:
        if (is_running_on_this_thread(node)) {
            node->destroy_after_run_ = true; // the runner uncounts and frees it
            unlock(word);
            return {false, false};
        }
        node->awaited_ = true;
        unlock(word);
        // Another thread runs it: wait for it to finish (std::stop_callback's rule).
        while (node->current_phase() == phase::running) {
            futex_wait(node->phase_word(), static_cast<uint32_t>(phase::running), -1);
        }
        word = lock();
        break;
    case phase::idle:
    case phase::done:
        break;
    }
    word = uncount(word, result.free_state);
    unlock(word); // the last access to the state's memory
    return result;
}

bool callback_registry::release_memory_on_last_reference() noexcept {
    // No registration and nobody in the lock: none can appear (that takes a reference).
    if (word_.load(std::memory_order_acquire) == 0) {
        return true;
    }
    uint32_t word = lock();
    if (word < registration_unit) {
        unlock(word);
        return true;
    }
    unlock(word | references_gone); // the last registration to go frees the state
    return false;
}

} // namespace enough::detail
