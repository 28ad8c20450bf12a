#!/usr/bin/env bash
# Tests the library as its package lays it out: compiles Enough.dll from src/ with
# mono's compiler into lib/, puts libenough.so under runtimes/linux-x64/native/ (as the
# NuGet package does), compiles the tests against that Enough.dll, and runs them under
# mono. (.NET probes runtimes/<rid>/native itself; mono is pointed there with
# LD_LIBRARY_PATH.)
#   test-installed.sh MCS MONO LIBENOUGH_SO WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mcs="$1"
mono="$2"
library="$3"
work="$4"
package="$work/package"
rm -rf "$work"
mkdir -p "$package/lib/net" "$package/runtimes/linux-x64/native" "$work/app"
"$mcs" -nologo -warnaserror -unsafe -target:library -out:"$package/lib/net/Enough.dll" "$here"/src/*.cs
cp "$library" "$package/runtimes/linux-x64/native/libenough.so"
# What a restore does: the referenced assembly next to the application.
cp "$package/lib/net/Enough.dll" "$work/app/"
"$mcs" -nologo -warnaserror -r:"$work/app/Enough.dll" -out:"$work/app/EnoughTests.exe" "$here"/tests/*.cs
cd "$work/app"
LD_LIBRARY_PATH="$package/runtimes/linux-x64/native" exec "$mono" --debug EnoughTests.exe
