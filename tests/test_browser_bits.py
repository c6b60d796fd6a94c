"""Bits and Grid pages in a real browser (Playwright + Debian Chromium, fixtures from conftest.py).

Skips only where Chromium is not installed (the ``browser`` fixture says why); CI installs it.
Screenshots land in test-output/ (bits-en.png, bits-zh.png, grid-en.png, grid-zh.png ...).
"""

import re

import pytest

from lib.i18n import t


def close_dialogs(page) -> None:
    """Close a modal dialog if one is open (Streamlit has shown a spurious "Page not found" on some
    deep links such as /bits?lang=zh; the page itself still runs). Reported to the shell owner."""
    dialog = page.locator('[role="dialog"]')
    if dialog.count():
        page.keyboard.press("Escape")
        dialog.first.wait_for(state="detached", timeout=5_000)


def tall_screenshot(page, screenshot, name: str, height: int = 2200) -> None:
    """Streamlit scrolls inside its own container, so a full-page shot is one viewport: grow it."""
    page.set_viewport_size({"width": 1400, "height": height})
    page.wait_for_timeout(700)
    screenshot(page, name)
    page.set_viewport_size({"width": 1400, "height": 1000})


def stored_value(page) -> str:
    """The value of the "Stored value"/"存储值" metric, as shown."""
    metric = page.locator('[data-testid="stMetric"]').first
    return metric.locator('[data-testid="stMetricValue"]').inner_text().strip()


def bit_button(page, position: int):
    """The bit button at ``position``. A button with hover text is drawn twice by Streamlit (1.67): one
    inside the tooltip target and a plain one for narrow screens, of which only one is displayed."""
    return page.locator(f".st-key-bits_bit_{position} button:visible")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hovering_a_bit_explains_it_and_a_flip_says_what_changed(open_app, wait_idle, screenshot,
                                                                 exception_count, lang):
    page = open_app("bits", lang=lang, bits_mode="code", bits_code="0x38")  # 1.0 in float8_e4m3fn
    close_dialogs(page)
    bit_button(page, 6).hover()
    tip = page.locator('[data-testid="stTooltipContent"]')
    tip.first.wait_for()
    assert tip.first.inner_text().strip() == t("bits.help_exponent", lang, bit=6, weight=8, scale="2^(E - 7)")
    screenshot(page, f"bits-{lang}-hover")
    bit_button(page, 6).click()
    wait_idle(page)
    assert stored_value(page) == "256"
    line = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text="0x78")
    expected = {"en": "Flipped bit 6: 0x38 (1) → 0x78 (256), × 2^8 = 256.",
                "zh": "翻转第 6 位：0x38（1）→ 0x78（256），× 2^8 = 256。"}[lang]
    assert line.inner_text().strip().endswith(expected)  # after the icon's name
    assert exception_count(page) == 0
    screenshot(page, f"bits-{lang}-flipped")


def test_clicking_a_bit_changes_the_stored_value(open_app, wait_idle, screenshot, exception_count):
    page = open_app("bits", bits_number="0.1")
    close_dialogs(page)
    assert exception_count(page) == 0
    assert stored_value(page) == "0.1015625"
    colour = lambda pos: bit_button(page, pos).evaluate(  # noqa: E731
        "b => getComputedStyle(b).backgroundColor")
    assert colour(7) == "rgb(213, 94, 0)"  # sign #D55E00 (Okabe–Ito)
    assert colour(5) == "rgb(0, 114, 178)"  # exponent #0072B2
    assert colour(0) == "rgb(0, 158, 115)"  # mantissa #009E73
    tall_screenshot(page, screenshot, "bits-en")
    bit_button(page, 7).click()  # the sign bit
    wait_idle(page)
    assert stored_value(page) == "-0.1015625"
    assert bit_button(page, 7).inner_text().strip() == "1"
    assert re.search(r"bits_code=0x9D", page.url)
    digit = lambda pos: bit_button(page, pos).evaluate("b => getComputedStyle(b).color")  # noqa: E731
    assert (digit(7), digit(5), digit(0)) == ("rgb(0, 0, 0)", "rgb(255, 255, 255)", "rgb(0, 0, 0)")  # ≥ 4.5:1 each
    # a screen reader heard "1 button, 0 button, ...": each bit's name says the bit, its role and weight
    assert page.get_by_role("button", name="1: Bit 7: sign (1 = negative). Click to flip.", exact=True).count() == 1
    assert page.get_by_role("button", name=re.compile(r"^1: Bit 3: exponent, weight 1 in the stored exponent")).count() == 1
    bit_button(page, 3).click()  # lowest exponent bit: 0x9D -> 0x95
    wait_idle(page)
    assert stored_value(page) == "-0.05078125"  # 1 0010 101: -2^(2-7) × 13/8
    assert page.get_by_role("button", name=re.compile(r"^0: Bit 3: exponent")).count() == 1  # the name follows
    assert exception_count(page) == 0
    tall_screenshot(page, screenshot, "bits-en-flipped")


def test_typing_a_number_in_chinese(open_app, wait_idle, screenshot, exception_count):
    page = open_app("bits", lang="zh")
    close_dialogs(page)
    assert page.get_by_text("位级布局").first.is_visible()
    box = page.locator(".st-key-bits_number input")
    box.fill("448")
    box.press("Enter")
    wait_idle(page)
    assert stored_value(page) == "448"
    box.fill("abc")
    box.press("Enter")
    wait_idle(page)
    assert page.get_by_text("无法把“abc”识别为数字").is_visible()
    assert exception_count(page) == 0
    box.fill("1/3")
    box.press("Enter")
    wait_idle(page)
    assert stored_value(page) == "0.34375"
    tall_screenshot(page, screenshot, "bits-zh")
    page.get_by_role("tab", name=t("bits.walk_title", "zh")).click()
    page.get_by_text("0.(01)").first.wait_for()  # 1/3 = 0.010101... in binary
    tall_screenshot(page, screenshot, "bits-zh-walk")


def test_float32_cells_and_custom_error(open_app, screenshot, exception_count):
    page = open_app("bits", bits_format="float32", bits_number="pi")
    close_dialogs(page)
    assert stored_value(page) == "3.141592741"
    assert page.locator('[class*="st-key-bits_bit_"] button:visible').count() == 32
    tall_screenshot(page, screenshot, "bits-float32")
    page = open_app("bits", bits_format="custom", bits_exp="0", bits_man="3")
    close_dialogs(page)
    assert page.get_by_text("at least 1 exponent bit").is_visible()
    assert exception_count(page) == 0


@pytest.mark.parametrize(("lang", "fmt", "scale", "points"), [
    ("en", "float8_e4m3fn", "linear", 253),  # every finite value
    ("zh", "float16", "log", 32),  # one marker per positive binade (30 normal + subnormals) and max
])
def test_grid_page_renders_plotly(open_app, screenshot, exception_count, lang, fmt, scale, points):
    page = open_app("grid", lang=lang, grid_format=fmt, grid_scale=scale)
    close_dialogs(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .trace", timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 5
    assert page.locator(".js-plotly-plot").first.locator("path.point").count() == points
    assert exception_count(page) == 0
    if lang == "zh":
        assert page.get_by_text(t("grid.title", "zh")).is_visible()
    tall_screenshot(page, screenshot, f"grid-{lang}-{fmt}-{scale}")
