"""Chart builders of the Quantize and Compare pages: real values in the figures, small JSON."""

from __future__ import annotations

import warnings

import ml_dtypes
import numpy as np
import pandas as pd
import pytest

from lib import charts_quant as cq
from lib.compare import Choice
from lib.i18n import t
from lib.quantize import quantize

N = 1_000_000
LIMIT = 100_000


@pytest.fixture(scope="module")
def big() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    x = rng.standard_normal((1000, 1000)).astype(np.float32)
    scale = float(np.abs(x).max()) / 127
    x_hat = (np.clip(np.rint(x / scale), -127, 127) * scale).astype(np.float32)
    return x, x_hat


def _size(fig) -> int:  # type: ignore[no-untyped-def]
    return len(fig.to_json())


def _arr(v) -> np.ndarray:  # type: ignore[no-untyped-def]
    """A trace attribute as a numpy array (plotly keeps numpy arrays as given)."""
    return np.asarray(v, dtype=np.float64)


def test_histogram_counts_every_value_and_draws_levels(big: tuple[np.ndarray, np.ndarray]) -> None:
    x, _ = big
    amax = float(np.abs(x).max())
    levels = np.arange(-127, 128) * (amax / 127)
    fig = cq.value_histogram(x, levels, "en", clip=(-amax, amax))
    assert int(_arr(fig.data[0].y).sum()) == N
    assert len(fig.data[0].x) == 200
    lines = _arr(fig.data[1].x)
    assert np.count_nonzero(np.isfinite(lines)) == 2 * 255  # two points per level line
    assert fig.layout.yaxis2.domain == (0.0, cq.RUG_HEIGHT)  # 255 levels: a rug strip under the bars
    assert fig.layout.yaxis.domain[0] > cq.RUG_HEIGHT and fig.layout.yaxis2.overlaying is None
    np.testing.assert_allclose(np.unique(lines[np.isfinite(lines)]), levels.astype(np.float32))
    assert _size(fig) <= LIMIT
    assert fig.layout.xaxis.title.text == "value"
    assert fig.layout.title.text == "Values and the quantization grid"


def test_few_levels_are_full_height_lines() -> None:
    fig = cq.value_histogram(np.linspace(-1, 1, 100), np.linspace(-1, 1, 15), "en", clip=(-1.0, 1.0))
    assert np.nanmax(_arr(fig.data[1].y)) == 1.0 and fig.data[1].yaxis == "y2"
    assert fig.layout.yaxis2.overlaying == "y"  # few levels: full-height lines over the bars
    assert "15 in view" in fig.data[1].name and "-1 and 1" in fig.data[-1].name


def test_histogram_switches_to_level_density_for_dense_grids() -> None:
    x = np.linspace(-1, 1, 1001)
    fig = cq.value_histogram(x, np.linspace(-1, 1, 5001), "zh")
    assert fig.data[1].yaxis == "y2"
    assert int(_arr(fig.data[1].y).sum()) == 5001
    assert fig.layout.xaxis.title.text == "数值"
    assert "5,001" in fig.data[1].name  # thousands separated, as in the metrics table
    # the density axis has its own ticks from 0: plotly had lined them up with the count grid (-1,610 ...)
    assert fig.layout.yaxis2.rangemode == "tozero" and fig.layout.yaxis2.tickmode == "auto"


def test_histogram_ignores_nonfinite_and_far_thresholds() -> None:
    x = np.array([np.nan, -1.0, 0.0, 1.0, np.inf])
    fig = cq.value_histogram(x, None, "en", clip=(-448.0, 448.0))
    assert int(_arr(fig.data[0].y).sum()) == 3
    assert float(_arr(fig.data[0].x).max()) < 2  # FP8's ±448 does not stretch the view
    assert not fig.layout.shapes and fig.data[-1].name == "lowest and highest level -448 and 448 (beyond this view)"
    near = cq.value_histogram(x, None, "zh", clip=(-1.5, 1.5))
    assert len(near.layout.shapes) == 2 and near.data[-1].name == "最低和最高级别 -1.5 和 1.5"
    assert cq.value_range(np.array([-1.0, 1.0]), (-1.5, 1.5)) == (-1.5, 1.5)


