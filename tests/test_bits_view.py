"""lib/bits_view.py: what the Bits page shows next to the stored value (neighbours, ULP)."""

import math
from fractions import Fraction
import re

import pytest

from lib import bits_view as bv
from lib.formats import get_format
from lib.i18n import t


@pytest.mark.parametrize(("fmt", "value", "below", "above", "ulp", "ulp_key"), [
    ("int4", 7, "6", "none", "1", "bits.ulp_below"),  # no int4 above 7, and integers have no inf
    ("int8", -128, "none", "-127", "1", "bits.ulp_below"),  # the bottom end: no int8 further from zero
    ("uint8", 0, "none", "1", "1", "bits.ulp"),
    ("float4_e2m1fn", 6, "4", "none", "2", "bits.ulp_below"),  # no inf, no NaN
    ("float8_e4m3fn", 448, "416", "none", "32", "bits.ulp_below"),  # NaN but no inf
    ("float8_e4m3fnuz", 240, "224", "none", "16", "bits.ulp_below"),
    ("float16", 65504, "65472", "inf", "32", "bits.ulp_below"),  # IEEE: inf is next above max
    ("float16", -65504, "-inf", "-65472", "32", "bits.ulp_below"),
    ("float8_e4m3fn", 1.0, "0.9375", "1.125", "0.125", "bits.ulp"),  # ulp(-x) = ulp(x): the gap away from 0
    ("float8_e4m3fn", -1.0, "-1.125", "-0.9375", "0.125", "bits.ulp"),
    ("float8_e4m3fn", -0.0, "-0.001953125", "0.001953125", "0.001953125", "bits.ulp"),
    ("float16", math.inf, "65504", "none", "none", "bits.ulp"),
    ("float16", math.nan, "none", "none", "none", "bits.ulp"),
    ("float8_e4m3fn", 0.1015625, "0.09375", "0.109375", "0.0078125", "bits.ulp"),
])
def test_neighbours_at_the_ends_of_the_range(fmt, value, below, above, ulp, ulp_key):
    near = bv.neighbours(get_format(fmt), value, "en")
    assert (near.below, near.above, near.ulp, near.ulp_key) == (below, above, ulp, ulp_key)
    assert "NaN" not in (near.below, near.above, near.ulp)


def test_neighbours_none_is_translated():
    near = bv.neighbours(get_format("int4"), 7, "zh")
    assert near.above == t("bits.card_none", "zh") == "无"


def test_metrics_css_wraps_values_of_its_container_only():
    css = bv.metrics_css("bits_values")
    assert css.startswith("<style>") and css.endswith("</style>")
    assert ".st-key-bits_values [data-testid='stMetricValue']" in css
    assert "white-space:normal" in css and "text-overflow:clip" in css
    selectors = [sel for rule in re.findall(r"([^{}]+)\{", css.removeprefix("<style>")) for sel in rule.split(",")]
    assert selectors and all(sel.strip().startswith(".st-key-bits_values ") for sel in selectors)  # scoped


def test_table_css_keeps_words_whole_and_lets_only_the_bits_wrap():
    css = bv.table_css("bits_all")
    assert "word-break:keep-all" in css  # 正规数 on one line
    assert "td:last-child p {overflow-wrap:anywhere" in css  # the bit string may break anywhere
    selectors = [sel for rule in re.findall(r"([^{}]+)\{", css.removeprefix("<style>")) for sel in rule.split(",")]
    assert selectors and all(sel.strip().startswith(".st-key-bits_all ") for sel in selectors)  # scoped


@pytest.mark.parametrize(("fmt", "shape"), [
    ("float32", [[8, 8], [8, 8]]),  # a wide screen: 2 rows of 16; a phone: 4 rows of 8
    ("float16", [[8, 8]]), ("float8_e4m3fn", [[8]]), ("int4", [[4]]),
])
def test_cell_rows_are_bytes_most_significant_first(fmt, shape):
    f = get_format(fmt)
    cells = bv.bit_cells(f.explain(1.0), f.kind, f.bits)
    rows = bv.cell_rows(cells, 8, 16)
    assert [[len(group) for group in row] for row in rows] == shape
    assert [c.position for row in rows for group in row for c in group] == list(range(f.bits - 1, -1, -1))


