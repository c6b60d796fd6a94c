"""Table (non-uniform) formats: a code is an index into a fixed list of 16 levels in [-1, 1].

NF4 (bitsandbytes, QLoRA): levels are quantiles of a normal distribution, code 7 is 0.
bitsandbytes "fp4" is *not* OCP E2M1: magnitudes {0, 0.0625, 2, 3, 4, 6, 8, 12} / 12, with its own
bit order (bit 3 is the sign), as in bitsandbytes' ``dDequantizeFP4Tree``.

Encoding picks a level by the rounding mode; "nearest_even" follows bitsandbytes (x above the
midpoint of two levels goes up, a tie goes to the lower level), "nearest_away" sends ties away from
zero, "toward_zero" takes the level nearer zero, "stochastic" goes up with probability
(x - lower) / (upper - lower).  Values beyond [-1, 1] clip (both overflow modes), NaN encodes as
the zero level, and -0.0 as the +0 code.

Example:
    >>> NF4.decode(13)
    np.float64(0.5626170039176941)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from lib.formats import spec
from lib.formats.base import FormatBase
from lib.formats.explain import Explanation, errors, format_number


@dataclass(frozen=True)
class TableFormat(FormatBase):
    """A 4-bit format whose code ``c`` means ``levels[c]``.

    Attributes:
        name: canonical name ("nf4", "bnb_fp4").
        levels: 16 values in code order.
        sign_bit_index: bit holding the sign (3 for bnb_fp4), or None (nf4 has no sign bit).
    """

    name: str
    levels: tuple[float, ...]
    sign_bit_index: int | None = None

    def __post_init__(self) -> None:
        if len(self.levels) != 1 << self.bits:
            raise ValueError(f"{self.name}: a 4-bit table needs 16 levels")

    @property
    def kind(self) -> str:
        return "table"

    @property
    def bits(self) -> int:
        return 4

    @property
    def max(self) -> float:
        return max(self.levels)

    @property
    def min(self) -> float:
        return min(self.levels)

    @property
    def exponent_bits(self) -> int:
        return 0

    @property
    def mantissa_bits(self) -> int:
        return 0

    @property
    def bias(self) -> int:
        return 0

    @property
    def smallest_subnormal(self) -> float:
        """Smallest positive level."""
        return min(v for v in self.levels if v > 0)

    @property
    def smallest_normal(self) -> float:
        return self.smallest_subnormal

    @property
    def eps(self) -> float:
        """Gap between 1 and the level just below it (there is none above)."""
        return 1.0 - max(v for v in self.levels if v < 1.0)

    @cached_property
    def _sorted(self) -> tuple[np.ndarray, np.ndarray]:
        """Unique levels ascending, and for each the code encode() uses (+0 code for zero)."""
        levels = np.array(self.levels, np.float64) + 0.0
        grid = np.unique(levels)
        codes = np.array([self.levels.index(v) if v != 0 else self._zero_code for v in grid], np.int64)
        return grid, codes

    @property
    def _zero_code(self) -> int:
        return next(i for i, v in enumerate(self.levels) if v == 0 and math.copysign(1, v) > 0)

    def _encode_chunk(
        self, x: np.ndarray, overflow: str, rounding: str, rng: np.random.Generator | None
    ) -> np.ndarray:
        grid, codes = self._sorted
        v = np.clip(np.nan_to_num(x, nan=0.0), grid[0], grid[-1])
        hi = np.clip(np.searchsorted(grid, v, side="left"), 1, grid.size - 1)
        lo_v, hi_v = grid[hi - 1], grid[hi]
        d_lo, d_hi = v - lo_v, hi_v - v
        if rounding == "nearest_even":
            up = d_lo > d_hi
        elif rounding == "nearest_away":
            up = (d_lo > d_hi) | ((d_lo == d_hi) & (v > 0))
        elif rounding == "toward_zero":
            up = (v >= hi_v) | ((v < 0) & (v > lo_v))
        else:
            assert rng is not None
            up = rng.random(v.shape) * (hi_v - lo_v) < d_lo
        up |= v == hi_v
        return np.where(up, codes[hi], codes[hi - 1])

    def _decode_chunk(self, codes: np.ndarray) -> np.ndarray:
        return np.array(self.levels, np.float64)[codes]

    def explain_code(self, code: int, x: float = math.nan) -> Explanation:
        """Index into the table: formula "nf4[13] = 0.5626170039176941"."""
        code = int(spec.as_code_array(code, self.bits, self.name))
        bits = self.bit_string(code)
        value = float(self.levels[code])
        abs_err, rel_err = errors(float(x), value)
        s = self.sign_bit_index
        sign_bit = bits[self.bits - 1 - s] if s is not None else ""
        return Explanation(
            format_name=self.name,
            x=float(x),
            code=code,
            bits=bits,
            sign_bit=sign_bit,
            exponent_bits="",
            mantissa_bits=bits[1:] if s is not None else bits,
            sign=int(sign_bit) if sign_bit else 0,
            exponent=None,
            cls="zero" if value == 0 else "normal",
            value=value,
            abs_error=abs_err,
            rel_error=rel_err,
            formula=f"{self.name}[{code}] = {format_number(value)}",
        )


NF4_LEVELS: tuple[float, ...] = (
    -1.0,
    -0.6961928009986877,
    -0.5250730514526367,
    -0.39491748809814453,
    -0.28444138169288635,
    -0.18477343022823334,
    -0.09105003625154495,
    0.0,
    0.07958029955625534,
    0.16093020141124725,
    0.24611230194568634,
    0.33791524171829224,
    0.44070982933044434,
    0.5626170039176941,
    0.7229568362236023,
    1.0,
)
"""bitsandbytes' NF4 table (float32 values, printed in full), code order = ascending."""

_BNB_FP4_MAGNITUDES: tuple[float, ...] = (0.0, 0.0625, 8.0, 12.0, 4.0, 6.0, 2.0, 3.0)
"""bitsandbytes FP4 magnitudes (x12) for codes 0b000..0b111 (dDequantizeFP4Tree)."""

BNB_FP4_LEVELS: tuple[float, ...] = tuple(float(np.float32(m / 12.0)) for m in _BNB_FP4_MAGNITUDES) + tuple(
    -float(np.float32(m / 12.0)) for m in _BNB_FP4_MAGNITUDES
)
"""bitsandbytes' FP4 table as get_4bit_type("fp4") builds it: magnitudes / 12 in float32 (1/3 is stored
as 0.3333333432674408, not 1/3), so codes and dequantized values match bitsandbytes bit for bit."""

NF4 = TableFormat("nf4", NF4_LEVELS)
BNB_FP4 = TableFormat("bnb_fp4", BNB_FP4_LEVELS, sign_bit_index=3)
