"""lib/numparse.py: exact parsing of typed numbers and codes, and the specific error for each bad input."""

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.errors import ParseError
from lib.formats import get_format
from lib.numparse import format_code, parse_code, parse_number


@pytest.mark.parametrize(
    ("text", "exact"),
    [
        ("0.1", Fraction(1, 10)),
        ("-2.5e-3", Fraction(-1, 400)),
        ("1/3", Fraction(1, 3)),
        ("2^-10", Fraction(1, 1024)),
        ("2**-10", Fraction(1, 1024)),
        ("3*2^-4", Fraction(3, 16)),
        ("-(1/3)", Fraction(-1, 3)),
        ("  448 ", Fraction(448)),
        ("1_000", Fraction(1000)),
        ("１．５", Fraction(3, 2)),  # full-width digits (Chinese input method)
        ("0。5", Fraction(1, 2)),  # a Chinese IME's full stop between digits is the point
        ("１。５。", Fraction(3, 2)),  # ... and one at the end closes the sentence
        ("−0.5", Fraction(-1, 2)),  # unicode minus
        ("6.02E23", Fraction(602) * 10**21),
        (".5", Fraction(1, 2)),
        ("0", Fraction(0)),
        # each read "larger than the largest float64" (a power or exponent past a fixed cap)
        ("0e5000", Fraction(0)),
        ("0^5000", Fraction(0)),
        ("1^100000", Fraction(1)),
        ("(-1)^100001", Fraction(-1)),
        ("(-1)^-100000", Fraction(1)),
        ("2^1101/2^1101", Fraction(1)),
        ("10^400/10^399", Fraction(10)),
        ("1.0001^2000", Fraction(10001, 10000) ** 2000),  # ≈ 1.2214
    ],
)
def test_exact_values(text, exact):
    parsed = parse_number(text)
    assert parsed.exact == exact
    assert parsed.value == float(exact)
    assert not parsed.approximate


def test_constants_are_float64_stand_ins():
    pi = parse_number("pi")
    assert pi.value == math.pi and pi.exact == Fraction(math.pi) and pi.approximate
    assert parse_number("π").value == math.pi
    assert parse_number("e").value == math.e
    assert parse_number("2*pi").value == 2 * math.pi


@pytest.mark.parametrize(("text", "value"), [("inf", math.inf), ("-inf", -math.inf), ("∞", math.inf)])
def test_infinities(text, value):
    parsed = parse_number(text)
    assert parsed.value == value and parsed.exact is None and not parsed.is_finite


def test_nan():
    parsed = parse_number("NaN")
    assert math.isnan(parsed.value) and parsed.exact is None
    assert math.copysign(1.0, parsed.value) == 1.0 == math.copysign(1.0, parse_number("+nan").value)
    # "-nan" is a NaN with its sign bit set: float8_e4m3fn stores it as 0xFF, not 0x7F
    negative = parse_number("-nan").value
    assert math.isnan(negative) and math.copysign(1.0, negative) == -1.0
    assert int(get_format("float8_e4m3fn").encode(np.float32(negative), overflow="ieee")) == 0xFF


@pytest.mark.parametrize(
    ("text", "negative"),
    [("-0", True), ("-0.0", True), ("−0", True), ("-(0)", True), ("0/(-3)", True), ("-0*5", True),
     ("(-0)^3", True), ("0", False), ("+0", False), ("-(-0)", False), ("(-0)^2", False), ("-0*(-5)", False)],
)
def test_zero_keeps_its_sign(text, negative):
    """-0 is exactly 0 but a float keeps its sign bit (IEEE 754 rules, as float("-0") == -0.0)."""
    parsed = parse_number(text)
    assert parsed.exact == 0 and parsed.value == 0.0
    assert (math.copysign(1.0, parsed.value) < 0) is negative


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("abc", "bits.parse.not_a_number"),
        ("", "bits.parse.empty"),
        ("   ", "bits.parse.empty"),
        ("1e999", "bits.parse.too_large"),
        ("1e5000", "bits.parse.too_large"),
        ("2^1024", "bits.parse.too_large"),
        ("1.7976931348623159e308", "bits.parse.too_large"),  # rounds past float64 max
        ("1e-999", "bits.parse.too_small"),
        ("0.5^2000", "bits.parse.too_small"),  # tiny: it read "larger than the largest float64"
        ("0.5^-2000", "bits.parse.too_large"),  # huge: it read "so close to zero"
        ("(1/3)^700", "bits.parse.too_small"),  # 1e-334, below half of float64's smallest step
        ("1.5^2000", "bits.parse.too_large"),
        ("1.0000001^10000000", "bits.parse.power_too_costly"),  # ≈ e, but 480 million bits to build
        ("1.00000001^1850*" * 12 + "1", "bits.parse.product_too_costly"),  # 590,000 bits: 10 s of gcd on Bits
        ("1.00000001^1850*1.00000001^1850", "bits.parse.product_too_costly"),  # the power limit, twice
        ("1/0", "bits.parse.division_by_zero"),
        ("2^0.5", "bits.parse.bad_exponent"),
        ("1+1", "bits.parse.not_a_number"),
        ("__import__('os')", "bits.parse.not_a_number"),
        ("2e", "bits.parse.not_a_number"),
        ("1" * 300, "bits.parse.too_long"),
    ],
)
def test_bad_numbers_raise_specific_errors(text, key):
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.key == key
    assert info.value.message("zh") != info.value.message("en")


