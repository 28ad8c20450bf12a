"""Loads the native library with ctypes and declares the flat C API.

The package carries its own library beside this file (``libenough.so``; ``enough.dll``
on Windows, ``libenough.dylib`` on macOS); ``$ENOUGH_LIBRARY``
names another copy to load instead (a debug build, a sanitizer build).
"""

from __future__ import annotations

import ctypes
import os
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent
# The file names the package carries on this system: the library, the Ctrl-C bridge.
_LIBRARY_FILE, _SIGNAL_BRIDGE_FILE = {
    "win32": ("enough.dll", "_signal_bridge.dll"),
    "darwin": ("libenough.dylib", "_signal_bridge.dylib"),
}.get(sys.platform, ("libenough.so", "_signal_bridge.so"))

CALLBACK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int32)

_p, _b, _i32, _u64, _i64 = (ctypes.c_void_p, ctypes.c_bool, ctypes.c_int32, ctypes.c_uint64,
                            ctypes.c_int64)
_SIGNATURES = {
    "enough_cancellation_create": (_p, []),
    "enough_cancellation_create_linked": (_p, [ctypes.POINTER(_p), ctypes.c_size_t]),
    "enough_token_create_linked": (_p, [ctypes.POINTER(_p), ctypes.c_size_t]),
    "enough_cancellation_cancel_with_reason": (_b, [_p, _i32]),
    "enough_cancellation_cancel_async": (_b, [_p, _i32]),
    "enough_cancellation_cancel_after": (_b, [_p, _u64]),
    "enough_cancellation_is_cancelled": (_b, [_p]),
    "enough_cancellation_reason": (_i32, [_p]),
    "enough_cancellation_destroy": (None, [_p]),
    "enough_cancellation_abandon": (None, [_p]),
    "enough_token_create": (_p, [_p]),
    "enough_token_create_never": (_p, []),
    "enough_token_clone": (_p, [_p]),
    "enough_token_is_cancelled": (_b, [_p]),
    "enough_token_may_cancel": (_b, [_p]),
    "enough_token_reason": (_i32, [_p]),
    "enough_token_register": (_p, [_p, CALLBACK, _p]),
    "enough_registration_destroy": (None, [_p]),
    "enough_token_state_word": (_p, [_p]),
    "enough_token_wait": (_b, [_p, _i64]),
    "enough_token_remaining_ms": (_i64, [_p]),
    "enough_token_fd": (ctypes.c_int, [_p]),
    "enough_token_wait_handle": (_p, [_p]),
    "enough_token_destroy": (None, [_p]),
    "enough_token_export": (ctypes.c_int, [_p]),
    "enough_token_import": (_p, [ctypes.c_int]),
    "enough_last_error": (ctypes.c_char_p, []),
    "enough_last_error_code": (_i32, []),
    "enough_live_objects": (ctypes.c_size_t, []),
    "enough_version_string": (ctypes.c_char_p, []),
}


def _load() -> ctypes.CDLL:
    path = os.environ.get("ENOUGH_LIBRARY") or str(_HERE / _LIBRARY_FILE)
    library = ctypes.CDLL(path)
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(library, name)
        function.restype, function.argtypes = restype, argtypes
    return library


library = _load()


def _load_signal_bridge() -> ctypes.CDLL:
    bridge = ctypes.CDLL(str(_HERE / _SIGNAL_BRIDGE_FILE))
    bridge.enough_signal_bridge_target.restype = _p
    bridge.enough_signal_bridge_target.argtypes = [_p]
    bridge.enough_signal_bridge_install.restype = ctypes.c_int
    bridge.enough_signal_bridge_install.argtypes = [_p]
    bridge.enough_signal_bridge_restore.restype = ctypes.c_int
    bridge.enough_signal_bridge_restore.argtypes = []
    return bridge


signal_bridge = _load_signal_bridge()

# Largest timeout in milliseconds the C API takes (int64_t); larger means no limit.
INT64_MAX = 2**63 - 1
UINT64_MAX = 2**64 - 1


def state_word_address(handle: int) -> int:
    """The address of a token's state word (``enough_token_state_word``), or 0 when
    the token offers none."""
    return library.enough_token_state_word(handle) or 0