def test_bulk_window_is_nine_median_magnitudes() -> None:
    rng = np.random.default_rng(5)
    x = rng.normal(size=200_000)
    x[:300] = rng.choice([-1.0, 1.0], 300) * 1000.0  # outliers far outside
    lo, hi = cq.bulk_window(x)
    w = 9 * 0.6745  # a standard normal's median |x| is 0.6745
    assert lo == pytest.approx(-w, rel=0.02) and hi == pytest.approx(w, rel=0.02)
    lo, hi = cq.bulk_window(np.abs(x))
    assert lo == np.abs(x).min() and hi == pytest.approx(w, rel=0.02)  # cut to the data: no negatives
    # more than half zeros: the 99th percentile of |x| (2) stands in for the median
    assert cq.bulk_window(np.r_[np.zeros(90), np.full(10, 2.0)]) == (0.0, 2.0)
    assert cq.bulk_window(np.zeros(10)) is None and cq.bulk_window(np.array([np.nan, np.inf])) is None
    assert cq.bulk_window(np.full(5, 3.0)) == (1.5, 4.5)  # a constant: widened around it


def test_histogram_view_draws_only_the_bulk_and_says_how_much_is_left_out() -> None:
    x = np.r_[np.linspace(-1, 1, 990), np.full(10, 50.0)]  # 1% outliers
    levels = np.linspace(-50, 50, 101)  # a step of 1: three levels in [-1, 1]
    fig = cq.value_histogram(x, levels, "en", clip=(-50.0, 50.0), view=(-1.0, 1.0))
    assert int(_arr(fig.data[0].y).sum()) == 990 and len(fig.data[0].x) == 200
    assert fig.data[0].name == "values (1.0% of them outside this view)"
    assert fig.data[1].name == "quantization levels (3 in view)"
    assert fig.layout.shapes == ()  # the clipping lines at ±50 lie outside the view
    zh = cq.value_histogram(x, None, "zh", view=(-1.0, 1.0))
    assert zh.data[0].name == "数值（1.0% 在视图之外）"


def test_share_text_never_reads_as_none_or_all_when_it_is_neither() -> None:
    assert [cq.share_text(p, 10_000) for p in (0, 4, 14, 140, 9_996, 10_000)] == [
        "0.0%", "<0.1%", "0.1%", "1.4%", ">99.9%", "100.0%"]
    x = np.r_[np.zeros(99_996), np.full(4, 9.0)]
    assert cq.value_histogram(x, None, "en", view=(-1.0, 1.0)).data[0].name == "values (<0.1% of them outside this view)"
    assert cq.value_histogram(x, None, "en", view=(-10.0, 10.0)).data[0].name == "values (all of them in this view)"


def test_bulk_of_a_mostly_zero_tensor_says_there_is_nothing_to_zoom_on() -> None:
    from lib.quantize import quantize

    x = np.r_[np.zeros(995), np.ones(5)]  # 99.5% zeros: no bulk window
    r = quantize(x, fmt="int8", method="absmax")
    assert cq.quant_figures(x, r, None, 0, "en", bulk=True)["hist"].data[0].name == (
        "values (no bulk to zoom in on: over 99% of them are 0)")
    assert cq.quant_figures(x, r, None, 0, "en")["hist"].data[0].name == "values"


def test_uniform_histogram_matches_numpy() -> None:
    v = np.random.default_rng(3).normal(size=100_000).astype(np.float32)
    v[:10] = np.nan
    counts, edges = cq.uniform_histogram(v, -2.0, 2.5, 90)
    ref, ref_edges = np.histogram(v[np.isfinite(v)], bins=90, range=(-2.0, 2.5))
    np.testing.assert_allclose(edges, ref_edges)
    assert np.abs(counts - ref).max() <= 2 and counts.sum() == ref.sum()  # edge rounding only


def test_level_counts_signed_and_bit_patterns() -> None:
    vals, cnt = cq.level_counts(np.array([-128, 0, 0, 127, 5]), np.arange(-128, 128), offset=-128)
    assert vals.size == 256 and cnt.sum() == 5
    assert cnt[128] == 2 and cnt[0] == 1 and cnt[255] == 1 and cnt[133] == 1
    # bit patterns with a NaN code and a -0 code: NaN dropped, ±0 folded
    vals, cnt = cq.level_counts(np.array([0, 1, 1, 2, 3]), np.array([0.0, -0.0, 1.0, np.nan]))
    assert vals.tolist() == [0.0, 1.0] and cnt.tolist() == [3, 1]


