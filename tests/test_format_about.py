"""The "About this format" texts (lib/strings/fmt_about.py, lib.bits_view.format_about).

Every built-in format has one, in both languages, and every number a text writes is a claim in the
ledger CLAIMS below, which is checked against lib.formats and, where they have the format, against
ml_dtypes / numpy. So a wrong number in a text fails in one of two ways: it is not in the ledger
(test_every_number_in_a_text_is_claimed), or the ledger entry is not a fact (test_claims_are_facts).
"""

from __future__ import annotations

import math
import re
from typing import Any

import ml_dtypes
import numpy as np
import pytest

from lib.bits_view import format_about
from lib.blocks import SCHEMES
from lib.formats import float_format, get_format, list_formats
from lib.i18n import LANGUAGES, STRINGS, t

CJK = re.compile(r"[\u3400-\u9fff]")
F32_MAX = float(np.finfo(np.float32).max)
BF16_MAX = float(ml_dtypes.finfo(ml_dtypes.bfloat16).max)

#: What each text claims, property -> value. Properties: the format's own fields (bits, storage_bits,
#: exponent_bits, mantissa_bits, bias, max, min, eps, smallest_subnormal); nan_codes / inf_codes (every
#: such code); negzero (whether −0 exists); values / magnitudes (all of them); levels (how many values);
#: zero_code ((code, 0)); sign_bit (the bit that negates); overflow_to_inf (smallest x an IEEE cast
#: makes inf); magnitudes_x12 (bnb_fp4's twelfths); block.<scheme> (lib.blocks' block size). A prefix
#: "other_format." claims a number about another format ("max is 240, not 448 as in float8_e4m3fn").
CLAIMS: dict[str, dict[str, Any]] = {
    "float32": {"exponent_bits": 8, "bias": 127, "mantissa_bits": 23, "max": F32_MAX},
    "tf32": {"float32.exponent_bits": 8, "exponent_bits": 8, "mantissa_bits": 10, "float16.mantissa_bits": 10,
             "bits": 19, "storage_bits": 32},
    "float16": {"exponent_bits": 5, "bias": 15, "mantissa_bits": 10, "max": 65504, "overflow_to_inf": 65520},
    "bfloat16": {"bits": 16, "float32.exponent_bits": 8, "bias": 127, "max": BF16_MAX, "mantissa_bits": 7,
                 "eps": 2**-7, "float16.eps": 2**-10},
    "float8_e4m3fn": {"exponent_bits": 4, "bias": 7, "mantissa_bits": 3, "nan_codes": (0x7F, 0xFF), "max": 448,
                      "float8_e4m3.max": 240},
    "float8_e5m2": {"exponent_bits": 5, "bias": 15, "mantissa_bits": 2, "bits": 8, "inf_codes": (0x7C, 0xFC),
                    "max": 57344},
    "float8_e4m3fnuz": {"negzero": False, "nan_codes": (0x80,), "bias": 8, "float8_e4m3fn.bias": 7, "max": 240,
                        "float8_e4m3fn.max": 448, "smallest_subnormal": 2**-10},
    "float8_e5m2fnuz": {"negzero": False, "nan_codes": (0x80,), "bias": 16, "float8_e5m2.bias": 15, "max": 57344,
                        "smallest_subnormal": 2**-17},
    "float8_e4m3": {"inf_codes": (0x78, 0xF8), "max": 240, "float8_e4m3fn.max": 448},
    "float8_e3m4": {"bits": 8, "exponent_bits": 3, "bias": 3, "mantissa_bits": 4, "eps": 2**-4, "max": 15.5},
    "float8_e4m3b11fnuz": {"bias": 11, "float8_e4m3.bias": 7, "negzero": False, "nan_codes": (0x80,), "max": 30,
                           "smallest_subnormal": 2**-13},
    "float6_e3m2fn": {"exponent_bits": 3, "bias": 3, "mantissa_bits": 2, "max": 28, "nan_codes": (),
                      "negzero": True, "block.mxfp6_e3m2": 32},
    "float6_e2m3fn": {"exponent_bits": 2, "bias": 1, "mantissa_bits": 3, "eps": 2**-3, "max": 7.5, "nan_codes": (),
                      "block.mxfp6_e2m3": 32},
    "float4_e2m1fn": {"exponent_bits": 2, "bias": 1, "mantissa_bits": 1, "magnitudes": (0, 0.5, 1, 1.5, 2, 3, 4, 6),
                      "nan_codes": (), "block.mxfp4": 32, "block.nvfp4": 16},
    "float8_e8m0fnu": {"exponent_bits": 8, "bias": 127, "nan_codes": (0xFF,), "min": 2**-127, "max": 2**127,
                       "block.mxfp4": 32},
    "int8": {"bits": 8, "min": -128, "max": 127},
    "uint8": {"bits": 8, "min": 0, "max": 255},
    "int4": {"bits": 4, "min": -8, "max": 7},
    "uint4": {"bits": 4, "min": 0, "max": 15},
    "int2": {"bits": 2, "values": (-2, -1, 0, 1)},
    "uint2": {"bits": 2, "values": (0, 1, 2, 3)},
    "nf4": {"bits": 4, "levels": 16, "min": -1, "max": 1, "zero_code": (7, 0), "block.nf4": 64},
    "bnb_fp4": {"bits": 4, "sign_bit": 3, "magnitudes_x12": (0, 0.0625, 2, 3, 4, 6, 8, 12), "min": -1, "max": 1,
                "float4_e2m1fn.smallest_subnormal": 0.5, "float4_e2m1fn.max": 6},
}
CODE_PROPERTIES = {"nan_codes", "inf_codes"}