@pytest.mark.parametrize("text", ["0x7F", "0X3c", "0b0011_1100", "-0x80", "0x"])
def test_a_code_in_the_number_box_says_switch_to_code_input(text):
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.key == "bits.parse.looks_like_code"
    assert "Code (hex / binary)" in info.value.message("en") and "编码（十六进制 / 二进制）" in info.value.message("zh")


@pytest.mark.parametrize(("text", "dot"), [("1,5", "1.5"), ("-0,25", "-0.25"), ("１，５", "1.5"), ("1,000", "1.000")])
def test_a_decimal_comma_says_use_a_point(text, dot):
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.key == "bits.parse.decimal_comma" and info.value.params["dot"] == dot
    assert f": {dot}." in info.value.message("en") and f"：{dot}。" in info.value.message("zh")


@pytest.mark.parametrize(("text", "exact"), [
    ("1 000", 1000), ("1 000 000", 10**6), ("-12 345.5", Fraction(-24691, 2)), ("0.123 45", Fraction(12345, 100000)),
    ("12 345.678 9", Fraction(123456789, 10**4)), ("1  000", 1000), ("２ ５６０", 2560), ("3 * 2^-4", Fraction(3, 16)),
    ("- 5", -5), ("1 000e-3", 1),
])
def test_spaces_may_group_digits_in_threes(text, exact):
    assert parse_number(text).exact == exact


@pytest.mark.parametrize(("text", "key", "part"), [
    ("1 2", "bits.parse.digit_space", "1 2"), ("１ ２", "bits.parse.digit_space", "1 2"),
    ("10 00", "bits.parse.digit_space", "10 00"), ("1000 000", "bits.parse.digit_space", "1000 000"),
    ("1 000 00", "bits.parse.digit_space", "1 000 00"), ("0.1234 5", "bits.parse.digit_space_in", "1234 5"),
    ("1e1 0", "bits.parse.digit_space_in", "1 0"), ("2^-1 0", "bits.parse.digit_space_in", "1 0"),
    ("-3 4", "bits.parse.digit_space_in", "3 4"),
])
def test_a_space_that_is_not_a_thousands_group_is_refused(text, key, part):
    """"1 2" was read as 12: two numbers, or a typo, became a number nobody typed."""
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.key == key and info.value.params["part"] == part
    en, zh = info.value.message("en"), info.value.message("zh")
    assert f"“{text}” has a space between digits" in en and "1 000 000" in en
    assert f"“{text}”的数字之间有空格" in zh
    assert (f"({part})" in en and f"（{part}）" in zh) == (key == "bits.parse.digit_space_in")


@pytest.mark.parametrize("text", ["1,2,3", "1,", ",5", "a,b", "0x7F+1", "1, 5e"])
def test_other_unreadable_text_keeps_the_general_message(text):
    with pytest.raises(ParseError) as info:
        parse_number(text)
    assert info.value.key == "bits.parse.not_a_number"


def test_python_float_would_have_hidden_the_overflow():
    assert float("1e999") == math.inf  # the trap parse_number guards against
    with pytest.raises(ParseError, match="larger than the largest float64"):
        parse_number("1e999")


