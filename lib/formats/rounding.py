"""Rounding a real number to a whole number, in each of the four modes.

Every format reduces rounding to this step: scale x so the grid spacing becomes 1, round to an
integer here, scale back.  For a float format the scale is the spacing of its binade
(``2**(e - M)``); for an int format it is 1.

======================  =========================================  =====================
mode                    rule                                       2.5 -> / -2.5 -> / 2.7 ->
======================  =========================================  =====================
nearest_even            nearest; ties to the even integer          2 / -2 / 3
nearest_away            nearest; ties away from zero (GGUF)        3 / -3 / 3
toward_zero             drop the fraction                          2 / -2 / 2
stochastic              floor(r) + 1 with probability frac(r)      2 or 3 (mean 2.5)
======================  =========================================  =====================

All four are exact in float64 (no ``floor(r + 0.5)`` trap: 0.49999999999999994 + 0.5 == 1.0).
"""

from __future__ import annotations

import numpy as np


def round_integer(r: np.ndarray, rounding: str, rng: np.random.Generator | None = None) -> np.ndarray:
    """Round float64 array ``r`` to whole numbers (float64) with the given mode.

    Args:
        r: values to round (any sign; finite).
        rounding: "nearest_even" | "nearest_away" | "toward_zero" | "stochastic".
        rng: generator for "stochastic".

    Returns:
        Whole numbers as float64, same shape.

    Example:
        >>> round_integer(np.array([0.5, 1.5, -2.5]), "nearest_away").tolist()
        [1.0, 2.0, -3.0]
    """
    if rounding == "nearest_even":
        return np.rint(r)
    if rounding == "toward_zero":
        return np.trunc(r)
    if rounding == "nearest_away":
        mag = np.abs(r)
        low = np.floor(mag)
        return np.copysign(low + (mag - low >= 0.5), r)
    if rounding == "stochastic":
        if rng is None:
            raise ValueError("stochastic rounding needs a numpy Generator")
        low = np.floor(r)
        return low + (rng.random(np.shape(r)) < (r - low))
    raise ValueError(f"unknown rounding {rounding!r}")
