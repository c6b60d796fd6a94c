"""Quantize page (张量量化): one tensor, one format and scale method; the grid, the codes, the error.

Thin: widgets and layout only. The maths lives in lib.quantize, lib.charts_quant, lib.compare,
lib.worked_example and lib.data_source; results are cached on (data key, settings).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

import ui
import ui_data
from lib.i18n import t
from lib import charts_quant as cq
from lib.block_example import axis_runs_note, block_count, block_walk, element_table, follow_block, largest_block, scale_table
from lib.compare import Choice, metrics_rows, setting_warnings
from lib.data_source import codes_npz, dequantized_npy, metrics_csv
from lib.formats import list_formats
from lib.io import parse_pasted
from lib.blocks import SCHEMES
from lib.formats.spec import OVERFLOWS, ROUNDINGS
from lib.layout import GRANULARITIES
from lib.quantize import list_methods, list_schemes, quantize
from lib.worked_example import EXAMPLE, MAX_TEXT as WE_MAX_TEXT, steps_table, worked_example

P = "quant"
METHODS = ("absmax", "minmax", "percentile", "mse", "kl", "pow2", "none")  # lib's, in the order taught
assert set(METHODS) == set(list_methods()), "the page offers every scale method of lib.quantize"
GROUP_SIZES = (16, 32, 64, 128, 256)
WE_FORMATS = ("int8", "int4", "uint8", "int2")
PCT = ui.number_in(50.0, 100.0)


# The app shares ~2.7 GB on Community Cloud: results of big tensors are cached one at a time (a
# 67M-value tensor's result is ~340 MB), small ones three at a time; none stays half an hour idle.
@st.cache_resource(max_entries=3, ttl=ui.CACHE_TTL_S, show_spinner=False)
def _quantize_small(data_key: str, choice: Choice, axis: int, _x: np.ndarray) -> Any:
    return quantize(_x, **choice.kwargs(axis))


@st.cache_resource(max_entries=1, ttl=ui.CACHE_TTL_S, show_spinner=False)
def _quantize_big(data_key: str, choice: Choice, axis: int, _x: np.ndarray) -> Any:
    return quantize(_x, **choice.kwargs(axis))


@st.cache_resource(show_spinner=False)
def _big_cached() -> dict[str, Any]:  # which big result _quantize_big holds, for every session
    return {"key": None}


def _quantize(data_key: str, choice: Choice, axis: int, x: np.ndarray) -> Any:
    if x.size <= ui.BIG_TENSOR:
        return _quantize_small(data_key, choice, axis, x)
    key, held = (data_key, choice, axis), _big_cached()
    if held["key"] != key:  # free the old result before the new one is built, not after
        _quantize_big.clear()
        held["key"] = key
    return _quantize_big(data_key, choice, axis, x)


@st.cache_data(max_entries=24, ttl=ui.CACHE_TTL_S, show_spinner=False)
def _figures(data_key: str, choice: Choice, axis: int, lang: str, log_y: bool, bulk: bool,
             _x: np.ndarray, _r: Any) -> dict[str, Any]:
    return cq.quant_figures(_x, _r, choice, axis, lang, log_y=log_y, bulk=bulk)


def _select(label: str, options: tuple | list, key: str, fmt_key: str | None = None, default: Any = None,
            **kw: Any) -> Any:
    ui.url_default(key, options[0] if default is None else default, choices=list(options), parse=type(options[0]))
    kw |= {"format_func": lambda o, lang=ui.current_lang(): t(f"{fmt_key}.{o}", lang)} if fmt_key else {}
    return st.selectbox(label, options, key=key, **kw)


def controls(data: ui_data.Data | None) -> tuple[Choice, int]:
    """The quantization widgets; returns the choice and the channel axis."""
    schemes = list(list_schemes())
    # E8M0 stores scales only (it has no zero and no sign): every method rejects it as an element format
    formats = [f for f in list_formats() if f not in schemes and f != "float8_e8m0fnu"] + schemes
    ndim = data.x.ndim if data is not None else 1
    box = ui.four_boxes(f"{P}_controls")
    with box[0]:
        fmt = _select(ui.tr("quant.format"), formats, f"{P}_format", default="int8", help=ui.tr("quant.format_help"))
    block = fmt in schemes
    method, gran, pct, size = "absmax", "block", 99.9, None
    if block:  # the scheme's own rule, greyed; the other formats' settings (a link's too) are kept for later
        for key, options in ((f"{P}_method", METHODS), (f"{P}_gran", GRANULARITIES)):
            ui.url_default(key, options[0], choices=list(options))
        if st.session_state[f"{P}_gran"] == "group":  # and the group size, the percentile
            ui.url_default(f"{P}_block", 128, choices=list(GROUP_SIZES), parse=int)
        if st.session_state[f"{P}_method"] == "percentile":
            ui.url_default(f"{P}_pct", 99.9, parse=PCT)
        box[1].selectbox(ui.tr("quant.method"), [ui.tr(f"quant.block_method.{SCHEMES[fmt].family}")], disabled=True)
        box[2].selectbox(ui.tr("quant.granularity"), [ui.tr("quant.block_gran", n=SCHEMES[fmt].block_size)], disabled=True)
    else:
        with box[1]:
            method = _select(ui.tr("quant.method"), METHODS, f"{P}_method", "quant.method", help=ui.tr("quant.method_help"))
            if method == "percentile":
                ui.url_default(f"{P}_pct", 99.9, parse=PCT)
                pct = st.number_input(ui.tr("quant.percentile"), 50.0, 100.0, step=0.1, key=f"{P}_pct", format="%.10g")  # 99.999, not "100.00"
        with box[2]:
            gran = _select(ui.tr("quant.granularity"), GRANULARITIES, f"{P}_gran", "quant.gran")
            size = _select(ui.tr("quant.block_size"), GROUP_SIZES, f"{P}_block", default=128) if gran == "group" else None
    with box[3]:
        axis = _axis_select(data, "block" if block else gran, size if gran == "group" else None, fmt, ndim)
    with st.expander(ui.tr("quant.overflow") + " · " + ui.tr("quant.rounding"), key=f"{P}_or_open"):
        o1, o2 = st.columns(2)
        fixed = block and SCHEMES[fmt].fixes_rounding  # GGUF: its own rounding rule
        with o1:
            overflow = _select(ui.tr("quant.overflow"), OVERFLOWS, f"{P}_overflow", "quant.overflow", disabled=fixed)
        with o2:
            rounding = _select(ui.tr("quant.rounding"), ROUNDINGS, f"{P}_rounding", "quant.rounding", disabled=fixed)
    if block:
        st.caption(ui.tr("quant.block_fixed", fmt=fmt) + (ui.sentence_gap() + ui.tr("quant.gguf_rounding") if fixed else ""))
    return Choice(fmt, method, "tensor" if block else gran, size, float(pct), overflow, rounding), int(axis)


def _axis_select(data: ui_data.Data | None, gran: str, group: int | None, fmt: str, ndim: int) -> Any:
    """The axis widget, labelled by what runs along it: channels, groups or blocks."""
    # channels have their own axis (default: the data's channel axis); groups and blocks another
    # one, by default the last axis, along which GGUF, MX and bitsandbytes lay out a weight's rows
    axes, runs, lang = list(range(ndim)), gran in ("group", "block"), ui.current_lang()
    key = f"{P}_run_axis" if runs else f"{P}_axis"
    size = SCHEMES[fmt].block_size if gran == "block" else group

    def length(a: int) -> int:
        return data.x.shape[a] if data is not None else 1

    def label(a: int) -> str:  # short: the box is about 270 px wide on a 1024 px projector
        if data is None:  # no tensor yet (or an N-D one waiting for its axis): nothing to count
            return "—"
        return t("quant.axis_opt" if size is None else "quant.axis_runs", lang, axis=a, n=length(a))

    label_key = {"block": "quant.axis_block", "group": "quant.axis_group"}.get(gran, "quant.axis")
    if ndim < 2:  # no file yet, or a vector: nothing to choose. A placeholder box, so the axis 0 of
        # "no data" is never stored and a matrix uploaded next gets its own default (blocks: last axis)
        axis = st.selectbox(ui.tr(label_key), [0], key=f"{key}_none", disabled=True, format_func=label)
    else:  # another shape or channel axis is another tensor, with its own default axes
        ui.forget_unless(key, (data.x.shape, data.axis), axes)
        axis = _select(ui.tr(label_key), axes, key, default=ndim - 1 if runs else data.axis,
                       disabled=gran == "tensor", format_func=label)
    if size is not None and data is not None:
        st.caption(axis_runs_note(data.x.shape, axis, size, lang, unit=gran, fmt=fmt))
    return axis


def results(data: ui_data.Data, choice: Choice, axis: int, lang: str) -> None:
    """Metrics, verdict, charts and downloads for the chosen tensor and settings."""
    with st.spinner(ui.tr("quant.working", n=f"{data.x.size:,}", label=choice.label)), ui.one_big_job(data.x.size):
        r = _quantize(data.key, choice, axis, data.x)  # seconds for 50M values
    for text in setting_warnings(data.x, choice, r.metrics["bits_per_element"], lang):  # negatives lost, ...
        st.warning(text, icon=":material/warning:")
    ui_data.show_verdict(r.metrics, choice, lang)  # and, for a float cast with no scale, why values became 0
    left, right = st.columns([2, 3])  # the metric table keeps its values in view at 1024 px
    with left:
        st.header(ui.tr("quant.metrics"))
        ui.static_table(metrics_rows(r.metrics, lang, r.overflows_to_special), key=f"{P}_metrics", nowrap=2)  # names wrap, values do not
        name = f"{data.name}_{choice.file_stem}"
        # a download runs on the server's thread, outside the page's run: no cache there, rebuilt directly
        result, metrics = ui.held_or_rebuilt(r, lambda: quantize(data.x, **choice.kwargs(axis))), r.metrics
        st.download_button(ui.tr("quant.download.codes"), lambda: codes_npz(result()), f"{name}_codes.npz",
                           "application/octet-stream", key=f"{P}_dl_codes", on_click="ignore",
                           help=ui.tr("quant.download.codes_help"))
        st.download_button(ui.tr("quant.download.dequant"), lambda: dequantized_npy(result()),
                           f"{name}_dequant.npy", "application/octet-stream", key=f"{P}_dl_deq",
                           on_click="ignore")
        st.download_button(ui.tr("quant.download.metrics"), lambda: metrics_csv(metrics, choice.label, choice.settings(axis)),
                           f"{name}_metrics.csv", "text/csv", key=f"{P}_dl_csv", on_click="ignore",
                           help=ui.tr("quant.download.metrics_help"))
    with right:
        ui.url_default(f"{P}_logy", False, parse=ui.parse_bool)
        ui.url_default(f"{P}_bulk", False, parse=ui.parse_bool)
        with st.container(horizontal=True):
            log_y = st.toggle(ui.tr("quant.log_y"), key=f"{P}_logy")
            bulk = st.toggle(ui.tr("quant.bulk"), key=f"{P}_bulk", help=ui.tr("quant.bulk_help"))
        with st.spinner(ui.tr("quant.drawing")), ui.one_big_job(data.x.size):
            figs = _figures(data.key, choice, axis, lang, bool(log_y), bool(bulk), data.x, r)
        tabs = ui.remembered_tabs(f"{P}_tab", list(figs), [ui.tr(f"quant.tab.{name}") for name in figs])
        for tab, (name, fig) in zip(tabs, figs.items()):
            with tab:
                if name == "hist" and np.size(r.scale) > 1:
                    st.caption(ui.tr("quant.grid_note"))
                if name == "error":  # side by side only where each chart gets 22rem (a wide screen)
                    pair = ui.wrapping_row(f"{P}_err_pair", min_width="22rem")
                    pair.container().plotly_chart(fig[0], key=f"{P}_fig_err", width="stretch")
                    pair.container().plotly_chart(fig[1], key=f"{P}_fig_errhist", width="stretch")
                else:
                    st.plotly_chart(fig, key=f"{P}_fig_{name}", width="stretch")
    if choice.fmt in list_schemes():  # this r: fetched again, it was often gone (30 students, 3 cache slots)
        with ui.guard():
            block_steps(data, choice, axis, lang, r)


def block_steps(data: ui_data.Data, choice: Choice, axis: int, lang: str, r: Any) -> None:
    """One block of the chosen block scheme (result ``r``), every step: pick it by number or jump to the peak."""
    total = block_count(r)
    key = f"{P}_blk"
    ui.url_default(key, 0, choices=range(total), parse=int)  # another scheme: the block on the same values
    st.session_state[key], st.session_state[f"{key}_at"] = follow_block(r, st.session_state.get(f"{key}_at"), st.session_state[key])

    result = ui.held_or_rebuilt(r, lambda: _quantize(data.key, choice, axis, data.x))

    def to_peak() -> None:
        st.session_state[key] = largest_block(data.x, result())

    with ui.kept_expander(ui.tr("qb.title", fmt=choice.fmt), f"{P}_blk_open"):  # open across schemes, and int8
        st.caption(ui.tr("qb.intro"))
        a, b = st.columns([1, 2], vertical_alignment="bottom")
        index = a.number_input(ui.tr("qb.index", last=total - 1), 0, total - 1, step=1, key=key)
        b.button(ui.tr("qb.largest"), key=f"{P}_blk_peak", on_click=to_peak)
        walk = block_walk(data.x, r, int(index))
        st.caption(ui.tr("qb.where", index=walk.index, total=total, line=walk.line, start=walk.start,
                         stop=walk.start + len(walk.columns["x"]) - 1, axis=axis))
        st.dataframe(scale_table(walk, lang), hide_index=True, width="stretch", height="content")
        ui.static_table(element_table(walk, lang), key=f"{P}_blk_elements")


def example(lang: str) -> None:
    """The source articles' worked example, editable."""
    with st.expander(ui.tr("quant.we.title"), key=f"{P}_we_open"):
        st.caption(ui.tr("quant.we.intro"))
        a, b = st.columns([3, 1])
        ui.url_default(f"{P}_we_text", ", ".join(str(v) for v in EXAMPLE), parse=ui.text_up_to(WE_MAX_TEXT))
        text = a.text_input(ui.tr("quant.we.input"), key=f"{P}_we_text", max_chars=WE_MAX_TEXT)
        with b:
            fmt = _select(ui.tr("quant.we.fmt"), WE_FORMATS, f"{P}_we_fmt")
        with ui.guard():
            x = parse_pasted(text)
            st.dataframe(steps_table(worked_example(x, fmt), x, lang), hide_index=True, width="stretch",
                         height="content")


lang = ui.page_setup("quantize")
st.title(ui.tr("quant.title"))
st.caption(ui.tr("quant.intro"))
hint = ui_data.examples(P)  # one click: the data and the choice of a classroom example, and its hint
data = ui_data.pick_data(P)
ui_data.example_hint(P, hint)
choice, axis = controls(data)
if data is not None:
    with ui.guard():
        results(data, choice, axis, lang)  # and the block walk-through of a block scheme
example(lang)
ui.sync_url(*ui_data.url_keys(P), *(f"{P}_{k}" for k in ("format", "method", "gran", "block", "axis", "run_axis", "overflow",
                                                         "rounding", "pct", "logy", "bulk", "blk", "we_text", "we_fmt", "tab", "example")),
            share_note=ui_data.share_note(P))
