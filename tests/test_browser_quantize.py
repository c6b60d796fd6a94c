"""Real browser: upload a .npy on the Quantize page and see the histogram (a plotly chart) drawn,
in both languages; screenshots of both pages go to test-output/ for a human look."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lib.i18n import t


def _npy(tmp_path: Path) -> Path:
    x = np.random.default_rng(2).standard_t(3, size=(128, 96)).astype(np.float32)
    path = tmp_path / "weights.npy"
    buf = io.BytesIO()
    np.save(buf, x)
    path.write_bytes(buf.getvalue())
    return path


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_upload_npy_draws_histogram(open_app: Any, wait_idle: Any, screenshot: Any, exception_count: Any,
                                    tmp_path: Path, lang: str) -> None:
    pg = open_app("quantize", lang=lang)
    pg.get_by_text(t("io.source.upload", lang), exact=True).click()
    wait_idle(pg)
    pg.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(_npy(tmp_path)))
    wait_idle(pg)
    pg.wait_for_selector(".js-plotly-plot", timeout=30_000)
    pg.wait_for_timeout(800)  # plotly paints after the element appears
    assert exception_count(pg) == 0
    assert pg.locator('[data-testid="stAlertContentError"]').count() == 0
    title = t("quant.chart.hist_title", lang)
    assert pg.locator(".js-plotly-plot").filter(has_text=title).count() == 1
    assert pg.locator(".js-plotly-plot .bars path").count() > 10  # histogram bars really drawn
    assert pg.get_by_text("weights.npy").count() >= 1
    screenshot(pg, f"quantize-upload-{lang}")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_compare_page_renders(open_app: Any, screenshot: Any, exception_count: Any, lang: str) -> None:
    pg = open_app("compare", lang=lang)
    pg.wait_for_selector(".js-plotly-plot", timeout=60_000)
    pg.wait_for_timeout(800)
    assert exception_count(pg) == 0
    assert pg.locator(".js-plotly-plot").count() == 3
    assert pg.locator(".js-plotly-plot").filter(has_text=t("cmp.chart.pareto_title", lang)).count() == 1
    screenshot(pg, f"compare-{lang}")


def test_block_walk_through_reopens_from_a_link_and_jumps_to_the_peak(
        open_app: Any, wait_idle: Any, screenshot: Any, exception_count: Any) -> None:
    """A shared link to block 5 of q4_0 opens that block; the peak button moves to the block
    holding the largest |x| and writes it back to the URL."""
    from lib.synthetic import synthetic

    pg = open_app("quantize", lang="en", quant_format="q4_0", quant_blk=5)
    pg.get_by_text(t("qb.title", "en", fmt="q4_0")).click()
    wait_idle(pg)
    where = t("qb.where", "en", index=5, total=8192, line=0, start=160, stop=191, axis=1)
    pg.get_by_text(where).wait_for(timeout=30_000)
    pg.get_by_role("button", name=t("qb.largest", "en")).click()
    wait_idle(pg)
    peak = int(np.argmax(np.abs(synthetic("llm_like", 262_144, seed=0)))) // 32
    where = t("qb.where", "en", index=peak, total=8192, line=peak // 8, start=peak % 8 * 32,
              stop=peak % 8 * 32 + 31, axis=1)
    pg.get_by_text(where).wait_for(timeout=30_000)
    assert f"quant_blk={peak}" in pg.url
    assert exception_count(pg) == 0
    screenshot(pg, "quantize-block-walk")


def test_block_table_position_header_stays_on_one_line_in_chinese(open_app: Any, wait_idle: Any,
                                                                   exception_count: Any) -> None:
    """At 1024 px (a projector) the narrow position column broke "位置" into two lines of one character."""
    pg = open_app("quantize", lang="zh", quant_format="q4_0")
    pg.set_viewport_size({"width": 1024, "height": 900})
    pg.get_by_text(t("qb.title", "zh", fmt="q4_0")).click()
    wait_idle(pg)
    head = pg.locator('.st-key-quant_blk_elements th').first
    head.wait_for(timeout=30_000)
    assert head.inner_text().strip() == t("qb.col.pos", "zh")
    line = pg.locator('.st-key-quant_blk_elements td').first  # one line of text: "0"
    assert head.locator("p").bounding_box()["height"] <= line.locator("p").bounding_box()["height"] * 1.5
    assert exception_count(pg) == 0


_LINES = """cells => cells.map(c => {  // lines of text in each cell: distinct tops of its text's line boxes
    const tops = new Set(), walk = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
        const r = document.createRange(); r.selectNodeContents(n);
        for (const b of r.getClientRects()) tops.add(Math.round(b.top));
    }
    return tops.size; })"""


def test_metric_values_stay_on_one_line(open_app: Any, wait_idle: Any, exception_count: Any) -> None:
    """A cosine of "1 − 3.8e-05" broke into "1 − 3.8e-" and "05" in the metrics table at 1400 px."""
    pasted = ", ".join(str(v) for v in range(1, 300))  # int8 absmax: cosine 1 − 1.1e-05
    pg = open_app("quantize", lang="en", quant_source="paste", quant_paste=pasted)
    table = pg.locator(".st-key-quant_metrics")
    table.wait_for(timeout=30_000)
    values = table.locator("td:nth-child(2)")
    texts = [v.inner_text() for v in values.all()]
    assert any(v.startswith("1 − ") for v in texts), texts
    assert values.evaluate_all(_LINES) == [1] * len(texts), texts  # a metric's name may wrap, its value not
    assert exception_count(pg) == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_file_uploader_speaks_the_page_language(open_app: Any, lang: str) -> None:
    """Streamlit's own "Upload" and "200MB per file" stayed English on the Chinese page."""
    pg = open_app("quantize", lang=lang, quant_source="upload")
    zone = pg.locator('.st-key-quant_file [data-testid="stFileUploaderDropzone"]')
    zone.wait_for(timeout=30_000)
    after = """e => { const s = getComputedStyle(e, '::after');
        return [s.content, getComputedStyle(e).fontSize]; }"""
    button = zone.locator("button p").evaluate(after)
    limit = zone.locator('[data-testid="stFileUploaderDropzoneInstructions"] span').evaluate(after)
    # its accessible name is the page's word alone (a screen reader read "Upload选择文件")
    assert zone.get_by_role("button", name=t("st.upload_button", lang), exact=True).count() == 1
    if lang == "zh":
        assert (button, limit) == (['"选择文件"', "0px"], ['"每个文件最多 200 MB"', "0px"])
    else:  # untouched: Streamlit's own English text, shown
        assert button[0] == "none" and limit[0] == "none" and button[1] != "0px"
        assert zone.locator("button p").inner_text() == "Upload"
    pg.get_by_text(t("io.source.paste", lang), exact=True).first.click()  # a text area: "Press Ctrl+Enter to apply"
    area = pg.locator('[data-testid="stSidebar"] textarea').first
    area.wait_for(timeout=30_000)
    area.click()
    area.press("End")
    area.type(", 5")
    hint = pg.locator('.stTextArea [data-testid="InputInstructions"] span').first
    hint.wait_for(state="attached", timeout=10_000)
    shown = hint.evaluate(after)
    assert shown == (['"按 Ctrl+Enter（Mac：⌘+Enter）应用"', "0px"] if lang == "zh" else ["none", "12px"])


