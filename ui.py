"""The thin Streamlit layer every page shares: language, URL state and error display.

Every page starts with ``lang = ui.page_setup("bits")``. That one call works both when the page
runs under ``app.py``'s ``st.navigation`` and when it runs alone (``AppTest`` after
``switch_page`` runs the page script without ``app.py``), so a page never depends on app.py.

Language
    ``st.session_state["lang"]`` ("en" | "zh") is the source of truth. It is a plain session key,
    not a widget key, so it survives page switches (Streamlit drops the state of widgets that are
    not rendered in a run, and a widget created by a page belongs to that page). The sidebar
    selector (widget key ``"ui_lang"``) is re-seeded from it on every run and writes back to it in
    its ``on_change`` callback. The URL carries ``?lang=zh`` so a shared link opens in Chinese.

URL state (a teacher shares a link that opens the same view)
    >>> fmt = ui.url_default("bits_format", "float8_e4m3fn", choices=list_formats())  # doctest: +SKIP
    >>> st.selectbox(ui.tr("bits.format"), list_formats(), key="bits_format")          # doctest: +SKIP
    >>> ui.sync_url("bits_format")                                                      # doctest: +SKIP
    ``?bits_format=float16`` then opens the page with float16 chosen; an invalid value falls back
    to the default. List defaults (multiselect) use repeated parameters: ``?k=a&k=b``.

Errors
    ``ui.show_error(err)`` shows a ``LowBitError`` in the page language; any other exception gets a
    generic translated message (the traceback goes to the server log, never to the screen).
    ``with ui.guard(): ...`` runs a block and routes its exceptions to ``show_error``.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import json
import logging
import math
import pkgutil
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from lib.errors import LowBitError
from lib.i18n import LANGUAGES, t
from lib.i18n import colon as i18n_colon

import lib

T = TypeVar("T")


def _import_all_of_lib() -> list[str]:
    """Import every module of ``lib`` now, while this module is being imported.

    Streamlit runs each browser session's script in its own thread. When a class opens the app
    together on a cold start, two threads would import lib's modules for the first time at once,
    and Python's import machinery can then hand one of them a half-initialised package
    (``cannot import name 'ALIASES' from partially initialized module``, a deadlock error or a
    KeyError) and a traceback on screen. Every page and app.py import ``ui`` first, and Python
    lets one thread run this module's import while the others wait for it, so lib is loaded
    once, by one thread, before any page code runs. Returns the names imported.
    """
    names = [info.name for info in pkgutil.walk_packages(lib.__path__, "lib.")]
    for name in names:
        importlib.import_module(name)
    return names


LIB_MODULES = _import_all_of_lib()

LANG_KEY = "lang"  # plain session key: the chosen language, survives page switches
LANG_WIDGET_KEY = "ui_lang"  # the sidebar selector's widget key (tests use it)
LANG_PARAM = "lang"  # query parameter: ?lang=zh
DEFAULT_LANG = "en"

# url_path, nav-title key and icon of each page; app.py builds st.navigation from this.
PAGES: dict[str, tuple[str, str]] = {
    "bits": ("nav.bits", ":material/memory:"),
    "grid": ("nav.grid", ":material/linear_scale:"),
    "quantize": ("nav.quantize", ":material/compress:"),
    "compare": ("nav.compare", ":material/compare_arrows:"),
}
APP_ICON = "🧮"

_log = logging.getLogger("lowbit")


def _valid_lang(value: Any) -> str | None:
    """A supported language code, case-insensitive (?lang=ZH is zh), else None."""
    value = value.lower() if isinstance(value, str) else value
    return value if isinstance(value, str) and value in LANGUAGES else None


def current_lang() -> str:
    """The language of this session: session state, else ``?lang=``, else English.

    Also stores it in ``st.session_state["lang"]`` so later calls (and other pages) agree.
    """
    lang = _valid_lang(st.session_state.get(LANG_KEY))
    if lang is None:
        lang = _valid_lang(st.query_params.get(LANG_PARAM)) or DEFAULT_LANG
        st.session_state[LANG_KEY] = lang
    return lang


CACHE_TTL_S = 1800  # caches of uploads and quantize results free their memory after 30 idle minutes
BIG_TENSOR = 4_000_000  # values: beyond this, results are cached one at a time and built one at a time
URL_KEYS = "_ui_url_keys"  # session key: the widget keys url_default has seeded (their labels are translated)


def _on_lang_change() -> None:
    """Switch the language, keeping every widget's choice.

    Streamlit (1.67) keeps a radio's or selectbox's choice in the browser as its *formatted* label
    and maps it back through ``format_func`` on the next run. After a language switch the old
    label ("nearest, ties to even") no longer matches any new one ("就近舍入，中点取偶"), so the
    widget would fall back to its first option or return the label itself. Here (in the callback,
    before that run) the session state still holds the real choices; writing each one back makes
    Streamlit send it to the browser again, under the new label.
    """
    chosen = _valid_lang(st.session_state.get(LANG_WIDGET_KEY))
    if chosen is None:
        return
    st.session_state[LANG_KEY] = chosen
    for key in st.session_state.get(URL_KEYS, ()):
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]


def _language_selector(lang: str) -> None:
    """Sidebar radio English / 简体中文, seeded from the session language on every run."""
    st.session_state[LANG_WIDGET_KEY] = lang
    st.sidebar.radio(
        t("app.language", lang),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=LANG_WIDGET_KEY,
        on_change=_on_lang_change,
        horizontal=True,
    )


def _sync_lang_param(lang: str) -> None:
    if not _url_writable():
        return
    if lang == DEFAULT_LANG:
        if LANG_PARAM in st.query_params:
            del st.query_params[LANG_PARAM]
    elif st.query_params.get(LANG_PARAM) != lang:
        st.query_params[LANG_PARAM] = lang


ROUTED_KEY = "_ui_routed"  # session key: app.py routed this run (see mark_routed)
_LEGACY_RERUNS_KEY = "_ui_legacy_reruns"


def mark_routed() -> None:
    """app.py's last step before running the chosen page: "this run went through app.py".

    ``page_setup`` takes the mark off again; a page that finds none was run without app.py.
    """
    st.session_state[ROUTED_KEY] = True


def _leave_legacy_pages_mode() -> None:
    """Send a page run that did not go through app.py back through it, so its navigation shows.

    Streamlit decides at the start of each run whether the app is a legacy "pages/ folder" app:
    it is while a class-wide flag, set because ``pages/`` sits beside app.py, has not yet been
    cleared by an ``st.navigation`` call. Until then a run executes the page file alone, with file
    names (app, bits, ...) as navigation. That happens to the first visitor after a (re)start who
    opens a deep link such as ``/grid?lang=zh``, and to every session that starts before the
    first run has reached app.py's ``st.navigation``, as when a class opens the app together
    (seen in 3 of 18 pages opened six at a time). Such a run lacks app.py's mark, so we clear the
    flag and rerun, and the same page runs through app.py with the translated navigation. The
    flag alone cannot tell: another session may already have cleared it during this run.
    (AppTest sets the flag again before each run, so after ``switch_page`` this makes AppTest
    run app.py + the page too, like the real server.) At most two such reruns in a row.
    """
    state = st.session_state
    if state.pop(ROUTED_KEY, False):
        state[_LEGACY_RERUNS_KEY] = 0
        return
    reruns = state.get(_LEGACY_RERUNS_KEY, 0)
    if reruns >= 2:  # should not happen; never loop: show the page as Streamlit ran it
        _log.warning("page still run without app.py after %d reruns", reruns)
        return
    try:
        from streamlit.runtime.pages_manager import PagesManager
    except ImportError:  # a Streamlit without the legacy mode: nothing to do
        return
    PagesManager.uses_pages_directory = False
    state[_LEGACY_RERUNS_KEY] = reruns + 1
    st.rerun()


def page_setup(page: str) -> str:
    """First call of every page: page config, sidebar language switch, ``?lang=``. Returns the language.

    Args:
        page: the page id ("bits", "grid", "quantize", "compare"); names the browser tab.
    Returns:
        "en" or "zh".
    """
    _leave_legacy_pages_mode()
    lang = current_lang()
    nav_key = PAGES[page][0] if page in PAGES else "app.title"
    title = t(nav_key, lang)
    # set_page_config may be called several times per run (Streamlit >= 1.46): app.py sets the
    # app-wide defaults, this call repeats layout="wide" for a page run alone (AppTest).
    st.set_page_config(page_title=f"{title} · LowBit Lab", page_icon=APP_ICON, layout="wide")
    _one_history_entry_per_page(lang)
    _language_selector(lang)
    _sync_lang_param(lang)
    _translate_builtin_texts(lang)
    st.sidebar.caption(t("app.tagline", lang))
    return lang


#: In the browser: a change of the query string alone replaces the current history entry instead
#: of adding one. Streamlit pushes an entry for every write of st.query_params (one per changed
#: setting, about 20 on opening Quantize), and a Back to one of them reruns the page with its own
#: settings, so Back seemed to do nothing: 5 presses to leave Quantize. Now one entry per page:
#: Back goes to the page before, as on any website. A change of page (the path) still pushes.
HISTORY_SCRIPT = """<style>[data-testid='stElementContainer']:has(script#lowbit-history) {display:none;}</style>
<script id="lowbit-history">
(() => {
  const h = window.history;
  if (h.__lowbitOneEntryPerPage) return;
  h.__lowbitOneEntryPerPage = true;
  const push = h.pushState.bind(h);
  h.pushState = (state, title, url) => {
    const next = url == null ? null : new URL(url, document.location.href);
    if (next && next.pathname === document.location.pathname) return h.replaceState(state, title, url);
    return push(state, title, url);
  };
  // A tab chosen with an arrow key lost the keyboard focus now and then: while the page reran,
  // Streamlit's tab bar dropped the chosen tab's tabindex for a moment, and the browser moved the
  // focus to the page. Only that case (no tabindex at the focusout) gets the focus back.
  document.addEventListener("focusout", (e) => {
    const tab = e.target;
    if (e.relatedTarget || !(tab instanceof HTMLElement) || tab.getAttribute("role") !== "tab"
        || tab.hasAttribute("tabindex")) return;
    setTimeout(() => {
      if (tab.isConnected && document.activeElement === document.body) tab.focus({preventScroll: true});
    }, 80);
  }, true);
})();
</script>"""


#: Every plotly chart becomes a named figure for a screen reader: role "figure" and an aria-label
#: made of its title, subtitle and axis titles, in the page's language (a chart was read as a run
#: of tick numbers with no name). Installed once per browser tab; each run refreshes the words.
FIGURE_SCRIPT = """<script id="lowbit-figures">
(() => {
  window.__lowbitFigureWords = __WORDS__;
  if (window.__lowbitFigures) return;
  const texts = (c, sel) => [...c.querySelectorAll(sel)].map(t => t.textContent.trim()).filter(Boolean);
  const name = () => {
    const words = window.__lowbitFigureWords;
    for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      const title = texts(c, ".gtitle, .gtitle-subtitle").join(words.sep);
      if (!title) continue;  // not drawn yet
      const axes = texts(c, ".g-xtitle text, .g-ytitle text, .g-y2title text");
      const label = (axes.length ? words.with_axes : words.plain).replace("{title}", title)
        .replace("{axes}", axes.join(words.join));
      if (c.getAttribute("aria-label") !== label) {
        c.setAttribute("role", "figure");
        c.setAttribute("aria-label", label);
      }
    }
  };
  window.__lowbitFigures = new MutationObserver(name);
  window.__lowbitFigures.observe(document.body, {childList: true, subtree: true, characterData: true});
  name();
})();
</script>"""


def figure_script(lang: str) -> str:
    """FIGURE_SCRIPT with the words of ``lang``: "Chart: {title}. Axes: {axes}." and its parts."""
    words = {k: t(f"chart.aria_{k}", lang) for k in ("with_axes", "plain", "sep", "join")}
    return FIGURE_SCRIPT.replace("__WORDS__", json.dumps(words, ensure_ascii=False).replace("</", "<\\/"))


HISTORY_SENT_KEY = "_ui_history_script_sent"
URL_WRITES_KEY = "_ui_url_writes"  # False in a session's first run: the URL stays as the visitor came


#: Captions in a grey that reads at 6:1 on white and 5.4:1 on the sidebar (Streamlit draws them at
#: opacity 0.6: 3.8:1, under WCAG's 4.5:1, and pale on a projector); still lighter than the text (12.5:1).
CAPTION_COLOUR = "#5F6270"
#: Chart axes (tick labels and titles) in the same grey: Streamlit's chart theme drew them in
#: rgb(128, 132, 149), 3.7:1. A stylesheet's !important beats plotly's inline fill.
_AXIS_TEXT = ", ".join(f".js-plotly-plot {part} text" for part in (".xtick", ".ytick", ".g-xtitle", ".g-ytitle",
                                                                    ".g-y2title", ".g-x2title"))
#: Sections under a page's title are st.header (h2), so headings go h1 -> h2 for a screen reader's
#: outline (they were h3), drawn at Streamlit's subheader size and weight (28 px, 600).
SECTION_CSS = "[data-testid='stMain'] [data-testid='stHeading'] h2 {font-size:1.75rem;font-weight:600;padding:0.75rem 0 1rem;}"
CAPTION_CSS = (f"<style>[data-testid='stCaptionContainer'] {{color:{CAPTION_COLOUR};opacity:1;}}"
               f"{_AXIS_TEXT} {{fill:{CAPTION_COLOUR} !important;}}{SECTION_CSS}</style>")

#: The document's language, for screen readers (a Chinese page was read with an English voice)
#: and the browser's choice of fonts; Streamlit always writes <html lang="en">.
HTML_LANG = {"en": "en", "zh": "zh-CN"}
LANG_SCRIPT = '<script id="lowbit-lang">document.documentElement.lang = "{tag}";</script>'


def _one_history_entry_per_page(lang: str) -> None:
    """Install HISTORY_SCRIPT and FIGURE_SCRIPT (once per browser tab; the scripts check
    themselves) and set the page's lang attribute. Until the history script runs, each write of
    the URL adds a history entry, so a session's first run leaves the URL as it came (a shared
    link opened 21 entries deep: 21 Backs to leave the app); later runs write it."""
    st.html(HISTORY_SCRIPT + LANG_SCRIPT.format(tag=HTML_LANG[lang]) + figure_script(lang) + CAPTION_CSS,
            unsafe_allow_javascript=True)
    st.session_state[URL_WRITES_KEY] = st.session_state.get(HISTORY_SENT_KEY, False)
    st.session_state[HISTORY_SENT_KEY] = True


def _url_writable() -> bool:
    return bool(st.session_state.get(URL_WRITES_KEY, True))


#: Streamlit's own English texts, by the CSS selector of the element holding each, and the i18n key
#: that replaces it (page_setup): the uploader's button and limit, the "Press Enter to apply" hint
BUILTIN_TEXTS: dict[str, tuple[str, str]] = {  # selector: (i18n key, Streamlit's font size there)
    "[data-testid='stFileUploaderDropzone'] button p": ("st.upload_button", "0.875rem"),
    "[data-testid='stFileUploaderDropzoneInstructions'] span": ("st.upload_limit", "0.875rem"),
    ".stTextInput [data-testid='InputInstructions'] span": ("st.press_enter", "0.75rem"),
    ".stNumberInput [data-testid='InputInstructions'] span": ("st.press_enter", "0.75rem"),
    ".stTextArea [data-testid='InputInstructions'] span": ("st.press_ctrl_enter", "0.75rem"),
    # a search that matches nothing (no multiselect has max_selections: its limit text would be English)
    "[data-testid='stSelectboxVirtualDropdown'] [data-empty='true'] [role='option'] span": ("st.no_results", "0.875rem"),
    "[data-testid='stMultiSelectDropdown'] [data-empty='true'] [role='option'] span": ("st.no_results", "0.875rem"),
}


def _translate_builtin_texts(lang: str) -> None:
    """Streamlit writes "Upload", "200MB per file" and "Press Enter to apply" in English whatever
    the page's language (it has no option for them): in Chinese, CSS swaps each for its translation.
    Should Streamlit rename its elements, a rule matches nothing and the English text remains."""
    from lib.io import MAX_UPLOAD_MB  # noqa: PLC0415

    # the uploader's button is named in the page's language (a screen reader read "Upload选择文件":
    # the English text, which CSS only hides, then the translation)
    aria_labels({"[data-testid='stFileUploaderDropzone'] button": t("st.upload_button", lang)}, "builtin")
    if lang == "en":
        return
    rules = [f"{sel} {{font-size:0;}} {sel}::after {{content:'{_css_text(t(key, lang, max_mb=MAX_UPLOAD_MB))}';"
             f"font-size:{size};}}" for sel, (key, size) in BUILTIN_TEXTS.items()]
    st.sidebar.html(f"<style>{' '.join(rules)}</style>")


def _css_text(text: str) -> str:
    """Text for a CSS ``content:'...'`` string: quotes and backslashes escaped, no markup."""
    return text.replace("\\", "\\\\").replace("'", "\\'").replace("<", "").replace(">", "")


def wrapping_row(key: str, min_width: str = "12rem") -> Any:
    """A row of equal boxes (``with row.container(): ...``) that wraps onto a second line when a box
    would be narrower than ``min_width``: four controls sit side by side from about 1300 px, two by
    two on a 1024 px projector (st.columns(4) squeezed them to 130 px and cut "absmax (symmetric)"
    to "absmax (symm…"), and one per line on a phone.
    """
    size = f"min({min_width}, 100%)"  # never wider than the screen (a phone is 358 px inside)
    st.html(f"<style>.st-key-{key} > [data-testid='stLayoutWrapper'] {{flex:1 1 {size};min-width:{size};}}</style>")
    return st.container(horizontal=True, key=key)


def static_table(rows: Any, key: str, nowrap: int = 1) -> None:
    """``st.table`` (it wraps long headers: no column scrolled out of sight) whose column ``nowrap``
    (1 = the first) keeps each cell on one line: in Chinese the position header "位置" broke into two
    lines of one character, and a cosine "1 − 3.8e-05" into "1 − 3.8e-" and "05"."""
    cells = f".st-key-{key} th:nth-child({nowrap}) p, .st-key-{key} td:nth-child({nowrap}), .st-key-{key} td:nth-child({nowrap}) *"
    st.html(f"<style>{cells} {{white-space:nowrap;}}</style>")
    with st.container(key=key):
        st.table(rows, hide_index=True)


def four_boxes(key: str) -> list[Any]:
    """Four equal boxes for controls, as two pairs that wrap as a whole: 4 in a row from about
    1300 px, 2 + 2 on a 1024 px projector, one per line on a phone; never 3 + 1."""
    pairs = wrapping_row(key, min_width="25rem")  # a pair: 2 x 12rem + the 1rem gap
    boxes = []
    for i in (1, 2):
        with pairs.container():
            row = wrapping_row(f"{key}_{i}")
        boxes += [row.container(), row.container()]
    return boxes


def tr(key: str, **params: Any) -> str:
    """``lib.i18n.t`` in the current session language."""
    return t(key, current_lang(), **params)


def colon(key: str, **params: Any) -> str:
    """A translated label with its colon: "Code:" in English, "编码：" (full width) in Chinese."""
    return tr(key, **params) + i18n_colon(current_lang()).rstrip()


def sentence_gap() -> str:
    """What goes between two sentences: a space in English, nothing after a Chinese "。"."""
    return "" if current_lang() == "zh" else " "


def lead(key: str, bold: bool = False) -> str:
    """A label that text follows: "Code: " in English, "编码：" in Chinese (the full-width colon
    carries its own space); ``bold`` makes the label Markdown bold, the space outside the stars."""
    mark, text = i18n_colon(current_lang()), colon(key)
    return (f"**{text}**" if bold else text) + mark[len(mark.rstrip()):]  # en: " ", zh: nothing


def _encode(value: Any) -> str:
    return str(value)


def parse_bool(text: str) -> bool:
    """``parse=`` helper for checkboxes and toggles: "true"/"1"/"yes" -> True, "false"/"0"/"no" -> False."""
    low = text.strip().lower()
    if low in ("true", "1", "yes", "on"):
        return True
    if low in ("false", "0", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def number_in(lo: float, hi: float, kind: Callable[[str], Any] = float) -> Callable[[str], Any]:
    """``parse=`` helper for a number box with a range: a URL value outside [lo, hi] (or NaN) is
    invalid, so it falls back to the default (Streamlit clamped ?quant_pct=150 to 50 silently)."""
    def parse(text: str) -> Any:
        value = kind(text)
        if not lo <= value <= hi:
            raise ValueError(f"{value!r} is outside [{lo}, {hi}]")
        return value
    return parse


def whole(text: str) -> int:
    """``parse=`` for a count: "8" and "8.0" are 8; "8.5" is invalid (ValueError)."""
    value = float(text)
    if not value.is_integer():
        raise ValueError(f"{text!r} is not a whole number")
    return int(value)


def _parse_one(text: str, choices: Sequence[Any] | None, parse: Callable[[str], Any]) -> Any:
    value = parse(text)  # may raise: the caller falls back to the default
    if choices is not None and value not in choices:
        raise ValueError(f"{value!r} is not one of the choices")
    return value


def text_up_to(n: int) -> Callable[[str], str]:
    """A url_default parser that takes a text of at most ``n`` characters (a longer one is invalid:
    the default). Example: text_up_to(3)("abc") == "abc"; text_up_to(3)("abcd") raises ValueError."""
    def parse(text: str) -> str:
        if len(text) > n:
            raise ValueError(f"longer than {n} characters")
        return text

    return parse


def url_default(
    key: str,
    default: Any,
    choices: Sequence[Any] | None = None,
    parse: Callable[[str], Any] = str,
) -> Any:
    """Seed ``st.session_state[key]`` from ``?key=...`` the first time, before the widget exists.

    Call BEFORE creating the widget with ``key=key`` (and no ``value=``/``index=`` argument).
    If the key is already in session state (the user has touched the widget) nothing changes.

    Args:
        key: widget key, also the query-parameter name (e.g. "bits_format").
        default: value when the URL has none or an invalid one. A list/tuple default means a
            multi-valued widget: every repeated ``?key=`` is parsed and validated on its own, the
            invalid ones dropped (the default when none is valid).
        choices: allowed values (after parsing); anything else falls back to ``default``.
        parse: str -> value (``int``, ``float``, ``ui.parse_bool``...); a ValueError means invalid.
    Returns:
        The value now in session state.
    Example:
        ``?quant_bits=4`` with ``url_default("quant_bits", 8, choices=[2, 4, 8], parse=int)`` -> 4;
        ``?quant_bits=5`` -> 8.
    """
    keys = st.session_state.setdefault(URL_KEYS, set())
    keys.add(key)
    if key in st.session_state:
        return st.session_state[key]
    value = _kept(key, default, choices)
    if isinstance(default, (list, tuple)):
        texts = st.query_params.get_all(key)
        if texts:  # an unknown entry (a renamed choice in an old link) is dropped, not all of them
            kept = []
            for x in texts:
                with contextlib.suppress(ValueError, TypeError, OverflowError):
                    kept.append(_parse_one(x, choices, parse))
            value = kept or default
    else:
        text = st.query_params.get(key)
        if text is not None:
            try:
                value = _parse_one(text, choices, parse)
            except (ValueError, TypeError, OverflowError):
                value = default
    st.session_state[key] = list(value) if isinstance(value, tuple) else value
    return st.session_state[key]


KEEP_PREFIX = "_kept_"  # session keys holding a page's last settings while another page is shown


def _kept(key: str, default: Any, choices: Sequence[Any] | None) -> Any:
    """The value ``sync_url`` last saw for ``key`` in this session, if still allowed, else ``default``.

    Streamlit drops the state of widgets that are not on screen, and switching pages clears the
    URL, so without this a page came back with its defaults after a visit to another page.
    """
    kept = st.session_state.get(KEEP_PREFIX + key)
    if kept is None:
        return default
    values = kept if isinstance(kept, list) else [kept]
    if choices is not None and any(v not in choices for v in values):
        return default
    return list(kept) if isinstance(kept, list) else kept


def forget(key: str) -> None:
    """Drop a setting everywhere it is kept (session, the page's kept copy, the URL), so the next
    ``url_default`` gives its default: e.g. the channel axis when another tensor is loaded."""
    st.session_state.pop(key, None)
    st.session_state.pop(KEEP_PREFIX + key, None)
    drop_from_url(key)


def forget_unless(key: str, owner: Any, choices: Sequence[Any]) -> None:
    """Forget ``key``'s setting (``forget``) when what it was chosen for, ``owner``, has changed
    (another tensor: its own default axis), or when it is not one of ``choices``."""
    if st.session_state.get(f"{key}_for", owner) != owner or st.session_state.get(key, choices[0]) not in choices:
        forget(key)
    st.session_state[f"{key}_for"] = owner


def remembered_tabs(key: str, names: Sequence[str], labels: Sequence[str]) -> Sequence[Any]:
    """``st.tabs`` whose chosen tab is a setting: it stays chosen when the language changes (its
    label does) and goes into the link as ``?key=<name>`` (put ``key`` in sync_url). A tab was lost
    on a language switch, and a shared link always opened on the first one.

    ``names``: the tabs' ids ("hist", "error", ...); ``labels``: their translated labels. A
    remembered name that is not among ``names`` (a block format's "scales" tab) means the first.
    A tab change reruns the page (Streamlit tracks the state only then); the page shows every
    tab's content as before, so the switch itself is instant.
    """
    url_default(key, names[0], choices=list(names))
    name = st.session_state[key] if st.session_state[key] in names else names[0]
    widget = f"_{key}_widget"
    if st.session_state.get(f"{widget}_labels") != tuple(labels):  # other labels (language): the name decides
        st.session_state.pop(widget, None)
        st.session_state[f"{widget}_labels"] = tuple(labels)
    if widget not in st.session_state:  # a new tab bar opens on the remembered tab; while it lives its
        # default stays put: a new default is a new tab bar, which took the keyboard focus off the
        # tab just chosen with an arrow key
        st.session_state[f"{widget}_default"] = labels[list(names).index(name)]

    def chosen() -> None:
        label = st.session_state.get(widget)
        if label in labels:
            st.session_state[key] = names[list(labels).index(label)]

    return st.tabs(list(labels), key=widget, default=st.session_state[f"{widget}_default"], on_change=chosen)


ARIA_SCRIPT = """<style>[data-testid='stElementContainer']:has(script#lowbit-aria) {display:none;}</style>
<script id="lowbit-aria">
(() => {
  const names = __NAMES__;
  const observers = window.__lowbitAria = window.__lowbitAria || {};
  if (observers["__ID__"]) observers["__ID__"].disconnect();
  const apply = () => {
    for (const [selector, name] of Object.entries(names)) {
      for (const el of document.querySelectorAll(selector)) {
        if (el.getAttribute("aria-label") !== name) el.setAttribute("aria-label", name);
      }
    }
  };
  apply();
  observers["__ID__"] = new MutationObserver(apply);  // elements drawn after this script, redrawn ones
  observers["__ID__"].observe(document.body, {childList: true, subtree: true});
})();
</script>"""


def aria_labels(names: dict[str, str], group: str) -> None:
    """Give the elements matching each CSS selector an accessible name (aria-label), which
    Streamlit's widgets cannot take: the Bits page's buttons read "0 button, 1 button" to a screen
    reader; their names now say the bit, its role and its weight, as their hover text does.
    ``group`` ("bits", "builtin"): a later call of the same group replaces its names."""
    payload = json.dumps(names, ensure_ascii=False).replace("</", "<\\/")  # no "</script>" inside
    script = ARIA_SCRIPT.replace("__NAMES__", payload).replace("__ID__", re.sub(r"\W", "", group))
    st.html(script, unsafe_allow_javascript=True)


def kept_expander(label: str, key: str) -> Any:
    """``st.expander`` whose open state outlives runs that do not draw it: Grid's binades box, the
    block walk and Bits' code table exist for some formats only, and closed after one without them
    (Streamlit drops a widget's state when a run does not draw it). The state is a session value
    (on_change="rerun"), copied aside on every run that draws the box; it also survives a new
    label (the language, the format in the title).
    Example: binades open on float8_e4m3fn, then int8 (no box), then float8_e4m3fn: open again."""
    kept = KEEP_PREFIX + key
    # set before the box on every run: a new label (language, format) makes a new widget, which
    # takes its state from a value set so, and would otherwise start closed
    st.session_state[key] = bool(st.session_state.get(key, st.session_state.get(kept, False)))
    box = st.expander(label, key=key, on_change="rerun")
    st.session_state[kept] = st.session_state[key]
    return box


def drop_from_url(key: str) -> None:
    """Take ``key`` out of the URL (a setting that does not apply to what is shown), keeping it in
    the session."""
    if key in st.query_params and _url_writable():
        del st.query_params[key]


def sync_url(*keys: str, share_note: str | None = None) -> None:
    """Write the current values of ``keys`` to the URL (call at the end of the page), and keep
    them in the session, so the page comes back with them after a visit to another page; then
    draw the sidebar's "Share this view" with the same settings (``share_note``: what the link
    cannot carry, e.g. an uploaded file).

    Lists become repeated parameters; ``None`` removes the parameter. Unchanged values are not
    rewritten, so an idle rerun sends nothing to the browser.
    """
    shared: dict[str, str | list[str]] = {LANG_PARAM: current_lang()}
    for key in keys:
        value = st.session_state.get(key)
        if value is not None:
            shared[key] = [_encode(v) for v in value] if isinstance(value, (list, tuple)) else _encode(value)
        if key in st.session_state:  # a widget not drawn this run (the results waited for an axis
            # choice) keeps its last value for when it comes back; it only leaves the URL
            st.session_state[KEEP_PREFIX + key] = list(value) if isinstance(value, (list, tuple)) else value
        if not _url_writable():
            continue  # the session's first run: the URL stays as it came (_one_history_entry_per_page)
        if value is None:
            drop_from_url(key)
        elif isinstance(value, (list, tuple)):
            texts = [_encode(v) for v in value]
            if st.query_params.get_all(key) != texts:
                st.query_params[key] = texts
        else:  # one value: a link that repeated it (?bits_format=float16&bits_format=int8) keeps the one shown
            text = _encode(value)
            if st.query_params.get_all(key) != [text]:
                st.query_params[key] = text
    _share_box(shared, share_note)


@st.cache_data(max_entries=64, show_spinner=False)
def _qr(link: str) -> bytes | None:
    """The link's QR code as a PNG, or None when the link is too long for one."""
    from lib.share import fits_qr, qr_png  # noqa: PLC0415

    return qr_png(link) if fits_qr(link) else None


def _share_box(params: dict[str, str | list[str]], note: str | None) -> None:
    """The sidebar's "Share this view": a dialog with the link to these settings (with a copy
    button) and its QR code, big enough to scan from a projected screen. A teacher's URL bar held
    the same link, but a class cannot type 600 characters off a projector. A dialog, not a popover:
    below a short sidebar (Bits, Grid) a popover had 243 px at 1280 × 720, too little for the code."""
    from lib.share import share_url  # noqa: PLC0415

    link = share_url(st.context.url or "", params)  # no browser (AppTest): the query alone

    @st.dialog(tr("share.title"), width="medium", icon=":material/qr_code_2:")
    def show() -> None:
        png = _qr(link)
        if png is None:  # long pasted numbers or worked-example text: the link alone
            st.warning(tr("share.too_long", n=f"{len(link):,}"), icon=":material/warning:")
        else:
            st.caption(tr("share.intro"))
            st.image(png, alt=tr("share.qr_alt"))
        st.code(link, language=None, wrap_lines=True)  # with a copy button
        if note:
            st.caption(note)

    if st.sidebar.button(tr("share.title"), icon=":material/qr_code_2:", width="stretch", key="ui_share"):
        show()


@functools.cache
def _glibc() -> Any:
    """glibc, where the app runs on Linux (Community Cloud); None elsewhere."""
    import ctypes  # noqa: PLC0415

    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018 - glibc only
    except (OSError, AttributeError):
        return None
    return libc


@st.cache_resource(show_spinner=False)
def _big_job_lock() -> threading.Lock:
    return threading.Lock()


def progress_gate(every_s: float = 0.1) -> Callable[[bool], bool]:
    """A gate for a progress bar's updates: ``gate(last)`` is True for the first call, for the
    last one, and when ``every_s`` seconds have passed since the last True. A whole-file run of
    2,000 small tensors by 32 choices called the bar 64,000 times, each a message to the browser.
    Example: gate = progress_gate(); gate(False) -> True, at once again gate(False) -> False."""
    shown = [-math.inf]

    def gate(last: bool) -> bool:
        now = time.monotonic()
        if last or now - shown[0] >= every_s:
            shown[0] = now
            return True
        return False

    return gate


@contextmanager
def one_big_job(size: int) -> Iterator[None]:
    """Work on a tensor of more than BIG_TENSOR values, one session at a time.

    The app shares ~2.7 GB on Community Cloud; two sessions quantizing 67M-value tensors at once
    reached 2.9 GB. A second session now waits under its spinner for the first to finish.
    Smaller work runs at once.
    """
    if size <= BIG_TENSOR:
        yield
        return
    with _waiting_for(_big_job_lock(), tr("ui.waiting_big_job")):
        yield


@contextmanager
def _waiting_for(lock: threading.Lock, text: str) -> Iterator[None]:
    """Hold ``lock``; while another session holds it, a spinner shows ``text`` (why this waits)."""
    if not lock.acquire(blocking=False):
        with st.spinner(text):
            lock.acquire()
    try:
        yield
    finally:
        lock.release()


_SLOTS_LOCK = threading.Lock()


def newest_slot(store: OrderedDict[Any, dict], key: Any, keep: int) -> dict:
    """The dict under ``key`` in a store shared by every session (a new one if none), made the
    newest; the oldest go beyond ``keep``. Under a lock: the sessions' threads share the store, and
    another session's eviction between setdefault and move_to_end raised KeyError (769 times in
    600,000 calls from 30 threads). Example: keep 2, keys a, b, c -> the store holds b and c."""
    with _SLOTS_LOCK:
        slot = store.setdefault(key, {})
        store.move_to_end(key)
        while len(store) > keep:
            store.popitem(last=False)
    return slot


#: Locks of computed_once: a key's lock is _shared_locks()[hash(key) % COMPUTE_LOCKS]. Two keys may
#: share one (the second waits a little longer); each session holds at most one at a time, inside
#: one_big_job's lock when both are held, so no two sessions can wait on each other.
COMPUTE_LOCKS = 32


@st.cache_resource(show_spinner=False)
def _shared_locks() -> tuple[threading.Lock, ...]:
    return tuple(threading.Lock() for _ in range(COMPUTE_LOCKS))


@contextmanager
def computed_once(key: Any, waiting: str) -> Iterator[None]:
    """Compute what a cache of our own keeps under ``key`` (Compare's results per choice) in one
    session at a time: a class opening the same Compare link at once ran the 14 default choices
    151 to 203 times for 30 students (st.cache_data and st.cache_resource already lock per key).
    A second session waits, with ``waiting`` under a spinner, and then finds the results done.
    Use inside one_big_job, never around it."""
    with _waiting_for(_shared_locks()[hash(key) % COMPUTE_LOCKS], waiting):
        yield


def held_or_rebuilt(obj: T, rebuild: Callable[[], T]) -> Callable[[], T]:
    """A function for a button to call later (a download's data, an ``on_click``): ``obj`` while
    something else (a cache) still holds it, else ``rebuild()``. It holds ``obj`` only weakly.

    Streamlit keeps a download's function and a button's callback until the end of the page's next
    run. Closing over a quantize result there kept the old result alive while the next one was
    built: two results at once after a format change, ~340 MB more for a 67M-value tensor.

    Example: ``get = held_or_rebuilt(r, lambda: quantize(x, fmt="int8"))``; ``get() is r`` while
    the cache holds r; once r is freed, get() quantizes x again (the same result: deterministic).
    """
    ref = weakref.ref(obj)

    def get() -> T:
        held = ref()
        return held if held is not None else rebuild()

    return get


def release_memory() -> None:
    """Hand the heap memory freed during a run back to the OS (glibc ``malloc_trim``).

    numpy's chunk temporaries (~0.5-8 MB) come from malloc's heap once its mmap threshold has
    grown, and each Streamlit script thread has its own arena; freed pages then stay in the
    process. On Community Cloud's ~2.7 GB that retention was ~0.6 GB after a few runs on a 67M-value
    tensor. Trimming after each run costs a few milliseconds.
    """
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]()<>#~$|:])")
_AUTOLINK = re.compile(r"(://|www\.)", re.IGNORECASE)


#: Invisible characters that reorder or hide text (bidirectional overrides and isolates, zero-width
#: marks): "layer\u202egnp.exe" displayed as "layerexe.png". Shown as ⟨U+202E⟩ instead.
_HIDDEN_CONTROLS = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def visible_controls(text: str) -> str:
    """``text`` with its reordering and zero-width characters shown as ⟨U+XXXX⟩, so a name from a
    file cannot display as another. Example: "w\u202egnp.exe" -> "w⟨U+202E⟩gnp.exe"."""
    return _HIDDEN_CONTROLS.sub(lambda m: f"⟨U+{ord(m.group()):04X}⟩", text)


def md_escape(text: str) -> str:
    """Text shown as itself inside Markdown: "[click](https://x)" stays those characters, never a
    link, "__import__" never bold, "$x$" never maths. A backslash before ASCII punctuation is
    Markdown's escape; bare "https://..." and "www." are linked whatever the escapes, so an
    invisible word joiner (U+2060) goes after their first character."""
    text = _AUTOLINK.sub(lambda m: m.group(0)[0] + "\u2060" + m.group(0)[1:], visible_controls(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def error_text(err: LowBitError, lang: str) -> str:
    """A LowBitError's message with its parameters (typed text, file names) Markdown-escaped."""
    return t(err.key, lang, **{k: md_escape(v) if isinstance(v, str) else v for k, v in err.params.items()})


def show_error(err: BaseException) -> None:
    """Show ``err`` as a translated ``st.error``: a LowBitError's own message, else a generic one."""
    lang = current_lang()
    if isinstance(err, LowBitError):
        st.error(error_text(err, lang), icon=":material/error:")
    else:
        _log.error("unexpected error in a page", exc_info=err)
        st.error(t("error.unexpected", lang, detail=type(err).__name__), icon=":material/error:")


@contextmanager
def guard() -> Iterator[None]:
    """Run a block; an ``Exception`` inside is shown with ``show_error`` instead of a traceback.

    Streamlit's own control flow (``st.rerun``, ``st.stop``) derives from BaseException and
    passes through untouched.
    """
    try:
        yield
    except Exception as err:  # noqa: BLE001 - the point is to keep tracebacks off the screen
        show_error(err)
