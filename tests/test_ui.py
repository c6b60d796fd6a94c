"""ui.py in small scripts run by AppTest: language, URL state, error display."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

import ui
from lib.i18n import t


def _url_script() -> None:
    import streamlit as st

    import ui

    ui.page_setup("grid")
    ui.url_default("t_fmt", "int8", choices=["int8", "int4", "float16"])
    ui.url_default("t_bits", 8, choices=[2, 4, 8], parse=int)
    ui.url_default("t_scale", 1.0, parse=float)
    ui.url_default("t_log", False, parse=ui.parse_bool)
    ui.url_default("t_many", ["int8"], choices=["int8", "int4", "nf4"])
    st.selectbox("fmt", ["int8", "int4", "float16"], key="t_fmt")
    st.select_slider("bits", [2, 4, 8], key="t_bits")
    st.number_input("scale", key="t_scale")
    st.checkbox("log", key="t_log")
    st.multiselect("many", ["int8", "int4", "nf4"], key="t_many")
    ui.sync_url("t_fmt", "t_bits", "t_scale", "t_log", "t_many")


def _run(script: Any, **query: Any) -> AppTest:
    at = AppTest.from_function(script, default_timeout=30)
    for key, value in query.items():
        at.query_params[key] = value
    return at.run()


def _values(at: AppTest) -> tuple[Any, ...]:
    return (at.selectbox(key="t_fmt").value, at.select_slider(key="t_bits").value,
            at.number_input(key="t_scale").value, at.checkbox(key="t_log").value,
            at.multiselect(key="t_many").value)


def test_url_defaults_without_params() -> None:
    at = _run(_url_script)
    assert not at.exception
    assert _values(at) == ("int8", 8, 1.0, False, ["int8"])
    # a session's first run leaves the URL as it came: each write before the history script runs in
    # the browser would add a Back step (ui._one_history_entry_per_page)
    assert at.query_params == {}
    at.run()  # the next run wrote every setting, so the URL alone reproduces the view
    assert at.query_params == {"t_fmt": "int8", "t_bits": "8", "t_scale": "1.0", "t_log": "False",
                               "t_many": "int8"}


def test_url_params_seed_the_widgets() -> None:
    at = _run(_url_script, t_fmt="float16", t_bits="4", t_scale="0.25", t_log="true", t_many=["int4", "nf4"])
    assert not at.exception
    assert _values(at) == ("float16", 4, 0.25, True, ["int4", "nf4"])


@pytest.mark.parametrize(
    "query",
    [
        {"t_fmt": "int3"},           # not a choice
        {"t_bits": "5"},             # parses, not a choice
        {"t_bits": "eight"},         # does not parse
        {"t_scale": "abc"},
        {"t_log": "maybe"},
        {"t_many": ["int8", "fp99"]},  # one bad entry rejects the list
    ],
)
def test_invalid_params_fall_back_to_defaults(query: dict[str, Any]) -> None:
    at = _run(_url_script, **query)
    assert not at.exception
    assert _values(at) == ("int8", 8, 1.0, False, ["int8"])


def test_widget_change_updates_url_and_link_reopens_it() -> None:
    at = _run(_url_script)
    at.selectbox(key="t_fmt").set_value("int4").run()
    at.select_slider(key="t_bits").set_value(2).run()
    at.multiselect(key="t_many").set_value(["nf4", "int8"]).run()
    assert at.query_params["t_fmt"] == "int4"
    assert at.query_params["t_bits"] == "2"
    assert at.query_params["t_many"] == ["nf4", "int8"]
    # a second session opened with that URL shows the same view
    shared = _run(_url_script, **at.query_params)
    assert _values(shared) == ("int4", 2, 1.0, False, ["nf4", "int8"])


def test_session_state_wins_over_url_after_first_run() -> None:
    at = _run(_url_script, t_fmt="int4")
    at.selectbox(key="t_fmt").set_value("float16").run()
    assert at.selectbox(key="t_fmt").value == "float16"


def test_parse_bool() -> None:
    assert [ui.parse_bool(s) for s in ("True", "1", "yes", "false", "0", "No")] == [True, True, True,
                                                                                   False, False, False]
    with pytest.raises(ValueError):
        ui.parse_bool("2")


def _lang_script() -> None:
    import streamlit as st

    import ui

    lang = ui.page_setup("quantize")
    st.title(ui.tr("nav.quantize"))
    st.text(lang)


@pytest.mark.parametrize(("param", "expected"), [(None, "en"), ("zh", "zh"), ("en", "en"), ("fr", "en")])
def test_language_from_url(param: str | None, expected: str) -> None:
    at = _run(_lang_script, **({"lang": param} if param else {}))
    assert not at.exception
    assert at.text[0].value == expected
    assert at.title[0].value == t("nav.quantize", expected)
    assert at.radio(key=ui.LANG_WIDGET_KEY).value == expected
    at.run()  # the URL is written from the second run on (ui._one_history_entry_per_page)
    assert at.query_params.get("lang") == ("zh" if expected == "zh" else None)


def test_language_switch_persists_in_session_and_url() -> None:
    at = _run(_lang_script)
    at.radio(key=ui.LANG_WIDGET_KEY).set_value("zh").run()
    assert at.session_state[ui.LANG_KEY] == "zh"
    assert at.title[0].value == "量化"
    assert at.query_params["lang"] == "zh"
    assert at.radio(key=ui.LANG_WIDGET_KEY).label == t("app.language", "zh")
    at.run()  # a plain rerun keeps it
    assert at.title[0].value == "量化"
    at.radio(key=ui.LANG_WIDGET_KEY).set_value("en").run()
    assert at.title[0].value == "Quantize"
    assert "lang" not in at.query_params


def _error_script() -> None:
    import streamlit as st

    import ui
    from lib.errors import ParseError

    ui.page_setup("bits")
    with ui.guard():
        raise ParseError("error.unexpected", detail="typed text")
    with ui.guard():
        st.text("before")
        _ = 1 / 0
    with ui.guard():
        st.text("fine")
    st.text("end")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_guard_shows_translated_errors_without_traceback(lang: str) -> None:
    at = _run(_error_script, lang=lang)
    assert not at.exception  # no traceback box
    assert [e.value for e in at.error] == [
        t("error.unexpected", lang, detail="typed text"),       # LowBitError: its own message
        t("error.unexpected", lang, detail="ZeroDivisionError"),  # anything else: generic
    ]
    assert [x.value for x in at.text] == ["before", "fine", "end"]  # the page goes on


def _unguarded_error_script() -> None:
    import tomllib
    from pathlib import Path

    import streamlit as st

    import ui

    config = tomllib.loads((Path(ui.__file__).parent / ".streamlit" / "config.toml").read_text())
    st.set_option("client.showErrorDetails", config["client"]["showErrorDetails"])  # as `streamlit run` reads it
    st.text("before")
    _ = {}["a secret server path /srv/app"]


def test_an_error_no_guard_catches_shows_no_traceback() -> None:
    """Code outside ui.guard (a page's top level, a button's callback) showed Streamlit's full
    traceback with the server's file paths: the config now asks for its short notice only."""
    import tomllib
    from pathlib import Path

    config = Path(ui.__file__).parent / ".streamlit" / "config.toml"
    assert tomllib.loads(config.read_text())["client"]["showErrorDetails"] == "none"
    at = _run(_unguarded_error_script)
    assert [x.value for x in at.text] == ["before"] and len(at.exception) == 1
    shown = at.exception[0]
    assert not shown.stack_trace and "secret" not in shown.message and "KeyError" not in shown.message


