#!/usr/bin/env bash
# Tests the crate as its user receives it, then builds and runs a downstream crate that
# depends on enough-cancel and on the seed crate:
#   test-installed.sh CMAKE_BUILD_DIR WORK_DIR   the crate's tests against the native
#       library of a CMake build, installed into a clean prefix and found with
#       pkg-config (ENOUGH_NO_BUNDLE=1): what the build under test made
#   test-installed.sh --crate FILE.crate WORK_DIR   the packaged crate (cargo package),
#       unpacked into an empty folder: its tests, and the downstream crate, built with
#       the `bundled` default and nothing installed (no pkg-config entry, no library
#       path); the program must not need a libenough
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "$1" = "--crate" ]; then
    crate_file="$2"
    work="$3"
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
tests="$(cd "$crate" && cargo test --quiet --features c-example 2>&1)" || { echo "$tests"; exit 1; }
grep '^test result' <<<"$tests"

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
