package enoughgrpc

import (
	"bufio"
	"context"
	"encoding/hex"
	"errors"
	"net"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"enough.example/enough"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/dynamicpb"
)

// The protocol's shared vectors: beside the tests in a packaged module (testdata/,
// put there by stage.sh), in docs/ in a checkout.
func vectors(t *testing.T) [][]string {
	for _, path := range []string{"testdata/grpc-vectors.txt", "../../../docs/grpc-vectors.txt"} {
		file, err := os.Open(path)
		if err != nil {
			continue
		}
		defer file.Close()
		var lines [][]string
		scanner := bufio.NewScanner(file)
		for scanner.Scan() {
			if line := scanner.Text(); line != "" && !strings.HasPrefix(line, "#") {
				fields := strings.Fields(line)
				for i := range fields {
					if fields[i] == "-" {
						fields[i] = ""
					}
				}
				lines = append(lines, fields)
			}
		}
		return lines
	}
	t.Fatal("grpc-vectors.txt not found")
	return nil
}

func TestTheSharedVectors(t *testing.T) {
	checked := 0
	codeOf := map[string]codes.Code{"OK": codes.OK, "CANCELLED": codes.Canceled,
		"DEADLINE_EXCEEDED": codes.DeadlineExceeded, "UNAVAILABLE": codes.Unavailable, "INTERNAL": codes.Internal}
	for _, v := range vectors(t) {
		switch v[0] {
		case "key":
			want := map[string]string{"metadata": CallIDKey, "method": CancelMethod,
				"deadline_grace_ms": strconv.Itoa(int(DeadlineGrace / time.Millisecond))}[v[1]]
			if want != v[2] {
				t.Errorf("%v: %q", v, want)
			}
		case "call_id":
			if PlausibleCallID(v[2]) != (v[1] == "valid") {
				t.Errorf("%v", v)
			}
		case "request":
			reason, _ := strconv.Atoi(v[2])
			encoded, err := EncodeCancelRequest(v[1], int32(reason))
			if err != nil || hex.EncodeToString(encoded) != v[3] {
				t.Errorf("%v: %x %v", v, encoded, err)
			}
			data, _ := hex.DecodeString(v[3])
			if id, got, err := DecodeCancelRequest(data); err != nil || id != v[1] || got != int32(reason) {
				t.Errorf("%v: decoded %q %d %v", v, id, got, err)
			}
		case "reply":
			encoded, err := EncodeCancelReply(v[1] == "true")
			if err != nil || hex.EncodeToString(encoded) != v[2] {
				t.Errorf("%v: %x", v, encoded)
			}
		case "accepts":
			source := enough.NewSource()
			id := newCallID()
			if !registerCall(id, source) {
				t.Fatal("register")
			}
			reason, _ := strconv.Atoi(v[1])
			if Accept(id, int32(reason)) != (v[2] == "yes") || (source.Reason() != enough.None) != (v[2] == "yes") {
				t.Errorf("%v", v)
			}
			unregisterCall(id)
			source.Close()
		case "status":
			reason, _ := strconv.Atoi(v[1])
			if code := statusCode(StatusFor(enough.Reason(reason))); code != codeOf[v[2]] {
				t.Errorf("%v: %v", v, code)
			}
		case "reason":
			want, _ := strconv.Atoi(v[2])
			err := error(nil)
			if v[1] != "OK" {
				err = grpcError(codeOf[v[1]])
			}
			if ReasonFor(err) != enough.Reason(want) {
				t.Errorf("%v", v)
			}
		default:
			t.Errorf("unknown vector %v", v)
		}
		checked++
	}
	if checked < 30 {
		t.Fatalf("only %d vectors", checked)
	}
}

// ---- a served Work method on 127.0.0.1 -----------------------------------------------

type report struct {
	started chan struct{}
	done    chan error // the handler's context's cause
	left    chan time.Duration
}

// work serves a CancelRequest-shaped request: its reason is the loop's limit in ms.
func workService(r *report) *grpc.ServiceDesc {
	return &grpc.ServiceDesc{
		ServiceName: "enough.test.Hop", HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Work", Handler: func(_ any, ctx context.Context,
			decode func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			request := dynamicpb.NewMessage(requestType)
			if err := decode(request); err != nil {
				return nil, err
			}
			handle := func(ctx context.Context, _ any) (any, error) {
				token := TokenFrom(ctx)
				left, _ := token.Remaining()
				r.left <- left
				r.started <- struct{}{}
				_, limit := readRequest(request)
				deadline := time.Now().Add(time.Duration(limit) * time.Millisecond)
				for !token.Cancelled() && time.Now().Before(deadline) { // native code polls the same way
					time.Sleep(200 * time.Microsecond)
				}
				r.done <- causeOnceTold(ctx, token)
				return newReply(false), StatusFor(token.Reason())
			}
			return interceptor(ctx, request, &grpc.UnaryServerInfo{FullMethod: "/enough.test.Hop/Work"}, handle)
		}}},
		// A stream whose handler waits for its token and reports its context's cause.
		Streams: []grpc.StreamDesc{{StreamName: "Stream", ClientStreams: true, ServerStreams: true,
			Handler: func(_ any, stream grpc.ServerStream) error {
				token := TokenFrom(stream.Context())
				r.started <- struct{}{}
				for !token.Cancelled() {
					time.Sleep(200 * time.Microsecond)
				}
				r.done <- causeOnceTold(stream.Context(), token)
				return StatusFor(token.Reason())
			}}},
	}
}

