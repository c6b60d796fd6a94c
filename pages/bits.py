"""Bits page (位级布局): one number in one format, bit by bit. Widgets and layout only; the maths
lives in lib/numparse.py, lib/formats, lib/bits_view.py, lib/binary_walk.py and lib/value_table.py."""

from __future__ import annotations

import math
from fractions import Fraction

import streamlit as st

import ui
from lib.i18n import t
from lib import bits_view as bv
from lib import value_table as vt
from lib.binary_walk import walk
from lib.formats import float_format, get_format, list_formats
from lib.formats.spec import OVERFLOWS, ROUNDINGS, SPECIALS
from lib.numparse import format_code, parse_code, parse_number

lang = ui.page_setup("bits")
CUSTOM = "custom"
MODES = ["decimal", "code"]
BYTE = 8  # bit cells per row: one byte. Two bytes side by side needed ~370 px; from ~660 to ~1150 px
# wide the left column is narrower and Streamlit scrolled the last cells of each byte out of sight
MAX_E, MAX_M = 8, 15  # custom formats: lib.formats allows at most 16 bits in all
CODE_ROWS = 16  # rows of the every-code table in view at once (FP4 fits; wider formats scroll)


def _fmt(spec: tuple):
    """The format object for a (name,) or ("custom", E, M, specials) spec."""
    return float_format(spec[1], spec[2], specials=spec[3]) if spec[0] == CUSTOM else get_format(spec[0])


@st.cache_data(max_entries=64, show_spinner=False)
def _table(x: float, exact: Fraction | None, overflow: str, rounding: str, lang: str) -> list[dict]:
    return bv.all_formats_rows(x, exact, [get_format(n) for n in list_formats()], overflow, rounding, lang)


@st.cache_data(max_entries=64, show_spinner=False)
def _card(spec: tuple, lang: str) -> list[dict]:
    return bv.format_card(_fmt(spec), lang)


@st.cache_data(max_entries=64, show_spinner=False)
def _codes(spec: tuple, lang: str, shown: int):  # -> pandas.DataFrame
    return vt.code_table_view(_fmt(spec), lang, shown)


def _flip(code: int, position: int, bits: int, name: str) -> None:
    """Button callback: flip one bit, show the new code in the code box, and keep the old one for the flip line."""
    st.session_state["bits_mode"] = "code"
    st.session_state["bits_code"] = format_code(bv.flip(code, position), bits)[0]
    st.session_state["bits_flip"] = bv.Flip(name, code, position)


def _format_changed() -> None:
    """In code mode a code means nothing in another format: carry the stored value over instead."""
    last = st.session_state.get("bits_last_value")
    if st.session_state.get("bits_mode") == "code" and last is not None:
        st.session_state["bits_mode"] = "decimal"
        st.session_state["bits_number"] = last


def _mode_changed() -> None:
    """Keep what is shown when the input mode changes: the code of the stored value in the code box
    (1 in float16 -> 0x3C00), or the value of the code (after a bit flip) in the number box."""
    last_value, last_code = st.session_state.get("bits_last_value"), st.session_state.get("bits_last_code")
    if st.session_state.get("bits_mode") == "code" and last_code is not None:
        st.session_state["bits_code"] = format_code(*last_code)[0]
    elif st.session_state.get("bits_mode") == "decimal" and last_value is not None:
        st.session_state["bits_number"] = last_value


ui.url_default("bits_mode", "decimal", choices=MODES)
ui.url_default("bits_number", "0.1")
ui.url_default("bits_code", "0x1D")
ui.url_default("bits_format", "float8_e4m3fn", choices=[*list_formats(), CUSTOM])
ui.url_default("bits_exp", 4, choices=range(MAX_E + 1), parse=int)
ui.url_default("bits_man", 3, choices=range(MAX_M + 1), parse=int)
ui.url_default("bits_specials", "fn", choices=list(SPECIALS))
ui.url_default("bits_overflow", "saturate", choices=list(OVERFLOWS))
ui.url_default("bits_rounding", "nearest_even", choices=list(ROUNDINGS))

st.title(ui.tr("bits.title"))
st.caption(ui.tr("bits.intro"))

# Two rows of [3, 2] columns: inputs | format, then results | overflow, rounding, card. On a phone
# (columns stack below 640 px) the format selector thus comes right after the number, before the results.
top_left, top_right = st.columns([3, 2], gap="large")
with top_right:
    st.selectbox(ui.tr("bits.format"), [*list_formats(), CUSTOM], key="bits_format", on_change=_format_changed,
                 format_func=lambda n: t("bits.custom", lang) if n == CUSTOM else n)
    spec: tuple = (st.session_state["bits_format"],)
    if spec[0] == CUSTOM:
        c1, c2, c3 = st.columns(3)
        c1.number_input(ui.tr("bits.custom_exp"), min_value=0, max_value=MAX_E, step=1, key="bits_exp")
        c2.number_input(ui.tr("bits.custom_man"), min_value=0, max_value=MAX_M, step=1, key="bits_man")
        c3.selectbox(ui.tr("bits.custom_specials"), list(SPECIALS), key="bits_specials")  # short names; the rule:
        st.caption(ui.tr(f"bits.specials_{st.session_state['bits_specials']}"))
        spec = (CUSTOM, int(st.session_state["bits_exp"]), int(st.session_state["bits_man"]),
                st.session_state["bits_specials"])
    fmt = None
    with ui.guard():
        fmt = _fmt(spec)
    if fmt is not None:  # what the name means, right under it: in view at 1366x768 (the card is below the fold)
        st.caption(f"**{ui.colon('bits.about')}** {bv.format_about(fmt, lang, custom=spec[0] == CUSTOM)}")

