"""lib/bits_view.py: the hover text of each bit button (bit_help, bit_weight) and the line shown
after a bit flip (flip_text, flip_note), checked against the formats' definitions and ml_dtypes."""

from __future__ import annotations

import math
import re
from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest

from lib import bits_view as bv
from lib.formats import FLOAT_FORMATS, INT_FORMATS, float_format, get_format
from lib.i18n import STRINGS

ML_FLOATS = [f.name for f in FLOAT_FORMATS if hasattr(ml_dtypes, f.name)]
CUSTOM = [float_format(3, 0, specials="fn"), float_format(1, 2, specials="none"),  # M = 0; bias 0
          float_format(3, 3, specials="fnuz"), float_format(5, 3, specials="fn"), float_format(2, 1, bias=-2)]


def cells(fmt, code: int = 0) -> dict[int, bv.BitCell]:
    """The page's bit cells of ``code``, by position."""
    return {c.position: c for c in bv.bit_cells(fmt.explain_code(code), fmt.kind, fmt.bits)}


def helps(fmt, lang: str = "en") -> dict[int, str]:
    return {p: bv.bit_help(fmt, c, lang) for p, c in cells(fmt).items()}


def ml_decode(name: str, codes) -> np.ndarray:
    """ml_dtypes' value of each code (8-bit storage for formats of up to 8 bits, else 16)."""
    storage = np.uint8 if get_format(name).bits <= 8 else np.uint16
    with np.errstate(invalid="ignore"):
        return np.asarray(codes).astype(storage).view(getattr(ml_dtypes, name)).astype(np.float64)


# ------------------------------------------------------------------------------------- bit_help
@pytest.mark.parametrize(("name", "position", "lang", "text"), [
    ("float8_e4m3fn", 7, "en", "Bit 7: sign (1 = negative). Click to flip."),
    ("float8_e4m3fn", 6, "en", "Bit 6: exponent, weight 8 in the stored exponent E "
                               "(normal values scale by 2^(E - 7)). Click to flip."),
    ("float8_e4m3fn", 3, "en", "Bit 3: exponent, weight 1 in the stored exponent E "
                               "(normal values scale by 2^(E - 7)). Click to flip."),
    ("float8_e4m3fn", 1, "en", "Bit 1: mantissa, weight 2^-2 = 0.25 of the significand. Click to flip."),
    ("float8_e4m3fn", 7, "zh", "第 7 位：符号位（1 表示负数）。点击可翻转。"),
    ("float8_e4m3fn", 6, "zh", "第 6 位：指数位，在存储的指数 E 中权重为 8（正规数的值按 2^(E - 7) 缩放）。点击可翻转。"),
    ("float8_e4m3fn", 1, "zh", "第 1 位：尾数位，在有效数中的权重为 2^-2 = 0.25。点击可翻转。"),
    ("float8_e5m2", 6, "en", "Bit 6: exponent, weight 16 in the stored exponent E "
                             "(normal values scale by 2^(E - 15)). Click to flip."),
    ("float8_e4m3b11fnuz", 3, "en", "Bit 3: exponent, weight 1 in the stored exponent E "
                                    "(normal values scale by 2^(E - 11)). Click to flip."),
    ("float8_e4m3fnuz", 7, "en", "Bit 7: sign (1 = negative; 1 with every other bit 0 is the only NaN code, 0x80). "
                                 "Click to flip."),
    ("float8_e4m3fnuz", 7, "zh", "第 7 位：符号位（1 表示负数；符号位为 1 且其余各位全为 0 是唯一的 NaN 编码 0x80）。点击可翻转。"),
    ("float8_e8m0fnu", 7, "en", "Bit 7: exponent, weight 128 in the stored exponent E "
                                "(the value is 2^(E - 127); E = 255 is NaN). Click to flip."),
    ("float8_e8m0fnu", 0, "zh", "第 0 位：指数位，在存储的指数 E 中权重为 1（值为 2^(E - 127)；E = 255 为 NaN）。点击可翻转。"),
    ("float32", 0, "en", "Bit 0: mantissa, weight 2^-23 ≈ 1.192093e-07 of the significand. Click to flip."),
    ("float16", 0, "en", "Bit 0: mantissa, weight 2^-10 = 0.0009765625 of the significand. Click to flip."),
    ("tf32", 18, "en", "Bit 18: sign (1 = negative). Click to flip."),  # 19 bits used: 1 + 8 + 10
    ("tf32", 10, "en", "Bit 10: exponent, weight 1 in the stored exponent E "
                       "(normal values scale by 2^(E - 127)). Click to flip."),
    ("float4_e2m1fn", 0, "en", "Bit 0: mantissa, weight 2^-1 = 0.5 of the significand. Click to flip."),
    ("int8", 7, "en", "Bit 7: sign, weight -128 (two's complement). Click to flip."),
    ("int8", 6, "en", "Bit 6: value bit, weight 2^6 = 64. Click to flip."),
    ("int8", 7, "zh", "第 7 位：符号位，权重为 -128（补码）。点击可翻转。"),
    ("int2", 1, "en", "Bit 1: sign, weight -2 (two's complement). Click to flip."),
    ("uint8", 7, "en", "Bit 7: value bit, weight 2^7 = 128. Click to flip."),
    ("uint4", 0, "zh", "第 0 位：数值位，权重为 2^0 = 1。点击可翻转。"),
    ("nf4", 3, "en", "Bit 3: index bit, weight 2^3 = 8 in the code (the code picks one of the 16 values in "
                     "nf4's table). Click to flip."),
    ("nf4", 1, "zh", "第 1 位：索引位，在编码中权重为 2^1 = 2（编码从 nf4 表中的 16 个值里选出一个）。点击可翻转。"),
    ("bnb_fp4", 3, "en", "Bit 3: sign (1 = negative) and index bit, weight 2^3 = 8 in the code (the code picks "
                         "one of the 16 values in bnb_fp4's table). Click to flip."),
    ("bnb_fp4", 2, "en", "Bit 2: index bit, weight 2^2 = 4 in the code (the code picks one of the 16 values in "
                         "bnb_fp4's table). Click to flip."),
])  # fmt: skip
def test_bit_help_text(name, position, lang, text):
    assert helps(get_format(name), lang)[position] == text


