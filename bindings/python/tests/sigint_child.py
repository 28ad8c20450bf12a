"""A child interpreter inside a long native call, and the SIGINT that stops it: shared
by test_sigint.py and the benchmark (tests/bench/python_bench.py). On Windows the
Ctrl-C is pressed on the console the two processes share (a console is needed)."""
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

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




def build_spin_library(folder: Path) -> str:
    """Compiles the native polling loop; None without a C compiler. $ENOUGH_SPIN_LIBRARY
    names one built already (cross-built for Windows, which has no compiler here)."""
    if os.environ.get("ENOUGH_SPIN_LIBRARY"):
        return os.environ["ENOUGH_SPIN_LIBRARY"]
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        return None
    (folder / "spin.c").write_text(SPIN_C)
    subprocess.run([compiler, "-O2", "-shared", "-fPIC", "-o", str(folder / "spin.so"),
                    str(folder / "spin.c")], check=True)
    return str(folder / "spin.so")


def press_ctrl_c(child: subprocess.Popen) -> None:
    """SIGINT to the child; on Windows, Ctrl-C on the shared console, which this
    process ignores until the child has exited (the event reaches it on a thread of
    its own, later; children inherit the ignoring: see stop_ignoring_ctrl_c)."""
    if sys.platform != "win32":
        child.send_signal(signal.SIGINT)
        return
    import ctypes
    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)
    kernel32.SetConsoleCtrlHandler(None, True)
    if not kernel32.GenerateConsoleCtrlEvent(0, 0):  # CTRL_C_EVENT to this console
        raise OSError(ctypes.get_last_error(), "GenerateConsoleCtrlEvent (needs a console)")


def stop_ignoring_ctrl_c() -> None:
    if sys.platform == "win32":
        import ctypes
        ctypes.WinDLL("kernel32").SetConsoleCtrlHandler(None, False)


def interrupt_child(mode: str, spin_library: str, folder: Path):
    """Starts the child, sends SIGINT while it is inside the native call, and returns
    (milliseconds from the signal to the native call returning, the reason it saw, the
    rest of its output lines, its exit code)."""
    script = folder / "child.py"
    script.write_text(CHILD)
    child = subprocess.Popen([sys.executable, str(script), mode, spin_library],
                             stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        ready = child.stdout.readline().strip()
        if ready != "ready":
            raise AssertionError(f"child said {ready!r}")
        time.sleep(0.2)  # well inside the native call
        sent = time.monotonic()
        press_ctrl_c(child)
        returned = child.stdout.readline().split()
        if not returned or returned[0] != "returned":
            raise AssertionError(f"child said {returned!r}")
        rest = child.communicate(timeout=20)[0].split("\n")
    finally:
        child.kill()
        stop_ignoring_ctrl_c()
    return (float(returned[1]) - sent) * 1000, int(returned[2]), rest, child.returncode
