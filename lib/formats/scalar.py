"""A slow, readable reference: one number at a time, in exact rational arithmetic.

The vectorised code in floats/ints/tables is built for speed; this module says the same thing the
plain way, with ``fractions.Fraction``, so tests can check that both agree on every format.
(No fast-path tricks, no frexp: the grid spacing and the two candidates are written out.)

Example:
    >>> from lib.formats import get_format
    >>> encode_scalar(get_format("float4_e2m1fn"), 2.5)   # tie between 2 (even) and 3
    4
"""

from __future__ import annotations

import math
from fractions import Fraction

from lib.formats.floats import FloatFormat
from lib.formats.ints import IntFormat
from lib.formats.tables import TableFormat


def floor_log2(a: Fraction) -> int:
    """The k with 2^k <= a < 2^(k+1), for a > 0."""
    k = a.numerator.bit_length() - a.denominator.bit_length()
    while Fraction(2) ** k > a:
        k -= 1
    while Fraction(2) ** (k + 1) <= a:
        k += 1
    return k


def pick(a: Fraction, lo: Fraction, hi: Fraction, rounding: str, lo_is_even: bool) -> Fraction:
    """Choose lo or hi for a >= 0 with lo <= a < hi."""
    if rounding == "toward_zero" or a == lo:
        return lo
    below, above = a - lo, hi - a
    if below != above:
        return lo if below < above else hi
    if rounding == "nearest_away":
        return hi
    return lo if lo_is_even else hi


# --- floats -------------------------------------------------------------------------------------
_FLOAT32 = FloatFormat("float32", 8, 23, 127, "ieee")
"""float32, for the first rounding of the "ieee" cast (see FloatFormat.casts_via_float32)."""


def decode_scalar(fmt: FloatFormat | IntFormat | TableFormat, code: int) -> float:
    """The value of one code, read field by field."""
    if isinstance(fmt, TableFormat):
        return float(fmt.levels[code])
    if isinstance(fmt, IntFormat):
        return float(code - (1 << fmt.bits) if fmt.signed and code >> (fmt.bits - 1) else code)
    E, M, bits = fmt.exponent_bits, fmt.mantissa_bits, fmt.bits
    if not fmt.signed:
        return math.nan if code == (1 << bits) - 1 else math.ldexp(1.0, code - fmt.bias)
    sign = code >> (bits - 1)
    field = (code >> M) & ((1 << E) - 1)
    man = code & ((1 << M) - 1)
    top = field == (1 << E) - 1
    if fmt.specials == "ieee" and top:
        return math.nan if man else (-math.inf if sign else math.inf)
    if fmt.specials == "fn" and top and man == (1 << M) - 1:
        return math.nan
    if fmt.specials == "fnuz" and code == 1 << (bits - 1):
        return math.nan
    if field == 0:
        mag = Fraction(man, 1 << M) * Fraction(2) ** (1 - fmt.bias)
    else:
        mag = (1 + Fraction(man, 1 << M)) * Fraction(2) ** (field - fmt.bias)
    return -float(mag) if sign else float(mag)


def encode_scalar(
    fmt: FloatFormat | IntFormat | TableFormat, x: float, overflow: str = "saturate", rounding: str = "nearest_even"
) -> int:
    """The code of one real number (deterministic roundings only)."""
    if isinstance(fmt, TableFormat):
        return _encode_table(fmt, x, rounding)
    if isinstance(fmt, IntFormat):
        return _encode_int(fmt, x, rounding)
    if overflow == "ieee" and rounding == "nearest_even" and fmt.casts_via_float32 and math.isfinite(x):
        x = decode_scalar(_FLOAT32, _encode_float(_FLOAT32, x, "ieee", "nearest_even"))  # ml_dtypes' first step
    if not fmt.signed:
        return _encode_e8m0(fmt, x, overflow, rounding)
    return _encode_float(fmt, x, overflow, rounding)


def _float_code(fmt: FloatFormat, v: Fraction) -> int:
    """Code (no sign) of an on-grid magnitude v."""
    M = fmt.mantissa_bits
    if v < Fraction(fmt.smallest_normal):
        return int(v / Fraction(fmt.smallest_subnormal))
    e = floor_log2(v)
    return (e + fmt.bias) << M | int((v / Fraction(2) ** e - 1) * (1 << M))