#: Text with digits that claims nothing about a format: standards' names, and "全 1" (all ones, a bit
#: pattern: English writes "all-ones").
NOT_NUMBERS = ("IEEE 754", "IEEE-754", "全 1")

PATTERN = re.compile(r"S\.([01]+)\.([01]+)")  # S.1111.111: the sign either way
HEX = re.compile(r"0x[0-9A-Fa-f]+")
POWER = re.compile(r"(?<![A-Za-z0-9_.])([-−]?)2\^([-−]?\d+)")
NEG_ZERO = re.compile(r"(?<![A-Za-z0-9_.\-−±])[-−]0(?![\d.])")
NUMBER = re.compile(r"(?<![A-Za-z0-9_\-−])(?<!\d\.)([-−±]?)(\d+(?:\.\d+)?)(e[-+]?\d+)?(?![A-Za-z0-9_])")


def number_tokens(text: str) -> set[tuple[str, Any]]:
    """Every number a text writes, as (kind, value): ("codes", (0x7F, 0xFF)) for a pattern,
    ("code", 0x80) for a hex code, ("negzero", None) for −0, ("num", (x, digits)) for any other
    number, with digits the significant digits of one written in e-notation (None when exact).

    Digits inside a name (float8_e4m3fn, FP8, H100, TensorFloat-32) are not numbers.
    """
    for words in NOT_NUMBERS:
        text = text.replace(words, " ")
    found: set[tuple[str, Any]] = set()
    for m in PATTERN.finditer(text):
        e, mant = m.group(1), m.group(2)
        body = int(e + mant, 2)
        found.add(("codes", (body, 1 << (len(e) + len(mant)) | body)))
    text = PATTERN.sub(" ", text)
    found |= {("code", int(m.group(0), 16)) for m in HEX.finditer(text)}
    text = HEX.sub(" ", text)
    for m in POWER.finditer(text):
        sign = -1.0 if m.group(1) else 1.0
        found.add(("num", (sign * 2.0 ** int(m.group(2).replace("−", "-")), None)))
    text = POWER.sub(" ", text)
    if NEG_ZERO.search(text):
        found.add(("negzero", None))
    text = NEG_ZERO.sub(" ", text)
    for m in NUMBER.finditer(text):
        sign, digits, exp = m.group(1), m.group(2), m.group(3) or ""
        value = float(digits + exp) * (-1.0 if sign in ("-", "−") else 1.0)
        found.add(("num", (value, len(digits.replace(".", "").lstrip("0")) if exp else None)))
    return found


