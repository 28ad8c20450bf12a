#!/usr/bin/env bash
# Tests the library as its package delivers it: the .nupkg (made here by pack.py from
# src/ compiled with mono's compiler and the given libenough.so, or given), unpacked;
# then what a restore and the package's Enough.targets do for a mono or .NET Framework
# program: Enough.dll and runtimes/linux-x64/native/libenough.so next to the program.
# The tests are compiled against that Enough.dll and run under mono, which finds the
# native library beside the program (no LD_LIBRARY_PATH); or, with `coreclr PYTHON`,
# on CoreCLR: .NET Core 3.1's host and shared framework from PyPI's dotnetcore2, in a
# venv of PYTHON's under WORK_DIR, run the same assemblies (an app.runtimeconfig.json
# beside them names the framework; invariant globalization, as Debian's ICU is newer
# than 3.1 knows).
#   test-installed.sh MCS MONO LIBENOUGH_SO|ENOUGH_NUPKG WORK_DIR [coreclr PYTHON]
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
    "$mcs" -nologo -warnaserror -unsafe -target:library -doc:"$work/Enough.xml" -out:"$work/Enough.dll" "$here"/src/*.cs
    nupkg="$(python3 "$here/pack.py" "$work" "$work/Enough.dll" linux-x64="$given")"
fi
python3 -m zipfile -e "$nupkg" "$work/package"
grep -qF 'runtimes/linux-$(_EnoughArch)/native/libenough.so' "$work/package/build/net45/Enough.targets"
grep -q '<member name="T:Enough.Token">' "$work/package/lib/net45/Enough.xml" # the XML documentation
cp "$work/package/lib/net45/Enough.dll" "$work/package/runtimes/linux-x64/native/libenough.so" "$work/app/"
"$mcs" -nologo -warnaserror -r:"$work/app/Enough.dll" -out:"$work/app/EnoughTests.exe" "$here"/tests/*.cs
cd "$work/app"
unset LD_LIBRARY_PATH
if [ "${5:-mono}" = coreclr ]; then
    "$6" -m venv "$work/coreclr"
    "$work/coreclr/bin/python" -m pip install --quiet "dotnetcore2==3.1.23"
    dotnet="$("$work/coreclr/bin/python" -c 'import dotnetcore2, os; print(os.path.join(os.path.dirname(dotnetcore2.__file__), "bin", "dotnet"))')"
    cat > EnoughTests.runtimeconfig.json <<'JSON'
{ "runtimeOptions": { "tfm": "netcoreapp3.1",
    "framework": { "name": "Microsoft.NETCore.App", "version": "3.1.0" },
    "configProperties": { "System.Globalization.Invariant": true } } }
JSON
    "$dotnet" --list-runtimes
    exec "$dotnet" EnoughTests.exe
fi
exec "$mono" --debug EnoughTests.exe
