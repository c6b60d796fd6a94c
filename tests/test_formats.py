"""lib.formats: the interface, worked examples from FACTS.md, bad input, explain and neighbors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lib.errors import FormatError, ParseError
from lib.formats import (
    FLOAT_FORMATS,
    INT_FORMATS,
    REGISTRY,
    TABLE_FORMATS,
    float_format,
    get_format,
    list_formats,
)

REQUIRED = [
    "float32", "tf32", "float16", "bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz",
    "float8_e5m2fnuz", "float8_e4m3", "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn",
    "float8_e8m0fnu", "int8", "uint8", "int4", "uint4", "int2", "uint2", "nf4", "bnb_fp4",
]  # fmt: skip


def test_every_required_format_is_listed_and_found() -> None:
    names = list_formats()
    assert set(REQUIRED) <= set(names)
    for name in names:
        fmt = get_format(name)
        assert fmt.name == name
        assert fmt.kind in ("float", "int", "table")


@pytest.mark.parametrize(
    ("alias", "name"),
    [("fp8_e4m3", "float8_e4m3fn"), ("FP8_E5M2", "float8_e5m2"), ("fp4_e2m1", "float4_e2m1fn"), ("bf16", "bfloat16")],
)
def test_aliases(alias: str, name: str) -> None:
    assert get_format(alias) is REGISTRY[name]


# Table from FACTS.md: (name, E, M, bias, max, smallest subnormal)
FACTS_TABLE = [
    ("float32", 8, 23, 127, 3.4028234663852886e38, 2.0**-149),
    ("tf32", 8, 10, 127, (2 - 2**-10) * 2.0**127, 2.0**-136),
    ("float16", 5, 10, 15, 65504.0, 2.0**-24),
    ("bfloat16", 8, 7, 127, (2 - 2**-7) * 2.0**127, 2.0**-133),
    ("float8_e4m3fn", 4, 3, 7, 448.0, 2.0**-9),
    ("float8_e5m2", 5, 2, 15, 57344.0, 2.0**-16),
    ("float8_e4m3fnuz", 4, 3, 8, 240.0, 2.0**-10),
    ("float8_e5m2fnuz", 5, 2, 16, 57344.0, 2.0**-17),
    ("float8_e4m3", 4, 3, 7, 240.0, 2.0**-9),
    ("float8_e3m4", 3, 4, 3, 15.5, 2.0**-6),
    ("float6_e3m2fn", 3, 2, 3, 28.0, 2.0**-4),
    ("float6_e2m3fn", 2, 3, 1, 7.5, 2.0**-3),
    ("float4_e2m1fn", 2, 1, 1, 6.0, 0.5),
    ("float8_e8m0fnu", 8, 0, 127, 2.0**127, 2.0**-127),
]


@pytest.mark.parametrize(("name", "e", "m", "bias", "mx", "sub"), FACTS_TABLE)
def test_float_cards_match_facts(name: str, e: int, m: int, bias: int, mx: float, sub: float) -> None:
    fmt = get_format(name)
    assert (fmt.exponent_bits, fmt.mantissa_bits, fmt.bias) == (e, m, bias)
    assert fmt.max == mx
    assert fmt.smallest_subnormal == sub


def test_fp4_values_are_the_ocp_set() -> None:
    mags = [0, 0.5, 1, 1.5, 2, 3, 4, 6]
    expected = sorted({s * v for v in mags for s in (1, -1)})
    assert get_format("float4_e2m1fn").values().tolist() == expected


def test_worked_examples() -> None:
    e4m3 = get_format("float8_e4m3fn")
    assert int(e4m3.encode(0.1)) == 0b0_0011_101
    assert float(e4m3.decode(0b0_0011_101)) == 0.1015625
    assert float(e4m3.decode(0x7E)) == 448.0 and math.isnan(e4m3.decode(0x7F))
    assert float(get_format("float4_e2m1fn").round(7.0)) == 6.0
    # ml_dtypes-style overflow vs saturation (FACTS.md)
    assert int(e4m3.encode(464.0, overflow="ieee")) == 0x7E  # tie -> 448
    assert int(e4m3.encode(465.0, overflow="ieee")) == 0x7F  # NaN
    assert int(e4m3.encode(-1e6, overflow="saturate")) == 0xFE  # -448
    e5m2 = get_format("float8_e5m2")
    assert float(e5m2.round(61439.0, overflow="ieee")) == 57344.0
    assert math.isinf(e5m2.round(61440.0, overflow="ieee"))
    assert float(e5m2.round(np.inf)) == 57344.0
    assert float(get_format("float8_e4m3").round(248.0, overflow="ieee")) == np.inf
    assert int(get_format("float8_e4m3fnuz").encode(-0.0)) == 0
    assert int(get_format("float8_e4m3fnuz").encode(1e9, overflow="ieee")) == 0x80


@pytest.mark.parametrize("name", ["float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3b11fnuz"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("rounding", ["nearest_even", "toward_zero", "nearest_away"])
def test_fnuz_saturation_sends_inf_to_nan(name: str, dtype: type, rounding: str) -> None:
    """FACTS.md: saturating casts clamp finite values only; fnuz types map ±Inf to the NaN 0x80
    (AMD's cast_to_f8 with negative_zero_nan returns 0x80 for Inf before it clips). Every path:
    scalar reference, vector encode (fast and exact), round, round_scaled, 1 value and 100K."""
    from lib.formats.scalar import encode_scalar

    fmt = get_format(name)
    mx = fmt.max
    for n in (1, 100_000):  # one value: exact path; 100K: the chunked fast path
        x = np.resize(np.array([np.inf, -np.inf, 1e30, -1e30, 2 * mx, -2 * mx, 1.0], dtype), n * 7)
        codes = np.asarray(fmt.encode(x, rounding=rounding)).astype(int)
        want = np.resize(np.array([0x80, 0x80, 0x7F, 0xFF, 0x7F, 0xFF, int(fmt.encode(1.0))]), x.size)
        assert codes.tolist() == want.tolist()
        r = np.asarray(fmt.round(x, rounding=rounding))
        assert np.isnan(r[0::7]).all() and np.isnan(r[1::7]).all()
        assert (r[2::7] == mx).all() and (r[3::7] == -mx).all() and (r[6::7] == 1.0).all()
        rs = np.asarray(fmt.round_scaled(x, 0.5, rounding=rounding))
        assert np.isnan(rs[0::7]).all() and np.isnan(rs[1::7]).all() and (rs[2::7] == mx * 0.5).all()
    for v, code in ((np.inf, 0x80), (-np.inf, 0x80), (1e30, 0x7F), (-1e30, 0xFF)):
        assert encode_scalar(fmt, v, "saturate", rounding) == code
        assert encode_scalar(fmt, v, "ieee", rounding) == (0x80 if math.isinf(v) or rounding != "toward_zero"
                                                           else code)


def test_e8m0_rounds_like_ml_dtypes_and_documents_nonpositive() -> None:
    e8m0 = get_format("float8_e8m0fnu")
    assert float(e8m0.round(3.0)) == 4.0
    assert float(e8m0.round(1.4)) == 1.0
    assert int(e8m0.encode(0.0, overflow="ieee")) == 0xFF
    assert int(e8m0.encode(-2.0, overflow="saturate")) == 0
    assert int(e8m0.encode(np.nan)) == 0xFF
    assert int(e8m0.encode(np.inf)) == 0xFE


def test_nan_into_format_without_nan() -> None:
    fp4 = get_format("float4_e2m1fn")
    assert int(fp4.encode(np.nan)) == 0
    assert int(fp4.encode(np.nan, overflow="ieee")) == 0x8  # ml_dtypes: +NaN -> -0
    assert int(fp4.encode(-np.nan, overflow="ieee")) == 0x0
    assert float(fp4.round(-np.inf)) == -6.0


def test_ints_round_then_clip_never_wrap() -> None:
    int4, int8 = get_format("int4"), get_format("int8")
    assert int4.round(np.array([9.0, -9.4, 2.5, 3.5, np.nan])).tolist() == [7.0, -8.0, 2.0, 4.0, 0.0]
    assert int8.round(200.0) == 127.0
    assert int4.encode(np.array([-3, 7, -8])).tolist() == [13, 7, 8]
    assert int4.decode(np.array([13, 7, 8])).tolist() == [-3.0, 7.0, -8.0]
    assert (int8.min, int8.max) == (-128.0, 127.0)
    assert get_format("uint4").round(-3.0) == 0.0
    assert get_format("int8").round(2.5, rounding="nearest_away") == 3.0


def test_round_keeps_float_dtype() -> None:
    fmt = get_format("float8_e5m2")
    for dt in (np.float16, np.float32, np.float64):
        assert fmt.round(np.ones(3, dt)).dtype == dt
    assert fmt.round(np.arange(3)).dtype == np.float64
    assert fmt.encode(np.ones((2, 3))).shape == (2, 3)


def test_code_dtypes() -> None:
    assert get_format("float8_e4m3fn").encode([1.0]).dtype == np.uint8
    assert get_format("float16").encode([1.0]).dtype == np.uint16
    assert get_format("tf32").encode([1.0]).dtype == np.uint32
    assert int(get_format("tf32").encode(1.0)) == 127 << 10
    assert get_format("int4").encode([1.0]).dtype == np.uint8


def test_float_format_factory_matches_registered() -> None:
    assert float_format(4, 3, specials="fn") is get_format("float8_e4m3fn")
    assert float_format(5, 2) is get_format("float8_e5m2")
    custom = float_format(3, 3, specials="none")
    assert custom.bits == 7 and custom.max == 30.0 and custom.name == "float7_e3m3_finite"


def test_bad_input() -> None:
    with pytest.raises(FormatError) as err:
        get_format("float9")
    assert "float8_e4m3fn" in str(err.value) and "float9" in str(err.value)
    assert "float9" in err.value.message("zh")
    with pytest.raises(FormatError, match="exponent bit"):
        float_format(0, 3)
    with pytest.raises(FormatError, match="16 bits"):
        float_format(8, 10)
    for E, M, specials in [(11, 4, "none"), (12, 3, "fn"), (15, 0, "none")]:
        with pytest.raises(FormatError, match="float64"):
            float_format(E, M, specials=specials)  # max would be >= 2^1024: not a float64
    with pytest.raises(FormatError, match="float64"):
        float_format(5, 2, bias=1080)  # smallest subnormal 2^(1-1080-2) is below float64's 2^-1074
    assert float_format(11, 4).max == pytest.approx(1.7415152243978685e308)  # widest that fits
    with pytest.raises(ValueError):
        float_format(4, 3, specials="weird")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="real numbers"):
        get_format("int8").encode(np.array(["a", "b"]))
    with pytest.raises(TypeError):
        get_format("float16").round(np.array([1 + 2j]))
    with pytest.raises(FormatError):
        get_format("int4").decode(16)
    with pytest.raises(FormatError):
        get_format("float16").encode(1.0, overflow="wrap")  # type: ignore[arg-type]
    with pytest.raises(FormatError):
        get_format("float16").encode(1.0, rounding="up")  # type: ignore[arg-type]


def test_explain_normal_subnormal_and_specials() -> None:
    e4m3 = get_format("float8_e4m3fn")
    ex = e4m3.explain(0.1)
    assert (ex.code, ex.bits, ex.sign_bit, ex.exponent_bits, ex.mantissa_bits) == (29, "00011101", "0", "0011", "101")
    assert (ex.exponent, ex.cls, ex.value) == (-4, "normal", 0.1015625)
    assert ex.formula == "(-1)^0 × 2^(3-7) × (1 + 5/8) = 0.1015625"
    assert ex.abs_error == pytest.approx(0.0015625) and ex.rel_error == pytest.approx(0.015625)
    sub = e4m3.explain_code(0b1_0000_101)
    assert sub.cls == "subnormal" and sub.exponent == -6
    assert sub.formula == "(-1)^1 × 2^(1-7) × (0 + 5/8) = -0.009765625"
    assert e4m3.explain_code(0x80).cls == "zero"
    assert e4m3.explain_code(0x7F).cls == "nan"
    assert get_format("float16").explain(-np.inf).cls == "normal"  # saturates to -max
    assert get_format("float16").explain(-np.inf, overflow="ieee").cls == "inf"
    assert get_format("float16").explain(np.inf, overflow="ieee").formula == "(-1)^0 × ∞ = inf"
    assert get_format("float8_e8m0fnu").explain(8.0).formula == "2^(130-127) = 8"
    assert get_format("int8").explain(-45).formula == "-128 + 64 + 16 + 2 + 1 = -45"
    assert get_format("nf4").explain(0.56).formula == "nf4[13] = 0.5626170039176941"


def test_neighbors() -> None:
    fp4 = get_format("float4_e2m1fn")
    assert fp4.neighbors(2.5) == (2.0, 3.0)
    assert fp4.neighbors(2.0) == (1.5, 3.0)
    below, above = fp4.neighbors(10.0)
    assert below == 6.0 and math.isnan(above)
    assert all(math.isnan(v) for v in fp4.neighbors(np.nan))
    f32 = get_format("float32")
    lo, hi = f32.neighbors(1.0)
    assert (lo, hi) == (1 - 2**-24, 1 + 2**-23)
    assert f32.neighbors(0.0) == (-(2.0**-149), 2.0**-149)
    assert get_format("int8").neighbors(3.5) == (3.0, 4.0)


def test_code_from_bits() -> None:
    e4m3 = get_format("float8_e4m3fn")
    assert e4m3.code_from_bits("0 0111 000") == 0x38
    assert float(e4m3.decode(e4m3.code_from_bits("0_0111_000"))) == 1.0
    with pytest.raises(ParseError):
        e4m3.code_from_bits("0101")


def test_registry_partition() -> None:
    assert len(FLOAT_FORMATS) + len(INT_FORMATS) + len(TABLE_FORMATS) == len(REGISTRY)


def test_docstring_examples_run() -> None:
    """Every >>> example in lib (a docstring's worked example is part of its contract); only six
    modules were run, and two examples elsewhere had drifted from the code."""
    import doctest
    import importlib
    import pkgutil

    import lib

    attempted = {}
    for info in pkgutil.walk_packages(lib.__path__, "lib."):
        module = importlib.import_module(info.name)
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, info.name
        attempted[info.name] = result.attempted
    assert sum(attempted.values()) >= 60 and attempted["lib.layout"] == 2 and attempted["lib.errors"] == 1
    for name in ("lib.formats", "lib.formats.explain", "lib.formats.registry", "lib.formats.rounding",
                 "lib.formats.scalar", "lib.formats.spec", "lib.share", "lib.formats.exact"):
        assert attempted[name] > 0, name


def test_every_error_reads_in_both_languages() -> None:
    from lib.strings.formats import STRINGS

    raised = []
    attempts = [
        lambda: get_format("float9"),
        lambda: float_format(0, 3),
        lambda: float_format(3, -1),
        lambda: float_format(9, 9),
        lambda: float_format(3, 2, specials="odd"),  # type: ignore[arg-type]
        lambda: float_format(1, 0, specials="ieee"),
        lambda: float_format(3, 2, bias=1.5),  # type: ignore[arg-type]
        lambda: float_format(12, 3, specials="none"),
        lambda: get_format("int8").encode(1.0, overflow="wrap"),  # type: ignore[arg-type]
        lambda: get_format("int8").encode(1.0, rounding="up"),  # type: ignore[arg-type]
        lambda: get_format("nf4").decode(99),
        lambda: get_format("nf4").code_from_bits("12"),
        lambda: get_format("float32").values(),
        lambda: get_format("int8").round_scaled([1.0], 0.0),
    ]
    for attempt in attempts:
        with pytest.raises((FormatError, ParseError)) as err:
            attempt()
        en, zh = err.value.message("en"), err.value.message("zh")
        assert en and zh and en != zh and "{" not in en + zh
        raised.append(err.value.key)
    assert set(raised) == set(STRINGS)  # every string is reachable, every error has a string


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2", "float6_e2m3fn", "float4_e2m1fn", "float8_e8m0fnu",
                                  "float16", "bfloat16", "float32"])
def test_formula_ends_with_the_exact_value(name: str) -> None:
    """The formula said "(-1)^0 × 2^(123-127) × (1 + 5033165/8388608) = 0.10000000149011612" for float32's
    0x3DCCCCCD: an equation with float64's shortest text, which is not the value (typed on Bits it is
    another number). Every finite code of the small formats, and 2,000 of the wide ones."""
    from fractions import Fraction

    from lib.numparse import parse_number

    fmt = get_format(name)
    codes = range(1 << fmt.bits) if fmt.bits <= 8 else np.random.default_rng(5).integers(0, 1 << fmt.bits, 2000)
    for code in codes:
        e = fmt.explain_code(int(code))
        if not math.isfinite(e.value):
            continue
        shown = e.formula.rsplit(" = ", 1)[1]
        assert parse_number(shown).exact == Fraction(e.value), (name, hex(int(code)), e.formula)
    assert get_format("float32").explain_code(0x3DCCCCCD).formula.endswith("= 0.100000001490116119384765625")