def _matches(token: tuple[str, Any], claims: dict[str, Any]) -> bool:
    """Whether a number token is one of the claimed values (codes among the code claims, a number
    written in e-notation equal to a claim rounded to as many digits)."""
    kind, value = token
    if kind == "negzero":
        return "negzero" in claims
    if kind in ("code", "codes"):
        code_claims = [tuple(v) for p, v in claims.items() if p.split(".")[-1] in CODE_PROPERTIES]
        return value in code_claims if kind == "codes" else any(value in c for c in code_claims)
    x, digits = value
    numbers = []
    for prop, v in claims.items():
        if prop == "negzero" or prop.split(".")[-1] in CODE_PROPERTIES:
            continue
        numbers += list(v) if isinstance(v, tuple) else [v]
    if digits is None:
        return any(x == float(v) for v in numbers)
    return any(float(f"{float(v):.{digits}g}") == x for v in numbers)  # 3.4e38 for 3.4028e38


# --------------------------------------------------------------------- what lib.formats says
def _codes_values(name: str) -> tuple[np.ndarray, np.ndarray]:
    fmt = get_format(name)
    codes = np.arange(1 << fmt.bits)
    return codes, np.asarray(fmt.decode(codes), dtype=np.float64)


def lib_property(name: str, prop: str) -> Any:
    """A property as lib.formats computes it (tuples sorted, +0 and −0 one magnitude)."""
    fmt = get_format(name)
    if prop.startswith("block."):
        return SCHEMES[prop.split(".", 1)[1]].block_size
    if prop in ("bits", "storage_bits", "exponent_bits", "mantissa_bits", "bias", "max", "min", "eps",
                "smallest_subnormal"):
        return getattr(fmt, prop)
    if prop == "sign_bit":  # the one bit whose flip negates every value
        codes, values = _codes_values(name)
        return next(b for b in range(fmt.bits) if np.array_equal(values[codes ^ (1 << b)], -values))
    if prop == "overflow_to_inf":  # the smallest float64 an IEEE cast sends to inf
        return _first_inf(lambda x: float(fmt.decode(fmt.encode(x, overflow="ieee"))), fmt.max)
    codes, values = _codes_values(name)
    return _from_codes(prop, codes, values)


def _from_codes(prop: str, codes: np.ndarray, values: np.ndarray) -> Any:
    finite = values[np.isfinite(values)]
    if prop == "nan_codes":
        return tuple(int(c) for c in codes[np.isnan(values)])
    if prop == "inf_codes":
        return tuple(int(c) for c in codes[np.isinf(values)])
    if prop == "negzero":
        return bool(np.any((values == 0) & np.signbit(values)))
    if prop == "values":
        return tuple(sorted({float(v) + 0.0 for v in finite}))
    if prop in ("magnitudes", "magnitudes_x12"):  # magnitudes_x12: compared as float32 twelfths (_same)
        return tuple(sorted({abs(float(v)) for v in finite}))
    if prop == "levels":
        return len({float(v) + 0.0 for v in finite})
    if prop == "zero_code":  # (the code of an exact zero, 0)
        return int(codes[values == 0][0]), 0.0
    raise KeyError(prop)


def _first_inf(cast, start: float) -> float:
    """The smallest float64 above ``start`` that ``cast`` sends to inf (a bisection on floats)."""
    lo, hi = start, start * 4
    assert math.isinf(cast(hi)) and not math.isinf(cast(lo))
    while np.nextafter(lo, math.inf) < hi:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if math.isinf(cast(mid)) else (mid, hi)
    return hi


# --------------------------------------------------------------------- what ml_dtypes / numpy say
REFERENCE_DTYPES: dict[str, Any] = {
    "float32": np.float32, "float16": np.float16, "int8": np.int8, "uint8": np.uint8,
    **{n: getattr(ml_dtypes, n) for n in list_formats() if hasattr(ml_dtypes, n)},
}
CODE_DTYPES = {8: np.uint8, 16: np.uint16, 32: np.uint32}