with top_left:
    mode = st.radio(ui.tr("bits.mode"), MODES, key="bits_mode", horizontal=True, on_change=_mode_changed,
                    format_func=lambda m: t(f"bits.mode_{m}", lang))
    parsed, code = None, None
    if mode == "decimal":
        st.text_input(ui.tr("bits.number"), key="bits_number", help=ui.tr("bits.number_help"),
                      placeholder="0.1, 1/3, 2^-10, pi")
        with ui.guard():
            parsed = parse_number(st.session_state["bits_number"])
    else:
        st.text_input(ui.tr("bits.code"), key="bits_code", help=ui.tr("bits.code_help"), placeholder="0x3C")
        if fmt is not None:
            with ui.guard():
                code = parse_code(st.session_state["bits_code"], fmt.bits)

left, right = st.columns([3, 2], gap="large")
with right:
    overflow = st.radio(ui.tr("bits.overflow"), list(OVERFLOWS), key="bits_overflow", horizontal=True,
                        format_func=lambda m: t(f"bits.overflow_{m}", lang))
    st.caption(bv.overflow_help(fmt, overflow, lang))
    rounding = st.selectbox(ui.tr("bits.rounding"), list(ROUNDINGS), key="bits_rounding",
                            format_func=lambda m: t(f"bits.rounding_{m}", lang))
    st.caption(ui.tr(f"bits.rounding_help_{rounding}"))
    card_slot = st.container()

