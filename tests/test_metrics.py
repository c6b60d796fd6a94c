"""lib.metrics: formulas on hand-computed cases, degenerate inputs, non-finite handling."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from lib.metrics import METRIC_KEYS, compute_metrics, error_sums
from lib.quantize import quantize


def test_worked_example_from_docstring() -> None:
    m = compute_metrics(np.array([1.0, 2.0]), np.array([1.0, 2.5]))
    assert m["mse"] == pytest.approx(0.125)
    assert m["rmse"] == pytest.approx(math.sqrt(0.125))
    assert m["sqnr_db"] == pytest.approx(10 * math.log10(5 / 0.25))
    assert m["max_abs_error"] == pytest.approx(0.5)
    assert m["mean_abs_error"] == pytest.approx(0.25)
    assert m["cosine"] == pytest.approx((1 + 5) / math.sqrt(5 * 7.25))
    assert list(m) == list(METRIC_KEYS)


def test_random_matches_direct_numpy_formulas() -> None:
    rng = np.random.default_rng(3)
    x = rng.standard_normal(300_001)  # several chunks
    h = x + rng.normal(0, 0.01, x.size)
    m = compute_metrics(x, h)
    e = h - x
    assert m["mse"] == pytest.approx(np.mean(e**2), rel=1e-9)
    assert m["sqnr_db"] == pytest.approx(10 * np.log10(np.sum(x**2) / np.sum(e**2)), rel=1e-9)
    assert m["max_abs_error"] == pytest.approx(np.max(np.abs(e)))
    assert m["mean_abs_error"] == pytest.approx(np.mean(np.abs(e)), rel=1e-9)
    assert m["cosine"] == pytest.approx(np.dot(x, h) / np.linalg.norm(x) / np.linalg.norm(h), rel=1e-12)


def test_exact_and_all_zero_give_inf_sqnr_without_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        zero = compute_metrics(np.zeros(10), np.zeros(10))
        same = compute_metrics(np.full(5, 3.0), np.full(5, 3.0))
    assert zero["sqnr_db"] == math.inf and zero["cosine"] == 1.0 and zero["mse"] == 0.0
    assert same["sqnr_db"] == math.inf and same["cosine"] == pytest.approx(1.0)


def test_zero_signal_nonzero_error_is_minus_inf() -> None:
    m = compute_metrics(np.zeros(3), np.array([0.0, 1.0, 0.0]))
    assert m["sqnr_db"] == -math.inf
    assert m["cosine"] == 0.0


def test_nonfinite_excluded_and_counted() -> None:
    x = np.array([1.0, np.nan, 2.0, np.inf, -np.inf])
    h = np.array([1.5, np.nan, 2.0, 7.0, -7.0])
    m = compute_metrics(x, h)
    assert m["nonfinite_count"] == 3
    assert m["mse"] == pytest.approx(0.25 / 2)
    assert m["max_abs_error"] == pytest.approx(0.5)


def test_levels_used_from_codes_and_from_values() -> None:
    x = np.array([0.1, 0.2, 0.3, np.nan])
    h = np.array([0.0, 0.25, 0.25, np.nan])
    codes = np.array([0, 1, 1, 5], dtype=np.int8)
    assert compute_metrics(x, h, codes=codes)["levels_used"] == 2  # the NaN position is ignored
    assert compute_metrics(x, h)["levels_used"] == 2
    m = compute_metrics(x, h, codes=codes, levels_available=256, bits_per_element=8.5)
    assert m["levels_available"] == 256
    assert m["compression_vs_fp32"] == pytest.approx(32 / 8.5)


def test_clipped_fraction_given_or_estimated() -> None:
    x = np.array([0.5, 1.0, 3.0, -4.0])
    h = np.array([0.5, 1.0, 2.0, -2.0])
    assert compute_metrics(x, h)["clipped_fraction"] == pytest.approx(0.5)
    assert compute_metrics(x, h, clipped_count=1)["clipped_fraction"] == pytest.approx(0.25)


def test_default_bits_are_those_of_x_hat() -> None:
    m = compute_metrics(np.ones(4), np.ones(4, dtype=np.float16))
    assert m["bits_per_element"] == 16.0 and m["compression_vs_fp32"] == 2.0


def test_shape_mismatch_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        compute_metrics(np.ones(3), np.ones(4))


def _exact_sums(x: np.ndarray, h: np.ndarray) -> tuple[float, float, float, float]:
    """(Σe², Σx², Σx̂², Σx·x̂) correctly rounded: float32 products are exact in float64, fsum."""
    x64, h64 = x.astype(np.float64), h.astype(np.float64)
    return tuple(math.fsum((a * b).tolist()) for a, b in ((h64 - x64, h64 - x64), (x64, x64), (h64, h64), (x64, h64)))


def test_float32_input_is_summed_in_float64() -> None:
    rng = np.random.default_rng(4)
    x = rng.standard_normal(300_000).astype(np.float32)
    h = (x + rng.normal(0, 0.01, x.size)).astype(np.float32)
    m = compute_metrics(x, h)
    see, sxx, shh, sxh = _exact_sums(x, h)
    assert m["mse"] == pytest.approx(see / x.size, rel=1e-12)
    assert m["sqnr_db"] == pytest.approx(10 * math.log10(sxx / see), rel=1e-12)
    assert m["cosine"] == pytest.approx(sxh / math.sqrt(sxx * shh), rel=1e-14)
    assert m == compute_metrics(x.astype(np.float64), h.astype(np.float64), bits_per_element=32)  # the same sums
    x[5], h[7] = np.nan, np.inf  # non-finite chunks fall back to the exact path
    m = compute_metrics(x, h)
    assert m["nonfinite_count"] == 1 and m["mse"] == math.inf
    big = np.full(10, 1e30, dtype=np.float32)  # squares overflow float32: float64 path
    assert compute_metrics(big, big)["sqnr_db"] == math.inf
    assert compute_metrics(big, big * np.float32(0.5))["sqnr_db"] == pytest.approx(10 * math.log10(4))


@pytest.mark.parametrize(("fmt", "used"), [("float16", 3), ("float8_e4m3fn", 3), ("float8_e5m2", 3), ("bfloat16", 4)])
def test_a_value_that_overflowed_to_inf_or_nan_holds_no_level(fmt: str, used: int) -> None:
    """float16 of [1, 2, 70000, 3] with overflow "ieee" read "levels used 4" of 63,487 finite
    levels: the inf code was counted. bfloat16 holds 70000 (as 70144), so all 4 are levels."""
    from lib.quantize import quantize

    r = quantize(np.float32([1.0, 2.0, 70000.0, 3.0]), fmt, method="none", overflow="ieee")
    assert r.metrics["levels_used"] == used
    assert np.isfinite(r.dequantized).sum() == used  # 1, 2, 3 (and bfloat16's 70144) are distinct


def test_levels_used_finds_rare_codes_in_late_chunks() -> None:
    codes = np.zeros(600_000, dtype=np.int8)
    codes[:200_000] = np.arange(200_000) % 100  # 100 codes early
    codes[550_000] = -128  # one rare code far away
    codes[599_999] = 127
    x = np.ones(codes.size)
    x[550_000] = np.nan  # ... which sits where x is NaN: not counted
    assert compute_metrics(x, x, codes=codes)["levels_used"] == 101
    assert compute_metrics(x, x, codes=codes.view(np.uint8))["levels_used"] == 101


def test_cosine_resolves_a_tiny_angle() -> None:
    """x ≈ 1 ± 0.001 stored in float16: 1 - cos ≈ 2.5e-8, below float32's resolution; float32
    partial sums reported cosine 1.0 here."""
    x = (1 + 0.001 * np.random.default_rng(2).standard_normal(10_000)).astype(np.float32)
    h = x.astype(np.float16).astype(np.float32)
    _, sxx, shh, sxh = _exact_sums(x, h)
    want = sxh / math.sqrt(sxx * shh)
    assert 1 - want > 1e-8
    assert compute_metrics(x, h)["cosine"] == pytest.approx(want, rel=1e-15, abs=0)
    assert quantize(x, "float16", method="none").metrics["cosine"] == pytest.approx(want, rel=1e-15, abs=0)


@pytest.mark.parametrize("k", [0, 40, 70, 100, 120])
def test_metrics_of_tiny_tensors_do_not_underflow(k: int) -> None:
    """Scaling x by 2**-k scales x̂ and the error exactly (int8 absmax is scale-free), so SQNR
    and cosine must not move; float32 squares of values below ~1e-19 underflow, and an early
    fast path reported such tensors as exact (SQNR inf)."""
    x = np.random.default_rng(0).standard_normal(1000).astype(np.float32)
    base = quantize(x, "int8").metrics
    m = quantize(x * np.float32(2.0**-k), "int8").metrics
    assert m["sqnr_db"] == pytest.approx(base["sqnr_db"], abs=1e-6)
    assert m["cosine"] == pytest.approx(base["cosine"], abs=1e-12)  # 2**-120: float32 subnormals lose bits
    assert m["rmse"] * 2.0**k == pytest.approx(base["rmse"], rel=1e-6)
    assert compute_metrics(np.float32([2e-30, 0]), np.float32([1e-30, 0]))["sqnr_db"] == pytest.approx(
        10 * np.log10(4), abs=1e-4)


def test_negative_zero_code_counts_with_code_zero() -> None:
    x = np.array([-1e-9, 1e-9, 1.0, 2.0], np.float32)
    h = np.array([-0.0, 0.0, 1.0, 2.0], np.float32)
    codes = np.array([0x80, 0x00, 0x38, 0x40], np.uint8)  # E4M3: -0, +0, 1, 2
    assert compute_metrics(x, h, codes=codes)["levels_used"] == 4  # codes, without the format's rule
    assert compute_metrics(x, h, codes=codes, negative_zero=0x80)["levels_used"] == 3
    assert compute_metrics(x, h)["levels_used"] == 3  # from values: -0 == +0
    assert compute_metrics(x[2:], h[2:], codes=codes[2:], negative_zero=0x80)["levels_used"] == 2
    wide = np.array([0x80000000, 0, 0x3F800000, 0x40000000], np.uint32)  # float32 codes: the np.unique path
    assert compute_metrics(x, h, codes=wide, negative_zero=0x80000000)["levels_used"] == 3


@pytest.mark.parametrize("scale", [1e300, 1e200, 1e-170, 1e-300, 1e-310])
def test_sqnr_and_cosine_hold_for_huge_and_tiny_values(scale: float) -> None:
    """Σx² overflowed for values above ~1e154 (SQNR read inf: "exact") and vanished below ~1e-162;
    the sums are now kept scaled by powers of two. [1, 2] -> [1, 2.5] is 13.01 dB at any scale."""
    m = compute_metrics(np.array([1.0, 2.0]) * scale, np.array([1.0, 2.5]) * scale)
    assert m["sqnr_db"] == pytest.approx(10 * np.log10(5 / 0.25), abs=1e-9)
    assert m["cosine"] == pytest.approx(6 / np.sqrt(5 * 7.25), abs=1e-12)
    assert m["rmse"] == pytest.approx(np.sqrt(0.125) * scale, rel=1e-12)


def test_unit_error_on_1e308_values_is_not_exact() -> None:
    m = compute_metrics(np.array([1e308, -1e308, 1.0]), np.array([1e308, -1e308, 0.0]))
    assert m["rmse"] == pytest.approx(np.sqrt(1 / 3)) and m["mse"] == pytest.approx(1 / 3)
    assert m["sqnr_db"] == pytest.approx(10 * (np.log10(2) + 616 - np.log10(1)), abs=1e-6)


ISSUE_3_KEYS = ("mse", "rmse", "sqnr_db", "max_abs_error", "mean_abs_error", "cosine", "clipped_fraction",
                "nonfinite_count", "levels_used", "levels_available", "bits_per_element", "compression_vs_fp32")


def test_metric_keys_keep_every_issue_metric_and_add_underflow_after_clipping() -> None:
    assert [k for k in METRIC_KEYS if k != "flushed_to_zero_fraction"] == list(ISSUE_3_KEYS)
    assert METRIC_KEYS.index("flushed_to_zero_fraction") == METRIC_KEYS.index("clipped_fraction") + 1


def test_flushed_to_zero_fraction_of_a_float8_cast_with_no_scale() -> None:
    """The docstring's example: float8_e4m3fn's smallest subnormal is 2^-9, so ±1e-5 become ±0;
    the 0 of x is not counted, so 2 of the 3 non-zero values were lost, and none was clipped."""
    r = quantize(np.float32([1e-5, -1e-5, 0.5, 0.0]), "float8_e4m3fn", method="none")
    assert r.dequantized.tolist() == [0.0, 0.0, 0.5, 0.0]
    assert r.metrics["flushed_to_zero_fraction"] == pytest.approx(2 / 3)
    assert r.metrics["clipped_fraction"] == 0.0
    # NaN and ±Inf are left out of both counts (Inf saturates to ±448, NaN stays NaN)
    r = quantize(np.float32([1e-5, -1e-5, 0.5, 0.0, np.nan, np.inf, -np.inf]), "float8_e4m3fn", method="none")
    assert r.metrics["flushed_to_zero_fraction"] == pytest.approx(2 / 3) and r.metrics["nonfinite_count"] == 3
    # a scale moves the small values into the format's range: absmax keeps all of them
    assert quantize(np.float32([1e-5, -1e-5, 0.5, 0.0]), "float8_e4m3fn").metrics["flushed_to_zero_fraction"] == 0.0


def test_flushed_to_zero_fraction_counts_non_zero_x_with_a_zero_x_hat() -> None:
    x = np.array([0.0, 0.0, 1.0, 2.0, 3.0, 4.0, np.nan, np.inf])
    h = np.array([0.0, 1.0, 0.0, -0.0, 3.0, np.nan, 0.0, 0.0])
    # x = 0 is never counted (even where x̂ = 1); -0 is 0; a NaN x̂ is not 0; non-finite x left out
    assert compute_metrics(x, h)["flushed_to_zero_fraction"] == pytest.approx(2 / 4)
    assert compute_metrics(np.zeros(5), np.zeros(5))["flushed_to_zero_fraction"] == 0.0  # no non-zero x
    assert compute_metrics(np.full(3, np.nan), np.zeros(3))["flushed_to_zero_fraction"] == 0.0
    assert compute_metrics(np.array([1e-300, 2.0]), np.array([0.0, 2.0]))["flushed_to_zero_fraction"] == 0.5


def test_int8_absmax_rounds_values_far_below_the_max_to_zero() -> None:
    """Scale 127 / 127 = 1: |x| < 0.5 rounds to code 0 (underflow), 0.51 to 1; the 127 sets the scale."""
    x = np.float32([127.0, 0.3, -0.49, 0.51, -2.0, 1e-3, 0.0])
    r = quantize(x, "int8")
    assert r.codes.tolist() == [127, 0, 0, 1, -2, 0, 0]
    assert r.metrics["flushed_to_zero_fraction"] == pytest.approx(3 / 6)
    assert r.metrics["clipped_fraction"] == 0.0


def test_flushed_to_zero_fraction_over_many_chunks_matches_numpy() -> None:
    rng = np.random.default_rng(8)
    x = (rng.standard_normal(300_001) * rng.choice([1.0, 1e-4], 300_001)).astype(np.float32)
    x[::7] = 0
    x[280_000] = np.nan  # a non-finite value in the last chunk: its masked path
    r = quantize(x, "float8_e4m3fn", method="none")
    ok = np.isfinite(x) & (x != 0)
    want = np.count_nonzero(r.dequantized[ok] == 0) / np.count_nonzero(ok)
    assert 0.45 < want < 0.55  # the 1e-4 half (below 2^-10), and a few of the others
    assert r.metrics["flushed_to_zero_fraction"] == pytest.approx(want, rel=1e-12)


def test_error_sums_of_parts_add_up_to_the_whole() -> None:
    """The docstring's example: [1, 2] -> [1, 2.5] and [3] -> [2]: 10·log10(14 / 1.25), not the
    mean of the parts' 13.01 and 9.54 dB."""
    a, b = error_sums(np.array([1.0, 2.0]), np.array([1.0, 2.5])), error_sums(np.array([3.0]), np.array([2.0]))
    m = (a + b).metrics()
    assert m["sqnr_db"] == pytest.approx(10 * math.log10(14 / 1.25), rel=1e-15)
    assert m["sqnr_db"] == pytest.approx(10.4922, abs=1e-4)
    assert m["mse"] == pytest.approx(1.25 / 3) and m["max_abs_error"] == 1.0 and m["mean_abs_error"] == 0.5
    assert m["cosine"] == pytest.approx((1 + 5 + 6) / math.sqrt(14 * (1 + 6.25 + 4)), rel=1e-15)
    assert a.error_share(a + b) == pytest.approx(0.2) and b.error_share(a + b) == pytest.approx(0.8)
    # split anywhere, the parts add to what compute_metrics gives for the whole
    rng = np.random.default_rng(3)
    x = np.concatenate([rng.standard_normal(300_000), [np.nan, 0.0, 1e-9]])
    h = np.round(x * 16) / 16
    whole = compute_metrics(x, h)
    parts = error_sums(x[:1000], h[:1000]) + error_sums(x[1000:200_001], h[1000:200_001]) + error_sums(x[200_001:], h[200_001:])
    for key, value in parts.metrics().items():
        assert value == pytest.approx(whole[key], rel=1e-12), key


