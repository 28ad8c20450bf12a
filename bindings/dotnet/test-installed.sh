#!/usr/bin/env bash
# Tests the library as its package delivers it: the .nupkg (made here by pack.py from
# src/ compiled with mono's compiler and the given libenough.so, or given), unpacked;
# then what a restore and the package's Enough.targets do for a mono or .NET Framework
# program: Enough.dll and runtimes/linux-x64/native/libenough.so next to the program.
# The tests are compiled against that Enough.dll and run under mono, which finds the
# native library beside the program (no LD_LIBRARY_PATH).
#   test-installed.sh MCS MONO LIBENOUGH_SO|ENOUGH_NUPKG WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
mcs="$1"
mono="$2"
given="$3"
work="$4"
rm -rf "$work"
mkdir -p "$work/package" "$work/app"
nupkg="$given"
if [[ "$given" != *.nupkg ]]; then
    "$mcs" -nologo -warnaserror -unsafe -target:library -out:"$work/Enough.dll" "$here"/src/*.cs
    nupkg="$(python3 "$here/pack.py" "$work" "$work/Enough.dll" linux-x64="$given")"
fi
python3 -m zipfile -e "$nupkg" "$work/package"
grep -q 'runtimes/linux-x64/native/libenough.so' "$work/package/build/net45/Enough.targets"
cp "$work/package/lib/net45/Enough.dll" "$work/package/runtimes/linux-x64/native/libenough.so" "$work/app/"
"$mcs" -nologo -warnaserror -r:"$work/app/Enough.dll" -out:"$work/app/EnoughTests.exe" "$here"/tests/*.cs
cd "$work/app"
unset LD_LIBRARY_PATH
exec "$mono" --debug EnoughTests.exe