def test_the_parameter_box_stays_open_while_its_values_change(open_app: Any, wait_idle: Any) -> None:
    """It snapped shut whenever every value was back at its default (its expanded flag followed them)."""
    pg = open_app("quantize", quant_dist="normal")
    details = pg.locator(".st-key-quant_p_box details")
    assert details.get_attribute("open") is None  # nothing changed: closed
    pg.locator(".st-key-quant_p_box summary").click()
    wait_idle(pg)
    steppers = pg.locator(".st-key-quant_p_normal_scale button")
    for button, value in ((steppers.last, "1.1"), (steppers.first, "1.0")):  # +, then - back to the default
        button.click()
        wait_idle(pg)
        assert f"quant_p_normal_scale={value}" in pg.url
        assert details.get_attribute("open") is not None


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_arrow_keys_walk_the_chart_tabs_and_keep_the_focus(open_app: Any, wait_idle: Any, lang: str) -> None:
    """After → in a tab bar the focus fell to the page (the tab bar was rebuilt with a new default):
    a keyboard user could not reach the third tab."""
    pg = open_app("quantize", lang=lang)
    pg.locator('[role="tab"][aria-selected="true"]').first.focus()
    walk = [("ArrowRight", "usage"), ("ArrowRight", "error"), ("ArrowRight", "heat"),
            ("ArrowLeft", "error"), ("ArrowLeft", "usage"), ("ArrowLeft", "hist")] * 2  # it failed 1 in 4-20 keys
    for key, name in walk:
        pg.keyboard.press(key)
        wait_idle(pg)
        pg.wait_for_timeout(150)  # the moment the tab bar dropped the focus, after the rerun
        assert pg.evaluate("document.activeElement.getAttribute('role')") == "tab", (key, name)
        assert pg.evaluate("document.activeElement.innerText").strip() == t(f"quant.tab.{name}", lang)
    assert "quant_tab=hist" in pg.url


