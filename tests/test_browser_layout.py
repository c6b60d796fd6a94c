"""Layout on a 1024x768 projector with the sidebar open (the main column is then about 564 px):
nothing a student needs is cut off or scrolled out of sight, in English and Chinese.

Each check failed on the code before it was fixed: chart titles ran past their chart ("Signal-to-
quantization-noise ratio (hig…", "Rounding boundaries of float8_e4…"), the Bits table pushed its bit
strings off-screen and stacked "正规数" one character per line, the Quantize select boxes read
"absmax (symm…", and the Grid preset "FP4 vs NF4 vs I…" was cut.
"""

from __future__ import annotations

from typing import Any

import pytest

PROJECTOR = {"width": 1024, "height": 768}

#: every plotly text that must stay inside its chart (titles, subtitles, axis titles, legend
#: entries), and titles or subtitles that the legend covers
CHART_TEXT_OUTSIDE = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(c => {
  const svg = c.querySelector('.main-svg');
  if (!svg) return [];
  const box = svg.getBoundingClientRect();
  const outside = [...c.querySelectorAll('.gtitle, .gtitle-subtitle, .g-xtitle text, .g-ytitle text, .legendtext')]
    .map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([_, r]) => r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1
                                        || r.bottom > box.bottom + 1 || r.top < box.top - 1))
    .map(([text, _]) => text);
  const entries = [...c.querySelectorAll('.legend .traces')].map(e => e.getBoundingClientRect());
  const covered = [...c.querySelectorAll('.gtitle, .gtitle-subtitle')]
    .map(t => [t.textContent, t.getBoundingClientRect()])
    .filter(([_, r]) => r.width > 0 && entries.some(e => e.width > 0
        && Math.min(r.right, e.right) - Math.max(r.left, e.left) > 2
        && Math.min(r.bottom, e.bottom) - Math.max(r.top, e.top) > 2))
    .map(([text, _]) => 'under the legend: ' + text);
  return outside.concat(covered);
})"""

#: every shown plotly chart has its title drawn (a heatmap has no .trace to wait for)
TITLES_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(c => c.offsetParent !== null).every(c => c.querySelector('.main-svg .gtitle'))"""

#: select boxes showing a cut value, and buttons or check boxes whose label ends in "…"
CUT_CONTROLS = """() => [...document.querySelectorAll(
    '[data-testid="stMain"] [data-testid="stSelectbox"] input, [data-testid="stMain"] .stMarkdownEllipsis')]
  .filter(e => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.value || e.textContent)"""


def _visit(page: Any, open_app: Any, path: str, **query: Any) -> Any:
    page.set_viewport_size(PROJECTOR)
    return open_app(path, **query)


def _chart_text_outside(pg: Any) -> list[str]:
    """Texts outside their chart or under its legend, on the page and on every tab of it."""
    outside = list(pg.evaluate(CHART_TEXT_OUTSIDE))
    tabs = pg.locator('[data-testid="stMain"] [role="tab"]')  # ([data-baseweb="tab"] matched none in 1.67)
    assert tabs.count() >= (3 if pg.url.split("?")[0].endswith("/quantize") else 0)  # the tabs really are visited
    for i in range(tabs.count()):
        tabs.nth(i).click()
        pg.wait_for_function(TITLES_DRAWN, timeout=15_000)  # plotly draws a chart when its tab first shows
        pg.wait_for_timeout(200)
        outside += pg.evaluate(CHART_TEXT_OUTSIDE)
    return outside


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("path", "query"), [
    ("grid", {"grid_format": "float8_e4m3b11fnuz", "grid_overlay": ["int8", "float8_e4m3fn"]}),
    ("quantize", {"quant_method": "percentile"}),
    ("quantize", {"quant_format": "mxfp4"}),
    ("compare", {}),
])
def test_charts_and_controls_fit_a_projector(page: Any, open_app: Any, exception_count: Any,
                                             screenshot: Any, path: str, query: dict, lang: str) -> None:
    pg = _visit(page, open_app, path, lang=lang, **query)
    assert exception_count(pg) == 0
    assert pg.locator('[data-testid="stPlotlyChart"]').count() >= 2
    assert pg.evaluate(CUT_CONTROLS) == []
    assert _chart_text_outside(pg) == []
    screenshot(pg, f"projector-{path}-{query.get('quant_format', '')}{lang}")


