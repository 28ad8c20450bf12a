/// @file
/// enough: the standard library, both ways. A std::stop_token (a std::jthread's) drives
/// our source (std_linked_source); our token drives a std::stop_token (std_stop_bridge).
#pragma once

#include <enough/handles.hpp>

#include <stop_token>
#include <utility>

namespace enough {

/// A source that cancels (reason::cancelled) when `stop` is requested, as long as this
/// object lives (a std::stop_callback inside): a std::jthread's stop token can drive
/// native work that polls our token. It is neither copied nor moved; its source and
/// tokens may outlive it (they then no longer follow `stop`).
class std_linked_source {
public:
    /// Follows `stop` while this object lives.
    explicit std_linked_source(std::stop_token stop)
        : follow_(std::move(stop), canceller{source_.get()}) {}
    /// The source that `stop` cancels.
    [[nodiscard]] const enough::source &source() const noexcept { return source_; }
    /// Its token, for native work to poll.
    [[nodiscard]] enough::token token() const { return source_.token(); }

private:
    struct canceller {
        enough_source *target;
        void operator()() const noexcept { target->vtbl->cancel(target); }
    };
    enough::source source_; ///< first: it outlives follow_
    std::stop_callback<canceller> follow_;
};

/// A std::stop_token whose stop is requested when `t` cancels, as long as this object
/// lives (a registration on `t`). The std::stop_token stays valid after it (it then
/// no longer follows `t`).
class std_stop_bridge {
public:
    /// Follows `t` while this object lives.
    explicit std_stop_bridge(const token &t)
        : registration_(t.on_cancel([stop = stop_](enough::reason) mutable { stop.request_stop(); })) {}
    /// The std::stop_token whose stop `t`'s cancel requests.
    [[nodiscard]] std::stop_token get_token() const noexcept { return stop_.get_token(); }

private:
    std::stop_source stop_; ///< first: the registration's callable copies it
    registration registration_;
};

} // namespace enough
