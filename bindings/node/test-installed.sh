#!/usr/bin/env bash
# Tests the package as its user receives it: packs the tarball (with the given
# libenough.so inside), installs it into an empty npm project (koffi comes from the
# registry), runs the node:test suite there, and type-checks a TypeScript consumer.
#   test-installed.sh LIBENOUGH_SO WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$2"
rm -rf "$work"
mkdir -p "$work"
tarball="$(bash "$here/pack.sh" "$1" "$work/pack")"
project="$work/project"
mkdir -p "$project"
cd "$project"
npm init -y >/dev/null
npm pkg set type=module >/dev/null
npm install --no-audit --no-fund --loglevel=error "$tarball" typescript@5 @types/node@20
cp -r "$here/test" "$project/test"
unset ENOUGH_LIBRARY # the package must load the library it carries
node --expose-gc --test test/
npx tsc -p test/tsconfig.json
echo "TypeScript consumer: type-checked"
