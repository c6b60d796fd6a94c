"""Decimal -> binary, step by step, the way it is taught by hand.

Integer part: divide by 2 repeatedly; the remainders, read from the last to the first, are the bits.
    13 / 2 = 6 r 1,  6 / 2 = 3 r 0,  3 / 2 = 1 r 1,  1 / 2 = 0 r 1   ->  13 = 1101 (binary)
Fraction part: double repeatedly; the integer parts of the products, read from first to last, are the
bits. Exact rational arithmetic finds the repeating cycle (a fraction seen before):
    0.1 -> 0.2 (0), 0.4 (0), 0.8 (0), 1.6 (1), 1.2 (1), then 0.2 again  ->  0.1 = 0.0(0011) repeating

Example:
    >>> w = walk(Fraction(13))
    >>> w.integer_bits, w.fraction_bits
    ('1101', '')
    >>> w = walk(Fraction(1, 10))
    >>> w.fraction_bits, w.repeat_start
    ('00011', 1)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

#: Steps shown at most in each table; the integer bits themselves are always complete.
MAX_STEPS = 64


@dataclass(frozen=True)
class DivisionStep:
    """``dividend / 2 = quotient remainder bit`` (one row of the integer-part table)."""

    dividend: int
    quotient: int
    remainder: int


@dataclass(frozen=True)
class DoublingStep:
    """``fraction * 2 = product`` -> ``bit`` = integer part of product, ``rest`` carries on."""

    fraction: Fraction
    product: Fraction
    bit: int
    rest: Fraction


@dataclass(frozen=True)
class BinaryWalk:
    """The whole walk for ``|value|`` (``negative`` holds the sign).

    Attributes:
        magnitude: |value|, exactly.
        integer_bits: the integer part in binary, complete ("0" for 0).
        fraction_bits: the fraction bits produced by the shown doubling steps.
        repeat_start: index into ``fraction_bits`` where the repeating cycle starts, or None.
        terminated: the fraction reached exactly 0 (finite binary expansion).
        integer_truncated / fraction_truncated: more steps exist than ``MAX_STEPS`` shown.
        exponent: e with 2^e <= |value| < 2^(e+1), i.e. |value| = 1.xxx (binary) * 2^e; None for 0.
    """

    negative: bool
    magnitude: Fraction
    integer_steps: tuple[DivisionStep, ...]
    fraction_steps: tuple[DoublingStep, ...]
    integer_bits: str
    fraction_bits: str
    repeat_start: int | None
    terminated: bool
    integer_truncated: bool
    fraction_truncated: bool
    exponent: int | None

    def binary_text(self) -> str:
        """``-1101.0(0011)…`` style: repeating cycle in brackets, ``…`` when cut short."""
        sign = "-" if self.negative else ""
        if not self.fraction_bits:
            return sign + self.integer_bits
        bits = self.fraction_bits
        if self.repeat_start is not None:
            bits = f"{bits[:self.repeat_start]}({bits[self.repeat_start:]})"
        elif self.fraction_truncated:
            bits += "…"
        return f"{sign}{self.integer_bits}.{bits}"

    def normalized_text(self, digits: int = 12) -> str:
        """``1.101 × 2^3`` for 13: the form a float stores (leading 1, then up to ``digits`` bits)."""
        if self.exponent is None:
            return "0"
        rest = self.magnitude / Fraction(2) ** self.exponent - 1  # in [0, 1)
        bits = ""
        while rest and len(bits) < digits:
            rest *= 2
            bits += "1" if rest >= 1 else "0"
            rest -= int(rest >= 1)
        sign = "-" if self.negative else ""
        lead = f"1.{bits or '0'}" if digits else "1"  # no mantissa bit (E8M0): "1 × 2^2", not "1.0 × 2^2"
        return f"{sign}{lead}{'…' if rest else ''} × 2^{self.exponent}"


def _divisions(n: int, limit: int) -> tuple[tuple[DivisionStep, ...], bool]:
    steps = []
    while n > 0 and len(steps) < limit:
        steps.append(DivisionStep(n, n // 2, n % 2))
        n //= 2
    return tuple(steps), n > 0


def _doublings(f: Fraction, limit: int) -> tuple[tuple[DoublingStep, ...], int | None, bool]:
    steps: list[DoublingStep] = []
    seen: dict[Fraction, int] = {}
    while f != 0 and len(steps) < limit:
        if f in seen:
            return tuple(steps), seen[f], False
        seen[f] = len(steps)
        product = f * 2
        bit = int(product >= 1)
        steps.append(DoublingStep(f, product, bit, product - bit))
        f = product - bit
    if f != 0 and f in seen:
        return tuple(steps), seen[f], False
    return tuple(steps), None, f != 0


def _exponent(x: Fraction) -> int:
    """floor(log2(x)) for x > 0, exactly."""
    e = x.numerator.bit_length() - x.denominator.bit_length()
    if Fraction(2) ** e > x:
        e -= 1
    return e


def walk(value: Fraction | int | float, max_steps: int = MAX_STEPS) -> BinaryWalk:
    """Decimal -> binary walk-through of a finite number.

    Args:
        value: the exact number (a float is taken at its exact binary value).
        max_steps: most division and doubling steps kept.

    Returns:
        BinaryWalk; ``walk(Fraction(13)).binary_text() == "1101"``,
        ``walk(Fraction(1, 10)).binary_text() == "0.0(0011)"``.
    """
    x = Fraction(value)
    negative, x = x < 0, abs(x)
    integer, fraction = x.numerator // x.denominator, x - x.numerator // x.denominator
    int_steps, int_cut = _divisions(integer, max_steps)
    frac_steps, repeat_start, frac_cut = _doublings(fraction, max_steps)
    return BinaryWalk(
        negative=negative,
        magnitude=x,
        integer_steps=int_steps,
        fraction_steps=frac_steps,
        integer_bits=format(integer, "b"),
        fraction_bits="".join(str(s.bit) for s in frac_steps),
        repeat_start=repeat_start,
        terminated=repeat_start is None and not frac_cut,
        integer_truncated=int_cut,
        fraction_truncated=frac_cut,
        exponent=_exponent(x) if x else None,
    )