def reference_property(name: str, prop: str) -> Any:
    """The same property from ml_dtypes / numpy, or None where they do not have the format or it."""
    dtype = REFERENCE_DTYPES.get(name)
    if dtype is None or prop.startswith("block.") or prop in ("storage_bits", "sign_bit", "magnitudes_x12"):
        return None
    is_int = np.dtype(dtype).kind in "iu" or name in ("int4", "uint4", "int2", "uint2")
    info = (ml_dtypes.iinfo if is_int else ml_dtypes.finfo)(dtype)
    if prop in ("max", "min"):
        return float(getattr(info, prop))
    if prop == "bits":
        return int(info.bits)
    if prop in ("eps", "smallest_subnormal"):
        return float(getattr(info, prop))
    if prop == "exponent_bits":
        return int(info.nexp)
    if prop == "mantissa_bits":
        return int(info.nmant)
    bits = get_format(name).bits
    if prop == "bias":  # the code 1 << M (exponent field 1, mantissa 0) is 2^(1 - bias)
        one = np.array([1 << get_format(name).mantissa_bits], dtype=CODE_DTYPES[max(8, bits)]).view(dtype)
        return 1 - int(math.log2(float(one.astype(np.float64)[0])))
    if prop == "overflow_to_inf":
        def cast(x: float) -> float:
            with np.errstate(over="ignore"):
                return float(np.array(x).astype(dtype).astype(np.float64))
        return _first_inf(cast, float(info.max))
    if bits > 16:
        return None
    codes = np.arange(1 << bits)
    values = codes.astype(CODE_DTYPES[max(8, bits)]).view(dtype).astype(np.float64)
    return _from_codes(prop, codes, values)


def _split(name: str, prop: str) -> tuple[str, str]:
    """("float8_e4m3fn", "max") for "float8_e4m3fn.max" (another format), else (name, prop)."""
    head, _, rest = prop.partition(".")
    return (head, rest) if head in list_formats() else (name, prop)


def _same(prop: str, real: Any, claimed: Any) -> bool:
    if prop == "magnitudes_x12":  # bitsandbytes' levels are float32 twelfths (1/3 is 0.3333333432674408)
        return real == tuple(float(np.float32(v / 12)) for v in claimed)
    if isinstance(claimed, tuple):
        return tuple(real) == tuple(v if prop in CODE_PROPERTIES else float(v) for v in claimed)
    return real == claimed


# --------------------------------------------------------------------------------------- tests
def about_keys() -> set[str]:
    return {k for k in STRINGS if k.startswith("fmt.about.")}


@pytest.mark.parametrize("name", list_formats())
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_builtin_format_has_an_about_text(name, lang):
    key = f"fmt.about.{name}"
    assert key in STRINGS, f"{name} has no about text: add {key} to lib/strings/fmt_about.py"
    text = STRINGS[key][lang]
    assert text.strip() and format_about(get_format(name), lang) == text
    assert bool(CJK.search(text)) is (lang == "zh"), f"{key} [{lang}] is in the wrong language"
    if lang == "zh":  # full-width punctuation in running Chinese text
        assert not re.search(r"[,;:()]", text) and text.endswith("。"), text
    else:
        assert text.endswith("."), text


def test_no_about_text_for_a_format_that_does_not_exist():
    custom = {"custom", "custom_rule_ieee", "custom_rule_fn", "custom_rule_fnuz", "custom_rule_none", "custom_bias",
              "custom_builtin", "custom_builtin_bias", "unknown"}
    names = {k.removeprefix("fmt.about.") for k in about_keys()}
    assert names - custom == set(list_formats())
    assert {f"custom_rule_{s}" for s in ("ieee", "fn", "fnuz", "none")} <= names


def test_the_ledger_covers_every_format():
    assert set(CLAIMS) == set(list_formats())


