"""asyncio's documented cancellation semantics, checked of what this package gives
it: enough.cancellable and Token.wait_cancelled behave as asyncio.timeout() and
Task.cancel() do (cancel while waiting, cancel before entry, nesting, shielding,
exceptions inside). AnyIO's: test_anyio_semantics.py."""
import asyncio
import sys
import threading

import pytest

import enough
from enough import Reason

GENEROUS = 60  # seconds: a hang fails the test, never its speed


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, GENEROUS))


# ---- asyncio: enough.cancellable ----------------------------------------------------

def test_cancel_while_waiting_cancels_the_inner_task_and_runs_its_finally():
    async def main():
        cleaned = []

        async def inner():
            try:
                await asyncio.sleep(GENEROUS)
            finally:
                cleaned.append("finally")

        with enough.Source() as source, source.token() as token:
            asyncio.get_running_loop().call_later(0.01, source.cancel, 300)
            with pytest.raises(enough.Cancelled) as raised:
                await enough.cancellable(inner(), token)
            assert raised.value.reason == 300
            assert cleaned == ["finally"]  # the inner coroutine was cancelled, not abandoned

    run(main())


def test_cancel_before_entry_never_starts_the_inner_coroutine():
    async def main():
        started = []

        async def inner():
            started.append(True)

        with enough.Source() as source, source.token() as token:
            source.cancel(Reason.TIMED_OUT)
            with pytest.raises(enough.TimedOut):
                await enough.cancellable(inner(), token)
        assert started == []  # as a task cancelled before its first step

    run(main())


def test_the_task_is_not_left_cancelling_after_the_token_cancels():
    # asyncio.timeout() uncancels what it cancelled: the task goes on normally after it.
    async def main():
        with enough.Source() as source, source.token() as token:
            asyncio.get_running_loop().call_later(0.01, source.cancel)
            with pytest.raises(enough.Cancelled):
                await enough.cancellable(asyncio.sleep(GENEROUS), token)
            if sys.version_info >= (3, 11):  # before 3.11 a task keeps no cancel count
                assert asyncio.current_task().cancelling() == 0
            await asyncio.sleep(0)  # no stray CancelledError left for the task

    run(main())


def test_an_exception_inside_propagates_unchanged():
    async def main():
        async def failing():
            await asyncio.sleep(0)
            raise KeyError("inside")

        with enough.Source() as source, source.token() as token:
            with pytest.raises(KeyError, match="inside"):
                await enough.cancellable(failing(), token)
            source.cancel()  # afterwards: nothing left to cancel

    run(main())


def test_nested_the_token_that_cancels_is_the_one_reported():
    async def main():
        with enough.Source() as outer, outer.token() as outer_token, \
                enough.Source() as inner, inner.token() as inner_token:
            asyncio.get_running_loop().call_later(0.01, inner.cancel, 301)
            with pytest.raises(enough.Cancelled) as raised:
                await enough.cancellable(enough.cancellable(asyncio.sleep(GENEROUS), inner_token), outer_token)
            assert raised.value.reason == 301

            with enough.Source() as second, second.token() as second_token:
                asyncio.get_running_loop().call_later(0.01, outer.cancel, 302)
                with pytest.raises(enough.Cancelled) as raised:
                    await enough.cancellable(enough.cancellable(asyncio.sleep(GENEROUS), second_token), outer_token)
                assert raised.value.reason == 302
                assert not second.cancelled  # the outer token cancels the outer wait only

    run(main())


def test_a_shielded_awaitable_runs_on_when_the_token_cancels():
    async def main():
        loop = asyncio.get_running_loop()
        done = loop.create_future()

        async def work():
            await asyncio.sleep(0.02)
            done.set_result("finished")
            return "finished"

        shielded = asyncio.ensure_future(work())
        with enough.Source() as source, source.token() as token:
            loop.call_later(0.005, source.cancel)
            with pytest.raises(enough.Cancelled):
                await enough.cancellable(asyncio.shield(shielded), token)
        assert await shielded == "finished"  # as asyncio.shield under asyncio.timeout

    run(main())


def test_the_awaiting_task_cancelled_raises_cancelled_error_not_cancelled():
    async def main():
        with enough.Source() as source, source.token() as token:
            task = asyncio.ensure_future(enough.cancellable(asyncio.sleep(GENEROUS), token))
            await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert not source.cancelled  # the task's cancel does not cancel the token

    run(main())


# ---- asyncio: Token.wait_cancelled --------------------------------------------------

def test_wait_cancelled_returns_at_once_when_already_cancelled():
    async def main():
        with enough.Source() as source, source.token() as token:
            source.cancel(7)
            assert await token.wait_cancelled() == 7

    run(main())


def test_cancelling_a_task_in_wait_cancelled_leaves_nothing_behind():
    async def main():
        before = enough.live_objects()
        with enough.Source() as source, source.token() as token:
            task = asyncio.ensure_future(token.wait_cancelled())
            await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            source.cancel()  # nobody waits any more: the loop must not call back
            await asyncio.sleep(0.01)
        assert enough.live_objects() == before

    run(main())


def test_many_waiters_all_wake_with_the_reason_from_another_thread():
    async def main():
        with enough.Source() as source, source.token() as token:
            threading.Timer(0.01, source.cancel, (303,)).start()
            assert await asyncio.gather(*(token.wait_cancelled() for _ in range(50))) == [303] * 50

    run(main())
