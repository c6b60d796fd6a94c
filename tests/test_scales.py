"""lib.scales: scale rules, exactness nudging, histograms and the mse / kl searches."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lib.elements import get_element
from lib.errors import QuantizeError
from lib.scales import (
    METHODS,
    choose_scale,
    exact_scale,
    kl_threshold_ratio,
    mse_error_table,
    normalized_histogram,
    row_stats,
)

INT8 = get_element("int8")


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_row_stats_ignore_nonfinite() -> None:
    x = np.array([[1.0, np.nan, -3.0], [np.inf, 2.0, 0.5], [np.nan, np.nan, np.nan]])
    st = row_stats(x)
    assert st.vmin.tolist() == [-3.0, 0.5, 0.0]
    assert st.vmax.tolist() == [1.0, 2.0, 0.0]
    assert st.nonfinite.tolist() == [1, 1, 3]
    assert st.amax(INT8).tolist() == [3.0, 2.0, 0.0]
    assert st.amax(get_element("uint8")).tolist() == [1.0, 2.0, 0.0]


def test_exact_scale_reproduces_threshold() -> None:
    rng = np.random.default_rng(0)
    t = (rng.random(20_000) * 10.0 ** rng.integers(-30, 30, 20_000)).astype(np.float32)
    s = exact_scale(t, 127.0, np.dtype(np.float32))
    assert s.dtype == np.float32
    hit = np.mean(s * np.float32(127) == t)
    assert hit > 0.99  # a 1-ulp nudge almost always makes qmax·scale land exactly on t
    assert np.all(np.abs(s.astype(np.float64) * 127 / t - 1) < 2e-7)
    assert exact_scale(np.array([0.0]), 127.0, np.dtype(np.float64)).tolist() == [1.0]


def test_pow2_and_none() -> None:
    x = np.array([[0.3, -5.0], [0.0, 0.0]])
    st = row_stats(x)
    s, zp = choose_scale(x, INT8, "pow2", st)
    assert s.tolist() == [2.0**-4, 1.0] and zp is None
    assert choose_scale(x, INT8, "none", st)[0].tolist() == [1.0, 1.0]
    exact = np.array([[127.0 * 2**-3]])
    assert choose_scale(exact, INT8, "pow2", row_stats(exact))[0].tolist() == [2.0**-3]


def test_minmax_zero_point() -> None:
    x = np.array([[-1.0, 3.0], [2.0, 4.0], [0.0, 0.0]])
    s, zp = choose_scale(x, INT8, "minmax", row_stats(x))
    assert s.tolist() == pytest.approx([4 / 255, 4 / 255, 1.0])
    assert zp.tolist() == [-128 + 64, -128, -128]


def test_unknown_method() -> None:
    with pytest.raises(QuantizeError, match="kl"):
        choose_scale(np.ones((1, 2)), INT8, "entropy", row_stats(np.ones((1, 2))))
    assert METHODS == ("none", "absmax", "minmax", "percentile", "mse", "kl", "pow2")


def test_percentile_per_row_with_nan() -> None:
    x = np.array([np.arange(101.0), np.r_[np.arange(100.0), np.nan]])
    s, _ = choose_scale(x, INT8, "percentile", row_stats(x), percentile=50)
    assert s.tolist() == pytest.approx([50 / 127, 49.5 / 127])


def test_normalized_histogram_counts() -> None:
    x = np.array([[0.0, 0.5, -1.0, np.nan], [2.0, 2.0, 2.0, 2.0]])
    st = row_stats(x)
    h = normalized_histogram(x, INT8, st, st.amax(INT8), 4, per_row=True)
    assert h.tolist() == [[1, 0, 1, 1], [0, 0, 0, 4]]
    pooled = normalized_histogram(x, INT8, st, st.amax(INT8), 4, per_row=False, weights=np.array([1.0, 0.5]))
    assert pooled.tolist() == [1, 0, 1, 3]


def test_normalized_histogram_split_by_sign() -> None:
    x = np.array([[0.0, 0.5, -1.0, np.nan], [2.0, -2.0, 2.0, -0.5]])
    st = row_stats(x)
    h = normalized_histogram(x, INT8, st, st.amax(INT8), 4, per_row=True, split_sign=True)
    assert h.tolist() == [[1, 0, 0, 0, 1, 0, 1, 0], [1, 0, 0, 1, 0, 0, 0, 2]]  # x / amax on [-1, 1]
    pooled = normalized_histogram(x, INT8, st, st.amax(INT8), 4, per_row=False, split_sign=True)
    assert pooled.tolist() == [2, 0, 0, 1, 1, 0, 1, 2]


@pytest.mark.parametrize(("name", "mirrored"), [("int8", False), ("int4", False), ("nf4", False), ("uint8", True),
                                                ("float8_e4m3fn", True), ("float4_e2m1fn", True), ("bnb_fp4", True)])
def test_mirrored_grid(name: str, mirrored: bool) -> None:
    from lib.scales import mirrored_grid

    assert mirrored_grid(get_element(name)) is mirrored


def test_mse_error_table_int() -> None:
    e = mse_error_table(INT8, np.array([0.5, 1.0]), np.array([0.5, 1.0]))
    # ratio 1: scale 1/127, both centres nearly exact; ratio 0.5: 1.0 clips to 0.5
    assert e[1, 1] == pytest.approx(0.0, abs=1e-30)
    assert e[0, 1] == pytest.approx(0.25)
    assert e[1, 0] == pytest.approx((0.5 - np.rint(63.5) / 127) ** 2)


def _trt_entropy_reference(calib_hist: np.ndarray, num_bits: int, unsigned: bool, start_bin: int = 128) -> float:
    """pytorch-quantization's ``_compute_amax_entropy`` (calib/histogram.py, Apache-2.0), stride 1,
    loop for loop, with scipy.stats.entropy written out; returns the threshold as i / len(bins)."""
    from collections import Counter

    def entropy(pk: np.ndarray, qk: np.ndarray) -> float:
        pk, qk = pk / pk.sum(), qk / qk.sum()
        with np.errstate(divide="ignore", invalid="ignore"):
            return float(np.where(pk > 0, np.where(qk > 0, pk * np.log(pk / qk), np.inf), 0.0).sum())

    bins = calib_hist.astype(np.float64).copy()
    bins[0] = bins[1]
    nbins = 1 << (num_bits - 1 + int(unsigned))
    divergences = []
    new_density_counts = np.zeros(nbins, dtype=np.float64)
    for i in range(start_bin, len(bins) + 1):
        new_density_counts.fill(0)
        space = np.linspace(0, i, num=nbins + 1)
        digitized_space = np.digitize(range(i), space) - 1
        digitized_space[bins[:i] == 0] = -1
        for idx, digitized in enumerate(digitized_space):
            if digitized != -1:
                new_density_counts[digitized] += bins[idx]
        for key, val in Counter(digitized_space).items():
            if key != -1:
                new_density_counts[key] = new_density_counts[key] / val
        new_density = np.zeros(i, dtype=np.float64)
        for idx, digitized in enumerate(digitized_space):
            if digitized != -1:
                new_density[idx] = new_density_counts[digitized]
        reference_density = np.array(bins[:len(digitized_space)])
        reference_density[-1] += np.sum(bins[i:])
        divergences.append(entropy(reference_density, new_density))
    div = np.array(divergences)
    return (len(div) - 1 - int(np.argmin(div[::-1])) + start_bin) / len(bins)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("name", "bits", "unsigned"), [("int8", 8, False), ("int4", 4, False), ("uint8", 8, True),
                                                        ("int2", 2, False)])
def test_kl_is_tensorrt_entropy_calibration(seed: int, name: str, bits: int, unsigned: bool) -> None:
    """The same threshold as TensorRT's algorithm, on histograms of normal, heavy-tailed, sparse
    (empty bins) and spiky data; 512 bins keep the loop reference quick (candidates 128 .. 512)."""
    rng = np.random.default_rng(seed)
    x = np.abs([rng.standard_normal(20_000), rng.standard_t(3, 5000), rng.laplace(size=300),
                np.concatenate([rng.standard_normal(2000) * 0.01, rng.standard_normal(30) * 5])][seed])
    hist = np.histogram(x, bins=512, range=(0, x.max()))[0].astype(np.float64)
    assert kl_threshold_ratio(hist, get_element(name)) == _trt_entropy_reference(hist, bits, unsigned)


def test_kl_on_2048_bins_as_tensorrt() -> None:
    x = np.abs(np.random.default_rng(9).standard_t(3, 5000))
    hist = np.histogram(x, bins=2048, range=(0, x.max()))[0].astype(np.float64)
    ratio = kl_threshold_ratio(hist, INT8)
    assert ratio == _trt_entropy_reference(hist, 8, False) and ratio < 0.5


def test_kl_keeps_full_range_for_uniform_and_clips_heavy_tail() -> None:
    flat = np.ones(2048)
    assert kl_threshold_ratio(flat, INT8) == 1.0
    assert kl_threshold_ratio(np.zeros(2048), INT8) == 1.0
    x = np.random.default_rng(1).standard_t(2, 200_000)
    st = row_stats(x[None, :])
    amax = st.amax(INT8)
    hist = normalized_histogram(x[None, :], INT8, st, amax, 2048, per_row=False)
    assert kl_threshold_ratio(hist, INT8) < 0.5


def test_mse_per_row_search_differs_by_row() -> None:
    rng = np.random.default_rng(2)
    a = rng.standard_normal(4000)
    b = rng.uniform(-1, 1, 4000)
    x = np.stack([a, b])
    int4 = get_element("int4")
    s, _ = choose_scale(x, int4, "mse", row_stats(x))
    ratio = s * 7 / np.abs(x).max(axis=1)
    assert ratio[0] < 0.75 and ratio[1] > 0.9  # gaussian clips, uniform keeps its range


@pytest.mark.parametrize("name", ["float32", "tf32", "float16", "bfloat16"])
def test_kl_on_formats_finer_than_the_histogram(name: str) -> None:
    """Their levels cannot (float32) or need not be listed: each bin is its own group, Q = P below
    the threshold, and only clipping costs divergence, so the whole range is kept."""
    x = np.random.default_rng(3).standard_normal(20_000)
    st_ = row_stats(x[None, :])
    el = get_element(name)
    hist = normalized_histogram(x[None, :], el, st_, st_.amax(el), 2048, per_row=False)
    assert kl_threshold_ratio(hist, el) == 1.0


@pytest.mark.parametrize("method", ["mse", "kl"])
@pytest.mark.parametrize("granularity", ["tensor", "channel", "group"])
def test_searches_on_float64_subnormals(method: str, granularity: str) -> None:
    """bins / amax overflowed for amax = 1e-320: the histogram's bin indices became negative and
    np.bincount raised. The rows are scaled by 2^600 first now; the search gives a real result."""
    from lib.quantize import quantize

    x = np.array([[1e-320, 5e-324, -3e-321, 2e-321], [1.0, 2.0, -0.5, 0.25]])
    r = quantize(x, fmt="int4", method=method, granularity=granularity, axis=0,
                 block_size=2 if granularity == "group" else None)
    # a subnormal scale keeps few bits: 7 · scale may pass max|x| by a little (1.003e-320 for 1e-320)
    assert np.all(np.isfinite(r.dequantized))
    assert np.all(np.abs(r.dequantized) <= 1.01 * np.abs(x).max(axis=1, keepdims=True))
    if granularity != "tensor":  # the tiny row gets its own scale and keeps its largest value
        assert r.dequantized[0, 0] == pytest.approx(1e-320, rel=0.2)
