"""lib.quantize: the public interface, conventions, granularity and every edge case of issue 3."""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np
import pytest

from lib.elements import format_names, get_element
from lib.errors import QuantizeError
from lib.formats import get_format, list_formats
from lib.metrics import METRIC_KEYS
from lib.quantize import QuantResult, list_methods, list_schemes, quantize

METHODS = ["none", "absmax", "minmax", "percentile", "mse", "kl", "pow2"]


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_worked_example_absmax_int8() -> None:
    r = quantize(np.array([-0.5, 0.3, 1.2, -2.1]), fmt="int8", method="absmax")
    assert r.scale.item() == pytest.approx(2.1 / 127, rel=1e-15)
    assert r.codes.tolist() == [-30, 18, 73, -127]
    assert r.codes.dtype == np.int8
    assert r.zero_point is None
    assert r.dequantized.tolist() == pytest.approx([c * 2.1 / 127 for c in (-30, 18, 73, -127)])
    assert r.dequantized[3] == -2.1  # the absmax value comes back exactly
    assert set(r.metrics) == set(METRIC_KEYS)
    assert r.metrics["max_abs_error"] == pytest.approx(abs(73 * 2.1 / 127 - 1.2))


def test_names_listed() -> None:
    assert list_methods() == METHODS
    assert list_schemes() == ["mxfp8_e4m3", "mxfp8_e5m2", "mxfp6_e3m2", "mxfp6_e2m3", "mxfp4", "mxint8",
                              "nvfp4", "q8_0", "q4_0", "nf4"]


def test_minmax_affine_int8() -> None:
    x = np.array([-1.0, 0.0, 0.5, 3.0])
    r = quantize(x, "int8", "minmax")
    scale = 4.0 / 255
    zp = -128 - round(-1.0 / scale)
    assert r.scale.item() == pytest.approx(scale)
    assert r.zero_point.item() == zp
    expected = np.clip(np.rint(x / scale) + zp, -128, 127)
    assert r.codes.tolist() == expected.astype(int).tolist()
    assert r.dequantized[1] == 0.0  # zero is exact in the affine scheme
    assert r.metrics["bits_per_element"] == pytest.approx(8 + (32 + 8) / 4)


def test_minmax_widens_range_to_zero() -> None:
    r = quantize(np.array([2.0, 3.0, 4.0]), "uint8", "minmax")
    assert r.scale.item() == pytest.approx(4.0 / 255)
    assert r.zero_point.item() == 0
    assert r.codes.tolist() == [128, 191, 255]


def test_none_casts_directly() -> None:
    x = np.array([0.1, 1000.0, -3.3])
    r = quantize(x, "float8_e4m3fn", "none")
    assert r.scale.item() == 1.0
    oracle = x.astype(ml_dtypes.float8_e4m3fn).astype(np.float64)
    oracle[1] = 448.0  # saturating (default) instead of the cast's NaN
    assert r.dequantized.tolist() == oracle.tolist()
    assert r.metrics["clipped_fraction"] == pytest.approx(1 / 3)
    assert r.metrics["bits_per_element"] == 8.0


def test_absmax_float8_matches_ml_dtypes_oracle() -> None:
    x = np.random.default_rng(0).standard_normal(1000).astype(np.float32)
    r = quantize(x, "float8_e4m3fn", "absmax")
    s = r.scale.item()
    assert s * 448 == np.abs(x).max()
    oracle = (x / np.float32(s)).astype(ml_dtypes.float8_e4m3fn)
    assert np.array_equal(r.codes, oracle.view(np.uint8))
    assert np.array_equal(r.dequantized, oracle.astype(np.float32) * np.float32(s))


def test_pow2_scale_is_power_of_two_and_never_clips() -> None:
    x = np.array([0.3, -5.0, 2.0])
    r = quantize(x, "int8", "pow2")
    assert r.scale.item() == 2.0**-4  # 5/127 = 0.039 -> 2**-4 = 0.0625
    assert r.codes.tolist() == [5, -80, 32]
    assert r.metrics["clipped_fraction"] == 0.0


