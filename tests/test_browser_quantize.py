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