@pytest.mark.parametrize(("fmt", "code", "roles"), [
    ("int8", 10, ["sign"] + ["integer"] * 7), ("uint8", 200, ["unsigned"] * 8),
    ("uint4", 10, ["unsigned"] * 4), ("int4", 3, ["sign", "integer", "integer", "integer"]),
])
def test_unsigned_integers_are_not_labelled_twos_complement(fmt, code, roles):
    f = get_format(fmt)
    cells = bv.bit_cells(f.explain(float(code)), f.kind, f.bits)
    assert [c.role for c in cells] == roles
    labels = {r: t(f"bits.role_{r}", "en") for r in bv.roles_used(cells)}
    assert ("two's complement" in " ".join(labels.values())) == fmt.startswith("int")
    assert "unsigned binary" in labels.get("unsigned", "unsigned binary")


def test_cell_rows_of_a_13_bit_format():
    cells = bv.bit_cells(get_format("float16").explain(1.0), "float", 16)[:13]
    assert [[len(g) for g in row] for row in bv.cell_rows(cells)] == [[8, 5]]



@pytest.mark.parametrize(("v", "text"), [
    (Fraction(3, 16), "0.1875"), (Fraction(-1, 640), "-0.0015625"), (Fraction(5), "5"),
    (Fraction("0.0624999999999999"), "0.0624999999999999"), (Fraction(1, 3), None), (Fraction(0), "0"),
    (Fraction(1, 2**60), "0.000000000000000000867361737988403547205962240695953369140625"),
])
def test_terminating_decimal(v, text):
    assert bv.terminating_decimal(v) == text
    if text is not None:
        assert Fraction(text) == v


def test_exact_help_only_when_the_box_rounds():
    assert bv.exact_help(Fraction("0.0624999999999999"), "en") == \
        "Exactly 0.0624999999999999 (the box rounds to 7 significant digits)."
    assert bv.exact_help(Fraction(1, 3), "zh") == "精确值：1/3（框中显示的值已舍入到 7 位有效数字）。"
    assert bv.exact_help(Fraction(1, 640), "en") is None      # "0.0015625" is already exact
    assert bv.exact_help(0.5, "en") is None and bv.exact_help(None, "en") is None
    assert bv.exact_help(Fraction(1, 2**200), "en") is None   # too long to be useful


@pytest.mark.parametrize(("fmt", "x", "en"), [
    ("float8_e4m3fn", 0.0015625, "Here the number is subnormal in **float8_e4m3fn**: subnormals are whole "
     "multiples of 0.001953125 (2^-9), so it stores `1.0 × 2^-9`"),  # 3 mantissa bits alone would give 1.101 × 2^-10
    ("float16", 2.0**-24 * 5, "multiples of 5.960464477539063e-08 (2^-24), so it stores `1.01 × 2^-22`"),
    ("float8_e4m3fn", 0.1, "**float8_e4m3fn** keeps 3 mantissa bits, so it stores `1.101 × 2^-4`."),
    ("bfloat16", 2.0**-126, "**bfloat16** keeps 7 mantissa bits, so it stores `1.0 × 2^-126`."),  # smallest normal
    ("float8_e4m3fn", 1e30, "The number's magnitude is beyond **float8_e4m3fn**'s largest value 448, so it is "
     "stored as 448, `1.11 × 2^8`."),  # saturated: the range decides, not the 3 mantissa bits
    ("float8_e4m3fn", -500.0, "largest value 448, so it is stored as -448, `-1.11 × 2^8`."),  # not "above", not 448
    ("float8_e4m3fn", 448.0, "**float8_e4m3fn** keeps 3 mantissa bits, so it stores `1.11 × 2^8`."),  # max itself
])
def test_walk_says_why_a_float_stores_what_it_stores(fmt, x, en):
    f = get_format(fmt)
    e = f.explain(x)
    assert en in bv.walk_stored_text(f, e, "en")
    zh = bv.walk_stored_text(f, e, "zh")
    text = bv.walk_stored_text(f, e, "en")
    assert ("次正规数" in zh) == (e.cls == "subnormal") == ("is subnormal" in text)
    assert ("最大值" in zh) == (abs(x) > f.max) == ("largest value" in text)


