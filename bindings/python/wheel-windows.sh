#!/usr/bin/env bash
# Builds the win_amd64 wheel on Linux: scikit-build-core drives the mingw-w64 cross
# build (cmake/toolchains/windows-x64.cmake); the platform tag comes from
# _PYTHON_HOST_PLATFORM. No extension module (py3-none: any CPython 3.9+ on Windows).
#   wheel-windows.sh PYTHON OUT_DIR      prints the wheel's path
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
_PYTHON_HOST_PLATFORM=win-amd64 "$1" -m pip wheel "$here" --no-deps --quiet --wheel-dir "$out" \
    -C cmake.args="--toolchain=$root/cmake/toolchains/windows-x64.cmake" \
    -C wheel.py-api=py3 -C build-dir="$out/build-win_amd64"
ls "$out"/enough_cancel-*-py3-none-win_amd64.whl
