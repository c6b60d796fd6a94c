"""Shared vocabulary of lib.formats: mode names, input checks, code dtypes and chunking.

Every format (float, int, table) accepts the same two mode arguments:

=============  ==============================================================================
overflow       "saturate" (default): a value beyond the largest finite one becomes ±max.
               "ieee": do what ml_dtypes' ``astype`` does (Inf, NaN or clamp, per format).
rounding       "nearest_even" (default), "nearest_away" (GGUF's rule), "toward_zero",
               "stochastic" (round up with probability equal to the fractional step; needs a
               seeded ``numpy.random.Generator``, or one seeded with 0 is made).
=============  ==============================================================================

Example:
    >>> code_dtype(4), code_dtype(16), code_dtype(19)
    (dtype('uint8'), dtype('uint16'), dtype('uint32'))
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

import numpy as np

from lib.errors import FormatError

Overflow = Literal["saturate", "ieee"]
Rounding = Literal["nearest_even", "nearest_away", "toward_zero", "stochastic"]
Specials = Literal["ieee", "fn", "fnuz", "none"]

OVERFLOWS: tuple[str, ...] = ("saturate", "ieee")
ROUNDINGS: tuple[str, ...] = ("nearest_even", "nearest_away", "toward_zero", "stochastic")
SPECIALS: tuple[str, ...] = ("ieee", "fn", "fnuz", "none")

CHUNK = 1 << 18
"""Elements per chunk when converting large arrays (256K: temporaries stay a few MB)."""


def check_modes(overflow: str, rounding: str, rng: np.random.Generator | None) -> np.random.Generator | None:
    """Validate the mode names; return the generator stochastic rounding will use.

    Args:
        overflow: one of OVERFLOWS.
        rounding: one of ROUNDINGS.
        rng: generator for "stochastic"; None there means ``np.random.default_rng(0)``.

    Returns:
        The generator to use (None unless rounding is "stochastic").
    """
    if overflow not in OVERFLOWS:
        raise FormatError("formats.bad_overflow", mode=overflow, known=list(OVERFLOWS))
    if rounding not in ROUNDINGS:
        raise FormatError("formats.bad_rounding", mode=rounding, known=list(ROUNDINGS))
    if rounding != "stochastic":
        return None
    return rng if rng is not None else np.random.default_rng(0)


def as_real_array(x: Any) -> np.ndarray:
    """``x`` as a numpy array of real numbers (bool, int, uint, float; ml_dtypes floats -> float32).

    Raises:
        TypeError: for strings, complex numbers, objects or anything else non-numeric.

    Example:
        >>> as_real_array([1, 2]).dtype
        dtype('int64')
    """
    arr = np.asarray(x)
    if arr.dtype.kind in "biuf":
        return arr
    if arr.dtype.kind == "V" and _is_ml_dtypes_float(arr.dtype):
        return arr.astype(np.float32)
    raise TypeError(
        f"expected real numbers (a number, list or numeric array), got an array of dtype {arr.dtype}; "
        "convert text with lib.numparse first"
    )


def _is_ml_dtypes_float(dtype: np.dtype) -> bool:
    try:
        import ml_dtypes

        ml_dtypes.finfo(dtype)
    except (ImportError, ValueError, TypeError):
        return False
    return True


def as_code_array(codes: Any, bits: int, name: str) -> np.ndarray:
    """``codes`` as an integer array (its own integer dtype, not copied), checked to lie in [0, 2**bits).

    Raises:
        TypeError: non-integer input (floats are accepted only when they hold whole numbers).
        FormatError: a code outside the format's range.
    """
    arr = np.asarray(codes)
    if arr.dtype.kind == "f" and np.all(np.isfinite(arr)) and np.all(arr == np.round(arr)):
        arr = arr.astype(np.int64)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"codes must be integers, got an array of dtype {arr.dtype}")
    if arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        bad = lo if lo < 0 else hi if hi >= 1 << bits else None
        if bad is not None:
            raise FormatError("formats.bad_code", code=bad, name=name, largest=(1 << bits) - 1)
    return arr


def code_dtype(bits: int) -> np.dtype:
    """The unsigned dtype holding ``bits``-bit codes: uint8 (<= 8), uint16 (<= 16), else uint32."""
    if bits <= 8:
        return np.dtype(np.uint8)
    if bits <= 16:
        return np.dtype(np.uint16)
    return np.dtype(np.uint32)


def result_float_dtype(arr: np.ndarray) -> np.dtype:
    """dtype that ``round`` returns: float16/32/64 kept, everything else float64."""
    if arr.dtype in (np.float16, np.float32, np.float64):
        return arr.dtype
    return np.dtype(np.float64)


def chunks(n: int, size: int = CHUNK) -> Iterator[slice]:
    """Slices covering range(n) in pieces of at most ``size`` elements."""
    for start in range(0, n, size):
        yield slice(start, min(start + size, n))


def scalar_or_array(out: np.ndarray) -> Any:
    """A 0-d result as a numpy scalar (``fmt.encode(3.0)`` -> ``np.uint8(68)``), else the array."""
    return out[()] if out.ndim == 0 else out
