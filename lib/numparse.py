"""Read numbers and bit codes typed by a student, exactly and without ``eval``.

Numbers: decimals and scientific notation (``0.1``, ``-2.5e-3``), fractions (``1/3``), powers with
integer exponents (``2^-10``, ``2**-10``), products and quotients of those (``3*2^-4``, ``(1+1/4)``
is not supported: no addition), brackets, and the names ``pi``/``π``, ``e``, ``inf``/``∞``, ``nan``.
Digits may be grouped with ``_`` anywhere (``1_000``) or with spaces in threes (``1 000 000``,
``0.123 45``); ``1 2`` is refused, not read as 12.
The result keeps the exact rational value (``fractions.Fraction``) beside its float64, so a page can
show the exact rounding error of a format::

    parse_number("0.1").exact == Fraction(1, 10)     # not 0.1000000000000000055511151231257827
    parse_number("3*2^-4").exact == Fraction(3, 16)

Codes: ``0x3C00`` (hex) or ``0b0011_1100`` (binary) for a format of ``bits`` bits::

    parse_code("0x3C", 8) == 60

Every problem the student can cause raises :class:`lib.errors.ParseError` with an i18n key.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction

from lib.errors import ParseError

#: Largest power-of-ten exponent we build exactly; far beyond float64 (1e308), small enough to be instant.
MAX_DECIMAL_EXPONENT = 1000
#: Largest |log2| of a power ``b^n`` taken further: far beyond float64 (2^1024 overflows it,
#: 2^-1075 underflows it), so a step such as 2^1101 in 2^1101/2^1101 (= 1) is still exact.
MAX_POWER_LOG2 = 20_000
#: Most bits ``b^n`` may take to build exactly (n · bits of b's numerator and denominator):
#: 1.0001^2000 (≈ 1.22) takes 56,000 and is instant; 1.0000001^10^7 would take 4.8e8. Every
#: product or quotient is held to the same size: twelve factors of 98,000 bits each made
#: 590,000 bits, and the page's exact errors then took 10 s (Python's gcd is quadratic); at
#: 100,000 bits they take 0.07 s.
MAX_POWER_BITS = 100_000
#: Longest text we read at all.
MAX_LENGTH = 200

_NUMBER = re.compile(r"(\d+\.?\d*|\.\d+)(?:[eE]([+-]?\d+))?")
_SPECIALS = {
    "inf": math.inf, "+inf": math.inf, "-inf": -math.inf, "infinity": math.inf, "+infinity": math.inf,
    "-infinity": -math.inf, "∞": math.inf, "+∞": math.inf, "-∞": -math.inf,
    "nan": math.nan, "+nan": math.nan, "-nan": math.copysign(math.nan, -1.0),  # sign bit set, as ml_dtypes keeps it
}
_CONSTANTS = {"pi": Fraction(math.pi), "π": Fraction(math.pi), "e": Fraction(math.e)}


@dataclass(frozen=True)
class ParsedNumber:
    """A typed number.

    Attributes:
        text: the text as typed (stripped).
        value: the float64 nearest to the number (``inf``/``nan`` for those names); a zero keeps its
            sign, so ``"-0"`` gives -0.0 (sign bit 1 in every format that has a -0) while ``exact`` is 0.
        exact: the exact rational value, or ``None`` for inf and NaN.
        approximate: True when ``exact`` is itself a float64 stand-in for an irrational (``pi``, ``e``).
    """

    text: str
    value: float
    exact: Fraction | None
    approximate: bool = False

    @property
    def is_finite(self) -> bool:
        return self.exact is not None


def _normalise(text: str) -> str:
    """NFKC (full-width digits -> ASCII), unicode minus/times -> ASCII, no spaces or underscores."""
    return re.sub(r"\s+", "", _unify(text))


_IDEOGRAPHIC_POINT = re.compile(r"(?<=\d)\u3002(?=\d)")  # "0。5": a Chinese IME's full stop as the point


def _unify(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip().lower()
    text = _IDEOGRAPHIC_POINT.sub(".", text).removesuffix("\u3002")  # "0。5" -> 0.5, "1.5。" -> 1.5
    for old, new in (("−", "-"), ("×", "*"), ("·", "*"), ("÷", "/"), ("**", "^"), ("_", "")):
        text = text.replace(old, new)
    return text


_SPACED_DIGITS = re.compile(r"\d+(?:\s+\d+)+")


def _stray_space(text: str) -> str | None:
    """The first run of digits split by spaces that is not a thousands grouping, or None.

    Spaces may group digits in threes, as SI writes numbers: ``1 000 000`` and ``12 345.678 9``
    (after the point the groups run left to right, the last one 1 to 3 digits). Anything else,
    such as ``1 2`` (two numbers? a typo?), is refused rather than read as 12.
    """
    for match in _SPACED_DIGITS.finditer(text):
        groups = match.group().split()
        after_point = match.start() > 0 and text[match.start() - 1] == "."
        inner = groups[:-1] if after_point else groups[1:]
        edge = groups[-1] if after_point else groups[0]
        if any(len(g) != 3 for g in inner) or not 1 <= len(edge) <= 3:
            return match.group()
    return None


class _Parser:
    """Recursive descent over: expr := ['+'|'-'] power (('*'|'/') power)*;
    power := atom ['^' ['+'|'-'] digits];  atom := number | pi | e | '(' expr ')'.

    Every rule returns ``(value, negative)``: the exact value and the sign bit a float64 evaluation
    would give it. The two agree except at zero, where the sign bit keeps what the Fraction loses:
    ``-0``, ``-(0)``, ``0/-3`` and ``-0*5`` are -0.0, ``-(-0)`` is +0.0 (IEEE 754 sign rules)."""

    def __init__(self, text: str, original: str) -> None:
        self.s, self.i, self.original = text, 0, original
        self.approximate = False

    def fail(self) -> ParseError:
        return ParseError("bits.parse.not_a_number", text=self.original)

    def peek(self) -> str:
        return self.s[self.i] if self.i < len(self.s) else ""

    def parse(self) -> tuple[Fraction, bool]:
        value = self.expr()
        if self.i != len(self.s):
            raise self.fail()
        return value

    def expr(self) -> tuple[Fraction, bool]:
        sign = 1
        while self.peek() in ("+", "-"):
            sign = -sign if self.peek() == "-" else sign
            self.i += 1
        value, negative = self.power()
        while self.peek() in ("*", "/"):
            op = self.peek()
            self.i += 1
            rhs, rhs_negative = self.power()
            if op == "*":
                value *= rhs
            elif rhs == 0:
                raise ParseError("bits.parse.division_by_zero", text=self.original)
            else:
                value /= rhs
            if value.numerator.bit_length() + value.denominator.bit_length() > MAX_POWER_BITS:
                raise ParseError("bits.parse.product_too_costly", text=self.original)
            negative ^= rhs_negative
        return sign * value, negative ^ (sign < 0)

    def power(self) -> tuple[Fraction, bool]:
        base, negative = self.atom()
        if self.peek() != "^":
            return base, negative
        self.i += 1
        match = re.compile(r"[+-]?\d+").match(self.s, self.i)
        if not match or self.s[match.end():match.end() + 1] in (".", "e", "^"):
            raise ParseError("bits.parse.bad_exponent", text=self.original)
        self.i = match.end()
        exponent = int(match.group())
        if base == 0 and exponent < 0:
            raise ParseError("bits.parse.division_by_zero", text=self.original)
        if base in (0, 1, -1):  # 0, 1 and -1 to any power stay 0, 1 or ±1 (0^5000 read "too large")
            return base ** (exponent if abs(exponent) < 2 else 2 - exponent % 2), negative and exponent % 2 == 1
        self._check_power(base, exponent)
        return base**exponent, negative and exponent % 2 == 1

    def _check_power(self, base: Fraction, exponent: int) -> None:
        """Refuse b^n when it is far outside float64, saying which way (0.5^2000 is tiny, not
        "larger than the largest float64"), or too costly to build exactly."""
        log2 = exponent * (math.log2(abs(base.numerator)) - math.log2(base.denominator))
        if abs(log2) > MAX_POWER_LOG2:
            raise ParseError("bits.parse.too_large" if log2 > 0 else "bits.parse.too_small", text=self.original)
        if abs(exponent) * (base.numerator.bit_length() + base.denominator.bit_length()) > MAX_POWER_BITS:
            raise ParseError("bits.parse.power_too_costly", text=self.original)

    def atom(self) -> tuple[Fraction, bool]:
        if self.peek() == "(":
            self.i += 1
            value = self.expr()
            if self.peek() != ")":
                raise self.fail()
            self.i += 1
            return value
        for name, value in _CONSTANTS.items():
            if self.s.startswith(name, self.i) and not self.s[self.i + len(name):self.i + len(name) + 1].isalpha():
                self.i += len(name)
                self.approximate = True
                return value, False
        match = _NUMBER.match(self.s, self.i)
        if not match:
            raise self.fail()
        self.i = match.end()
        exponent = int(match.group(2) or 0)
        if Fraction(match.group(1)) == 0:  # 0e5000 is 0 (it read "larger than the largest float64")
            return Fraction(0), False
        if abs(exponent) > MAX_DECIMAL_EXPONENT:  # a mantissa of at most 200 digits: far outside float64
            raise ParseError("bits.parse.too_large" if exponent > 0 else "bits.parse.too_small", text=self.original)
        return Fraction(match.group(1)) * Fraction(10) ** exponent, False


def _likely_mistake(s: str, original: str) -> ParseError | None:
    """A more helpful error for unreadable text that looks like a code or a decimal comma.

    ``0x7F`` / ``0b0111`` -> ``bits.parse.looks_like_code``; ``1,5`` (one comma between digits) ->
    ``bits.parse.decimal_comma`` with ``dot="1.5"``. Only asked after the parser failed, so nothing
    it accepts changes. ``s`` is the normalised text.
    """
    if re.fullmatch(r"[+-]?0[xb][0-9a-f]*", s):
        return ParseError("bits.parse.looks_like_code", text=original)
    if re.fullmatch(r"[+-]?\d+,\d+", s):
        return ParseError("bits.parse.decimal_comma", text=original, dot=s.replace(",", "."))
    return None


def parse_number(text: str) -> ParsedNumber:
    """Parse a typed number; see the module docstring for the grammar.

    Args:
        text: what the student typed, e.g. ``"0.1"``, ``"-2.5e-3"``, ``"1/3"``, ``"2^-10"``, ``"pi"``.

    Returns:
        ParsedNumber with the exact value; ``parse_number("1/3").value == 0.3333333333333333``.

    Raises:
        ParseError: ``bits.parse.empty``, ``bits.parse.not_a_number``, ``bits.parse.looks_like_code`` (``0x7F``),
        ``bits.parse.decimal_comma`` (``1,5``), ``bits.parse.digit_space`` (``1 2``; ``1 000`` is
        fine), ``bits.parse.too_large`` (beyond the
        float64 maximum 1.797e308, e.g. ``"1e999"`` which Python's ``float`` silently turns into inf),
        ``bits.parse.too_small``, ``bits.parse.division_by_zero``, ``bits.parse.bad_exponent``,
        ``bits.parse.power_too_costly`` (``1.0000001^10000000``), ``bits.parse.product_too_costly``
        (``1.00000001^1850*1.00000001^1850``), ``bits.parse.too_long``.
    """
    original = (text or "").strip()
    if not original:
        raise ParseError("bits.parse.empty")
    if len(original) > MAX_LENGTH:
        raise ParseError("bits.parse.too_long", limit=MAX_LENGTH)
    spaced = _stray_space(_unify(original))
    if spaced is not None:
        whole = spaced == _unify(original)
        raise ParseError("bits.parse.digit_space" if whole else "bits.parse.digit_space_in", text=original,
                         part=spaced)
    s = _normalise(original)
    if s in _SPECIALS:
        value = _SPECIALS[s]
        return ParsedNumber(original, value, None)
    parser = _Parser(s, original)
    try:
        exact, negative = parser.parse()
    except ParseError as err:
        raise _likely_mistake(s, original) or err from None
    try:
        value = -0.0 if exact == 0 and negative else float(exact)
    except OverflowError:
        raise ParseError("bits.parse.too_large", text=original) from None
    if math.isinf(value):  # rounds up past float64 max (e.g. 1.7976931348623159e308)
        raise ParseError("bits.parse.too_large", text=original)
    if value == 0.0 and exact != 0:  # below half the smallest float64 subnormal (about 4.9e-324)
        raise ParseError("bits.parse.too_small", text=original)
    return ParsedNumber(original, value, exact, parser.approximate)


def parse_code(text: str, bits: int) -> int:
    """Parse a bit code for a format of ``bits`` bits.

    Args:
        text: ``"0x3C"`` / ``"0X3c"`` (hex) or ``"0b0011_1100"`` / ``"0b0 0111 100"`` (binary;
            spaces, dots and underscores are ignored as separators).
        bits: width of the format.

    Returns:
        The code as a non-negative int below ``2**bits``: ``parse_code("0b0011_1100", 8) == 60``.

    Raises:
        ParseError: ``bits.parse.code_empty``; ``bits.parse.code_prefix`` (no 0x/0b); ``bits.parse.code_no_digits``
        (nothing after 0x/0b); ``bits.parse.code_digits``
        (a digit that is not hex/binary); ``bits.parse.code_too_long`` (a hex value of 2**bits or more,
        or more binary digits than ``bits``).
    """
    full = (text or "").strip()
    if not full:
        raise ParseError("bits.parse.code_empty")
    s = re.sub(r"[\s_.]", "", unicodedata.normalize("NFKC", full)).lower()
    original = full if len(full) <= 60 else full[:59] + "…"  # as quoted in a message (0x + 5,000 F's)
    width_hex = (bits + 3) // 4
    if s.startswith("0x"):
        digits = s[2:]
        if not digits:
            raise ParseError("bits.parse.code_no_digits", text=original)
        if not re.fullmatch(r"[0-9a-f]+", digits):
            raise ParseError("bits.parse.code_digits", text=original)
        code = int(digits, 16)
        if code >= 2**bits:
            raise ParseError("bits.parse.code_too_long", text=original, bits=bits, needed=code.bit_length(),
                             hex_digits=width_hex, max_code=f"0x{2**bits - 1:0{width_hex}X}")
        return code
    if s.startswith("0b"):
        digits = s[2:]
        if not digits:
            raise ParseError("bits.parse.code_no_digits", text=original)
        if not re.fullmatch(r"[01]+", digits):
            raise ParseError("bits.parse.code_digits", text=original)
        if len(digits) > bits:
            raise ParseError("bits.parse.code_too_long", text=original, bits=bits, needed=len(digits),
                             hex_digits=width_hex, max_code=f"0x{2**bits - 1:0{width_hex}X}")
        return int(digits, 2)
    raise ParseError("bits.parse.code_prefix", text=original)


def format_code(code: int, bits: int) -> tuple[str, str]:
    """Hex and binary spelling of a code: ``format_code(60, 8) == ("0x3C", "0b00111100")``."""
    return f"0x{code:0{(bits + 3) // 4}X}", f"0b{code:0{bits}b}"
