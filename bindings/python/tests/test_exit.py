"""No Python process waits at exit for a callback: a deadline's callback blocks for
good on the library's thread, and the interpreter leaves by sys.exit(7), by the end of
its script (exit code 0), or by SIGTERM (a handler that calls sys.exit(7), as servers
install). Each must end with its code; a hang fails the test."""
import signal
import subprocess
import sys
import textwrap

import pytest

from conftest import posix_only

GENEROUS = 60  # seconds: a hang fails the test, never its speed

CHILD = textwrap.dedent(r"""
    import os, signal, sys, threading
    import enough

    how = sys.argv[1]
    started = threading.Event()

    def block_for_good(reason):  # on the library's thread
        started.set()
        threading.Event().wait()  # nobody sets it

    source = enough.Source()
    token = source.token()
    registration = token.on_cancel(block_for_good)
    source.cancel_after(0.001)
    if not started.wait(60):
        sys.exit(3)
    print("the callback blocks:", how, flush=True)
    if how == "exit":
        sys.exit(7)
    elif how == "sigterm":
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(7))
        os.kill(os.getpid(), signal.SIGTERM)
        threading.Event().wait(60)
    # else: the script ends here
""")


def run_child(how):
    return subprocess.run([sys.executable, "-c", CHILD, how], capture_output=True, text=True,
                          timeout=GENEROUS)


@pytest.mark.parametrize("how, code", [("exit", 7), ("end", 0)])
def test_exit_while_a_callback_blocks(how, code):
    result = run_child(how)
    assert result.returncode == code, result.stderr
    assert "the callback blocks" in result.stdout


@posix_only("SIGTERM")
def test_sigterm_while_a_callback_blocks():
    result = run_child("sigterm")
    assert result.returncode == 7, result.stderr
