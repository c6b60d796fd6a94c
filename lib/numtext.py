"""Numbers as text for people: the rules every page uses to write a value exactly.

shortest(x) is Python's repr (the shortest decimal that reads back as exactly ``x``) without a
trailing ".0". A fixed number of digits hides what a student needs to see: %g wrote 0.1015625 as
0.101562 and 0.3333333333 as 0.333333 (so two settings shared a download's file name), and
"448.0" / "got 5.0" read as if the value were not whole.

shortest(x) names the float64 ``x``, but it is not ``x``'s exact value: float32's midpoint between 1
and its next value is 1.000000178813934326171875, and its shortest text 1.0000001788139343 is a
different number (typed on the Bits page, which reads decimals exactly, it rounds the other way).
Where a text claims exactness, exact_text(x) writes every digit, or ``m × 2^k`` when they are many.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal
from fractions import Fraction

#: Most significant digits exact_text writes out; beyond them it writes m × 2^k (float32's smallest
#: subnormal 2^-149 has 105 digits).
EXACT_DIGITS = 40


def shortest(x: float) -> str:
    """``x`` as the shortest decimal that reads back as exactly ``x``, without trailing zeros.

    Example:
        >>> [shortest(v) for v in (448.0, 0.1015625, 1e40, 8.0, 1.7320508075688772, -0.0)]
        ['448', '0.1015625', '1e+40', '8', '1.7320508075688772', '-0']
    """
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def dyadic_text(v: float) -> str:
    """A finite float as ``m × 2^k`` with odd m: ``dyadic_text(0.1015625) == "13 × 2^-7"``."""
    if v == 0 or not math.isfinite(v):
        return ""
    f = Fraction(v)
    k = f.denominator.bit_length() - 1
    num = f.numerator
    if k == 0:
        while num % 2 == 0:
            num //= 2
            k -= 1
        return f"{num} × 2^{-k}" if k else str(num)
    return f"{num} × 2^-{k}"


def exact_text(x: float, max_digits: int = EXACT_DIGITS) -> str:
    """``x``'s exact value, short enough to read: every digit of its decimal (a float is m·2^k, so it
    ends) when it has at most ``max_digits`` significant digits, else ``m × 2^k``. Below 1e-4 the
    decimal is in scientific notation, as ``repr`` writes it. Zeros, infinities and NaN as ``shortest``
    writes them. Every result reads back exactly on the Bits page (lib.numparse).

    Example:
        >>> [exact_text(v) for v in (448.0, 1.0000001788139343, 2.0**-24, -2.0**-149)]
        ['448', '1.000000178813934326171875', '5.9604644775390625e-8', '-1 × 2^-149']
    """
    if x == 0 or not math.isfinite(x):
        return shortest(x)
    d = Decimal(x)  # exact; normalize() in a context of as many digits drops trailing zeros, rounds nothing
    d = d.normalize(Context(prec=len(d.as_tuple().digits)))
    if len(d.as_tuple().digits) > max_digits:
        return dyadic_text(x)
    return format(d, "e") if abs(x) < 1e-4 else format(d, "f")  # scientific below 1e-4, as repr writes