def test_code_usage_title_and_grouping() -> None:
    fig = cq.code_usage(np.arange(-8, 8), np.r_[np.zeros(8, int), np.ones(8, int)], "en")
    assert fig.layout.title.text == "How often each level is used"  # short: plotly never wraps a title
    assert fig.layout.title.subtitle.text == "8 of 16 levels used"
    fig = cq.code_usage(np.arange(65536.0), np.ones(65536, int), "en", levels_used=65536, levels_available=65536)
    assert len(fig.data[0].x) == cq.MAX_BARS and int(_arr(fig.data[0].y).sum()) == 65536
    assert _size(fig) <= LIMIT


def test_error_scatter_is_sampled_seeded_and_small(big: tuple[np.ndarray, np.ndarray]) -> None:
    x, x_hat = big
    fig = cq.error_scatter(x, cq.quant_error(x, x_hat), "en")
    xs, ys = _arr(fig.data[0].x), _arr(fig.data[0].y)
    assert xs.size == cq.MAX_SCATTER
    # every sampled point is a real (x, x_hat - x) pair of the data
    idx = cq.sample_indices(N, cq.MAX_SCATTER, 0)
    np.testing.assert_allclose(xs, x.ravel()[idx], rtol=0)
    np.testing.assert_allclose(ys, (x_hat.ravel()[idx].astype(np.float64) - x.ravel()[idx]), atol=1e-7)
    assert np.abs(ys).max() <= float(np.abs(x).max()) / 127 / 2 * 1.0001
    assert _size(fig) <= LIMIT
    again = cq.error_scatter(x, cq.quant_error(x, x_hat), "en")
    np.testing.assert_array_equal(_arr(again.data[0].x), xs)
    assert fig.data[0].name == f"6,000 of {N:,} values (random sample)"


def test_error_scatter_legend_says_when_every_value_is_drawn() -> None:
    x = np.linspace(-1, 1, 1024, dtype=np.float32)
    assert cq.error_scatter(x, cq.quant_error(x, x), "en").data[0].name == "all 1,024 values"
    x[:24] = np.nan
    assert cq.error_scatter(x, cq.quant_error(x, x), "zh").data[0].name == "1,024 个值中的 1,000 个（不含 NaN / Inf）"


def test_error_histogram(big: tuple[np.ndarray, np.ndarray]) -> None:
    x, x_hat = big
    fig = cq.error_histogram(cq.quant_error(x, x_hat), "en")
    assert int(_arr(fig.data[0].y).sum()) == N
    assert _size(fig) <= LIMIT


def test_block_mean_and_heatmap(big: tuple[np.ndarray, np.ndarray]) -> None:
    a = np.arange(16.0).reshape(4, 4)
    np.testing.assert_allclose(cq.block_mean(a, 2), [[2.5, 4.5], [10.5, 12.5]])
    x, x_hat = big
    fig = cq.error_heatmap(cq.quant_error(x, x_hat).reshape(x.shape), "en")
    z = _arr(fig.data[0].z)
    assert z.shape == (cq.MAX_SIDE, cq.MAX_SIDE)
    np.testing.assert_allclose(z.mean(), np.abs(x_hat.astype(np.float64) - x).mean(), rtol=1e-4)
    assert _size(fig) <= LIMIT


def test_scales_chart_groups_to_max_bars() -> None:
    s = np.arange(1, 4097, dtype=np.float64)
    fig = cq.scales_chart(s, "en")
    y = _arr(fig.data[0].y)
    assert y.size == cq.MAX_BARS and y[0] == 8 and y[-1] == 4096  # each group's largest scale
    assert cq.scales_chart(np.array([0.5, 2.0]), "en").data[0].y.tolist() == [0.5, 2.0]


def _table() -> pd.DataFrame:
    return pd.DataFrame({
        "label": ["bf16", "int8", "mxfp4", "exact"],
        "bits_per_element": [16.0, 8.0, 4.25, 32.0],
        "sqnr_db": [52.0, 40.0, 18.0, np.inf],
    })


