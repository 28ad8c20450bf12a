#!/usr/bin/env bash
# Tests the package as its user receives it: builds the wheel from this checkout,
# installs it into a fresh virtual environment (with pytest and nothing else), and
# runs the suite from a copy of tests/, so nothing is imported from the source tree.
#   test-installed.sh PYTHON WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
python="$1"
work="$2"
rm -rf "$work"
mkdir -p "$work"
"$python" -m pip wheel "$here" --no-deps --wheel-dir "$work/dist" --quiet
"$python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work"/dist/enough_cancel-*.whl "pytest>=7"
cp -r "$here/tests" "$work/tests"
cd "$work/tests"
unset ENOUGH_LIBRARY # the package must load the library it carries
exec "$work/venv/bin/python" -m pytest -p no:cacheprovider -v
