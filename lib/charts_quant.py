"""Pure figure builders for the Quantize and Compare pages: data (+ lang) -> plotly Figure.

Every builder bins or samples first, so a figure never carries raw 1M-point data to the browser:
histograms use ``np.histogram`` (<= 400 bins), code usage ``np.bincount``, the error scatter a
seeded sample of <= MAX_SCATTER points, the error heatmap block means (<= MAX_SIDE x MAX_SIDE).
Arrays go in as float32, which plotly serialises as compact base64, so each figure's JSON stays
under ~100 KB at any input size.

Example:
    >>> import numpy as np
    >>> fig = value_histogram(np.random.default_rng(0).normal(size=1000), np.linspace(-3, 3, 15), "en")
    >>> fig.data[0].type
    'bar'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import plotly.graph_objects as go

from lib.blocks import MXINT8_ELEMENT_SCALE, SYMMETRIC_INT8_SCHEMES
from lib.charts_grid import HOVER_LABEL, MODEBAR_BAND, title_layout
from lib.compare import bits_text, label_text
from lib.i18n import t

# Okabe-Ito, colour-blind safe.
BLUE, ORANGE, GREEN, VERMILION, PURPLE, SKY, YELLOW, GREY = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#999999",
)
MAX_BINS = 400
MAX_LEVEL_LINES = 300
MAX_FULL_LINES = 48  # up to this many levels: full-height lines; more: short ticks (a rug) at the bottom
RUG_HEIGHT = 0.06  # height of the rug strip, as a fraction of the plot
MAX_SCATTER = 6000
MAX_SIDE = 100
MAX_BARS = 512
CHUNK = 1 << 20  # values per chunk where a full-size temporary would be large
#: an axis of counts (or of integer positions: level rank, channel) in plain digits with thousands
#: separators, "50,000" and "1,000,000" in both languages, never plotly's SI "50k" / "1M" (Chinese
#: writes 5万, and a "k" among 万 and 亿 misleads). A ",d" tick format would repeat labels on a short
#: axis ("0, 1, 1, 2"); count_axis gives a short axis a tick per whole number instead. Hover texts use "%{y:,}".
COUNT_AXIS = dict(exponentformat="none", separatethousands=True)
SMALL_COUNT = 10  # up to this, a count or index axis gets a tick at every whole number
PLOT_HEIGHT = 450  # px of a figure without a height of its own (plotly's default), toolbar band excluded


def _f32(a: np.ndarray) -> np.ndarray:
    """Chart coordinates as float32 (half the JSON of float64), or float64 when a finite value
    lies beyond float32's range (a float64 tensor of 1e300s), where float32 would turn it into inf."""
    a = np.asarray(a)
    if a.dtype == np.float64 and a.size and np.nanmax(np.abs(a), initial=0.0) > np.finfo(np.float32).max:
        return np.ascontiguousarray(a)
    return np.ascontiguousarray(a, dtype=np.float32)


def _centers(edges: np.ndarray) -> np.ndarray:
    """Bin centres lo + width/2 (the sum of two edges near float64's maximum would overflow)."""
    return edges[:-1] + (edges[1:] - edges[:-1]) / 2


def _finite(x: np.ndarray) -> np.ndarray:
    """The finite values of x, flat (no copy when all are finite)."""
    v = np.asarray(x).ravel()
    if v.dtype.kind != "f" or v.dtype.itemsize > 8:
        v = v.astype(np.float64)
    ok = np.isfinite(v)
    return v if ok.all() else v[ok]


def _figure(traces: list, lang: str, title: str, x: str, y: str, *, subtitle: str | None = None,
            xaxis: dict | None = None, yaxis: dict | None = None, **layout: object) -> go.Figure:
    """One Figure with the common layout (translated title and axis titles, margins, legend on
    top) merged with ``layout``, built in a single constructor call: plotly validates a layout
    given to the constructor several times faster than through update_layout (about 0.3 ms
    against 3 ms per figure, measured), and the Quantize page draws five or six per run.

    Plotly never wraps a title, and a chart in a half-width column is about 280 px wide on a
    1024 px projector: titles stay short, and the detail ("201 of 256 levels used", "higher is
    better") goes in the smaller ``subtitle`` line below."""
    base = dict(
        # the title under the toolbar's band and the legend in its own band below it: a legend
        # anchored at the right wrapped up into the title when its entries were long (Chinese, 1024 px)
        title=title_layout(t(title, lang), subtitle),
        xaxis=dict(title=dict(text=t(x, lang)), **(xaxis or {})),
        yaxis=dict(title=dict(text=t(y, lang)), **(yaxis or {})),
        hovermode="closest", hoverlabel=HOVER_LABEL,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
    )
    # the band above the title comes on top of the figure's height, so its plot keeps its size
    margin = {**dict(l=10, r=20, t=(114 if subtitle else 90) + MODEBAR_BAND, b=10), **layout.pop("margin", {})}
    height = int(layout.pop("height", PLOT_HEIGHT)) + MODEBAR_BAND  # type: ignore[call-overload]
    return go.Figure(data=traces, layout={**base, "margin": margin, "height": height, **layout})


