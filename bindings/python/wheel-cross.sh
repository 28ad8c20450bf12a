#!/usr/bin/env bash
# Builds a wheel for another platform on this Linux x86-64 machine: scikit-build-core
# drives the cross build (the CMake toolchain of cmake/toolchains/); the platform tag
# comes from _PYTHON_HOST_PLATFORM.
#   wheel-cross.sh PYTHON OUT_DIR windows-x64   py3-none-win_amd64: mingw-w64; no
#       extension module (the embeddable CPython brings no headers), any CPython 3.9+
#   wheel-cross.sh PYTHON OUT_DIR linux-arm64   cp39-abi3-linux_aarch64 (auditwheel then
#       tags it manylinux): the aarch64 cross compiler; the limited-API extension is
#       compiled against arm64 CPython's pyconfig.h (Debian's, scripts/deps.sh)
# Prints the wheel's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$1"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
target="$3"
args=(-C cmake.args="--toolchain=$root/cmake/toolchains/$target.cmake" -C build-dir="$out/build-$target")
case "$target" in
    windows-x64)
        platform=win-amd64 tag=py3-none-win_amd64
        args+=(-C wheel.py-api=py3) ;;
    linux-arm64)
        platform=linux-aarch64 tag=cp39-abi3-linux_aarch64
        source "$root/scripts/deps.sh"
        ensure_arm64_python "$root/build/python-arm64"
        # Python.h is the same for both; its pyconfig.h picks the arm64 one from here.
        export CFLAGS="-I$root/build/python-arm64/usr/include" ;;
    *) echo "wheel-cross.sh: no wheel for $target" >&2; exit 1 ;;
esac
_PYTHON_HOST_PLATFORM="$platform" "$python" -m pip wheel "$here" --no-deps --quiet --wheel-dir "$out" "${args[@]}"
ls "$out"/enough_cancel-*-"$tag".whl
