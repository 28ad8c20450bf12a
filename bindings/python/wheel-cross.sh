#!/usr/bin/env bash
# Builds a wheel for another platform on this Linux x86-64 machine: scikit-build-core
# drives the cross build (the CMake toolchain of cmake/toolchains/); the platform tag
# comes from _PYTHON_HOST_PLATFORM.
#   wheel-cross.sh PYTHON OUT_DIR windows-x64   py3-none-win_amd64: mingw-w64; no
#       extension module (the embeddable CPython brings no headers), any CPython 3.9+
#   wheel-cross.sh PYTHON OUT_DIR linux-arm64   cp39-abi3-linux_aarch64 (auditwheel then
#       tags it manylinux): the aarch64 cross compiler; the limited-API extension is
#       compiled against arm64 CPython's pyconfig.h (Debian's, scripts/deps.sh)
#   wheel-cross.sh PYTHON OUT_DIR linux-x64-gnu2.17 [LIBRARY]     cp39-abi3-linux_x86_64
#   wheel-cross.sh PYTHON OUT_DIR linux-arm64-gnu2.17 [LIBRARY]   cp39-abi3-linux_aarch64
#       zig against glibc 2.17, so that auditwheel tags them manylinux2014
#   wheel-cross.sh PYTHON OUT_DIR macos-arm64 [LIBRARY]   py3-none-macosx_11_0_arm64
#   wheel-cross.sh PYTHON OUT_DIR macos-x64 [LIBRARY]     py3-none-macosx_10_13_x86_64
#   wheel-cross.sh PYTHON OUT_DIR windows-arm64 [LIBRARY] py3-none-win_arm64
#   wheel-cross.sh PYTHON OUT_DIR linux-musl-x64 [LIBRARY]   py3-none-musllinux_1_2_x86_64
#   wheel-cross.sh PYTHON OUT_DIR linux-musl-arm64 [LIBRARY] py3-none-musllinux_1_2_aarch64
#       zig; no extension module (no CPython headers of theirs here), any CPython 3.9+
# For the zig presets, LIBRARY is the preset's libenough, built already (else the wheel
# builds its own).
# Prints the wheel's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$1"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
target="$3"
library="${4:-}"
args=(-C build-dir="$out/build-$target")
# A zig preset's target (CMakePresets.json), or nothing for the others.
zig_target="$(python3 -c 'import json, sys
presets = {p["name"]: p for p in json.load(open(sys.argv[1]))["configurePresets"]}
print(presets.get(sys.argv[2], {}).get("cacheVariables", {}).get("ENOUGH_ZIG_TARGET", ""))' \
    "$root/CMakePresets.json" "$target")"
if [ -n "$zig_target" ]; then
    args+=(-C cmake.args="--toolchain=$root/cmake/toolchains/zig.cmake;-DENOUGH_ZIG_TARGET=$zig_target${library:+;-DENOUGH_PYTHON_LIBRARY=$library}")
    export ZIG_GLOBAL_CACHE_DIR="$root/build/tools/zig-cache" ZIG_LOCAL_CACHE_DIR="$root/build/tools/zig-cache"
else
    args+=(-C cmake.args="--toolchain=$root/cmake/toolchains/$target.cmake")
fi
case "$target" in
    macos-arm64)
        platform=macosx-11.0-arm64 tag=py3-none-macosx_11_0_arm64
        args+=(-C wheel.py-api=py3) ;;
    macos-x64)
        platform=macosx-10.13-x86_64 tag=py3-none-macosx_10_13_x86_64
        args+=(-C wheel.py-api=py3) ;;
    windows-arm64)
        platform=win-arm64 tag=py3-none-win_arm64
        args+=(-C wheel.py-api=py3) ;;
    linux-musl-x64)
        platform=musllinux_1_2_x86_64 tag=py3-none-musllinux_1_2_x86_64
        args+=(-C wheel.py-api=py3) ;;
    linux-musl-arm64)
        platform=musllinux_1_2_aarch64 tag=py3-none-musllinux_1_2_aarch64
        args+=(-C wheel.py-api=py3) ;;
    linux-x64-gnu2.17)
        platform=linux-x86_64 tag=cp39-abi3-linux_x86_64 ;;
    linux-arm64-gnu2.17)
        platform=linux-aarch64 tag=cp39-abi3-linux_aarch64
        source "$root/scripts/deps.sh"
        ensure_arm64_python "$root/build/python-arm64"
        export CFLAGS="-I$root/build/python-arm64/usr/include" ;;
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