def test_percentile_clips_the_tail() -> None:
    x = np.concatenate([np.linspace(-1, 1, 999), [50.0]])
    r = quantize(x, "int8", "percentile", percentile=99.0)
    t = np.percentile(np.abs(x), 99.0)
    assert r.scale.item() == pytest.approx(t / 127)
    assert r.dequantized[-1] == pytest.approx(127 * t / 127)
    v = x / (t / 127)
    beyond = np.count_nonzero((v > 127.5) | (v < -128.5))  # would round past the last code
    assert 1 <= beyond < 20
    assert r.metrics["clipped_fraction"] == pytest.approx(beyond / x.size)


@pytest.mark.parametrize("method", ["mse", "kl"])
def test_search_methods_beat_absmax_with_an_outlier(method: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal(100_000)
    x[0] = 40.0
    base = quantize(x, "int4", "absmax").metrics["mse"]
    found = quantize(x, "int4", method)
    assert found.metrics["mse"] < base / 2
    assert found.metrics["clipped_fraction"] > 0


def _best_candidate_mse(x: np.ndarray, qmin: int, qmax: int) -> float:
    """Lowest exact MSE over the search's 128 candidates α·max|x| (the real clamp to [qmin, qmax])."""
    amax = np.abs(x).max()
    return min(np.mean((np.clip(np.rint(x / (a * amax / qmax)), qmin, qmax) * a * amax / qmax - x) ** 2)
               for a in np.arange(1, 129) / 128)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("fmt", "qmin", "qmax"), [("int4", -8, 7), ("int8", -128, 127), ("int2", -2, 1)])
@pytest.mark.parametrize("dist", ["normal", "laplace", "t3", "skewed"])
def test_mse_search_finds_the_best_candidate(seed: int, fmt: str, qmin: int, qmax: int, dist: str) -> None:
    """The search scores each candidate on a histogram; its choice is within 1 % of the exactly best
    candidate. Negative values use qmin (int4: -8): a search on |x| alone scored them against -7
    and missed by up to 18 % (Laplace, 64 values)."""
    rng = np.random.default_rng(seed)
    n = int(rng.choice([64, 1000, 20_000]))
    x = {"normal": rng.standard_normal(n), "laplace": rng.laplace(size=n), "t3": rng.standard_t(3, n),
         "skewed": rng.standard_normal(n) - 0.5 * np.abs(rng.standard_normal(n)) ** 2}[dist]
    r = quantize(x, fmt, "mse")
    assert r.metrics["mse"] <= _best_candidate_mse(x, qmin, qmax) * 1.01


def test_mse_search_uses_the_negative_end_of_an_int_grid() -> None:
    x = np.array([-1.0, -0.93, 0.5, 0.25, -0.1, 0.8])
    r = quantize(x, "int4", "mse")
    assert r.scale.item() * 7 == pytest.approx(0.8984375)  # α = 115/128: -1 -> -8·s, -0.93 -> -7·s
    assert r.metrics["mse"] == pytest.approx(_best_candidate_mse(x, -8, 7), rel=1e-12)


def test_channel_granularity_axis0_and_axis1() -> None:
    x = np.array([[1.0, -2.0, 0.5], [10.0, 4.0, -8.0]])
    r0 = quantize(x, "int8", "absmax", "channel", axis=0)
    assert r0.scale.shape == (2, 1)
    assert r0.scale.ravel().tolist() == pytest.approx([2 / 127, 10 / 127])
    assert r0.codes[0].tolist() == [64, -127, 32]
    r1 = quantize(x, "int8", "absmax", "channel", axis=1)
    assert r1.scale.shape == (1, 3)
    assert r1.scale.ravel().tolist() == pytest.approx([10 / 127, 4 / 127, 8 / 127])
    assert r1.codes[:, 1].tolist() == [-64, 127]
    assert quantize(x, "int8", "absmax", "channel", axis=-1).scale.shape == (1, 3)
    assert r0.metrics["bits_per_element"] == pytest.approx(8 + 32 / 3)