def count_axis(top: float) -> dict:
    """Layout of an axis of counts or indices, whose ticks must be whole numbers: plotly labels an
    axis that ends at 1, 2 or 3 in steps of 0.5 or 0.2 ("1.5 values", "channel 0.5"). Up to
    SMALL_COUNT it gets a tick at every whole number (at most 11 labels); beyond, plotly's own
    steps (1, 2, 5, 10, ...) are whole already.

    >>> count_axis(3)["dtick"], "dtick" in count_axis(500)
    (1, False)
    """
    return {**COUNT_AXIS, "dtick": 1} if top <= SMALL_COUNT else dict(COUNT_AXIS)


def uniform_histogram(v: np.ndarray, lo: float, hi: float, bins: int) -> tuple[np.ndarray, np.ndarray]:
    """(counts, edges) of the finite values of v in ``bins`` equal bins over [lo, hi] (values
    outside are not counted; hi falls in the last bin): ``np.histogram``, whose equal-bin path
    is already a single pass (~7 ms at 1M float32)."""
    v = np.asarray(v).ravel()
    width = (hi - lo) / bins
    top = max(abs(lo), abs(hi))
    if v.dtype not in (np.float32, np.float64) or (v.dtype == np.float32 and (
            width < 1e-30 or width < top * 2**-20 or top > 2.0**100)):
        # edges in float16 (or float32 over a subnormal-sized range, or one a few float32 steps
        # wide: data 1.0 and 1.0000001) would repeat: "Too many bins for data range"; a range
        # near float32's maximum (±3.4e38) overflows float32 when numpy subtracts its ends
        v = v.astype(np.float64)
    shift = 0
    if 0 < top < 2.0**-900 or top > 2.0**900:
        # float64 edges over a subnormal range (1e-320) repeat, near float64's maximum they
        # overflow: bin v · 2**shift instead (exact, a power of two) and scale the edges back
        shift = -math.frexp(top)[1]
        v = np.ldexp(v, shift)
        lo, hi = math.ldexp(lo, shift), math.ldexp(hi, shift)
    counts, edges = np.histogram(v, bins=bins, range=(lo, hi))
    return counts.astype(np.int64), (np.ldexp(edges, -shift) if shift else edges)


def quant_error(x: np.ndarray, x_hat: np.ndarray) -> np.ndarray:
    """The error x̂ - x, flat, in float32 when both are float32 (else float64); NaN where either
    is not finite."""
    xv, hv = np.asarray(x).ravel(), np.asarray(x_hat).ravel()
    dt = np.float32 if xv.dtype == np.float32 and hv.dtype == np.float32 else np.float64
    with np.errstate(invalid="ignore", over="ignore"):  # Inf - Inf -> NaN, as documented
        return hv.astype(dt, copy=False) - xv.astype(dt, copy=False)


@dataclass(frozen=True)
class LazyError:
    """x̂ - x (quant_error's rule) without the full-size array: a sample, a chunk or a band of rows
    is computed when a chart asks for it. For a 67M-value tensor that saves a 268 MB array (and a
    second one for its finite values) on a server that shares ~2.7 GB.

    Example: ``LazyError(x, x_hat).at([0, 5])`` equals ``quant_error(x, x_hat)[[0, 5]]``.
    """

    x: np.ndarray
    x_hat: np.ndarray

    @property
    def size(self) -> int:
        return int(np.size(self.x))

    def at(self, idx: np.ndarray) -> np.ndarray:
        """The errors at flat indices ``idx``."""
        return quant_error(np.asarray(self.x).ravel()[idx], np.asarray(self.x_hat).ravel()[idx])

    def chunks(self) -> Iterator[np.ndarray]:
        """The flat errors, CHUNK values at a time."""
        xv, hv = np.asarray(self.x).ravel(), np.asarray(self.x_hat).ravel()
        for start in range(0, xv.size, CHUNK):
            yield quant_error(xv[start:start + CHUNK], hv[start:start + CHUNK])

    def rows(self, r0: int, r1: int) -> np.ndarray:
        """The errors of rows r0:r1 of a matrix."""
        x2d, h2d = np.asarray(self.x), np.asarray(self.x_hat)
        return quant_error(x2d[r0:r1], h2d[r0:r1]).reshape(r1 - r0, x2d.shape[1])


def _error_chunks(err: np.ndarray | LazyError) -> Iterator[np.ndarray]:
    if isinstance(err, LazyError):
        yield from err.chunks()
        return
    ev = np.asarray(err).ravel()
    for start in range(0, ev.size, CHUNK):
        yield ev[start:start + CHUNK]