def _stop_script() -> None:
    import streamlit as st

    import ui

    ui.page_setup("bits")
    with ui.guard():
        st.text("stopping")
        st.stop()
    st.text("not reached")


def test_guard_lets_st_stop_through() -> None:
    at = _run(_stop_script)
    assert not at.exception and not at.error
    assert [x.value for x in at.text] == ["stopping"]


def test_an_upload_is_keyed_by_its_content() -> None:
    """The same bytes uploaded again (a new file id: on the other page, or after removing it) load
    from the cache instead of adding a second copy of up to 200 MB; other bytes do not."""
    import io

    import ui_data

    class Upload(io.BytesIO):
        def __init__(self, data: bytes, file_id: str) -> None:
            super().__init__(data)
            self.file_id, self.size = file_id, len(data)

    first = ui_data._content_key(Upload(b"\x93NUMPY" * 1000, "a"))
    assert ui_data._content_key(Upload(b"\x93NUMPY" * 1000, "b")) == first
    assert ui_data._content_key(Upload(b"\x93NUMPZ" * 1000, "c")) != first
    assert first.startswith("6000:") and len(first) == 5 + 32


def test_keying_an_upload_does_not_copy_its_bytes() -> None:
    """An upload is a BytesIO sharing the bytes Streamlit received; reading them for the digest
    must leave it sharing them (getbuffer() made it copy them: 200 MB more per 200 MB file)."""
    import io

    import ui_data

    class Upload(io.BytesIO):
        def __init__(self, data: bytes, file_id: str) -> None:
            super().__init__(data)
            self.file_id, self.size = file_id, len(data)

    received = bytes(range(256)) * 4000
    up = Upload(received, "shared")
    ui_data._content_key(up)
    assert up.getvalue() is received