def test_group_granularity_pads_and_crops() -> None:
    x = np.arange(1.0, 11.0).reshape(2, 5)  # 5 values per row, groups of 2 -> 3 groups
    r = quantize(x, "int8", "absmax", "group", axis=1, block_size=2)
    assert r.codes.shape == x.shape and r.dequantized.shape == x.shape
    assert r.scale.shape == (2, 3)
    assert r.scale.ravel().tolist() == pytest.approx([2 / 127, 4 / 127, 5 / 127, 7 / 127, 9 / 127, 10 / 127])
    assert np.array_equal(r.dequantized[:, [1, 3, 4]], x[:, [1, 3, 4]])  # each group max is exact
    per = r.scale_per_element()
    assert per.shape == x.shape and per[0].tolist() == pytest.approx([2 / 127, 2 / 127, 4 / 127, 4 / 127, 5 / 127])


def test_group_along_axis0() -> None:
    x = np.random.default_rng(4).standard_normal((7, 3))
    r = quantize(x, "int4", "absmax", "group", axis=0, block_size=4)
    assert r.scale.shape == (2, 3)
    assert r.scale[1, 2] == pytest.approx(np.abs(x[4:, 2]).max() / 7)


def test_group_int4_bits_per_element() -> None:
    x = np.random.default_rng(5).standard_normal((4, 256)).astype(np.float32)
    assert quantize(x, "int4", "absmax", "group", axis=1, block_size=128).bits_per_element == 4.25
    assert quantize(x, "int4", "minmax", "group", axis=1, block_size=128).bits_per_element == 4 + 36 / 128


@pytest.mark.parametrize("fmt", ["int8", "int4", "float8_e4m3fn", "float4_e2m1fn", "mxfp4", "q8_0", "nf4", "nvfp4"])
def test_all_zero_tensor(fmt: str) -> None:
    r = quantize(np.zeros((3, 64), dtype=np.float32), fmt, axis=1)
    assert not r.dequantized.any()
    assert r.metrics["sqnr_db"] == math.inf
    assert r.metrics["mse"] == 0.0


@pytest.mark.parametrize("method", ["absmax", "minmax", "percentile", "mse", "kl"])
@pytest.mark.parametrize("value", [0.1, -3.7, 1e-30, 7e30])
def test_constant_tensor_is_exact(method: str, value: float) -> None:
    x = np.full(100, value, dtype=np.float32)
    r = quantize(x, "int8", method)
    assert np.array_equal(r.dequantized, x), (r.dequantized[:3], x[:3])
    assert r.metrics["sqnr_db"] == math.inf


@pytest.mark.parametrize("value", [0.1, 3.0, -1234.5678])
def test_constant_tensor_exact_in_float_formats(value: float) -> None:
    for fmt in ("float8_e4m3fn", "float4_e2m1fn", "int4"):
        x = np.full(10, value)
        assert quantize(x, fmt).metrics["sqnr_db"] == math.inf


def test_single_value_and_scalar() -> None:
    r = quantize([2.5], "int8")
    assert r.codes.tolist() == [127] and r.dequantized.tolist() == [2.5]
    s = quantize(np.float32(-2.5), "int8")
    assert s.codes.shape == () and s.dequantized.shape == () and s.dequantized.dtype == np.float32
    assert s.codes.item() == -127 and s.dequantized.item() == -2.5


def test_nan_and_inf_excluded_from_scale_and_metrics() -> None:
    x = np.array([1.0, np.nan, -2.0, np.inf, 0.5, -np.inf], dtype=np.float32)
    r = quantize(x, "int8")
    assert r.scale.item() == pytest.approx(2.0 / 127)
    assert np.isnan(r.dequantized[1])
    assert r.dequantized[3] == 2.0  # Inf saturates to the grid's ends: 127 and -128 codes
    assert r.dequantized[5] == np.float32(-128) * r.scale.item()
    assert r.codes[1] == 0 and r.codes[3] == 127 and r.codes[5] == -128
    assert r.metrics["nonfinite_count"] == 3
    clean = quantize(np.array([1.0, -2.0, 0.5], dtype=np.float32), "int8").metrics
    assert r.metrics["mse"] == pytest.approx(clean["mse"])
    assert r.metrics["clipped_fraction"] == 0.0


