"""Shared test fixtures: AppTest helpers and a real browser against a real ``streamlit run``.

AppTest (fast, no browser)
    ``apptest(page=None, lang="en", **query)`` -> an ``AppTest`` of app.py after its first run,
    switched to ``pages/<page>.py`` when ``page`` is given (the language and any other query
    parameters come from the URL, as for a shared link). Example::

        def test_bits_title(apptest):
            at = apptest("bits", lang="zh", bits_format="float16")
            assert not at.exception
            at.selectbox(key="bits_format").set_value("int8").run()

Browser (Playwright + Debian Chromium, headless)
    ``app_url``     session: starts ``streamlit run app.py --server.headless true`` on a free port,
                    waits for /_stcore/health, yields "http://127.0.0.1:<port>"; the server log is
                    test-output/streamlit.log.
    ``fresh_app_url`` function: the same, but a new server for one test (first-visit behaviour).
    ``browser``     session: Chromium from /usr/bin/chromium (override: env LOWBIT_CHROMIUM). Tests
                    that use it SKIP, saying why, only when that file does not exist (CI installs it).
    ``page``        function: a fresh browser context + page (1400x1000), closed after the test.
    ``open_app``    function: ``open_app("grid", lang="zh", grid_format="int8") -> page`` loads
                    /grid?lang=zh&grid_format=int8 and waits until the script run has finished
                    and its charts are drawn. "bits" (the default page) is served at "/".
    ``wait_idle``   function: ``wait_idle(page)`` after a click/fill: waits for the rerun to finish.
    ``wait_loaded`` function: ``wait_loaded(page)`` after your own ``page.goto(url)``.
    ``screenshot``  function: ``screenshot(page, "bits-zh")`` saves test-output/bits-zh.png.
    ``exception_count(page)`` (fixture returning a function): number of Streamlit exception boxes.

Page owners: write page-specific browser checks in your own test files with these fixtures.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import sync_playwright
except ImportError:  # only the browser fixtures need it; they say so when used
    PlaywrightTimeout = TimeoutError  # type: ignore[misc,assignment]
    sync_playwright = None  # type: ignore[assignment]

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
OUTPUT = ROOT / "test-output"
CHROMIUM = os.environ.get("LOWBIT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = ["bits", "grid", "quantize", "compare"]
DEFAULT_PAGE = "bits"  # served at "/" (and only there)
APPTEST_TIMEOUT = 30.0  # seconds per script run (the 2-core CI box is slow on first imports)


# --------------------------------------------------------------------------------------- AppTest
@pytest.fixture
def apptest() -> Callable[..., Any]:
    """Factory: ``apptest(page=None, lang="en", **query)`` -> AppTest after the run(s)."""
    from streamlit.testing.v1 import AppTest

    def make(page: str | None = None, lang: str = "en", **query: Any) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=APPTEST_TIMEOUT)
        at.query_params["lang"] = lang
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page is not None and page != "bits":  # bits is the default page
            at.switch_page(f"pages/{page}.py").run()
        return at

    return make


# --------------------------------------------------------------------------------------- server
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s:\n{log.read_text()[-3000:]}")


@contextmanager
def _serve(log_name: str = "streamlit.log") -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free port until the block ends; yields its base URL."""
    OUTPUT.mkdir(exist_ok=True)
    port = _free_port()
    log = OUTPUT / log_name
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base URL of a real ``streamlit run app.py`` on a free local port (stopped at session end)."""
    with _serve() as url:
        yield url


@pytest.fixture
def fresh_app_url() -> Iterator[str]:
    """Like ``app_url`` but a new server for this test only (e.g. to test the very first visit)."""
    with _serve("streamlit-fresh.log") as url:
        yield url


# --------------------------------------------------------------------------------------- browser
@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium driven by Playwright; skipped (with the reason) if not installed."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(
            f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium); "
            "not installed here. CI installs it, so CI runs these tests."
        )
    if sync_playwright is None:
        pytest.fail("playwright is not installed: pip install -r requirements-test.txt")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember each phase's report on the test item, so fixtures can see whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh context and page for one test (no shared cookies or session).

    When the test fails, the page is saved as test-output/FAILED-<test>.png, with the text of
    any open dialog in test-output/FAILED-<test>.txt, to see what the browser showed.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    pg = context.new_page()
    try:
        yield pg
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            name = re.sub(r"[^\w.-]+", "_", request.node.name)
            OUTPUT.mkdir(exist_ok=True)
            try:
                pg.screenshot(path=str(OUTPUT / f"FAILED-{name}.png"), full_page=True)
                dialogs = pg.locator('[role="dialog"]')
                texts = [dialogs.nth(i).inner_text(timeout=2_000) for i in range(dialogs.count())]
                (OUTPUT / f"FAILED-{name}.txt").write_text(f"url: {pg.url}\ndialogs: {texts}\n")
            except Exception as err:  # noqa: BLE001 - diagnostics must not hide the real failure
                (OUTPUT / f"FAILED-{name}.txt").write_text(f"no screenshot: {err}\n")
        context.close()


IDLE = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'
# Lazily loaded elements (plotly, select boxes...) show a skeleton until their code has loaded.
CHARTS_DRAWN = """() => !document.querySelector('[data-testid="stApp"] [data-testid="stSkeleton"]')
    && [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
       .every(c => c.querySelector('.js-plotly-plot .main-svg'))"""


def _wait_idle(pg: Any, timeout_ms: int = 30_000, start_ms: int = 1_500) -> None:
    """After an interaction: wait for the rerun to start (up to ``start_ms``; a very fast run may
    already be over), then for the connected app to have no script running."""
    try:
        pg.wait_for_selector(RUNNING, state="attached", timeout=start_ms)
    except PlaywrightTimeout:
        pass
    pg.wait_for_selector(IDLE, state="attached", timeout=timeout_ms)
    pg.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)  # plotly draws after the run ends
    pg.wait_for_timeout(200)  # the last delta messages are painted after the state flips


def _wait_loaded(pg: Any, timeout_ms: int = 30_000) -> None:
    """After ``goto``: wait until the first run has drawn the page title and finished, and every
    plotly chart on the page has been drawn."""
    pg.wait_for_selector('[data-testid="stMain"] h1', state="attached", timeout=timeout_ms)
    pg.wait_for_selector(IDLE, state="attached", timeout=timeout_ms)
    pg.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
    pg.wait_for_timeout(200)


@pytest.fixture
def wait_idle() -> Callable[..., None]:
    """``wait_idle(page)``: block until the current script run has finished."""
    return _wait_idle


@pytest.fixture
def wait_loaded() -> Callable[..., None]:
    """``wait_loaded(page)``: after ``page.goto(...)``, block until the first run has finished."""
    return _wait_loaded


@pytest.fixture
def open_app(page: Any, app_url: str) -> Callable[..., Any]:
    """``open_app(path="", **query) -> page``: load app_url/path?query and wait for the run."""

    def go(path: str = "", **query: Any) -> Any:
        # The default page (bits) lives at "/" (app.py also serves it at /bits, via a hidden alias).
        url = f"{app_url}/{'' if path == DEFAULT_PAGE else path}"
        if query:
            url += "?" + urlencode(query, doseq=True)
        page.goto(url)
        _wait_loaded(page)
        return page

    return go


@pytest.fixture
def screenshot() -> Callable[[Any, str], Path]:
    """``screenshot(page, name)`` -> test-output/<name>.png (full page)."""

    def take(pg: Any, name: str) -> Path:
        OUTPUT.mkdir(exist_ok=True)
        path = OUTPUT / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def exception_count() -> Callable[[Any], int]:
    """``exception_count(page)``: how many Streamlit exception boxes (tracebacks) are shown."""
    return lambda pg: pg.locator('[data-testid="stException"]').count()