def test_upload_and_settings_survive_a_visit_to_compare(open_app: Any, wait_idle: Any, screenshot: Any,
                                                        exception_count: Any, tmp_path: Path) -> None:
    """Through the sidebar links, as a student clicks: Compare uses the file uploaded on Quantize,
    and Quantize comes back with its file and format (Streamlit forgot both before)."""
    pg = open_app("quantize", quant_format="int4")
    pg.get_by_text(t("io.source.upload", "en"), exact=True).click()
    wait_idle(pg)
    pg.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(_npy(tmp_path)))
    wait_idle(pg)
    pg.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.compare", "en")).click()
    wait_idle(pg)
    pg.wait_for_selector(".js-plotly-plot", timeout=60_000)
    kept = t("io.upload_kept", "en", name="weights.npy")
    assert pg.get_by_text(kept).count() == 1
    assert pg.get_by_text(t("quant.data.upload_first", "en")).count() == 0
    screenshot(pg, "compare-kept-upload")
    pg.locator('[data-testid="stSidebarNavLink"]', has_text=t("nav.quantize", "en")).click()
    wait_idle(pg)
    pg.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert pg.get_by_text(kept).count() == 1 and exception_count(pg) == 0
    assert "quant_source=upload" in pg.url and "quant_format=int4" in pg.url


def _download(pg: Any, label: str, tmp_path: Path) -> Path:
    with pg.expect_download(timeout=60_000) as info:
        pg.get_by_role("button", name=label).click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(str(path))
    return path


def test_downloads_give_the_shown_result_also_after_the_cache_let_it_go(
        open_app: Any, browser: Any, app_url: str, wait_loaded: Any, exception_count: Any,
        tmp_path: Path) -> None:
    """The codes and x̂ downloads hold the result only weakly (holding it kept old results alive):
    they give the result on screen while it is cached, and the same numbers after another user's
    runs pushed it out of the shared cache (three entries) and it is built again."""
    from lib.quantize import quantize
    from lib.synthetic import synthetic

    shown = quantize(synthetic("llm_like", 262_144, seed=7), "int8")  # the page's default choice
    pg = open_app("quantize", lang="en", quant_seed=7)
    codes = _download(pg, t("quant.download.codes", "en"), tmp_path)
    assert codes.name == "llm_like_seed7_int8_absmax_codes.npz"  # the seed: seeds 7 and 8 gave one name
    with np.load(codes) as z:
        assert np.array_equal(z["codes"], shown.codes) and np.array_equal(z["scale"], shown.scale)
    other = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        for fmt in ("int4", "float8_e4m3fn", "uint8", "nf4"):
            other.goto(f"{app_url}/quantize?lang=en&quant_seed=8&quant_format={fmt}")
            wait_loaded(other, 60_000)
    finally:
        other.close()
    deq = np.load(_download(pg, t("quant.download.dequant", "en"), tmp_path), allow_pickle=False)
    assert deq.dtype == np.float32 and np.array_equal(deq, shown.dequantized)
    with np.load(_download(pg, t("quant.download.codes", "en"), tmp_path)) as z:
        assert np.array_equal(z["codes"], shown.codes)
    assert exception_count(pg) == 0


def test_axis_of_a_5d_upload_survives_a_visit_to_another_page(
        open_app: Any, wait_idle: Any, screenshot: Any, exception_count: Any, tmp_path: Path) -> None:
    """A 5-D file asks which axis holds the channels. After the choice, a visit to Bits and back
    kept the file but showed the question again ("Choose an option", in English) with no results,
    and the log-count toggle was off again."""
    path = tmp_path / "fivedim.npy"
    np.save(path, np.random.default_rng(0).standard_normal((2, 3, 4, 5, 6)).astype(np.float32))
    pg = open_app("quantize", lang="zh", quant_source="upload")
    pg.locator('[data-testid="stSidebar"] input[type="file"]').set_input_files(str(path))
    wait_idle(pg)
    box = pg.locator('[data-testid="stSelectbox"]').filter(has_text=t("io.axis_label", "zh"))
    box.wait_for(timeout=30_000)
    assert box.locator("input").get_attribute("placeholder") == t("io.axis_placeholder", "zh")
    box.locator("input").click()
    option = t("io.axis_option", "zh", axis=3, n=5)  # 轴 3（长度 5）
    pg.get_by_role("option", name=option).click()
    wait_idle(pg)
    pg.wait_for_selector(".js-plotly-plot", timeout=30_000)
    pg.get_by_text(t("quant.log_y", "zh"), exact=True).click()
    wait_idle(pg)
    assert "quant_logy=True" in pg.url and "quant_ndaxis=3" in pg.url
    pg.locator('[data-testid="stSidebarNav"] a[href$="/grid"]').first.click()
    wait_idle(pg)
    pg.locator('[data-testid="stSidebarNav"] a[href$="/quantize"]').first.click()
    wait_idle(pg)
    pg.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert box.locator("input").input_value() == option or option in box.inner_text()
    assert pg.locator("label").filter(has_text=t("quant.log_y", "zh")).locator("input").is_checked()
    assert exception_count(pg) == 0 and pg.locator('[data-testid="stAlertContentError"]').count() == 0
    screenshot(pg, "quantize-5d-after-visit")
