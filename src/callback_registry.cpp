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
    node->prev_ = tail_;
    node->next_ = nullptr;
    (tail_ != nullptr ? tail_->next_ : head_) = node;
    tail_ = node;
    node->phase_.store(phase::listed, std::memory_order_relaxed);
    lock_.unlock();
    return true;
}

void callback_registry::run_all(int32_t reason) noexcept {
    for (;;) {
        lock_.lock();
        callback_registration *node = head_;
        if (node == nullptr) {
            lock_.unlock();
            return;
        }
        head_ = node->next_;
        (head_ != nullptr ? head_->prev_ : tail_) = nullptr;
        node->phase_.store(phase::running, std::memory_order_relaxed);
        lock_.unlock();

        node->invoke(reason); // no lock held while user code runs

        lock_.lock();
        const bool destroyed_inside = node->destroy_after_run_;
        node->phase_.store(phase::done, std::memory_order_seq_cst);
        lock_.unlock();
        if (destroyed_inside) {
            node->destroy(); // its owner let go from inside the callback
        } else {
            runs_finished_.fetch_add(1, std::memory_order_seq_cst);
            if (waiting_.load(std::memory_order_seq_cst) != 0) {
                futex_wake_all(runs_finished_);
            }
        }
    }
}

bool callback_registry::remove(callback_registration *node) noexcept {
    lock_.lock();
    switch (node->phase_.load(std::memory_order_relaxed)) {
    case phase::listed:
        (node->prev_ != nullptr ? node->prev_->next_ : head_) = node->next_;
        (node->next_ != nullptr ? node->next_->prev_ : tail_) = node->prev_;
        node->phase_.store(phase::idle, std::memory_order_relaxed);
        lock_.unlock();
        return true;
    case phase::running:
        if (is_running_on_this_thread(node)) {
            node->destroy_after_run_ = true; // the runner frees it when it returns
            lock_.unlock();
            return false;
        }
        lock_.unlock();
        // Another thread runs it: wait for it to finish (std::stop_callback's rule).
        waiting_.fetch_add(1, std::memory_order_seq_cst);
        for (;;) {
            const uint32_t finished = runs_finished_.load(std::memory_order_seq_cst);
            if (node->phase_.load(std::memory_order_seq_cst) == phase::done) {
                break;
            }
            futex_wait(runs_finished_, finished, -1);
        }
        waiting_.fetch_sub(1, std::memory_order_relaxed);
        return true;
    case phase::idle:
    case phase::done:
        break;
    }
    lock_.unlock();
    return true;
}

} // namespace enough::detail
