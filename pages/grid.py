"""Grid page (量化网格): where a format's representable values lie, their gaps and rounding boundaries,
and several formats overlaid on one scale. Widgets and layout only; figures come from lib/charts_grid.py."""

from __future__ import annotations

import streamlit as st

import ui
from lib.i18n import t
from lib import charts_grid as cg
from lib.formats import get_format, list_formats
from lib.value_table import MAX_TABLE_BITS, value_table_csv

lang = ui.page_setup("grid")
SCALES = ["linear", "log"]
FORMATS = list_formats()


@st.cache_data(max_entries=64, show_spinner=False)
def _points(name: str, scale_to: float | None = None) -> cg.GridPoints:
    return cg.grid_points(get_format(name), scale_to=scale_to)


@st.cache_resource(max_entries=128, show_spinner=False)
def _figure(kind: str, names: tuple[str, ...], lang: str, log: bool = False, top: float | None = None,
            center: float = 1.0):
    """Figures are pure functions of these arguments: build each once (shared, read-only)."""
    grids = [_points(n, top) for n in names]
    if kind == "line":
        return cg.number_line(grids, lang, log=log)
    if kind == "gap":
        return cg.gap_chart(grids, lang)
    return cg.rounding_chart(cg.window_values(grids[0], center), get_format(names[0]), names[0], lang)


def _preset(names: tuple[str, ...]) -> None:
    st.session_state["grid_overlay"] = list(names)
    st.session_state["grid_rescale"] = True


ui.url_default("grid_format", "float8_e4m3fn", choices=FORMATS)
ui.url_default("grid_scale", "linear", choices=SCALES)
ui.url_default("grid_center", 1.0, parse=cg.parse_finite)
# An empty overlay leaves no ?grid_overlay= in the URL, so "none chosen" travels as ?grid_no_overlay=True
# (a reload would otherwise bring the default formats back).
no_overlay = ui.url_default("grid_no_overlay", None, parse=ui.parse_bool)
ui.url_default("grid_overlay", [] if no_overlay else ["int8", "float8_e4m3fn"], choices=FORMATS)
ui.url_default("grid_rescale", True, parse=ui.parse_bool)
too_many = st.session_state["grid_overlay"][cg.MAX_OVERLAY:]  # a 5th format (no max_selections: see below)
st.session_state["grid_overlay"] = list(st.session_state["grid_overlay"])[:cg.MAX_OVERLAY]

st.title(ui.tr("grid.title"))
st.caption(ui.tr("grid.intro"))

c1, c2 = st.columns([2, 1])
name = c1.selectbox(ui.tr("grid.format"), FORMATS, key="grid_format")
scale = c2.radio(ui.tr("grid.scale"), SCALES, key="grid_scale", horizontal=True,
                 format_func=lambda s: t(f"grid.scale_{s}", lang))
log = scale == "log"

with ui.guard():
    points = _points(name)
    note = "grid.binned_note" if points.binned else "grid.exact_note"
    st.caption(ui.tr(note, name=name, count=f"{points.total:,}"))
    st.plotly_chart(_figure("line", (name,), lang, log), key="grid_chart_line", width="stretch")
    if get_format(name).bits <= MAX_TABLE_BITS:
        st.download_button(ui.tr("grid.download", name=name), lambda: value_table_csv(name, lang), f"{name}_values.csv",
                           "text/csv", key="grid_dl_values", on_click="ignore")

    g1, g2 = st.columns(2)
    with g1:
        st.plotly_chart(_figure("gap", (name,), lang), key="grid_chart_gap", width="stretch")
    with g2:
        st.number_input(ui.tr("grid.center"), key="grid_center", help=ui.tr("grid.center_help"),
                        format="%.6g")
        center = float(st.session_state["grid_center"])
        beyond = cg.center_beyond(get_format(name), center)
        if beyond:
            limit = get_format(name).max if beyond == "above" else get_format(name).min
            st.info(ui.tr(f"grid.center_{beyond}", center=cg.compact(center), name=name, limit=cg.compact(limit)))
        st.plotly_chart(_figure("round", (name,), lang, center=center), key="grid_chart_round", width="stretch")
    if points.binned:
        with ui.kept_expander(ui.tr("grid.binades", name=name), "grid_binades_open"):
            rows = [{ui.tr("grid.col_start"): cg.shortest(r["start"]), ui.tr("grid.col_count"): r["count"],
                     ui.tr("grid.col_step"): cg.shortest(r["step"])} for r in cg.summary_rows(points)]
            st.dataframe(rows, hide_index=True, width="stretch")

st.header(ui.tr("grid.overlay_title"))
presets = st.container(horizontal=True)  # buttons as wide as their names; they wrap on a narrow screen
for preset, names in cg.OVERLAY_PRESETS.items():
    presets.button(ui.tr(f"grid.preset_{preset}"), key=f"grid_preset_{preset}", on_click=_preset, args=(names,))
# no max_selections: Streamlit's "You can only select up to 4 options" is English on a Chinese page
chosen = st.multiselect(ui.tr("grid.overlay"), FORMATS, key="grid_overlay",
                        placeholder=ui.tr("grid.overlay_placeholder", n=cg.MAX_OVERLAY))
if too_many:
    st.warning(ui.tr("grid.overlay_too_many", n=cg.MAX_OVERLAY, left=too_many))
rescale = st.checkbox(ui.tr("grid.rescale"), key="grid_rescale")
if not chosen:
    st.info(ui.tr("grid.overlay_empty"))
else:
    with ui.guard():
        top = max(get_format(n).max for n in chosen) if rescale else None
        if top is not None:
            st.caption(cg.rescale_note([get_format(n) for n in chosen], lang))
        st.plotly_chart(_figure("line", tuple(chosen), lang, log, top), key="grid_chart_overlay", width="stretch")
        st.plotly_chart(_figure("gap", tuple(chosen), lang, top=top), key="grid_chart_overlay_gap", width="stretch")

st.session_state["grid_no_overlay"] = True if not chosen else None  # None: no parameter
ui.sync_url("grid_format", "grid_scale", "grid_center", "grid_overlay", "grid_rescale", "grid_no_overlay")