@pytest.mark.parametrize(("lang", "normal"), [("en", "normal"), ("zh", "正规数")])
def test_bits_table_fits_a_projector(page: Any, open_app: Any, exception_count: Any, lang: str, normal: str) -> None:
    pg = _visit(page, open_app, "bits", lang=lang, bits_format="float32", bits_number="0.1")
    assert exception_count(pg) == 0
    table = pg.locator('.st-key-bits_all [data-testid="stTable"]')
    # no column scrolled out of sight: the table is no wider than its box
    assert table.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.firstElementChild.scrollWidth"
                          " <= e.firstElementChild.clientWidth + 1")
    row = table.locator("tr", has_text="float32").first
    cells = row.locator("td")
    assert " ".join(cells.last.inner_text().split()) == "0x3DCCCCCD = 0 01111011 10011001100110011001101"
    klass = row.locator("td", has_text=normal).first
    one_line = klass.evaluate("e => { const p = e.querySelector('p') || e;"
                              " return p.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(p).lineHeight); }")
    assert one_line, f"{normal!r} wraps inside its cell"


#: boxes of the main column that reach past the right edge of the screen
OFF_SCREEN = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stLayoutWrapper"]')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .map(e => e.textContent.slice(0, 40))"""


@pytest.mark.parametrize(("path", "query"), [
    ("quantize", {"quant_method": "percentile", "quant_gran": "group"}),  # the most controls
    ("grid", {}),
])
def test_phone_controls_stay_on_screen(page: Any, open_app: Any, path: str, query: dict) -> None:
    """On a phone (390 px) the wrapping rows of controls fall to one box per line, none off-screen.
    (st.columns stacked on a phone by itself: this guards ui.wrapping_row, whose rows must stop at
    the screen's width; without that cap the Quantize controls ran 40 px off-screen.)"""
    page.set_viewport_size({"width": 390, "height": 844})
    pg = open_app(path, lang="zh", **query)
    assert pg.evaluate(OFF_SCREEN) == []
    assert pg.evaluate(CUT_CONTROLS) == []


LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("fmt", ["float8_e4m3fnuz", "float8_e4m3fn"])  # e4m3fn: the default and the longest text
@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_about_this_format_is_in_view(page: Any, open_app: Any, exception_count: Any, screenshot: Any,
                                      lang: str, fmt: str, size: str) -> None:
    """"What does fnuz mean" is answered on the first screen: the about text sits right under the
    format select box (the card is below the fold on a 1366x768 laptop), and on a laptop the bits
    stay on the first screen too."""
    from lib.i18n import t

    viewport = LAPTOP if size == "laptop" else PHONE
    page.set_viewport_size(viewport)
    pg = open_app("bits", lang=lang, bits_format=fmt)
    assert exception_count(pg) == 0
    about = pg.locator('[data-testid="stCaptionContainer"]', has_text=t("bits.about", lang)).first
    box = about.bounding_box()
    select = pg.locator(".st-key-bits_format").bounding_box()
    assert t(f"fmt.about.{fmt}", lang)[:20] in about.inner_text()
    assert select["y"] + select["height"] <= box["y"] <= select["y"] + select["height"] + 40  # right under it
    if size == "laptop":
        assert box["y"] + box["height"] <= viewport["height"]  # all of it, without scrolling
        assert pg.locator(".st-key-bits_bit_7").bounding_box()["y"] < viewport["height"]
    else:
        assert box["y"] < viewport["height"]  # it starts on the first screen
    screenshot(pg, f"about-{fmt}-{size}-{lang}")


