"""The code of an exact typed number, not of its float64 stand-in: no double rounding.

A typed decimal reaches the formats as a float64 first, and that first rounding can land exactly
on a format's decision boundary. Example: ``1.0625000000000001`` is the float64 ``1.0625``, which
is the float8_e4m3fn midpoint between 1 and 1.125; ties-to-even then stores 1, while the typed
number lies above the midpoint and rounds to 1.125. Likewise ``1.00000005960464477550`` is just
above float32's midpoint 1 + 2^-24 but its float64 is the midpoint itself.

Why one float64 step settles it: every decision boundary of these formats is a float64 number
(the midpoint of two neighbouring values of at most 24 significant bits; for ``toward_zero`` the
values themselves; the overflow threshold max + half the last step), and boundaries lie far more
than one float64 step apart. The exact number q lies strictly between its float64 v and v's
float64 neighbour n on q's side. If v and n get the same code, so does everything between them,
q included. If not, the boundary between the two codes is v or n: at v, q is already past it
(n's code); at n, q has not reached it (v's code).

The "ieee" cast to a format ml_dtypes has rounds twice, to float32 first (``casts_via_float32``):
here q is rounded to float32 as above, once, and that float32 to the format. So a typed 1e-300
is 0 in float32 and NaN in float8_e8m0fnu, as ``np.array([1e-300]).astype(float8_e8m0fnu)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np


def encode_exact(fmt: Any, value: float, exact: Fraction | None, overflow: str = "saturate",
                 rounding: str = "nearest_even") -> int:
    """Code of the rational ``exact`` (whose nearest float64 is ``value``) in ``fmt``.

    ``exact`` None (inf, NaN, or no exact value known) or equal to ``value``, and stochastic
    rounding (random either way), give ``fmt.encode(value)``.

    Example:
        >>> from lib.formats import get_format
        >>> fmt = get_format("float8_e4m3fn")
        >>> encode_exact(fmt, 1.0625, Fraction("1.0625000000000001"))  # 1.125
        57
        >>> int(fmt.encode(1.0625))  # 1.0: float64 1.0625 is the tie, rounded to even
        56
    """
    if (exact is not None and overflow == "ieee" and rounding == "nearest_even"
            and getattr(fmt, "casts_via_float32", False)):
        from lib.formats.registry import FLOAT32  # the registry imports this module

        value = float(FLOAT32.decode(encode_exact(FLOAT32, value, exact, overflow, rounding)))
        exact = None  # the float32 is exact: the format rounds it once more, as ml_dtypes does
    code = int(fmt.encode(np.float64(value), overflow, rounding))
    if exact is None or rounding == "stochastic" or not math.isfinite(value) or Fraction(value) == exact:
        return code
    step = math.nextafter(value, math.inf if exact > value else -math.inf)
    code_step = int(fmt.encode(np.float64(step), overflow, rounding))
    if code_step == code:
        return code
    boundary = decision_boundary(fmt, float(fmt.decode(code)), float(fmt.decode(code_step)), rounding)
    return code_step if boundary == value else code


def decision_boundary(fmt: Any, a: float, b: float, rounding: str) -> float:
    """Where rounding switches between the neighbouring results ``a`` and ``b`` (NaN if unknown).

    Nearest modes: their midpoint, or, when one of them is inf/NaN (``overflow="ieee"``), the
    overflow threshold max + half the last step (float16: 65504 + 16 = 65520). ``toward_zero``:
    the result of larger magnitude itself (truncation changes there).

    Example: float4_e2m1fn, 4 and 6 -> 5.0; toward_zero -> 6.0.
    """
    if rounding == "toward_zero":
        return a if abs(a) > abs(b) else b
    if math.isfinite(a) and math.isfinite(b):
        return (a + b) / 2
    last = a if math.isfinite(a) else b
    if not math.isfinite(last):
        return math.nan
    below, above = fmt.neighbors(last)
    inner = below if last > 0 else above  # the value next to ±max, toward zero
    return last + (last - inner) / 2
