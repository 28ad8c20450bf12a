#!/usr/bin/env bash
# Packs the npm package with the native library inside it:
#   pack.sh LIBENOUGH_SO OUT_DIR
# stages this folder with LIBENOUGH_SO as prebuilds/<platform>-<arch>/libenough.so and
# runs `npm pack` there; prints the tarball's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
library="$1"
out="$(mkdir -p "$2" && cd "$2" && pwd)"
stage="$out/stage"
rm -rf "$stage"
mkdir -p "$stage/prebuilds/linux-x64"
cp "$here/package.json" "$here/index.js" "$here/index.mjs" "$here/index.d.ts" "$here/README.md" "$stage/"
cp "$library" "$stage/prebuilds/linux-x64/libenough.so"
strip --strip-debug "$stage/prebuilds/linux-x64/libenough.so" 2>/dev/null || true
(cd "$stage" && npm pack --silent --pack-destination "$out" 2>/dev/null | tail -n 1 | sed "s|^|$out/|")
