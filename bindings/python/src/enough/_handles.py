"""Source, Token and Registration: owning wrappers of the library's handles."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import math
import os
import sys
import threading
import weakref
from typing import Any, Callable, ClassVar, Dict, Iterator, List, Optional, Set, Union

from ._errors import AlreadyCancelledError, BadArgumentError, cancelled_error, last_error
from ._native import CALLBACK, INT64_MAX, UINT64_MAX, library, state_word_address
from ._reason import Reason, as_reason

_WINDOWS = sys.platform == "win32"
try:
    from ._state_word import StateWord  # the C extension
except ModuleNotFoundError:  # absent from the wheels built without the platform's CPython
    from ._state_word_ctypes import StateWord  # headers (Windows, macOS, musl); a broken
    # extension raises ImportError and stops here


def _milliseconds(seconds: float, limit: int) -> int:
    """Whole milliseconds, rounded up (a wait or deadline never ends early) and
    saturated at ``limit`` (``math.inf`` is practically never)."""
    if math.isnan(seconds):
        raise ValueError("enough: a time in seconds cannot be NaN")
    if seconds >= limit / 1000:
        return limit
    return max(0, math.ceil(seconds * 1000))


def _parents(tokens: "tuple[Token, ...]") -> "ctypes.Array[ctypes.c_void_p]":
    """The handles of a linked source's or token's parents, as a C array. Anything
    but a Token is a TypeError (it would otherwise be a parent that never cancels)."""
    for token in tokens:
        if not isinstance(token, Token):
            raise TypeError(f"enough: a parent must be a Token, not {type(token).__name__}")
    return (ctypes.c_void_p * len(tokens))(*(t.handle for t in tokens))


_REASON_MAX = 2**31 - 1


def _reason_argument(reason: Union["Reason", int]) -> int:
    """A reason the ABI can carry: an int from 1 to 2**31 - 1 (a Reason is one).
    Anything else is refused, never read as "already cancelled": TypeError for what
    is not an integer (1.5, "3", True), BadArgumentError (a ValueError) for one out
    of range."""
    if isinstance(reason, bool) or not isinstance(reason, int):
        raise TypeError(f"enough: a reason must be an int, not {type(reason).__name__}")
    if not 0 < reason <= _REASON_MAX:
        raise BadArgumentError(
            f"the reason must be greater than 0 and at most {_REASON_MAX}, not {int(reason)}")
    return int(reason)


class _Handle:
    """Owns one reference to a library handle and releases it exactly once: by
    ``close()``, a ``with`` block, or (as a safety net only) the garbage collector,
    which releases it with ``_collected`` (what is left running stays running)."""

    _destroy: ClassVar[Callable[[int], None]]
    _collected: ClassVar[Optional[Callable[[int], None]]] = None  # _destroy unless set

    def __init__(self, handle: Optional[int]) -> None:
        if not handle:
            raise last_error()
        self._handle: Optional[int] = handle

    @property
    def handle(self) -> int:
        """The raw handle (an interface pointer, as an int) to pass to native code.
        Borrowed: valid while this object is open."""
        handle = self._handle
        if handle is None:
            raise ValueError(f"enough: {type(self).__name__} used after close()")
        return handle

    @property
    def closed(self) -> bool:
        return self._handle is None

    def close(self) -> None:
        """Releases the handle; later calls do nothing. Close from one thread."""
        handle, self._handle = self._handle, None
        if handle is not None:
            type(self)._destroy(handle)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info: Any) -> bool:
        self.close()
        return False

    def __del__(self) -> None:
        try:
            if type(self)._collected is None:
                self.close()
            else:
                handle, self._handle = self._handle, None
                if handle is not None:
                    type(self)._collected(handle)
        except Exception:  # interpreter shutdown: nothing left to report to
            pass


class Token(StateWord, _Handle):
    """The right to observe a cancellation (never to cause one).

    ``cancelled`` (from the C base type) is one read of the token's state word."""

    _destroy = staticmethod(library.enough_token_destroy)

    def __init__(self, handle: Optional[int]) -> None:
        _Handle.__init__(self, handle)
        self._watch(state_word_address(self._handle))  # 0 for a token without a word

    @classmethod
    def never(cls) -> "Token":
        """The token that is never cancelled."""
        return cls(library.enough_token_create_never())

    @classmethod
    def linked(cls, *tokens: "Token") -> "Token":
        """A new token that cancels, with the parent's reason, as soon as any of
        ``tokens`` does, and needs no source kept alive (tokio's ``child_token``,
        JavaScript's ``AbortSignal.any``): it follows while it is open. Once none of
        ``tokens`` can cancel any more, neither can it (``may_cancel`` turns false)."""
        return cls(library.enough_token_create_linked(_parents(tokens), len(tokens)))

    @classmethod
    def from_handle(cls, handle: int) -> "Token":
        """A Token owning a new reference to ``handle`` (a token made by native code,
        which keeps its own reference)."""
        return cls(library.enough_token_clone(handle))

    def close(self) -> None:
        self._watch(0)  # before the word's memory may go
        _Handle.close(self)

    def _cancelled_without_word(self) -> bool:
        # Called by the C getter for a closed token, or one that offers no word.
        return library.enough_token_is_cancelled(self.handle)

    @property
    def reason(self) -> Reason:
        """``Reason.NONE`` while not cancelled, else why."""
        return as_reason(library.enough_token_reason(self.handle))

    @property
    def may_cancel(self) -> bool:
        """False once the token can never be cancelled (its sources are gone)."""
        return library.enough_token_may_cancel(self.handle)

    @property
    def remaining(self) -> Optional[float]:
        """Seconds until the token's deadline (0.0 once cancelled); None without one."""
        left = library.enough_token_remaining_ms(self.handle)
        return None if left < 0 else left / 1000.0

    def raise_if_cancelled(self) -> None:
        """Raises :class:`Cancelled` (:class:`TimedOut` for a deadline) once cancelled."""
        if self.cancelled:
            raise cancelled_error(library.enough_token_reason(self.handle))

    def clone(self) -> "Token":
        """Another owner of the same token."""
        return Token(library.enough_token_clone(self.handle))

    def export(self) -> int:
        """A new inheritable value that carries this token to another process: a file
        descriptor, or on Windows a HANDLE. Pass it to a child (POSIX:
        ``subprocess.Popen(..., pass_fds=[value])``; Windows:
        ``startupinfo=subprocess.STARTUPINFO(lpAttributeList={"handle_list": [value]})``)
        and close it with :meth:`close_export` when the child has started. The other
        side calls :meth:`Token.import_fd`."""
        value = library.enough_token_export(self.handle)
        if value < 0:
            raise last_error()
        return value

    @staticmethod
    def close_export(value: int) -> None:
        """Closes what :meth:`export` returned (``os.close``, or ``CloseHandle`` on
        Windows)."""
        if _WINDOWS:
            import _winapi
            _winapi.CloseHandle(value)
        else:
            os.close(value)

    @classmethod
    def import_fd(cls, fd: int) -> "Token":
        """The token another process exported as ``fd`` (a HANDLE's value on Windows;
        it stays yours). Checking
        it reads a word the two processes share; it can never cancel anything, and it
        can no longer cancel once the exporter's sources are gone or it has exited."""
        return cls(library.enough_token_import(fd))

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Blocks, without the GIL, until cancelled (True) or ``timeout`` seconds pass
        (False); None waits without limit, 0 or less only checks. False at once for a
        token that can never cancel."""
        ms = -1 if timeout is None else _milliseconds(timeout, INT64_MAX)
        return library.enough_token_wait(self.handle, ms)

    def fileno(self) -> int:
        """A descriptor that becomes readable once cancelled (for selectors, asyncio).
        Owned by the token: never read or close it; valid while this token is open.
        Windows has none (:class:`UnsupportedError`): see :meth:`wait_handle`."""
        fd = library.enough_token_fd(self.handle)
        if fd < 0:
            raise last_error()
        return fd

    def wait_handle(self) -> int:
        """Windows: a manual-reset event HANDLE, signalled once cancelled (for
        ``_winapi.WaitForMultipleObjects``, ``RegisterWaitForSingleObject``). Owned by
        the token: never close it; valid while this token is open. Other systems have
        none (:class:`UnsupportedError`): see :meth:`fileno`."""
        handle = library.enough_token_wait_handle(self.handle)
        if not handle:
            raise last_error()
        return handle

    def on_cancel(self, function: Callable[[Reason], Any]) -> "Registration":
        """Runs ``function(reason)`` once when the token cancels, on the cancelling
        thread (now, if it already is), while the returned Registration is open."""
        return Registration(self, function)

    async def wait_cancelled(self) -> Reason:
        """Waits on the running asyncio loop, without a thread; returns the reason.
        POSIX: the loop watches the token's descriptor (one reader however many tasks
        wait on it). Windows (whose default loop watches no descriptors): a callback on
        the cancelling thread wakes the loop."""
        if self.cancelled:
            return self.reason
        loop = asyncio.get_running_loop()
        ready = loop.create_future()

        def wake(*_: Any) -> None:
            if not ready.done():
                ready.set_result(None)

        if _WINDOWS:
            with self.on_cancel(lambda _: loop.call_soon_threadsafe(wake)):
                await ready
        else:
            with _watching(loop, self.fileno(), ready):
                await ready
        return self.reason


# The futures waiting on each descriptor, per loop: a loop has one reader per
# descriptor (add_reader replaces the one before), so one reader wakes them all.
_readers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Dict[int, Set[asyncio.Future]]]" = \
    weakref.WeakKeyDictionary()


@contextlib.contextmanager
def _watching(loop: asyncio.AbstractEventLoop, fd: int, ready: "asyncio.Future[None]") -> Iterator[None]:
    """``ready`` is woken once ``fd`` is readable, while in the block."""
    by_fd = _readers.setdefault(loop, {})
    waiting = by_fd.get(fd)
    if waiting is None:
        waiting = by_fd[fd] = set()
        loop.add_reader(fd, _wake_all, waiting)
    waiting.add(ready)
    try:
        yield
    finally:
        waiting.discard(ready)
        if not waiting:
            del by_fd[fd]
            loop.remove_reader(fd)


def _wake_all(waiting: "Set[asyncio.Future[None]]") -> None:
    for future in waiting:
        if not future.done():
            future.set_result(None)


class Source(_Handle):
    """The right to cancel. Its tokens stay valid after it is closed; a token whose
    sources are all closed without cancelling can never be cancelled."""

    _destroy = staticmethod(library.enough_cancellation_destroy)
    # Dropped without close(): an armed deadline still fires and a linked source
    # still follows while a token of it lives, whenever the collector runs.
    _collected = staticmethod(library.enough_cancellation_abandon)

    def __init__(self) -> None:
        super().__init__(library.enough_cancellation_create())

    @classmethod
    def linked(cls, *tokens: Token) -> "Source":
        """A new source that cancels, with the parent's reason, as soon as any of
        ``tokens`` does (at once if one already has)."""
        source = cls.__new__(cls)
        _Handle.__init__(source, library.enough_cancellation_create_linked(_parents(tokens), len(tokens)))
        return source

    def cancel(self, reason: Union[Reason, int] = Reason.CANCELLED) -> bool:
        """Cancels with ``reason`` (> 0; 256 and up are the application's). True for
        the call that cancelled: the first one wins, later ones change nothing. Runs
        the callbacks on this thread before returning."""
        return library.enough_cancellation_cancel_with_reason(self.handle, _reason_argument(reason))

    def cancel_async(self, reason: Union[Reason, int] = Reason.CANCELLED) -> bool:
        """Like :meth:`cancel`, but the callbacks run on the library's own thread, never
        on this one (``enough_cancellation_cancel_async``)."""
        return library.enough_cancellation_cancel_async(self.handle, _reason_argument(reason))

    def cancel_after(self, seconds: float) -> bool:
        """Arms, or re-arms, a deadline: ``seconds`` from now (rounded up to a whole
        millisecond) the source cancels with ``Reason.TIMED_OUT``; 0 cancels now.
        False if it is already cancelled. A negative delay raises ValueError."""
        if seconds < 0:
            raise ValueError("enough: a deadline cannot be in the past")
        if library.enough_cancellation_cancel_after(self.handle, _milliseconds(seconds, UINT64_MAX)):
            return True
        error = last_error()
        if isinstance(error, AlreadyCancelledError):
            return False
        raise error

    @property
    def cancelled(self) -> bool:
        """True once the source is cancelled."""
        return library.enough_cancellation_is_cancelled(self.handle)

    @property
    def reason(self) -> Reason:
        """``Reason.NONE`` while not cancelled, else why."""
        return as_reason(library.enough_cancellation_reason(self.handle))

    def token(self) -> Token:
        """A token of this source (a new reference: no allocation)."""
        return Token(library.enough_token_create(self.handle))


class Registration(_Handle):
    """A registered callback. ``close()`` unregisters: afterwards the callback is not
    running and never runs (it waits for a run in progress on another thread; from
    inside the callback itself it returns at once). Exceptions the callback raises
    never reach the cancelling thread: they are kept in ``errors``."""

    _destroy = staticmethod(library.enough_registration_destroy)
    _running = threading.local()  # the registrations whose callback this thread runs
    _retired: ClassVar[List["Registration"]] = []  # closed from inside: thunks kept
    _retired_lock = threading.Lock()

    def __init__(self, token: Token, function: Callable[[Reason], Any]) -> None:
        self.errors: List[BaseException] = []
        self._returned = False

        def trampoline(_user_data: Optional[int], reason: int) -> None:
            stack = Registration._running.__dict__.setdefault("stack", [])
            stack.append(self)
            try:
                function(as_reason(reason))
            except BaseException as error:  # never unwind into the cancelling thread
                self.errors.append(error)
            finally:
                stack.pop()
                self._returned = True

        self._thunk = CALLBACK(trampoline)  # kept alive while registered
        super().__init__(library.enough_token_register(token.handle, self._thunk, None))

    def close(self) -> None:
        inside = self in getattr(Registration._running, "stack", ())
        super().close()  # the library's guarantee: not running now, unless inside it
        with Registration._retired_lock:
            # Thunks retired earlier can go once their callback has returned.
            Registration._retired[:] = [r for r in Registration._retired if not r._returned]
            if inside:
                Registration._retired.append(self)  # its thunk is still on our stack
            else:
                self._thunk = None