def value_range(v: np.ndarray, clip: tuple[float, float] | None) -> tuple[float, float]:
    """The histogram's x range: the finite data, widened to the clipping thresholds when they lie
    within one data span of it (so thresholds far outside, like FP8's ±448 for data in ±3, do not
    squash the histogram); a single value is widened by _widened.
    Example: data [-1, 1], clip (-1.5, 1.5) -> (-1.5, 1.5)."""
    lo, hi = (float(v.min()), float(v.max())) if v.size else (-1.0, 1.0)
    span = max(hi - lo, 1e-12)
    if clip is not None:
        if np.isfinite(clip[0]) and clip[0] >= lo - span:
            lo = min(lo, float(clip[0]))
        if np.isfinite(clip[1]) and clip[1] <= hi + span:
            hi = max(hi, float(clip[1]))
    return _widened(lo, hi)


def _widened(lo: float, hi: float) -> tuple[float, float]:
    """(lo, hi), or, when they are one value or too close for 200 distinct float64 bin edges,
    a window around them relative to their size: (v/2, 3v/2) for v > 0, (-0.5, 0.5) for 0
    (a fixed ±0.5 would vanish next to 1e37)."""
    size = max(abs(lo), abs(hi))
    if hi - lo > size * 1e-12:
        return lo, hi
    mid = (lo + hi) / 2
    pad = size / 2 if size else 0.5
    return mid - pad, mid + pad


#: the bulk window is |x| <= BULK_FACTOR x median |x|: about ±6 standard deviations of a normal
#: distribution (its median |x| is 0.674 sigma), so it holds all of a bell but few outliers
BULK_FACTOR = 9.0
BULK_SAMPLE = 1 << 18  # values the median is estimated from (seeded sample): a view, not a statistic


def bulk_window(x: np.ndarray) -> tuple[float, float] | None:
    """The x range of the bulk of the values: |x| <= BULK_FACTOR x median |x|, cut to the data.

    The median is estimated from a seeded sample of at most BULK_SAMPLE finite values. When more
    than half the values are 0 the 99th percentile of |x| stands in for the median; None when
    that is 0 too, or there are no finite values.
    Example: normal data with sigma 1 and a few far outliers -> about (-6.07, 6.07) (without
    outliers the window is cut to the data); the LLM-like test matrix (1.5% of its values in
    50x outlier channels, range -187 to 180) -> about (-6.17, 6.17).
    """
    v = np.asarray(x).ravel()
    s = v if v.size <= BULK_SAMPLE else v[sample_indices(v.size, BULK_SAMPLE)]
    a = np.abs(s[np.isfinite(s)], dtype=np.float64)
    if a.size == 0:
        return None
    typical = float(np.median(a)) or float(np.quantile(a, 0.99))
    if typical == 0.0:
        return None
    w = BULK_FACTOR * typical
    fin = _finite(v)
    lo, hi = max(float(fin.min()), -w), min(float(fin.max()), w)
    return _widened(lo, hi)


def share_text(part: int, whole: int) -> str:
    """part/whole as a percentage with one decimal that never reads as none or all when it is
    neither: 4 of 10,000 -> "<0.1%", 9,996 of 10,000 -> ">99.9%", 14 of 1,000 -> "1.4%"."""
    share = part / whole
    if 0 < share < 0.001:
        return "<0.1%"
    if 0.999 < share < 1:
        return ">99.9%"
    return f"{share:.1%}"


