"""lib.synthetic: every kind's shape, dtype, determinism, statistics and parameter errors."""

from __future__ import annotations

import math
import tracemalloc

import numpy as np
import pytest

from lib.errors import LoadError
from lib.i18n import STRINGS
from lib.synthetic import (
    LLM_LIKE_COLUMNS,
    MAX_SYNTHETIC_SIZE,
    SYNTHETIC_KINDS,
    outlier_channels,
    synthetic,
)

N = 200_000


def _kurtosis(x: np.ndarray) -> float:
    """Excess kurtosis E[(x-m)^4]/var^2 - 3 (0 for a normal)."""
    d = x.astype(np.float64) - x.mean(dtype=np.float64)
    return float(np.mean(d**4) / np.mean(d**2) ** 2 - 3.0)


@pytest.mark.parametrize("kind", list(SYNTHETIC_KINDS))
def test_float32_shape_and_determinism(kind: str) -> None:
    shape = (64, 32)
    a = synthetic(kind, shape, seed=5)
    b = synthetic(kind, shape, seed=5)
    c = synthetic(kind, shape, seed=6)
    assert a.dtype == np.float32 and a.shape == shape and a.flags.c_contiguous
    assert a.tobytes() == b.tobytes()  # bit-identical for the same seed
    assert not np.array_equal(a, c)
    assert np.isfinite(a).all()


@pytest.mark.parametrize("kind", list(SYNTHETIC_KINDS))
def test_every_default_param_is_accepted_and_labelled(kind: str) -> None:
    spec = SYNTHETIC_KINDS[kind]
    explicit = synthetic(kind, (16, 8), seed=1, **dict(spec.defaults))
    assert np.array_equal(explicit, synthetic(kind, (16, 8), seed=1))
    assert spec.label_key in STRINGS
    for param in spec.defaults:
        assert f"io.param.{param}" in STRINGS, param


def test_plain_size_gives_1d_except_llm_like() -> None:
    assert synthetic("normal", 1000, seed=0).shape == (1000,)
    assert synthetic("llm_like", 1000 * LLM_LIKE_COLUMNS, seed=0).shape == (1000, LLM_LIKE_COLUMNS)
    assert synthetic("llm_like", 100, seed=0).shape == (1, 100)


def test_normal_moments() -> None:
    x = synthetic("normal", N, seed=0, loc=3.0, scale=2.0).astype(np.float64)
    assert abs(x.mean() - 3.0) < 0.02 and abs(x.std() - 2.0) < 0.02
    assert abs(_kurtosis(x)) < 0.1


def test_laplace_moments() -> None:
    x = synthetic("laplace", N, seed=0).astype(np.float64)
    assert abs(x.std() - 1.0) < 0.02  # default scale 1/sqrt(2) -> unit variance
    assert abs(np.mean(np.abs(x)) - 1 / math.sqrt(2)) < 0.01  # E|x| = scale
    assert abs(_kurtosis(x) - 3.0) < 0.4  # Laplace excess kurtosis is 3


def test_uniform_range_and_std() -> None:
    x = synthetic("uniform", N, seed=0, low=-1.0, high=3.0)
    assert x.min() >= -1.0 and x.max() < 3.0
    assert abs(float(x.std()) - 4 / math.sqrt(12)) < 0.01
    d = synthetic("uniform", N, seed=0)
    assert abs(float(d.std()) - 1.0) < 0.01


def test_student_t_tails() -> None:
    heavy = synthetic("student_t", N, seed=0, df=3.0)
    light = synthetic("student_t", N, seed=0, df=30.0).astype(np.float64)
    # Variance df/(df-2) for df>2; df=30 -> 1.0714
    assert abs(light.var() - 30 / 28) < 0.03
    assert np.abs(heavy).max() > 5 * np.abs(synthetic("normal", N, seed=0)).max() / 2
    assert _kurtosis(heavy) > 5 * max(_kurtosis(light), 0.1)
    # median |t_3| is 0.765 (tabulated quantile t_{0.75, 3})
    assert abs(float(np.median(np.abs(heavy))) - 0.7649) < 0.01


def test_bimodal_two_bumps() -> None:
    x = synthetic("bimodal", N, seed=0, mu=2.0, sigma=0.5)
    assert abs(float(np.mean(x > 0)) - 0.5) < 0.01
    assert abs(float(np.mean(np.abs(x))) - 2.0) < 0.01
    assert np.mean(np.abs(x) < 0.5) < 0.002  # almost nothing near 0: P(|Z| > 3) per bump