ready = fmt is not None and (parsed is not None or code is not None)
with ui.guard():  # anything unexpected becomes a translated message, never a traceback
    if ready:
        if parsed is not None:
            e = fmt.explain(parsed.value, overflow=overflow, rounding=rounding, exact=parsed.exact)
            exact = parsed.exact
        else:
            e = fmt.explain_code(code)
            exact = Fraction(e.value) if math.isfinite(e.value) else None
        st.session_state["bits_last_value"] = bv.exact_text(e.value)  # reads back as e.value: 2^-24, not 5.96...e-08
        st.session_state["bits_last_code"] = (int(e.code), fmt.bits)

        with left:
            st.header(ui.tr("bits.cells_title"))
            cells = bv.bit_cells(e, fmt.kind, fmt.bits)
            st.html(bv.cells_css(cells))
            for (byte,) in bv.cell_rows(cells, BYTE, BYTE):
                # a byte is one horizontal row that never wraps: float32 is 4 rows of 8 at every
                # width (a phone too), never 32 rows of 1
                line = st.container(horizontal=True, wrap=False, gap="xsmall")
                for cell in byte:
                    line.button(cell.bit, key=f"bits_bit_{cell.position}", on_click=_flip, width="stretch",
                                args=(e.code, cell.position, fmt.bits, fmt.name), help=bv.bit_help(fmt, cell, lang))
            ui.aria_labels({f".st-key-bits_bit_{c.position} button": ui.tr("bits.bit_aria", bit=c.bit, help=bv.bit_help(fmt, c, lang))
                            for c in cells}, "bits")  # a screen reader heard "0 button, 1 button, ..."
            st.html(bv.legend_html({r: ui.tr(f"bits.role_{r}") for r in bv.roles_used(cells)}))
            flipped = bv.flip_note(fmt, code, st.session_state.get("bits_flip"), lang)
            if flipped is None:  # a typed number, another code or another format: the flip line is stale
                st.session_state.pop("bits_flip", None)
            else:
                st.info(flipped, icon=":material/swap_horiz:")
            hex_code, bin_code = format_code(e.code, fmt.bits)
            st.markdown(f"{ui.lead('bits.code_label', bold=True)}`{hex_code}` = `{bv.grouped_bits(e)}`")
            st.markdown(f"**{ui.colon('bits.formula')}**")
            if e.cls not in ("nan", "inf"):
                st.latex(bv.general_latex(fmt, e.cls, lang))
            st.code(e.formula, language=None, wrap_lines=True)
            abs_err, rel_err = bv.shown_errors(exact, parsed is not None, e)
            st.html(bv.metrics_css("bits_values"))
            values = st.container(key="bits_values")
            m = values.columns(2) + values.columns(2)
            m[0].metric(ui.tr("bits.stored"), bv.metric_text(e.value))
            m[1].metric(ui.tr("bits.abs_error"), bv.short(abs_err), help=bv.error_help(abs_err, parsed is not None, lang))
            m[2].metric(ui.tr("bits.rel_error"), bv.short(rel_err), help=bv.error_help(rel_err, parsed is not None, lang))
            m[3].metric(ui.tr("bits.class"), bv.class_text(fmt, e.cls, lang))

            exact_text = bv.exact_decimal(e.value)
            exact_lines = [f"{ui.lead('bits.exact_decimal')}`{exact_text}`"]
            for extra in (bv.fraction_text(e.value), bv.dyadic_text(e.value)):
                if extra and extra != exact_text:  # an odd integer is its own m × 2^0: no "7 = 7"
                    exact_lines.append(f"= `{extra}`")
            if parsed is not None:
                exact_lines.append(f"  \n{ui.lead('bits.typed')}`{parsed.text}` {bv.typed_text(parsed)}")
            values.markdown(" ".join(exact_lines))
            quirk = (bv.cast_quirk_note(fmt, e.x, e.value, overflow, rounding, lang)
                     or bv.overflow_note(fmt, e.x, e.value, lang) if parsed is not None else None)
            if quirk:
                values.info(quirk)
            near = bv.neighbours(fmt, e.value, lang)
            n = values.columns(2) + values.columns(2)
            n[0].metric(ui.tr("bits.below"), near.below)
            n[1].metric(ui.tr("bits.above"), near.above)
            n[2].metric(ui.tr(near.ulp_key), near.ulp)
            n[3].metric(ui.tr("bits.code_label"), hex_code)

        with card_slot:
            st.markdown(f"**{ui.lead('bits.card_title')}{fmt.name}**")
            card = _card(spec, lang)
            st.table(card, hide_index=True)  # a static table wraps long values; a dataframe cut them
        if fmt.bits <= vt.MAX_CODE_TABLE_BITS:  # full width: in the card's column the last column was cut
            with ui.kept_expander(ui.tr("bits.values_title", count=1 << fmt.bits, name=fmt.name), "bits_values_open"):
                st.caption(ui.tr("bits.values_caption", code=hex_code))
                codes = _codes(spec, lang, e.code)
                st.dataframe(codes, hide_index=True, width="content",
                             height=35 * (min(len(codes), CODE_ROWS) + 1) + 3)
                st.download_button(ui.tr("bits.values_download", name=fmt.name), lambda f=fmt: vt.code_table_csv(
                    f, lang), f"{fmt.name}_codes.csv", "text/csv", key="bits_dl_codes", on_click="ignore")
        tab_all, tab_walk = ui.remembered_tabs("bits_tab", ["all", "walk"], [ui.tr("bits.table_title"), ui.tr("bits.walk_title")])
        with tab_all:
            x_all = parsed.value if parsed is not None else e.value
            rows = _table(x_all, exact, overflow, rounding, lang)
            st.html(bv.table_css("bits_all"))
            st.container(key="bits_all").table(rows, hide_index=True)
        with tab_walk:
            if exact is None:
                st.info(ui.tr("bits.walk_not_finite"))
            else:
                w = walk(exact)
                lines = [f"{ui.lead('bits.walk_result', bold=True)}`{w.binary_text()}`",
                         f"{ui.lead('bits.walk_normalized', bold=True)}`{w.normalized_text()}`"]
                stored = bv.walk_stored_text(fmt, e, lang)
                if stored:
                    lines.append(stored)
                st.markdown("  \n".join(lines))
                wi, wf = st.columns(2)
                with wi:
                    st.caption(ui.tr("bits.walk_integer", n=int(w.integer_bits, 2)))
                    if w.integer_steps:
                        st.dataframe(bv.walk_rows(w.integer_steps, lang, integer=True), hide_index=True)
                    if w.integer_truncated:
                        st.caption(ui.tr("bits.walk_cut_integer", n=len(w.integer_steps), total=len(w.integer_bits)))
                with wf:
                    st.caption(ui.tr("bits.walk_fraction"))
                    if w.fraction_steps:
                        st.dataframe(bv.walk_rows(w.fraction_steps, lang, integer=False), hide_index=True)
                    if w.repeat_start is not None:
                        st.caption(ui.tr("bits.walk_repeat", f=bv.repeat_text(w.fraction_steps, w.repeat_start)))
                    if w.fraction_truncated:
                        st.caption(ui.tr("bits.walk_cut", n=len(w.fraction_steps)))

shown, hidden = ("bits_number", "bits_code") if st.session_state.get("bits_mode") == "decimal" else ("bits_code", "bits_number")
ui.sync_url("bits_mode", shown, "bits_format", "bits_overflow", "bits_rounding", "bits_tab",
            *(("bits_exp", "bits_man", "bits_specials") if st.session_state.get("bits_format") == CUSTOM else ()))
ui.drop_from_url(hidden)  # a link holds the number or the code it shows, not a stale other one