def value_histogram(
    x: np.ndarray, levels: np.ndarray | None, lang: str, clip: tuple[float, float] | None = None,
    bins: int = 200, log_y: bool = False, view: tuple[float, float] | None = None,
) -> go.Figure:
    """Histogram of the finite values of x, with the quantization levels drawn over it.

    levels: the dequantized grid (for per-channel / block schemes a representative grid). Up to
    MAX_FULL_LINES levels in view are drawn as full-height lines, up to MAX_LEVEL_LINES as ticks
    in a thin strip under the bars (a rug); more as the number of levels per bin on a second axis
    (the density).
    clip: the clipping thresholds (lowest and highest level), marked with dashed lines.
    view: an x range to draw instead of the whole data (see bulk_window), binned just as finely;
    the values legend then says what share of the values lies outside it.
    """
    v = _finite(x)
    lo, hi = value_range(v, clip) if view is None else view
    counts, edges = uniform_histogram(v, lo, hi, min(int(bins), MAX_BINS))
    centers = _centers(edges)
    name = t("quant.chart.values", lang)
    if view is not None and v.size:
        outside = v.size - int(counts.sum())
        name = (t("quant.chart.values_outside", lang, pct=share_text(outside, v.size)) if outside
                else t("quant.chart.values_all_in", lang))
    traces: list = [go.Bar(
        x=_f32(centers), y=counts.astype(np.int32), width=float(edges[1] - edges[0]), marker_color=BLUE,
        name=name,
        hovertemplate=t("quant.chart.hover_bin", lang) + "<extra></extra>",
    )]
    # log counts: ticks at powers of ten only (plotly's minor labels read "9" under "1" for 0.9)
    top = int(counts.max(initial=0))
    layout: dict = {"xaxis": {}, "yaxis": {"type": "log", "dtick": 1, **COUNT_AXIS} if log_y else count_axis(top)}
    if levels is not None and len(levels):
        lv = np.unique(np.asarray(levels, dtype=np.float64))
        lv = lv[np.isfinite(lv) & (lv >= lo) & (lv <= hi)]
        if 0 < lv.size <= MAX_LEVEL_LINES:
            full = lv.size <= MAX_FULL_LINES
            xs = np.full(lv.size * 3, np.nan, dtype=_f32(lv).dtype)
            ys = np.full(lv.size * 3, np.nan, dtype=np.float32)
            xs[0::3], xs[1::3] = lv, lv
            ys[0::3], ys[1::3] = 0.0, 1.0
            traces.append(go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color=ORANGE, width=1), opacity=0.6 if full else 0.9,
                yaxis="y2", hoverinfo="skip", connectgaps=False, name=t("quant.chart.levels", lang, n=f"{lv.size:,}"),
            ))
            if full:  # a few levels: lines over the bars
                layout["yaxis2"] = dict(overlaying="y", range=[0, 1], visible=False, fixedrange=True)
            else:  # many levels: a strip of ticks (a rug) under the bars, never hiding them
                layout["yaxis"]["domain"] = [RUG_HEIGHT + 0.03, 1.0]
                layout["xaxis"]["anchor"] = "y2"
                layout["yaxis2"] = dict(domain=[0.0, RUG_HEIGHT], range=[0, 1], visible=False, fixedrange=True)
        elif lv.size:
            dens, _ = np.histogram(lv, bins=edges)
            traces.append(go.Scatter(
                x=_f32(centers), y=dens.astype(np.int32), mode="lines", line=dict(color=ORANGE),
                yaxis="y2", name=t("quant.chart.level_density", lang, n=f"{lv.size:,}"),
                hovertemplate=t("quant.chart.hover_density", lang) + "<extra></extra>",
            ))
            # its own ticks from 0 (plotly otherwise lined them up with the count axis's grid:
            # 5,300, 13,800 ... and a -1,610 below the floor)
            layout["yaxis2"] = dict(overlaying="y", side="right", showgrid=False, **count_axis(int(dens.max())),
                                    rangemode="tozero", tickmode="auto",
                                    title=dict(text=t("quant.chart.levels_per_bin", lang)))
    if clip is not None:  # dashed vertical lines over the bars, as add_vline draws them
        layout["shapes"] = [dict(type="line", xref="x", yref="y domain", x0=float(c), x1=float(c), y0=0, y1=1,
                                 line=dict(color=VERMILION, dash="dash", width=2))
                            for c in clip if np.isfinite(c) and lo <= c <= hi]
        key = "quant.chart.clip" if layout["shapes"] else "quant.chart.clip_beyond"  # FP16's ±65504 for data in ±5
        traces.append(go.Scatter(x=[None], y=[None], mode="lines", line=dict(color=VERMILION, dash="dash"),
                                 name=t(key, lang, lo=f"{clip[0]:.4g}", hi=f"{clip[1]:.4g}")))
    return _figure(traces, lang, "quant.chart.hist_title", "quant.chart.value", "quant.chart.count", **layout)


def level_counts(codes: np.ndarray, code_values: np.ndarray, offset: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """How often each level of the element format is used, levels sorted by value.

    codes: integer codes; ``codes - offset`` indexes ``code_values`` (offset = qmin for signed
    integer codes such as int8's -128..127, 0 for bit patterns).  code_values: the element value of
    each code (NaN for NaN codes).  Codes outside the table are ignored; +0 and -0 are one level.
    Returns (finite level values sorted ascending, count of each).
    Example: codes [0, 1, 1], code_values [-1.0, 1.0] -> ([-1, 1], [1, 2]).
    """
    cv = np.asarray(code_values, dtype=np.float64).ravel()
    flat = np.asarray(codes).ravel()
    counts = np.zeros(cv.size, dtype=np.int64)
    step = CHUNK // 4  # int64 indices: 2 MB a chunk, never a full-size copy of 50M codes
    for start in range(0, flat.size, step):
        idx = flat[start:start + step].astype(np.int64) - int(offset)
        if idx.min() < 0 or idx.max() >= cv.size:
            idx = idx[(idx >= 0) & (idx < cv.size)]
        counts += np.bincount(idx, minlength=cv.size)[: cv.size]
    keep = np.isfinite(cv)
    uniq, inv = np.unique(cv[keep], return_inverse=True)
    return uniq, np.bincount(inv, weights=counts[keep], minlength=uniq.size).astype(np.int64)


def code_usage(
    values: np.ndarray, counts: np.ndarray, lang: str, levels_used: int | None = None,
    levels_available: int | None = None,
) -> go.Figure:
    """Bars: how many values landed on each level (x = level rank, hover = element value).

    More than MAX_BARS levels (16-bit formats) are grouped into MAX_BARS runs of adjacent levels.
    """
    vals = np.asarray(values, dtype=np.float64)
    cnt = np.asarray(counts, dtype=np.int64)
    used = int(np.count_nonzero(cnt)) if levels_used is None else int(levels_used)
    avail = int(vals.size) if levels_available is None else int(levels_available)
    if vals.size > MAX_BARS:
        edges = np.linspace(0, vals.size, MAX_BARS + 1).astype(np.int64)
        cnt = np.add.reduceat(cnt, edges[:-1])
        vals = vals[edges[:-1]]
        rank = edges[:-1]
    else:
        rank = np.arange(vals.size)
    bars = go.Bar(
        x=rank.astype(np.int32), y=cnt, customdata=_f32(vals), marker_color=GREEN,
        hovertemplate=t("quant.chart.hover_level", lang) + "<extra></extra>",
        name=t("quant.chart.codes", lang),
    )
    return _figure([bars], lang, "quant.chart.usage_title", "quant.chart.level_rank", "quant.chart.count",
                   subtitle=t("quant.chart.usage_sub", lang, used=used, avail=avail),
                   xaxis=count_axis(int(rank[-1]) if rank.size else 0), yaxis=count_axis(int(cnt.max(initial=0))))


def _points_name(shown: int, drawn: int, total: int, lang: str) -> str:
    """Legend of the error scatter: a random sample, every value, or every finite value."""
    if drawn < total:
        return t("quant.chart.sampled", lang, n=f"{shown:,}", total=f"{total:,}")
    if shown == total:
        return t("quant.chart.all_points", lang, n=f"{total:,}")
    return t("quant.chart.finite_points", lang, n=f"{shown:,}", total=f"{total:,}")


def sample_indices(n: int, k: int = MAX_SCATTER, seed: int = 0) -> np.ndarray:
    """Sorted indices of a seeded sample of min(n, k) of range(n), without replacement."""
    if n <= k:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=k, replace=False))


