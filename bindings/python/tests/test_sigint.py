"""Ctrl-C reaches native code: a real SIGINT to a child interpreter whose main thread
is inside a long native call that holds no GIL."""
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest

CHILD = textwrap.dedent(r"""
    import ctypes, signal, sys, time
    import enough

    mode = sys.argv[1]
    python_handler = signal.getsignal(signal.SIGINT)
    if mode == "spin":
        spin = ctypes.CDLL(sys.argv[2]).spin
        spin.restype, spin.argtypes = ctypes.c_long, [ctypes.c_void_p, ctypes.c_void_p]
        check = ctypes.cast(enough.library.enough_token_is_cancelled, ctypes.c_void_p)
    try:
        with enough.cancel_on_sigint() as token:
            print("ready", flush=True)
            if mode == "spin":   # a native loop polling the token
                spin(token.handle, check)
            else:                # a native call blocked on the token
                enough.library.enough_token_wait(token.handle, -1)
            print("returned", time.monotonic(), int(token.reason), flush=True)
            time.sleep(0.1)  # Python code in the block runs on: cleanup, results
            print("block went on", flush=True)
        print("no KeyboardInterrupt", flush=True)
    except KeyboardInterrupt:
        print("KeyboardInterrupt", flush=True)
    print("restored", signal.getsignal(signal.SIGINT) is python_handler, flush=True)
    try:  # the native handler is gone: Ctrl-C is Python's alone again
        signal.raise_signal(signal.SIGINT)
        time.sleep(1)
        print("not raised", flush=True)
    except KeyboardInterrupt:
        print("plain KeyboardInterrupt", flush=True)
""")

SPIN_C = r"""
#include <stdbool.h>
long spin(void *token, bool (*is_cancelled)(void *)) {
    long checks = 0;
    while (!is_cancelled(token)) {
        ++checks;
    }
    return checks;
}
"""


@pytest.fixture(scope="module")
def spin_library(tmp_path_factory):
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler for the native polling loop")
    folder = tmp_path_factory.mktemp("spin")
    (folder / "spin.c").write_text(SPIN_C)
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(folder / "spin.so"),
                    str(folder / "spin.c")], check=True)
    return str(folder / "spin.so")


@pytest.mark.parametrize("mode", ["spin", "wait"])
def test_sigint_stops_a_native_call_then_raises_keyboard_interrupt(mode, spin_library, tmp_path):
    script = tmp_path / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), mode, spin_library],
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.2)  # well inside the native call
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        returned = child.stdout.readline().split()
        assert returned[0] == "returned", returned
        assert int(returned[2]) == 1  # Reason.CANCELLED
        latency_ms = (float(returned[1]) - sent) * 1000
        print(f"SIGINT to native {mode} returning: {latency_ms:.3f} ms")
        rest = child.communicate(timeout=20)[0].split("\n")
    finally:
        child.kill()
    assert rest[0] == "block went on"
    assert rest[1] == "KeyboardInterrupt"  # when the block ended
    assert rest[2] == "restored True"
    assert rest[3] == "plain KeyboardInterrupt"
    assert child.returncode == 0
