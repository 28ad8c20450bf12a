#!/usr/bin/env bash
# Uses an installed C/C++ package from another place, as someone who unpacked the
# archive would: copies PREFIX elsewhere, builds tests/downstream against it
# (find_package(enough): the shared, static and C++ consumers) and a C consumer
# through pkg-config, and runs them (under the target's emulator).
#   check_archive.sh PREFIX TARGET      TARGET: linux-x64, linux-arm64, windows-x64
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
prefix="$1"
target="$2"
moved="$(mktemp -d)/unpacked-elsewhere"
trap 'rm -rf "$(dirname "$moved")"' EXIT
cp -a "$prefix" "$moved"
cc=cc
exe=""
toolchain=()
run=()
case "$target" in
    linux-arm64) toolchain=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/linux-arm64.cmake")
                 cc=aarch64-linux-gnu-gcc; run=("$root/scripts/qemu-run") ;;
    windows-x64) toolchain=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/toolchains/windows-x64.cmake")
                 cc=x86_64-w64-mingw32-gcc-posix; exe=.exe; run=("$root/scripts/wine-run")
                 export WINEPATH="Z:$moved/bin" ;; # where the consumers find enough.dll
esac
ctest --build-and-test "$root/tests/downstream" "$moved-downstream" --build-generator "Unix Makefiles" \
    --build-options -Denough_DIR="$moved/lib/cmake/enough" -DCMAKE_BUILD_TYPE=Release "${toolchain[@]}" \
    --test-command ctest --output-on-failure >"$moved-downstream.log" 2>&1 ||
    { cat "$moved-downstream.log"; echo "$target: tests/downstream failed against the moved package" >&2; exit 1; }
export PKG_CONFIG_PATH="$moved/lib/pkgconfig"
# shellcheck disable=SC2046 # pkg-config's flags are words
"$cc" -std=c99 -Wall -Werror "$root/tests/downstream/main.c" $(pkg-config --cflags --libs enough) \
    -Wl,-rpath,"$moved/lib" -o "$moved-pc_consumer$exe"
"${run[@]}" "$moved-pc_consumer$exe" >/dev/null
echo "$target: the package works from where it is unpacked (find_package and pkg-config)"