def error_scatter(x: np.ndarray, err: np.ndarray | LazyError, lang: str, max_points: int = MAX_SCATTER,
                  seed: int = 0) -> go.Figure:
    """Quantization error (err = x̂ - x, see quant_error) against x, on a seeded sample of
    <= max_points finite values."""
    xv = np.asarray(x).ravel()
    idx = sample_indices(xv.size, min(int(max_points), 20000), seed)
    es = err.at(idx) if isinstance(err, LazyError) else np.asarray(err).ravel()[idx]
    xs, es = xv[idx].astype(np.float64), es.astype(np.float64)
    ok = np.isfinite(xs) & np.isfinite(es)
    points = go.Scattergl(
        x=_f32(xs[ok]), y=_f32(es[ok]), mode="markers", marker=dict(size=3, color=VERMILION, opacity=0.5),
        hovertemplate=t("quant.chart.hover_err", lang) + "<extra></extra>",
        name=_points_name(int(ok.sum()), idx.size, xv.size, lang),
    )
    return _figure([points], lang, "quant.chart.err_title", "quant.chart.value", "quant.chart.error",
                   showlegend=True)


def error_histogram(err: np.ndarray | LazyError, lang: str, bins: int = 200) -> go.Figure:
    """Histogram of the finite errors (err = x̂ - x, see quant_error), a chunk at a time: one pass
    for the range, one for the counts (np.histogram's equal bins count each value the same way
    whichever chunk it is in)."""
    lo, hi = math.inf, -math.inf
    for chunk in _error_chunks(err):
        e = _finite(chunk)
        if e.size:
            lo, hi = min(lo, float(e.min())), max(hi, float(e.max()))
    rng = _widened(lo, hi) if lo <= hi else (-1.0, 1.0)
    n_bins = min(int(bins), MAX_BINS)
    counts = np.zeros(n_bins, dtype=np.int64)
    edges = np.linspace(rng[0], rng[1], n_bins + 1)
    for chunk in _error_chunks(err):
        part, edges = uniform_histogram(_finite(chunk), rng[0], rng[1], n_bins)
        counts += part
    bars = go.Bar(
        x=_f32(_centers(edges)), y=counts.astype(np.int32), width=float(edges[1] - edges[0]),
        marker_color=PURPLE, hovertemplate=t("quant.chart.hover_bin", lang) + "<extra></extra>",
    )
    return _figure([bars], lang, "quant.chart.errhist_title", "quant.chart.error", "quant.chart.count",
                   yaxis=count_axis(int(counts.max(initial=0))))


def block_mean(a: np.ndarray, max_side: int = MAX_SIDE,
               band_of: Callable[[int, int], np.ndarray] | None = None) -> np.ndarray:
    """Mean of a 2-D array over a grid of <= max_side x max_side nearly equal blocks (NaN ignored).

    ``band_of(r0, r1)``, when given, supplies rows r0:r1 (a is then only read for its shape), so
    the whole array need never exist at once.
    Example: a 4x4 array with max_side 2 -> the 2x2 means of its four 2x2 quarters.
    """
    a = np.asarray(a)
    if a.dtype.kind != "f" and band_of is None:
        a = a.astype(np.float64)
    r_edges = np.linspace(0, a.shape[0], min(a.shape[0], max_side) + 1).astype(np.int64)
    c_edges = np.linspace(0, a.shape[1], min(a.shape[1], max_side) + 1).astype(np.int64)[:-1]
    sums = np.empty((r_edges.size - 1, a.shape[1]))
    counts = np.empty_like(sums)
    for i, (r0, r1) in enumerate(zip(r_edges[:-1], r_edges[1:])):  # one row band at a time
        band = a[r0:r1] if band_of is None else band_of(int(r0), int(r1))
        ok = np.isfinite(band)
        sums[i] = np.where(ok, band, 0.0).sum(axis=0) if not ok.all() else band.sum(axis=0, dtype=np.float64)
        counts[i] = ok.sum(axis=0)
    s = np.add.reduceat(sums, c_edges, axis=1)
    n = np.add.reduceat(counts, c_edges, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, s / np.maximum(n, 1), np.nan)


