"""Why a token was cancelled."""

from __future__ import annotations

import enum
from typing import Union


class Reason(enum.IntEnum):
    """The library's reasons; ``Reason(n)`` also accepts any other positive code
    (256 and up belong to applications) as a member named ``APPLICATION_n``."""

    NONE = 0
    CANCELLED = 1
    TIMED_OUT = 2

    FIRST_APPLICATION = 256

    @classmethod
    def _missing_(cls, value: object) -> "Reason":
        if not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 2**31:
            return None  # type: ignore[return-value]  # enum raises ValueError
        member = int.__new__(cls, value)
        member._name_ = f"APPLICATION_{value}" if value >= 256 else f"RESERVED_{value}"
        member._value_ = value
        return member


def as_reason(value: Union[Reason, int]) -> Reason:
    return Reason(int(value))