def test_compare_bars_label_every_choice() -> None:
    """32 choices: plotly showed every other label at the default 450 px; every bar gets a tick
    and 22 px now, and a short table keeps the default height (each plus the toolbar's band)."""
    many = pd.DataFrame({"label": [f"choice {i}" for i in range(32)], "bits_per_element": np.arange(32.0) + 1,
                         "sqnr_db": np.linspace(60, 10, 32)})
    for fig in (cq.sqnr_bars(many, "en"), cq.bits_bars(many, "zh")):
        assert fig.layout.height == 22 * 32 + 120 + 36 and fig.layout.yaxis.dtick == 1
        assert fig.layout.yaxis.autorange == "reversed" and len(fig.data[0].y) == 32
    assert cq.sqnr_bars(_table(), "en").layout.height == 450 + 36


def test_bits_in_hover_text_tell_nvfp4_from_q4_0() -> None:
    """NVFP4 stores 4.500122 bits per value (its FP32 tensor scale), Q4_0 exactly 4.5: every label and
    hover read "4.5" for both, and Q4_0 alone on the Pareto front looked wrong."""
    df = pd.DataFrame({"label": ["nvfp4", "q4_0"], "sqnr_db": [23.93, 20.81], "bits_per_element": [4.5 + 32 / 2**18, 4.5],
                       "error_key": [None, None]})
    sq, bits, pareto = cq.sqnr_bars(df, "en").data[0], cq.bits_bars(df, "en").data[0], cq.pareto_scatter(df, ["q4_0"], "en")
    assert [c[0] for c in sq.customdata] == ["4.5001", "4.5"] and "%{customdata[0]} bits" in sq.hovertemplate
    assert list(bits.customdata) == ["4.5001", "4.5"] and "%{customdata} bits" in bits.hovertemplate
    pts = next(tr for tr in pareto.data if tr.mode == "markers+text")
    assert sorted(c[2] for c in pts.customdata) == ["4.5", "4.5001"] and "%{customdata[2]} bits" in pts.hovertemplate


def test_compare_charts_cap_infinite_sqnr_and_draw_reference() -> None:
    df = _table()
    fig = cq.sqnr_bars(df, "en")
    assert _arr(fig.data[0].x).tolist() == [52.0, 40.0, 18.0, 62.0]
    assert _arr(cq.bits_bars(df, "zh").data[0].x).tolist() == [16.0, 8.0, 4.25, 32.0]
    fig = cq.pareto_scatter(df, ["mxfp4", "int8", "bf16", "exact"], "en")
    ref, front, pts = fig.data  # drawn in this order: the names on top of both lines
    np.testing.assert_allclose(_arr(ref.y), 6.02 * _arr(ref.x) + 1.76)
    assert _arr(front.x).tolist() == [4.25, 8.0, 16.0, 32.0]
    assert "6.02 dB per bit" in ref.name and "sine" in ref.name
    # the dotted line is drawn before the names (it struck through "int8 absmax ch"), each name with a halo;
    # the legend keeps its order: choices, front, reference
    assert pts.name == "choices" and pts.textfont.shadow == "auto" and pts.cliponaxis is False
    assert (pts.legendrank, front.legendrank, ref.legendrank) == (1, 2, 3)
    assert "full-scale sine" in ref.hovertemplate and "score lower" in ref.hovertemplate
    assert list(pts.text) == ["bf16", "int8", "mxfp4", "exact"] and pts.customdata[0][0] == "bf16"
    # hover: the real SQNR, and an exact choice says it is exact (not the capped 62.00 dB it is drawn at)
    assert [c[1] for c in pts.customdata][:3] == ["52.00 dB", "40.00 dB", "18.00 dB"]
    assert pts.customdata[3][1].startswith("∞ (exact") and "%{customdata[1]}" in pts.hovertemplate
    bars = cq.sqnr_bars(df, "zh").data[0]
    assert [c[1] for c in bars.customdata] == ["52.00 dB", "40.00 dB", "18.00 dB", t("cmp.chart.sqnr_exact", "zh")]
    assert [c[0] for c in bars.customdata] == ["16", "8", "4.25", "32"] and list(bars.text) == ["", "", "", "∞"]
    assert bars.textangle == 0 and bars.constraintext == "none"  # upright, full size: turned, "∞" read as "8"
    assert "%{x" not in bars.hovertemplate  # the bar length of an exact choice is not its SQNR
    pts = cq.pareto_scatter(df, ["mxfp4", "int8"], "en", labelled=["mxfp4"]).data[-1]
    # off-front points first, the front drawn last (on top): bf16, exact, then int8, mxfp4
    assert [c[0] for c in pts.customdata] == ["bf16", "exact", "int8", "mxfp4"]
    assert list(pts.text) == ["", "", "", "mxfp4"]
    assert list(pts.marker.color) == [cq.GREY, cq.GREY, cq.VERMILION, cq.VERMILION]
    assert _arr(pts.x).tolist() == [16.0, 32.0, 8.0, 4.25]


