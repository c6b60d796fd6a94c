"""lib.formats against outside references, code for code.

* every format ml_dtypes has: decode of every code, and encode(overflow="ieee") == astype().view()
  on random values at many scales, exact ties, subnormals, ±0, ±inf, NaN and dense bands of float32
  bit patterns around max, smallest normal and smallest subnormal;
* the same from float64 input (float8_e8m0fnu of 1e-300 is NaN): ml_dtypes rounds to float32 first;
* float16 and float32 against numpy's own casts; tf32 against an independent bit-level rounding
  (float32 pattern rounded to nearest even at bit 13), since ml_dtypes has no tf32;
* the ExMy factory reproduces the named formats.
"""

from __future__ import annotations

import math
from fractions import Fraction

import ml_dtypes
import numpy as np
import pytest

from lib.formats import FloatFormat, float_format, get_format
from lib.numparse import parse_number

ML_NAMES = [
    "bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3",
    "float8_e3m4", "float8_e4m3b11fnuz", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "float8_e8m0fnu",
]  # fmt: skip


def _uint(bits: int) -> type:
    return np.uint8 if bits <= 8 else np.uint16 if bits <= 16 else np.uint32


def _ml_decode_all(name: str) -> np.ndarray:
    fmt = get_format(name)
    storage = np.uint16 if fmt.bits > 8 else np.uint8
    with np.errstate(invalid="ignore"):
        return np.arange(1 << fmt.bits).astype(storage).view(getattr(ml_dtypes, name)).astype(np.float64)


def probe_values(name: str, src: type = np.float32) -> np.ndarray:
    """Random values at many scales, every value and every midpoint, specials, and dense bit bands."""
    fmt = get_format(name)
    rng = np.random.default_rng(1234)
    parts = [rng.standard_normal(20_000) * s for s in (1e-40, 1e-8, 1e-4, 1e-2, 1, 10, 300, 6e4, 1e30, 1e38)]
    parts.append(rng.uniform(-1.5, 1.5, 20_000) * fmt.max)
    grid = np.unique(np.abs(fmt.values()) if fmt.bits <= 16 else [])
    if grid.size:
        mids = (grid[:-1] + grid[1:]) / 2  # exact ties (representable in float32 for these formats)
        parts += [grid, -grid, mids, -mids, [grid[-1] + (grid[-1] - grid[-2]) / 2]]
    parts.append([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan])
    with np.errstate(over="ignore", invalid="ignore"):
        parts += _bands(fmt, grid, src)
    with np.errstate(over="ignore"):
        return np.concatenate([np.asarray(p, np.float64).astype(src) for p in parts])


def _bands(fmt, grid: np.ndarray, src: type) -> list:  # type: ignore[no-untyped-def]
    info = np.finfo(src)
    bits_dtype = np.uint32 if src == np.float32 else np.uint64
    parts: list = []
    centres = [fmt.max, fmt.smallest_normal, fmt.smallest_subnormal, 2 * fmt.smallest_subnormal]
    for c in centres:
        if not (info.smallest_subnormal <= c <= info.max):
            continue
        # a few format values on either side of c, their midpoints, then a ±1500-pattern band around each
        q = 2.0 ** (max(np.floor(np.log2(c)), fmt.minexp) - fmt.mantissa_bits)  # grid spacing at c
        near = [c - q, c, c + q] if not grid.size else grid[max(0, np.searchsorted(grid, c) - 3) : np.searchsorted(grid, c) + 4]
        anchors = np.concatenate([near, (np.asarray(near[:-1]) + np.asarray(near[1:])) / 2])
        for anchor in anchors:
            b = int(np.asarray(anchor, src).view(bits_dtype))
            band = np.arange(max(b - 1500, 0), b + 1500).astype(bits_dtype).view(src)
            band = band[np.isfinite(band)]
            parts += [band, -band]
        lo = int(np.asarray(c / 4, src).view(bits_dtype))
        hi = int(np.asarray(min(c * 4, info.max), src).view(bits_dtype))
        sweep = np.linspace(lo, hi, 20_000).astype(bits_dtype).view(src)
        parts += [sweep, -sweep]
    return parts


@pytest.mark.parametrize("name", ML_NAMES)
def test_decode_every_code_matches_ml_dtypes(name: str) -> None:
    fmt = get_format(name)
    ours = fmt.decode(np.arange(1 << fmt.bits))
    ref = _ml_decode_all(name)
    assert np.array_equal(ours, ref, equal_nan=True)
    assert np.array_equal(np.signbit(ours), np.signbit(ref))