@pytest.mark.parametrize("name", list_formats())
def test_every_number_in_a_text_is_claimed(name):
    tokens = {lang: number_tokens(t(f"fmt.about.{name}", lang)) for lang in LANGUAGES}
    assert tokens["en"] == tokens["zh"], f"{name}: the languages write different numbers"
    unclaimed = [tok for tok in tokens["en"] if not _matches(tok, CLAIMS[name])]
    assert unclaimed == [], f"{name}: numbers not in the CLAIMS ledger: {unclaimed}"


@pytest.mark.parametrize(("name", "prop"), [(n, p) for n, claims in CLAIMS.items() for p in claims])
def test_claims_are_facts(name, prop):
    claimed = CLAIMS[name][prop]
    fmt_name, real_prop = _split(name, prop)
    real = lib_property(fmt_name, real_prop)
    assert _same(real_prop, real, claimed), f"{name}: {prop} is {real}, the text claims {claimed}"
    ref = reference_property(fmt_name, real_prop)
    if ref is not None:
        assert _same(real_prop, ref, claimed), f"{name}: ml_dtypes/numpy give {prop} = {ref}, claimed {claimed}"


def test_facts_are_checked_against_ml_dtypes_where_it_has_the_format():
    """The reference side must not silently check nothing: these claims all have a reference value."""
    checked = [(n, p) for n, claims in CLAIMS.items() for p in claims
               if reference_property(*_split(n, p)) is not None]
    for must in [("float8_e4m3fn", "max"), ("float8_e4m3fnuz", "bias"), ("float8_e4m3fnuz", "nan_codes"),
                 ("float8_e4m3", "inf_codes"), ("float8_e8m0fnu", "min"), ("float6_e3m2fn", "nan_codes"),
                 ("float4_e2m1fn", "magnitudes"), ("float16", "overflow_to_inf"), ("int4", "min")]:
        assert must in checked


def test_the_checker_catches_a_wrong_number():
    """The ledger test can fail: a changed digit, a missing claim, a wrong code, a language mismatch."""
    claims = CLAIMS["float8_e4m3fn"]
    good = t("fmt.about.float8_e4m3fn", "en")
    assert all(_matches(tok, claims) for tok in number_tokens(good))
    for bad in (good.replace("448", "488"), good.replace("0x7F", "0x7E"), good.replace("S.1111.111", "S.1111.110"),
                good.replace("bias 7", "bias 8"), good + " Max 2^9."):
        assert not all(_matches(tok, claims) for tok in number_tokens(bad)), bad
    assert not _same("max", lib_property("float8_e4m3fnuz", "max"), 448)
    assert not _same("bias", reference_property("float8_e4m3fnuz", "bias"), 7)


def test_number_tokens_skip_names_and_read_signs_powers_and_codes():
    text = ("float8_e4m3fn, FP8, H100, TensorFloat-32, Q4_0, IEEE 754: 32-bit, −128 to 127, ±448, 2^-10, "
            "0x80, S.1111.111, no −0, ≈ 3.4e38, 0.0625/12, −1 … 1.")
    assert number_tokens(text) == {
        ("num", (32.0, None)), ("num", (-128.0, None)), ("num", (127.0, None)), ("num", (448.0, None)),
        ("num", (2**-10, None)), ("code", 0x80), ("codes", (0x7F, 0xFF)), ("negzero", None),
        ("num", (3.4e38, 2)), ("num", (0.0625, None)), ("num", (12.0, None)), ("num", (-1.0, None)),
        ("num", (1.0, None)),
    }
    assert number_tokens("数字 448，最大值约 3.4e38") == {("num", (448.0, None)), ("num", (3.4e38, 2))}



