package enoughgrpc

import (
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func statusCode(err error) codes.Code { return status.Code(err) }

func grpcError(code codes.Code) error { return status.Error(code, "") }
