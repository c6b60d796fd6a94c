"""The float32 fast path of ``round`` / ``round_scaled`` gives the exact path's results bit for bit."""

from __future__ import annotations

import ml_dtypes
import numpy as np
import pytest

from lib.errors import FormatError
from lib.formats import REGISTRY, get_format
from lib.formats import fast

def _fast(dtype: type) -> list:
    x = np.zeros(1, dtype)
    return [f for f in REGISTRY.values() if fast.supports(f, x, x, "saturate", "nearest_even")]


CASES = [(f, dt) for dt in (np.float32, np.float64) for f in _fast(dt)]
CASE_IDS = [f"{f.name}-{np.dtype(dt).name}" for f, dt in CASES]


def test_fast_path_covers_the_benchmarked_formats() -> None:
    names32, names64 = {f.name for f in _fast(np.float32)}, {f.name for f in _fast(np.float64)}
    for name in ("float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3",
                 "float8_e3m4", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn", "float16", "bfloat16", "tf32",
                 "float32", "int8", "int4"):  # fmt: skip
        assert name in names32 and name in names64
    for name in ("float8_e8m0fnu", "nf4", "bnb_fp4"):
        assert name not in names32 and name not in names64
    x = np.zeros(1, np.float32)
    assert not fast.supports(get_format("float8_e4m3fn"), x, x, "ieee", "nearest_even")
    assert not fast.supports(get_format("float8_e4m3fn"), x, x, "saturate", "stochastic")
    assert not fast.supports(get_format("float8_e4m3fn"), x.astype(np.float16), x.astype(np.float16),
                             "saturate", "nearest_even")  # fmt: skip


def _probe(fmt, dtype: type = np.float32) -> np.ndarray:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(21)
    parts = [rng.standard_normal(50_000) * s for s in (1e-40, 1e-6, 1e-3, 0.1, 1, 30, 1e3, 1e5, 1e37)]
    v = fmt.values() if fmt.bits <= 20 else rng.standard_normal(4000).astype(np.float32).astype(np.float64)
    if v.size > 4000:
        v = rng.choice(v, 4000, replace=False)
    v = np.sort(v)
    parts += [v, (v[:-1] + v[1:]) / 2, np.nextafter((v[:-1] + v[1:]) / 2, np.inf)]
    parts.append([0.0, -0.0, np.inf, -np.inf, np.nan, -np.nan, 1e38, -1e38, 1e-45, -1e-45, 3.5e38, 1e300])
    with np.errstate(over="ignore"):
        x = np.concatenate([np.asarray(p, np.float64) for p in parts]).astype(dtype)
    return rng.permutation(x)  # mix everything into every chunk


