"""Every page through app.py with AppTest: no exception in either language, the title in that
language, the language switch (by widget key) surviving page switches, and URL settings that
reopen the same view. Page-specific interactions live in the page owners' tests/test_page_*.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import ui
from lib.i18n import STRINGS, t

ROOT = Path(__file__).resolve().parent.parent
PAGES = list(ui.PAGES)
CJK = re.compile(r"[\u3400-\u9fff]")
WIDGET_KINDS = ["selectbox", "radio", "select_slider", "slider", "number_input", "text_input",
                "text_area", "checkbox", "toggle", "multiselect", "segmented_control", "pills"]


def _texts(lang: str) -> set[str]:
    return {entry[lang] for entry in STRINGS.values()}


def _widgets(at: Any) -> dict[str, Any]:
    """Widgets with a user key, by key (both main area and sidebar)."""
    found = {}
    for kind in WIDGET_KINDS:
        for widget in at.get(kind):
            if getattr(widget, "key", None):
                found[widget.key] = widget
    return found


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_in_both_languages(apptest: Any, page: str, lang: str) -> None:
    at = apptest(page, lang=lang)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]  # the default view shows no error
    assert at.session_state[ui.LANG_KEY] == lang
    assert at.radio(key=ui.LANG_WIDGET_KEY).value == lang
    title = at.title[0].value
    assert title in _texts(lang), f"{page} title {title!r} is not a {lang} string of the i18n table"
    other = "zh" if lang == "en" else "en"
    assert title not in _texts(other) or title in _texts(lang) & _texts(other)
    assert bool(CJK.search(title)) == (lang == "zh"), title


def test_app_default_page_is_bits(apptest: Any) -> None:
    at = apptest()
    assert not at.exception
    assert at.title[0].value in _texts("en")
    nav_titles = [t(f"nav.{p}", "en") for p in PAGES]
    assert nav_titles == ["Bits", "Grid", "Quantize", "Compare"]


def test_language_switch_by_widget_key_survives_page_switches(apptest: Any) -> None:
    at = apptest("grid")
    en_title = at.title[0].value
    at.radio(key=ui.LANG_WIDGET_KEY).set_value("zh").run()
    assert not at.exception
    zh_title = at.title[0].value
    assert CJK.search(zh_title) and zh_title != en_title
    assert at.query_params["lang"] == "zh"
    for page in ["quantize", "compare", "bits", "grid"]:
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, page
        assert at.session_state[ui.LANG_KEY] == "zh", page
        assert at.radio(key=ui.LANG_WIDGET_KEY).value == "zh", page
        assert CJK.search(at.title[0].value), page
    assert at.title[0].value == zh_title  # back on grid
    at.radio(key=ui.LANG_WIDGET_KEY).set_value("en").run()
    assert at.title[0].value == en_title
    assert "lang" not in at.query_params


def test_unknown_language_in_url_falls_back_to_english(apptest: Any) -> None:
    at = apptest("bits", lang="xx")
    assert not at.exception
    assert at.session_state[ui.LANG_KEY] == "en"


@pytest.mark.parametrize("page", PAGES)
def test_page_settings_live_in_the_url(apptest: Any, page: str) -> None:
    """Every keyed widget of the page is mirrored in the URL, and that URL reopens the same view.

    Generic over pages: the page's first selectbox is moved to its last option first, so the link
    carries a non-default setting. The link is then opened as a fresh session of that page.
    """
    at = apptest(page)
    boxes = [w for w in at.selectbox if w.key and w.key != ui.LANG_WIDGET_KEY and len(w.options) > 1
             and not w.disabled]
    if boxes:
        boxes[0].select_index(len(boxes[0].options) - 1).run()
        assert not at.exception
    widgets = {k: w for k, w in _widgets(at).items() if k != ui.LANG_WIDGET_KEY}
    url_keys = set(at.query_params) - {"lang"}
    # free-text areas (pasted data) may stay out of the URL; every other setting must be in it
    shareable = {k for k, w in widgets.items() if type(w).__name__ != "TextArea"}
    assert shareable <= url_keys, f"{page}: settings missing from the URL: {sorted(shareable - url_keys)}"

    shared = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=30)
    shared.query_params.update(at.query_params)
    shared.run()
    assert not shared.exception
    reopened = _widgets(shared)
    for key in shareable:
        assert reopened[key].value == widgets[key].value, f"{page}: {key} not reproduced by the URL"