def error_heatmap(err2d: np.ndarray | LazyError, lang: str, max_side: int = MAX_SIDE,
                  is_abs: bool = False) -> go.Figure:
    """Mean |x̂ - x| of a matrix (err2d = x̂ - x shaped as the matrix, or already |x̂ - x| when
    is_abs, or a LazyError of two matrices), block-averaged down to <= max_side x max_side cells."""
    if isinstance(err2d, LazyError):
        z = block_mean(err2d.x, max_side, band_of=lambda r0, r1: np.abs(err2d.rows(r0, r1)))
    else:
        z = block_mean(err2d if is_abs else np.abs(err2d), max_side)
    heat = go.Heatmap(
        z=_f32(z), colorscale="Viridis", colorbar=dict(title=dict(text=t("quant.chart.abs_error", lang))),
        hovertemplate=t("quant.chart.hover_heat", lang) + "<extra></extra>",
    )
    return _figure([heat], lang, "quant.chart.heat_title", "quant.chart.col_block", "quant.chart.row_block",
                   subtitle=t("quant.chart.heat_sub", lang), yaxis=dict(autorange="reversed"))


def scales_chart(scales: np.ndarray, lang: str, max_bars: int = MAX_BARS) -> go.Figure:
    """Bar chart of per-channel (or per-block) scales; > max_bars scales are grouped, showing each
    group's largest scale."""
    s = np.asarray(scales, dtype=np.float64).ravel()
    idx = np.arange(s.size)
    if s.size > max_bars:
        edges = np.linspace(0, s.size, max_bars + 1).astype(np.int64)[:-1]
        s = np.maximum.reduceat(np.where(np.isfinite(s), s, -np.inf), edges)
        idx = edges
    bars = go.Bar(
        x=idx.astype(np.int32), y=_f32(s), marker_color=SKY,
        hovertemplate=t("quant.chart.hover_scale", lang) + "<extra></extra>",
    )
    return _figure([bars], lang, "quant.chart.scales_title", "quant.chart.channel", "quant.chart.scale",
                   xaxis=count_axis(int(idx[-1]) if idx.size else 0))


# ---------------------------------------------------------------- Compare page


def _labels(df, lang: str = "en") -> list[str]:  # type: ignore[no-untyped-def]
    """The choices' labels as shown (lib.compare.label_text: "int8 absmax 逐通道" in Chinese)."""
    return [label_text(str(s), lang) for s in df["label"]]


def _finite_sqnr(df) -> np.ndarray:  # type: ignore[no-untyped-def]
    """SQNR with +inf (exact) shown as a capped bar 10 dB above the best finite value."""
    s = df["sqnr_db"].to_numpy(dtype=np.float64)
    fin = s[np.isfinite(s)]
    cap = (fin.max() if fin.size else 0.0) + 10.0
    return np.where(np.isposinf(s), cap, s)


def _sqnr_texts(df, lang: str, exact_key: str = "cmp.chart.sqnr_exact") -> list[str]:  # type: ignore[no-untyped-def]
    """The SQNR of each row for hover text: "49.17 dB", or what an exact (+inf) row's capped bar means."""
    return [f"{v:.2f} dB" if np.isfinite(v) else t(exact_key, lang)
            for v in df["sqnr_db"].to_numpy(dtype=np.float64)]


def _bits_texts(df) -> list[str]:  # type: ignore[no-untyped-def]
    """Bits per value of each row for hover text, as the table writes them (lib.compare.bits_text:
    NVFP4's 4.500122 is "4.5001", not the "4.5" of Q4_0)."""
    return [bits_text(v) for v in df["bits_per_element"].to_numpy(dtype=np.float64)]


def _bar_layout(n: int) -> dict:
    """Best on top, every bar labelled: plotly drops every other category label once bars get
    thinner than a label, so the chart grows by 22 px per bar beyond 14 (32 choices: 704 px)."""
    return dict(yaxis=dict(autorange="reversed", dtick=1), height=max(450, 22 * n + 120))