@pytest.mark.parametrize("fmt", ["int8", "float8_e4m3fn", "nf4", "mxfp4", "q8_0", "q4_0", "nvfp4"])
@pytest.mark.parametrize("method", ["absmax", "mse", "kl", "percentile"])
def test_nan_in_every_path(fmt: str, method: str) -> None:
    x = np.random.default_rng(6).standard_normal((4, 64))
    x[1, 3] = np.nan
    x[2, 7] = np.inf
    if fmt in list_schemes() and method != "absmax":
        pytest.raises(QuantizeError, quantize, x, fmt, method)
        return
    r = quantize(x, fmt, method, axis=1)
    assert np.isnan(r.dequantized[1, 3])
    assert np.isfinite(np.delete(r.dequantized.ravel(), 1 * 64 + 3)).all()
    assert r.metrics["nonfinite_count"] == 2
    assert r.metrics["sqnr_db"] > 5


def test_all_nonfinite_tensor() -> None:
    r = quantize(np.array([np.nan, np.inf]), "int8")
    assert np.isnan(r.dequantized[0]) and r.metrics["nonfinite_count"] == 2


def test_empty_raises_clear_error() -> None:
    with pytest.raises(QuantizeError, match="empty") as err:
        quantize(np.zeros((0, 3)), "int8")
    assert "空" in err.value.message("zh")


def test_integer_input_gives_float64() -> None:
    r = quantize(np.array([1, -2, 100], dtype=np.int32), "int8")
    assert r.dequantized.dtype == np.float64
    assert r.dequantized[2] == 100.0


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.float16, ml_dtypes.bfloat16])
def test_dtype_preserved(dtype) -> None:
    x = np.array([0.25, -1.5, 3.0]).astype(dtype)
    r = quantize(x, "int8")
    assert r.dequantized.dtype == np.dtype(dtype)
    assert r.codes.shape == x.shape
    assert r.codes.tolist() == [11, -64, 127]


def test_axis_out_of_range() -> None:
    with pytest.raises(QuantizeError, match="Axis 2") as err:
        quantize(np.ones((2, 3)), "int8", "absmax", "channel", axis=2)
    assert err.value.params["high"] == 1
    with pytest.raises(QuantizeError):
        quantize(np.ones((2, 3)), "int8", "absmax", "group", axis=-3, block_size=2)
    with pytest.raises(QuantizeError):
        quantize(np.ones(8), "mxfp4", axis=1)


@pytest.mark.parametrize(
    ("kwargs", "needle"),
    [
        ({"fmt": "int9"}, "int8"),
        ({"fmt": "q5_k"}, "q4_0"),
        ({"method": "magic"}, "percentile"),
        ({"granularity": "row"}, "channel"),
        ({"granularity": "group"}, "block_size"),
        ({"granularity": "group", "block_size": 0}, "at least 1"),
        ({"method": "percentile", "percentile": 0}, "99.9"),
        ({"method": "minmax", "fmt": "float8_e4m3fn"}, "integer"),
        ({"fmt": "mxfp4", "method": "mse"}, "absmax"),
        ({"overflow": "wrap"}, "saturate"),
        ({"rounding": "up"}, "nearest_even"),
        ({"fmt": "float8_e8m0fnu"}, "scales only"),
    ],
)
def test_bad_settings_raise_quantize_error_naming_options(kwargs: dict, needle: str) -> None:
    with pytest.raises(QuantizeError, match=needle) as err:
        quantize(np.ones(4), **kwargs)
    assert err.value.message("zh") != str(err.value)


def test_non_numeric_input() -> None:
    with pytest.raises(QuantizeError):
        quantize(np.array(["a", "b"]), "int8")
    with pytest.raises(QuantizeError):
        quantize(np.array([1 + 2j]), "int8")


def test_codes_and_dequantized_shapes_for_every_scheme() -> None:
    x = np.random.default_rng(7).standard_normal((3, 5, 40)).astype(np.float32)
    for fmt in list_schemes():
        r = quantize(x, fmt, axis=2)
        assert r.codes.shape == x.shape and r.dequantized.shape == x.shape
        assert r.dequantized.dtype == np.float32
        assert r.granularity == "block"


