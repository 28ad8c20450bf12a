#include "callback_registry.hpp"

#include "futex.hpp"

namespace enough::detail {

bool callback_registry::add(callback_registration *node,
                            const std::atomic<uint32_t> &word) noexcept {
    lock_.lock();
    // Checked under the lock: cancel stores the word before it takes the lock to run
    // the list, so a node is either seen by the runner or run by its registrar.
    if (word.load(std::memory_order_seq_cst) != ENOUGH_REASON_NONE) {
        lock_.unlock();
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
    lock_.unlock();
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
        lock_.lock();
        callback_registration *node = head_;
        if (node == nullptr) {
            lock_.unlock();
            return;
        }
        unlink(node); // in registration order
        node->set_phase(phase::running);
        lock_.unlock();

        node->invoke(reason); // no lock held while user code runs

        lock_.lock();
        const bool destroyed_inside = node->destroy_after_run_;
        const bool awaited = node->awaited_;
        node->set_phase(phase::done);
        lock_.unlock();
        if (destroyed_inside) {
            node->destroy(); // its owner let go from inside the callback
        } else if (awaited) {
            // The waiter may already have seen `done` and freed the node: waking its
            // address is harmless (the kernel only hashes it) and nothing else touches it.
            futex_wake_all(node->phase_word());
        }
    }
}

bool callback_registry::remove(callback_registration *node) noexcept {
    lock_.lock();
    switch (node->current_phase()) {
    case phase::listed:
        unlink(node);
        node->set_phase(phase::idle);
        lock_.unlock();
        return true;
    case phase::running:
        if (is_running_on_this_thread(node)) {
            node->destroy_after_run_ = true; // the runner frees it when it returns
            lock_.unlock();
            return false;
        }
        node->awaited_ = true;
        lock_.unlock();
        // Another thread runs it: wait for it to finish (std::stop_callback's rule).
        while (node->current_phase() == phase::running) {
            futex_wait(node->phase_word(), static_cast<uint32_t>(phase::running), -1);
        }
        return true;
    case phase::idle:
    case phase::done:
        break;
    }
    lock_.unlock();
    return true;
}

} // namespace enough::detail