def test_largest_float64_is_accepted():
    assert parse_number("1.7976931348623157e308").value == 1.7976931348623157e308
    assert parse_number("2^-1074").value == 5e-324


@settings(max_examples=150, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_repr_of_any_float_round_trips(x):
    parsed = parse_number(repr(x))
    assert parsed.value == x
    assert parsed.exact == Fraction(repr(x))


@pytest.mark.parametrize(
    ("text", "bits", "code"),
    [("0x3C00", 16, 0x3C00), ("0x3c", 8, 60), ("0b0011_1100", 8, 60), ("0b0 1111 110", 8, 0x7E),
     ("0xF", 4, 15), ("0b1", 4, 1), ("0X0", 8, 0)],
)
def test_codes(text, bits, code):
    assert parse_code(text, bits) == code


@pytest.mark.parametrize(
    ("text", "bits", "key"),
    [("0x3C00", 8, "bits.parse.code_too_long"), ("0x10", 4, "bits.parse.code_too_long"),
     ("0b100111100", 8, "bits.parse.code_too_long"), ("0xZZ", 8, "bits.parse.code_digits"),
     ("0b012", 8, "bits.parse.code_digits"), ("0x", 8, "bits.parse.code_no_digits"), ("0b", 4, "bits.parse.code_no_digits"),
     ("3C", 8, "bits.parse.code_prefix"), ("", 8, "bits.parse.code_empty"), ("  ", 8, "bits.parse.code_empty")],
)
def test_bad_codes(text, bits, key):
    with pytest.raises(ParseError) as info:
        parse_code(text, bits)
    assert info.value.key == key


def test_empty_code_box_asks_for_a_code_not_a_number():
    with pytest.raises(ParseError) as info:
        parse_code("", 8)
    assert "0x3C" in info.value.message("en") and "0b0011_1100" in info.value.message("zh")
    assert "pi" not in info.value.message("en")


def test_code_too_long_message_says_what_fits():
    with pytest.raises(ParseError) as info:
        parse_code("0x3C00", 8)
    assert "needs 14 bits" in str(info.value) and "0xFF" in str(info.value)
    with pytest.raises(ParseError) as info:
        parse_code("0x10", 4)  # FP4: "at most 1 hex digits" read badly
    assert "Type a code up to 0xF (hex digits: at most 1; binary digits: at most 4)" in str(info.value)


def test_format_code():
    assert format_code(60, 8) == ("0x3C", "0b00111100")
    assert format_code(0x3C00, 16) == ("0x3C00", "0b0011110000000000")
    assert format_code(5, 4) == ("0x5", "0b0101")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789.eE+-*/^()_ xpinaf∞π", max_size=40))
def test_any_text_parses_or_raises_a_parse_error(text):
    """Never a crash, never a silent inf: either a finite/special value or a ParseError with a key."""
    try:
        parsed = parse_number(text)
    except ParseError as err:
        assert err.key.startswith("bits.parse.")
        return
    if parsed.exact is not None:
        assert math.isfinite(parsed.value) and parsed.value == float(parsed.exact)


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=32), st.integers(min_value=0, max_value=2**32 - 1))
def test_codes_round_trip_through_their_spelling(bits, code):
    code %= 2**bits
    hex_text, bin_text = format_code(code, bits)
    assert parse_code(hex_text, bits) == code and parse_code(bin_text, bits) == code


def test_a_very_long_code_is_quoted_short() -> None:
    with pytest.raises(ParseError) as info:
        parse_code("0x" + "F" * 5000, 8)
    assert info.value.key == "bits.parse.code_too_long"
    assert len(info.value.params["text"]) == 60 and info.value.params["text"].endswith("…")
    assert len(str(info.value)) < 400


def test_products_up_to_the_size_limit_still_work_exactly():
    """The product limit is the power limit: 1.0001^1750 · 1.0001^1750 (93,015 bits) is read, and
    a quotient that cancels (2^1101/2^1101, 1.0001^3000/1.0001^3000) is 1."""
    assert parse_number("1.0001^1750*1.0001^1750").exact == Fraction(10001, 10000) ** 3500
    assert parse_number("2^1101/2^1101").value == 1.0
    assert parse_number("1.0001^3000/1.0001^3000").exact == 1