def test_pareto_names_alternate_sides_by_bits() -> None:
    # named points by increasing bits: above-left, below-right, above-left ...; others "top center"
    bits = np.array([8.0, 4.5, 16.0, 6.25, 4.25])
    assert cq.label_positions(bits, [True, True, True, True, False]) == [
        "top left", "top left", "bottom right", "bottom right", "top center"]
    pts = cq.pareto_scatter(_table(), ["mxfp4", "int8", "bf16", "exact"], "en").data[-1]
    by_name = dict(zip([c[0] for c in pts.customdata], pts.textposition))
    assert [by_name[n] for n in ("mxfp4", "int8", "bf16", "exact")] == [
        "top left", "bottom right", "top left", "bottom right"]


def _width(text: str) -> int:
    """Display width in Latin characters: a Chinese character is about two wide."""
    return sum(2 if ord(ch) >= 0x2E80 else 1 for ch in text)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_bar_titles_are_short_with_a_subtitle(lang: str) -> None:
    """Half-width charts are about 280 px wide at 1024 px: bold titles of <= 24 Latin widths,
    13 px subtitles of <= 34 (the browser test measures the real boxes)."""
    for fig in (cq.sqnr_bars(_table(), lang), cq.bits_bars(_table(), lang)):
        assert _width(fig.layout.title.text) <= 24 and 0 < _width(fig.layout.title.subtitle.text) <= 34


GRID_CASES = [(s, {}) for s in ("mxfp8_e4m3", "mxfp6_e2m3", "mxfp4", "mxint8", "nvfp4", "q8_0", "q4_0", "nf4")] + [
    ("int8", {"method": "minmax"}),
    ("uint8", {"method": "minmax"}),
    ("int4", {"granularity": "group", "block_size": 128, "axis": 1}),
    ("int8", {"granularity": "channel", "axis": 0}),
    ("float8_e4m3fn", {}),
]


@pytest.mark.parametrize(("fmt", "kw"), GRID_CASES, ids=[f"{f}-{'-'.join(map(str, k.values()))}" for f, k in GRID_CASES])
def test_drawn_grid_is_the_grid_the_values_land_on(fmt: str, kw: dict) -> None:
    """Every dequantized value of the block with the largest scale is a point of the drawn grid
    (to float32 rounding), and the grid has no more points than the format has codes: the chart
    never shows a shifted or rescaled grid (e.g. Q4_0's zero point applied twice)."""
    from lib.quantize import quantize

    x = np.random.default_rng(1).standard_normal((64, 256)).astype(np.float32)
    r = quantize(x, fmt=fmt, **kw)
    grid = cq.representative_grid(r)
    assert grid is not None and grid.size <= cq.code_table(str(r.element_format))[0].size
    scale = np.asarray(r.scale).ravel()
    biggest = scale[np.argmax(np.abs(scale))]
    on_block = np.asarray(r.scale_per_element()) == biggest
    landed = np.unique(np.asarray(r.dequantized)[on_block]).astype(np.float64)
    gap = np.abs(landed[:, None] - grid[None, :]).min(axis=1)
    assert landed.size >= 8
    assert gap.max() <= 1e-6 * np.abs(grid).max()
    table = cq.code_table(str(r.element_format), str(r.fmt))
    assert grid.size <= table[0].size
    if r.element_format.startswith(("int", "uint")):  # every integer code is one level
        assert table[0].size == r.levels_available


@pytest.mark.parametrize("fmt", ["q8_0", "mxint8"])
def test_symmetric_int8_schemes_draw_no_minus_128_level(fmt: str) -> None:
    """Q8_0 and MXINT8 clamp codes to ±127: the grid's lowest level is -127 × scale (not -128), and
    the usage chart has 255 levels, as levels_available says."""
    from lib.quantize import quantize

    x = np.random.default_rng(4).standard_normal((8, 64)).astype(np.float32)
    r = quantize(x, fmt=fmt, axis=1)
    grid = cq.representative_grid(r)
    s = float(np.abs(np.asarray(r.scale)).max())
    assert grid.size == 255 and grid[0] == -127 * s and grid[-1] == 127 * s
    values, offset = cq.code_table("int8", fmt)
    assert values.tolist() == list(range(-127, 128)) and offset == -127
    usage = cq.quant_figures(x, r, None, 1, "en")["usage"]
    assert len(usage.data[0].y) == 255 and r.levels_available == 255