def test_big_jobs_run_one_at_a_time() -> None:
    import threading
    import time

    inside, most = [0], [0]

    def job() -> None:
        with ui.one_big_job(ui.BIG_TENSOR + 1):
            inside[0] += 1
            most[0] = max(most[0], inside[0])
            time.sleep(0.05)
            inside[0] -= 1

    threads = [threading.Thread(target=job) for _ in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert most[0] == 1 and inside[0] == 0
    with ui.one_big_job(ui.BIG_TENSOR + 1), ui.one_big_job(ui.BIG_TENSOR):  # small work never waits
        pass


def test_held_or_rebuilt_holds_weakly_then_rebuilds() -> None:
    import gc

    class Result:
        def __init__(self, value: int) -> None:
            self.value = value

    r, rebuilt = Result(1), []
    get = ui.held_or_rebuilt(r, lambda: rebuilt.append(1) or Result(2))
    assert get() is r and rebuilt == []
    del r
    gc.collect()
    assert get().value == 2 and rebuilt == [1]  # freed: built again, not kept alive by get


def test_md_escape_keeps_typed_text_as_text() -> None:
    assert ui.md_escape("a_b [x](y) `c` $d$ *e* <f> #g ~h~ |i|") == (
        r"a\_b \[x\]\(y\) \`c\` \$d\$ \*e\* \<f\> \#g \~h\~ \|i\|")
    # bare links are broken by an invisible word joiner: Markdown links "https://..." whatever the escapes
    assert ui.md_escape("https://evil.example") == "https\\:\u2060//evil.example"
    assert ui.md_escape("see www.x.org") == "see w\u2060ww.x.org"
    assert ui.md_escape("1.5e-3, -0.25") == "1.5e-3, -0.25"  # numbers are left alone


def test_number_in_refuses_values_outside_the_box() -> None:
    parse = ui.number_in(50.0, 100.0)
    assert parse("75") == 75.0 and parse("100") == 100.0
    for text in ("150", "49.9", "nan", "inf", "x"):
        with pytest.raises(ValueError):
            parse(text)


def test_typed_link_in_an_error_is_escaped(apptest) -> None:  # type: ignore[no-untyped-def]
    at = apptest("bits", bits_number="[click me](https://example.com)")
    (err,) = [e.value for e in at.error]
    assert "\\[click me\\]\\(https\\:\u2060//example.com\\)" in err


_COLD_START = """
import importlib, sys, threading
errors = []
def page(names):  # what a session's first run does: import ui first, then what the page uses
    try:
        importlib.import_module("ui")
        for name in names:
            importlib.import_module(name)
    except Exception as err:  # what a page would show as a traceback
        errors.append(f"{type(err).__name__}: {err}")
groups = [["lib.bits_view", "lib.formats"], ["lib.formats.registry"], ["lib.formats.tables", "lib.quantize"],
          ["lib.value_table", "lib.charts_grid"], ["lib.compare", "lib.formats.registry"]]
threads = [threading.Thread(target=page, args=(g,)) for g in groups]
for th in threads:
    th.start()
for th in threads:
    th.join()
ui = sys.modules["ui"]
lib_loaded = {m for m in sys.modules if m.startswith("lib.")}
print(sorted(set(ui.LIB_MODULES) - lib_loaded) or "all-loaded", len(ui.LIB_MODULES))
print(errors or "no-errors")
"""


def test_lib_is_imported_whole_by_ui_so_a_cold_start_cannot_race() -> None:
    """Several sessions starting at once import lib in parallel threads; before ui loaded all of
    lib, a fresh interpreter importing lib.bits_view, lib.formats.registry and lib.formats.tables
    from threads failed in most runs ("cannot import name 'BNB_FP4' from partially initialized
    module", KeyError 'lib.formats', _DeadlockError). Now importing ui loads every lib module."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    names = sorted(p.relative_to(root).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
                   for p in (root / "lib").rglob("*.py"))
    assert set(ui.LIB_MODULES) == set(names) - {"lib"}
    for _ in range(3):
        run = subprocess.run([sys.executable, "-c", _COLD_START], cwd=root, capture_output=True, text=True,
                             timeout=120, check=True)
        first, second = run.stdout.splitlines()
        assert first == f"all-loaded {len(names) - 1}"
        assert second == "no-errors", run.stdout + run.stderr


def _page_alone_script() -> None:
    import streamlit as st

    import ui

    st.session_state["runs"] = st.session_state.get("runs", 0) + 1
    if st.query_params.get("routed") == "yes":
        ui.mark_routed()
    ui.page_setup("grid")
    st.write("page body")


def test_a_page_run_without_app_py_is_rerun_even_when_the_legacy_flag_is_already_clear() -> None:
    """The cold-start case: another session has cleared Streamlit's legacy pages/ flag while this
    session's run was already executing the page file alone. The script below runs where no
    pages/ folder exists, so the flag is False throughout, as in that case; page_setup still sees
    that app.py did not route the run and reruns (through app.py on the server), at most twice."""
    from streamlit.runtime.pages_manager import PagesManager

    alone = _run(_page_alone_script)
    assert not alone.exception
    assert PagesManager.uses_pages_directory is False
    assert alone.session_state["runs"] == 3  # first run + two reruns, then it gives up
    assert alone.session_state[ui._LEGACY_RERUNS_KEY] == 2
    assert [m.value for m in alone.markdown if m.value == "page body"] == ["page body"]

    routed = _run(_page_alone_script, routed="yes")
    assert not routed.exception
    assert routed.session_state["runs"] == 1  # app.py's mark: no rerun
    assert ui.ROUTED_KEY not in routed.session_state  # page_setup took the mark off
    assert routed.session_state[ui._LEGACY_RERUNS_KEY] == 0


def _kept_box_script() -> None:
    import streamlit as st

    import ui

    if st.query_params.get("draw", "1") == "1":
        with ui.kept_expander(st.query_params.get("label", "Binades"), "t_box"):
            st.text("inside")


def test_a_kept_expander_reopens_after_runs_that_do_not_draw_it() -> None:
    """Grid's binades box closed after a format without binades (int8): Streamlit drops the state
    of a widget a run does not draw."""
    at = _run(_kept_box_script)
    assert at.expander[0].proto.expanded is False
    at.session_state["t_box"] = True  # the student opens it
    at.run()
    assert at.expander[0].proto.expanded is True
    at.query_params["draw"] = "0"  # int8: no box
    at.run()
    at.run()
    assert not at.expander and "t_box" not in at.session_state
    at.query_params["draw"] = "1"  # back to a format with binades
    at.run()
    assert at.expander[0].proto.expanded is True
    at.query_params["label"] = "二进制区间"  # a new title (the language, the format's name): still open
    at.run()
    assert at.expander[0].proto.label == "二进制区间" and at.expander[0].proto.expanded is True


def test_progress_gate_draws_the_first_the_last_and_one_update_per_interval(monkeypatch: pytest.MonkeyPatch) -> None:
    """A whole-file comparison of 2,000 small tensors by 32 choices drew its bar 64,000 times."""
    clock = iter([0.0, 0.05, 0.09, 0.1, 0.12, 0.13, 0.25])
    monkeypatch.setattr(ui.time, "monotonic", lambda: next(clock))
    gate = ui.progress_gate(0.1)
    assert [gate(False), gate(False), gate(False), gate(False), gate(False), gate(True), gate(False)] == [
        True, False, False, True, False, True, True]


def test_newest_slot_is_safe_across_threads() -> None:
    """Compare's shared store of results: 30 threads, each with its own keys, on a store that
    keeps 8. Unlocked, another thread's eviction between setdefault and move_to_end raised KeyError
    (769 times in 600,000 calls with a switch interval of 1 µs)."""
    import sys
    import threading
    from collections import OrderedDict

    store: OrderedDict = OrderedDict()
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            for j in range(2_000):
                slot = ui.newest_slot(store, (i, j % 5), 8)
                slot[j] = j
        except BaseException as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)

    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(30)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        sys.setswitchinterval(old)
    assert errors == [] and len(store) == 8
    keep = OrderedDict()
    for k in "abc":
        ui.newest_slot(keep, k, 2)["v"] = k
    assert list(keep) == ["b", "c"] and ui.newest_slot(keep, "b", 2) == {"v": "b"} and list(keep) == ["c", "b"]


def test_computed_once_makes_a_second_session_wait_for_the_same_key() -> None:
    """A class opening one Compare link ran the same 14 choices 151 to 203 times for 30 students.
    The second session with the same key now starts only when the first is done; another key
    (another lock) does not wait."""
    import threading
    import time

    order: list[str] = []
    inside, release = threading.Event(), threading.Event()
    key = ("data-a",)
    other = next(("data", i) for i in range(1000)
                 if hash(("data", i)) % ui.COMPUTE_LOCKS != hash(key) % ui.COMPUTE_LOCKS)

    def first() -> None:
        with ui.computed_once(key, "waiting"):
            order.append("first in")
            inside.set()
            release.wait(10)
            order.append("first out")

    def second(k: tuple, name: str) -> None:
        inside.wait(10)
        with ui.computed_once(k, "waiting"):
            order.append(name)

    threads = [threading.Thread(target=first), threading.Thread(target=second, args=(key, "same key")),
               threading.Thread(target=second, args=(other, "other key"))]
    for th in threads:
        th.start()
    time.sleep(0.3)
    assert order == ["first in", "other key"]  # the same key waits, the other does not
    release.set()
    for th in threads:
        th.join(10)
    assert order == ["first in", "other key", "first out", "same key"]


def test_names_cannot_hide_or_reorder_their_characters() -> None:
    """A tensor named "layer\\u202egnp.exe" displayed as "layerexe.png" (security review). Its
    reordering and zero-width characters are now shown by their code points."""
    assert ui.visible_controls("layer\u202egnp.exe") == "layer⟨U+202E⟩gnp.exe"
    assert ui.visible_controls("a\u200bb\u2066c\u2069\ufeff") == "a⟨U+200B⟩b⟨U+2066⟩c⟨U+2069⟩⟨U+FEFF⟩"
    assert ui.visible_controls("层 0.weight, naïve") == "层 0.weight, naïve"  # letters are left alone
    assert ui.md_escape("w\u202e[x]") == "w⟨U+202E⟩\\[x\\]"
    assert "\u2060" in ui.md_escape("https://x")  # md_escape's own word joiner stays (it is not in the set)
