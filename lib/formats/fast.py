"""A faster path for ``round``: float32 input, round-to-nearest-even, small float formats.

(Placeholder: the generic float64 path is used until the bit-twiddling path lands.)
"""

from __future__ import annotations

from typing import Any

import numpy as np


def round_into(fmt: Any, x: np.ndarray, out: np.ndarray, overflow: str, rounding: str) -> bool:
    """Write ``fmt.round(x)`` into ``out`` if the fast path applies; return whether it did."""
    return False
