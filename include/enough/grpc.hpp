/// @file
/// enough::grpc: tokens that travel with gRPC calls, hop after hop (the optional
/// component enough::grpc, built when gRPC is found; link enough::grpc).
///
/// Server side: server_call turns the call being served into a source whose token
/// cancels with reason::cancelled when the client cancels or goes away, and with
/// reason::timed_out when the call's deadline passes.
/// Client side: client_call prepares a ClientContext from a token: the deadline is the
/// token's remaining time, and when the token cancels the call is cancelled. A server
/// passing its call's token on to the calls it makes propagates both, hop after hop.
///
/// What crosses, and what is ignored: gRPC's own deadline (grpc-timeout) and
/// cancellation (RST_STREAM) cross every hop. An application reason (256 and up) cannot
/// ride on gRPC's cancel, which carries no payload: client_call first sends it with
/// the Cancellation service (make_cancellation_service, registered on the server) for
/// the call named by the unguessable id in the "enough-call-id" metadata, then cancels
/// the call. The server accepts, from metadata and that service, only this: a reason
/// of 256 and up, for a call id of a call it is serving. Everything else in metadata
/// is ignored: it can never cancel a token or change its reason.
#pragma once

#include <enough/enough.hpp>

#include <grpcpp/grpcpp.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

namespace enough::grpc {

/// The metadata key naming a call for the Cancellation service.
inline constexpr const char *call_id_key = "enough-call-id";

/// Around a call's deadline the two ends see it at slightly different times (the
/// server's is later by the transit). Within this of the deadline a timed-out client
/// token leaves the call to gRPC's deadline, and a server ignores a cancel it sees
/// (its own timer then says reason::timed_out): a deadline reads as a deadline.
inline constexpr std::chrono::milliseconds deadline_grace{50};

// ---- server side ------------------------------------------------------------------

/// How a server_call learns that its client cancelled or went away. gRPC pushes it to
/// the callback API (a reactor's OnCancel; a server interceptor's POST_RECV_CLOSE) and
/// to the async API (the AsyncNotifyWhenDone tag); a synchronous handler is told
/// nothing, and must ask its context (IsCancelled).
///   - A call served by the callback API on a server with make_interceptor_factory()'s
///     interceptor: the interceptor's POST_RECV_CLOSE cancels the token. Nothing polls.
///   - server_call(context, notified): you pass gRPC's notice on by calling done(),
///     from your reactor's OnCancel or when the AsyncNotifyWhenDone tag comes back (the
///     async API: IsCancelled is only safe then, so use this form there). Nothing polls.
///   - Otherwise (the synchronous API): one watcher thread serves every such call,
///     asking each context IsCancelled() every 250 microseconds.
struct notified_t {
    explicit notified_t() = default;
};
/// The tag value: server_call(context, enough::grpc::notified).
inline constexpr notified_t notified{};

/// The cancellation of one call being served (sync ServerContext, async ServerContext,
/// callback CallbackServerContext). Make it at the start of the handler; it must not
/// outlive the context (destroy it before the handler returns, or before the reactor's
/// Finish).
class server_call {
public:
    /// Watches the call's context: through the interceptor for the callback API, else
    /// through the watcher thread (see notified_t).
    explicit server_call(::grpc::ServerContextBase &context);
    /// Told by the handler's done() calls instead: nothing polls (see notified_t).
    server_call(::grpc::ServerContextBase &context, notified_t);
    /// Stops watching; the source and its tokens live on (cancelled or not).
    ~server_call();
    server_call(const server_call &) = delete;
    server_call &operator=(const server_call &) = delete;

    /// The call's source: cancelled by the client, its disconnection or the deadline
    /// (and yours to cancel too, e.g. when the server shuts down).
    [[nodiscard]] const enough::source &source() const noexcept { return source_; }
    /// Its token: what the native code serving the call polls, and what calls made
    /// from this handler pass on (client_call).
    [[nodiscard]] enough::token token() const { return source_.token(); }
    /// The status to finish the call with when the token cancelled (see status_for).
    [[nodiscard]] ::grpc::Status cancelled_status() const;
    /// gRPC's notice that the call was cancelled or is done (OnCancel; the
    /// AsyncNotifyWhenDone tag): when the client cancelled or went away, the token
    /// cancels, on this thread, with reason::cancelled. Any thread; any number of times.
    void done();

    /// How a call's cancel reaches it: the interceptor, done() calls, the watcher thread.
    enum class notice { interceptor, notified, watcher };
    /// Which of the three tells this call (for tests and diagnostics).
    [[nodiscard]] notice told_by() const noexcept { return told_by_; }

private:
    void start(::grpc::ServerContextBase &context);
    ::grpc::ServerContextBase *context_;
    enough::source source_;
    notice told_by_;
    std::string call_id_;     ///< registered with the Cancellation service, or empty
};

/// The server interceptor that pushes a client's cancel to the server_call of a call
/// served by the callback API: add it to the server (ServerBuilder::experimental()
/// .SetInterceptorCreators). Calls of the other APIs pass through untouched: gRPC tells
/// its interceptors of a synchronous call's cancel only once the handler has returned.
std::unique_ptr<::grpc::experimental::ServerInterceptorFactoryInterface> make_interceptor_factory();

/// The service that carries application reasons to server_call tokens. Register it
/// on the server (ServerBuilder::RegisterService) next to yours.
std::unique_ptr<::grpc::Service> make_cancellation_service();

// ---- client side ------------------------------------------------------------------

/// Ties a ClientContext to a token, before the call starts: sets the deadline to the
/// token's remaining time, and cancels the call (TryCancel) when the token cancels,
/// first telling an application reason to the server's Cancellation service over
/// `channel` (when given). Destroy it after the call completes, before the context.
class client_call {
public:
    /// Ties `context` to `token` (and, with `channel`, tells the server the reason).
    client_call(::grpc::ClientContext &context, enough::token_view token,
                std::shared_ptr<::grpc::Channel> channel = nullptr);
    /// Unregisters from the token.
    ~client_call();
    client_call(const client_call &) = delete;
    client_call &operator=(const client_call &) = delete;

private:
    struct state;
    std::shared_ptr<state> state_;
    enough::registration registration_;
};

// ---- statuses ----------------------------------------------------------------------

/// reason::timed_out -> DEADLINE_EXCEEDED; any other reason -> CANCELLED (naming it);
/// reason::none -> OK.
::grpc::Status status_for(enough::reason why);
/// The reverse, on the client: CANCELLED -> reason::cancelled, DEADLINE_EXCEEDED ->
/// reason::timed_out, anything else -> reason::none.
enough::reason reason_for(const ::grpc::Status &status);

} // namespace enough::grpc