def test_rounding_modes_on_ints() -> None:
    x = np.array([0.5, 1.5, -2.5, 127.0])  # scale = 1 with absmax on 127
    assert quantize(x, "int8").codes.tolist() == [0, 2, -2, 127]
    assert quantize(x, "int8", rounding="nearest_away").codes.tolist() == [1, 2, -3, 127]
    assert quantize(x, "int8", rounding="toward_zero").codes.tolist() == [0, 1, -2, 127]
    sto = [quantize(x, "int8", rounding="stochastic", rng=np.random.default_rng(i)).codes[0] for i in range(40)]
    assert set(sto) == {0, 1}


def test_ieee_overflow_passes_through_to_the_format() -> None:
    r = quantize(np.array([1000.0, 1.0]), "float8_e4m3fn", "none", overflow="ieee")
    assert np.isnan(r.dequantized[0])
    assert r.metrics["mse"] == math.inf


def test_levels_used_counts_codes() -> None:
    x = np.linspace(-1, 1, 10_000)
    m = quantize(x, "int4").metrics
    assert m["levels_used"] == 15 and m["levels_available"] == 16  # absmax never reaches -8
    assert quantize(x, "float4_e2m1fn").metrics["levels_available"] == 15  # +0 and -0: one level


@pytest.mark.parametrize(("fmt", "x", "used", "available"), [
    ("float4_e2m1fn", [-0.001, 0.001, 1.0], 2, 15),  # codes 8 (-0), 0 (+0), 2: values {0, 6}
    ("mxfp4", [-0.001, 0.001, 1.0], 2, 15),
    ("float8_e4m3fn", [-1e-9, 1e-9, 1.0], 2, 253),
    ("float8_e4m3fnuz", [-1e-9, 1e-9, 1.0], 2, 255),  # no -0 code (0x80 is its NaN)
    ("float16", [-1e-30, 1e-30, 1.0], 2, 63_487),
    ("float32", np.array([-1e-50, 1e-50, 1.0]), 2, 2**32 - 2**24 - 1),  # 32-bit codes: np.unique path
])
def test_levels_are_distinct_values_so_plus_and_minus_zero_are_one(fmt, x, used, available) -> None:
    """A level is a value: -0 and +0 are one (the Grid page counts FP4's 15 values and E4M3's 253
    the same way), so the usage chart's bars and the title's "used of available" agree."""
    r = quantize(np.asarray(x, dtype=np.float64 if fmt == "float32" else np.float32), fmt, "none"
                 if fmt == "float32" else "absmax", axis=0)
    zero_codes = {int(c) for c in np.ravel(r.codes)[:2]}
    assert len(zero_codes) == 2 or fmt == "float8_e4m3fnuz"  # both zeros really stored, where they exist
    assert r.metrics["levels_used"] == used and r.metrics["levels_available"] == available


@pytest.mark.parametrize("name", [n for n in format_names() if get_format(n).kind == "float" and get_format(n).bits <= 16])
def test_levels_available_is_the_grid_pages_count_of_values(name: str) -> None:
    from lib.charts_grid import grid_points

    assert get_element(name).levels == grid_points(get_format(name)).total


def test_metrics_are_cached_and_match_plain_function() -> None:
    from lib.metrics import compute_metrics

    x = np.random.default_rng(8).standard_normal(500)
    r = quantize(x, "int4", "mse")
    assert r.metrics is r.metrics
    plain = compute_metrics(x, r.dequantized)
    for key in ("mse", "sqnr_db", "cosine", "max_abs_error"):
        assert r.metrics[key] == plain[key]


@pytest.mark.parametrize(("fmt", "kw"), [("int4", {"method": "minmax", "granularity": "group", "block_size": 32}),
                                         ("int8", {"method": "percentile", "granularity": "group", "block_size": 16}),
                                         ("mxfp4", {}), ("q4_0", {}), ("nf4", {})])
