"""Figures of a format's grid of representable values (the Grid page, 量化网格). Pure: data -> Figure.

The data is a :class:`GridPoints`, built by :func:`grid_points` from a ``lib.formats`` format:
* formats of at most ``MAX_EXACT_BITS`` bits: every finite value, one marker each (FP8 has 254);
* wider formats (float16, bfloat16, tf32, float32): one marker per *binade* [2^e, 2^(e+1)) holding
  ``count`` values ``step`` apart, never 65,536 raw points. In binade e a float with M mantissa bits
  has 2^M values with step 2^(e-M); the subnormals [0, 2^emin) have 2^M - 1 values with step
  2^(emin-M). Example, float16 (M=10, emin=-14): binade [1, 2) holds 1024 values, step 2^-10.

Every figure keeps its JSON small (tested <= 100 KB) and has hover text and translated axis titles.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Protocol

import numpy as np
import plotly.graph_objects as go

from lib.i18n import t
from lib.numtext import exact_text, shortest  # shortest also as charts_grid.shortest, for the Grid page

#: Formats up to this many bits are drawn value by value; wider ones by binade.
MAX_EXACT_BITS = 12
#: Most formats overlaid on one figure (four of the widest stay under 100 KB of JSON).
MAX_OVERLAY = 4
#: Classic comparisons, scaled to a common max: INT8 × 448/127 vs FP8 E4M3; the 4-bit grids.
OVERLAY_PRESETS: dict[str, tuple[str, ...]] = {
    "int8_fp8": ("int8", "float8_e4m3fn"),
    "four_bit": ("float4_e2m1fn", "nf4", "int4"),
}
#: Okabe–Ito colours, colour-blind safe, one per overlaid format.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


class GridFormat(Protocol):
    """What the builders read from a ``lib.formats`` format."""

    name: str
    bits: int
    kind: str
    mantissa_bits: int
    max: float
    min: float
    smallest_normal: float
    smallest_subnormal: float

    def values(self) -> np.ndarray: ...

    def round(self, x: Any) -> Any: ...

    def neighbors(self, x: float) -> tuple[float, float]: ...


@dataclass(frozen=True)
class GridPoints:
    """Points to draw for one format, already scaled.

    Attributes:
        label: legend name, e.g. "int8 × 448/127".
        values: sorted positions (float64). Exact values, or the start of each binade when ``binned``,
            then ``max`` (and ``-max`` when signed) so the drawn range reaches the largest value.
        counts: how many representable values each point stands for (all 1 unless ``binned``;
            0 at a binned grid's ``±max``, which its top binade already counts).
        steps: gap to the next representable value above each point (NaN at the top, and at ``±max``).
        binned: True when one point stands for a whole binade.
        scale: factor applied to the format's own values (1.0 when not scaled).
    """

    label: str
    values: np.ndarray
    counts: np.ndarray
    steps: np.ndarray
    binned: bool
    scale: float = 1.0

    @property
    def total(self) -> int:
        """Number of finite representable values drawn (or summarised)."""
        return int(self.counts.sum())


def _binades(fmt: GridFormat) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Positive binade starts, value counts and steps for a float format, from its parameters, then
    ``fmt.max`` with count 0 and step NaN: float32's last binade starts at 2^127, its max is ~2^128."""
    m = fmt.mantissa_bits
    emin = round(math.log2(fmt.smallest_normal))
    emax = math.floor(math.log2(fmt.max))
    starts, counts, steps = [], [], []
    if fmt.smallest_subnormal < fmt.smallest_normal:
        starts.append(fmt.smallest_subnormal)
        counts.append(round(fmt.smallest_normal / fmt.smallest_subnormal) - 1)
        steps.append(fmt.smallest_subnormal)
    for e in range(emin, emax + 1):
        step = 2.0 ** (e - m)
        starts.append(2.0**e)
        counts.append(min(2**m, math.floor((fmt.max - 2.0**e) / step) + 1))
        steps.append(step)
    if fmt.max > starts[-1]:
        starts.append(fmt.max)
        counts.append(0)
        steps.append(math.nan)
    return np.array(starts), np.array(counts, dtype=np.int64), np.array(steps)


def grid_points(fmt: GridFormat, scale_to: float | None = None, label: str | None = None) -> GridPoints:
    """The points of ``fmt``'s grid, optionally scaled so its largest magnitude becomes ``scale_to``.

    Args:
        fmt: a lib.formats format.
        scale_to: e.g. 448 to compare INT8 (scaled by 448/127) with FP8 E4M3 on one axis; the
            format's positive maximum ``fmt.max`` is mapped onto it (INT4: 7 -> scale_to).
        label: legend name; defaults to the format name (plus the scale).

    Returns:
        GridPoints. ``grid_points(get_format("int4")).values`` is -8..7 with steps 1.
    """
    if fmt.bits <= MAX_EXACT_BITS:
        values = np.asarray(fmt.values(), dtype=np.float64)
        counts = np.ones(values.size, dtype=np.int64)
        steps = np.append(np.diff(values), np.nan)
        binned = False
    else:
        starts, counts_pos, steps_pos = _binades(fmt)
        signed = fmt.min < 0
        values = np.concatenate([-starts[::-1], [0.0], starts]) if signed else np.concatenate([[0.0], starts])
        counts = np.concatenate([counts_pos[::-1], [1], counts_pos]) if signed else np.concatenate([[1], counts_pos])
        steps = np.concatenate([steps_pos[::-1], [fmt.smallest_subnormal], steps_pos]) if signed else (
            np.concatenate([[fmt.smallest_subnormal], steps_pos]))
        binned = True
    top = float(fmt.max)  # the positive maximum, as absmax scaling uses it (int4: 7, not 8)
    if not scale_to or top == 0 or float(scale_to) == top:
        return GridPoints(label or fmt.name, values, counts, steps, binned)
    scale = float(scale_to) / top
    label = label or f"{fmt.name} × {scale:.4g}"
    return GridPoints(label, _scaled(values, scale_to, top), counts, _scaled(steps, scale_to, top), binned, scale)


def _scaled(values: np.ndarray, num: float, den: float) -> np.ndarray:
    """Each value times ``num``/``den``, correctly rounded: v·num/den exactly, then the nearest float64.
    Multiplying by the float64 ``num/den`` rounds twice: int8's -123 × (448/127) gave
    -433.8897637795275, one step from -123·448/127's nearest float64, -433.8897637795276. NaN stays NaN."""
    ratio = Fraction(num) / Fraction(den)
    return np.array([float(Fraction(v) * ratio) if math.isfinite(v) else v for v in values.tolist()],
                    dtype=np.float64)


def digits(values: Any) -> int:
    """Fewest significant digits (1..17) with which every finite value prints exactly: read back, each
    string is the same float64 again. 17 always suffice. Example: [448, 0.1015625] -> 7."""
    arr = np.asarray(values, dtype=np.float64).ravel()
    need = 1
    for v in np.unique(arr[np.isfinite(arr)]).tolist():
        while need < 17 and float(f"{v:.{need}g}") != v:
            need += 1
    return need


def compact(x: float, width: int = 12) -> str:
    """``shortest(x)`` when it is at most ``width`` characters, else "≈" and 4 significant digits:
    for prose, where float32's max written out (3.4028234663852886e+38) hides the point.
    Example: 448.0 -> "448", 2.0**127 -> "≈1.701e+38"."""
    text = shortest(x)
    return text if len(text) <= width else f"≈{float(x):.4g}"


def _hover(points: GridPoints, keep: np.ndarray, lang: str, key: str | None = None) -> tuple[str, np.ndarray]:
    """One hover template plus per-point numbers (customdata: count, step, value): compact JSON, no
    string per point. The template prints them without a format, so the browser writes each one as
    the shortest decimal that reads back exactly (448, not 448.000; 0.1015625, not 0.101562)."""
    key = key or ("grid.hover_binade" if points.binned else "grid.hover_value")
    data = np.column_stack([points.counts, points.steps, points.values])[keep]
    return t(key, lang) + "<extra>%{fullData.name}</extra>", data


#: hover labels readable on a projector: 14 px dark text on white (plotly's default was 12 px grey)
HOVER_LABEL = dict(font=dict(size=14, color="#262730"), bgcolor="white")


#: px kept free above every chart title for plotly's toolbar (the modebar: camera, zoom, pan ...),
#: which shows at the top right on hover or tap, 26 px tall and 224 px wide. A figure does not know
#: the screen's width, and on a 390 px phone the toolbar covered every title longer than ~130 px
#: ("Values and the quan[toolbar]"), so the title always sits below it; figures grow by this much.
MODEBAR_BAND = 36


def title_layout(title: str, subtitle: str | None = None) -> dict:
    """A chart title below the toolbar's band (MODEBAR_BAND), with an optional smaller ``subtitle``
    line under it (plotly never wraps a title, so the detail goes there: a half-width chart is
    ~280 px wide at 1024 px)."""
    head: dict = dict(text=title, y=1.0, yref="container", yanchor="top", pad=dict(t=MODEBAR_BAND))
    if subtitle:
        head["subtitle"] = dict(text=subtitle, font=dict(size=13))
    return head


def _figure(traces: list, title: str, x_title: str, y_title: str | None = None, height: int = 320, *,
            subtitle: str | None = None, xaxis: dict | None = None, yaxis: dict | None = None,
            **layout: object) -> go.Figure:
    """Title (short: plotly never wraps one, and a half-width chart is about 280 px wide at 1024 px;
    details go in the smaller ``subtitle``), size, axis titles (merged into ``xaxis``/``yaxis``);
    the legend sits in a row above the plot so it never hides an axis title. One constructor call:
    plotly validates a layout given to the constructor several times faster than through
    update_layout / update_xaxes."""
    yaxis = dict(yaxis or {})
    if y_title is not None:
        yaxis["title"] = dict(text=y_title)
    return go.Figure(data=traces, layout=dict(  # a subtitle takes a line more above the legend
        title=title_layout(title, subtitle), height=height + (24 if subtitle else 0) + MODEBAR_BAND,
        margin=dict(l=10, r=10, t=(104 if subtitle else 80) + MODEBAR_BAND, b=40), hovermode="closest", hoverlabel=HOVER_LABEL,
        legend=dict(orientation="h", yanchor="bottom", y=1.0, xanchor="left", x=0),
        xaxis=dict(title=dict(text=x_title), **(xaxis or {})), yaxis=yaxis, **layout))


def negative_half(points: GridPoints) -> str:
    """How the negative values relate to the positive ones: "mirror" (exactly their negatives),
    "own" (different: NF4's -0.0911 ... -1, or int8's -128) or "none" (uint formats, E8M0)."""
    neg, pos = points.values < 0, points.values > 0
    if not neg.any():
        return "none"
    same = np.array_equal(-points.values[neg][::-1], points.values[pos]) and np.array_equal(
        points.counts[neg][::-1], points.counts[pos])
    return "mirror" if same else "own"


def _log_title(grids: list[GridPoints], lang: str) -> str:
    """The log axis title, saying what happens to the negative values, and only what is true.

    One kind for every grid: "|x| (log scale; the negative half mirrors it)", "... drawn separately"
    or, without negative values, "value x (log scale)". Mixed kinds name the formats of each kind.
    """
    kinds = [negative_half(g) for g in grids]
    if len(set(kinds)) == 1:
        return t({"mirror": "grid.axis_abs_log", "own": "grid.axis_abs_log_own", "none": "grid.axis_value_log"}[
            kinds[0]], lang)
    parts = [t(f"grid.log_part_{kind}", lang, names=t("grid.name_sep", lang).join(
        g.label for g, k in zip(grids, kinds) if k == kind)) for kind in ("mirror", "own", "none") if kind in kinds]
    return t("grid.axis_abs_log_mixed", lang, parts=t("grid.part_sep", lang).join(parts))


def _negative_trace(points: GridPoints, row: int, colour: str, lang: str) -> go.Scatter:
    """The negative values of ``points`` at |x|, just below its row (log axis, when not a mirror)."""
    neg = points.values < 0
    values = points.values[neg]
    template, hover_data = _hover(points, neg, lang)
    return go.Scatter(
        x=-values, y=np.full(values.size, row - 0.25, dtype=np.float32), mode="markers",
        name=t("grid.legend_negative", lang, name=points.label), legendgroup=points.label,
        marker=dict(size=7, symbol="triangle-down-open", color=colour, line=dict(width=1.5, color=colour)),
        customdata=hover_data, hovertemplate=template)


def _ends_trace(points: GridPoints, keep: np.ndarray, row: int, colour: str, lang: str) -> go.Scatter:
    """The points with nothing above them, hovered as "largest value": a binned grid's ``±max``
    (count 0), drawn as a bar marking where its range really ends, or an exact grid's top value,
    drawn like its other values (the shared template would say "next value is NaN above")."""
    values = points.values[keep]
    return go.Scatter(
        x=values, y=np.full(values.size, row, dtype=np.int8), mode="markers", name=points.label,
        legendgroup=points.label, showlegend=False,
        marker=dict(size=16 if points.binned else 7, symbol="line-ns-open", color=colour,
                    line=dict(width=2, color=colour)),
        hovertext=[t("grid.hover_max" if v > 0 else "grid.hover_min", lang, value=shortest(v)) for v in values],
        hoverinfo="text")


def number_line(grids: list[GridPoints], lang: str, log: bool = False) -> go.Figure:
    """All representable values of one or more formats on one axis, one row per format.

    Linear: floats crowd near zero while integers are evenly spaced. Log (``log=True``): x is |x| for
    the positive values, and floats become evenly spaced binades; negative values that are not the
    mirror of the positive ones (NF4, int8's -128) get their own markers at |x| just below the row.
    Binned points have a marker size growing with log2 of the values they stand for, and a bar at
    ``±max``, where the top binade ends; the point standing for all the subnormals (start = step:
    float16's 1,023 of them span ten binades) is its own trace, hovered as "subnormals".
    """
    traces = []
    for row, points in enumerate(grids):
        colour = PALETTE[row % len(PALETTE)]
        shown = points.values > 0 if log else np.ones(points.values.size, dtype=bool)
        ends = shown & np.isnan(points.steps)  # ±max of a binned grid, the top of an exact one
        keep = shown & ~ends
        # a binned grid's subnormals are one point (start = step), hovered as such, not as a binade
        sub = keep & (np.abs(points.values) == points.steps) if points.binned else np.zeros_like(keep)
        # and its zero is one value, hovered as "value 0, next value is <smallest subnormal> above"
        zero = keep & (points.values == 0) if points.binned else np.zeros_like(keep)
        for part, key in ((keep & ~sub & ~zero, None), (sub, "grid.hover_subnormal"), (zero, "grid.hover_value")):
            if key is not None and not part.any():
                continue
            template, hover_data = _hover(points, part, lang, key)
            sizes = np.minimum(5 + 1.2 * np.log2(np.maximum(points.counts[part], 1)), 22).astype(np.float32) \
                if points.binned else 7
            traces.append(go.Scatter(
                x=points.values[part], y=np.full(int(part.sum()), row, dtype=np.int8), mode="markers",
                name=points.label, legendgroup=points.label, showlegend=key is None,
                marker=dict(size=sizes, color=colour, symbol="line-ns-open" if not points.binned
                            else "circle-open", line=dict(width=2, color=colour)),
                customdata=hover_data, hovertemplate=template))
        if log and negative_half(points) == "own":
            traces.append(_negative_trace(points, row, colour, lang))
        if ends.any():
            traces.append(_ends_trace(points, ends, row, colour, lang))
    yaxis = dict(tickvals=list(range(len(grids))), ticktext=[g.label for g in grids],
                 range=[-0.7, len(grids) - 0.3], showgrid=False)
    x_title = _log_title(grids, lang) if log else t("grid.axis_value", lang)
    return _figure(traces, t("grid.title_line", lang), x_title, height=160 + 60 * len(grids), yaxis=yaxis,
                   xaxis=dict(type="log", exponentformat="power") if log else None)


def gap_chart(grids: list[GridPoints], lang: str) -> go.Figure:
    """Gap to the next representable value against the value, both axes log (positive half).

    A float's gap doubles at every binade (a staircase: a constant *relative* step of 2^-M);
    an integer grid has one constant gap.
    """
    traces = []
    for row, points in enumerate(grids):
        keep = (points.values > 0) & np.isfinite(points.steps)
        x, y = points.values[keep], points.steps[keep]
        traces.append(go.Scatter(
            x=x, y=y, mode="lines+markers", line_shape="hv", name=points.label,
            marker=dict(size=5, color=PALETTE[row % len(PALETTE)]), line=dict(color=PALETTE[row % len(PALETTE)]),
            customdata=np.column_stack([x, y, y / x]), hovertemplate=_gap_template(y / x, lang)))
    log = dict(type="log", exponentformat="power")
    fig = _figure(traces, t("grid.title_gap", lang), t("grid.axis_value_log", lang), t("grid.axis_gap", lang),
                  380, xaxis=log, yaxis=dict(log))
    if not any(len(tr.x) for tr in traces):  # int2: one positive value (1), no gap between two of them
        fig.add_annotation(text=t("grid.gap_none", lang, names=", ".join(p.label for p in grids)), showarrow=False,
                           xref="paper", yref="paper", x=0.5, y=0.5, font=dict(size=14))
    return fig


def _gap_template(relative: np.ndarray, lang: str) -> str:
    """Value and gap print exactly (see ``_hover``); the relative gap with at most 3 digits, marked
    "≈" unless every one of them is exact with 3 (2^-3 = 0.125 is, int8's 1/3 is not)."""
    need = digits(relative)
    return t("grid.hover_gap", lang, r=f".{need}~g" if need <= 3 else ".3~g",
             approx="" if need <= 3 else "≈ ") + "<extra>%{fullData.name}</extra>"


def window_values(points: GridPoints, center: float, count: int = 12) -> np.ndarray:
    """About ``count`` consecutive exact values of ``points`` around ``center`` (needs exact points).

    For a binned (wide) format, values are generated from the binade steps around ``center``.
    Example: FP4 E2M1 around 2 with count 6 -> [0.5, 1, 1.5, 2, 3, 4].
    """
    if not points.binned:
        i = int(np.searchsorted(points.values, center))
        lo = max(0, min(i - count // 2, points.values.size - count))
        return points.values[lo:lo + count]
    sign = -1.0 if center < 0 else 1.0
    c = abs(center)
    i = max(int(np.searchsorted(points.values, c, side="right")) - 1, 0)
    cands = []
    first = int(np.searchsorted(points.values, 0.0))  # binades of the positive half only
    for j in range(max(i - 1, first), min(i + 2, points.values.size)):
        start, step, cnt = points.values[j], points.steps[j], int(points.counts[j])
        k0 = min(max(math.floor((c - start) / step), 0), cnt - 1) if step > 0 else 0
        cands.append(start + step * np.arange(max(0, k0 - count), min(cnt, k0 + count + 1)))
    near = np.unique(np.concatenate(cands))
    k = int(np.searchsorted(near, c))
    lo = max(0, min(k - count // 2, near.size - count))
    out = near[lo:lo + count] * sign
    return np.sort(out)


def rounding_chart(values: np.ndarray, fmt: GridFormat, label: str, lang: str) -> go.Figure:
    """Consecutive grid values of ``fmt`` and the midpoints between them: every x strictly between
    two midpoints rounds to the value in between (round to nearest). Where an exact midpoint goes
    is the format's own rule, so it is read off ``fmt.round`` rather than assumed: the even code
    for IEEE-style floats and integers, the larger value in E8M0, bitsandbytes' thresholds in NF4.

    Example: FP4 E2M1 values 2, 3, 4 -> midpoints 2.5, 3.5: x = 3.2 rounds to 3; 2.5 goes to 2 and
    3.5 to 4 (the even codes 4 and 6).

    The hovers say "exactly", so they write exact values (``exact_text``), which read back as these
    numbers on the Bits page: float32's midpoint above 1 is 1.000000178813934326171875, and its
    shortest float64 text 1.0000001788139343 lies above it and rounds up. The midpoints themselves are
    exact in float64 (neighbours of at most 24 significant bits; tests check every format's windows).
    """
    values = np.asarray(values, dtype=np.float64)
    mids = (values[:-1] + values[1:]) / 2
    ties = np.asarray(fmt.round(mids), dtype=np.float64).reshape(-1)
    # the end values' bands reach the midpoint to their neighbours outside the window (the window
    # ends themselves made 1.625's band (1.5625, 1.625) in E4M3: 1.65 rounds to 1.625 too); the
    # format's own ends (NaN neighbour) have no midpoint beyond them: overflow decides there
    below, above = fmt.neighbors(values[0])[0], fmt.neighbors(values[-1])[1]
    lo_end, hi_end = math.isnan(below), math.isnan(above)
    first_gap = mids[0] - values[0] if mids.size else 0.5
    last_gap = values[-1] - mids[-1] if mids.size else 0.5
    edges = np.concatenate([[values[0] - first_gap if lo_end else (below + values[0]) / 2], mids,
                            [values[-1] + last_gap if hi_end else (values[-1] + above) / 2]])
    hovers = [t("grid.hover_round", lang, value=exact_text(v), lo=exact_text(a), hi=exact_text(b))
              for v, a, b in zip(values, edges[:-1], edges[1:])]
    if lo_end:
        hovers[0] = t("grid.hover_round_lowest", lang, value=exact_text(values[0]), hi=exact_text(edges[1]))
    if hi_end:
        hovers[-1] = t("grid.hover_round_highest", lang, value=exact_text(values[-1]), lo=exact_text(edges[-2]))
    bands = [  # one band per value: the inputs that round to it
        dict(type="rect", xref="x", yref="paper", x0=edges[i], x1=edges[i + 1], y0=0, y1=1, line=dict(width=0),
             fillcolor=PALETTE[0] if i % 2 else PALETTE[5], opacity=0.15, layer="below")
        for i in range(values.size)]
    traces = [go.Scatter(
        x=values, y=np.zeros(values.size), mode="markers", name=t("grid.legend_values", lang),
        marker=dict(size=11, color=PALETTE[0]),
        hovertext=hovers, hoverinfo="text"),
              go.Scatter(
        x=mids, y=np.zeros(mids.size), mode="markers", name=t("grid.legend_midpoints", lang),
        marker=dict(size=22, symbol="line-ns-open", color=PALETTE[1], line=dict(width=2, color=PALETTE[1])),
        hovertext=[t("grid.hover_mid", lang, mid=exact_text(m), lo=exact_text(a), hi=exact_text(b), to=exact_text(c))
                   for m, a, b, c in zip(mids, values[:-1], values[1:], ties)], hoverinfo="text")]
    return _figure(traces, t("grid.title_round", lang), t("grid.axis_value", lang), height=300, subtitle=label,
                   yaxis=dict(visible=False, range=[-1, 1]), shapes=bands)


def center_beyond(fmt: GridFormat, center: float) -> str | None:
    """Where ``center`` lies outside ``fmt``'s range: "above" its largest value, "below" its smallest
    (E8M0's smallest is 2^-127 > 0), else None. The rounding chart then shows that end of the range.
    Example: E4M3 (max 448) with center 1e40 -> "above"; uint8 with -3 -> "below"."""
    if center > fmt.max:
        return "above"
    if center < fmt.min:
        return "below"
    return None


def rescale_note(fmts: list[GridFormat], lang: str) -> str:
    """The caption of an overlay scaled to a common largest value, with an example taken from the
    chosen formats: int8, int4, nf4, uint8 -> "... becomes 255 ...: int8 × 255/127 next to uint8".
    Without a format to scale (all share one largest value) it says that nothing is scaled."""
    top = max(f.max for f in fmts)
    ref = next(f for f in fmts if f.max == top)
    scaled = [f for f in fmts if f.max != top]
    if not scaled:
        return t("grid.rescale_same", lang, top=compact(top))
    own, ratio = scaled[0].max, top / scaled[0].max
    exact = f"{shortest(top)}/{shortest(own)}"  # 255/127; float32 over E8M0 written out was 38 characters
    factor = shortest(ratio) if len(shortest(ratio)) <= 8 else exact if len(exact) <= 16 else f"≈{ratio:.4g}"
    return t("grid.rescale_note", lang, top=compact(top), name=scaled[0].name, factor=factor, ref=ref.name)


def parse_finite(text: str) -> float:
    """``float(text)`` for a URL parameter, refusing inf and NaN (ValueError) so the default is used."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"not a finite number: {text!r}")
    return value


def figure_json_size(fig: go.Figure) -> int:
    """Bytes of the figure's JSON, as sent to the browser."""
    return len(fig.to_json().encode("utf-8"))


def summary_rows(points: GridPoints) -> list[dict[str, Any]]:
    """Binade table rows (start, count, step) for a binned grid; empty for an exact one."""
    if not points.binned:
        return []
    keep = (points.values > 0) & (points.counts > 0)
    return [{"start": float(v), "count": int(c), "step": float(s)}
            for v, c, s in zip(points.values[keep], points.counts[keep], points.steps[keep])]
