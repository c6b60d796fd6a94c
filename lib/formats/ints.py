"""Integer formats: round, then clip to [qmin, qmax]; never truncate-and-wrap.

``x.astype(int8)`` truncates and wraps (200.7 -> -56); here 200.7 -> 127 and 9.6 -> 7 in int4.
The code is the two's-complement bit pattern read as an unsigned number:

    int4:  -3 -> 0b1101 = 13,   7 -> 0b0111 = 7,   -8 -> 0b1000 = 8

NaN encodes as 0; ±Inf saturates to qmax / qmin.  ``overflow`` is accepted for a uniform API but
both modes clip (integers have no Inf or NaN to overflow into).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.formats import spec
from lib.formats.base import FormatBase
from lib.formats.explain import Explanation, errors, int_formula
from lib.formats.rounding import round_integer


@dataclass(frozen=True)
class IntFormat(FormatBase):
    """A ``bits``-wide integer, signed (two's complement) or unsigned.

    Float-style attributes are given integer meanings so generic code keeps working:
    exponent_bits 0, mantissa_bits = value bits, bias 0, eps = smallest_normal = 1.
    """

    name: str
    bits: int
    signed: bool

    @property
    def kind(self) -> str:
        return "int"

    @property
    def max(self) -> float:
        """qmax: 2^(bits-1) - 1 signed (127 for int8), 2^bits - 1 unsigned."""
        return float((1 << (self.bits - 1)) - 1 if self.signed else (1 << self.bits) - 1)

    @property
    def min(self) -> float:
        """qmin: -2^(bits-1) signed (-128 for int8), 0 unsigned."""
        return float(-(1 << (self.bits - 1)) if self.signed else 0)

    @property
    def exponent_bits(self) -> int:
        return 0

    @property
    def mantissa_bits(self) -> int:
        return self.bits - int(self.signed)

    @property
    def bias(self) -> int:
        return 0

    @property
    def eps(self) -> float:
        return 1.0

    @property
    def smallest_normal(self) -> float:
        return 1.0

    @property
    def smallest_subnormal(self) -> float:
        return 1.0

    def _encode_chunk(
        self, x: np.ndarray, overflow: str, rounding: str, rng: np.random.Generator | None
    ) -> np.ndarray:
        q = np.clip(round_integer(np.nan_to_num(x, nan=0.0, posinf=self.max, neginf=self.min), rounding, rng),
                    self.min, self.max)
        return q.astype(np.int64) & ((1 << self.bits) - 1)

    def _decode_chunk(self, codes: np.ndarray) -> np.ndarray:
        if self.signed:
            codes = np.where(codes >= 1 << (self.bits - 1), codes - (1 << self.bits), codes)
        return codes.astype(np.float64)

    def explain_code(self, code: int, x: float = math.nan) -> Explanation:
        """Two's-complement bits of ``code`` and their sum, e.g. "-128 + 64 + 16 + 2 + 1 = -45"."""
        code = int(spec.as_code_array(code, self.bits, self.name))
        bits = self.bit_string(code)
        value = float(self._decode_chunk(np.array([code], np.int64))[0])
        abs_err, rel_err = errors(float(x), value)
        return Explanation(
            format_name=self.name,
            x=float(x),
            code=code,
            bits=bits,
            sign_bit=bits[0] if self.signed else "",
            exponent_bits="",
            mantissa_bits=bits[1:] if self.signed else bits,
            sign=int(bits[0]) if self.signed else 0,
            exponent=None,
            cls="zero" if value == 0 else "normal",
            value=value,
            abs_error=abs_err,
            rel_error=rel_err,
            formula=int_formula(code, self.bits, self.signed),
        )