@pytest.mark.parametrize("name", ML_NAMES)
def test_encode_ieee_matches_ml_dtypes_cast(name: str) -> None:
    fmt = get_format(name)
    x = probe_values(name)
    with np.errstate(invalid="ignore", over="ignore"):
        ref = x.astype(getattr(ml_dtypes, name)).view(_uint(fmt.bits))
    ours = fmt.encode(x, overflow="ieee")
    bad = np.flatnonzero(ours != ref)
    assert bad.size == 0, [(float(x[i]), int(ours[i]), int(ref[i])) for i in bad[:5]]


@pytest.mark.parametrize("name", ML_NAMES)
def test_round_ieee_matches_ml_dtypes_round_trip(name: str) -> None:
    fmt = get_format(name)
    x = probe_values(name)
    with np.errstate(invalid="ignore", over="ignore"):
        ref = x.astype(getattr(ml_dtypes, name)).astype(np.float32)
    ours = fmt.round(x, overflow="ieee")
    assert ours.dtype == np.float32
    assert np.array_equal(ours, ref, equal_nan=True)
    assert np.array_equal(np.signbit(ours), np.signbit(ref))


def float64_probes(name: str) -> np.ndarray:
    """float64 values where a cast through float32 (ml_dtypes') and one rounding can differ: bit
    patterns around every value and midpoint of the format, right at and around float32's half step
    from them (2^28 float64 patterns), below float32's smallest subnormal, float64 subnormals, and
    random values over float64's whole range; all of them negated too."""
    fmt = get_format(name)
    grid = np.unique(np.abs(fmt.values()))
    f32 = np.finfo(np.float32)
    anchors = np.concatenate([grid, (grid[:-1] + grid[1:]) / 2, [grid[-1] + (grid[-1] - grid[-2]) / 2],
                              [2.0**-150, 2.0**-149, 1.5 * 2.0**-149, 2.0**-127, 2.0**-126, 2.0**127, 2.0**128,
                               float(f32.max), float(f32.smallest_normal)]])
    parts = []
    for a in anchors.tolist():
        b = int(np.float64(a).view(np.uint64))
        for centre in (b, b - (1 << 28), b + (1 << 28), b - (1 << 29), b + (1 << 29)):
            patterns = np.arange(centre - 6, centre + 7, dtype=np.int64)
            parts.append(patterns[patterns >= 0].view(np.float64))
    rng = np.random.default_rng(99)
    parts.append(rng.standard_normal(100_000) * 2.0 ** rng.integers(-1074, 1000, 100_000))
    parts.append(np.array([0.0, 5e-324, 1e-320, 1e-300, 1e-46, 7e-46, 1e-45, 1e300, np.inf, np.nan]))
    x = np.concatenate(parts)
    return np.concatenate([x, -x])


@pytest.mark.parametrize("name", ML_NAMES)
def test_ieee_from_float64_matches_ml_dtypes_cast(name: str) -> None:
    """ml_dtypes rounds float64 to float32 first; encode, round and explain do the same (a float64
    within float32's half step of a tie, E8M0's NaN for 1e-300, and so on)."""
    fmt = get_format(name)
    x = float64_probes(name)
    with np.errstate(invalid="ignore", over="ignore"):
        ref = x.astype(getattr(ml_dtypes, name))
    ours = fmt.encode(x, overflow="ieee")
    bad = np.flatnonzero(ours != ref.view(_uint(fmt.bits)))
    assert bad.size == 0, [(float(x[i]), int(ours[i]), int(ref.view(_uint(fmt.bits))[i])) for i in bad[:5]]
    rounded = fmt.round(x, overflow="ieee")
    assert rounded.dtype == np.float64
    assert np.array_equal(rounded, ref.astype(np.float64), equal_nan=True)
    assert np.array_equal(np.signbit(rounded), np.signbit(ref.astype(np.float64)))
    for i in range(0, x.size, 997):  # the Bits page's explain(), with and without the exact value
        value = float(x[i])
        want = int(ref.view(_uint(fmt.bits))[i])
        assert fmt.explain(value, overflow="ieee").code == want, value
        if math.isfinite(value):
            assert fmt.explain(value, overflow="ieee", exact=Fraction(value)).code == want, value


def test_ieee_from_integers_matches_ml_dtypes_cast() -> None:
    """int64 beyond float32's 24 bits is rounded to float32 first too: 2^24 + 2^16 + 1 is 2^24 + 2^16
    there, a bfloat16 tie that goes to the even 2^24 (one rounding would give 2^24 + 2^17)."""
    x = np.array([2**24 + 2**16 + 1, 2**40 + 2**32 + 1, -(2**24 + 2**16 + 1), 3, 0, -5], dtype=np.int64)
    for name in ("bfloat16", "float8_e8m0fnu", "float8_e5m2"):
        with np.errstate(invalid="ignore"):
            ref = x.astype(getattr(ml_dtypes, name)).view(_uint(get_format(name).bits))
        assert np.array_equal(get_format(name).encode(x, overflow="ieee"), ref), name


