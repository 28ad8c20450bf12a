"""The package's exceptions: a cancellation observed, and a call the library refused."""

from __future__ import annotations

from typing import Union

from ._native import library
from ._reason import Reason, as_reason


class Cancelled(Exception):
    """Raised when a token is found cancelled (``token.raise_if_cancelled()``,
    ``enough.cancellable``). ``reason`` tells why: a :class:`Reason`."""

    def __init__(self, reason: Union[Reason, int] = Reason.CANCELLED) -> None:
        self.reason = as_reason(reason)
        super().__init__(f"cancelled ({self.reason!r})")


class TimedOut(Cancelled):
    """A :class:`Cancelled` whose reason is ``Reason.TIMED_OUT`` (a deadline passed)."""


def cancelled_error(reason: Union[Reason, int]) -> Cancelled:
    """The exception for a cancellation with ``reason``: TimedOut for a deadline."""
    reason = as_reason(reason)
    return TimedOut(reason) if reason == Reason.TIMED_OUT else Cancelled(reason)


class Error(Exception):
    """A call the native library refused. ``code`` is the ENOUGH_ERROR_* code of
    ``<enough/error.h>`` (``enough_last_error_code()``), ``message`` its text."""

    code = 0

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NullHandleError(Error, ValueError):
    code = 1


class WrongKindError(Error, TypeError):
    code = 2


class BadArgumentError(Error, ValueError):
    code = 3


class OutOfMemoryError(Error, MemoryError):
    code = 4


class UnsupportedError(Error, NotImplementedError):
    code = 5


class AlreadyCancelledError(Error):
    code = 6


class SystemResourceError(Error, OSError):
    code = 7


class ForeignFailureError(Error):
    code = 8


class NotExportedError(Error, ValueError):
    """The descriptor given to Token.import_fd is no exported token."""

    code = 9


_BY_CODE = {cls.code: cls for cls in (NullHandleError, WrongKindError, BadArgumentError,
                                       OutOfMemoryError, UnsupportedError,
                                       AlreadyCancelledError, SystemResourceError,
                                       ForeignFailureError, NotExportedError)}


def last_error() -> Error:
    """The exception for the last refusal on this thread, from its code (never from
    matching the message)."""
    code = library.enough_last_error_code()
    message = library.enough_last_error()
    text = message.decode("utf-8", "replace") if message else "refused"
    return _BY_CODE.get(code, Error)(text)