def sqnr_bars(df, lang: str) -> go.Figure:  # type: ignore[no-untyped-def]
    """Horizontal bars of SQNR (dB) per choice, best on top. df: lib.compare table (ok rows)."""
    bars = go.Bar(
        y=_labels(df, lang), x=_finite_sqnr(df), orientation="h", marker_color=BLUE,
        customdata=list(zip(_bits_texts(df), _sqnr_texts(df, lang))),
        text=["∞" if np.isposinf(v) else "" for v in df["sqnr_db"].to_numpy(dtype=np.float64)],
        # upright: plotly turns inside text that is taller than a thin bar by 90°, and "∞" then reads as "8"
        textposition="inside", textangle=0, constraintext="none", hovertemplate=t("cmp.chart.hover_sqnr", lang) + "<extra></extra>",
    )
    return _figure([bars], lang, "cmp.chart.sqnr_title", "cmp.chart.sqnr", "cmp.chart.choice",
                   subtitle=t("cmp.chart.sqnr_sub", lang), **_bar_layout(len(df)))


def bits_bars(df, lang: str) -> go.Figure:  # type: ignore[no-untyped-def]
    """Horizontal bars of storage bits per value (scales included), same order as the table."""
    bars = go.Bar(
        y=_labels(df, lang), x=df["bits_per_element"].to_numpy(dtype=np.float64), orientation="h",
        marker_color=GREEN, customdata=_bits_texts(df), hovertemplate=t("cmp.chart.hover_bits", lang) + "<extra></extra>",
    )
    return _figure([bars], lang, "cmp.chart.bits_title", "cmp.chart.bits", "cmp.chart.choice",
                   subtitle=t("cmp.chart.bits_sub", lang), **_bar_layout(len(df)))


def label_positions(bits: np.ndarray, shown: Sequence[bool]) -> list[str]:
    """Where each point's name goes: the named points, taken by increasing bits, alternate
    above-left and below-right of their marker, so two neighbours on the rising front (NVFP4 at 4.5
    bits and 23.9 dB, MXFP6 E3M2 at 6.25 bits and 24.7 dB) never write over each other; at "top
    center" both names sat on one line. Points without a name keep "top center"."""
    pos = ["top center"] * len(shown)
    named = [i for i in np.argsort(bits, kind="stable") if shown[i]]
    for k, i in enumerate(named):
        pos[i] = "top left" if k % 2 == 0 else "bottom right"
    return pos


def pareto_scatter(df, front: Sequence[str], lang: str,  # type: ignore[no-untyped-def]
                   labelled: Sequence[str] | None = None) -> go.Figure:
    """Bits per value vs SQNR for every choice (the ``labelled`` choices, default the front, carry
    their name; every point is named on hover),
    the Pareto front joined by a line, and the ideal uniform quantizer's 6.02 dB per bit (+1.76 dB)
    drawn for reference."""
    bits = df["bits_per_element"].to_numpy(dtype=np.float64)
    sq = _finite_sqnr(df)
    labels = _labels(df)
    sq_text = _sqnr_texts(df, lang, "cmp.chart.sqnr_exact_point")
    on_front = np.array([lab in set(front) for lab in labels], dtype=bool)
    # plotly draws points in order: the front last, so a grey point at the same spot (int4 g128
    # and mxfp4, both 4.25 bits) never hides a front point
    order = np.argsort(on_front, kind="stable")
    bits, sq, on_front = bits[order], sq[order], on_front[order]
    labels, sq_text = [labels[i] for i in order], [sq_text[i] for i in order]
    shown = set(front if labelled is None else labelled)
    traces = [go.Scatter(
        x=bits, y=sq, mode="markers+text", text=[label_text(lab, lang) if lab in shown else "" for lab in labels],
        customdata=list(zip([label_text(lab, lang) for lab in labels], sq_text, [bits_text(v) for v in bits])), textposition=label_positions(bits, [lab in shown for lab in labels]), cliponaxis=False,
        marker=dict(size=10, color=np.where(on_front, VERMILION, GREY).tolist()), legendrank=1,
        textfont=dict(shadow="auto"),  # a halo: a name stays readable where a line crosses it
        hovertemplate=t("cmp.chart.hover_pareto", lang) + "<extra></extra>", name=t("cmp.chart.choices", lang),
    )]
    if on_front.any():
        order = np.argsort(bits[on_front])
        traces.append(go.Scatter(x=bits[on_front][order], y=sq[on_front][order], mode="lines", legendrank=2,
                                 line=dict(color=VERMILION), name=t("cmp.chart.front", lang), hoverinfo="skip"))
    hi = float(np.nanmax(bits)) + 1 if bits.size else 16.0
    ref_x = np.linspace(1.0, max(hi, 2.0), 32)  # points along the line, so hover finds it anywhere
    traces.append(go.Scatter(x=ref_x, y=6.02 * ref_x + 1.76, mode="lines", line=dict(color=GREY, dash="dot"),
                             name=t("cmp.chart.ref_line", lang), legendrank=3,
                             hovertemplate=t("cmp.chart.ref_hover", lang) + "<extra></extra>"))
    # drawn in reverse: the reference line first, the points and their names last, on top (the
    # dotted line struck through "int8 absmax ch"; zorder would clip the names at the plot's edge)
    return _figure(traces[::-1], lang, "cmp.chart.pareto_title", "cmp.chart.bits", "cmp.chart.sqnr",
                   margin=dict(r=80))  # room for the rightmost point's name


