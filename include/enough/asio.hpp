/// @file
/// enough::asio: a token cancels Asio operations (standalone Asio, 1.22 and up).
/// Header-only and optional: include it where Asio is available.
///
///   timer.async_wait(enough::asio::bind_token(token, timer.get_executor(),
///                                             [](std::error_code error) { ... }));
///
/// The returned handler carries a per-operation cancellation slot: when the token
/// cancels, from any thread, cancellation_type::terminal is emitted on that slot,
/// posted to the given executor (the operation's), as Asio requires; the operation
/// then completes with asio::error::operation_aborted. When the operation completes
/// first, the handler lets go of the token (its registration) before it runs.
#pragma once

#include <enough/enough.hpp>

#include <asio/associated_allocator.hpp>
#include <asio/associated_executor.hpp>
#include <asio/cancellation_signal.hpp>
#include <asio/post.hpp>

#include <memory>
#include <utility>

namespace enough::asio {

/// A completion handler that an enough token cancels: what bind_token returns. While the
/// operation runs, the token's cancel is emitted on the handler's cancellation slot
/// (posted to `executor`); the handler's own executor and allocator are kept.
template <class Executor, class Handler>
class token_bound_handler {
public:
    /// Asio's associated types: the handler's executor (else `Executor`), its
    /// allocator, and the slot this handler's token signals.
    ///@{
    using executor_type = ::asio::associated_executor_t<Handler, Executor>;
    using allocator_type = ::asio::associated_allocator_t<Handler>;
    using cancellation_slot_type = ::asio::cancellation_slot;
    ///@}

    /// Registers on `token`; its cancel is posted to `executor` as a terminal cancellation.
    token_bound_handler(const enough::token &token, Executor executor, Handler handler)
        : executor_(std::move(executor)), handler_(std::move(handler)),
          signal_(std::make_shared<::asio::cancellation_signal>()) {
        // Runs on the cancelling thread: the emit itself goes to the operation's executor.
        registration_ = token.on_cancel([executor = executor_, signal = signal_](enough::reason) {
            ::asio::post(executor, [signal] { signal->emit(::asio::cancellation_type::terminal); });
        });
    }

    /// The associators Asio asks for.
    ///@{
    cancellation_slot_type get_cancellation_slot() const noexcept { return signal_->slot(); }
    executor_type get_executor() const noexcept { return ::asio::get_associated_executor(handler_, executor_); }
    allocator_type get_allocator() const noexcept { return ::asio::get_associated_allocator(handler_); }
    ///@}

    /// Completes: unregisters from the token, then calls the handler.

    template <class... Args>
    void operator()(Args &&...args) {
        registration_.reset(); // the operation is over: no emit from now on
        std::move(handler_)(std::forward<Args>(args)...);
    }

private:
    Executor executor_;
    Handler handler_;
    std::shared_ptr<::asio::cancellation_signal> signal_; ///< outlives a posted emit
    enough::registration registration_;
};

/// `handler`, cancelled (cancellation_type::terminal, on `executor`) when `token` cancels.
template <class Executor, class Handler>
token_bound_handler<Executor, std::decay_t<Handler>> bind_token(const enough::token &token, Executor executor,
                                                                Handler &&handler) {
    return {token, std::move(executor), std::forward<Handler>(handler)};
}

} // namespace enough::asio
