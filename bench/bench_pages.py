"""Page speed and chart size, measured with Streamlit's AppTest (no browser).

    python bench/bench_pages.py            # full run (~1-2 min on 2 cores)
    python bench/bench_pages.py --quick    # fewer repeats

Prints, per page:
  * the median time of one AppTest rerun after a widget change (the script run the server does
    when a student changes a setting), and its ratio to a baseline measured in the same run: a
    minimal page (page_setup + a title + one text box) rerun after a change, i.e. Streamlit's own
    cost per rerun on this machine;
  * Quantize at 1M values: rerun after a format change when the result is already cached (the
    student toggles back) and when it must be computed (cache cleared first);
  * Compare: the first run of the default comparison on 1M values, caches cleared;
  * the JSON size of every plotly chart the page sends (what the browser downloads).
Targets: rerun <= 100 ms (Bits, Grid), <= 150 ms at 1M values (Quantize), default Compare run on
1M values <= 3 s, every chart <= 100 KB.
  * a 50M-value float32 .npy taken through the Quantize page's pipeline (upload bytes -> load ->
    prepare -> int8 per-channel absmax -> metrics -> every chart), in a fresh child process: its
    peak resident memory (target <= 1.2 GB), and that peak over the .npy's own size.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # a script, not a page: make `import ui` / `import lib` work from anywhere

import streamlit as st  # noqa: E402
from streamlit.testing.v1 import AppTest  # noqa: E402

APP = str(ROOT / "app.py")
MILLION = 1_048_576
TIMEOUT = 120.0
TARGET_MS = {"bits": 100.0, "grid": 100.0, "quantize": 150.0}
CHART_LIMIT = 100_000


def _baseline_script() -> None:
    import streamlit as st

    import ui

    ui.page_setup("bits")
    st.title(ui.tr("nav.bits"))
    st.text_input("x", key="base_x")


def _open(page: str, **query: Any) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page != "bits":
        at.switch_page(f"pages/{page}.py").run()
    _check(at, page)
    return at


def _check(at: AppTest, what: str) -> None:
    if at.exception:
        raise SystemExit(f"{what}: exception in the page: {[e.value for e in at.exception]}")


def _timed_reruns(at: AppTest, change: Callable[[AppTest, int], None], repeats: int,
                  before: Callable[[], None] | None = None) -> float:
    """Median ms of ``at.run()`` after ``change(at, i)``; ``before()`` (untimed) runs first."""
    times = []
    for i in range(repeats):
        change(at, i)
        if before is not None:
            before()
        t0 = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - t0) * 1000)
        _check(at, "rerun")
    return statistics.median(times)


def _clear_caches() -> None:
    st.cache_data.clear()
    st.cache_resource.clear()


def _charts(at: AppTest) -> list[tuple[str, int]]:
    """(title, JSON bytes) of every plotly chart in the last run."""
    out = []
    for element in at.get("plotly_chart"):
        spec = element.proto.spec
        title = json.loads(spec).get("layout", {}).get("title", {})
        text = title.get("text", "") if isinstance(title, dict) else str(title)
        out.append((text or "(untitled)", len(spec.encode("utf-8"))))
    return out


def _alternate(widget: str, key: str, values: list[Any]) -> Callable[[AppTest, int], None]:
    def change(at: AppTest, i: int) -> None:
        getattr(at, widget)(key=key).set_value(values[(i + 1) % len(values)])

    return change


BIG_N = 50_000_000
PEAK_LIMIT_GB = 1.2


def _peak_50m_child() -> None:
    """Child process: the Quantize page's pipeline on a 50M-value .npy upload; prints peak RSS."""
    import resource

    import numpy as np

    from lib.charts_quant import quant_figures
    from lib.compare import Choice
    from lib.data_source import Source, load, prepare
    from lib.quantize import quantize

    upload = Path(sys.argv[-1]).read_bytes()  # what Streamlit holds for an uploaded file
    t0 = time.perf_counter()
    src = Source("upload", file_name="weights.npy", file_key="bench")
    name, tensor = next(iter(load(src, upload).items()))
    x = prepare(tensor.values, name)
    choice = Choice("int8", "absmax", "channel", None, 99.9, "saturate", "nearest_even")
    r = quantize(x, **choice.kwargs(0))
    sqnr = r.metrics["sqnr_db"]
    figs = quant_figures(x, r, choice, 0, "en")
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    print(json.dumps({"peak": peak, "npy": len(upload), "seconds": seconds, "sqnr": float(sqnr),
                      "charts": len(figs)}))


