"""AnyIO's documented cancellation semantics, on both of its backends (asyncio and
Trio), checked of enough.anyio.cancel_scope and run_sync as anyio.CancelScope and
to_thread.run_sync behave: cancel while waiting, cancel before entry, nested scopes,
shielding, exceptions inside."""
import threading

import pytest

import enough
from enough import Reason

anyio = pytest.importorskip("anyio", reason="the anyio extra is not installed (pip install enough-cancel[anyio])")
pytest.importorskip("trio", reason="trio (a test dependency) is not installed")
import enough.anyio  # noqa: E402

GENEROUS = 60  # seconds: a hang fails the test, never its speed


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param


@pytest.mark.anyio
async def test_scope_nested_the_token_cancels_only_its_own_scope():
    with enough.Source() as source, source.token() as token:
        with anyio.CancelScope() as outer:
            with enough.anyio.cancel_scope(token) as inner:
                threading.Timer(0.01, source.cancel).start()
                await anyio.sleep(GENEROUS)
            assert inner.cancelled_caught
            await anyio.sleep(0)  # the outer scope goes on
        assert not outer.cancelled_caught


@pytest.mark.anyio
async def test_scope_an_outer_cancel_passes_through_the_token_scope():
    with enough.Source() as source, source.token() as token:
        with anyio.CancelScope() as outer:
            with enough.anyio.cancel_scope(token) as inner:
                outer.cancel()
                await anyio.sleep(GENEROUS)
        assert outer.cancelled_caught and not inner.cancelled_caught
        assert not source.cancelled


@pytest.mark.anyio
async def test_scope_a_shielded_block_inside_is_not_interrupted():
    with enough.Source() as source, source.token() as token:
        finished = False
        with enough.anyio.cancel_scope(token) as scope:
            with anyio.CancelScope(shield=True):
                source.cancel()
                await anyio.sleep(0.02)  # not interrupted
                finished = True
            await anyio.sleep(GENEROUS)  # the first checkpoint outside the shield
        assert finished and scope.cancelled_caught


@pytest.mark.anyio
async def test_scope_an_exception_inside_propagates_and_lets_go():
    before = enough.live_objects()
    with enough.Source() as source, source.token() as token:
        with pytest.raises(KeyError):
            with enough.anyio.cancel_scope(token):
                await anyio.sleep(0)
                raise KeyError("inside")
        source.cancel()  # the registration is gone: nothing to schedule
        await anyio.sleep(0.01)
    assert enough.live_objects() == before


@pytest.mark.anyio
async def test_run_sync_an_exception_in_the_worker_propagates_and_the_token_stays():
    seen = {}

    def failing(token):
        seen["cancelled"] = token.cancelled
        raise KeyError("in the worker")

    with pytest.raises(KeyError, match="in the worker"):
        await enough.anyio.run_sync(failing)
    assert seen == {"cancelled": False}


@pytest.mark.anyio
async def test_run_sync_in_a_scope_cancelled_before_entry():
    # The work never runs, or runs with its token cancelled; either way the scope
    # catches its own cancellation.
    seen = []
    with anyio.CancelScope() as scope:
        scope.cancel()
        await enough.anyio.run_sync(lambda token: seen.append(token.cancelled))
    assert scope.cancelled_caught
    assert seen in ([], [True])


@pytest.mark.anyio
async def test_run_sync_nested_in_a_task_group_cancelled_by_a_sibling():
    reasons = []

    def work(token):
        token.wait(GENEROUS)
        reasons.append(token.reason)

    async with anyio.create_task_group() as group:
        async def sibling():
            await anyio.sleep(0.01)
            group.cancel_scope.cancel()

        group.start_soon(sibling)
        await enough.anyio.run_sync(work)
    assert reasons == [Reason.CANCELLED]