def _exact(fmt, x: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    return fmt.decode(fmt.encode(x)).astype(x.dtype)


def _assert_same(ours: np.ndarray, ref: np.ndarray) -> None:
    """Bit-identical, except that a NaN only has to be a NaN of the same sign."""
    nan = np.isnan(ref)
    assert ours.dtype == ref.dtype
    assert np.array_equal(np.isnan(ours), nan)
    uint = np.uint32 if ours.dtype == np.float32 else np.uint64
    bad = np.flatnonzero(ours[~nan].view(uint) != ref[~nan].view(uint))
    assert bad.size == 0, [(float(a), float(b)) for a, b in zip(ours[~nan][bad[:5]], ref[~nan][bad[:5]])]
    assert np.array_equal(np.signbit(ours[nan]), np.signbit(ref[nan]))


@pytest.mark.parametrize(("fmt", "dtype"), CASES, ids=CASE_IDS)
def test_fast_round_equals_exact_path(fmt, dtype) -> None:  # type: ignore[no-untyped-def]
    x = _probe(fmt, dtype)
    _assert_same(fmt.round(x), _exact(fmt, x))


@pytest.mark.parametrize(("fmt", "dtype"), CASES, ids=CASE_IDS)
def test_fast_round_scaled_equals_exact_path(fmt, dtype) -> None:  # type: ignore[no-untyped-def]
    x = _probe(fmt, dtype)[:60_000]
    s = dtype(0.37)
    with np.errstate(over="ignore"):
        ref = _exact(fmt, x / s) * s
    _assert_same(fmt.round_scaled(x, float(s)), ref)


@pytest.mark.parametrize("name", ["float8_e4m3fn", "float8_e5m2", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn"])
def test_fast_round_matches_ml_dtypes_round_trip(name: str) -> None:
    x = np.random.default_rng(3).standard_normal(1 << 20).astype(np.float32)
    fmt = get_format(name)
    x = np.clip(x, -fmt.max, fmt.max)  # inside the range, saturation and ml_dtypes' cast agree
    ref = x.astype(getattr(ml_dtypes, name)).astype(np.float32)
    assert np.array_equal(fmt.round(x).view(np.uint32), ref.view(np.uint32))


@pytest.mark.parametrize("name", ["int8", "int4", "uint8", "float8_e4m3fn", "float4_e2m1fn", "float8_e8m0fnu"])
def test_round_scaled_equals_divide_round_multiply(name: str) -> None:
    fmt = get_format(name)
    x = np.random.default_rng(4).standard_normal(300_000).astype(np.float32)
    x[:4] = [np.nan, np.inf, -np.inf, -0.0]
    scale = float(np.float32(np.abs(x[np.isfinite(x)]).max() / fmt.max))
    ours = fmt.round_scaled(x, scale)
    s = np.float32(scale)
    ref = _exact(fmt, x / s) * s
    nan = np.isnan(ref)
    assert ours.dtype == np.float32
    assert np.array_equal(np.isnan(ours), nan)
    assert np.array_equal(ours[~nan].view(np.uint32), ref[~nan].view(np.uint32))
    # and in float64 the generic path gives the same grid
    x64 = x.astype(np.float64)
    assert np.array_equal(fmt.round_scaled(x64, scale), _exact(fmt, x64 / scale).astype(np.float64) * scale,
                          equal_nan=True)  # fmt: skip


def test_int_fast_path_rounds_then_clips() -> None:
    int4 = get_format("int4")
    x = np.array([9.0, -9.4, 2.5, 3.5, -0.4, np.nan, 7.49, -8.5], np.float32)
    out = int4.round(x)
    assert out.dtype == np.float32
    assert out.tolist() == [7.0, -8.0, 2.0, 4.0, 0.0, 0.0, 7.0, -8.0]
    assert not np.signbit(out[4])  # integers have no -0
    assert int4.round(x, rounding="toward_zero").tolist() == [7.0, -8.0, 2.0, 3.0, 0.0, 0.0, 7.0, -8.0]
    # the INT8 seed example of FACTS.md: absmax scale 2.1 / 127 -> codes [-30, 18, 73, -127]
    w = np.array([-0.5, 0.3, 1.2, -2.1], np.float32)
    s = np.float32(2.1) / np.float32(127)
    assert (get_format("int8").round_scaled(w, float(s)) / s).round().tolist() == [-30, 18, 73, -127]


def test_round_scaled_rejects_bad_scale() -> None:
    for bad in (0.0, -1.0, np.inf, np.nan):
        with pytest.raises(FormatError):
            get_format("int8").round_scaled([1.0], bad)


def test_fast_path_keeps_shape_and_negative_zero() -> None:
    fmt = get_format("float8_e4m3fn")
    x = np.array([[-0.0, -1e-9], [1e-9, 1000.0]], np.float32)
    out = fmt.round(x)
    assert out.shape == (2, 2)
    assert np.signbit(out[0, 0]) and np.signbit(out[0, 1]) and not np.signbit(out[1, 0])
    assert out[1, 1] == 448.0
    fnuz = get_format("float8_e4m3fnuz").round(np.array([-0.0, -1e-9], np.float32))
    assert not np.signbit(fnuz).any()
    view = np.arange(20, dtype=np.float32)[::2]  # non-contiguous input
    assert fmt.round(view).tolist() == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]


def test_round_into_a_given_buffer() -> None:
    fmt = get_format("float8_e5m2")
    x = np.random.default_rng(8).standard_normal((300, 700)).astype(np.float32)
    buf = np.empty_like(x)
    assert fmt.round(x, out=buf) is buf
    assert np.array_equal(buf, fmt.round(x))
    assert get_format("int4").round_scaled(x, 0.5, out=buf) is buf
    assert np.array_equal(buf, get_format("int4").round_scaled(x, 0.5))
    with pytest.raises(ValueError):
        fmt.round(x, out=np.empty((300, 700), np.float64))
    with pytest.raises(ValueError):
        fmt.round(x, out=x)


@pytest.mark.parametrize(("fmt", "dtype"), CASES, ids=CASE_IDS)
def test_fast_encode_equals_exact_path(fmt, dtype) -> None:  # type: ignore[no-untyped-def]
    x = _probe(fmt, dtype)
    ours = fmt.encode(x)
    ref = np.concatenate([fmt._encode_chunk(p.astype(np.float64), "saturate", "nearest_even", None)
                          for p in np.array_split(x, 8)])  # fmt: skip
    assert ours.dtype == np.dtype(np.uint8 if fmt.bits <= 8 else np.uint16 if fmt.bits <= 16 else np.uint32)
    bad = np.flatnonzero(ours != ref)
    assert bad.size == 0, [(float(x[i]), int(ours[i]), int(ref[i])) for i in bad[:5]]


@pytest.mark.parametrize(("fmt", "dtype"), CASES, ids=CASE_IDS)
def test_fast_path_on_random_bit_patterns(fmt, dtype) -> None:  # type: ignore[no-untyped-def]
    """Every kind of input at once: subnormals, NaN payloads, Inf, huge and tiny values."""
    rng = np.random.default_rng(99)
    uint = np.uint32 if dtype == np.float32 else np.uint64
    x = rng.integers(0, np.iinfo(uint).max, 200_000, dtype=uint, endpoint=True).view(dtype)
    _assert_same(fmt.round(x), _exact(fmt, x))
    with np.errstate(invalid="ignore", over="ignore"):  # signalling-NaN casts, exact-path overflow
        ref = np.concatenate([fmt._encode_chunk(p.astype(np.float64), "saturate", "nearest_even", None)
                              for p in np.array_split(x, 4)])  # fmt: skip
    assert np.array_equal(fmt.encode(x), ref)
