// What the server side of enough::grpc shares between its files: how a served call
// learns of its client's cancel (the interceptor, the watcher), and the call ids the
// Cancellation service accepts reasons for. Internal: not installed.
#pragma once

#include <enough/grpc.hpp>

#include <optional>
#include <string>

namespace enough::grpc::detail {

// Whether gRPC says the client cancelled or went away, unless the call's deadline is
// within deadline_grace (the deadline then says timed_out, by the source's own timer).
bool client_cancelled(::grpc::ServerContextBase &context);

// interceptor.cpp: a call the interceptor serves (the callback API) is told by it.
// attach: false when the interceptor does not serve this call. The source is held
// until detach, which the server_call does before the context goes.
bool attach_to_interceptor(::grpc::ServerContextBase &context, enough::source source);
void detach_from_interceptor(::grpc::ServerContextBase &context);

// sync_watcher.cpp: every other call without a notice is asked by one thread.
void watch(::grpc::ServerContextBase &context, const enough::source &source);
void unwatch(::grpc::ServerContextBase &context);

// cancellation_service.cpp: the calls a client named by an id, for its reasons.
bool register_call_id(const std::string &id, const enough::source &source); // false: taken
void unregister_call_id(const std::string &id);

} // namespace enough::grpc::detail
