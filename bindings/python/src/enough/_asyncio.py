"""asyncio both ways: a token cancels an awaitable, and a cancelled task cancels the
token of the work it waits for in a thread."""

from __future__ import annotations

import asyncio
import functools
from typing import Any, Awaitable, Callable, TypeVar

from ._errors import cancelled_error
from ._handles import Source, Token

T = TypeVar("T")


async def cancellable(awaitable: Awaitable[T], token: Token) -> T:
    """Awaits ``awaitable``; as soon as ``token`` cancels, cancels it and raises
    :class:`Cancelled` (:class:`TimedOut` for a deadline) with the token's reason.
    If the awaiting task itself is cancelled, both are cancelled and CancelledError
    propagates as usual."""
    task = asyncio.ensure_future(awaitable)
    if token.cancelled:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        raise cancelled_error(token.reason)
    watcher = asyncio.ensure_future(token.wait_cancelled())
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    except asyncio.CancelledError:
        task.cancel()
        watcher.cancel()
        await asyncio.gather(task, watcher, return_exceptions=True)
        raise
    if task.done():
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        return task.result()
    task.cancel()
    await asyncio.gather(task, return_exceptions=True)
    raise cancelled_error(token.reason)


async def to_thread(func: Callable[..., T], /, *args: Any) -> T:
    """Runs ``func(*args, token)`` in a worker thread with a fresh token as its last
    argument, and returns its result. If the awaiting task is cancelled, the token
    cancels, the worker's return is awaited (it is never left running with a closed
    token), and CancelledError propagates."""
    loop = asyncio.get_running_loop()
    with Source() as source:
        worker_token = source.token()

        def run() -> T:
            with worker_token:
                return func(*args, worker_token)

        future = loop.run_in_executor(None, functools.partial(run))
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            source.cancel()
            while not future.done():
                try:
                    await asyncio.shield(future)
                except asyncio.CancelledError:
                    continue  # cancelled again: the worker still has to return first
                except Exception:
                    break
            raise
