#!/usr/bin/env bash
# Puts the library's sources into the Python package's folder (core/, never committed:
# .gitignore), with Microsoft GSL's headers, so that the sdist builds from source with
# nothing but CMake and a C++20 compiler, where no wheel fits. CMakeLists.txt uses
# core/ when it is there, the repository two folders up otherwise.
#   stage-core.sh            (re)makes bindings/python/core
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
core="$here/core"
rm -rf "$core"
mkdir -p "$core/third_party/gsl"
cp "$root/CMakeLists.txt" "$core/"
cp -r "$root/cmake" "$root/abi" "$root/include" "$core/"
mkdir -p "$core/src"
(cd "$root/src" && tar -cf - --exclude=grpc .) | tar -xf - -C "$core/src"
# Header-only; found by cmake/gsl.cmake before any system copy.
gsl="$(for dir in /usr/include /usr/local/include; do [ -f "$dir/gsl/gsl" ] && echo "$dir" && break; done)"
[ -n "$gsl" ] || { echo "stage-core.sh: Microsoft GSL's headers not found (apt-get install libmsgsl-dev)" >&2; exit 1; }
cp -r "$gsl/gsl" "$core/third_party/gsl/"
echo "$core"