@pytest.mark.parametrize(("fmt", "position", "text"), [
    (CUSTOM[0], 0, "Bit 0: exponent, weight 1 in the stored exponent E (normal values scale by 2^(E - 3)). "
                   "Click to flip."),  # E3M0: no mantissa bit at all
    (CUSTOM[1], 2, "Bit 2: exponent, weight 1 in the stored exponent E (normal values scale by 2^E). "
                   "Click to flip."),  # E1: bias 0
    (CUSTOM[2], 6, "Bit 6: sign (1 = negative; 1 with every other bit 0 is the only NaN code, 0x40). "
                   "Click to flip."),  # 7-bit fnuz: its NaN is 0x40, not 0x80
    (CUSTOM[4], 1, "Bit 1: exponent, weight 1 in the stored exponent E (normal values scale by 2^(E + 2)). "
                   "Click to flip."),  # a negative bias
])  # fmt: skip
def test_bit_help_of_custom_formats(fmt, position, text):
    assert helps(fmt)[position] == text
    assert len(helps(fmt)) == fmt.bits


def test_every_format_has_a_help_per_bit_naming_the_bit():
    for fmt in (*FLOAT_FORMATS, *INT_FORMATS, get_format("nf4"), get_format("bnb_fp4"), *CUSTOM):
        for lang in ("en", "zh"):
            texts = helps(fmt, lang)
            assert sorted(texts) == list(range(fmt.bits)), fmt.name
            for p, text in texts.items():
                assert text.startswith(f"Bit {p}: " if lang == "en" else f"第 {p} 位："), (fmt.name, text)
                assert "{" not in text and "None" not in text and "nan" not in text.replace("NaN", "")


