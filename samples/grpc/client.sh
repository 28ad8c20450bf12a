#!/usr/bin/env bash
# Runs client.py as a Python user would: a fresh venv with enough-cancel[grpc] and
# grpcio-tools (which generates transcode_pb2 from transcode.proto).
#   client.sh SAMPLE_GRPC WORK_DIR
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$2"
rm -rf "$work" && mkdir -p "$work"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$root/bindings/python[grpc]" grpcio-tools
"$work/venv/bin/python" -m grpc_tools.protoc -I"$here" --python_out="$work" --grpc_python_out="$work" \
    "$here/transcode.proto"
cd "$work"
unset ENOUGH_LIBRARY
PYTHONPATH="$work" exec "$work/venv/bin/python" "$here/client.py" "$1"
