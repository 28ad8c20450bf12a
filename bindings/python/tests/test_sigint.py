"""Ctrl-C reaches native code: a real SIGINT to a child interpreter whose main thread
is inside a long native call that holds no GIL."""
import pytest

from sigint_child import build_spin_library, interrupt_child


@pytest.fixture(scope="module")
def spin_library(tmp_path_factory):
    library = build_spin_library(tmp_path_factory.mktemp("spin"))
    if library is None:
        pytest.skip("no C compiler for the native polling loop")
    return library


@pytest.mark.parametrize("mode", ["spin", "wait"])
def test_sigint_stops_a_native_call_then_raises_keyboard_interrupt(mode, spin_library, tmp_path):
    latency_ms, reason, rest, returncode = interrupt_child(mode, spin_library, tmp_path)
    print(f"SIGINT to native {mode} returning: {latency_ms:.3f} ms")
    assert reason == 1  # Reason.CANCELLED
    assert rest[0] == "block went on"
    assert rest[1] == "KeyboardInterrupt"  # when the block ended
    assert rest[2] == "restored True"
    assert rest[3] == "plain KeyboardInterrupt"
    assert returncode == 0
