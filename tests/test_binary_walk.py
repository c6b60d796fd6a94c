"""lib/binary_walk.py: the decimal -> binary walk-through, checked against Python's own binary."""

import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from lib.binary_walk import walk


def test_thirteen_by_repeated_division():
    w = walk(Fraction(13))
    assert [(s.dividend, s.quotient, s.remainder) for s in w.integer_steps] == [
        (13, 6, 1), (6, 3, 0), (3, 1, 1), (1, 0, 1)]
    assert w.integer_bits == "1101" and w.binary_text() == "1101"
    assert w.terminated and w.fraction_steps == ()
    assert w.normalized_text() == "1.101 × 2^3" and w.exponent == 3


def test_one_tenth_repeats_0011():
    w = walk(Fraction(1, 10))
    assert [(s.fraction, s.product, s.bit) for s in w.fraction_steps] == [
        (Fraction(1, 10), Fraction(1, 5), 0), (Fraction(1, 5), Fraction(2, 5), 0),
        (Fraction(2, 5), Fraction(4, 5), 0), (Fraction(4, 5), Fraction(8, 5), 1),
        (Fraction(3, 5), Fraction(6, 5), 1)]
    assert w.repeat_start == 1 and not w.terminated
    assert w.binary_text() == "0.0(0011)"
    assert w.normalized_text() == "1.100110011001… × 2^-4"


def test_negative_and_terminating():
    w = walk(Fraction(-5, 8))
    assert w.binary_text() == "-0.101" and w.terminated and w.exponent == -1


def test_zero():
    w = walk(0)
    assert w.binary_text() == "0" and w.exponent is None and w.normalized_text() == "0"


def test_one_third_and_one_seventh():
    assert walk(Fraction(1, 3)).binary_text() == "0.(01)"
    assert walk(Fraction(1, 7)).binary_text() == "0.(001)"


def test_long_expansion_is_cut_and_marked():
    w = walk(Fraction(2) ** -100, max_steps=64)
    assert w.fraction_truncated and not w.terminated and w.repeat_start is None
    assert len(w.fraction_steps) == 64 and w.binary_text().endswith("…")
    assert w.normalized_text() == "1.0 × 2^-100"


def test_big_integer_bits_stay_complete():
    w = walk(Fraction(10) ** 30, max_steps=64)
    assert w.integer_bits == format(10**30, "b") and w.integer_truncated and len(w.integer_steps) == 64


@settings(max_examples=200, deadline=None)
@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_float_expansion_matches_float_hex(x):
    """Every float64 has a terminating binary expansion; its bits give back the float exactly."""
    w = walk(x, max_steps=1100)
    assert w.terminated
    value = int(w.integer_bits, 2) + sum(int(b) * 2.0 ** -(i + 1) for i, b in enumerate(w.fraction_bits))
    assert math.copysign(value, -1 if w.negative else 1) == x or (x == 0 and value == 0)
    if x != 0:
        assert w.exponent == math.frexp(abs(x))[1] - 1