def test_usage_chart_shows_scheme_element_values() -> None:
    """Q4_0's stored nibble q stands for q - 8 (-8..7) and an MXINT8 code c for c · 2^-6, as the
    block walkthrough's element column shows them; other formats show the element values as they are."""
    from lib.quantize import quantize

    x = np.random.default_rng(5).standard_normal((8, 64)).astype(np.float32)
    shown = {f: np.asarray(cq.quant_figures(x, quantize(x, fmt=f, axis=1), None, 1, "en")["usage"].data[0].customdata)
             for f in ("q4_0", "mxint8", "int4")}
    assert shown["q4_0"].tolist() == list(range(-8, 8))
    assert shown["mxint8"][0] == -127 / 64 and shown["mxint8"][-1] == 127 / 64
    assert shown["int4"].tolist() == list(range(-8, 8))


def test_histograms_of_narrow_ranges_have_distinct_edges() -> None:
    """np.histogram builds its edges in the data's dtype: float32 1.0 and 1.0000001, float16 data
    and subnormal ranges gave "Too many bins for data range" (an error box on the page)."""
    for v, lo, hi in ((np.float32([1.0, 1.0000001]), 1.0, float(np.float32(1.0000001))),
                      (np.float16([0.5, 0.50049]), 0.5, float(np.float16(0.50049))),
                      (np.float32([1e-44, 3e-44]), float(np.float32(1e-44)), float(np.float32(3e-44)))):
        counts, edges = cq.uniform_histogram(v, lo, hi, 200)
        assert counts.sum() == 2 and np.all(np.diff(edges) > 0)
    assert cq._widened(1e37, 1e37) == pytest.approx((5e36, 1.5e37))
    assert cq._widened(0.0, 0.0) == (-0.5, 0.5)
    assert cq._widened(-2.0, -2.0) == (-3.0, -1.0)
    assert cq._widened(1.0, 1.5) == (1.0, 1.5)


