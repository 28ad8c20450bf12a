"""Ctrl-C that reaches native code: a token cancelled from the SIGINT handler itself."""

from __future__ import annotations

import contextlib
import ctypes
import signal
import threading
from typing import Any, Iterator, List

from ._handles import Source, Token
from ._native import library, signal_bridge

_lock = threading.Lock()


@contextlib.contextmanager
def cancel_on_sigint() -> Iterator[Token]:
    """Gives a token that cancels (``Reason.CANCELLED``) the moment the user presses
    Ctrl-C, even while a long native call runs without the GIL: a native SIGINT
    handler calls ``enough_cancellation_cancel_async``, which is async-signal-safe.
    Native code polling the token stops promptly and the block carries on; when the
    block ends, Python raises ``KeyboardInterrupt`` as usual (on the main thread; the
    handlers before the block are restored first). Blocks may nest: the innermost
    token is the one cancelled."""
    cancel_async = ctypes.cast(library.enough_cancellation_cancel_async, ctypes.c_void_p)
    on_main_thread = threading.current_thread() is threading.main_thread()
    interrupted: List[Any] = []
    with Source() as source, source.token() as token:
        with _lock:
            if on_main_thread:
                # Python's handler runs between bytecodes; hold its KeyboardInterrupt
                # until the block ends. Set before the bridge: signal.signal replaces
                # the native handler, the bridge then chains to it.
                python_handler = signal.signal(signal.SIGINT,
                                               lambda *frame: interrupted.append(frame))
            if signal_bridge.enough_signal_bridge_install(cancel_async) != 0:
                if on_main_thread:
                    signal.signal(signal.SIGINT, python_handler)
                raise OSError("enough: could not install the SIGINT handler")
            outer = signal_bridge.enough_signal_bridge_target(source.handle)
        try:
            yield token
        finally:
            with _lock:
                signal_bridge.enough_signal_bridge_target(outer)
                signal_bridge.enough_signal_bridge_restore()
                if on_main_thread:
                    signal.signal(signal.SIGINT, python_handler)
            if interrupted:
                signal.raise_signal(signal.SIGINT)  # as usual, to whatever handles it now
