#!/usr/bin/env bash
# Tests the crate as its user receives it, then builds and runs a downstream crate that
# depends on enough-cancel and on the seed crate:
#   test-installed.sh CMAKE_BUILD_DIR WORK_DIR   the crate's tests against the native
#       library of a CMake build, installed into a clean prefix and found with
#       pkg-config (ENOUGH_NO_BUNDLE=1): what the build under test made
#   test-installed.sh --crate FILE.crate WORK_DIR [TARGET...]   the packaged crate
#       (cargo package), unpacked into an empty folder: its tests, and the downstream
#       crate, built with the `bundled` default and nothing installed (no pkg-config
#       entry, no library path); the program must not need a libenough. Then for each
#       TARGET (said plainly, not failed, where rustup cannot add its standard library):
#         linux-arm64   the same cross-built (Debian's cross compiler) and run under
#                       qemu-user
#         macos-arm64   the downstream program built for macOS 11 on arm64, zig as its
#                       C++ compiler and linker (scripts/zig-cc): built and checked only
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$1" = "--crate" ]; then
    crate_file="$2"
    work="$3"
    targets=("${@:4}")
    rm -rf "$work/unpacked" "$work/downstream"
    mkdir -p "$work/unpacked"
    tar -xzf "$crate_file" -C "$work/unpacked"
    crate="$(echo "$work"/unpacked/enough-cancel-*)"
    unset PKG_CONFIG_PATH LD_LIBRARY_PATH ENOUGH_NO_BUNDLE
    export PKG_CONFIG=false # any pkg-config lookup fails
else
    build="$1"
    work="$2"
    source "$here/../install-prefix.sh"
    rm -rf "$work/downstream"
    mkdir -p "$work"
    install_enough "$build" "$work/prefix"
    export ENOUGH_NO_BUNDLE=1
    crate="$here"
fi
export CARGO_TARGET_DIR="$work/target"
run_tests() { # run_tests [CARGO_ARGS...]: the crate's own tests
    local tests
    tests="$(cd "$crate" && cargo test --quiet --features c-example "$@" 2>&1)" || { echo "$tests"; exit 1; }
    grep '^test result' <<<"$tests"
}
run_tests

mkdir -p "$work/downstream/src"
cat > "$work/downstream/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.1.0"
edition = "2021"

[dependencies]
enough = "0.4"
enough-cancel = { path = "$crate" }
TOML
cat > "$work/downstream/src/main.rs" <<'RUST'
// A downstream crate: a library function written against the seed's trait, driven by
// a token of the native component.
use enough::{Stop, StopReason};
use enough_cancel::{Reason, Source};

fn decode(blocks: usize, stop: impl Stop) -> Result<usize, StopReason> {
    for done in 0..blocks {
        if stop.should_stop() {
            return stop.check().map(|()| done);
        }
    }
    Ok(blocks)
}

fn main() {
    let source = Source::new();
    let token = source.token();
    assert_eq!(decode(100, token.clone()), Ok(100));
    source.cancel_with_reason(Reason::TIMED_OUT);
    assert_eq!(decode(100, token), Err(StopReason::TimedOut));
    println!("downstream: ok");
}
RUST
(cd "$work/downstream" && cargo run --quiet)
if [ -n "${crate_file:-}" ]; then
    if readelf -d "$CARGO_TARGET_DIR/debug/downstream" | grep -q 'NEEDED.*libenough'; then
        echo "the bundled build needs libenough" >&2
        exit 1
    fi
    echo "downstream: no libenough needed"
fi

# rust_target NAME: rustup's standard library for NAME, added if it can be.
has_rust_target() {
    rustup target list --installed 2>/dev/null | grep -qx "$1" || rustup target add "$1" >/dev/null 2>&1
}
for target in "${targets[@]}"; do
    case "$target" in
        linux-arm64)
            rust_target=aarch64-unknown-linux-gnu
            has_rust_target "$rust_target" ||
                { echo "$target: not run: rustup could not add $rust_target (no network to static.rust-lang.org?)"; continue; }
            export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
            export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="$here/../../scripts/qemu-run"
            echo "linux-arm64, under qemu-user (tests/depth.rs: chains of 20,000 links; 1,000,000 natively):"
            ENOUGH_TEST_CHAIN=20000 run_tests --target "$rust_target"
            (cd "$work/downstream" && cargo run --quiet --target "$rust_target") ;;
        macos-arm64)
            rust_target=aarch64-apple-darwin
            has_rust_target "$rust_target" ||
                { echo "$target: not built: rustup could not add $rust_target (no network to static.rust-lang.org?)"; continue; }
            zig_cc="$here/../../scripts/zig-cc"
            export ENOUGH_ZIG_TARGET=aarch64-macos.11.0 CC_aarch64_apple_darwin="$zig_cc"
            export CXX_aarch64_apple_darwin="$zig_cc c++" AR_aarch64_apple_darwin="$(command -v llvm-ar)"
            export CARGO_TARGET_AARCH64_APPLE_DARWIN_LINKER="$zig_cc"
            # (rustc's warning that no xcrun finds an SDK is moot: zig brings macOS's stubs.)
            log="$(cd "$work/downstream" && cargo build --quiet --target "$rust_target" 2>&1)" || { echo "$log"; exit 1; }
            program="$CARGO_TARGET_DIR/$rust_target/debug/downstream"
            libraries="$(llvm-objdump --macho --dylibs-used "$program" | tail -n +2 | awk '{ print $1 }' | tr '\n' ' ')"
            [ "$libraries" = "/usr/lib/libSystem.B.dylib " ] ||
                { echo "$target: the program needs more than libSystem: $libraries" >&2; exit 1; }
            echo "$target: downstream built, $(llvm-objdump --macho --private-header "$program" | awk '/MH_MAGIC/ { print $2 }') Mach-O, needs $libraries(not run: no macOS here)" ;;
        *) echo "test-installed.sh: no Rust target $target" >&2; exit 1 ;;
    esac
done