@pytest.mark.parametrize("text", ["1e-300", "2^-150", "1e-46", "7e-46", "5e-324", "-1e-300", "0", "-0"])
def test_e8m0_ieee_below_float32_is_nan(text: str) -> None:
    """Below float32's smallest subnormal (2^-149, ties to even at 2^-150) a number is 0 in float32,
    and E8M0 has no zero: the cast gives NaN (0xFF), typed as an exact number or not. Saturate
    gives the smallest value 2^-127 (code 0)."""
    e8 = get_format("float8_e8m0fnu")
    p = parse_number(text)
    ref = int(np.array([p.value]).astype(ml_dtypes.float8_e8m0fnu).view(np.uint8)[0])
    assert ref == 0xFF
    assert e8.explain(p.value, overflow="ieee", exact=p.exact).code == 0xFF
    assert int(e8.encode(p.value, overflow="ieee")) == 0xFF and math.isnan(e8.round(p.value, overflow="ieee"))
    assert e8.explain(p.value, exact=p.exact).code == 0


def test_e8m0_ieee_at_float32_smallest_subnormal() -> None:
    """2^-149, and anything above 2^-150 (a float32 tie, which goes to the even 0), is 2^-149 in
    float32, stored as E8M0's smallest value 2^-127; a typed number just above 2^-150 (whose float64
    is 2^-150) is rounded to float32 once, from its exact value, so it is 2^-127 too."""
    e8 = get_format("float8_e8m0fnu")
    tie = 2.0**-150
    for v in (2.0**-149, math.nextafter(tie, 1.0), 1.5 * 2.0**-150, 2.0**-127 + 2.0**-150):
        assert int(np.array([v]).astype(ml_dtypes.float8_e8m0fnu).view(np.uint8)[0]) == 0
        assert int(e8.encode(v, overflow="ieee")) == 0, v
    assert e8.explain(tie, overflow="ieee", exact=Fraction(tie) * (1 + Fraction(1, 2**70))).code == 0
    assert e8.explain(tie, overflow="ieee", exact=Fraction(tie) * (1 - Fraction(1, 2**70))).code == 0xFF


def test_float16_matches_numpy() -> None:
    fmt = get_format("float16")
    x = probe_values("float16")
    with np.errstate(over="ignore"):
        ref = x.astype(np.float16).view(np.uint16)
    assert np.array_equal(fmt.encode(x, overflow="ieee"), ref)
    codes = np.arange(1 << 16).astype(np.uint16)
    assert np.array_equal(fmt.decode(codes), codes.view(np.float16).astype(np.float64), equal_nan=True)


def test_float32_matches_numpy_from_float64() -> None:
    fmt = get_format("float32")
    x = probe_values("float32", src=np.float64)
    with np.errstate(over="ignore"):
        ref = x.astype(np.float32).view(np.uint32)
    bad = np.flatnonzero(fmt.encode(x, overflow="ieee") != ref)
    assert bad.size == 0, [float(x[i]) for i in bad[:5]]
    finite = np.isfinite(x) & (np.abs(x) <= fmt.max)
    assert np.array_equal(fmt.round(x[finite]), x[finite].astype(np.float32).astype(np.float64))
    rng = np.random.default_rng(5)
    codes = rng.integers(0, 1 << 32, 200_000, dtype=np.uint32)
    with np.errstate(invalid="ignore"):
        ref_vals = codes.view(np.float32).astype(np.float64)
    assert np.array_equal(fmt.decode(codes), ref_vals, equal_nan=True)


def tf32_reference(x: np.ndarray) -> np.ndarray:
    """Independent tf32: float32 bits rounded to nearest even at bit 13, NaN -> quiet NaN."""
    b = np.asarray(x, np.float32).view(np.uint32).astype(np.uint64)
    rounded = (b + 0xFFF + ((b >> 13) & 1)) >> 13
    nan = np.isnan(x)
    rounded[nan] = ((b[nan] >> 31) << 18) | 0x3FE00
    return rounded.astype(np.uint32)


def test_tf32_matches_bit_rounding_reference() -> None:
    fmt = get_format("tf32")
    x = probe_values("tf32")
    assert np.array_equal(fmt.encode(x, overflow="ieee"), tf32_reference(x))
    assert int(fmt.encode(np.float32(1 + 2**-11))) == 127 << 10  # tie -> even
    assert int(fmt.encode(np.float32(1 + 3 * 2**-11))) == (127 << 10) + 2
    codes = np.arange(0, 1 << 19, 7)
    with np.errstate(invalid="ignore"):
        ref = (codes.astype(np.uint32) << 13).view(np.float32).astype(np.float64)
    assert np.array_equal(fmt.decode(codes), ref, equal_nan=True)