def test_walk_stored_text_only_for_finite_nonzero_floats():
    assert bv.walk_stored_text(get_format("int8"), get_format("int8").explain(3.0), "en") is None
    f = get_format("float16")
    assert bv.walk_stored_text(f, f.explain(0.0), "en") is None
    assert bv.walk_stored_text(f, f.explain(float("nan")), "en") is None


@pytest.mark.parametrize(("fmt", "x", "en", "zh"), [
    ("int8", 5.0, "integer", "整数"), ("uint8", 200.0, "integer", "整数"), ("int8", 0.0, "zero", "零"),
    ("nf4", 0.5, "table value", "查表取值"), ("float16", 1.0, "normal", "正规数"),
    ("float16", 1e-6, "subnormal", "次正规数"), ("float8_e8m0fnu", 0.25, "power of two", "2 的幂"),
    ("float8_e8m0fnu", 2.0**-127, "power of two", "2 的幂"), ("float8_e8m0fnu", float("nan"), "NaN", "NaN（非数）"),
])
def test_integers_are_not_called_normal_numbers(fmt, x, en, zh):
    """正规数 / normal is the float term (vs subnormal): an int8 code is an integer, and an E8M0 code
    (no sign, no mantissa) a power of two."""
    f = get_format(fmt)
    cls = f.explain(x).cls
    assert bv.class_text(f, cls, "en") == en and bv.class_text(f, cls, "zh") == zh
    rows = bv.all_formats_rows(x, None, [f], "saturate", "nearest_even", "zh")
    assert rows[0][t("bits.col_class", "zh")] == zh


def test_cast_quirk_note_only_inside_the_e8m0_interval() -> None:
    e8 = get_format("float8_e8m0fnu")
    lo = 2.0**-127

    def note(f, x, rounding="nearest_even", lang="en"):  # type: ignore[no-untyped-def]
        value = f.explain(x, overflow="ieee", rounding=rounding).value
        return bv.cast_quirk_note(f, x, value, "ieee", rounding, lang)

    assert note(e8, 1.1 * lo, lang="zh") == t("bits.note_e8m0_cast", "zh")
    for x in (lo, 2 * lo, 0.5 * lo, 3 * lo, lo + 2.0**-150):  # the last is 2^-127 in float32: no quirk
        assert note(e8, x) is None
    assert note(e8, 1.1 * lo, "toward_zero") is None
    assert note(get_format("float32"), 1.1 * lo) is None
    # the note is true: ml_dtypes' cast gives 2^-126 there, plain nearest 2^-127
    assert int(e8.encode(1.1 * lo, overflow="ieee")) == 1 and int(e8.encode(1.1 * lo)) == 0


@pytest.mark.parametrize("x", [1e-300, 2.0**-150, 1e-46])
def test_e8m0_nan_below_float32_is_explained(x: float) -> None:
    """1e-300 is NaN in E8M0 as a cast (0 in float32, and no zero): the note says why, not "no infinity"."""
    e8 = get_format("float8_e8m0fnu")
    e = e8.explain(x, overflow="ieee")
    assert math.isnan(e.value)
    for lang in ("en", "zh"):
        assert bv.cast_quirk_note(e8, x, e.value, "ieee", "nearest_even", lang) == t(
            "bits.note_e8m0_float32_zero", lang, x=bv.short(x))
    assert bv.cast_quirk_note(e8, 2.0**-149, e8.explain(2.0**-149, overflow="ieee").value, "ieee", "nearest_even",
                              "en") is None
    rows = bv.all_formats_rows(x, None, [e8], "ieee", "nearest_even", "en")  # the every-format table
    assert rows[0][t("bits.col_code_bits", "en")].startswith("0xFF")
    assert bv.all_formats_rows(x, None, [e8], "saturate", "nearest_even", "en")[0][
        t("bits.col_code_bits", "en")].startswith("0x00")


def test_overflow_help_says_what_e8m0_does_with_zero_and_negatives() -> None:
    """E8M0 has no zero: typing 0 (or -3) in saturate mode gives code 0 = 2^-127, which the help
    now says; other formats and the ieee help (which already names E8M0's NaN) are unchanged."""
    e8m0 = get_format("float8_e8m0fnu")
    assert int(e8m0.encode(0.0)) == int(e8m0.encode(-3.0)) == 0 and e8m0.decode(0) == 2.0**-127
    assert bv.overflow_help(e8m0, "saturate", "en").endswith(
        "float8_e8m0fnu has no zero and no sign: 0 and negative numbers become its lowest value 2^-127 (NaN in ieee mode).")
    assert "最小值 2^-127" in bv.overflow_help(e8m0, "saturate", "zh")
    assert bv.overflow_help(e8m0, "ieee", "en") == t("bits.overflow_help_ieee", "en")
    assert bv.overflow_help(get_format("float8_e4m3fn"), "saturate", "en") == t("bits.overflow_help_saturate", "en")
    assert bv.overflow_help(None, "saturate", "en") == t("bits.overflow_help_saturate", "en")