def test_error_sums_add_without_overflow_near_float64_max() -> None:
    """Two tensors each with Σx² ≈ 1.7e308: their plain sum is inf; the 4^e scaling keeps it."""
    x = np.array([1.3e154])
    h = x * (1 + 2.0**-10)
    part = error_sums(x, h)
    total = part + part
    assert math.isfinite(total.sxx.s)
    assert total.metrics()["sqnr_db"] == pytest.approx(20 * math.log10(2.0**10), rel=1e-12)
    assert total.metrics()["sqnr_db"] == pytest.approx(compute_metrics(np.repeat(x, 2), np.repeat(h, 2))["sqnr_db"])


def test_an_overflow_to_inf_leaves_the_cosine_undefined() -> None:
    """×10⁴ values cast to float16 with overflow "ieee": the finite part of x̂ gave cosine 0.157,
    a number with no meaning once x̂ holds ±Inf. The errors are inf and the SQNR −∞."""
    x = np.array([1.0, -2.0, 70000.0, 3.0], dtype=np.float32)
    r = quantize(x, "float16", method="none", overflow="ieee")
    assert r.dequantized.tolist() == [1.0, -2.0, math.inf, 3.0]
    m = r.metrics
    assert math.isnan(m["cosine"]) and m["sqnr_db"] == -math.inf and m["max_abs_error"] == math.inf
    assert m["nonfinite_count"] == 0  # x itself is finite
    fnuz = quantize(x, "float8_e4m3fnuz", method="none", overflow="ieee")  # no Inf there: NaN
    assert math.isnan(fnuz.dequantized[2]) and math.isnan(fnuz.metrics["cosine"])
    saturated = quantize(x, "float16", method="none").metrics  # saturate: finite, a real angle
    x64, h64 = x.astype(np.float64), np.array([1, -2, 65504, 3], dtype=np.float64)
    assert saturated["cosine"] == pytest.approx(x64 @ h64 / math.sqrt((x64 @ x64) * (h64 @ h64)), rel=1e-15)
    a, b = error_sums(x, r.dequantized), error_sums(x, x)  # a file of two tensors: still undefined
    assert math.isnan((a + b).metrics()["cosine"]) and (b + b).metrics()["cosine"] == 1.0
