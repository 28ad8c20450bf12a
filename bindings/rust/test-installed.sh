#!/usr/bin/env bash
# Tests the crate as its user receives it: installs the native library from a CMake
# build into a clean prefix, runs `cargo test` against it (found with pkg-config), then
# builds and runs a downstream crate that depends on enough-cancel and on the seed crate.
#   test-installed.sh CMAKE_BUILD_DIR WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$1"
work="$2"
source "$here/../install-prefix.sh"
rm -rf "$work/downstream"
mkdir -p "$work"
install_enough "$build" "$work/prefix"
export CARGO_TARGET_DIR="$work/target"
(cd "$here" && cargo test --features c-example)

mkdir -p "$work/downstream/src"
cat > "$work/downstream/Cargo.toml" <<TOML
[package]
name = "downstream"
version = "0.1.0"
edition = "2021"

[dependencies]
enough = "0.4"
enough-cancel = { path = "$here" }
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
