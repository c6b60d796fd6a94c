"""Compare page (格式对比): one tensor, many formats x methods, ranked by SQNR against bits per value.

Thin: widgets and layout only; lib.compare runs and ranks the choices, lib.charts_quant draws.
The run is cached on (data key, choices, axis); a progress bar shows while it runs.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Callable

import numpy as np
import pandas as pd
import streamlit as st

import ui
import ui_data
from lib.i18n import t
from lib import charts_quant as cq
from lib.compare import (
    CATALOGUE, DEFAULT_CHOICES, Choice, best_per_budget, compare_csv, csv_file_name, display_budget, display_table, error_text,
    ok_rows, pareto_front, run_compare, short_headers, verdict,
)

P = "cmp"
MAX_CACHED = 8
LABELS = [c.label for c in CATALOGUE]


@st.cache_resource(show_spinner=False)
def _results() -> OrderedDict[tuple, pd.DataFrame]:
    """Compare tables by (data key, choices, axis), newest last (a cache that lets the progress bar
    be drawn while computing, which st.cache_data's element replay forbids)."""
    return OrderedDict()


def _run(data_key: str, choices: tuple[Choice, ...], axis: int, x: np.ndarray,
         progress: Callable[[int, int, str], None]) -> pd.DataFrame:
    store, key = _results(), (data_key, choices, axis)
    if key not in store:
        store[key] = run_compare(x, choices, axis=axis, progress=progress)
        while len(store) > MAX_CACHED:
            store.popitem(last=False)
    store.move_to_end(key)
    return store[key].copy()


def choose() -> tuple[Choice, ...]:
    """The multiselect of formats x methods (default: lib.compare.DEFAULT_CHOICES)."""
    ui.url_default(f"{P}_choices", [c.label for c in DEFAULT_CHOICES], choices=LABELS)
    picked = st.multiselect(ui.tr("cmp.choices_label"), LABELS, key=f"{P}_choices", help=ui.tr("cmp.choices_help"))
    by_label = {c.label: c for c in CATALOGUE}
    return tuple(by_label[label] for label in picked)


def axis_picker(data: ui_data.Data) -> int:
    """Channel axis for per-channel / group choices (matrices only)."""
    axes = list(range(data.x.ndim))
    ui.forget_unless(f"{P}_axis", (data.x.shape, data.axis), axes)  # another tensor: its own default axis
    ui.url_default(f"{P}_axis", data.axis, choices=axes, parse=int)
    return int(st.selectbox(ui.tr("cmp.axis"), axes, key=f"{P}_axis", disabled=data.x.ndim < 2,
                            format_func=lambda a, lang=ui.current_lang(): t("quant.axis_opt", lang, axis=a, n=data.x.shape[a])))


def run(data: ui_data.Data, choices: tuple[Choice, ...], axis: int) -> pd.DataFrame:
    bar = st.empty()

    def progress(i: int, n: int, label: str) -> None:
        text = ui.tr("cmp.running", label=label, i=i + 1, n=n) if i < n else ui.tr("cmp.done", n=n)
        bar.progress(min(i / max(n, 1), 1.0), text=text)

    with ui.one_big_job(data.x.size):
        df = _run(data.key, choices, axis, data.x, progress)
    bar.empty()
    return df


def show(df: pd.DataFrame, lang: str, data: ui_data.Data, axis: int) -> None:
    """Table, skipped choices, charts and the best choice per bit budget."""
    for _, row in df[df["error_key"].notna()].iterrows():
        st.warning(ui.tr("cmp.skipped", label=row["label"], reason=error_text(row, lang)))
    ok = ok_rows(df)
    if not len(ok):
        return
    top = ok.iloc[0]
    st.success(ui.tr("cmp.best_overall", label=top["label"], verdict=verdict(float(top["sqnr_db"]), lang)))
    st.subheader(ui.tr("cmp.table"))
    short = {name: st.column_config.Column(label, help=help_) for name, (label, help_) in short_headers(lang).items()}
    st.dataframe(display_table(df, lang), hide_index=True, width="stretch", height="content",
                 column_config={**short, t("cmp.col.label", lang): st.column_config.TextColumn(pinned=True)})
    st.download_button(ui.tr("cmp.download"), lambda: compare_csv(df, lang, data.name, axis), csv_file_name(data.name),
                       "text/csv", key=f"{P}_dl_csv", on_click="ignore")
    a, b = st.columns(2)
    a.plotly_chart(cq.sqnr_bars(ok, lang), key=f"{P}_fig_sqnr", width="stretch")
    b.plotly_chart(cq.bits_bars(ok, lang), key=f"{P}_fig_bits", width="stretch")
    best = best_per_budget(df)  # the Pareto chart takes the full width: in a 3:2 column it was 330 px at 1024
    st.plotly_chart(cq.pareto_scatter(ok, pareto_front(df), lang, labelled=list(best["label"])),
                    key=f"{P}_fig_pareto", width="stretch")
    st.subheader(ui.tr("cmp.best"))
    st.caption(ui.tr("cmp.best_help"))
    st.dataframe(display_budget(best, lang), hide_index=True, width="stretch", column_config=short)


lang = ui.page_setup("compare")
st.title(ui.tr("cmp.title"))
st.caption(ui.tr("cmp.intro"))
data = ui_data.pick_data(P)
choices = choose()
if data is not None:
    with ui.guard():
        axis = axis_picker(data)
        if not choices:
            st.info(ui.tr("cmp.none_chosen"))
        else:
            show(run(data, choices, axis), lang, data, axis)
ui.sync_url(*ui_data.url_keys(P), f"{P}_choices", f"{P}_axis")
