"""Argument checks shared by every public function.

Each check raises :class:`ValueError` whose message names the argument, the value it
received and the range it accepts, so that a student (or a dashboard showing the message
beside its controls) can see at once what to change.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return repr(value)


def check_number(
    name: str,
    value: Any,
    lo: float = -math.inf,
    hi: float = math.inf,
    *,
    lo_open: bool = False,
    hi_open: bool = False,
) -> float:
    """Return ``value`` as a float after checking it is a finite number in a range.

    Parameters
    ----------
    name : str
        Name of the argument, used in the error message.
    value : object
        The value to check.
    lo, hi : float
        Bounds of the valid range.
    lo_open, hi_open : bool
        Whether the bound itself is excluded.

    Returns
    -------
    float
        The value as a Python float.

    Raises
    ------
    ValueError
        If the value is not a real finite number or lies outside ``[lo, hi]``.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        if isinstance(value, np.ndarray) and value.ndim == 0:
            value = value.item()
        else:
            raise ValueError(f"{name} must be a real number, got {_fmt(value)}")
    x = float(value)
    if not math.isfinite(x):
        raise ValueError(f"{name} must be finite, got {_fmt(x)}")
    below = x <= lo if lo_open else x < lo
    above = x >= hi if hi_open else x > hi
    if below or above:
        left = "(" if lo_open else "["
        right = ")" if hi_open else "]"
        raise ValueError(
            f"{name} must be in {left}{_fmt(float(lo))}, {_fmt(float(hi))}{right}, got {_fmt(x)}"
        )
    return x


def check_positive(name: str, value: Any, hi: float = math.inf) -> float:
    """Check that ``value`` is a finite number in ``(0, hi]``; return it as a float."""
    return check_number(name, value, 0.0, hi, lo_open=True)


def check_int(name: str, value: Any, lo: int = 0, hi: int | None = None) -> int:
    """Check that ``value`` is an integer in ``[lo, hi]``; return it as an int."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {_fmt(value)}")
    v = int(value)
    if v < lo or (hi is not None and v > hi):
        upper = "inf" if hi is None else str(hi)
        raise ValueError(f"{name} must be an integer in [{lo}, {upper}], got {v}")
    return v


def check_choice(name: str, value: Any, choices: Sequence[Any]) -> Any:
    """Check that ``value`` is one of ``choices``; return it."""
    if value not in choices:
        listed = ", ".join(repr(c) for c in choices)
        raise ValueError(f"{name} must be one of {listed}; got {_fmt(value)}")
    return value


def check_range(name: str, value: Any, lo: float = -math.inf, hi: float = math.inf) -> tuple:
    """Check a ``(low, high)`` pair with ``low < high`` inside ``[lo, hi]``."""
    try:
        a, b = value
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair (low, high), got {_fmt(value)}") from None
    a = check_number(f"{name}[0]", a, lo, hi)
    b = check_number(f"{name}[1]", b, lo, hi)
    if not a < b:
        raise ValueError(f"{name} must satisfy low < high, got ({a:g}, {b:g})")
    return a, b


def check_array(name: str, value: Any, *, ndim: int | None = None) -> np.ndarray:
    """Return ``value`` as a finite float array, optionally of a given number of dimensions."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {_fmt(value)}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if arr.size and not np.all(np.isfinite(arr)):
        bad = arr[~np.isfinite(arr)].ravel()[0]
        raise ValueError(f"{name} must contain only finite values, found {bad}")
    return arr
