// Package enoughgrpc carries enough's tokens with gRPC calls, byte-compatible with the
// C++ enough::grpc and the Python enough.grpc (docs/guide-grpc.md): a served call's
// handler gets a context and a token that the client's cancel, its going away, the
// deadline (as enough.TimedOut) and an application reason (256 and up, sent first to
// the server's Cancellation service, naming the call by its enough-call-id metadata)
// all reach; context.Cause of the handler's context is an *enough.CancelError with the
// reason. Nothing else in metadata can cancel a token or change its reason.
//
//	server := grpc.NewServer(grpc.ChainUnaryInterceptor(enoughgrpc.UnaryServerInterceptor()),
//		grpc.ChainStreamInterceptor(enoughgrpc.StreamServerInterceptor()))
//	enoughgrpc.RegisterCancellationService(server)
//	// in a handler: token := enoughgrpc.TokenFrom(ctx)
//
//	conn, _ := grpc.NewClient(addr, ..., grpc.WithChainUnaryInterceptor(enoughgrpc.UnaryClientInterceptor()))
//	reply, err := client.Work(enoughgrpc.WithToken(ctx, token), request)
package enoughgrpc

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"

	"enough.example/enough"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/dynamicpb"
)

const (
	// CallIDKey is the metadata key naming a call for the Cancellation service.
	CallIDKey = "enough-call-id"
	// CancelMethod is the Cancellation service's one method.
	CancelMethod = "/enough.grpc.Cancellation/Cancel"
	// DeadlineGrace: within this of a call's deadline, a client leaves the call to
	// gRPC's deadline and a server ignores a cancel, so a deadline reads as a deadline.
	DeadlineGrace = 50 * time.Millisecond
	// FirstUserReason: the first application reason; 1 and 2 travel by gRPC itself.
	FirstUserReason = 256
)

type tokenKey struct{}

// WithToken returns a context whose outgoing calls (through the client interceptors)
// follow token: their timeout is its remaining time, and its cancel cancels them.
func WithToken(ctx context.Context, token *enough.Token) context.Context {
	return context.WithValue(ctx, tokenKey{}, token)
}

// TokenFrom returns the token of ctx: in a handler, the served call's; nil if none.
func TokenFrom(ctx context.Context) *enough.Token {
	token, _ := ctx.Value(tokenKey{}).(*enough.Token)
	return token
}

// PlausibleCallID reports whether id is a call id as clients make them: 32 lowercase
// hexadecimal digits (128 random bits).
func PlausibleCallID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

func newCallID() string {
	var bits [16]byte
	if _, err := rand.Read(bits[:]); err != nil {
		panic("enoughgrpc: no randomness: " + err.Error())
	}
	return hex.EncodeToString(bits[:])
}

// ---- server side ----------------------------------------------------------------

// The calls being served that a client named, for the Cancellation service.
var calls = struct {
	sync.Mutex
	byID map[string]*enough.Source
}{byID: map[string]*enough.Source{}}

func registerCall(id string, source *enough.Source) bool {
	if !PlausibleCallID(id) {
		return false
	}
	calls.Lock()
	defer calls.Unlock()
	if _, taken := calls.byID[id]; taken {
		return false // a duplicate id is ignored
	}
	calls.byID[id] = source
	return true
}

func unregisterCall(id string) {
	calls.Lock()
	defer calls.Unlock()
	delete(calls.byID, id)
}

// Accept applies a Cancellation request as the service does: a reason of 256 and up,
// for a call being served; reports whether it won.
func Accept(id string, reason int32) bool {
	if reason < FirstUserReason {
		return false
	}
	calls.Lock()
	source := calls.byID[id]
	calls.Unlock()
	return source != nil && source.CancelWithReason(enough.Reason(reason)) // no lock held
}

var cancellationService = grpc.ServiceDesc{
	ServiceName: "enough.grpc.Cancellation",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Cancel", Handler: func(_ any, ctx context.Context,
		decode func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
		request := dynamicpb.NewMessage(requestType)
		if err := decode(request); err != nil {
			return nil, err
		}
		return newReply(Accept(readRequest(request))), nil
	}}},
	Metadata: "enough/grpc/cancellation.proto",
}

// RegisterCancellationService registers the service that carries application reasons
// to the calls this server serves.
func RegisterCancellationService(server grpc.ServiceRegistrar) {
	server.RegisterService(&cancellationService, struct{}{})
}

// serve makes the call's source (the deadline by its own timer, as TimedOut; ctx's
// cancel, the client's cancel or going away, unless within DeadlineGrace of the
// deadline; reasons by its call id) and the handler's context, whose cancellation
// comes from the token alone, so that context.Cause is the token's reason. done
// releases them.
func serve(ctx context.Context) (context.Context, func()) {
	source := enough.NewSource()
	deadline, hasDeadline := ctx.Deadline()
	if hasDeadline {
		source.CancelAfter(time.Until(deadline))
	}
	stopFollowing := context.AfterFunc(ctx, func() {
		if hasDeadline && time.Until(deadline) <= DeadlineGrace {
			return // the deadline, not a cancel: the timer says TimedOut
		}
		source.CancelWithReason(enough.Cancelled) // a closed source ignores it
	})
	token := source.Token()
	var callID string
	if values := metadata.ValueFromIncomingContext(ctx, CallIDKey); len(values) == 1 && registerCall(values[0], source) {
		callID = values[0]
	}
	work, stop := token.Context(WithToken(context.WithoutCancel(ctx), token))
	return work, func() {
		stop()
		stopFollowing()
		if callID != "" {
			unregisterCall(callID)
		}
		token.Close()
		source.Close()
	}
}