@pytest.mark.parametrize(
    ("args", "name"),
    [((4, 3, None, "fn"), "float8_e4m3fn"), ((5, 2, None, "ieee"), "float8_e5m2"),
     ((4, 3, None, "fnuz"), "float8_e4m3fnuz"), ((2, 1, None, "none"), "float4_e2m1fn"),
     ((3, 4, None, "ieee"), "float8_e3m4"), ((4, 3, 11, "fnuz"), "float8_e4m3b11fnuz")],
)  # fmt: skip
def test_factory_reproduces_named_formats_code_for_code(args: tuple, name: str) -> None:
    e, m, bias, specials = args
    assert float_format(e, m, bias=bias, specials=specials) is get_format(name)
    # a fresh, unregistered object with the same numbers behaves identically to ml_dtypes
    named = get_format(name)
    fresh = FloatFormat("fresh", named.exponent_bits, named.mantissa_bits, named.bias, named.specials)
    x = probe_values(name)
    with np.errstate(invalid="ignore", over="ignore"):
        ref = x.astype(getattr(ml_dtypes, name)).view(np.uint8)
    assert np.array_equal(fresh.encode(x, overflow="ieee"), ref)
    assert np.array_equal(fresh.decode(np.arange(1 << fresh.bits)), _ml_decode_all(name), equal_nan=True)


def test_int_formats_never_truncate_and_wrap() -> None:
    x = np.array([9.0, 9.6, -9.6, 200.7, -200.7, 127.5, -128.5, 2.5, -2.5, 1e30, -np.inf])
    int4, int8 = get_format("int4"), get_format("int8")
    assert int4.round(x).tolist() == [7, 7, -8, 7, -8, 7, -8, 2, -2, 7, -8]
    assert int8.round(x).tolist() == [9, 10, -10, 127, -128, 127, -128, 2, -2, 127, -128]
    with np.errstate(invalid="ignore"):
        wrapped = np.array([9.0]).astype(ml_dtypes.int4).astype(np.float64)  # astype wraps: 9 -> -7
    assert wrapped[0] == -7 and int4.round(9.0) == 7.0
    # codes of int4 agree with ml_dtypes' bit patterns for in-range integers
    vals = np.arange(-8, 8)
    ml_codes = vals.astype(ml_dtypes.int4).view(np.uint8) & 0xF
    assert np.array_equal(int4.encode(vals), ml_codes)
    assert np.array_equal(get_format("int8").encode(np.arange(-128, 128)), np.arange(-128, 128).astype(np.int8).view(np.uint8))


@pytest.mark.parametrize("name", ML_NAMES + ["float16", "float32"])
def test_numbers_match_finfo(name: str) -> None:
    fmt = get_format(name)
    fi = np.finfo(np.dtype(name)) if name in ("float16", "float32") else ml_dtypes.finfo(getattr(ml_dtypes, name))
    assert fmt.max == float(fi.max) and fmt.min == float(fi.min)
    assert fmt.eps == float(fi.eps)
    assert fmt.smallest_normal == float(fi.smallest_normal)
    assert fmt.smallest_subnormal == float(fi.smallest_subnormal)
    assert (fmt.minexp, fmt.maxexp) == (fi.minexp, fi.maxexp)
    assert (fmt.exponent_bits, fmt.mantissa_bits) == (fi.nexp, fi.nmant)


@pytest.mark.parametrize("name", ["int2", "uint2", "int4", "uint4", "int8", "uint8"])
def test_int_formats_code_for_code(name: str) -> None:
    """Every code of each integer format decodes to the value ml_dtypes (int2/uint2/int4/uint4) or numpy
    (int8/uint8) reads from the same bit pattern, every in-range value encodes to that pattern, and
    the ranges are iinfo's."""
    fmt = get_format(name)
    dtype = getattr(ml_dtypes, name) if hasattr(ml_dtypes, name) else np.dtype(name)
    info = ml_dtypes.iinfo(dtype) if hasattr(ml_dtypes, name) else np.iinfo(dtype)
    assert (fmt.min, fmt.max, fmt.bits) == (info.min, info.max, info.bits)
    codes = np.arange(1 << fmt.bits)
    ref = codes.astype(np.uint8).view(dtype).astype(np.int64)
    assert np.array_equal(np.asarray(fmt.decode(codes)), ref.astype(np.float64))
    assert np.array_equal(np.asarray(fmt.encode(ref.astype(np.float64))).astype(np.int64), codes)