EXP_HELP = re.compile(r"exponent, weight (\d+) in the stored exponent E \((?:normal values scale by|the value is) "
                      r"2\^(?:\(E ([-+]) (\d+)\)|E)")
MAN_HELP = re.compile(r"mantissa, weight 2\^(-\d+) ")


def value_from_help(fmt, code: int) -> float | None:
    """A float code's value rebuilt from the hover texts alone (their weights and bias); None for
    inf / NaN codes. normal: (-1)^s 2^(E - bias) (1 + sum of mantissa weights); E = 0: 2^(1 - bias) (0 + ...)."""
    texts, bits = helps(fmt), format(code, f"0{fmt.bits}b")
    e_field, frac, bias, sign = 0, Fraction(0), None, 1
    for p, text in texts.items():
        on = bits[fmt.bits - 1 - p] == "1"
        if m := EXP_HELP.search(text):
            e_field += int(m[1]) * on
            bias = 0 if m[2] is None else int(m[3]) * (1 if m[2] == "-" else -1)
        elif m := MAN_HELP.search(text):
            frac += Fraction(2) ** int(m[1]) * on
        else:
            assert text.startswith(f"Bit {p}: sign (1 = negative")
            sign = -1 if on else 1
    assert bias == fmt.bias  # the text names the format's own bias
    if fmt.classify(code) in ("nan", "inf"):
        return None
    if not fmt.signed:  # E8M0: the value is the power of two
        return float(Fraction(2) ** (e_field - bias))
    if e_field == 0:
        return sign * float(Fraction(2) ** (1 - bias) * frac) if fmt.mantissa_bits else sign * 0.0
    return sign * float(Fraction(2) ** (e_field - bias) * (1 + frac))


@pytest.mark.parametrize("name", ML_FLOATS)
def test_hover_weights_rebuild_every_value_as_ml_dtypes_decodes_it(name):
    """Every code of every ml_dtypes format: the weights and the bias in the hover texts give its value."""
    fmt = get_format(name)
    codes = range(1 << fmt.bits) if fmt.bits <= 8 else range(0, 1 << fmt.bits, 97)
    expected = ml_decode(name, list(codes))
    checked = 0
    for code, want in zip(codes, expected, strict=True):
        got = value_from_help(fmt, code)
        if got is None:
            assert not math.isfinite(want), (name, hex(code))
            continue
        assert got == want and math.copysign(1, got) == math.copysign(1, want), (name, hex(code), got, want)
        checked += 1
    assert checked > (1 << fmt.bits) // 2 if fmt.bits <= 8 else checked > 600


@pytest.mark.parametrize("fmt", [get_format("float32"), get_format("tf32"), *CUSTOM], ids=lambda f: f.name)
def test_hover_weights_rebuild_values_of_formats_ml_dtypes_lacks(fmt):
    codes = range(1 << fmt.bits) if fmt.bits <= 8 else [0x3F800000 >> (32 - fmt.bits), 1, (1 << fmt.bits) - 2]
    for code in codes:
        got = value_from_help(fmt, code)
        want = float(fmt.decode(code))
        assert (got is None and not math.isfinite(want)) or got == want, (fmt.name, hex(code))
    if fmt.name == "float32":  # and numpy agrees: 0x3F800000 is 1.0
        assert value_from_help(fmt, 0x3F800000) == float(np.uint32(0x3F800000).view(np.float32)) == 1.0


@pytest.mark.parametrize("fmt", INT_FORMATS, ids=lambda f: f.name)
def test_integer_weights_add_up_to_every_value(fmt):
    """Two's complement: the weights of the set bits (the top one -2^(n-1)) sum to the value of every code."""
    by_pos = cells(fmt)
    weights = {p: bv.bit_weight(fmt, c) for p, c in by_pos.items()}
    for code in range(1 << fmt.bits):
        total = sum(w for p, w in weights.items() if code >> p & 1)
        assert total == fmt.decode(code), (fmt.name, code)
    if fmt.name == "int8":  # numpy's own int8 agrees, e.g. 0b11010011 = -128 + 64 + 16 + 2 + 1 = -45
        assert [sum(w for p, w in weights.items() if c >> p & 1) for c in range(256)] == \
            np.arange(256, dtype=np.uint8).view(np.int8).tolist()
        assert weights[7] == -128 and weights[0] == 1
    texts = helps(fmt)  # the texts show those weights
    for p, w in weights.items():
        shown = re.search(r"weight (-?\d+) \(two's|weight 2\^\d+ = (\d+)\.", texts[p])
        assert int(shown[1] or shown[2]) == w