// UnaryServerInterceptor gives each unary handler the call's token (TokenFrom) and a
// context that the token cancels.
func UnaryServerInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, request any, _ *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		work, done := serve(ctx)
		defer done()
		return handler(work, request)
	}
}

type servedStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *servedStream) Context() context.Context { return s.ctx }

// StreamServerInterceptor does the same for streaming handlers.
func StreamServerInterceptor() grpc.StreamServerInterceptor {
	return func(server any, stream grpc.ServerStream, _ *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		work, done := serve(stream.Context())
		defer done()
		return handler(server, &servedStream{ServerStream: stream, ctx: work})
	}
}

// StatusFor is the status a server finishes a cancelled call with: TimedOut ->
// DeadlineExceeded, any other reason -> Canceled, None -> nil.
func StatusFor(reason enough.Reason) error {
	switch reason {
	case enough.None:
		return nil
	case enough.TimedOut:
		return status.Error(codes.DeadlineExceeded, "enough: timed out")
	default:
		return status.Errorf(codes.Canceled, "enough: cancelled (reason %d)", int32(reason))
	}
}

// ReasonFor is the reverse, on the client.
func ReasonFor(err error) enough.Reason {
	switch status.Code(err) {
	case codes.Canceled:
		return enough.Cancelled
	case codes.DeadlineExceeded:
		return enough.TimedOut
	default:
		return enough.None
	}
}

// ---- client side ----------------------------------------------------------------

// follow prepares a call of cc from ctx's token: the deadline, the call id, and a
// context that the token's cancel cancels, an application reason first sent to the
// server's Cancellation service. done releases them.
func follow(ctx context.Context, cc *grpc.ClientConn) (context.Context, func()) {
	token := TokenFrom(ctx)
	if token == nil {
		return ctx, func() {}
	}
	callID := newCallID()
	// The call is cancelled by the token's follower below, after an application reason
	// has been sent, not by ctx's own cancel (the token's cancel also cancels a
	// handler's context); ctx done for any other cause still cancels the call. Its
	// deadline: the token's or ctx's, whichever comes first.
	base := context.WithoutCancel(metadata.AppendToOutgoingContext(ctx, CallIDKey, callID))
	deadline, hasDeadline := ctx.Deadline()
	if left, ok := token.Remaining(); ok && (!hasDeadline || time.Now().Add(left).Before(deadline)) {
		deadline, hasDeadline = time.Now().Add(left), true
	}
	releaseDeadline := func() {}
	if hasDeadline {
		base, releaseDeadline = context.WithDeadline(base, deadline)
	}
	call, cancelCall := context.WithCancel(base)
	stopCtx := context.AfterFunc(ctx, func() {
		if !token.Cancelled() {
			cancelCall()
		}
	})
	following, stopFollowing := token.Context(context.Background())
	go func() {
		<-following.Done()
		var cancelled *enough.CancelError
		reason := enough.None
		if err, ok := context.Cause(following).(*enough.CancelError); ok {
			cancelled = err
			reason = cancelled.Reason
		}
		switch {
		case reason == enough.None: // the call is over: nothing to cancel
		case reason == enough.TimedOut && hasDeadline && time.Until(deadline) <= DeadlineGrace:
			// the call's own deadline ends it: DeadlineExceeded at every hop
		case reason >= FirstUserReason:
			sent, release := context.WithTimeout(context.Background(), 2*time.Second)
			_ = cc.Invoke(sent, CancelMethod, newRequest(callID, int32(reason)), dynamicpb.NewMessage(replyType))
			release()
			cancelCall()
		default:
			cancelCall()
		}
	}()
	return call, func() {
		stopFollowing()
		stopCtx()
		cancelCall()
		releaseDeadline()
	}
}

// UnaryClientInterceptor makes each unary call whose context carries a token
// (WithToken, or a handler's context) follow it.
func UnaryClientInterceptor() grpc.UnaryClientInterceptor {
	return func(ctx context.Context, method string, request, reply any, cc *grpc.ClientConn,
		invoker grpc.UnaryInvoker, options ...grpc.CallOption) error {
		call, done := follow(ctx, cc)
		defer done()
		return invoker(call, method, request, reply, cc, options...)
	}
}

// StreamClientInterceptor does the same for streams, until the stream's context ends.
func StreamClientInterceptor() grpc.StreamClientInterceptor {
	return func(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string,
		streamer grpc.Streamer, options ...grpc.CallOption) (grpc.ClientStream, error) {
		call, done := follow(ctx, cc)
		stream, err := streamer(call, desc, cc, method, options...)
		if err != nil {
			done()
			return nil, err
		}
		context.AfterFunc(stream.Context(), done)
		return stream, nil
	}
}