@pytest.mark.parametrize(("fmt", "x", "overflow", "en"), [
    ("float8_e4m3fn", 500.0, "saturate", "500 lies beyond float8_e4m3fn's range (-448 to 448), so it is stored as 448:"),
    ("float8_e4m3fn", -1000.0, "saturate", "so it is stored as -448:"),
    ("float8_e4m3fn", 500.0, "ieee", "500 lies beyond float8_e4m3fn's range (-448 to 448): as a cast, it becomes NaN"),
    ("float8_e4m3fn", 450.0, "ieee", "so it is stored as 448:"),  # a cast rounds 449..464 to max first
    ("float8_e5m2", 61440.0, "ieee", "as an IEEE cast, it becomes inf."),
    ("int8", 300.0, "ieee", "300 lies beyond int8's range (-128 to 127), so it is stored as 127:"),
])
def test_overflow_note_says_what_became_of_a_number_beyond_the_range(fmt, x, overflow, en):
    """500 in E4M3 showed "Stored 448, class normal" with nothing saying it was clamped."""
    f = get_format(fmt)
    e = f.explain(x, overflow=overflow)
    assert en in bv.overflow_note(f, x, e.value, "en")
    assert "超出了" in bv.overflow_note(f, x, e.value, "zh")


def test_no_overflow_note_inside_the_range():
    f = get_format("float8_e4m3fn")
    assert bv.overflow_note(f, 448.0, 448.0, "en") is None and bv.overflow_note(f, -0.001, 0.0, "en") is None
    assert bv.overflow_note(f, float("inf"), 448.0, "en") is None  # inf has its own errors, no "lies beyond"


def test_card_writes_equals_only_before_an_exact_decimal() -> None:
    """float8_e4m3b11fnuz's smallest subnormal read "0.000122070312 = 2^-13", a rounded decimal
    beside "=": 2^-13 is exactly 0.0001220703125."""
    rows = {r["property"]: r["value"] for r in bv.format_card(get_format("float8_e4m3b11fnuz"), "en")}
    assert rows["smallest subnormal"] == "0.0001220703125 = 2^-13"
    f16 = {r["property"]: r["value"] for r in bv.format_card(get_format("float16"), "en")}
    assert f16["smallest normal"] == "0.00006103515625 = 2^-14" and f16["smallest subnormal"] == "2^-24 ≈ 5.96046448e-08"
    assert bv.exact_decimal(2.0**-127).endswith("e-39") and "E" not in bv.exact_decimal(2.0**-127)


def test_e8m0_walk_stores_no_mantissa_digit() -> None:
    from lib.binary_walk import walk

    assert walk(Fraction(4)).normalized_text(digits=0) == "1 × 2^2"  # E8M0 keeps no mantissa bit: not "1.0"
    assert walk(Fraction(4)).normalized_text(digits=3) == "1.0 × 2^2"


def test_nan_in_a_format_without_nan_says_what_it_became() -> None:
    """NaN typed for FP4, integers or NF4 became 0 (or -0 as a cast) with no word about it."""
    fp4 = get_format("float4_e2m1fn")
    e = fp4.explain(math.nan, overflow="ieee")
    assert (e.code, e.value) == (8, 0.0) and math.copysign(1.0, e.value) < 0
    assert bv.overflow_note(fp4, math.nan, e.value, "en") == (
        "float4_e2m1fn has no NaN code: as a cast (ml_dtypes), NaN becomes -0, a zero of the opposite sign.")
    int8 = get_format("int8")
    assert bv.overflow_note(int8, math.nan, 0.0, "zh") == "int8 没有 NaN 编码，因此 NaN 存为 0。"
    assert bv.overflow_note(get_format("float8_e4m3fn"), math.nan, math.nan, "en") is None  # it has NaN


