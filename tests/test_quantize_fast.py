"""The fast paths of lib.quantize give the same bits as the plain formulas they replace."""

from __future__ import annotations

import numpy as np
import pytest

from lib.blocks import floor_log2, mx_shared_exponent, pow2
from lib.elements import get_element, snap
from lib.quantize import quantize
from lib.scales import absmax_rows, exact_scale


def _awkward(rows: int, cols: int, dtype: type) -> np.ndarray:
    rng = np.random.default_rng(rows * 1000 + cols)
    x = (rng.standard_normal((rows, cols)) * 10.0 ** rng.integers(-30, 30, (rows, 1))).astype(dtype)
    x[0] = -np.abs(x[0])  # a row of negatives only
    x[1, 0] = -0.0
    x[2] = 0.0
    x[3, -1] = np.nan
    x[4, 0] = -np.inf
    x[5] = np.abs(x[5])
    return x


@pytest.mark.parametrize("cols", [1, 5, 32, 64, 128, 129, 512, 4096])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_absmax_rows_is_abs_max(cols: int, dtype: type) -> None:
    x = _awkward(8, cols, dtype)
    with np.errstate(invalid="ignore"):
        expected = np.abs(x).max(axis=1)
    got = absmax_rows(x)
    assert got.dtype == x.dtype
    assert np.array_equal(got, expected, equal_nan=True)
    assert np.isnan(got[3]) and got[4] == np.inf and got[2] == 0 and not np.signbit(got[2])
    assert np.array_equal(absmax_rows(x.T), np.abs(x.T).max(axis=1), equal_nan=True)  # strided rows


def _exact_scale_reference(t: np.ndarray, qmax: float, dtype: np.dtype) -> np.ndarray:
    """The whole-array formula exact_scale replaced (nudges computed for every row)."""
    t_d = np.asarray(t, dtype=np.float64).astype(dtype)
    q = dtype.type(qmax)
    s = t_d / q
    for cand in (np.nextafter(s, dtype.type(np.inf)), np.nextafter(s, dtype.type(0))):
        s = np.where(((s * q) != t_d) & ((cand * q) == t_d), cand, s)
    s = np.where(t_d == 0, dtype.type(1), np.where(s > 0, s, np.finfo(dtype).smallest_subnormal)).astype(dtype)
    for i in np.flatnonzero(s < np.finfo(dtype).tiny):  # subnormal: raise until t / s <= qmax
        while t_d[i] / s[i] > q:
            s[i] = np.nextafter(s[i], dtype.type(np.inf))
    return s


@pytest.mark.parametrize("qmax", [127.0, 7.0, 448.0, 6.0, 1.0, 255.0])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_exact_scale_matches_whole_array_formula(qmax: float, dtype: type) -> None:
    rng = np.random.default_rng(3)
    t = np.abs(rng.standard_normal(5000)) * 10.0 ** rng.integers(-44, 38, 5000)
    t = np.concatenate([t, [0.0, 1e-45, 2.0**-126, 3.0e38, 1.0, 2.1]])
    with np.errstate(over="ignore"):
        got = exact_scale(t, qmax, np.dtype(dtype))
        want = _exact_scale_reference(t, qmax, np.dtype(dtype))
    assert np.array_equal(got.view(np.uint8), want.view(np.uint8))
    assert got[t.size - 6] == 1 and got[t.size - 1] * dtype(qmax) == dtype(2.1)  # t = 0; nudged 2.1
    assert exact_scale(np.float64(2.1), 127.0, np.dtype(dtype)).shape == ()


def test_mx_exponent_from_bits_float32_and_float64() -> None:
    rng = np.random.default_rng(4)
    a = (np.abs(rng.standard_normal(4000)) * 10.0 ** rng.integers(-45, 38, 4000)).astype(np.float32)
    a[:6] = [0.0, -0.0, 1e-45, 2.0**-126, 3.4e38, 1.0]
    for emax in (0, 2, 4, 8, 15):
        nz = np.where(a == 0, 1.0, a.astype(np.float64))
        want = np.clip(np.where(a == 0, max(-126 - emax, -127), floor_log2(nz) - emax), -127, 127)
        assert np.array_equal(mx_shared_exponent(a, emax), want)
        assert np.array_equal(mx_shared_exponent(a.astype(np.float64), emax), want)
    assert pow2(np.array([-127, 0, 3, 127])).tolist() == [2.0**-127, 1.0, 8.0, 2.0**127]


def test_nf4_codes_counted_in_place_equal_plain_count() -> None:
    el = get_element("nf4")
    levels = np.array(el.fmt.values(), dtype=np.float32)
    mids = (levels[:-1] + levels[1:]) / np.float32(2)
    v = np.concatenate([mids, np.nextafter(mids, np.float32(2)), np.nextafter(mids, np.float32(-2)),
                        levels, [0.0, -0.0, 1.0, -1.0]]).astype(np.float32).reshape(5, 13)
    codes = np.empty(v.shape, np.uint8)
    values, out = snap(el, v.copy(), codes_out=codes)
    expected = (v[..., None] > mids).sum(axis=-1)  # ties go to the lower level
    assert out is codes and np.array_equal(codes, expected)
    assert np.array_equal(values, levels[expected])
    values2, codes2 = snap(el, v.copy())  # no codes_out: same numbers
    assert np.array_equal(codes2, codes) and np.array_equal(values2, values)


def test_channel_and_group_results_unchanged_by_chunking() -> None:
    """Worked example of the fast per-channel path: one channel per row, x̂ = code · scale."""
    x = np.array([[-0.5, 0.3, 1.2, -2.1], [4.0, -1.0, 0.5, 0.0]], dtype=np.float32)
    r = quantize(x, "int8", granularity="channel", axis=0)
    assert r.codes.tolist() == [[-30, 18, 73, -127], [127, -32, 16, 0]]
    assert np.array_equal(r.dequantized, (r.codes * r.scale).astype(np.float32))
    big = np.tile(x, (40000, 1))  # several chunks: every copy of a row gets the same answer
    rb = quantize(big, "int8", granularity="channel", axis=0)
    assert np.array_equal(rb.codes[::2], np.broadcast_to(r.codes[0], (40000, 4)))
    assert np.array_equal(rb.dequantized[1::2], np.broadcast_to(r.dequantized[1], (40000, 4)))
