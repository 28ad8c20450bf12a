#!/usr/bin/env bash
# Tests the module as its user receives it: installs the native library from a CMake
# build into a clean prefix, runs `go test -race` against it (cgo finds it with
# pkg-config), then builds and runs a downstream module that requires this one.
#   test-installed.sh CMAKE_BUILD_DIR WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$1"
work="$2"
source "$here/../install-prefix.sh"
rm -rf "$work/downstream"
mkdir -p "$work"
install_enough "$build" "$work/prefix"
(cd "$here" && go test -race -count=1 -v ./...)

mkdir -p "$work/downstream"
cat > "$work/downstream/go.mod" <<MOD
module downstream

go 1.21

require enough.example/enough v0.0.0

replace enough.example/enough => $here
MOD
cat > "$work/downstream/main.go" <<'GO'
// A downstream program: a context's deadline drives a token that native code polls.
package main

import (
	"context"
	"fmt"
	"time"

	"enough.example/enough"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	token := enough.FromContext(ctx)
	defer token.Close()
	for !token.Cancelled() { // native code would poll token.Handle() the same way
		time.Sleep(time.Millisecond)
	}
	if token.Reason() != enough.TimedOut {
		panic("the context's deadline becomes TimedOut")
	}
	fmt.Println("downstream: ok")
}
GO
(cd "$work/downstream" && go run .)