@pytest.mark.parametrize(("x", "choice"), [
    (np.float32([3e37]), Choice("mxfp4")),  # one huge value: 3e37 ± 0.5 is no range
    (np.int32([2_000_000_000, -2_000_000_000] * 12), Choice("uint2", "minmax", "group", 8)),  # one error
    (np.float32([1e6, -2e6, 5.0] * 32), Choice("q4_0")),  # fp16 d overflows: scales inf, no grid
    (np.array([1.0, np.inf, -np.inf, np.nan, 2.0] * 8, dtype=ml_dtypes.bfloat16), Choice("tf32", "none")),
    (np.float16([0.1, 0.2, -0.3, 0.25]), Choice("uint8", "kl", "channel")),
])
def test_quant_figures_of_awkward_tensors_build_quietly(x: np.ndarray, choice: Choice) -> None:
    r = quantize(x, **choice.kwargs(0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figs = cq.quant_figures(x, r, choice, 0, "en")
    assert {"hist", "error"} <= set(figs)
    for fig in figs.values():
        for f in fig if isinstance(fig, tuple) else (fig,):
            assert f.to_json()


def test_error_charts_need_no_full_size_error_array() -> None:
    """The error charts read x̂ - x a sample, a chunk or a band of rows at a time: the same figures
    as from the full error array, without its 4 bytes per value (268 MB for a 67M-value tensor)."""
    import tracemalloc

    x = np.random.default_rng(8).standard_t(3, (1200, 1000)).astype(np.float32)
    x[3, 4], x[5, 6] = np.nan, np.inf
    choice = Choice("int4", "absmax", "channel")
    r = quantize(x, "int4", granularity="channel")
    err, lazy = cq.quant_error(x, r.dequantized), cq.LazyError(x, r.dequantized)
    assert cq.error_scatter(x, lazy, "en").to_json() == cq.error_scatter(x, err, "en").to_json()
    assert cq.error_histogram(lazy, "en").to_json() == cq.error_histogram(err, "en").to_json()
    full_heat = cq.error_heatmap(err.reshape(x.shape), "en")
    assert cq.error_heatmap(lazy, "en").to_json() == full_heat.to_json()
    figs = cq.quant_figures(x, r, choice, 0, "en")
    assert figs["heat"].to_json() == full_heat.to_json()
    big = np.random.default_rng(9).standard_normal((4096, 4096)).astype(np.float32)  # 64 MB
    r = quantize(big, "int4", granularity="channel")
    tracemalloc.start()
    cq.quant_figures(big, r, choice, 0, "en")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 0.8 * big.nbytes  # the error array alone was big.nbytes (the whole run 1.7x)


def test_log_count_axis_labels_only_powers_of_ten() -> None:
    x = np.random.default_rng(6).standard_normal(4096).astype(np.float32)
    fig = cq.value_histogram(x, None, "en", log_y=True)
    assert fig.layout.yaxis.type == "log" and fig.layout.yaxis.dtick == 1  # no "9" under "1" for 0.9
    assert cq.value_histogram(x, None, "en").layout.yaxis.type is None


# ---------------------------------------------------------------- count axes and the toolbar band


def _plain_counts(axis) -> bool:  # type: ignore[no-untyped-def]
    """Plain digits with thousands separators ("50,000", "1,000,000"), never SI ("50k", "1M")."""
    return axis.exponentformat == "none" and axis.separatethousands is True


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_histogram_counts_read_as_plain_numbers(lang: str) -> None:
    x = np.random.default_rng(11).standard_normal(200_000).astype(np.float32)
    fig = cq.value_histogram(x, np.linspace(-4, 4, 15), lang)
    assert _plain_counts(fig.layout.yaxis) and fig.layout.xaxis.exponentformat is None  # values untouched
    assert int(_arr(fig.data[0].y).max()) > 1000  # counts in the thousands: plotly wrote "4k"
    assert "%{y:,}" in fig.data[0].hovertemplate  # hover "4,123"
    log = cq.value_histogram(x, None, lang, log_y=True).layout.yaxis
    assert _plain_counts(log) and (log.type, log.dtick) == ("log", 1)  # 1, 10, ..., 10,000 (not "10k")
    dense = cq.value_histogram(x, np.linspace(-4, 4, 70_001), lang)  # levels per bin on a second axis
    assert _plain_counts(dense.layout.yaxis2) and int(_arr(dense.data[1].y).max()) > 100
    assert "%{y:,}" in dense.data[1].hovertemplate


def test_code_usage_counts_and_ranks_read_as_plain_numbers() -> None:
    fig = cq.code_usage(np.arange(65_536.0), np.full(65_536, 20_000), "zh")
    assert _plain_counts(fig.layout.yaxis) and _plain_counts(fig.layout.xaxis)  # ranks reach 65,024
    assert int(_arr(fig.data[0].x).max()) == 65_536 - 128 and int(_arr(fig.data[0].y).max()) == 128 * 20_000
    assert "%{x:,}" in fig.data[0].hovertemplate and "%{y:,}" in fig.data[0].hovertemplate


def test_error_histogram_counts_read_as_plain_numbers(big: tuple[np.ndarray, np.ndarray]) -> None:
    x, x_hat = big
    fig = cq.error_histogram(cq.LazyError(x, x_hat), "zh")
    assert _plain_counts(fig.layout.yaxis) and fig.layout.xaxis.exponentformat is None
    assert int(_arr(fig.data[0].y).max()) > 1000 and "%{y:,}" in fig.data[0].hovertemplate


def test_scales_chart_channel_numbers_read_as_plain_numbers() -> None:
    fig = cq.scales_chart(np.arange(1, 4097, dtype=np.float64) * 1e-3, "en")
    assert _plain_counts(fig.layout.xaxis) and int(_arr(fig.data[0].x)[-1]) == 4096 - 8  # not "4k"
    assert fig.layout.yaxis.exponentformat is None and "%{x:,}" in fig.data[0].hovertemplate


def test_small_counts_and_indices_get_whole_number_ticks() -> None:
    """The worked example's four values: every bin holds 0 or 1 value, so plotly's own ticks would
    read 0, 0.2, 0.4, ... ("0.4 values"); a count or index axis ending at 10 or less gets a tick
    at every whole number, a longer one keeps plotly's (whole) steps."""
    x = np.array([-0.5, 0.3, 1.2, -2.1], dtype=np.float32)
    r = quantize(x, fmt="int8", method="absmax")
    hist = cq.value_histogram(x, np.arange(-127, 128) * float(np.ravel(r.scale)[0]), "en")
    assert int(_arr(hist.data[0].y).max()) == 1 and hist.layout.yaxis.dtick == 1
    assert _plain_counts(hist.layout.yaxis) and hist.layout.xaxis.dtick is None  # values untouched
    assert cq.value_histogram(x, None, "en", log_y=True).layout.yaxis.type == "log"
    err = cq.error_histogram(r.dequantized - x, "en")
    assert int(_arr(err.data[0].y).max()) <= 4 and err.layout.yaxis.dtick == 1
    usage = cq.code_usage(np.arange(16.0), np.r_[np.zeros(12), [1, 1, 1, 1]], "en")  # int4: ranks 0..15
    assert usage.layout.yaxis.dtick == 1 and usage.layout.xaxis.dtick is None
    assert cq.code_usage(np.arange(3.0), np.array([1, 0, 3]), "en").layout.xaxis.dtick == 1
    assert cq.scales_chart(np.array([0.1, 0.2, 0.3]), "en").layout.xaxis.dtick == 1  # channels 0, 1, 2
    wide = cq.value_histogram(np.random.default_rng(3).standard_normal(100_000).astype(np.float32), None, "en")
    assert int(_arr(wide.data[0].y).max()) > 10 and wide.layout.yaxis.dtick is None
    assert (cq.count_axis(cq.SMALL_COUNT)["dtick"], "dtick" in cq.count_axis(cq.SMALL_COUNT + 1)) == (1, False)


def _all_quant_figures(lang: str) -> list:  # type: ignore[type-arg]
    x = np.random.default_rng(12).standard_normal((64, 96)).astype(np.float32)
    choice = Choice("int8", "absmax", "channel")
    figs = cq.quant_figures(x, quantize(x, **choice.kwargs(0)), choice, 0, lang)
    assert set(figs) == {"hist", "usage", "error", "heat", "scales"}
    flat = [f for fig in figs.values() for f in (fig if isinstance(fig, tuple) else (fig,))]
    return flat + [cq.sqnr_bars(_table(), lang), cq.bits_bars(_table(), lang),
                   cq.pareto_scatter(_table(), ["int8", "bf16"], lang)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_count_axis_reads_as_plain_numbers(lang: str) -> None:
    """Every axis titled "count" in every chart of the Quantize page."""
    count = t("quant.chart.count", lang)
    axes = [ax for fig in _all_quant_figures(lang) for ax in (fig.layout.xaxis, fig.layout.yaxis)
            if ax.title.text == count]
    assert len(axes) == 3 and all(_plain_counts(ax) for ax in axes)  # values, levels used, error


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_titles_sit_below_the_toolbar_band(lang: str) -> None:
    """Plotly's toolbar (26 px tall at the top right) covered the titles on a 390 px phone: each
    title now starts MODEBAR_BAND px down, and the figure is that much taller, so its plot area
    keeps its size (450 px figures are 486 px)."""
    for fig in _all_quant_figures(lang):
        title = fig.layout.title
        assert (title.y, title.yref, title.yanchor, title.pad.t) == (1, "container", "top", 36)
        assert cq.MODEBAR_BAND == 36
        assert fig.layout.margin.t == (114 if title.subtitle.text else 90) + 36
        assert fig.layout.height >= 450 + 36
    assert cq.error_histogram(np.zeros(5), lang).layout.height == 486
    assert cq.pareto_scatter(_table(), ["int8"], lang).layout.margin.r == 80  # room for the names kept


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hover_lines_fit_a_phone(lang: str) -> None:
    """A hover label wider than the chart is cut off: on a 390 px phone (a 358 px chart) a line
    holds about 54 Latin widths. The reference line's last line was 61 ("bell-shaped data such as
    weights score lower at the same bits")."""
    import re

    for fig in _all_quant_figures(lang):
        for tr in fig.data:
            template = re.sub(r"<extra>.*?</extra>", "", tr.hovertemplate or "")
            for line in re.sub(r"%\{[^}]*\}", "54.4", template).split("<br>"):
                assert _width(line) <= 54, line
