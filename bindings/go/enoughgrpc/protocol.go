package enoughgrpc

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// The protocol's messages (src/grpc/cancellation.proto), described here rather than
// generated: dynamic messages are real protobuf messages, so gRPC's own codec carries
// them, and the module needs no protoc step.
var requestType, replyType = describe()

func describe() (protoreflect.MessageDescriptor, protoreflect.MessageDescriptor) {
	field := func(name string, number int32, kind descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto {
		return &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(number),
			Type: kind.Enum(), Label: descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(), JsonName: proto.String(name)}
	}
	file := &descriptorpb.FileDescriptorProto{
		Name: proto.String("enough/grpc/cancellation.proto"), Package: proto.String("enough.grpc"),
		Syntax: proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("CancelRequest"), Field: []*descriptorpb.FieldDescriptorProto{
				field("call_id", 1, descriptorpb.FieldDescriptorProto_TYPE_STRING),
				field("reason", 2, descriptorpb.FieldDescriptorProto_TYPE_INT32)}},
			{Name: proto.String("CancelReply"), Field: []*descriptorpb.FieldDescriptorProto{
				field("cancelled", 1, descriptorpb.FieldDescriptorProto_TYPE_BOOL)}},
		},
	}
	described, err := protodesc.NewFile(file, nil)
	if err != nil {
		panic("enoughgrpc: the protocol's descriptor: " + err.Error())
	}
	return described.Messages().ByName("CancelRequest"), described.Messages().ByName("CancelReply")
}

func newRequest(callID string, reason int32) *dynamicpb.Message {
	m := dynamicpb.NewMessage(requestType)
	m.Set(requestType.Fields().ByNumber(1), protoreflect.ValueOfString(callID))
	m.Set(requestType.Fields().ByNumber(2), protoreflect.ValueOfInt32(reason))
	return m
}

func readRequest(m *dynamicpb.Message) (string, int32) {
	return m.Get(requestType.Fields().ByNumber(1)).String(), int32(m.Get(requestType.Fields().ByNumber(2)).Int())
}

func newReply(cancelled bool) *dynamicpb.Message {
	m := dynamicpb.NewMessage(replyType)
	m.Set(replyType.Fields().ByNumber(1), protoreflect.ValueOfBool(cancelled))
	return m
}

func readReply(m *dynamicpb.Message) bool { return m.Get(replyType.Fields().ByNumber(1)).Bool() }

// EncodeCancelRequest and the functions below are the protocol's messages as bytes,
// for tests against the shared vectors (docs/grpc-vectors.txt).
func EncodeCancelRequest(callID string, reason int32) ([]byte, error) {
	return proto.MarshalOptions{Deterministic: true}.Marshal(newRequest(callID, reason))
}

// DecodeCancelRequest reads a CancelRequest: the call's id and the reason.
func DecodeCancelRequest(data []byte) (string, int32, error) {
	m := dynamicpb.NewMessage(requestType)
	if err := proto.Unmarshal(data, m); err != nil {
		return "", 0, err
	}
	id, reason := readRequest(m)
	return id, reason, nil
}

// EncodeCancelReply writes a CancelReply: whether the call was cancelled by it.
func EncodeCancelReply(cancelled bool) ([]byte, error) { return proto.Marshal(newReply(cancelled)) }
