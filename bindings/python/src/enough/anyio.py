"""AnyIO both ways, so Trio and asyncio alike (the ``anyio`` extra:
``pip install enough-cancel[anyio]``):

- :func:`cancel_scope`: a cancel scope that a token cancels;
- :func:`run_sync`: native code in a worker thread (``anyio.to_thread.run_sync``) gets a
  token that the calling task's cancel scope cancels, so leaving a ``move_on_after``
  block stops the native loop, and the thread is awaited, never abandoned::

      with anyio.move_on_after(2):
          frames = await enough.anyio.run_sync(native_decode, data)  # native_decode(data, token)

Which thread runs what: the token's callback runs on the cancelling thread and only
schedules the scope's cancel on the event loop (non-blocking), so a cancel from any
thread, the loop's own included, never waits for the loop.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, List, Optional, TypeVar

import anyio
import anyio.lowlevel
import sniffio

from ._handles import Registration, Source, Token
from ._reason import Reason

T = TypeVar("T")


def _thread_safe_soon() -> Callable[[Callable[[], Any]], None]:
    """Runs a function soon on this event loop, from any thread, without waiting."""
    if sniffio.current_async_library() == "trio":
        import trio

        trio_token = trio.lowlevel.current_trio_token()
        return trio_token.run_sync_soon
    import asyncio

    loop = asyncio.get_running_loop()
    return loop.call_soon_threadsafe


class cancel_scope:
    """``with enough.anyio.cancel_scope(token) as scope:`` an ``anyio.CancelScope``
    cancelled as soon as ``token`` cancels (at once if it already has). Afterwards
    ``scope.cancelled_caught`` says whether it stopped the block; :attr:`reason` says
    why the token cancelled."""

    def __init__(self, token: Token) -> None:
        self._token = token
        self._scope = anyio.CancelScope()
        self._registration: Optional[Registration] = None
        self.reason = Reason.NONE

    def __enter__(self) -> anyio.CancelScope:
        scope = self._scope.__enter__()
        soon = _thread_safe_soon()

        def cancelled(reason: Reason) -> None:  # on the cancelling thread
            self.reason = reason
            soon(scope.cancel)
        self._registration = self._token.on_cancel(cancelled)
        return scope

    def __exit__(self, *exc_info: Any) -> bool:
        if self._registration is not None:
            self._registration.close()  # after this the callback is not running
        return self._scope.__exit__(*exc_info)


async def run_sync(func: Callable[..., T], /, *args: Any) -> T:
    """Runs ``func(*args, token)`` in a worker thread (``anyio.to_thread.run_sync``) with
    a fresh token as its last argument, and returns its result. When the calling task's
    cancel scope is cancelled (``move_on_after``, ``fail_after``, a task group's
    cancel), the token cancels with ``Reason.CANCELLED``; the worker's return is awaited
    (the thread is never abandoned with a closed token), then the cancellation goes on
    as AnyIO's own."""
    with Source() as source, source.token() as token:
        async def cancel_when_cancelled() -> None:
            try:
                await anyio.sleep_forever()
            finally:  # cancelled by the enclosing scope, or by us once the work is done
                source.cancel(Reason.CANCELLED)

        outcome: List[Any] = []  # [result] or [None, exception]: raised outside the group
        async with anyio.create_task_group() as group:
            group.start_soon(cancel_when_cancelled)
            try:
                outcome.append(await anyio.to_thread.run_sync(functools.partial(func, *args, token),
                                                              abandon_on_cancel=False))
            except Exception as error:  # the worker's own: as anyio.to_thread.run_sync raises it
                outcome[:] = [None, error]
            finally:
                group.cancel_scope.cancel()
        # The enclosing scope's cancel, if any, goes on now (the worker had to return
        # first), on every backend alike.
        await anyio.lowlevel.checkpoint_if_cancelled()
        if len(outcome) == 2:
            raise outcome[1]
        return outcome[0]
