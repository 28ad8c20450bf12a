"""enough.anyio (the anyio extra) on both of AnyIO's backends, asyncio and Trio: a
token cancels a cancel scope, and leaving a cancel scope cancels the token of native
code running in a worker thread."""
import ctypes
import threading

import pytest

anyio = pytest.importorskip("anyio", reason="the anyio extra is not installed (pip install enough-cancel[anyio])")
pytest.importorskip("trio", reason="trio (a test dependency) is not installed")

import enough  # noqa: E402
import enough.anyio  # noqa: E402
from enough import Reason  # noqa: E402
from sigint_child import build_spin_library  # noqa: E402

pytestmark = pytest.mark.anyio


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param


@pytest.fixture(scope="module")
def native_loop(tmp_path_factory):
    """The native polling loop: spin(token, is_cancelled) checks the token until it
    cancels, through the library's own function."""
    path = build_spin_library(tmp_path_factory.mktemp("spin"))
    if path is None:
        pytest.skip("no C compiler for the native loop")
    spin = ctypes.CDLL(path).spin
    spin.restype = ctypes.c_long
    spin.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    is_cancelled = ctypes.cast(enough.library.enough_token_is_cancelled, ctypes.c_void_p)
    return lambda token: spin(token.handle, is_cancelled)


async def test_leaving_move_on_after_stops_a_native_loop_in_a_worker_thread(native_loop):
    seen = {}

    def work(token):
        seen["thread"] = threading.current_thread()
        seen["checks"] = native_loop(token)  # returns only once the token cancels
        seen["reason"] = token.reason
        return "not reached"

    with anyio.move_on_after(0.1) as scope:
        await enough.anyio.run_sync(work)
    assert scope.cancelled_caught
    assert seen["reason"] == Reason.CANCELLED and seen["checks"] > 0
    assert seen["thread"] is not threading.current_thread()


async def test_run_sync_returns_the_result_and_passes_the_token_last():
    assert await enough.anyio.run_sync(lambda a, b, token: (a + b, token.cancelled), 40, 2) == (42, False)


async def test_a_token_cancels_a_cancel_scope_from_another_thread():
    with enough.Source() as source, source.token() as token:
        threading.Timer(0.05, source.cancel, args=(4242,)).start()
        guard = enough.anyio.cancel_scope(token)
        with guard as scope:
            await anyio.sleep(20)
        assert scope.cancelled_caught
        assert guard.reason == 4242


async def test_an_already_cancelled_token_cancels_at_the_first_checkpoint():
    with enough.Source() as source, source.token() as token:
        source.cancel(Reason.TIMED_OUT)
        with enough.anyio.cancel_scope(token) as scope:
            await anyio.sleep(20)
        assert scope.cancelled_caught


async def test_a_block_that_ends_first_is_not_cancelled_and_lets_go():
    before = enough.live_objects()
    with enough.Source() as source, source.token() as token:
        with enough.anyio.cancel_scope(token) as scope:
            await anyio.sleep(0.01)
        source.cancel()  # after the block: nothing to cancel any more
        await anyio.sleep(0.01)
        assert not scope.cancelled_caught
    assert enough.live_objects() == before
