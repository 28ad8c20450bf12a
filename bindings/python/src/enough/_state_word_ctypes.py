"""Token's base type where the package carries no C extension (Windows: the wheel is
built by mingw, and the embeddable CPython brings no headers to build one against).
It reads the same state word as the C getter, through ctypes: an aligned 32-bit load,
which x86-64 makes atomic and acquire by itself (stores are not reordered with older
loads)."""

from __future__ import annotations

import ctypes


class StateWord:
    """A token's state word, read with ctypes."""

    _word = None  # a ctypes.c_uint32 over the word, or None

    @property
    def cancelled(self) -> bool:
        """True once cancelled: one read of the token's state word, no foreign call."""
        word = self._word
        if word is not None:
            return word.value != 0
        return self._cancelled_without_word()  # type: ignore[attr-defined]

    def _watch(self, address: int) -> None:
        # The word to read from now on (0: none); the caller keeps its memory alive.
        self._word = ctypes.c_uint32.from_address(address) if address else None
