import gc
import os
import sys
import time

import pytest

import enough


WINDOWS = sys.platform == "win32"


def posix_only(why):
    """A test of what Windows has not; the reason is printed with -rs."""
    return pytest.mark.skipif(WINDOWS, reason=f"POSIX only: {why}")


def windows_only(why):
    return pytest.mark.skipif(not WINDOWS, reason=f"Windows only: {why}")


# Set by test-installed.sh when the suite runs under qemu-user: why forking fails there.
NO_FORK = os.environ.get("ENOUGH_TEST_NO_FORK")


def forks(test):
    """A test whose process forks with threads running; qemu-user cannot run it."""
    return pytest.mark.skipif(bool(NO_FORK), reason=f"not run under the emulator: {NO_FORK}")(test)


@pytest.fixture(autouse=True)
def no_leaks():
    """Every test leaves the native library with as many live objects as it found."""
    before = enough.live_objects()
    yield
    gc.collect()
    deadline = time.monotonic() + 60  # the library's thread lets go just after it cancels (a hang, not speed)
    while enough.live_objects() != before and time.monotonic() < deadline:
        time.sleep(0.001)
    assert enough.live_objects() == before, "native objects leaked"


def eventually(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.001)
    return condition()
