"""What one code means: the fields a bit-explorer page shows, and the formula with numbers in.

``fmt.explain(x)`` and ``fmt.explain_code(code)`` return an :class:`Explanation`.  The formula text
is maths only (no words), so it needs no translation:

    float8_e4m3fn, x = 0.1:   (-1)^0 × 2^(3-7) × (1 + 5/8) = 0.1015625
    subnormal:               (-1)^0 × 2^(1-7) × (0 + 5/8) = 0.009765625
    int8 code 0b11010011:    -128 + 64 + 16 + 2 + 1 = -45
    nf4 code 13:             nf4[13] = 0.5626170039176941
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lib.numtext import exact_text


@dataclass(frozen=True)
class Explanation:
    """One code of one format, taken apart.

    Attributes:
        format_name: canonical format name.
        x: the real number that was encoded (NaN when a code was explained directly).
        code: the unsigned code.
        bits: the whole bit pattern, most significant bit first, e.g. "00111101".
        sign_bit: "0"/"1", or "" when the format has no sign bit.
        exponent_bits: the exponent field ("" for int and table formats).
        mantissa_bits: the mantissa field (for ints: the bits after the sign bit; tables: "").
        sign: 0 or 1 (the sign bit's value; 0 when there is no sign bit).
        exponent: the unbiased exponent of a normal or subnormal float, else None.
        cls: "normal" | "subnormal" | "zero" | "inf" | "nan".
        value: the stored value (float64; NaN for NaN codes).
        abs_error: |value - x| (NaN when x or value is NaN).
        rel_error: abs_error / |x| (0 when both are 0, inf when only x is 0).
        formula: the value worked out, e.g. "(-1)^0 × 2^(3-7) × (1 + 5/8) = 0.1015625".
    """

    format_name: str
    x: float
    code: int
    bits: str
    sign_bit: str
    exponent_bits: str
    mantissa_bits: str
    sign: int
    exponent: int | None
    cls: str
    value: float
    abs_error: float
    rel_error: float
    formula: str


def special_text(v: float) -> str | None:
    """"NaN", "inf", "-inf", "0" or "-0" for those values (the sign of zero kept); None otherwise."""
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    return None


def format_number(v: float) -> str:
    """Shortest exact-enough text for a value: whole numbers without ".0", "-0" kept, "NaN"/"inf".

    Example:
        >>> [format_number(v) for v in (448.0, -0.0, 0.1015625, float("-inf"))]
        ['448', '-0', '0.1015625', '-inf']
    """
    special = special_text(v)
    if special is not None:
        return special
    if v.is_integer() and abs(v) < 2.0**53:
        return str(int(v))
    return repr(float(v))


def errors(x: float, value: float) -> tuple[float, float]:
    """(absolute error, relative error) of storing ``x`` as ``value``."""
    if math.isnan(x) or math.isnan(value):
        return math.nan, math.nan
    if math.isinf(x) or math.isinf(value):
        same = x == value
        return (0.0, 0.0) if same else (math.inf, math.inf)
    abs_err = abs(value - x)
    if x == 0:
        return abs_err, 0.0 if abs_err == 0 else math.inf
    return abs_err, abs_err / abs(x)


def power_text(field: int, bias: int) -> str:
    """"2^(field-bias)" with a readable sign for a negative bias: "2^(3-7)", "2^(3+2)"."""
    return f"2^({field}-{bias})" if bias >= 0 else f"2^({field}+{-bias})"


def float_formula(
    sign: int | None, field: int, bias: int, mantissa: int, mantissa_bits: int, cls: str, value: float
) -> str:
    """The formula of a float code; ``sign`` None for an unsigned (exponent-only) format. After "=",
    the value's exact text (lib.numtext.exact_text): float32's 0x3DCCCCCD is 0.100000001490116119384765625,
    which float64's shortest text 0.10000000149011612 is not.

    Example:
        >>> float_formula(0, 3, 7, 5, 3, "normal", 0.1015625)
        '(-1)^0 × 2^(3-7) × (1 + 5/8) = 0.1015625'
    """
    sign_part = "" if sign is None else f"(-1)^{sign} × "
    if cls == "nan":
        return "NaN"
    if cls == "inf":
        return f"{sign_part}∞ = {format_number(value)}"
    if cls in ("subnormal", "zero"):
        frac = f" × (0 + {mantissa}/{1 << mantissa_bits})" if mantissa_bits else " × 0"
        return f"{sign_part}{power_text(1, bias)}{frac} = {exact_text(value)}"
    frac = f" × (1 + {mantissa}/{1 << mantissa_bits})" if mantissa_bits else ""
    return f"{sign_part}{power_text(field, bias)}{frac} = {exact_text(value)}"


def int_formula(code: int, bits: int, signed: bool) -> str:
    """Two's complement as a sum of powers of two.

    Example:
        >>> int_formula(0b11010011, 8, True)
        '-128 + 64 + 16 + 2 + 1 = -45'
    """
    terms = []
    for i in range(bits - 1, -1, -1):
        if code >> i & 1:
            terms.append(-(1 << i) if signed and i == bits - 1 else 1 << i)
    if not terms:
        return "0 = 0"
    return " + ".join(str(t) for t in terms) + f" = {sum(terms)}"