def _encode_float(fmt: FloatFormat, x: float, overflow: str, rounding: str) -> int:
    sign_bit = 1 << (fmt.bits - 1)
    negative = math.copysign(1.0, x) < 0
    if math.isnan(x):
        if fmt.specials == "none":
            return (0 if negative else sign_bit) if overflow == "ieee" else 0
        assert fmt.nan_code is not None
        return fmt.nan_code | (sign_bit if negative and fmt.specials != "fnuz" else 0)
    overflowed = math.isinf(x)
    v = Fraction(0)
    if not overflowed:
        a = Fraction(abs(x))
        e = max(floor_log2(a), fmt.minexp) if a else fmt.minexp
        q = Fraction(2) ** (e - fmt.mantissa_bits)
        lo = (a // q) * q
        v = pick(a, lo, lo + q, rounding, (a // q) % 2 == 0)
        overflowed = v > Fraction(fmt.max)
    if overflowed:
        if math.isinf(x) and fmt.specials == "fnuz":  # Inf is NaN in both modes
            assert fmt.nan_code is not None
            return fmt.nan_code
        clamp = overflow == "saturate" or (rounding == "toward_zero" and not math.isinf(x))
        if clamp or fmt.specials == "none":
            code = fmt.max_code
        elif fmt.specials == "ieee":
            assert fmt.inf_code is not None
            code = fmt.inf_code
        else:
            assert fmt.nan_code is not None
            code = fmt.nan_code
            if fmt.specials == "fnuz":
                return code
    else:
        code = _float_code(fmt, v)
    if negative and not (fmt.specials == "fnuz" and code == 0):
        code |= sign_bit
    return code


def _encode_e8m0(fmt: FloatFormat, x: float, overflow: str, rounding: str) -> int:
    nan_code, max_code = (1 << fmt.bits) - 1, (1 << fmt.bits) - 2
    if math.isnan(x) or (overflow == "ieee" and (x <= 0 or math.isinf(x))):
        return nan_code
    if x <= 0:
        return 0
    if math.isinf(x):
        return max_code
    a = Fraction(x)
    k = floor_log2(a)
    if k < -fmt.bias:
        return 0
    lo, hi = Fraction(2) ** k, Fraction(2) ** (k + 1)
    v = pick(a, lo, hi, rounding, lo_is_even=False)
    ml_dtypes_cast = overflow == "ieee" and rounding == "nearest_even"
    if ml_dtypes_cast and Fraction(2) ** -fmt.bias < a < Fraction(2) ** (1 - fmt.bias):
        v = hi  # ml_dtypes rounds this whole interval up
    code = floor_log2(v) + fmt.bias
    if code > max_code:
        return nan_code if overflow == "ieee" and rounding != "toward_zero" else max_code
    return code


# --- ints and tables ----------------------------------------------------------------------------
def _encode_int(fmt: IntFormat, x: float, rounding: str) -> int:
    if math.isnan(x):
        q = 0
    elif math.isinf(x):
        q = int(fmt.max) if x > 0 else int(fmt.min)
    else:
        a = Fraction(abs(x))
        lo = Fraction(math.floor(a))
        q_mag = int(pick(a, lo, lo + 1, rounding, lo % 2 == 0))
        q = -q_mag if x < 0 else q_mag
    q = min(max(q, int(fmt.min)), int(fmt.max))
    return q % (1 << fmt.bits)


def _encode_table(fmt: TableFormat, x: float, rounding: str) -> int:
    zero_code = next(i for i, v in enumerate(fmt.levels) if v == 0 and math.copysign(1, v) > 0)
    if math.isnan(x):
        return zero_code
    x = min(max(x, fmt.min), fmt.max)
    best = None
    for code, level in enumerate(fmt.levels):
        if level == 0 and code != zero_code:
            continue
        if rounding == "toward_zero" and (abs(level) > abs(x) or level * x < 0):
            continue
        d = abs(level - x)
        if best is None or d < best[0] or (d == best[0] and _prefer(level, best[1], rounding)):
            best = (d, level, code)
    assert best is not None
    return best[2]


def _prefer(level: float, other: float, rounding: str) -> bool:
    """Tie between two levels: nearest_even takes the lower one, nearest_away the larger magnitude."""
    if rounding == "nearest_away":
        return abs(level) > abs(other)
    return level < other
