"""Pure helpers that build what the Bits page (位级布局) shows: bit cells, exact value texts, the
format card and the same-number-in-every-format table. No streamlit here; the page only lays out.

Example (FP8 E4M3, x = 0.1): code 0x1D = 0 0011 101, stored 0.1015625 = 13 × 2^-7 = 13/128,
absolute error 0.0015625 (exactly 1/640), relative error 1.5625 %.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from lib.binary_walk import walk
from lib.charts_grid import grid_points
from lib.formats.explain import Explanation, format_number, special_text
from lib.formats.registry import REGISTRY, default_bias
from lib.i18n import STRINGS, t
from lib.numparse import format_code
from lib.numtext import dyadic_text, exact_text  # noqa: F401  (also as bits_view.*, for pages and value_table)

#: Okabe–Ito colours per bit role (colour-blind safe), as in CONTRACTS.md.
ROLE_COLOURS: dict[str, str] = {
    "sign": "#D55E00", "exponent": "#0072B2", "mantissa": "#009E73", "integer": "#009E73", "unsigned": "#009E73",
    "index": "#CC79A7",
}

def contrast_ratio(colour_a: str, colour_b: str) -> float:
    """WCAG 2 contrast ratio of two "#RRGGBB" colours: (L1 + 0.05) / (L2 + 0.05), L the relative
    luminance (sRGB channels linearised). Example: white on #0072B2 = 1.05 / (0.1525 + 0.05) ≈ 5.19."""
    def luminance(colour: str) -> float:
        rgb = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(colour_a), luminance(colour_b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def digit_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``: white digits on the orange sign
    bit were 3.9:1 and on the green mantissa 3.4:1, under WCAG's 4.5:1 for text of their size.
    Example: "#0072B2" (exponent) -> "#FFFFFF" (5.2:1); "#009E73" (mantissa) -> "#000000" (6.1:1)."""
    return max(("#FFFFFF", "#000000"), key=lambda text: contrast_ratio(text, background))


@dataclass(frozen=True)
class BitCell:
    """One bit of a code: ``position`` counts from the least significant bit (0)."""

    position: int
    bit: str
    role: str


def bit_cells(e: Explanation, kind: str, bits: int) -> list[BitCell]:
    """Cells most significant bit first, each with its role.

    Roles: float -> sign / exponent / mantissa; signed int -> sign / integer (two's complement);
    unsigned int -> unsigned (plain binary); table (nf4) -> index. Example: float8_e4m3fn code
    0x1D -> S=0, E=0011, M=101; uint4 code 0b1010 -> four "unsigned" bits, 10.
    """
    if kind == "float":
        roles = ["sign"] * len(e.sign_bit) + ["exponent"] * len(e.exponent_bits) + ["mantissa"] * len(e.mantissa_bits)
    elif kind == "int":
        value = "integer" if e.sign_bit else "unsigned"
        roles = ["sign"] * len(e.sign_bit) + [value] * (bits - len(e.sign_bit))
    else:
        roles = ["index"] * bits
    roles = (roles + ["index"] * bits)[:bits]
    return [BitCell(bits - 1 - j, e.bits[j], roles[j]) for j in range(bits)]


def walk_stored_text(fmt: Any, e: Explanation, lang: str) -> str | None:
    """The walk-through's last line: what a float format keeps of the number, and why.

    A normal value keeps M mantissa bits after the leading 1. A subnormal one has no leading 1: it
    is a whole multiple of the smallest subnormal 2^(1 - bias - M), so it keeps fewer bits.
    Example: 0.0015625 in float8_e4m3fn is 1.1001...×2^-10 but stored as 1.0×2^-9 = 2 × 2^-9
    (not 1.101×2^-10, which 3 mantissa bits alone would give). A number above the largest value
    that is stored as ±max says so (1e30 in E4M3: 448; -1000: -448). None for non-floats, 0, inf and NaN.
    """
    if fmt.kind != "float" or not math.isfinite(e.value) or e.value == 0:
        return None
    stored = walk(Fraction(e.value)).normalized_text(digits=fmt.mantissa_bits)
    if abs(e.x) > fmt.max and abs(e.value) == fmt.max:  # 1e30 in E4M3: the range, not the mantissa, decides
        return t("bits.walk_stored_max", lang, name=fmt.name, max=format_number(fmt.max),
                 signed_max=format_number(e.value), stored=stored)
    if e.cls == "subnormal":
        return t("bits.walk_stored_subnormal", lang, name=fmt.name, stored=stored,
                 step=format_number(fmt.smallest_subnormal), p=1 - fmt.bias - fmt.mantissa_bits)
    return t("bits.walk_stored", lang, name=fmt.name, m=fmt.mantissa_bits, stored=stored)


def overflow_help(fmt: Any, overflow: str, lang: str) -> str:
    """The overflow mode's help, plus, in saturate mode for a float format with no zero and no
    sign (E8M0), what becomes of 0 and negative numbers: its lowest value, 2^-127 (the ieee help
    already says that a cast gives NaN)."""
    text = t(f"bits.overflow_help_{overflow}", lang)
    if overflow == "saturate" and fmt is not None and fmt.kind == "float" and not fmt.signed:
        text += ("" if lang == "zh" else " ") + t("bits.overflow_help_unsigned", lang, name=fmt.name,
                                                 lowest=f"2^{-fmt.bias}")
    return text


def cast_quirk_note(fmt: Any, x: float, value: float, overflow: str, rounding: str, lang: str) -> str | None:
    """A note when the shown result ``value`` of ``x`` is an ml_dtypes quirk rather than plain
    rounding, else None. Both are E8M0's in "ieee" mode (ml_dtypes' cast) with nearest-even:

    * a number strictly between 2^-127 and 2^-126 stored as 2^-126, even 1.1 × 2^-127 (nearer
      2^-127, which "saturate" gives);
    * a positive number stored as NaN: it is 0 in float32, the cast's first step (1e-300, 2^-150).
    """
    lo = math.ldexp(1.0, -127)
    if fmt.name != "float8_e8m0fnu" or overflow != "ieee" or rounding != "nearest_even":
        return None
    if lo < x < 2 * lo and value == 2 * lo:
        return t("bits.note_e8m0_cast", lang)
    if x > 0 and math.isnan(value):
        return t("bits.note_e8m0_float32_zero", lang, x=short(x))
    return None


def overflow_note(fmt: Any, x: float, value: float, lang: str) -> str | None:
    """A note when a typed finite number lies beyond the format's range, naming what became of it:
    the value at the edge it is stored as (saturate, integers, NF4, and an IEEE cast that still
    rounds to max), or inf / NaN as a cast gives them. None inside the range.

    Example: 500 in float8_e4m3fn -> "500 lies beyond float8_e4m3fn's range (-448 to 448), so it is
    stored as 448 ..."; with overflow "ieee" -> "... as a cast, it becomes NaN (the format has no
    infinity)". NaN in a format without NaN (FP4, integers, NF4) says what it became instead.
    """
    if math.isnan(x) and not math.isnan(value):  # FP4, FP6, integers, NF4: no NaN code
        key = "bits.note_no_nan_neg_zero" if value == 0 and math.copysign(1.0, value) < 0 else "bits.note_no_nan"
        return t(key, lang, name=fmt.name, value=short(value))
    if not math.isfinite(x) or fmt.min <= x <= fmt.max:
        return None
    params = {"x": short(x), "name": fmt.name, "lo": short(fmt.min), "hi": short(fmt.max), "value": short(value)}
    if math.isnan(value):
        return t("bits.note_overflow_nan", lang, **params)
    return t("bits.note_overflow_inf" if math.isinf(value) else "bits.note_overflow", lang, **params)


def general_latex(fmt: Any, cls: str, lang: str = "en") -> str:
    """The format's value formula in LaTeX, for the class of the shown code.

    float normal: (-1)^s · 2^(e-bias) · (1 + m/2^M); subnormal/zero: (-1)^s · 2^(1-bias) · (0 + m/2^M);
    int: two's complement -b_{n-1}·2^{n-1} + Σ b_i 2^i; table: value = table[code] ("code" in ``lang``).
    Example: float8_e4m3fn, normal code -> x = (-1)^s × 2^(e-7) × (1 + m/2^3), in LaTeX.
    """
    if fmt.kind == "int":
        n = fmt.bits
        head = f"-b_{{{n - 1}}} \\cdot 2^{{{n - 1}}} + " if fmt.min < 0 else f"b_{{{n - 1}}} \\cdot 2^{{{n - 1}}} + "
        return f"x = {head}\\sum_{{i=0}}^{{{n - 2}}} b_i \\cdot 2^{{i}}"
    if fmt.kind != "float":
        return f"x = \\mathrm{{{fmt.name}}}[\\text{{{t('qb.word.code', lang)}}}]"
    sign = "(-1)^{s} \\times " if fmt.min < 0 else ""
    bias = fmt.bias
    if cls in ("subnormal", "zero") and fmt.mantissa_bits:
        return f"x = {sign}2^{{1-{bias}}} \\times \\left(0 + \\frac{{m}}{{2^{{{fmt.mantissa_bits}}}}}\\right)"
    if cls == "zero":  # no mantissa bit (custom E3M0): exponent field 0 is zero itself, not 2^(0-bias)
        return f"x = {sign}0 \\quad (e = 0)"
    frac = f" \\times \\left(1 + \\frac{{m}}{{2^{{{fmt.mantissa_bits}}}}}\\right)" if fmt.mantissa_bits else ""
    return f"x = {sign}2^{{e-{bias}}}{frac}"


def cell_rows(cells: list[BitCell], group: int = 8, row: int = 16) -> list[list[list[BitCell]]]:
    """Cells in rows of ``row``, each row split into groups of ``group`` (most significant first).

    A page lays a row out as side-by-side groups that may stack on a narrow screen, and a group as
    cells that never stack. Example: 32 cells -> 2 rows of 2 groups of 8; 13 -> 1 row [8, 5]; 4 -> [[4]].
    """
    groups = [cells[i:i + group] for i in range(0, len(cells), group)]
    per_row = max(row // group, 1)
    return [groups[i:i + per_row] for i in range(0, len(groups), per_row)]


def roles_used(cells: list[BitCell]) -> list[str]:
    """The distinct roles of ``cells`` in order of appearance: ["sign", "exponent", "mantissa"]."""
    return list(dict.fromkeys(c.role for c in cells))


def legend_html(labels: dict[str, str]) -> str:
    """A colour legend: one coloured square and label per role (``labels``: role -> text)."""
    items = "".join(
        f'<span style="display:inline-flex;align-items:center;margin-right:1.2em">'
        f'<span style="width:0.9em;height:0.9em;border-radius:2px;background:{ROLE_COLOURS[r]};'
        f'display:inline-block;margin-right:0.35em"></span>{html.escape(text)}</span>'
        for r, text in labels.items()
    )
    return f'<div style="font-size:0.9rem;opacity:0.85">{items}</div>'


def flip(code: int, position: int) -> int:
    """The code with one bit flipped: ``flip(0x1D, 7) == 0x9D`` (0.1015625 -> -0.1015625)."""
    return int(code) ^ (1 << position)


def bit_weight(fmt: Any, cell: BitCell) -> Fraction | None:
    """What bit ``cell`` is worth in its field; None for a float's sign bit (it only negates).

    float exponent bit k of the field (position M + k): 2^k in the stored exponent E;
    float mantissa bit k: 2^(k - M) of the significand 1.m (0.m for a subnormal);
    signed int: -2^(n-1) for the top bit (two's complement), else 2^k; unsigned int and table: 2^k.
    Example: float8_e4m3fn (M = 3) bit 6 -> 8 in E, bit 1 -> 1/4; int8 bit 7 -> -128, bit 3 -> 8.
    So for int8 the weights of the set bits add up to the value: 0b11010011 -> -128 + 64 + 16 + 2 + 1 = -45.
    """
    p = cell.position
    if cell.role == "sign" and fmt.kind != "int":
        return None
    if cell.role in ("exponent", "mantissa"):  # exponent bit k sits at M + k; mantissa bit k at k
        return Fraction(2) ** (p - fmt.mantissa_bits)
    if cell.role == "sign":  # two's complement: the top bit counts -2^(n-1)
        return -Fraction(2) ** p
    return Fraction(2) ** p


def power_of_two_text(k: int, limit: int = 16) -> str:
    """2^k with its exact decimal when that has at most ``limit`` characters, else with 7 digits.

    Example: 3 -> "2^3 = 8", -2 -> "2^-2 = 0.25", -23 -> "2^-23 ≈ 1.192093e-07" (exactly
    0.00000011920928955078125, 24 characters).
    """
    text = terminating_decimal(Fraction(2) ** k)
    assert text is not None  # a power of two always terminates
    return f"2^{k} = {text}" if len(text) <= limit else f"2^{k} ≈ {2.0**k:.7g}"


def _exponent_scale(bias: int) -> str:
    """What a normal value scales by for a stored exponent E: "2^(E - 7)", "2^E" (bias 0), "2^(E + 2)"."""
    if bias == 0:
        return "2^E"
    return f"2^(E - {bias})" if bias > 0 else f"2^(E + {-bias})"


def bit_help(fmt: Any, cell: BitCell, lang: str) -> str:
    """Hover text of one bit button: which bit, its role, and what it is worth (bit_weight).

    Example (float8_e4m3fn: 1 sign, 4 exponent, 3 mantissa bits, bias 7): bit 7 -> "Bit 7: sign
    (1 = negative). Click to flip."; bit 6 -> "Bit 6: exponent, weight 8 in the stored exponent E
    (normal values scale by 2^(E - 7)). Click to flip."; bit 1 -> "Bit 1: mantissa, weight
    2^-2 = 0.25 of the significand. Click to flip.". int8 bit 7 -> "... sign, weight -128 (two's
    complement) ..."; nf4 bit 2 -> "... index bit, weight 2^2 = 4 in the code ...". The fnuz sign bit
    also names the single NaN code (0x80), E8M0's exponent bits the NaN field (E = 255).
    """
    p, weight = cell.position, bit_weight(fmt, cell)
    hexw = (fmt.bits + 3) // 4
    if fmt.kind == "float" and cell.role == "sign":
        if fmt.specials == "fnuz":
            return t("bits.help_sign_fnuz", lang, bit=p, nan=f"0x{fmt.nan_code:0{hexw}X}")
        return t("bits.help_sign", lang, bit=p)
    k = _log2(abs(weight))
    if cell.role == "exponent" and not fmt.signed:  # E8M0: the value is the power of two itself
        return t("bits.help_exponent_only", lang, bit=p, weight=int(weight), scale=_exponent_scale(fmt.bias),
                 nan_field=fmt.nan_code)
    if cell.role == "exponent":
        return t("bits.help_exponent", lang, bit=p, weight=int(weight), scale=_exponent_scale(fmt.bias))
    if cell.role == "mantissa":
        return t("bits.help_mantissa", lang, bit=p, weight=power_of_two_text(k))
    if cell.role == "sign":
        return t("bits.help_int_sign", lang, bit=p, weight=int(weight))
    if cell.role in ("integer", "unsigned"):
        return t("bits.help_value", lang, bit=p, weight=power_of_two_text(k))
    key = "bits.help_index_sign" if getattr(fmt, "sign_bit_index", None) == p else "bits.help_index"
    return t(key, lang, bit=p, weight=power_of_two_text(k), count=1 << fmt.bits, name=fmt.name)


@dataclass(frozen=True)
class Flip:
    """The last bit flip on the page: which format, the code before, and the bit (position from 0)."""

    format_name: str
    old: int
    position: int

    @property
    def new(self) -> int:
        return flip(self.old, self.position)


def _is_power_of_two(r: Fraction) -> bool:
    """True for 2^k with any whole k (1/256, 1, 256), False for 0, negatives and anything else."""
    return r > 0 and not r.numerator & (r.numerator - 1) and not r.denominator & (r.denominator - 1)


def _log2(r: Fraction) -> int:
    """k of a power of two r = 2^k: 256 -> 8, 1/256 -> -8."""
    return r.numerator.bit_length() - r.denominator.bit_length()


def _magnitude_text(m: Fraction, limit: int = 24) -> str:
    """A non-negative dyadic number exactly when its decimal has at most ``limit`` characters, else as
    2^k when it is a power of two, else "≈" and 10 digits. 0.125 -> "0.125", 2^-64 -> "2^-64"."""
    text = terminating_decimal(m)  # a dyadic number always terminates
    if text is not None and len(text) <= limit:
        return text
    return f"2^{_log2(m)}" if _is_power_of_two(m) else f"≈{float(m):.10g}"


def flip_value_text(v: float) -> str:
    """A value in a flip line, exact where it is short (see _magnitude_text); the sign kept.

    Example: 256.0 -> "256", -0.0 -> "-0", 2^-64 -> "2^-64", float32's 0.1
    (0.100000001490116119384765625) -> "≈0.1000000015", NaN -> "NaN".
    """
    special = special_text(v)
    if special is not None:
        return special
    text = _magnitude_text(abs(Fraction(v)))
    return text if v > 0 else (f"≈-{text[1:]}" if text.startswith("≈") else f"-{text}")


def _factor_text(r: Fraction) -> str | None:
    """A ratio that is a power of two as "2^8 = 256", "2^-8 = 1/256", or "2^64" (|k| > 16); else None."""
    if not _is_power_of_two(r):
        return None
    k = _log2(r)
    return f"2^{k}" if abs(k) > 16 else f"2^{k} = {r}"


def _delta_text(d: Fraction) -> str:
    """A signed exact difference: "+0.125", "-128", "+2^-23"; "≈+…" with 10 digits when long and not 2^k."""
    sign, text = "-" if d < 0 else "+", _magnitude_text(abs(d))
    return f"≈{sign}{text[1:]}" if text.startswith("≈") else f"{sign}{text}"


def flip_text(fmt: Any, old: int, position: int, lang: str) -> str:
    """One line saying what flipping bit ``position`` of code ``old`` did to the value.

    Floats: NaN before or after, or a sign flip, or infinity before or after, are named as such;
    otherwise a power-of-two ratio (an exponent bit) is shown as "× 2^k", any other change (a
    mantissa bit, crossing into the subnormals, from or to zero) as the exact difference new - old.
    Integers always show the difference, which is the bit's weight: int8 0x40 (64) -> 0xC0 (-64) is
    "-128", two's complement, not a sign flip. Table codes (nf4) just pick another value, unless the
    bit is bnb_fp4's sign bit.
    Example: float8_e4m3fn 0x38 (1), bit 6 -> 0x78 (256):
    "Flipped bit 6: 0x38 (1) → 0x78 (256), × 2^8 = 256."; bit 0 -> 0x39 (1.125): "..., a change of +0.125.";
    bit 7 -> 0xB8: "Flipped bit 7: sign flipped, 0x38 (1) → 0xB8 (-1).".
    """
    new = flip(old, position)
    a, b = (float(fmt.decode(c)) for c in (old, new))
    texts = [flip_value_text(a), flip_value_text(b)]
    if any("≈" in x for x in texts):  # one in 10 digits: the other too (NF4 printed 22 digits beside 10),
        # but not NaN, inf or 0, which are exact as they are ("≈nan" beside a bfloat16 value)
        texts = [x if "≈" in x or "^" in x or special_text(v) else _ten_digits(v) for x, v in zip(texts, (a, b))]

    def shown(c: int, text: str) -> str:  # "0x38 (1)"
        return t("bits.flip_code", lang, code=format_code(c, fmt.bits)[0], value=text)

    params = {"bit": position, "old": shown(old, texts[0]), "new": shown(new, texts[1])}
    if math.isnan(a) or math.isnan(b):
        case = "nan_nan" if math.isnan(a) and math.isnan(b) else "from_nan" if math.isnan(a) else "to_nan"
        return t(f"bits.flip_{case}", lang, **params)
    if fmt.kind != "int" and a == -b and math.copysign(1.0, a) != math.copysign(1.0, b):
        return t("bits.flip_sign", lang, **params)
    if math.isinf(a) or math.isinf(b):
        return t("bits.flip_from_inf" if math.isinf(a) else "bits.flip_to_inf", lang, **params)
    if fmt.kind == "table":
        return t("bits.flip_table", lang, **params)
    factor = _factor_text(Fraction(b) / Fraction(a)) if a and b and fmt.kind == "float" else None
    if factor is not None:
        return t("bits.flip_ratio", lang, factor=factor, **params)
    return t("bits.flip_delta", lang, delta=_delta_text(Fraction(b) - Fraction(a)), **params)


def _ten_digits(v: float) -> str:
    """v in 10 significant digits, "≈" when that is not exact: 0.4407098293304443 -> "≈0.4407098293", 0.5 -> "0.5"."""
    text = f"{v:.10g}"
    return text if float(text) == v else f"≈{text}"


def flip_note(fmt: Any, code: int | None, last: Flip | None, lang: str) -> str | None:
    """flip_text of the last flip while the page still shows its result: the same format and the
    flipped code; None once a number was typed (``code`` None), another code or another format.

    Example: Flip("float8_e4m3fn", 0x38, 6) with code 0x78 in float8_e4m3fn -> "Flipped bit 6: ...";
    with code 0x79, or in float16 -> None.
    """
    if last is None or code is None or last.format_name != fmt.name or last.new != code:
        return None
    return flip_text(fmt, last.old, last.position, lang)


def grouped_bits(e: Explanation) -> str:
    """Bit string with a space between fields: "0 0011 101"."""
    parts = [p for p in (e.sign_bit, e.exponent_bits, e.mantissa_bits) if p]
    joined = "".join(parts)
    return " ".join(parts) if joined == e.bits else e.bits


def cells_css(cells: list[BitCell], key_prefix: str = "bits_bit_") -> str:
    """CSS colouring each bit button (Streamlit gives a keyed element the class ``st-key-<key>``)."""
    rules = []
    for c in cells:
        sel = f".st-key-{key_prefix}{c.position} button"
        colour = ROLE_COLOURS[c.role]
        text = digit_colour(colour)
        states = ", ".join(f"{sel}{state}" for state in ("", ":hover", ":focus", ":focus-visible", ":active"))
        rules.append(
            f"{states} {{background:{colour} !important;color:{text} !important;border:2px solid {colour} !important;"
            f"font-family:monospace;font-weight:700;min-width:0;min-height:2.6rem;padding:0.2rem 0;"
            f"border-radius:0.3rem;}}"
            f"{sel}:hover {{filter:brightness(1.15);box-shadow:0 0 0 2px #000 inset;}}"
            f"{sel}:focus-visible {{outline:3px solid #000 !important;outline-offset:2px;}}"  # a keyboard's place
            f"{sel} p {{font-size:1.15rem;color:{text} !important;}}"
        )
    return "<style>" + "".join(rules) + "</style>"


def metrics_css(key: str) -> str:
    """CSS for the metrics inside the container keyed ``key``: a smaller value font, and values and
    labels that wrap instead of ending in "…" (Streamlit cuts a metric at its box width, which turned
    "-1.401298464e-45" into "-1.401298464e…" at 1400 px)."""
    box = ", ".join(f".st-key-{key} [data-testid='{part}'] [data-testid='stMarkdownContainer']{inner}"
                    for part in ("stMetricValue", "stMetricLabel") for inner in ("", " p"))
    return (f"<style>{box} {{white-space:normal !important;overflow:visible !important;"
            f"overflow-wrap:normal;text-overflow:clip !important;}}"
            f".st-key-{key} [data-testid='stMetricValue'] {{font-size:clamp(1.05rem, 1.8vw, 1.6rem);line-height:1.25;}}</style>")


def table_css(key: str) -> str:
    """CSS for the static table inside the container keyed ``key``, so it fits a projector (1024 px).

    Chinese words stay whole (``word-break:keep-all``: "正规数", not 正/规/数 one per line), and the
    last column (code and bits: float32's mantissa is 23 digits without a break point) may wrap
    anywhere instead of being pushed out of sight.
    """
    cell = f".st-key-{key} [data-testid='stTableStyledTable']"
    return (f"<style>{cell} th, {cell} td, {cell} th p, {cell} td p {{word-break:keep-all;}}"
            f"{cell} td:last-child p {{overflow-wrap:anywhere;min-width:7em;}}</style>")


def fraction_text(v: float, max_digits: int = 12) -> str:
    """The stored value as a short fraction, or "" when long or whole: 0.1015625 -> "13/128"."""
    if not math.isfinite(v) or v == int(v):
        return ""
    f = Fraction(v)
    text = f"{f.numerator}/{f.denominator}"
    return text if len(text) <= 2 * max_digits else ""


def exact_decimal(v: float) -> str:
    """Every digit of a float's exact value (floats are dyadic, so it terminates).

    Example: ``exact_decimal(0.1) == "0.1000000000000000055511151231257827021181583404541015625"``.
    """
    special = special_text(v)
    if special is not None:
        return special
    d = Decimal(v)
    text = format(d, "f")
    return text if len(text) <= 80 else str(d).replace("E", "e")  # 5.87...e-39, as every other number here


def typed_text(parsed: Any) -> str:
    """How the typed number reads exactly: "= `1/10`" for 0.1, "≈ `3.141592653589793`" for pi,
    "= `-0`" for -0.0 (a zero keeps its sign)."""
    if parsed.exact is None:  # inf, nan: "-nan" keeps its sign bit (repr drops it)
        v = parsed.value
        text = "-nan" if math.isnan(v) and math.copysign(1.0, v) < 0 else repr(v)
        return "" if text == parsed.text.strip().lower() else f"= `{text}`"  # no "nan = nan"
    if parsed.approximate:
        return f"≈ `{parsed.value!r}`"
    if fraction_too_long(parsed.exact, 40):  # 1e-45 = 1/10^45: what was typed is exact already (errors
        return ""  # use it, not float64); 1.0001^2000 has 8,000-digit terms, which str() refuses
    text = "-0" if parsed.exact == 0 and math.copysign(1.0, parsed.value) < 0 else str(parsed.exact)
    if text == parsed.text.strip() or len(text) > 40:
        return ""
    return f"= `{text}`"


def exact_errors(exact: Fraction | None, value: float) -> tuple[Fraction | None, Fraction | None]:
    """Exact (absolute, relative) error of storing ``exact`` as ``value``; None where undefined.

    Example: exact 1/10 stored as 0.1015625 -> (1/640, 1/64).
    """
    if exact is None or not math.isfinite(value):
        return None, None
    abs_err = abs(Fraction(value) - exact)
    rel_err = abs_err / abs(exact) if exact != 0 else None
    return abs_err, rel_err


def short(v: float | Fraction | None, digits: int = 7) -> str:
    """A number in ``digits`` significant digits ("—" for None)."""
    if v is None:
        return "—"
    return f"{float(v):.{digits}g}"


def exact_help(v: float | Fraction | None, lang: str, limit: int = 60) -> str | None:
    """Hover text with every digit of an exact error when ``short`` rounds it, else None.

    A terminating fraction is written out in full, any other as p/q; longer than ``limit``
    characters: None. Example: ``Fraction("0.0624999999999999")`` shows as "0.0625" and gets
    "Exactly 0.0624999999999999"; ``Fraction(1, 640)`` ("0.0015625") gets None.
    """
    if not isinstance(v, Fraction) or fraction_too_long(v, limit):
        return None
    text = terminating_decimal(v, limit) or f"{v.numerator}/{v.denominator}"
    if len(text) > limit or Fraction(short(v)) == v:
        return None
    return t("bits.exact_help", lang, value=text)


def min_digits(n: int) -> int:
    """A lower bound on the decimal digits of |n| from its bit length alone (no str(), which Python
    refuses past 4,300 digits): floor((bits - 1)·log10 2) + 1. Example: 999 (10 bits) -> 3; 2^100 -> 31."""
    bits = abs(n).bit_length()
    return 1 if bits <= 1 else math.floor((bits - 1) * math.log10(2)) + 1


def fraction_too_long(v: Fraction, chars: int) -> bool:
    """True when writing ``v`` out (as p/q, or every digit) surely takes more than ``chars``
    characters: 1.0001^2000 typed on Bits is p/q of about 8,000 digits each, and its str() raised."""
    return min_digits(v.numerator) + min_digits(v.denominator) - 1 > chars


def terminating_decimal(v: Fraction, max_chars: int = 2000) -> str | None:
    """Every digit of a fraction whose denominator is 2^a·5^b, else None; None too when that
    would take more than ``max_chars`` characters.

    With k = max(a, b), v = m / 10^k for the whole number m = v·10^k. Example: 3/16 -> "0.1875".
    """
    a = (v.denominator & -v.denominator).bit_length() - 1  # the factors 2, at once
    den, b = v.denominator >> a, 0
    if a > max_chars or den.bit_length() > max_chars * math.log2(5) + 1:  # k = max(a, b) > max_chars:
        return None  # too long, and dividing a 26,000-bit 10^8000 by 5 8,000 times took 0.3 s a call
    while den % 5 == 0:
        den, b = den // 5, b + 1
    if den != 1:
        return None
    k = max(a, b)
    if k + min_digits(v.numerator) - min_digits(v.denominator) > max_chars:  # m has at least that many digits
        return None
    digits = str(abs(v.numerator) * 10**k // v.denominator).rjust(k + 1, "0")
    text = digits if k == 0 else f"{digits[:-k]}.{digits[-k:]}".rstrip("0").rstrip(".")
    return f"-{text}" if v < 0 else text


def metric_text(v: float, digits: int = 10) -> str:
    """A value for a narrow metric box: exact text when short, else ``digits`` significant digits.

    Example: ``metric_text(0.1015625) == "0.1015625"``, ``metric_text(3.1415927410125732) == "3.141592741"``.
    """
    text = format_number(v)
    return text if len(text) <= digits + 3 else f"{v:.{digits}g}"


def ulp(value: float, below: float, above: float) -> float:
    """Gap from the stored value to the next one away from zero, so ulp(-x) = ulp(x) as in
    Python's math.ulp; at the end of the range (no finite value further out) the gap to the one
    nearer zero. Zero (either sign) takes the gap to the value above.

    Example: float8_e4m3fn 1.0 and -1.0 -> 0.125 (not 0.0625, the gap below 1); 448 -> 32.
    """
    away, toward = (below, above) if value < 0 else (above, below)
    if math.isfinite(away) and math.isfinite(value):
        return abs(away - value)
    if math.isfinite(toward) and math.isfinite(value):
        return abs(value - toward)
    return math.nan


@dataclass(frozen=True)
class Neighbours:
    """What the page shows about the values next to a stored value: metric texts and the ULP's label key."""

    below: str
    above: str
    ulp: str
    ulp_key: str


def neighbours(fmt: Any, value: float, lang: str) -> Neighbours:
    """The neighbours of a stored value, with "none" where there is no finite neighbour.

    Beyond ±max a format with inf (IEEE: float16, float8_e5m2, ...) shows ±inf, the value an IEEE
    cast rounds up to there; a format without inf shows "none". The ULP is the gap to the next
    value away from zero (see ulp); at either end of the range (no finite value further out) it is
    the gap to the value nearer zero, under the label ``bits.ulp_below``; "none" for inf and NaN.

    Example: float16 65504 -> below "65472", above "inf", ULP "32" (gap to the value below);
    int8 -128 -> below "none", above "-127", ULP "1" (gap to the value nearer zero); float8_e4m3fn
    -1 -> ULP "0.125", the gap to -1.125, as for +1.
    """
    none = t("bits.card_none", lang)
    if math.isnan(value):
        return Neighbours(none, none, none, "bits.ulp")
    below, above = fmt.neighbors(value)
    has_inf = bool(getattr(fmt, "has_inf", False))

    def text(v: float, beyond: float) -> str:
        if not math.isnan(v):
            return metric_text(v)
        return metric_text(beyond) if has_inf and math.isfinite(value) else none

    gap = ulp(value, below, above)
    return Neighbours(text(below, -math.inf), text(above, math.inf),
                      none if math.isnan(gap) else metric_text(gap),
                      "bits.ulp_below" if math.isnan(below if value < 0 else above) and not math.isnan(gap)
                      else "bits.ulp")


def _specials(fmt: Any) -> dict[str, str]:
    """Text for inf / NaN / -0 of a format: the code pattern, or "none"."""
    out: dict[str, str] = {}
    bits = fmt.bits
    hexw = (bits + 3) // 4
    if fmt.kind != "float":
        return {"inf": "—", "nan": "—", "negzero": "—"}
    inf_code = int(fmt.encode(np.inf, overflow="ieee"))
    out["inf"] = f"0x{inf_code:0{hexw}X}" if math.isinf(float(fmt.decode(inf_code))) else ""
    nan_code = int(fmt.encode(np.nan, overflow="ieee"))
    nan_ok = math.isnan(float(fmt.decode(nan_code)))
    out["nan"] = f"0x{nan_code:0{hexw}X} ({fmt.nan_count:,})" if nan_ok else ""
    nz_code = int(fmt.encode(-0.0))
    nz = float(fmt.decode(nz_code))
    out["negzero"] = f"0x{nz_code:0{hexw}X}" if nz == 0 and math.copysign(1.0, nz) < 0 else ""
    return out


def _pow2(v: float) -> str:
    """A power of two with its exponent: "=" before its exact decimal when that is short, else "≈"
    before 9 digits: ``_pow2(0.125) == "0.125 = 2^-3"``, ``_pow2(2**-13) == "0.0001220703125 = 2^-13"``,
    ``_pow2(2**-126) == "2^-126 ≈ 1.17549435e-38"`` (it was "1.17549435e-38 = 2^-126")."""
    k = round(math.log2(v))
    exact = exact_decimal(v)
    if len(exact) <= 20:
        return f"{exact} = 2^{k}"
    return f"2^{k} ≈ {short(v, 9)}"


def format_card(fmt: Any, lang: str) -> list[dict[str, str]]:
    """Rows (property, value) of a format's card: bits, bias, max, smallest normal/subnormal, eps,
    inf / NaN / -0 codes ("none" when the format has none) and the count of distinct finite values.

    Example: float8_e4m3fn -> 8 bits, E4 M3, bias 7, max 448, NaN 0x7F (2 codes), no inf, 253 values.
    """
    none = t("bits.card_none", lang)
    rows = [("bits.card_bits", str(fmt.bits) if fmt.storage_bits == fmt.bits
             else t("bits.card_bits_stored", lang, bits=fmt.bits, storage=fmt.storage_bits))]
    if fmt.kind == "float":
        rows += [("bits.card_layout", f"1 / {fmt.exponent_bits} / {fmt.mantissa_bits}" if fmt.min < 0
                  else f"0 / {fmt.exponent_bits} / {fmt.mantissa_bits}"),
                 ("bits.card_bias", str(fmt.bias))]
    rows += [("bits.card_max", short(fmt.max, 9)),  # "most negative" beside the smallest normal's magnitude
             ("bits.card_min" if fmt.min < 0 else "bits.card_min_unsigned", short(fmt.min, 9))]
    if fmt.kind == "float":
        signed = getattr(fmt, "signed", True)  # E8M0 has powers of two, no "normal" numbers (正规数)
        rows += [("bits.card_smallest_normal" if signed else "bits.card_smallest_power", _pow2(fmt.smallest_normal)),
                 ("bits.card_smallest_subnormal",  # no mantissa bit (E8M0): no subnormals
                  _pow2(fmt.smallest_subnormal) if fmt.mantissa_bits else none),
                 ("bits.card_eps", t("bits.card_eps_none", lang) if math.isnan(fmt.eps) else _pow2(fmt.eps))]
    sp = _specials(fmt)
    rows += [("bits.card_inf", sp["inf"] or none), ("bits.card_nan", sp["nan"] or none),
             ("bits.card_negzero", sp["negzero"] or none),
             ("bits.card_count", f"{grid_points(fmt).total:,}")]
    return [{t("bits.col_property", lang): t(k, lang), t("bits.col_value", lang): v} for k, v in rows]


def format_about(fmt: Any, lang: str, custom: bool = False) -> str:
    """The "About this format" text: what the name means, where the format comes from, what sets it apart.

    A built-in format gets its own text (``fmt.about.<name>`` in lib/strings/fmt_about.py); with
    ``custom`` (chosen on the page from E, M and a special-values rule) it is first named as the
    built-in it turns out to be. Any other signed float (a custom ExMy) has its name taken apart
    from its fields and its rule explained; anything else gets a short generic line.

    Example: float8_e4m3fnuz -> "E4M3 with the “fnuz” rules: f = finite (no inf), ..."; a custom
    E3 M3 "fnuz" -> "float7_e3m3fnuz is the format you built: ... exponent bias 4. “fnuz”: ...".
    """
    name = getattr(fmt, "name", "")
    key = f"fmt.about.{name}"
    if key in STRINGS and REGISTRY.get(name) == fmt:
        about = t(key, lang)
        if custom and fmt.kind == "float":
            usual = default_bias(fmt.exponent_bits, fmt.specials)
            bias = "" if fmt.bias == usual else t("fmt.about.custom_builtin_bias", lang, bias=fmt.bias)
            return t("fmt.about.custom_builtin", lang, e=fmt.exponent_bits, m=fmt.mantissa_bits,
                     rule=fmt.specials, bias=bias, name=name, about=about)
        return about
    if getattr(fmt, "kind", None) == "float" and fmt.signed:
        return _custom_about(fmt, lang)
    return t("fmt.about.unknown", lang, name=name or "?", bits=getattr(fmt, "bits", "?"))


def _custom_about(fmt: Any, lang: str) -> str:
    """The about text of a custom signed ExMy float, named "float{bits}_e{E}m{M}{suffix}[_b{bias}]"
    by lib.formats.float_format: every part of the name, then the special-values rule with the max."""
    hexw = (fmt.bits + 3) // 4
    rule = t(f"fmt.about.custom_rule_{fmt.specials}", lang, max=short(fmt.max, 9),
             nan=f"0x{fmt.nan_code:0{hexw}X}" if fmt.specials == "fnuz" else "")
    usual = default_bias(fmt.exponent_bits, fmt.specials)
    if fmt.bias != usual:
        rule += ("" if lang == "zh" else " ") + t("fmt.about.custom_bias", lang, bias=fmt.bias, usual=usual)
    return t("fmt.about.custom", lang, name=fmt.name, bits=fmt.bits, e=fmt.exponent_bits, m=fmt.mantissa_bits,
             bias=fmt.bias, rule=rule)


def class_text(fmt: Any, cls: str, lang: str) -> str:
    """The class of a code of ``fmt`` in words. "normal" and "subnormal" are float terms: a nonzero
    integer is an "integer", a nonzero NF4 code a "table value", and an E8M0 code (no sign, no
    mantissa: every code but NaN is 2^(code - 127)) a "power of two", not a normal number (正规数).
    Example: (float8_e8m0fnu, "normal", "zh") -> "2 的幂"."""
    if cls == "normal" and fmt.kind != "float":
        return t("bits.class_integer" if fmt.kind == "int" else "bits.class_table", lang)
    if cls == "normal" and not getattr(fmt, "signed", True):
        return t("bits.class_power_of_two", lang)
    return t(f"bits.class_{cls}", lang)


def all_formats_rows(x: float, exact: Fraction | None, formats: list[Any], overflow: str, rounding: str,
                     lang: str) -> list[dict[str, Any]]:
    """The same number in every format: stored value, errors, class, and the code with its bits.

    Example row for 0.1 in float8_e4m3fn: stored 0.1015625, abs error 0.0015625, rel 0.015625,
    code "0x1D = 0 0011 101" (hex and bits share one column, so the table fits 1024 px with the sidebar).
    """
    rows = []
    for fmt in formats:
        e = fmt.explain(x, overflow=overflow, rounding=rounding, exact=exact)
        abs_err, rel_err = shown_errors(exact, True, e)
        rows.append({
            t("bits.col_format", lang): fmt.name,
            t("bits.col_stored", lang): short(e.value, 10) if math.isfinite(e.value) else exact_decimal(e.value),
            t("bits.col_abs_error", lang): short(abs_err, 4),
            t("bits.col_rel_error", lang): short(rel_err, 4),
            t("bits.col_class", lang): class_text(fmt, e.cls, lang),
            t("bits.col_code_bits", lang): f"0x{e.code:0{(fmt.bits + 3) // 4}X} = {grouped_bits(e)}",
        })
    return rows


def walk_rows(steps: tuple[Any, ...], lang: str, integer: bool) -> list[dict[str, str]]:
    """Table rows of the decimal -> binary walk (see lib.binary_walk)."""
    if integer:
        return [{t("bits.walk_col_step", lang): f"{s.dividend} ÷ 2", t("bits.walk_col_result", lang):
                 f"{s.quotient} {t('bits.walk_remainder', lang)} {s.remainder}", t("bits.walk_col_bit", lang):
                 str(s.remainder)} for s in steps]
    return [{t("bits.walk_col_step", lang): f"{_frac(s.fraction)} × 2", t("bits.walk_col_result", lang):
             f"{_frac(s.product)}", t("bits.walk_col_bit", lang): str(s.bit)} for s in steps]


def shown_errors(exact: Fraction | None, typed: bool, e: Explanation) -> tuple[Any, Any]:
    """(absolute, relative) error to show; None ("—") where it is undefined.

    A typed finite number: exact rationals, or inf when it is stored as ±inf (65520 in float16 with
    IEEE overflow). A typed ±inf: explain's float errors (inf when saturated to ±max, 0 when stored
    as the same inf). NaN typed or stored: None. A code: None, as there is no number it was
    rounded from (a flipped bit showed "0" error for the new value); error_help says so.
    """
    def defined(v: float) -> float | None:
        return None if math.isnan(v) else v

    if not typed:
        return None, None
    if exact is not None:
        return (math.inf, math.inf) if math.isinf(e.value) else exact_errors(exact, e.value)
    return defined(e.abs_error), defined(e.rel_error)


def error_help(err: Any, typed: bool, lang: str) -> str | None:
    """Hover help of an error metric: its exact value (exact_help) for a typed number; for a code,
    why there is none."""
    return exact_help(err, lang) if typed else t("bits.error_code_help", lang)


def repeat_text(steps: tuple[Any, ...], start: int | None) -> str:
    """The fraction at which a doubling walk starts repeating ("0.2" for 0.1), "" when none."""
    return _frac(steps[start].fraction) if start is not None and start < len(steps) else ""


def _frac(f: Fraction) -> str:
    """A fraction as a decimal when it terminates within 12 digits, else as p/q."""
    text = terminating_decimal(f, 14)
    if text is not None and len(text) <= 14:
        return text
    short = f.denominator < 10**12 and abs(f.numerator) < 10**12  # (1.0001^2000: 8,000-digit terms)
    return f"{f.numerator}/{f.denominator}" if short else f"{float(f):.12g}…"
