#!/usr/bin/env bash
# Tests the module as its user receives it, then builds and runs a downstream module
# that requires it:
#   test-installed.sh CMAKE_BUILD_DIR WORK_DIR   `go test -race` with the build tag
#       enough_system: the native library of a CMake build, installed into a clean
#       prefix, found with pkg-config (what the build under test made)
#   test-installed.sh --proxy PROXY_DIR WORK_DIR [TARGET...]   the packaged module
#       (pack.sh), fetched from a file:// module proxy into an empty module cache: its
#       tests and the downstream module, built with no tags and nothing installed (no
#       pkg-config entry, no library path); the program must not need a libenough.
#       Then for each TARGET, cross-built by cgo with Debian's cross compilers:
#         linux-arm64   its tests and the downstream program, run under qemu-user
#         windows-x64   the downstream program, built and linked only: Go's runtime
#                       needs bcryptprimitives.dll (ProcessPrng), which Wine 8 lacks
#         macos-arm64   the module compiled for macOS 11 on arm64, zig as cgo's C and
#                       C++ compiler (scripts/zig-cc); not linked (see below)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
module_path="$(awk '/^module / { print $2 }' "$here/go.mod")"
if [ "$1" = "--proxy" ]; then
    proxy="$(cd "$2" && pwd)"
    work="$3"
    targets=("${@:4}")
    # goindex=0: the module index (in GOCACHE) trusts a version never to change; a
    # rebuilt package of the same version does.
    # The module from the file proxy; its dependencies (gRPC, for enoughgrpc) from the
    # usual one.
    export GOMODCACHE="$work/modcache" GOPROXY="file://$proxy,$(go env GOPROXY)" GOSUMDB=off \
        GOFLAGS=-mod=mod GODEBUG=goindex=0
    [ -d "$GOMODCACHE" ] && go clean -modcache
    unset PKG_CONFIG_PATH LD_LIBRARY_PATH
    export PKG_CONFIG=false # any pkg-config lookup fails
    tags=""
    require="require $module_path $(cat "$proxy/$module_path/@v/list")"
    under_test=("$module_path" "$module_path/enoughgrpc")
else
    build="$1"
    work="$2"
    source "$here/../install-prefix.sh"
    install_enough "$build" "$work/prefix"
    tags="enough_system"
    export GOFLAGS=-mod=mod # the downstream module records its go.sum
    targets=()
    require="require $module_path v0.0.0
replace $module_path => $here"
    under_test=(./...)
fi
rm -rf "$work/downstream"
mkdir -p "$work/downstream"
cat > "$work/downstream/go.mod" <<MOD
module downstream

go 1.26

$require
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
cd "$work/downstream"
[ -n "$tags" ] || go mod download "$module_path" # the proxy's zip, into the empty cache
if [ -n "$tags" ]; then (cd "$here" && go test -tags "$tags" -race -count=1 -v "${under_test[@]}")
else go test -race -count=1 -v "${under_test[@]}"
fi
go build -tags "$tags" -o downstream . && ./downstream
if [ -z "$tags" ]; then
    if readelf -d downstream | grep -q 'NEEDED.*libenough'; then
        echo "the bundled build needs libenough" >&2
        exit 1
    fi
    echo "downstream: no libenough needed"
fi
for target in "${targets[@]}"; do
    case "$target" in
        linux-arm64)
            export GOOS=linux GOARCH=arm64 CC=aarch64-linux-gnu-gcc CXX=aarch64-linux-gnu-g++ ;;
        windows-x64)
            export GOOS=windows GOARCH=amd64 CC=x86_64-w64-mingw32-gcc-posix CXX=x86_64-w64-mingw32-g++-posix ;;
        macos-arm64)
            export GOOS=darwin GOARCH=arm64 ENOUGH_ZIG_TARGET=aarch64-macos.11.0
            export CC="$root/scripts/zig-cc" CXX="$root/scripts/zig-cc c++" ;;
        *) echo "test-installed.sh: no Go target $target" >&2; exit 1 ;;
    esac
    export CGO_ENABLED=1
    if [ "$target" = macos-arm64 ]; then
        # A program for macOS links Go's runtime against CoreFoundation and libresolv,
        # which only Apple's SDK has (zig brings libSystem's stubs alone): the module
        # is compiled, cgo's C++ and all, but nothing is linked.
        go build "$module_path"
        echo "module ($target): compiled by cgo with zig c++; not linked (no Apple SDK here)"
        unset GOOS GOARCH CC CXX
        continue
    fi
    go build -o "downstream-$target" .
    case "$target" in
        linux-arm64)
            go test -c -o "module-$target.test" "$module_path"
            echo "depth_test.go: chains of 20,000 links under qemu-user (1,000,000 natively)"
            ENOUGH_TEST_CHAIN=20000 "$root/scripts/qemu-run" "./module-$target.test" -test.count=1
            "$root/scripts/qemu-run" "./downstream-$target" ;;
        windows-x64)
            if x86_64-w64-mingw32-objdump -p "downstream-$target" | grep -i 'DLL Name: lib'; then
                echo "the Windows program needs a DLL of mingw's or ours" >&2
                exit 1
            fi
            echo "downstream ($target): built, needs no DLL but the system's" ;;
    esac
    unset GOOS GOARCH CC CXX
done