def test_table_index_weights_add_up_to_the_code():
    nf4 = get_format("nf4")
    weights = {p: bv.bit_weight(nf4, c) for p, c in cells(nf4).items()}
    assert weights == {3: 8, 2: 4, 1: 2, 0: 1}
    assert all(sum(w for p, w in weights.items() if code >> p & 1) == code for code in range(16))


def test_float_sign_has_no_weight_and_fields_have_the_definition_weights():
    e4m3 = get_format("float8_e4m3fn")
    w = {p: bv.bit_weight(e4m3, c) for p, c in cells(e4m3).items()}
    assert w == {7: None, 6: 8, 5: 4, 4: 2, 3: 1, 2: Fraction(1, 2), 1: Fraction(1, 4), 0: Fraction(1, 8)}


@pytest.mark.parametrize(("k", "text"), [(3, "2^3 = 8"), (-2, "2^-2 = 0.25"), (0, "2^0 = 1"),
                                         (-14, "2^-14 = 0.00006103515625"), (-15, "2^-15 ≈ 3.051758e-05")])
def test_power_of_two_text(k, text):
    assert bv.power_of_two_text(k) == text


# ------------------------------------------------------------------------------------ flip_text
@pytest.mark.parametrize(("name", "old", "position", "lang", "text"), [
    ("float8_e4m3fn", 0x38, 6, "en", "Flipped bit 6: 0x38 (1) → 0x78 (256), × 2^8 = 256."),
    ("float8_e4m3fn", 0x78, 6, "en", "Flipped bit 6: 0x78 (256) → 0x38 (1), × 2^-8 = 1/256."),
    ("float8_e4m3fn", 0x38, 6, "zh", "翻转第 6 位：0x38（1）→ 0x78（256），× 2^8 = 256。"),
    ("float8_e4m3fn", 0x38, 0, "en", "Flipped bit 0: 0x38 (1) → 0x39 (1.125), a change of +0.125."),
    ("float8_e4m3fn", 0x38, 0, "zh", "翻转第 0 位：0x38（1）→ 0x39（1.125），变化 +0.125。"),
    ("float8_e4m3fn", 0x38, 7, "en", "Flipped bit 7: sign flipped, 0x38 (1) → 0xB8 (-1)."),
    ("float8_e4m3fn", 0x00, 7, "en", "Flipped bit 7: sign flipped, 0x00 (0) → 0x80 (-0)."),
    ("float8_e4m3fn", 0x1D, 7, "zh", "翻转第 7 位：符号翻转，0x1D（0.1015625）→ 0x9D（-0.1015625）。"),
    ("float8_e4m3fn", 0x7E, 0, "en", "Flipped bit 0: 0x7E (448) → 0x7F (NaN): the new code is NaN (not a number)."),
    ("float8_e4m3fn", 0x7F, 0, "en", "Flipped bit 0: 0x7F (NaN) → 0x7E (448): the old code was NaN (not a number)."),
    ("float8_e4m3fn", 0x7F, 7, "en", "Flipped bit 7: 0x7F (NaN) → 0xFF (NaN): still NaN, another NaN code."),
    ("float8_e4m3fn", 0x09, 3, "en",  # into the subnormals: the implicit 1 (2^-6) is lost, not halved
     "Flipped bit 3: 0x09 (0.017578125) → 0x01 (0.001953125), a change of -0.015625."),
    ("float8_e4m3fn", 0x08, 3, "en", "Flipped bit 3: 0x08 (0.015625) → 0x00 (0), a change of -0.015625."),
    ("float8_e4m3fnuz", 0x00, 7, "en", "Flipped bit 7: 0x00 (0) → 0x80 (NaN): the new code is NaN (not a number)."),
    ("float8_e5m2", 0x7B, 2, "en", "Flipped bit 2: 0x7B (57344) → 0x7F (NaN): the new code is NaN (not a number)."),
    ("float8_e5m2", 0x78, 2, "en", "Flipped bit 2: 0x78 (32768) → 0x7C (inf): the new code is infinity."),
    ("float8_e5m2", 0x7C, 7, "en", "Flipped bit 7: sign flipped, 0x7C (inf) → 0xFC (-inf)."),
    ("float16", 0x7C00, 14, "zh", "翻转第 14 位：0x7C00（inf）→ 0x3C00（1）：原编码是无穷大。"),
    ("float32", 0x3F800000, 29, "en", "Flipped bit 29: 0x3F800000 (1) → 0x1F800000 (2^-64), × 2^-64."),
    ("float32", 0x3DCCCCCD, 0, "en", "Flipped bit 0: 0x3DCCCCCD (≈0.1000000015) → 0x3DCCCCCC (≈0.09999999404), "
                                     "a change of -2^-27."),
    ("float8_e8m0fnu", 0x7F, 0, "en", "Flipped bit 0: 0x7F (1) → 0x7E (0.5), × 2^-1 = 1/2."),
    ("float8_e8m0fnu", 0x7F, 7, "en", "Flipped bit 7: 0x7F (1) → 0xFF (NaN): the new code is NaN (not a number)."),
    ("float4_e2m1fn", 0x2, 2, "en", "Flipped bit 2: 0x2 (1) → 0x6 (4), × 2^2 = 4."),
    ("int8", 0x40, 7, "en", "Flipped bit 7: 0x40 (64) → 0xC0 (-64), a change of -128."),  # not a sign flip
    ("int8", 0x40, 7, "zh", "翻转第 7 位：0x40（64）→ 0xC0（-64），变化 -128。"),
    ("int8", 0x00, 3, "en", "Flipped bit 3: 0x00 (0) → 0x08 (8), a change of +8."),
    ("uint4", 0xF, 3, "en", "Flipped bit 3: 0xF (15) → 0x7 (7), a change of -8."),
    ("nf4", 0x7, 3, "en", "Flipped bit 3: 0x7 (0) → 0xF (1): the code now picks another value from the table."),
    ("nf4", 0x7, 3, "zh", "翻转第 3 位：0x7（0）→ 0xF（1）：编码从表中选出了另一个值。"),
    ("bnb_fp4", 0x2, 3, "en", "Flipped bit 3: sign flipped, 0x2 (≈0.6666666865) → 0xA (≈-0.6666666865)."),
])  # fmt: skip
def test_flip_text(name, old, position, lang, text):
    assert bv.flip_text(get_format(name), old, position, lang) == text


