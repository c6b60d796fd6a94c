"""Compare page (格式对比): one tensor, many formats x methods, ranked by SQNR against bits per value;
or, for a file of several tensors, every tensor at once, combined as one (lib.compare_file).

Thin: widgets and layout only; lib.compare / lib.compare_file run and rank the choices,
lib.charts_quant draws. Runs are cached on (data key, choices, axis); a progress bar shows while
they run.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

import numpy as np
import pandas as pd
import streamlit as st

import ui
import ui_data
from lib.errors import LoadError
from lib.i18n import t
from lib import charts_quant as cq
from lib.compare import (
    CATALOGUE, CHOICE_PRESETS, DEFAULT_CHOICES, Choice, best_per_budget, compare_csv, csv_file_name, display_budget, display_table, error_text,
    label_text, ok_rows, pareto_front, run_compare, short_headers, verdict,
)
from lib.compare_file import FileCompare, FileStep, per_tensor_table, run_compare_file_reusing

P = "cmp"
MAX_CACHED = 8
LABELS = [c.label for c in CATALOGUE]


@st.cache_resource(show_spinner=False)
def _results() -> OrderedDict[tuple, dict]:
    """Each choice's result (by Choice.result_key) for a (data key[, "file", skip]), newest last: a
    change of the list runs only the new choices (taking one of 32 off reran the other 31: 8 s on a
    16M-value tensor), a change of the axis only the per-channel ones.
    A cache of our own lets the progress bar be drawn while computing (st.cache_data's replay forbids it)."""
    return OrderedDict()


def _done(key: tuple) -> dict:
    return ui.newest_slot(_results(), key, MAX_CACHED)


def _run(data_key: str, choices: tuple[Choice, ...], axis: int, x: np.ndarray,
         progress: Callable[[int, int, str], None]) -> pd.DataFrame:
    return run_compare(x, choices, axis=axis, progress=progress, done=_done((data_key,)))


def _preset(labels: tuple[str, ...]) -> None:
    st.session_state[f"{P}_choices"] = list(labels)


def choose() -> tuple[Choice, ...]:
    """Preset buttons and the multiselect of formats x methods (default: lib.compare.DEFAULT_CHOICES)."""
    st.caption(ui.tr("cmp.presets_label"))
    row = st.container(horizontal=True)  # buttons as wide as their names; they wrap on a phone
    for name, labels in CHOICE_PRESETS.items():
        row.button(ui.tr(f"cmp.preset.{name}", n=len(labels)), key=f"{P}_preset_{name}", on_click=_preset,
                   args=(labels,))
    ui.url_default(f"{P}_choices", [c.label for c in DEFAULT_CHOICES], choices=LABELS)
    picked = st.multiselect(ui.tr("cmp.choices_label"), LABELS, key=f"{P}_choices", help=ui.tr("cmp.choices_help"),
                            format_func=lambda lab, lang=ui.current_lang(): label_text(lab, lang),
                            placeholder=ui.tr("cmp.choices_placeholder"))
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
    bar, gate = st.empty(), ui.progress_gate()

    def progress(i: int, n: int, label: str) -> None:
        if not gate(i >= n):
            return
        text = ui.tr("cmp.running", label=label_text(label, ui.current_lang()), i=i + 1, n=n) if i < n else ui.tr("cmp.done", n=n)
        bar.progress(min(i / max(n, 1), 1.0), text=text)

    with ui.one_big_job(data.x.size), ui.computed_once((data.key,), ui.tr("cmp.waiting_same")):
        df = _run(data.key, choices, axis, data.x, progress)
    bar.empty()
    return df


def short_columns(lang: str) -> dict[str, Any]:
    """Short headers (hover: the long ones) for the SQNR and bits-per-value columns of a table."""
    return {name: st.column_config.Column(head, help=help_) for name, (head, help_) in short_headers(lang).items()}


def show(df: pd.DataFrame, lang: str, csv: Callable[[], str], csv_name: str, download_key: str = "cmp.download") -> None:
    """Table, skipped choices, charts and the best choice per bit budget."""
    for _, row in df[df["error_key"].notna()].iterrows():
        st.warning(ui.tr("cmp.skipped", label=label_text(row["label"], lang), reason=error_text(row, lang, ui.md_escape)))
    ok = ok_rows(df)
    if not len(ok):
        return
    top = ok.iloc[0]
    st.success(ui.tr("cmp.best_overall", label=label_text(top["label"], lang), verdict=verdict(float(top["sqnr_db"]), lang)))
    st.header(ui.tr("cmp.table"))
    short = short_columns(lang)
    st.dataframe(display_table(df, lang), hide_index=True, width="stretch", height="content",
                 column_config={**short, t("cmp.col.label", lang): st.column_config.TextColumn(pinned=True)})
    st.download_button(ui.tr(download_key), csv, csv_name, "text/csv", key=f"{P}_dl_csv", on_click="ignore",
                       help=ui.tr("cmp.download_help"))
    a, b = st.columns(2)
    a.plotly_chart(cq.sqnr_bars(ok, lang), key=f"{P}_fig_sqnr", width="stretch")
    b.plotly_chart(cq.bits_bars(ok, lang), key=f"{P}_fig_bits", width="stretch")
    best = best_per_budget(df)  # the Pareto chart takes the full width: in a 3:2 column it was 330 px at 1024
    st.plotly_chart(cq.pareto_scatter(ok, pareto_front(df), lang, labelled=list(best["label"])),
                    key=f"{P}_fig_pareto", width="stretch")
    st.header(ui.tr("cmp.best"))
    st.caption(ui.tr("cmp.best_help"))
    st.dataframe(display_budget(best, lang), hide_index=True, width="stretch", column_config=short)


def whole_file_wanted(picked: ui_data.Picked | None) -> bool:
    """The whole-file toggle, offered when the source holds more than one tensor."""
    if picked is None or len(picked.tensors) < 2:
        return False
    ui.url_default(f"{P}_whole", False, parse=ui.parse_bool)
    return bool(st.toggle(ui.tr("cmp.whole_file", n=len(picked.tensors)), key=f"{P}_whole",
                          help=ui.tr("cmp.whole_file_help")))


def file_options() -> tuple[int, bool]:
    """Channel axis of per-channel choices on every matrix of the file (0: rows, 1: columns), and
    whether the 1-D tensors (biases, norms) are left out."""
    ui.url_default(f"{P}_faxis", 0, choices=[0, 1], parse=int)
    ui.url_default(f"{P}_skipvec", True, parse=ui.parse_bool)
    what = {0: ui.tr("cmp.file_axis_rows"), 1: ui.tr("cmp.file_axis_cols")}
    axis = int(st.selectbox(ui.tr("cmp.file_axis"), [0, 1], key=f"{P}_faxis",
                            format_func=lambda a, lang=ui.current_lang(): t("cmp.file_axis_opt", lang, axis=a, what=what[a])))
    return axis, st.checkbox(ui.tr("cmp.skip_vectors"), key=f"{P}_skipvec", help=ui.tr("cmp.skip_vectors_help"))


def run_file(picked: ui_data.Picked, choices: tuple[Choice, ...], axis: int, skip: bool) -> FileCompare | None:
    bar, gate = st.empty(), ui.progress_gate()

    def progress(step: FileStep) -> None:
        if not gate(step.done >= step.total):
            return
        text = (ui.tr("cmp.file_running", i=step.tensor + 1, n=step.n_tensors, name=ui.md_escape(step.name),
                      label=label_text(step.label, ui.current_lang()))
                if step.done < step.total else ui.tr("cmp.file_done", n=step.n_tensors, k=len(choices)))
        bar.progress(min(step.done / max(step.total, 1), 1.0), text=text)

    size = sum(int(np.prod(tensor.shape)) for tensor in picked.tensors.values())
    try:
        with ui.one_big_job(size), ui.computed_once((picked.key, "file", skip), ui.tr("cmp.waiting_same")):
            return run_compare_file_reusing(picked.tensors, choices, _done((picked.key, "file", skip)), axis,
                                            progress, skip_vectors=skip)
    except LoadError as err:
        if not err.key.startswith("cmp.file_no_tensor"):
            raise
        st.error(ui.error_text(err, ui.current_lang()))
        vectors_caption(err.params["vectors"])  # every tensor accounted for: left out, or why it failed
        excluded_warnings(err.params["excluded"])
        return None
    finally:
        bar.empty()  # also when nothing could run: no "Done" bar left over an error


def vectors_caption(vectors: tuple[tuple[str, int], ...]) -> None:
    if vectors:
        names = [ui.md_escape(name) for name, _ in vectors]
        st.caption(ui.tr("cmp.vectors_left_out" if len(names) > 1 else "cmp.vectors_left_out_one", n=len(names),
                         names=names[:5] + ["…"] * (len(names) > 5), values=f"{sum(n for _, n in vectors):,}"))


def excluded_warnings(excluded: tuple[tuple[str, str, dict], ...]) -> None:
    for name, key, params in excluded:
        shown = {k: ui.md_escape(v) if isinstance(v, str) else v for k, v in params.items()}  # names from the file
        st.warning(ui.tr("cmp.file_excluded", name=ui.md_escape(name), reason=t(key, ui.current_lang(), **shown)))


def show_file(result: FileCompare, picked: ui_data.Picked, lang: str, axis: int) -> None:
    """The whole-file comparison: what was combined, the shared table and charts, the breakdown."""
    st.caption(ui.tr("cmp.file_summary", file=ui.md_escape(picked.name), n=result.n_tensors,
                     values=f"{result.n_values:,}"))
    vectors_caption(result.vectors_left_out)
    excluded_warnings(result.excluded)
    df = result.table
    show(df, lang, lambda: compare_csv(df, lang, picked.name, axis, whole_file=result.n_tensors),
         csv_file_name(picked.name, whole_file=True), "cmp.download_file")
    labels = list(ok_rows(df)["label"])
    if labels:
        st.header(ui.tr("cmp.per_tensor"))
        ui.forget_unless(f"{P}_breakdown", tuple(labels), labels)  # other choices: the best one again
        label = st.selectbox(ui.tr("cmp.per_tensor_choice"), labels, key=f"{P}_breakdown",
                             format_func=lambda lab: label_text(lab, lang))
        st.caption(ui.tr("cmp.per_tensor_help"))
        st.dataframe(per_tensor_table(result, label, lang), hide_index=True, width="stretch",
                     column_config={**short_columns(lang), t("cmp.col.tensor", lang): st.column_config.TextColumn(pinned=True)})


lang = ui.page_setup("compare")
st.title(ui.tr("cmp.title"))
st.caption(ui.tr("cmp.intro"))
picked = ui_data.pick_file(P)
whole = whole_file_wanted(picked)
data = ui_data.pick_tensor(P, picked) if picked is not None and not whole else None
choices = choose()
if picked is not None and (whole or data is not None):
    with ui.guard():
        axis, skip = file_options() if whole else (axis_picker(data), False)
        if not choices:
            st.info(ui.tr("cmp.none_chosen"))
        elif whole:
            if (result := run_file(picked, choices, axis, skip)) is not None:
                show_file(result, picked, lang, axis)
        else:
            df = run(data, choices, axis)
            show(df, lang, lambda df=df, name=data.name, axis=axis: compare_csv(df, lang, name, axis),
                 csv_file_name(data.name))
ui.sync_url(*ui_data.url_keys(P), f"{P}_choices", f"{P}_axis", f"{P}_whole", f"{P}_faxis", f"{P}_skipvec",
            share_note=ui_data.share_note(P))