#: chart titles (and subtitles) that plotly's toolbar (the modebar) covers when it shows
UNDER_TOOLBAR = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(c => c.offsetParent !== null).flatMap(c => {
    const bar = c.querySelector('.modebar');
    if (!bar) return [];
    const b = bar.getBoundingClientRect();
    return [...c.querySelectorAll('.gtitle, .gtitle-subtitle')].map(t => [t.textContent, t.getBoundingClientRect()])
      .filter(([_, r]) => r.width > 0 && Math.min(r.right, b.right) - Math.max(r.left, b.left) > 0
                          && Math.min(r.bottom, b.bottom) - Math.max(r.top, b.top) > 0)
      .map(([text, _]) => text);
  })"""




@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
@pytest.mark.parametrize("path", ["quantize", "compare", "grid"])
def test_chart_toolbar_never_covers_a_title(page: Any, open_app: Any, path: str, viewport: dict, lang: str) -> None:
    """On a 390 px phone the toolbar (224 px wide) covered "Values and the quan…", "Bits per value
    vs S…", "Every representab…" and more; every chart on every tab is checked."""
    page.set_viewport_size(viewport)
    pg = open_app(path, lang=lang)
    pg.wait_for_selector(".js-plotly-plot .modebar", timeout=60_000)
    covered = list(pg.evaluate(UNDER_TOOLBAR))
    tabs = pg.locator('[data-testid="stMain"] [role="tab"]')
    for i in range(tabs.count()):
        tabs.nth(i).click()
        pg.wait_for_function(TITLES_DRAWN, timeout=15_000)  # (a heatmap has no .trace to wait for)
        pg.wait_for_timeout(200)
        covered += pg.evaluate(UNDER_TOOLBAR)
    assert covered == []


#: the page's heading levels in document order (h1 = 1), with the font size of each
HEADINGS = """() => [...document.querySelectorAll(['h1', 'h2', 'h3', 'h4'].map(h => '[data-testid="stMain"] ' + h)
  .join(', '))].filter(h => h.offsetParent !== null)
  .map(h => [Number(h.tagName[1]), getComputedStyle(h).fontSize, h.textContent])"""


@pytest.mark.parametrize("path", ["", "grid", "quantize", "compare"])
def test_headings_go_one_level_at_a_time(page: Any, open_app: Any, path: str) -> None:
    """A screen reader's outline: the title (h1), then sections (h2). Sections were h3 (st.subheader),
    a skipped level; they are st.header now, drawn at the subheader's 28 px."""
    heads = _visit(page, open_app, path).evaluate(HEADINGS)
    levels = [level for level, _, _ in heads]
    assert levels[0] == 1 and levels.count(1) == 1 and len(levels) >= 2, heads
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), heads
    assert {size for level, size, _ in heads if level == 2} == {"28px"}, heads


#: each drawn chart: [role, aria-label, its title text]
FIGURE_NAMES = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
  .filter(c => c.querySelector('.gtitle'))
  .map(c => [c.getAttribute('role'), c.getAttribute('aria-label'), c.querySelector('.gtitle').textContent])"""


@pytest.mark.parametrize(("path", "lang", "start", "axes"), [
    ("quantize", "en", "Chart: ", "Axes: "), ("compare", "zh", "图表：", "坐标轴："), ("grid", "zh", "图表：", "坐标轴："),
])
def test_every_chart_is_a_named_figure(page: Any, open_app: Any, path: str, lang: str, start: str, axes: str) -> None:
    """A screen reader heard a chart as a run of tick numbers with no name. Each chart is now a
    figure named by its title, subtitle and axis titles, in the page's language."""
    pg = _visit(page, open_app, path, lang=lang)
    pg.wait_for_function(TITLES_DRAWN, timeout=15_000)
    pg.wait_for_timeout(300)
    figures = pg.evaluate(FIGURE_NAMES)
    assert len(figures) >= 3, figures
    for role, label, title in figures:
        assert role == "figure" and label.startswith(start + title) and axes in label, (label, title)