def _peak_50m() -> dict[str, float]:
    """Writes the 50M-value .npy here, so the child's peak is the page pipeline's, not the maker's."""
    import subprocess
    import tempfile

    import numpy as np

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "weights.npy"
        np.save(path, np.random.default_rng(0).standard_normal((BIG_N // 5000, 5000), dtype=np.float32))
        out = subprocess.run([sys.executable, __file__, "--peak-50m-child", str(path)], capture_output=True,
                             text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--peak-50m-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("npy", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_50m_child:
        _peak_50m_child()
        return
    n = 5 if args.quick else 15
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    rows: list[tuple[str, float, str]] = []
    base_at = AppTest.from_function(_baseline_script, default_timeout=TIMEOUT).run()
    _timed_reruns(base_at, _alternate("text_input", "base_x", ["a", "b"]), 3)  # warm-up
    baseline = _timed_reruns(base_at, _alternate("text_input", "base_x", ["a", "b"]), n)
    rows.append(("baseline: minimal page, text change", baseline, ""))

    charts: dict[str, list[tuple[str, int]]] = {}

    at = _open("bits")
    change = _alternate("text_input", "bits_number", ["0.1", "-2.5e-3", "1/3", "pi"])
    _timed_reruns(at, change, 4)
    rows.append(("bits: type a number", _timed_reruns(at, change, n), "bits"))
    change = _alternate("selectbox", "bits_format", ["float8_e4m3fn", "bfloat16", "int8", "float4_e2m1fn"])
    _timed_reruns(at, change, 4)
    rows.append(("bits: switch format", _timed_reruns(at, change, n), "bits"))
    charts["bits"] = _charts(at)

    at = _open("grid")
    change = _alternate("selectbox", "grid_format", ["float8_e4m3fn", "int8", "float4_e2m1fn", "bfloat16"])
    _timed_reruns(at, change, 4)
    rows.append(("grid: switch format (cached figures)", _timed_reruns(at, change, n), "grid"))
    rows.append(("grid: switch format (caches cleared)",
                 _timed_reruns(at, change, max(3, n // 3), before=_clear_caches), "grid"))
    charts["grid"] = _charts(at)

    at = _open("quantize", quant_size=str(MILLION))
    assert at.session_state["quant_size"] == MILLION, "quantize did not take the 1M size from the URL"
    change = _alternate("selectbox", "quant_format", ["int8", "float8_e4m3fn"])
    _timed_reruns(at, change, 2)
    rows.append(("quantize 1M: switch format (cached result)", _timed_reruns(at, change, n), "quantize"))
    rows.append(("quantize 1M: switch format (computed)",
                 _timed_reruns(at, change, max(3, n // 3), before=_clear_caches), "quantize"))
    charts["quantize"] = _charts(at)

    compare_times = []
    for _ in range(3):
        _clear_caches()
        at = AppTest.from_file(APP, default_timeout=TIMEOUT)
        at.query_params["cmp_size"] = str(MILLION)
        at.run()
        at.switch_page("pages/compare.py")
        t0 = time.perf_counter()
        at.run()
        compare_times.append((time.perf_counter() - t0) * 1000)
        _check(at, "compare")
        assert at.session_state["cmp_size"] == MILLION, "compare did not take the 1M size from the URL"
    compare_ms = statistics.median(compare_times)
    charts["compare"] = _charts(at)

    print(f"\nAppTest rerun after a widget change (median of {n}; Python {sys.version.split()[0]}, "
          f"streamlit {st.__version__})")
    print(f"{'case':46} {'ms':>8} {'x baseline':>11} {'target':>8}")
    for name, ms, page in rows:
        target = f"{TARGET_MS[page]:.0f}" if page in TARGET_MS else ""
        flag = "  OVER" if page in TARGET_MS and ms > TARGET_MS[page] else ""
        print(f"{name:46} {ms:8.1f} {ms / baseline:11.1f} {target:>8}{flag}")
    flag = "  OVER" if compare_ms > 3000 else ""
    print(f"{'compare 1M: default run, caches cleared':46} {compare_ms:8.1f} {compare_ms / baseline:11.1f} "
          f"{3000:>8}{flag}")

    big = _peak_50m()
    flag = "  OVER" if big["peak"] > PEAK_LIMIT_GB * 1e9 else ""
    print(f"\n50M-value .npy through load -> int8 per-channel -> metrics -> {big['charts']} charts: "
          f"peak RSS {big['peak'] / 1e9:.2f} GB (limit {PEAK_LIMIT_GB} GB){flag}, "
          f"{big['peak'] / big['npy']:.1f}x the .npy's {big['npy'] / 1e6:.0f} MB, "
          f"{big['seconds']:.1f} s, SQNR {big['sqnr']:.1f} dB")

    print(f"\nPlotly chart JSON per page (limit {CHART_LIMIT // 1000} KB each)")
    for page, items in charts.items():
        for title, size in items or [("(no charts)", 0)]:
            flag = "  OVER" if size > CHART_LIMIT else ""
            print(f"{page:9} {size / 1000:8.1f} KB  {title[:70]}{flag}")


if __name__ == "__main__":
    main()
