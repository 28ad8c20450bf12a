// The Go hop of the test across languages (tests/grpc/across_languages.py): a Hop
// server (enoughgrpc's interceptors) that forwards each call to the next server with
// its context, which carries the call's token (after forward_after_ms), and prints
// what its token saw:
//
//	start remaining_ms=<ms, -1 without a deadline>
//	end reason=<the token's reason>
//
// It prints "port <n>" once it listens on 127.0.0.1, then serves until stdin closes.
//
//	go run -tags enough_system . NEXT_ADDRESS
package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"enough.example/enough/enoughgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// tests/grpc/hop.proto, described here (no protoc step).
var requestType, replyType = describe()

func describe() (protoreflect.MessageDescriptor, protoreflect.MessageDescriptor) {
	field := func(name string, number int32, kind descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto {
		return &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(number),
			Type: kind.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), JsonName: proto.String(name)}
	}
	i32, i64 := descriptorpb.FieldDescriptorProto_TYPE_INT32, descriptorpb.FieldDescriptorProto_TYPE_INT64
	file, err := protodesc.NewFile(&descriptorpb.FileDescriptorProto{
		Name: proto.String("hop.proto"), Package: proto.String("enough.test"), Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("WorkRequest"), Field: []*descriptorpb.FieldDescriptorProto{
				field("hops_left", 1, i32), field("loop_limit_ms", 2, i64), field("forward_after_ms", 3, i64)}},
			{Name: proto.String("WorkReply"), Field: []*descriptorpb.FieldDescriptorProto{
				field("reason", 1, i32), field("remaining_ms_seen", 2, i64)}},
		}}, nil)
	if err != nil {
		panic(err)
	}
	return file.Messages().ByName("WorkRequest"), file.Messages().ByName("WorkReply")
}

var output sync.Mutex

func say(format string, args ...any) {
	output.Lock()
	defer output.Unlock()
	fmt.Printf(format+"\n", args...)
}

func main() {
	next, err := grpc.NewClient(os.Args[1], grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithChainUnaryInterceptor(enoughgrpc.UnaryClientInterceptor()))
	if err != nil {
		panic(err)
	}
	server := grpc.NewServer(grpc.ChainUnaryInterceptor(enoughgrpc.UnaryServerInterceptor()))
	server.RegisterService(&grpc.ServiceDesc{
		ServiceName: "enough.test.Hop", HandlerType: (*any)(nil),
		Methods: []grpc.MethodDesc{{MethodName: "Work", Handler: func(_ any, ctx context.Context,
			decode func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
			request := dynamicpb.NewMessage(requestType)
			if err := decode(request); err != nil {
				return nil, err
			}
			return interceptor(ctx, request, &grpc.UnaryServerInfo{FullMethod: "/enough.test.Hop/Work"},
				func(ctx context.Context, _ any) (any, error) {
					token := enoughgrpc.TokenFrom(ctx)
					left, ok := token.Remaining()
					if ok {
						say("start remaining_ms=%d", left.Milliseconds())
					} else {
						say("start remaining_ms=-1")
					}
					after := request.Get(requestType.Fields().ByName("forward_after_ms")).Int()
					select { // works a while first
					case <-ctx.Done():
					case <-time.After(time.Duration(after) * time.Millisecond):
					}
					hops := requestType.Fields().ByName("hops_left")
					request.Set(hops, protoreflect.ValueOfInt32(int32(request.Get(hops).Int())-1))
					reply := dynamicpb.NewMessage(replyType)
					err := next.Invoke(ctx, "/enough.test.Hop/Work", request, reply)
					if err != nil { // the next hop may end first: its deadline
						select {
						case <-ctx.Done():
						case <-time.After(time.Second):
						}
					}
					say("end reason=%d", int32(token.Reason()))
					if token.Cancelled() {
						return nil, enoughgrpc.StatusFor(token.Reason())
					}
					return reply, err
				})
		}}},
	}, struct{}{})
	enoughgrpc.RegisterCancellationService(server)
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	say("port %d", listener.Addr().(*net.TCPAddr).Port)
	go server.Serve(listener)
	io.Copy(io.Discard, os.Stdin)
	server.Stop()
}