// causeOnceTold is the cause of a handler's context. A poll can see the token cancelled
// a moment before the context is told (by a callback that runs just after the cancel), so
// a cancelled token's context is waited for.
func causeOnceTold(ctx context.Context, token *enough.Token) error {
	if token.Cancelled() {
		<-ctx.Done()
	}
	return context.Cause(ctx)
}

func serveWork(t *testing.T) (*grpc.ClientConn, *report) {
	r := &report{started: make(chan struct{}, 1), done: make(chan error, 1), left: make(chan time.Duration, 1)}
	server := grpc.NewServer(grpc.ChainUnaryInterceptor(UnaryServerInterceptor()),
		grpc.ChainStreamInterceptor(StreamServerInterceptor()))
	server.RegisterService(workService(r), struct{}{})
	RegisterCancellationService(server)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go server.Serve(listener)
	t.Cleanup(server.Stop)
	conn, err := grpc.NewClient(listener.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(UnaryClientInterceptor()), grpc.WithChainStreamInterceptor(StreamClientInterceptor()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, r
}

func callWork(ctx context.Context, conn *grpc.ClientConn, limitMs int32) error {
	return conn.Invoke(ctx, "/enough.test.Hop/Work", newRequest("", limitMs), dynamicpb.NewMessage(replyType))
}

func wait[T any](t *testing.T, c chan T) T {
	select {
	case v := <-c:
		return v
	case <-time.After(20 * time.Second):
		t.Fatal("timed out")
	}
	var zero T
	return zero
}

func causeReason(err error) enough.Reason {
	var cancelled *enough.CancelError
	if errors.As(err, &cancelled) {
		return cancelled.Reason
	}
	return enough.None
}

// followedCall starts a Work call that follows a new source's token (deadline: 0 for
// none); the source is the test's to cancel, the channel gives the call's error.
func followedCall(t *testing.T, conn *grpc.ClientConn, deadline time.Duration) (*enough.Source, chan error) {
	source := enough.NewSource()
	t.Cleanup(source.Close)
	if deadline > 0 {
		source.CancelAfter(deadline)
	}
	token := source.Token()
	t.Cleanup(token.Close)
	result := make(chan error, 1)
	go func() { result <- callWork(WithToken(context.Background(), token), conn, 20000) }()
	return source, result
}

// endsWith checks the handler's context cause and the client's status.
func endsWith(t *testing.T, r *report, result chan error, reason enough.Reason, code codes.Code) {
	if got := causeReason(wait(t, r.done)); got != reason {
		t.Errorf("handler's cause: %v, expected %v", got, reason)
	}
	if err := wait(t, result); statusCode(err) != code {
		t.Errorf("the call: %v, expected %v", err, code)
	}
}

func TestAClientCancelReachesTheHandler(t *testing.T) {
	conn, r := serveWork(t)
	source, result := followedCall(t, conn, 0)
	wait(t, r.started)
	source.Cancel()
	endsWith(t, r, result, enough.Cancelled, codes.Canceled)
}

func TestAnApplicationReasonArrives(t *testing.T) {
	conn, r := serveWork(t)
	source, result := followedCall(t, conn, 0)
	wait(t, r.started)
	source.CancelWithReason(4242)
	endsWith(t, r, result, 4242, codes.Canceled)
}

func TestTheDeadlineTravelsAndReadsAsTimedOut(t *testing.T) {
	conn, r := serveWork(t)
	_, result := followedCall(t, conn, 500*time.Millisecond)
	// gRPC rounds a timeout up a little on the wire.
	if left := wait(t, r.left); left <= 200*time.Millisecond || left > 520*time.Millisecond {
		t.Errorf("the handler's token had %v left", left)
	}
	wait(t, r.started)
	endsWith(t, r, result, enough.TimedOut, codes.DeadlineExceeded)
}

func TestMetadataAloneCannotCancel(t *testing.T) {
	conn, r := serveWork(t)
	id := "0123456789abcdef0123456789abcdef"
	ctx := metadata.AppendToOutgoingContext(context.Background(), CallIDKey, id)
	result := make(chan error, 1)
	go func() { result <- callWork(ctx, conn, 300) }()
	wait(t, r.started)
	for _, reason := range []int32{1, 2, 255} {
		reply := dynamicpb.NewMessage(replyType)
		if err := conn.Invoke(context.Background(), CancelMethod, newRequest(id, reason), reply); err != nil || readReply(reply) {
			t.Errorf("reason %d accepted: %v", reason, err)
		}
	}
	if reason := causeReason(wait(t, r.done)); reason != enough.None {
		t.Errorf("cancelled with %v", reason)
	}
	if err := wait(t, result); err != nil {
		t.Errorf("the call: %v", err)
	}
}

func TestAStreamFollowsItsToken(t *testing.T) {
	conn, r := serveWork(t)
	source := enough.NewSource()
	defer source.Close()
	token := source.Token()
	defer token.Close()
	stream, err := conn.NewStream(WithToken(context.Background(), token),
		&grpc.StreamDesc{StreamName: "Stream", ClientStreams: true, ServerStreams: true}, "/enough.test.Hop/Stream")
	if err != nil {
		t.Fatal(err)
	}
	if err := stream.SendMsg(newRequest("", 0)); err != nil {
		t.Fatal(err)
	}
	wait(t, r.started)
	source.CancelWithReason(4242)
	if reason := causeReason(wait(t, r.done)); reason != 4242 {
		t.Errorf("handler's cause: %v", reason)
	}
	if err := stream.RecvMsg(dynamicpb.NewMessage(replyType)); statusCode(err) != codes.Canceled {
		t.Errorf("the stream: %v", err)
	}
}
