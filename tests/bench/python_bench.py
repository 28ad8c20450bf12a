"""Python figures: token.cancelled against threading.Event.is_set(), the same word
read against a ctypes call of enough_token_is_cancelled, and the time from SIGINT to a
native polling loop returning under enough.cancel_on_sigint(). Prints one JSON object.

Run by scripts/bench with the package's wheel installed in a fresh virtual
environment:  python python_bench.py BINDINGS_PYTHON_TESTS_DIR
"""
import json
import statistics
import sys
import tempfile
import threading
import timeit
from pathlib import Path

import enough

sys.path.insert(0, sys.argv[1])
from sigint_child import build_spin_library, interrupt_child  # noqa: E402

NUMBER = 500_000
ROUNDS = 7
SIGINT_TRIALS = 25


def per_check_ns(statement, scope):
    times = timeit.repeat(statement, globals=scope, number=NUMBER, repeat=ROUNDS)
    return statistics.median(times) / NUMBER * 1e9


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


with enough.Source() as source, source.token() as token:
    scope = {"token": token, "event": threading.Event(),
             "call": enough.library.enough_token_is_cancelled, "handle": token.handle}
    # Interleaved rounds: ours, then the peers, several times.
    ours, event, call = [], [], []
    for _ in range(3):
        ours.append(per_check_ns("token.cancelled", scope))
        event.append(per_check_ns("event.is_set()", scope))
        call.append(per_check_ns("call(handle)", scope))

with tempfile.TemporaryDirectory() as folder:
    spin = build_spin_library(Path(folder))
    latencies = [interrupt_child("spin", spin, Path(folder))[0] for _ in range(SIGINT_TRIALS)]

print(json.dumps({
    "python_cancelled_ns": statistics.median(ours),
    "python_event_is_set_ns": statistics.median(event),
    "python_ctypes_call_ns": statistics.median(call),
    "sigint_trials": SIGINT_TRIALS,
    "sigint_to_native_p50_ms": statistics.median(latencies),
    "sigint_to_native_p99_ms": percentile(latencies, 0.99),
}, indent=2))
