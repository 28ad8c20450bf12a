/// @file
/// enough: coroutines. co_await token.cancelled() suspends until the token cancels;
/// cancellation_race is for people writing their own task types.
#pragma once

#include <enough/handles.hpp>

#include <atomic>
#include <coroutine>

namespace enough {

/// co_await token.cancelled(). The registration is made when the coroutine suspends;
/// a cancel racing with that resumes it exactly once (await_suspend then declines to
/// suspend).
class cancelled_awaiter {
public:
    /// Awaits `t`'s cancel.
    explicit cancelled_awaiter(token t) : token_(std::move(t)) {}
    cancelled_awaiter(const cancelled_awaiter &) = delete;
    cancelled_awaiter &operator=(const cancelled_awaiter &) = delete;

    /// The awaitable's three steps: ready when already cancelled; suspend registers on
    /// the token (false: it cancelled meanwhile, go on); resume gives the reason.
    ///@{
    [[nodiscard]] bool await_ready() const noexcept { return token_.is_cancelled(); }
    bool await_suspend(std::coroutine_handle<> waiting) {
        registration_ = token_.on_cancel([this, waiting](enough::reason) {
            if (claimed_.exchange(true)) {
                waiting.resume(); // suspended before we came: ours to resume
            }
        });
        return !claimed_.exchange(true); // false: it already cancelled, go on at once
    }
    enough::reason await_resume() const noexcept { return token_.check(); }
    ///@}

private:
    token token_;
    std::atomic<bool> claimed_{false};
    registration registration_; ///< last: unregistered first when the frame goes
};

inline cancelled_awaiter token::cancelled() const { return cancelled_awaiter(*this); }

/// For people writing their own task types: races an operation against a token. The
/// first of complete() (the operation finished) and the token's cancel wins and
/// resumes the waiting coroutine, once; the other does nothing. won_by_cancel() says
/// which won. The operation itself is not stopped by it: pass the token to it for that.
class cancellation_race {
public:
    /// Races on `t` for the coroutine `waiting`, which the winner resumes.
    cancellation_race(token t, std::coroutine_handle<> waiting)
        : waiting_(waiting), registration_(t.on_cancel([this](enough::reason) { finish(true); })) {}
    /// The operation finished; true when that won the race (the coroutine was resumed).
    bool complete() { return finish(false); }
    /// True when the token's cancel won.
    [[nodiscard]] bool won_by_cancel() const noexcept { return cancel_won_.load(std::memory_order_acquire); }

private:
    bool finish(bool by_cancel) {
        if (done_.exchange(true, std::memory_order_acq_rel)) {
            return false;
        }
        cancel_won_.store(by_cancel, std::memory_order_release);
        waiting_.resume();
        return true;
    }
    std::coroutine_handle<> waiting_;
    std::atomic<bool> done_{false};
    std::atomic<bool> cancel_won_{false};
    registration registration_;
};

} // namespace enough