def test_padded_groups_processed_line_by_line_match_one_pass(monkeypatch, fmt: str, kw: dict) -> None:
    import lib.quantize as q

    x = np.random.default_rng(9).standard_normal((37, 3, 70)).astype(np.float32)
    whole = quantize(x, fmt, axis=2, **kw)
    monkeypatch.setattr(q, "_LINE_CHUNK", 150)  # two lines per chunk -> 56 chunks
    pieces = quantize(x, fmt, axis=2, **kw)
    assert np.array_equal(whole.codes, pieces.codes)
    assert np.array_equal(whole.dequantized, pieces.dequantized)
    assert np.array_equal(whole.scale, pieces.scale)
    assert whole.scale.shape == pieces.scale.shape == (37, 3, math.ceil(70 / (kw.get("block_size") or
                                                                               {"mxfp4": 32, "q4_0": 32, "nf4": 64}[fmt])))
    assert whole.metrics["mse"] == pieces.metrics["mse"]


def test_padded_groups_along_a_middle_axis() -> None:
    x = np.random.default_rng(10).standard_normal((4, 10, 3))
    r = quantize(x, "int8", "absmax", "group", axis=1, block_size=4)
    assert r.scale.shape == (4, 3, 3)  # 10 values along axis 1 -> 3 groups of 4 (last padded)
    assert r.scale[2, 2, 1] == pytest.approx(np.abs(x[2, 8:, 1]).max() / 127)
    assert np.allclose(r.dequantized, x, atol=np.abs(x).max() / 127)


@pytest.mark.parametrize(("fmt", "kw"), [("int4", {"method": "mse", "granularity": "group", "block_size": 32}),
                                         ("int8", {"method": "kl", "granularity": "group", "block_size": 16}),
                                         ("nvfp4", {}), ("nf4", {"double_quant": True})])
@pytest.mark.parametrize("seed", [11, 13, 14])  # 13, 14: parts once weighted by their own max|x|
def test_pooled_settings_gathered_line_by_line_match_whole_tensor(monkeypatch, fmt: str, kw: dict, seed: int) -> None:
    import lib.quantize as q

    x = np.random.default_rng(seed).standard_t(3, (40, 70)).astype(np.float32)
    monkeypatch.setattr(q, "_LINE_CHUNK", 200)
    by_lines = quantize(x, fmt, axis=1, **kw)
    monkeypatch.setattr(q, "_make_local", lambda x, layout, scheme, el, method, core, opts: (False, core))
    whole = quantize(x, fmt, axis=1, **kw)
    assert np.array_equal(by_lines.codes, whole.codes)
    assert np.array_equal(by_lines.dequantized, whole.dequantized)
    assert by_lines.metrics["clipped_fraction"] == whole.metrics["clipped_fraction"]


def test_stochastic_rounding_is_unbiased_over_the_whole_tensor() -> None:
    from lib.scales import _CHUNK

    x = np.full(3 * _CHUNK, 0.25)  # several chunks; absmax 127 -> scale 1
    x[0] = 127.0
    r = quantize(x, "int8", rounding="stochastic")
    assert abs(r.codes[1:].mean() - 0.25) < 0.005
    first, second = r.codes[1:2001], r.codes[_CHUNK + 1:_CHUNK + 2001]
    assert not np.array_equal(first, second)  # one random stream, not one per chunk
    assert np.array_equal(r.codes, quantize(x, "int8", rounding="stochastic").codes)  # seeded
    other = quantize(x, "int8", rounding="stochastic", rng=np.random.default_rng(5))
    assert not np.array_equal(r.codes, other.codes)


def test_table_format_with_other_roundings() -> None:
    from lib.formats import get_format

    x = np.linspace(-1, 1, 301)
    levels = get_format("bnb_fp4")
    for rounding in ("toward_zero", "nearest_away", "nearest_even"):
        r = quantize(x, "bnb_fp4", "absmax", rounding=rounding)
        assert np.array_equal(np.asarray(levels.decode(r.codes)) * r.scale.item(), r.dequantized)
    down = quantize(x, "bnb_fp4", "absmax", rounding="toward_zero").dequantized
    assert np.all(np.abs(down) <= np.abs(x) + 1e-12)