def test_flip_text_example_matches_ml_dtypes():
    """The brief's example: float8_e4m3fn 0x38 is 1.0; bit 6 flipped gives 0x78, 256.0."""
    assert ml_decode("float8_e4m3fn", [0x38, 0x78]).tolist() == [1.0, 256.0]
    assert bv.flip(0x38, 6) == 0x78


RATIO = re.compile(r", × 2\^(-?\d+)(?: = [\d/]+)?\.$")
DELTA = re.compile(r", a change of ([-+])([\d.]+|2\^-?\d+)\.$")


def _number(text: str) -> Fraction:
    return Fraction(2) ** int(text[2:]) if text.startswith("2^") else Fraction(text)


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e8m0fnu",
                                  "float6_e2m3fn", "float4_e2m1fn", "float8_e3m4"])
def test_every_flip_of_every_code_says_what_ml_dtypes_computes(name):
    """Each stated factor or difference is exactly what ml_dtypes decodes before and after the flip."""
    fmt = get_format(name)
    values = ml_decode(name, list(range(1 << fmt.bits)))
    kinds = set()
    for old in range(1 << fmt.bits):
        for position in range(fmt.bits):
            new = old ^ (1 << position)
            a, b = values[old], values[new]
            text = bv.flip_text(fmt, old, position, "en")
            assert text.startswith(f"Flipped bit {position}: ")
            if m := RATIO.search(text):
                kinds.add("ratio")
                assert Fraction(float(b)) / Fraction(float(a)) == Fraction(2) ** int(m[1]), text
            elif m := DELTA.search(text):
                kinds.add("delta")
                delta = _number(m[2]) * (-1 if m[1] == "-" else 1)
                assert Fraction(float(b)) - Fraction(float(a)) == delta, text
            elif "sign flipped" in text:
                kinds.add("sign")
                assert a == -b and math.copysign(1, a) != math.copysign(1, b), text
            elif "NaN" in text.split(":", 2)[-1]:
                kinds.add("nan")
                assert math.isnan(a) or math.isnan(b), text
            else:
                kinds.add("inf")
                assert "infinity" in text and (math.isinf(a) or math.isinf(b)), text
    assert "ratio" in kinds and (fmt.signed is ("sign" in kinds))