@pytest.mark.parametrize("axis", [0, 1])
def test_llm_like_outlier_channels(axis: int) -> None:
    x = synthetic("llm_like", (512, 256), seed=3, n_outliers=5, outlier_axis=axis)
    found = outlier_channels(x, axis=axis)
    assert len(found) == 5
    assert len(outlier_channels(x, axis=1 - axis)) == 0  # the other axis is uniform
    rms = np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=1 - axis))
    normal = np.delete(rms, found)
    ratio = rms[found].mean() / normal.mean()
    assert 45 < ratio < 55
    assert abs(normal.mean() - 1.0) < 0.05


def test_llm_like_outliers_depend_on_seed() -> None:
    picks = {tuple(outlier_channels(synthetic("llm_like", (128, 256), seed=s))) for s in range(5)}
    assert len(picks) > 1


def test_float32_without_float64_copies() -> None:
    n = 4_000_000
    tracemalloc.start()
    x = synthetic("normal", n, seed=0)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert x.nbytes == 4 * n
    assert peak < 1.3 * x.nbytes  # a float64 detour would peak at >= 3x


@pytest.mark.parametrize(
    ("args", "params", "key"),
    [
        (("gamma", 10), {}, "io.synthetic_unknown_kind"),
        (("normal", 0), {}, "io.synthetic_bad_size"),
        (("normal", (10, 0)), {}, "io.synthetic_bad_size"),
        (("normal", MAX_SYNTHETIC_SIZE + 1), {}, "io.synthetic_bad_size"),
        (("normal", 10), {"scale": -1.0}, "io.synthetic_not_positive"),
        (("normal", 10), {"scale": float("nan")}, "io.synthetic_bad_param"),
        (("normal", 10), {"df": 3.0}, "io.synthetic_bad_param"),
        (("student_t", 10), {"df": 0.0}, "io.synthetic_not_positive"),
        (("uniform", 10), {"low": 1.0, "high": 1.0}, "io.synthetic_bad_range"),
        (("bimodal", 10), {"sigma": 0.0}, "io.synthetic_not_positive"),
        (("llm_like", (4, 3)), {}, "io.synthetic_bad_outliers"),
        (("llm_like", (8, 8)), {"n_outliers": 1.5}, "io.synthetic_bad_outliers"),
        (("llm_like", (8, 8)), {"outlier_axis": 2.0}, "io.synthetic_bad_param"),
        (("llm_like", (2, 3, 4)), {}, "io.synthetic_needs_matrix"),
    ],
)
def test_errors(args: tuple, params: dict, key: str) -> None:
    with pytest.raises(LoadError) as info:
        synthetic(*args, seed=0, **params)
    assert info.value.key == key
    assert info.value.message("zh") and str(info.value)


@pytest.mark.parametrize("seed", [-1, 1.5, True])
def test_bad_seed(seed: object) -> None:
    with pytest.raises(LoadError) as info:
        synthetic("normal", 4, seed=seed)  # type: ignore[arg-type]
    assert info.value.key == "io.synthetic_bad_seed"


# ---------------------------------------------------------------- × 10^k (lib.data_source)


def test_magnitude_multiplies_in_float32_and_names_the_tensor() -> None:
    from lib.data_source import MAGNITUDES, Source, load, magnified, magnitude_text, synthetic_name

    base = synthetic("normal", 4096, seed=2)
    src = Source("synthetic", dist="normal", size=4096, seed=2, magnitude=-4)
    arrays = load(src)
    assert list(arrays) == ["normal_seed2_x1e-4"] == [synthetic_name("normal", -4, 2)]
    x = arrays["normal_seed2_x1e-4"].values
    assert x.dtype == np.float32
    assert np.array_equal(x, (base * np.float32(1e-4)).astype(np.float32))  # each value × float32(1e-4), RNE
    assert np.array_equal(magnified(base, 0), base) and synthetic_name("normal", 0) == "normal"
    assert list(load(Source("synthetic", dist="normal", size=4096, seed=2))) == ["normal_seed2"]
    assert list(load(Source("synthetic", dist="normal", size=4096))) == ["normal"]
    assert src.key() != Source("synthetic", dist="normal", size=4096, seed=2).key()  # its own cache entry
    assert magnified(np.array([1.5, -2.0], np.float32), -1).tolist() == [np.float32(0.15), np.float32(-0.2)]
    assert [magnitude_text(k) for k in (-8, -4, 0, 3)] == ["× 10⁻⁸", "× 10⁻⁴", "× 1", "× 10³"]
    assert MAGNITUDES[0] == -8 and MAGNITUDES[-1] == 4 and 0 in MAGNITUDES
    with pytest.raises(ValueError, match="magnitude"):
        magnified(base, 9)