@pytest.mark.parametrize(("fmt", "granularity"), [
    *[(f, g) for f in ("int8", "int4", "float8_e4m3fn", "nf4") for g in ("tensor", "channel", "group")],
    *[(f, "block") for f in list_schemes()],
])
def test_blocks_of_only_inf_and_nan(fmt: str, granularity: str) -> None:
    """Rows of 64 that hold only +Inf, only -Inf, zeros and Inf, or NaN: no warning, no negative
    zero scale (but Q4_0's d = 0 / -8, which gguf stores as -0 too), no negative clipped count;
    NaN -> NaN, ±Inf saturate to a finite x̂ of the same sign, zeros stay 0."""
    x = np.random.default_rng(9).standard_normal((6, 64)).astype(np.float32)
    x[0] = np.inf
    x[1] = -np.inf
    x[2] = 0.0
    x[2, ::7] = np.inf
    x[3] = np.nan
    kw = {"axis": 1}
    if granularity != "block":
        kw = {"granularity": granularity, "axis": 0 if granularity == "channel" else 1,
              "block_size": 16 if granularity == "group" else None}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = quantize(x, fmt, **kw)
        m = r.metrics
    deq = r.dequantized
    assert np.isnan(deq[3]).all()
    assert np.isfinite(np.delete(deq, 3, axis=0)).all()
    assert (deq[0] >= 0).all() and (deq[1] <= 0).all() and (deq[2][x[2] == 0] == 0).all()
    assert np.isfinite(r.scale).all()
    if fmt == "q4_0":  # d = max / -8: gguf stores the d of an all-zero block as -0.0 as well
        assert (r.scale[:4] == 0).all() and np.signbit(r.scale[:4]).all()
    else:
        assert (r.scale >= 0).all() and not np.signbit(r.scale).any()
    assert r.clipped_count >= 0 and 0 <= m["clipped_fraction"] <= 1
    assert m["nonfinite_count"] == 64 + 64 + 10 + 64


def test_subnormal_scales_do_not_clip_the_largest_value() -> None:
    """5.66e-43 / 127 rounds to 3·2**-149 in float32 (x / scale = 134.7: clipped); the scale is
    raised to 4·2**-149. 1e-44 / 127 underflows; 2**-149 then gives exact codes (1e-44 = 7·2**-149).
    (Found by hypothesis in test_absmax_int_error_is_at_most_half_a_step.)"""
    r = quantize(np.float32([5.66e-43, -1e-43]), "int8")
    assert r.scale.item() == np.float32(4 * 2.0**-149) and r.clipped_count == 0
    assert r.codes.tolist() == [101, -18]
    assert abs(float(r.dequantized[0]) - 5.66e-43) <= r.scale.item() / 2
    tiny = quantize(np.float32([1e-44, -3e-45]), "int8")
    assert tiny.scale.item() == np.float32(2.0**-149) and tiny.codes.tolist() == [7, -2]
    assert np.array_equal(tiny.dequantized, np.float32([1e-44, -3e-45])) and tiny.metrics["sqnr_db"] == math.inf


def _quiet(*args: object, **kw: object) -> QuantResult:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = quantize(*args, **kw)
        r.metrics  # noqa: B018 - computing them must not warn either
    return r


_X = np.random.default_rng(12).standard_normal((8, 64)).astype(np.float32)


@pytest.mark.parametrize("method", ["mse", "kl"])
@pytest.mark.parametrize("k", [-122, 100])
def test_searched_scales_are_scale_free_at_extreme_magnitudes(method: str, k: int) -> None:
    """x · 2**k quantizes like x with its scales times 2**k (int4: the scales stay normal at
    2**-122): the histogram of a 2**-122 tensor overflowed float32 (2048 / amax > 3.4e38: every
    value in the last bin), and the mse weights amax² of a 2**100 one overflowed too."""
    base = quantize(_X, "int4", method, "group", axis=1, block_size=64)
    r = _quiet(_X * np.float32(2.0**k), "int4", method, "group", axis=1, block_size=64)
    assert (r.scale >= np.finfo(np.float32).tiny).all()
    assert np.array_equal(r.scale, (base.scale * np.float32(2.0**k)).astype(np.float32))
    assert np.array_equal(r.codes, base.codes)


