"""lib.formats: exhaustive round trips, registry identities, the scalar reference, properties.

Properties (hypothesis, modest example counts) hold for every registered format:
rounding is monotone, idempotent, lands on a nearest representable value; toward_zero never
grows a magnitude; stochastic rounding is unbiased (mean of 40,000 draws within 5 standard
errors of x, i.e. |mean - x| <= 5 * gap / (2 * sqrt(40000)) = gap / 80).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.formats import FLOAT_FORMATS, INT_FORMATS, REGISTRY, TABLE_FORMATS, float_format, get_format
from lib.formats.registry import FormatError
from lib.formats.scalar import decode_scalar, encode_scalar
from lib.formats.tables import NF4_LEVELS

SMALL = [f for f in REGISTRY.values() if f.bits <= 16]
SMALL_IDS = [f.name for f in SMALL]
DETERMINISTIC = ("nearest_even", "nearest_away", "toward_zero")


@pytest.mark.parametrize("fmt", SMALL, ids=SMALL_IDS)
def test_exhaustive_round_trip_of_every_code(fmt) -> None:  # type: ignore[no-untyped-def]
    codes = np.arange(1 << fmt.bits)
    values = fmt.decode(codes)
    again = fmt.encode(values, overflow="ieee")
    ok = ~np.isnan(values)
    if fmt.kind == "table" and fmt.name == "bnb_fp4":
        ok &= values != 0  # its two zero codes both decode to 0 and encode to the +0 code
    assert np.array_equal(again[ok], codes[ok])
    # NaN codes come back as the format's NaN (sign kept where the format has one)
    if fmt.kind == "float" and np.any(~ok):
        assert np.all(np.isnan(fmt.decode(again[~ok])))


@pytest.mark.parametrize("fmt", FLOAT_FORMATS, ids=[f.name for f in FLOAT_FORMATS])
def test_float_identities(fmt) -> None:  # type: ignore[no-untyped-def]
    assert int(fmt.signed) + fmt.exponent_bits + fmt.mantissa_bits == fmt.bits
    assert fmt.eps == 2.0**-fmt.mantissa_bits
    assert float(fmt.round(fmt.max)) == fmt.max
    assert float(fmt.decode(fmt.max_code)) == fmt.max
    step_above = fmt.max + 2.0 ** (math.floor(math.log2(fmt.max)) - fmt.mantissa_bits)
    assert float(fmt.round(step_above, overflow="ieee", rounding="toward_zero")) == fmt.max
    above = fmt.round(step_above, overflow="ieee")
    assert not np.isfinite(above) or float(above) == fmt.max  # not representable: Inf, NaN or clamp
    assert float(fmt.round(fmt.smallest_subnormal)) == fmt.smallest_subnormal
    assert float(fmt.round(fmt.smallest_normal)) == fmt.smallest_normal
    if fmt.signed:
        assert float(fmt.round(fmt.smallest_subnormal / 2, rounding="toward_zero")) == 0.0
        assert float(fmt.round(-fmt.max)) == -fmt.max == fmt.min
        assert float(fmt.round(1.0 + fmt.eps)) == 1.0 + fmt.eps
    if fmt.bits <= 16:
        vals = fmt.values()
        assert vals[-1] == fmt.max and vals[0] == fmt.min
        assert np.all(np.diff(vals) > 0)
        positive = vals[vals > 0]
        assert positive[0] == fmt.smallest_subnormal
        assert (positive >= fmt.smallest_normal)[np.searchsorted(positive, fmt.smallest_normal)]


@pytest.mark.parametrize("fmt", INT_FORMATS, ids=[f.name for f in INT_FORMATS])
def test_int_identities(fmt) -> None:  # type: ignore[no-untyped-def]
    assert fmt.values().tolist() == list(range(int(fmt.min), int(fmt.max) + 1))
    assert fmt.max - fmt.min + 1 == 2**fmt.bits


def test_nf4_table_matches_bitsandbytes_published_levels() -> None:
    published = [
        -1.0, -0.6961928, -0.5250731, -0.3949175, -0.2844414, -0.1847734, -0.0910500, 0.0,
        0.0795803, 0.1609302, 0.2461123, 0.3379152, 0.4407098, 0.5626170, 0.7229568, 1.0,
    ]  # fmt: skip
    nf4 = get_format("nf4")
    assert np.allclose(nf4.decode(np.arange(16)), published, rtol=0, atol=5e-8)
    assert float(nf4.decode(7)) == 0.0
    assert np.array_equal(np.asarray(NF4_LEVELS, np.float32).astype(np.float64), np.asarray(NF4_LEVELS))


def test_bnb_fp4_is_not_ocp_e2m1() -> None:
    bnb = get_format("bnb_fp4")
    mags = sorted({abs(v) for v in bnb.decode(np.arange(16)).tolist()})
    assert np.allclose(np.array(mags) * 12, [0, 0.0625, 2, 3, 4, 6, 8, 12])
    ocp = get_format("float4_e2m1fn").values()
    assert not np.allclose(np.sort(bnb.values()) * 6, ocp)


def _samples(fmt) -> np.ndarray:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(7)
    top = fmt.max if math.isfinite(fmt.max) else 1.0
    x = [rng.uniform(-1.3, 1.3, 150) * top, rng.standard_normal(100) * fmt.smallest_normal * 4]
    if fmt.bits <= 16:
        v = fmt.values()
        i = np.arange(v.size - 1)
        if v.size > 600:  # 16-bit formats: both ends and a random sample keep the exact reference fast
            i = np.unique(np.concatenate([i[:100], i[-100:], rng.choice(i, 400, replace=False)]))
        mid = (v[i] + v[i + 1]) / 2
        x += [v[i], v[i + 1], mid]  # values and the exact ties between them
        x += [mid * (1 + 2.0**-30), mid * (1 - 2.0**-30)]  # a tie in float32 (the "ieee" cast's first step)
    x.append(np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e300, -1e300, 1e-300, 2.0**-150, -1e-46]))
    return np.concatenate(x)


@pytest.mark.parametrize("fmt", list(REGISTRY.values()), ids=list(REGISTRY))
def test_vectorised_agrees_with_scalar_reference(fmt) -> None:  # type: ignore[no-untyped-def]
    x = _samples(fmt)
    for rounding in DETERMINISTIC:
        for overflow in ("saturate", "ieee"):
            ours = fmt.encode(x, overflow=overflow, rounding=rounding)
            ref = [encode_scalar(fmt, float(v), overflow, rounding) for v in x]
            bad = [(float(v), int(a), b) for v, a, b in zip(x, ours, ref) if int(a) != b]
            assert not bad, (rounding, overflow, bad[:5])
    codes = np.arange(1 << fmt.bits) if fmt.bits <= 16 else np.random.default_rng(3).integers(0, 1 << fmt.bits, 5000)
    ref_vals = np.array([decode_scalar(fmt, int(c)) for c in codes])
    assert np.array_equal(fmt.decode(codes), ref_vals, equal_nan=True)


def _finite_in_range(fmt):  # type: ignore[no-untyped-def]
    lo = fmt.min if fmt.kind != "float" or fmt.signed else 0.0
    return st.floats(min_value=lo * 1.25, max_value=fmt.max * 1.25, allow_nan=False, allow_infinity=False)


ALL = list(REGISTRY.values())


@pytest.mark.parametrize("fmt", ALL, ids=list(REGISTRY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_rounding_is_monotone_and_idempotent(fmt, data) -> None:  # type: ignore[no-untyped-def]
    rounding = data.draw(st.sampled_from(DETERMINISTIC))
    a = data.draw(_finite_in_range(fmt))
    b = data.draw(_finite_in_range(fmt))
    lo, hi = min(a, b), max(a, b)
    r_lo, r_hi = fmt.round(np.array([lo, hi]), rounding=rounding)
    assert r_lo <= r_hi
    r = fmt.round(np.array([r_lo, r_hi]), rounding=rounding)
    assert np.array_equal(r, [r_lo, r_hi])


@pytest.mark.parametrize("fmt", ALL, ids=list(REGISTRY))
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_round_picks_a_nearest_value(fmt, data) -> None:  # type: ignore[no-untyped-def]
    x = data.draw(_finite_in_range(fmt))
    r = float(fmt.round(x))
    below, above = fmt.neighbors(x)
    candidates = [v for v in (below, above) if not math.isnan(v)]
    if fmt.min <= x <= fmt.max and r != x:
        assert abs(r - x) <= min(abs(v - x) for v in candidates)
        assert r in candidates
    if x > fmt.max:
        assert r == fmt.max
    t = float(fmt.round(x, rounding="toward_zero"))
    if fmt.kind != "float" or fmt.signed:
        assert abs(t) <= abs(x) or (x < fmt.min and t == fmt.min) or (x > fmt.max and t == fmt.max)


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float4_e2m1fn", "bfloat16", "int4", "nf4", "float8_e8m0fnu"])
def test_stochastic_rounding_is_unbiased(name: str) -> None:
    fmt = get_format(name)
    n = 40_000
    for x in (0.3, 0.7, 0.61 * fmt.max if fmt.max < 100 else 1.37):
        below, above = fmt.neighbors(x)
        gap = above - below
        draws = fmt.round(np.full(n, x), rounding="stochastic", rng=np.random.default_rng(11))
        assert set(np.unique(draws).tolist()) <= {below, above}
        assert abs(draws.mean() - x) <= gap / 80  # 5 standard errors (one draw's sd <= gap / 2)
    again = fmt.round(np.full(100, 0.3), rounding="stochastic", rng=np.random.default_rng(11))
    assert np.array_equal(again, fmt.round(np.full(100, 0.3), rounding="stochastic", rng=np.random.default_rng(11)))


@pytest.mark.parametrize("fmt", TABLE_FORMATS, ids=[f.name for f in TABLE_FORMATS])
def test_table_rounding_rules(fmt) -> None:  # type: ignore[no-untyped-def]
    tiny = fmt.smallest_subnormal  # smallest positive level; tiny / 2 is an exact tie with 0
    assert float(fmt.round(tiny / 2)) == 0.0  # bitsandbytes: a tie goes to the lower level
    assert float(fmt.round(tiny / 2, rounding="nearest_away")) == tiny
    assert float(fmt.round(tiny * 0.51)) == tiny
    assert float(fmt.round(5.0)) == 1.0 and float(fmt.round(-5.0)) == -1.0
    assert float(fmt.round(np.nan)) == 0.0


CUSTOM = [
    (1, 2, None, "none"), (1, 0, None, "fnuz"), (2, 0, None, "fn"), (2, 2, None, "ieee"), (3, 0, None, "none"),
    (3, 3, -2, "fn"), (4, 2, 5, "fnuz"), (5, 3, None, "ieee"), (6, 1, None, "fn"), (2, 5, None, "fnuz"),
    (4, 5, None, "ieee"), (7, 2, 70, "none"),
]  # fmt: skip


@pytest.mark.parametrize("spec", CUSTOM, ids=[f"e{e}m{m}b{b}{s}" for e, m, b, s in CUSTOM])
def test_custom_formats_agree_with_scalar_reference(spec: tuple) -> None:
    e, m, bias, specials = spec
    fmt = float_format(e, m, bias=bias, specials=specials)
    assert fmt.bits == 1 + e + m
    codes = np.arange(1 << fmt.bits)
    values = fmt.decode(codes)
    assert_eps_is_the_gap_after_one(fmt)
    assert np.array_equal(values, [decode_scalar(fmt, int(c)) for c in codes], equal_nan=True)
    v = fmt.values()
    x = np.concatenate([v, (v[:-1] + v[1:]) / 2, [np.nan, np.inf, -np.inf, 3 * fmt.max, fmt.smallest_subnormal / 3]])
    for overflow in ("saturate", "ieee"):
        for rounding in DETERMINISTIC:
            ours = fmt.encode(x, overflow=overflow, rounding=rounding)
            assert ours.tolist() == [encode_scalar(fmt, float(t), overflow, rounding) for t in x]
    finite = np.isfinite(values)
    assert np.array_equal(fmt.encode(values[finite]), codes[finite])
    assert np.array_equal(fmt.decode(fmt.encode(values[finite])), values[finite])


def assert_eps_is_the_gap_after_one(fmt) -> None:  # type: ignore[no-untyped-def]
    """eps against the format's own list of values: the next value after 1, minus 1 (NaN when 1
    or a value after it is missing)."""
    v = fmt.values()
    after = v[v > 1]
    expected = float(after[0]) - 1 if 1 in v and after.size else math.nan
    assert fmt.eps == expected or (math.isnan(fmt.eps) and math.isnan(expected)), (fmt.name, fmt.eps, expected)


def _small_formats() -> list:  # type: ignore[type-arg]
    """Every E1..E5 x M0..M3 x specials combination float_format accepts (ieee needs E >= 2 and
    M >= 1; E1M0 "fn" has no normal number left)."""
    out = []
    for e, m, specials in itertools.product(range(1, 6), range(4), ("fn", "fnuz", "none", "ieee")):
        try:
            out.append(float_format(e, m, specials=specials))
        except FormatError:
            pass
    return out


SMALL_FORMATS = _small_formats()


def test_small_formats_cover_the_e1_cases() -> None:
    assert len(SMALL_FORMATS) == 71 and sum(f.exponent_bits == 1 for f in SMALL_FORMATS) == 11


@pytest.mark.parametrize("fmt", SMALL_FORMATS, ids=[f.name for f in SMALL_FORMATS])
def test_eps_is_the_gap_after_one_in_every_small_format(fmt) -> None:  # type: ignore[no-untyped-def]
    assert_eps_is_the_gap_after_one(fmt)


def test_eps_of_e1_formats_by_hand() -> None:
    assert float_format(1, 2, specials="fn").eps == 0.5  # 0, 0.5, 1, 1.5, 2, 2.5, 3
    assert math.isnan(float_format(1, 0, specials="none").eps)  # 0, 2: 1 is not a value
    assert float_format(3, 3, bias=-2, specials="fn").eps == 1.0  # subnormal step 2^(3-3)
