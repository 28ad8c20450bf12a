"""enough: cooperative cancellation for native code, from Python.

A long native call takes a token and polls it; Python holds the source and cancels it,
from any thread, from asyncio, on a deadline, or on Ctrl-C::

    import enough

    with enough.Source() as source, source.token() as token:
        source.cancel_after(2.5)                 # a deadline
        native_decode(data, token.handle)        # native code polls the token
        token.raise_if_cancelled()               # enough.TimedOut after 2.5 s

    with enough.cancel_on_sigint() as token:     # Ctrl-C cancels the token at once
        native_decode(data, token.handle)

The package carries its own native library (``libenough.so``); ``$ENOUGH_LIBRARY``
names another copy to load instead.
"""

from __future__ import annotations

from ._asyncio import cancellable, to_thread
from ._errors import (AlreadyCancelledError, BadArgumentError, Cancelled, Error,
                      ForeignFailureError, NotExportedError, NullHandleError, OutOfMemoryError,
                      SystemResourceError, TimedOut, UnsupportedError, WrongKindError)
from ._handles import Registration, Source, Token
from ._native import library
from ._reason import Reason
from ._signals import cancel_on_sigint

__version__ = "0.2.0"

__all__ = [
    "AlreadyCancelledError", "BadArgumentError", "Cancelled", "Error", "ForeignFailureError",
    "NotExportedError", "NullHandleError", "OutOfMemoryError", "Reason", "Registration", "Source",
    "SystemResourceError", "TimedOut", "Token", "UnsupportedError", "WrongKindError",
    "cancel_on_sigint", "cancellable", "library", "library_version", "live_objects",
    "to_thread",
]


def live_objects() -> int:
    """Objects the native library has created and not freed yet (for leak checks)."""
    return library.enough_live_objects()


def library_version() -> str:
    """The loaded native library's version, "major.minor.patch"."""
    return library.enough_version_string().decode()