def test_tiny_synthetic_values_show_why_fp8_needs_a_scale() -> None:
    """The lesson the × 10^k box is for: N(0, 1) · 10^-4 lies below float8_e4m3fn's smallest
    subnormal 2^-9, so a cast with no scale makes every value 0; absmax keeps them."""
    from lib.data_source import Source, load
    from lib.quantize import quantize

    x = load(Source("synthetic", dist="normal", size=65_536, seed=0, magnitude=-4))["normal_x1e-4"].values
    assert np.abs(x).max() < 2.0**-10  # all below half the smallest subnormal
    cast = quantize(x, "float8_e4m3fn", method="none").metrics
    assert cast["flushed_to_zero_fraction"] == 1.0 and cast["sqnr_db"] == 0.0
    scaled = quantize(x, "float8_e4m3fn", method="absmax").metrics
    assert scaled["flushed_to_zero_fraction"] == 0.0 and scaled["sqnr_db"] > 30


# ---------------------------------------------------------------- parameters (the page's boxes)


def test_every_parameter_has_a_range_holding_its_default() -> None:
    from lib.synthetic import PARAM_RANGES

    for kind in SYNTHETIC_KINDS.values():
        for name, default in kind.defaults.items():
            r = PARAM_RANGES[name]
            assert r.low <= default <= r.high and r.step > 0
            assert not r.choices or default in r.choices
    assert PARAM_RANGES["n_outliers"].whole and PARAM_RANGES["outlier_axis"].choices == (1.0, 0.0)
    assert PARAM_RANGES["scale"].low > 0 and PARAM_RANGES["df"].low > 0  # the boxes cannot offer an invalid 0


def test_changed_params_keeps_only_what_differs_in_the_kinds_order() -> None:
    from lib.synthetic import changed_params

    assert changed_params("student_t", {"scale": 2, "df": 3.0}) == (("scale", 2.0),)
    assert changed_params("llm_like", {"outlier_scale": 100.0, "n_outliers": 8}) == (
        ("n_outliers", 8.0), ("outlier_scale", 100.0))
    assert changed_params("normal", {"loc": 0.0, "scale": 1.0}) == ()


def test_changed_params_reach_the_tensor_and_its_name() -> None:
    from lib.data_source import Source, load, synthetic_name

    src = Source("synthetic", dist="student_t", size=4096, seed=1, params=(("df", 1.5),))
    arrays = load(src)
    assert list(arrays) == ["student_t_df1.5_seed1"] == [synthetic_name("student_t", 0, 1, (("df", 1.5),))]
    x = arrays["student_t_df1.5_seed1"].values
    assert np.array_equal(x, synthetic("student_t", 4096, seed=1, df=1.5))
    assert not np.array_equal(x, synthetic("student_t", 4096, seed=1))
    assert src.key() != Source("synthetic", dist="student_t", size=4096, seed=1).key()
    assert synthetic_name("llm_like", -2, 0, (("n_outliers", 8.0), ("outlier_scale", 100.0))) == (
        "llm_like_n_outliers8_outlier_scale100_x1e-2")


def test_outlier_channels_are_at_most_half_and_messages_show_numbers_as_typed() -> None:
    """(4, 256) with 4 outlier rows made every row an outlier (no outliers at all); messages read
    "got 5.0" and "(1.7320508075688772) ... (5.0)"."""
    with pytest.raises(LoadError) as info:
        synthetic("llm_like", 1024, outlier_axis=0)  # 4 rows: at most 2 outlier rows
    assert info.value.params == {"n_outliers": "4", "cols": 2, "channels": 4}
    assert "from 0 to 2 (at most half of the 4 channels" in str(info.value) and "got 4." in str(info.value)
    assert synthetic("llm_like", 1024, outlier_axis=0, n_outliers=2).shape == (4, 256)
    with pytest.raises(LoadError) as info:
        synthetic("uniform", 10, low=5.0)
    assert info.value.params == {"low": "5", "high": "1.7320508075688772"}
