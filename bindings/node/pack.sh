#!/usr/bin/env bash
# Packs the npm package with the native libraries inside it, one per platform:
#   pack.sh OUT_DIR TARGET=LIBRARY [TARGET=LIBRARY...]
# TARGET is process.platform-process.arch (linux-x64, linux-arm64, win32-x64); each
# LIBRARY is staged as prebuilds/TARGET/<the name index.js loads there>. Runs `npm pack`
# on the stage and prints the tarball's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$(mkdir -p "$1" && cd "$1" && pwd)"
shift
[ $# -gt 0 ] || { echo "pack.sh: no TARGET=LIBRARY given" >&2; exit 2; }
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage"
cp "$here/package.json" "$here/index.js" "$here/watcher-thread.js" "$here/index.mjs" "$here/index.d.ts" "$here/README.md" "$stage/"
for pair in "$@"; do
    target="${pair%%=*}"
    library="${pair#*=}"
    case "$target" in
        win32-*) file=enough.dll ;;
        darwin-*) file=libenough.dylib ;;
        *) file=libenough.so ;;
    esac
    mkdir -p "$stage/prebuilds/$target"
    cp "$library" "$stage/prebuilds/$target/$file"
    # Binutils' strip reads ELF of any machine and PE alike.
    strip --strip-debug "$stage/prebuilds/$target/$file" 2>/dev/null || true
done
(cd "$stage" && npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1 | sed "s|^|$out/|")