# ---------------------------------------------------------------- Quantize page bundle

MAX_GRID_BITS = 16


#: what a scheme's stored code means as an element value (the block walkthrough's element column):
#: Q4_0's nibble q is q - 8; an MXINT8 code c is c · 2^-6 (its E8M0 scale X then multiplies it)
SCHEME_ELEMENT_VALUE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "q4_0": lambda v: v - 8, "mxint8": lambda v: v * MXINT8_ELEMENT_SCALE}


def code_table(fmt_name: str, scheme: str | None = None) -> tuple[np.ndarray, int] | None:
    """(value of every code, code offset) of an element format (a quantize result's
    ``element_format``; ``scheme`` its ``fmt`` when that is a block scheme), or None when it has
    too many codes to list (> 16 bits).  Integer codes are the integers themselves (offset = qmin,
    values qmin..qmax); float and table codes are bit patterns (offset 0, values = decode(code)).
    Dequantized = (value - zero point) × scale.  Examples: "int4" -> ([-8, ..., 7], -8);
    ("int8", "q8_0") -> ([-127, ..., 127], -127)."""
    from lib.formats import get_format

    fmt = get_format(fmt_name)
    if fmt.bits > MAX_GRID_BITS:
        return None
    if fmt.kind == "int":
        lo = -127 if scheme in SYMMETRIC_INT8_SCHEMES else int(fmt.min)
        return np.arange(lo, int(fmt.max) + 1, dtype=np.float64), lo
    return np.asarray(fmt.decode(np.arange(1 << fmt.bits)), dtype=np.float64), 0


def representative_grid(result: object) -> np.ndarray | None:
    """The dequantized grid of the channel / block with the largest scale (the whole grid for a
    per-tensor scale): (element values - zero point) × scale, sorted, finite, unique."""
    table = code_table(str(result.element_format), str(result.fmt))  # type: ignore[attr-defined]
    if table is None:
        return None
    scale = np.asarray(result.scale, dtype=np.float64)  # type: ignore[attr-defined]
    mag = np.where(np.isfinite(scale), np.abs(scale), -1.0).ravel()
    b = int(np.argmax(mag)) if mag.size else 0
    s = float(scale.ravel()[b]) if scale.size else 1.0
    zp_arr = getattr(result, "zero_point", None)
    zp = 0.0
    if zp_arr is not None and np.size(zp_arr):
        zpa = np.broadcast_to(np.asarray(zp_arr, dtype=np.float64), scale.shape).ravel()
        zp = float(zpa[b])
    if not np.isfinite(s):  # every scale overflowed (a GGUF fp16 d beyond 65504): no grid to draw
        return None
    vals = table[0]
    with np.errstate(over="ignore"):
        grid = (vals[np.isfinite(vals)] - zp) * s
    return np.unique(grid[np.isfinite(grid)])


def quant_figures(x: np.ndarray, result: object, choice: object, axis: int, lang: str,
                  log_y: bool = False, bulk: bool = False) -> dict[str, object]:
    """Every chart of the Quantize page for one result, keyed by tab name:
    hist, usage, error (scatter, histogram), heat (2-D data only), scales (> 1 scale).
    bulk: the value histogram shows only the bulk of the values (bulk_window)."""
    x_hat = np.asarray(result.dequantized)  # type: ignore[attr-defined]
    grid = representative_grid(result)
    clip = (float(grid[0]), float(grid[-1])) if grid is not None and grid.size else None
    view = bulk_window(x) if bulk else None
    hist = value_histogram(x, grid, lang, clip=clip, log_y=log_y, view=view)
    if bulk and view is None and result.metrics.get("nonfinite_count", 0) < np.size(x):  # type: ignore[attr-defined]
        hist.data[0].name = t("quant.chart.values_no_bulk", lang)  # over 99% zeros: no bulk to zoom on
    figs: dict[str, object] = {"hist": hist}
    table = code_table(str(result.element_format), str(result.fmt))  # type: ignore[attr-defined]
    metrics = result.metrics  # type: ignore[attr-defined]
    if table is not None:
        vals, cnt = level_counts(np.asarray(result.codes), table[0], table[1])  # type: ignore[attr-defined]
        vals = SCHEME_ELEMENT_VALUE.get(str(result.fmt), lambda v: v)(vals)  # type: ignore[attr-defined]
        figs["usage"] = code_usage(vals, cnt, lang, int(metrics.get("levels_used", np.count_nonzero(cnt))),
                                   int(metrics.get("levels_available", vals.size)))
    err = LazyError(np.asarray(x), x_hat)  # never a full-size error array
    figs["error"] = (error_scatter(x, err, lang), error_histogram(err, lang))
    if np.ndim(x) == 2:
        figs["heat"] = error_heatmap(err, lang)
    scale = np.asarray(result.scale)  # type: ignore[attr-defined]
    if scale.size > 1:
        figs["scales"] = scales_chart(scale, lang)
    return figs
