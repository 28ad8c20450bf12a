#!/usr/bin/env bash
# The chain across languages (across_languages.py), each language as its user has it:
# the Python package with its grpc extra installed into a fresh venv, the Go peer built
# against the installed library (enoughgrpc, -tags enough_system), the C++ forwarding
# server of this build.
#   across_languages.sh CMAKE_BUILD_DIR CPP_FORWARDING_SERVER WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="$1"
cpp_server="$2"
work="$3"
source "$root/bindings/install-prefix.sh"
mkdir -p "$work"
install_enough "$build" "$work/prefix"
(cd "$here/peers/go" && GOFLAGS=-mod=mod go build -tags enough_system -o "$work/go-peer" .)
rm -rf "$work/venv"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$root/bindings/python[grpc]"
cd "$work"
unset ENOUGH_LIBRARY # the package's own library
exec "$work/venv/bin/python" "$here/across_languages.py" "$cpp_server" "$work/go-peer"