def test_claims_in_words_hold():
    """Claims the texts make in words: float32's narrower cousins, E5M2 = the top byte of a float16,
    bfloat16 = the top 16 bits of a float32, and the MX element types have no inf and no NaN although
    their names say "fn"."""
    from lib.formats import FLOAT_FORMATS

    for fmt in FLOAT_FORMATS:
        if fmt.name != "float32":
            e, m = fmt.exponent_bits, fmt.mantissa_bits
            assert e <= 8 and m <= 23 and (e, m) != (8, 23), fmt.name
    e5m2 = np.arange(256, dtype=np.uint8).view(ml_dtypes.float8_e5m2).astype(np.float32)
    f16_top = (np.arange(256, dtype=np.uint16) << 8).view(np.float16).astype(np.float32)
    assert np.array_equal(e5m2, f16_top, equal_nan=True)
    bf16 = np.arange(1 << 16, dtype=np.uint16).view(ml_dtypes.bfloat16).astype(np.float32)
    f32_top = (np.arange(1 << 16, dtype=np.uint32) << 16).view(np.float32)
    assert np.array_equal(bf16, f32_top, equal_nan=True)
    for name in ("float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn"):
        assert reference_property(name, "nan_codes") == () and reference_property(name, "inf_codes") == ()


# --------------------------------------------------------------------------------- custom formats
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_custom_format_text_explains_its_name_and_rule(lang):
    fmt = float_format(3, 3, specials="fnuz")  # not built in: float7_e3m3fnuz, bias 4, NaN 0x40, max 15
    text = format_about(fmt, lang, custom=True)
    assert fmt.name == "float7_e3m3fnuz" and "float7_e3m3fnuz" in text and "0x40" in text and "15" in text
    assert t("fmt.about.custom_rule_fnuz", lang, max="15", nan="0x40") in text
    assert f"{fmt.bias}" in text and "e3m3" in text
    none = format_about(float_format(3, 3, specials="none"), lang, custom=True)
    assert "float7_e3m3_finite" in none and t("fmt.about.custom_rule_none", lang, max="30") in none
    biased = format_about(float_format(4, 3, bias=5), lang, custom=True)
    assert t("fmt.about.custom_bias", lang, bias=5, usual=7) in biased and "960" in biased


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_custom_choice_that_is_built_in_says_so(lang):
    fmt = float_format(3, 2, specials="none")  # = float6_e3m2fn, which ml_dtypes names "fn"
    text = format_about(fmt, lang, custom=True)
    assert fmt.name == "float6_e3m2fn"
    assert text.startswith(t("fmt.about.custom_builtin", lang, e=3, m=2, rule="none", bias="", name="float6_e3m2fn",
                                  about=""))
    assert text.endswith(t("fmt.about.float6_e3m2fn", lang))
    assert format_about(fmt, lang) == t("fmt.about.float6_e3m2fn", lang)  # chosen from the list: no preamble


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_builtin_with_its_own_bias_is_named_with_it(lang):
    """E4 M3 "fnuz" names two built-ins, float8_e4m3fnuz (bias 8) and float8_e4m3b11fnuz (bias 11):
    the text of the second said only "E4 M3 with special values “fnuz”", as if it were the first."""
    b11 = format_about(float_format(4, 3, specials="fnuz", bias=11), lang, custom=True)
    b8 = format_about(float_format(4, 3, specials="fnuz"), lang, custom=True)
    assert t("fmt.about.custom_builtin_bias", lang, bias=11) in b11 and "float8_e4m3b11fnuz" in b11
    assert "11" not in b8.split(t("fmt.about.float8_e4m3fnuz", lang))[0] and "float8_e4m3fnuz" in b8


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_fnuz_rule_calls_its_bias_the_usual_one(lang):
    """A fnuz format with its own bias read "the bias is 2^(E−1)" and then "exponent bias 10"."""
    text = format_about(float_format(4, 3, specials="fnuz", bias=10), lang)
    assert ("the usual bias is 2^(E−1)" if lang == "en" else "通常的指数偏置取 2^(E−1)") in text
    assert t("fmt.about.custom_bias", lang, bias=10, usual=8) in text


def test_unknown_format_falls_back():
    class Odd:
        name, bits, kind = "odd9", 9, "table"

    assert format_about(Odd(), "en") == t("fmt.about.unknown", "en", name="odd9", bits=9)
    assert format_about(Odd(), "zh") == t("fmt.about.unknown", "zh", name="odd9", bits=9)