def test_exponent_bit_flips_between_normal_values_multiply_by_two_to_the_field_weight():
    """Exponent field bit k multiplies or divides a normal value by 2^(2^k) (bit 6 of E4M3: by 2^8)."""
    fmt = get_format("float8_e4m3fn")
    for old in range(256):
        for k in range(4):
            new = old ^ (1 << (3 + k))
            if {fmt.classify(old), fmt.classify(new)} == {"normal"}:
                sign = 1 if new > old else -1
                assert f"× 2^{sign * 2**k}" in bv.flip_text(fmt, old, 3 + k, "en")


def test_integer_flips_change_the_value_by_the_bit_weight():
    fmt = get_format("int8")
    values = np.arange(256, dtype=np.uint8).view(np.int8).astype(int)
    for old in range(256):
        for p in range(8):
            new = old ^ (1 << p)
            text = bv.flip_text(fmt, old, p, "en")
            delta = int(DELTA.search(text)[1] + DELTA.search(text)[2])
            assert delta == values[new] - values[old]
            assert abs(delta) == abs(bv.bit_weight(fmt, cells(fmt)[p]))


@pytest.mark.parametrize(("v", "text"), [(256.0, "256"), (-0.0, "-0"), (math.nan, "NaN"), (-math.inf, "-inf"),
                                         (2.0**-64, "2^-64"), (-(2.0**-149), "-2^-149"),
                                         (float(np.float32(0.1)), "≈0.1000000015"),
                                         (float(np.float32(-0.1)), "≈-0.1000000015"),
                                         (-0.39491748809814453, "-0.39491748809814453125")])  # every digit
def test_flip_value_text(v, text):
    assert bv.flip_value_text(v) == text


def test_flip_note_only_while_the_flipped_code_of_the_same_format_is_shown():
    fmt = get_format("float8_e4m3fn")
    last = bv.Flip("float8_e4m3fn", 0x38, 6)
    assert last.new == 0x78
    assert bv.flip_note(fmt, 0x78, last, "en") == "Flipped bit 6: 0x38 (1) → 0x78 (256), × 2^8 = 256."
    assert bv.flip_note(fmt, 0x79, last, "en") is None  # another code typed
    assert bv.flip_note(fmt, None, last, "en") is None  # a number typed
    assert bv.flip_note(get_format("float8_e5m2"), 0x78, last, "en") is None  # another format
    assert bv.flip_note(fmt, 0x78, None, "en") is None


def test_chinese_hover_and_flip_strings_follow_the_house_style():
    keys = [k for k in STRINGS if k.startswith(("bits.help_", "bits.flip_"))]
    assert len(keys) == 19
    for key in keys:
        zh = STRINGS[key]["zh"]
        assert "您" not in zh and "： " not in zh and ":" not in zh, key