def test_extreme_and_nonfinite_inputs_quantize_quietly() -> None:
    """Cases found by fuzzing every format, method, granularity and dtype: each warned
    (or counted wrong) before."""
    nan_rows = _X.copy()
    nan_rows[0] = np.nan
    nan_rows[1] = np.inf
    r = _quiet(nan_rows, "float8_e5m2", "percentile", "channel", axis=0)  # all-NaN row: nanpercentile
    assert np.isnan(r.dequantized[0]).all() and np.isfinite(r.dequantized[2:]).all()
    with np.errstate(over="ignore"):
        f16 = (_X * 1e5).astype(np.float16)  # ±inf where |x| > 65504
    _quiet(f16, "tf32", "none")
    for rounding in ("nearest_away", "stochastic", "toward_zero"):  # Inf - floor(Inf) = NaN
        r = _quiet(nan_rows, "int4", "absmax", "channel", axis=0, rounding=rounding)
        assert (r.codes[1] == 7).all()
    tiny = _X * np.float32(1e-40)  # float32 subnormals
    r = _quiet(tiny, "float32", "pow2")
    assert np.array_equal(r.dequantized, tiny)  # the pow2 scale 2**-149 keeps them exact
    assert np.isfinite(_quiet(tiny, "nvfp4", axis=1).dequantized).all()  # g = amax / 2688 underflowed
    bf = nan_rows.astype(ml_dtypes.bfloat16)
    used = _quiet(bf, "float8_e3m4", "percentile").metrics
    assert used["levels_used"] == quantize(bf.astype(np.float32), "float8_e3m4", "percentile").metrics["levels_used"]
    wide = np.float32([3e38, -3e38, 1e38, 0])  # max - min is beyond float32
    r = _quiet(wide, "int8", "minmax")
    assert np.isfinite(r.scale).all() and np.all(np.abs(r.dequantized - wide) <= r.scale.item())
    huge = _X.astype(np.float64) * 1e39  # beyond float32: float32 block scales saturate
    for fmt in ("nf4", "nvfp4"):
        r = _quiet(huge, fmt, axis=1)
        assert np.isfinite(r.dequantized).all() and r.clipped_count > 0
    _quiet(huge, "q8_0", axis=1)  # gguf works in float32: ±inf, then NaN, as gguf itself


@pytest.mark.parametrize(("kw", "bits"), [
    ({"fmt": "int4", "granularity": "group", "block_size": 32}, 4 + 7 * 32 / 200),      # 7 groups, the last of 8
    ({"fmt": "int4", "method": "minmax", "granularity": "group", "block_size": 32}, 4 + 7 * 36 / 200),
    ({"fmt": "int8"}, 8 + 32 / 200),
    ({"fmt": "q4_0"}, 4 + 7 * 16 / 200),
    ({"fmt": "mxfp4"}, 4 + 7 * 8 / 200),
    ({"fmt": "nf4"}, 4 + 4 * 32 / 200),
    ({"fmt": "nf4", "double_quant": True}, 4 + (4 * 8 + 32 + 32) / 200),
    ({"fmt": "nvfp4"}, 4 + (13 * 8 + 32) / 200),
])
def test_bits_per_element_counts_the_scale_of_a_partial_group(kw, bits):
    """200 values: the last group or block is partial, and its scale is stored all the same."""
    r = quantize(np.random.default_rng(3).standard_normal(200), **kw)
    assert r.bits_per_element == pytest.approx(bits, rel=1e-15)
    assert r.metrics["compression_vs_fp32"] == pytest.approx(32 / bits, rel=1e-15)


def test_tf32_costs_the_float32_word_it_lives_in() -> None:
    """TF32 is a Tensor Core math mode: 19 bits used of a 32-bit float32 word, so no compression
    (it read 19 bits per value and 1.68x smaller than fp32)."""
    x = np.linspace(-1, 1, 256, dtype=np.float32)
    r = quantize(x, fmt="tf32", method="none")
    assert r.bits_per_element == 32.0 and r.metrics["compression_vs_fp32"] == 1.0
    assert quantize(x, fmt="tf32").bits_per_element == 32.0 + 32 / 256  # plus the fp32 tensor scale
    assert get_format("tf32").bits == 19 and get_format("tf32").storage_bits == 32
    assert all(get_format(n).storage_bits == get_format(n).bits for n in list_formats() if n != "tf32")