def test_a_flip_line_writes_both_values_alike() -> None:
    """NF4 0xC -> 0x4 read "0.4407098293304443359375 → ≈-0.2844413817": 22 exact digits beside 10."""
    line = bv.flip_text(get_format("nf4"), 0xC, 3, "en")
    assert "0xC (≈0.4407098293) → 0x4 (≈-0.2844413817)" in line
    assert "0xF (1) → 0x7 (0)" in bv.flip_text(get_format("nf4"), 0xF, 3, "en")  # both short: exact


def test_a_flip_line_names_nan_as_the_page_does() -> None:
    """bfloat16 0x7F81 (NaN), bit 7: "0x7F81 (≈nan) → 0x7F01 (≈1.714704115e+38)"; NaN is no approximation."""
    line = bv.flip_text(get_format("bfloat16"), 0x7F81, 7, "en")
    assert "0x7F81 (NaN) → 0x7F01 (≈1.714704115e+38)" in line and "≈nan" not in line
    back = bv.flip_text(get_format("bfloat16"), 0x7F01, 7, "zh")
    assert "0x7F01（≈1.714704115e+38）→ 0x7F81（NaN）" in back
    big = bv.flip_text(get_format("float32"), 0x7F7FFFFF, 23, "en")  # float32's max -> NaN
    assert "0x7F7FFFFF (≈3.402823466e+38) → 0x7FFFFFFF (NaN)" in big
    assert "0x7F800000 (inf) → 0x7F800001 (NaN)" in bv.flip_text(get_format("float32"), 0x7F800000, 0, "en")


@pytest.mark.parametrize(("a", "b", "ratio"), [("#FFFFFF", "#000000", 21.0), ("#777777", "#FFFFFF", 4.48),
                                               ("#FFFFFF", "#0072B2", 5.19), ("#000000", "#D55E00", 5.43)])
def test_contrast_ratio_is_wcag(a: str, b: str, ratio: float) -> None:
    """WCAG's own anchors: black on white 21:1, #777 on white just under 4.5:1."""
    assert bv.contrast_ratio(a, b) == pytest.approx(ratio, abs=0.005) and bv.contrast_ratio(b, a) == bv.contrast_ratio(a, b)


@pytest.mark.parametrize("role", sorted(bv.ROLE_COLOURS))
def test_bit_digits_reach_wcag_text_contrast_on_every_role(role: str) -> None:
    """White digits on the sign (3.9:1), mantissa (3.4:1) and index (3.1:1) colours were below 4.5:1."""
    colour = bv.ROLE_COLOURS[role]
    text = bv.digit_colour(colour)
    assert bv.contrast_ratio(text, colour) >= 4.5
    css = bv.cells_css([bv.BitCell(0, "1", role)])
    assert f"color:{text} !important" in css and ":focus-visible {outline:3px solid #000" in css


@pytest.mark.parametrize("n", [0, 1, 9, 10, 99, 100, 999, 1000, 2**100, 10**50 - 1, 10**50, -12345, 10001**2000],
                         ids=lambda n: f"{n.bit_length()}-bits")
def test_min_digits_never_exceeds_the_real_count(n: int) -> None:
    import sys

    real = len(str(abs(n))) if n < 10**4000 else None
    if real is None:  # beyond Python's str() limit: count with a raised limit
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            real = len(str(abs(n)))
        finally:
            sys.set_int_max_str_digits(old)
    assert real - 1 <= bv.min_digits(n) <= real


def test_huge_exact_fractions_are_not_written_out() -> None:
    """1.0001^2000 typed on Bits: str() of its 8,000-digit terms raised, and terminating_decimal
    took 0.3 s per walk-through row dividing 10^8000 by 5."""
    import time

    huge = Fraction(10001**2000, 10**8000)
    start = time.perf_counter()
    assert bv.terminating_decimal(huge) is None and bv.fraction_too_long(huge, 40)
    assert bv.exact_help(huge, "en") is None
    assert time.perf_counter() - start < 0.05
    assert bv.terminating_decimal(Fraction(3, 16)) == "0.1875" and bv.terminating_decimal(Fraction(1, 3)) is None
    assert bv.terminating_decimal(Fraction(1, 2**30), max_chars=20) is None  # 0.000000000931322574615478515625
    assert not bv.fraction_too_long(Fraction(1, 640), 40)
