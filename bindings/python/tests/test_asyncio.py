"""asyncio both ways: tokens cancel awaitables; cancelled tasks cancel tokens."""
import asyncio
import threading
import time

import pytest

import enough
from enough import Reason


@pytest.mark.parametrize("cancelled_on", ["the loop", "another thread"])
def test_wait_cancelled_wakes_the_loop(cancelled_on):
    # POSIX: through the token's descriptor; Windows: a callback on the cancelling thread.
    async def main():
        with enough.Source() as source, source.token() as token:
            if cancelled_on == "the loop":
                asyncio.get_running_loop().call_later(0.02, source.cancel, 9)
            else:
                threading.Timer(0.02, source.cancel, (9,)).start()
            return await asyncio.wait_for(token.wait_cancelled(), 5)

    assert asyncio.run(main()) == 9


def test_cancellable_raises_when_the_token_cancels():
    async def main():
        inner_cancelled = asyncio.Event()

        async def slow():
            try:
                await asyncio.sleep(30)
            except asyncio.CancelledError:
                inner_cancelled.set()
                raise

        with enough.Source() as source, source.token() as token:
            source.cancel_after(0.02)
            with pytest.raises(enough.TimedOut):
                await enough.cancellable(slow(), token)
            assert inner_cancelled.is_set()

    asyncio.run(main())


def test_cancellable_returns_the_result_and_checks_first():
    async def main():
        async def quick():
            return 42

        with enough.Source() as source, source.token() as token:
            assert await enough.cancellable(quick(), token) == 42
            source.cancel(301)
            with pytest.raises(enough.Cancelled) as raised:
                await enough.cancellable(quick(), token)
            assert raised.value.reason == 301

    asyncio.run(main())


def test_cancelling_the_awaiting_task_cancels_both():
    async def main():
        with enough.Source() as source, source.token() as token:
            task = asyncio.ensure_future(enough.cancellable(asyncio.sleep(30), token))
            await asyncio.sleep(0.01)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            assert not token.cancelled  # the token belongs to its source, not the task

    asyncio.run(main())


def test_to_thread_passes_a_token_and_returns_the_result():
    def work(a, b, token):
        assert isinstance(token, enough.Token) and not token.cancelled
        return a + b

    assert asyncio.run(enough.to_thread(work, 2, 3)) == 5


def test_to_thread_cancels_the_token_and_waits_for_the_worker():
    finished = threading.Event()
    observed = []

    def work(token):
        while not token.cancelled:  # a native loop would poll the same word
            time.sleep(0.001)
        observed.append(token.reason)
        time.sleep(0.05)  # cleanup: the task must wait for it
        finished.set()
        return "stopped"

    async def main():
        task = asyncio.ensure_future(enough.to_thread(work))
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert finished.is_set()  # the worker returned before CancelledError did

    asyncio.run(main())
    assert observed == [Reason.CANCELLED]
