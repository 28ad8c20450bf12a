#!/usr/bin/env bash
# Makes the module as a Go module proxy serves it (GOPROXY=file://PROXY_DIR): the
# module's own files plus what stage.sh adds (the library's sources, the
# per-source stubs), so that it builds with nothing installed but a C++20 compiler.
#   pack.sh PROXY_DIR WORK_DIR      writes PROXY_DIR/enough.example/enough/@v/*
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
proxy="$1"
work="$2"
module_path="$(awk '/^module / { print $2 }' "$here/go.mod")"
version="v$(bash "$root/scripts/version")"
tree="$work/zip/$module_path@$version"
rm -rf "$work/zip"
mkdir -p "$tree"
# The module's own files, found without git (a release tarball is no checkout).
(cd "$here" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum -o -name '*.md' -o -name '*.sh' \) |
    sort | tar -cf - -T -) | tar -xf - -C "$tree"
bash "$here/stage.sh" "$tree" >/dev/null
versions="$proxy/$module_path/@v"
mkdir -p "$versions"
(cd "$work/zip" && find . -type f | sed 's|^\./||' | sort |
    python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name in sys.stdin.read().split():
        z.write(name)' "$versions/$version.zip")
cp "$tree/go.mod" "$versions/$version.mod"
printf '{"Version":"%s","Time":"%s"}\n' "$version" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$versions/$version.info"
echo "$version" >"$versions/list"
echo "$versions/$version.zip"
