"""Quantize page through AppTest: default data, a synthetic change, uploads (good, N-D, bad),
a block scheme and the worked example. Expected numbers are recomputed here with plain numpy."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest

from lib.i18n import t
from lib.quantize import quantize
from lib.synthetic import synthetic


def _absmax_int8_sqnr(x: np.ndarray) -> float:
    x = x.astype(np.float64)
    scale = np.abs(x).max() / 127
    e = np.clip(np.rint(x / scale), -128, 127) * scale - x
    return float(10 * np.log10((x * x).sum() / (e * e).sum()))


def _metrics(at: Any, lang: str = "en") -> dict[str, str]:
    head = t("quant.metric", lang)
    for df in [*at.table, *at.dataframe]:  # the metrics are a static table (it wraps)
        v = df.value
        if head in v.columns:
            return dict(zip(v.iloc[:, 0], v.iloc[:, 1]))
    return {}


def _sqnr(at: Any, lang: str = "en") -> float:
    return float(_metrics(at, lang)[t("quant.m.sqnr_db", lang)])


def _npy(a: np.ndarray, **kw: Any) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, **kw)
    return buf.getvalue()


def _upload(at: Any, name: str, data: bytes) -> Any:
    at.radio(key="quant_source").set_value("upload").run()
    at.file_uploader(key="quant_file").set_value((name, data, "application/octet-stream")).run()
    return at


def _prefix(key: str, lang: str) -> str:
    """The fixed text of a message before its first parameter."""
    return t(key, lang).split("{")[0]


def test_default_view_shows_plausible_metrics(apptest: Any) -> None:
    at = apptest("quantize")
    assert not at.exception and not at.error
    x = synthetic("llm_like", 262_144, seed=0)
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(x), abs=0.006)
    m = _metrics(at)
    assert m[t("quant.m.bits_per_element", "en")] == "8.0001"  # 8 + 32/262,144: the scale is stored too
    assert len(at.get("plotly_chart")) >= 4


def test_synthetic_change_changes_metrics(apptest: Any) -> None:
    at = apptest("quantize")
    before = _sqnr(at)
    at.selectbox(key="quant_dist").set_value("normal").run()
    assert not at.exception
    after = _sqnr(at)
    assert after != before
    assert after == pytest.approx(_absmax_int8_sqnr(synthetic("normal", 262_144, seed=0)), abs=0.006)
    at.number_input(key="quant_seed").set_value(3).run()
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(synthetic("normal", 262_144, seed=3)), abs=0.006)


def test_upload_npy_quantizes_that_array(apptest: Any) -> None:
    x = np.random.default_rng(5).laplace(size=(64, 48)).astype(np.float32)
    at = _upload(apptest("quantize"), "w.npy", _npy(x))
    assert not at.exception and not at.error
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(x), abs=0.006)


@pytest.mark.parametrize(("name", "x"), [
    ("scalar.npy", np.float32(1.5)),  # a 0-d array: crashed the axis widget (IndexError traceback)
    ("huge.npy", np.array([1e38, -3e38, 1.0], np.float32)),  # histogram range overflowed float32
    ("tiny.npy", np.array([1e-320, 1e-321])),  # subnormal float64 range: "Too many bins"
])
def test_odd_arrays_quantize_without_an_error(apptest: Any, name: str, x: np.ndarray) -> None:
    at = _upload(apptest("quantize"), name, _npy(np.asarray(x)))
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert _metrics(at)[t("quant.m.nonfinite_count", "en")] == "0"
    assert len(at.get("plotly_chart")) >= 2


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_block_scheme_shows_its_own_rule_and_costs_its_bits(apptest: Any, lang: str) -> None:
    """The greyed method and granularity boxes read "absmax (symmetric)" and "per tensor" for MXFP4,
    as if it had one absmax scale: they now show the scheme's own rule, and the choices made for
    other formats come back with them."""
    at = apptest("quantize", lang=lang)
    at.selectbox(key="quant_method").set_value("mse").run()
    at.selectbox(key="quant_gran").set_value("channel").run()
    at.selectbox(key="quant_format").set_value("mxfp4").run()
    assert not at.exception and not at.error
    assert _metrics(at, lang)[t("quant.m.bits_per_element", lang)] == "4.25"
    shown = {s.label: (s.value, s.disabled) for s in at.selectbox if s.label in (t("quant.method", lang), t("quant.granularity", lang))}
    assert shown == {t("quant.method", lang): (t("quant.block_method.mx", lang), True),
                     t("quant.granularity", lang): (t("quant.block_gran", lang, n=32), True)}
    at.selectbox(key="quant_format").set_value("nf4").run()
    assert at.selectbox(key="quant_format").value == "nf4" and t("quant.block_gran", lang, n=64) in [s.value for s in at.selectbox]
    at.selectbox(key="quant_format").set_value("int8").run()
    assert at.selectbox(key="quant_method").value == "mse" and at.selectbox(key="quant_gran").value == "channel"


def test_a_link_on_a_block_format_keeps_its_method_for_later(apptest: Any) -> None:
    """A link made on mxfp4 after choosing mse per channel for int8 opened as absmax per tensor
    once the receiver switched to int8 (the hidden settings left the URL on the first run)."""
    at = apptest("quantize", quant_format="mxfp4", quant_method="mse", quant_gran="channel")
    assert not at.exception and at.query_params.get("quant_method") in ("mse", ["mse"])
    at.selectbox(key="quant_format").set_value("float8_e4m3fn").run()
    assert at.selectbox(key="quant_method").value == "mse" and at.selectbox(key="quant_gran").value == "channel"


@pytest.mark.parametrize("hidden", [{"quant_method": "absmax", "quant_gran": "group", "quant_block": "32"},
                                    {"quant_method": "percentile", "quant_gran": "tensor", "quant_pct": "99.0"}])
def test_a_link_on_a_block_format_keeps_its_group_size_and_percentile(apptest: Any, hidden: dict) -> None:
    """The group size (and the percentile) left the link while a block format was shown: a link
    made on mxfp4 after int4 in groups of 32 reopened int4 in groups of 128."""
    at = apptest("quantize", quant_format="mxfp4", **hidden)
    at.selectbox(key="quant_format").set_value("mxfp4").run()  # a second run, now writing the URL
    assert not at.exception
    for key, text in hidden.items():
        assert at.query_params.get(key) in (text, [text]), key
    at.selectbox(key="quant_format").set_value("int4").run()
    if "quant_block" in hidden:
        assert at.selectbox(key="quant_block").value == 32
    else:
        assert at.number_input(key="quant_pct").value == 99.0


def test_block_scheme_disables_method_and_costs_its_bits(apptest: Any) -> None:
    at = apptest("quantize")
    at.selectbox(key="quant_format").set_value("mxfp4").run()
    assert not at.exception and not at.error
    assert _metrics(at)[t("quant.m.bits_per_element", "en")] == "4.25"
    assert 10 < _sqnr(at) < 25
    assert not at.selectbox(key="quant_rounding").disabled  # MX follows the chosen rounding
    assert not any(t("quant.gguf_rounding", "en") in c.value for c in at.caption)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gguf_disables_the_rounding_choice_it_ignores(apptest: Any, lang: str) -> None:
    """Q8_0/Q4_0 round by their own rule: the overflow and rounding boxes are disabled, and said so."""
    at = apptest("quantize", lang=lang)
    at.selectbox(key="quant_format").set_value("q4_0").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_rounding").disabled and at.selectbox(key="quant_overflow").disabled
    assert any(t("quant.gguf_rounding", lang) in c.value for c in at.caption)


def _frames_with(at: Any, *columns: str) -> list[Any]:
    return [df.value for df in [*at.dataframe, *at.table] if set(columns) <= set(df.value.columns)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_block_walk_through_shows_the_chosen_block(apptest: Any, lang: str) -> None:
    """The block expander of mxfp4: its steps for block 0, then block 3, then the peak block;
    every number is recomputed here from the synthetic tensor with plain numpy."""
    at = apptest("quantize", lang=lang)
    at.selectbox(key="quant_format").set_value("mxfp4").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_run_axis").label == t("quant.axis_block", lang)
    x = synthetic("llm_like", 262_144, seed=0)  # (1024, 256): blocks of 32 along axis 1
    blocks = x.reshape(-1, 32)
    assert at.number_input(key="quant_blk").max == blocks.shape[0] - 1

    def shown(index: int) -> None:
        amax = float(np.abs(blocks[index]).max())
        k = int(np.floor(np.log2(amax))) - 2
        steps = _frames_with(at, t("quant.we.col_formula", lang), t("qb.col.value", lang))[0]
        assert list(steps.iloc[:, 2]) == [f"{amax:.6g}", str(k + 2), str(k), str(k + 127), f"{2.0 ** k:.6g}"]
        rows = _frames_with(at, t("qb.col.pos", lang))[0]
        assert list(rows["x"]) == [f"{v:.6g}" for v in blocks[index].astype(np.float64)]
        where = t("qb.where", lang, index=index, total=8192, line=index // 8, start=index % 8 * 32,
                  stop=index % 8 * 32 + 31, axis=1)
        assert where in [c.value for c in at.caption]

    shown(0)
    at.number_input(key="quant_blk").set_value(3).run()
    shown(3)
    at.button(key="quant_blk_peak").click().run()
    peak = int(np.argmax(np.abs(x.reshape(-1)))) // 32
    assert at.number_input(key="quant_blk").value == peak
    shown(peak)


def test_axis_label_says_what_runs_along_it(apptest: Any) -> None:
    at = apptest("quantize")
    assert at.selectbox(key="quant_axis").label == t("quant.axis", "en")
    assert "quant_blk" not in [w.key for w in at.number_input]  # no block walk-through for int8
    at.selectbox(key="quant_gran").set_value("group").run()
    axis = at.selectbox(key="quant_run_axis")
    assert axis.label == t("quant.axis_group", "en")
    assert axis.format_func(axis.value) == "axis 1 (256 values)"
    assert "256 values along axis 1: 2 runs of up to 128" in [c.value for c in at.caption]
    at.selectbox(key="quant_format").set_value("nf4").run()
    axis = at.selectbox(key="quant_run_axis")
    assert "256 values along axis 1: 4 runs of up to 64" in [c.value for c in at.caption]
    assert at.number_input(key="quant_blk").max == 1024 * 4 - 1
    assert not [c.value for c in at.caption if "bitsandbytes" in c.value]  # rows of 256: its blocks too
    at.selectbox(key="quant_run_axis").set_value(0).run()
    assert [c.value for c in at.caption if "runs of" in c.value] == [
        "1,024 values along axis 0: 16 runs of up to 64. " + t("quant.ref_nf4_axis", "en")]
    at.radio(key="quant_source").set_value("upload").run()  # no tensor yet: nothing to count
    axis = at.selectbox(key="quant_run_axis_none")
    assert axis.format_func(axis.value) == "—" and axis.disabled
    assert not [c.value for c in at.caption if "along axis" in c.value]


def test_bulk_toggle_zooms_the_value_histogram(apptest: Any) -> None:
    """The default matrix: ±187 with 1.5% of its values in outlier channels. Zoomed to the bulk
    (|x| <= 9 x median |x|, about ±6.2) the histogram shows 9 of the 256 int8 levels."""
    def hist(at: Any) -> dict:
        return next(s for s in (json.loads(c.proto.spec) for c in at.get("plotly_chart"))
                    if s["layout"]["title"]["text"] == t("quant.chart.hist_title", "en"))

    at = apptest("quantize")
    assert hist(at)["data"][0]["name"] == "values"
    at.toggle(key="quant_bulk").set_value(True).run()
    assert not at.exception
    spec = hist(at)
    assert spec["data"][0]["name"] == "values (1.4% of them outside this view)"
    assert spec["data"][1]["name"] == "quantization levels (9 in view)"
    assert at.query_params["quant_bulk"] in ("True", ["True"])  # a shared link keeps the zoom (as quant_logy)


def test_per_channel_shows_scales(apptest: Any) -> None:
    at = apptest("quantize")
    tensor = _sqnr(at)
    at.selectbox(key="quant_gran").set_value("channel").run()
    assert not at.exception
    assert _sqnr(at) > tensor + 10  # per-column scales isolate the 50x outlier columns


def test_five_d_array_asks_for_the_axis(apptest: Any) -> None:
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 5, 6)).astype(np.float32)
    at = _upload(apptest("quantize"), "five.npy", _npy(x))
    assert not at.exception
    assert _metrics(at) == {}
    assert any(_prefix("io.axis_choice", "en") in i.value for i in at.info)
    at.selectbox(key="quant_ndaxis").set_value(2).run()
    assert not at.exception
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(x), abs=0.006)
    at.switch_page("pages/compare.py").run()  # the same tensor: Compare asked for the axis again
    assert not at.exception and not at.error and at.selectbox(key="cmp_ndaxis").value == 2
    assert at.dataframe  # its comparison is shown, not only the axis question


def _bad_files() -> list[tuple[str, bytes, str]]:
    good = _npy(np.arange(10, dtype=np.float32))
    obj = _npy(np.array([{"a": 1}], dtype=object), allow_pickle=True)
    return [
        ("pickled.npy", obj, "io.npy_pickle"),
        ("cut.npy", good[:-7], "io.npy_truncated"),
        ("empty.npy", b"", "io.empty_file"),
        ("zero.npy", _npy(np.zeros((0,), np.float32)), "io.empty_array"),
        ("nan.npy", _npy(np.full(5, np.nan, np.float32)), "io.all_nan"),
        ("complex.npy", _npy(np.ones(3, np.complex64)), "io.complex_array"),
        ("words.csv", b"alpha,beta\ngamma,delta\n", "io.csv_bad_token"),
        ("fake.gguf", b"NOTGGUF" + bytes(64), "io.gguf_not_gguf"),
        ("strings.npy", _npy(np.array(["a", "bc"])), "io.string_array"),
        ("none.npz", _npz_empty(), "io.npz_no_arrays"),
    ]


def _npz_empty() -> bytes:
    buf = io.BytesIO()
    np.savez(buf)
    return buf.getvalue()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_files_show_specific_translated_errors(apptest: Any, lang: str) -> None:
    at = apptest("quantize", lang=lang)
    at.radio(key="quant_source").set_value("upload").run()
    for name, data, key in _bad_files():
        at.file_uploader(key="quant_file").set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, name
        assert len(at.error) == 1, name
        assert _prefix(key, lang) in at.error[0].value, (name, at.error[0].value)
        assert _metrics(at, lang) == {}
    # the page keeps working: other widgets still respond, and a good file clears the error
    at.selectbox(key="quant_format").set_value("int4").run()
    assert not at.exception
    at.file_uploader(key="quant_file").set_value(("ok.npy", _npy(np.arange(1, 9, dtype=np.float32)), "x")).run()
    assert not at.error and _sqnr(at, lang) > 0


def test_worked_example_shows_the_articles_codes(apptest: Any) -> None:
    at = apptest("quantize", lang="zh")
    tables = [df.value for df in at.dataframe if t("quant.we.col_step", "zh") in df.value.columns]
    assert len(tables) == 1
    codes = tables[0].set_index(t("quant.we.col_step", "zh")).loc[t("quant.we.code", "zh")]
    assert codes.iloc[1:].tolist() == ["-30", "18", "73", "-127"]
    at.text_input(key="quant_we_text").set_value("1, 2, 4").run()
    at.selectbox(key="quant_we_fmt").set_value("int4").run()
    tables = [df.value for df in at.dataframe if t("quant.we.col_step", "zh") in df.value.columns]
    codes = tables[0].set_index(t("quant.we.col_step", "zh")).loc[t("quant.we.code", "zh")]
    assert codes.iloc[1:].tolist() == ["2", "4", "7"]  # scale 4/7: 1.75 -> 2, 3.5 -> 4 (ties to even), 7


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_ieee_overflow_is_named_as_such_not_clipped(apptest: Any, lang: str) -> None:
    at = apptest("quantize", lang=lang, quant_format="float16", quant_method="none", quant_overflow="ieee")
    at.radio(key="quant_source").set_value("paste").run()
    at.text_area(key="quant_paste").set_value("1, 2, 70000, 3").run()
    shown = _metrics(at, lang)
    assert not at.exception and shown[t("quant.m.overflow_fraction", lang)] == "25%"
    assert t("quant.m.clipped_fraction", lang) not in shown
    at.selectbox(key="quant_overflow").set_value("saturate").run()
    assert _metrics(at, lang)[t("quant.m.clipped_fraction", lang)] == "25%"


def test_npz_array_picker_paste_and_bundled_sources(apptest: Any) -> None:
    a = np.linspace(-1, 1, 50, dtype=np.float32)
    b = np.random.default_rng(9).normal(size=(20, 30)).astype(np.float32)
    buf = io.BytesIO()
    np.savez(buf, first=a, second=b)
    at = _upload(apptest("quantize"), "two.npz", buf.getvalue())
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_array").options == ["first", "second"]
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(a), abs=0.006)
    at.selectbox(key="quant_array").set_value("second").run()
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(b), abs=0.006)
    at.radio(key="quant_source").set_value("paste").run()
    at.text_area(key="quant_paste").set_value("0.5 -1.5\n3, 2").run()
    assert not at.exception and not at.error
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(np.array([0.5, -1.5, 3, 2])), abs=0.006)
    at.text_area(key="quant_paste").set_value("1, two, 3").run()
    assert not at.exception and len(at.error) == 1 and _metrics(at) == {}
    at.radio(key="quant_source").set_value("bundled").run()
    assert not at.exception and not at.error
    assert 30 < _sqnr(at) < 50  # a real trained weight matrix, per-tensor int8


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_commas_read_as_separators_are_pointed_out(apptest: Any, lang: str) -> None:
    """"0,5 / 1,5 / 2,5" pasted was quantized as six values 0, 5, 1, 5, 2, 5 with no word; a CSV
    of "1,000,000" as 1, 0, 0. The values are read as before, with a warning saying how."""
    at = apptest("quantize", lang=lang)
    at.radio(key="quant_source").set_value("paste").run()
    assert not at.sidebar.warning  # the default numbers: nothing to say
    at.text_area(key="quant_paste").set_value("0,5\n1,5\n2,5").run()
    assert not at.exception and not at.error
    assert [w.value for w in at.sidebar.warning] == [
        t("io.comma_decimal", lang, example="0,5", line=1, a="0", b="5")]
    at.text_area(key="quant_paste").set_value("0.5\n1.5\n2.5").run()
    assert not at.sidebar.warning
    at = _upload(apptest("quantize", lang=lang), "big.csv", "1,000,000\n2,000,000\n".encode("gbk"))
    assert not at.exception and not at.error
    assert [w.value for w in at.sidebar.warning] == [t("io.comma_thousands", lang, example="1,000,000", line=1,
                                                       parts="1, 000, 000", joined="1000000")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_pasted_numbers_are_called_so_in_errors_and_stored_as_text(apptest: Any, lang: str) -> None:
    """An error about pasted numbers said "array 'pasted'" (an internal name), and the sidebar gave
    their stored type as float64 where a .csv's is "text"."""
    at = apptest("quantize", lang=lang)
    at.radio(key="quant_source").set_value("paste").run()
    assert any(t("io.array_summary", lang, name=t("io.pasted_name", lang), shape=(4,), dtype="text", size="4")
               == c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]
    at.text_area(key="quant_paste").set_value("nan, nan").run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("io.all_nan", lang, name=t("io.pasted_name", lang))]


def test_names_from_a_file_are_shown_as_written_not_as_markdown(apptest: Any) -> None:
    """An array named "[click](https://example.com)" became a live link in the sidebar, "__init__"
    bold "init", "$x^2$" LaTeX: names from a file are text, not Markdown."""
    buf = io.BytesIO()
    np.savez(buf, **{"[click](https://example.com)": np.ones(4, np.float32), "__init__": np.arange(4.0)})
    at = _upload(apptest("quantize"), "__w__.npz", buf.getvalue())
    assert not at.exception and not at.error
    summary = [c.value for c in at.sidebar.caption if "shape" in c.value]
    assert summary and summary[0].startswith(t("io.array_summary", "en").split("{")[0] + "\\[click\\]\\(https\\:\u2060//")
    at.selectbox(key="quant_array").set_value("__init__").run()
    assert any("\\_\\_init\\_\\_" in c.value for c in at.sidebar.caption), [c.value for c in at.sidebar.caption]


def test_lying_safetensors_header_is_an_error(apptest: Any) -> None:
    import json
    import struct

    header = json.dumps({"w": {"dtype": "F32", "shape": [1000], "data_offsets": [0, 4000]}}).encode()
    data = struct.pack("<Q", len(header)) + header + bytes(16)  # claims 4000 bytes, holds 16
    at = _upload(apptest("quantize", lang="zh"), "lie.safetensors", data)
    assert not at.exception
    assert len(at.error) == 1 and _metrics(at, "zh") == {}
    assert any("\u4e00" <= ch <= "\u9fff" for ch in at.error[0].value)


def test_file_above_the_upload_cap_is_an_error(apptest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import lib.io

    monkeypatch.setattr(lib.io, "MAX_UPLOAD_MB", 1)
    big = _npy(np.zeros(300_000, np.float32))  # 1.2 MB > the 1 MB cap set here
    at = _upload(apptest("quantize"), "big.npy", big)
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith(_prefix("io.too_large", "en"))
    assert "1 MB" in at.error[0].value and _metrics(at) == {}


def test_download_payloads_round_trip() -> None:
    from lib.compare import Choice
    from lib.data_source import codes_npz, dequantized_npy, metrics_csv
    from lib.quantize import quantize

    x = np.random.default_rng(4).normal(size=(8, 64)).astype(np.float32)
    r = quantize(x, fmt="int4", method="minmax", granularity="group", axis=1, block_size=32)
    z = np.load(io.BytesIO(codes_npz(r)), allow_pickle=False)
    assert sorted(z.files) == ["codes", "scale", "zero_point"]
    np.testing.assert_array_equal(z["codes"], r.codes)
    np.testing.assert_array_equal(z["scale"], r.scale)
    np.testing.assert_array_equal(np.load(io.BytesIO(dequantized_npy(r)), allow_pickle=False), r.dequantized)
    head, row = metrics_csv(r.metrics, "int4 minmax g32").strip().split("\n")
    values = dict(zip(head.split(","), row.split(",")))
    assert values["choice"] == "int4 minmax g32"
    assert float(values["sqnr_db"]) == pytest.approx(r.metrics["sqnr_db"])
    assert values["levels_used"] == str(r.metrics["levels_used"]) and values["nonfinite_count"] == "0"
    # the file name said "_p99_stochastic", the choice column only "uint8 percentile": the settings now come along
    choice = Choice("uint8", "percentile", percentile=99.0, rounding="stochastic")
    head, row = metrics_csv(r.metrics, choice.label, choice.settings(axis=1)).strip().split("\n")
    values = dict(zip(head.split(","), row.split(",")))
    assert head.startswith("choice,fmt,method,granularity,axis,block_size,percentile,overflow,rounding,mse,")
    assert [values[k] for k in ("choice", "percentile", "rounding", "axis", "block_size", "overflow")] == [
        "uint8 percentile", "99", "stochastic", "", "", "saturate"]
    group = Choice("int4", "absmax", "group", 64).settings(axis=0)
    assert (group["axis"], group["block_size"], group["percentile"]) == (0, 64, None)
    assert Choice("mxfp4").settings(axis=1)["axis"] == 1  # a block scheme's blocks run along an axis


@pytest.mark.parametrize("axis", [1, 2])
def test_codes_download_holds_what_a_block_scheme_stores(axis: int) -> None:
    """The .npz held NVFP4's combined scale only; now also the E4M3 scale codes and the global scale
    (MX: E8M0 codes; NF4: absmax and its 8-bit storage), laid out like the scales, and they rebuild
    x̂ exactly as the formats define it."""
    import ml_dtypes

    from lib.data_source import codes_npz
    from lib.formats import get_format

    x = np.random.default_rng(6).standard_t(3, size=(4, 64, 32)).astype(np.float32)
    x = np.moveaxis(x, 1, axis) if axis == 2 else x

    def saved(fmt: str, **kw: Any) -> tuple[Any, dict[str, np.ndarray]]:
        r = quantize(x, fmt, axis=axis, **kw)
        with np.load(io.BytesIO(codes_npz(r)), allow_pickle=False) as z:
            return r, {k: z[k] for k in z.files}

    def per_element(blocks: np.ndarray, r: Any) -> np.ndarray:
        return np.repeat(blocks, r.block_size, axis=axis)

    fp4 = np.array([get_format("float4_e2m1fn").decode(c) for c in range(16)], np.float32)
    r, z = saved("mxfp4")
    assert sorted(z) == ["codes", "scale", "scale_codes", "shared_exponent"]
    assert z["scale_codes"].dtype == np.uint8 and z["scale_codes"].shape == r.scale.shape
    x_scale = np.ldexp(np.float32(1), z["scale_codes"].astype(np.int32) - 127)  # E8M0: 2^(code - 127)
    assert np.array_equal(x_scale, r.scale) and np.array_equal(z["shared_exponent"] + 127, z["scale_codes"])
    assert np.array_equal(fp4[z["codes"]] * per_element(x_scale, r), r.dequantized)

    r, z = saved("nvfp4")
    assert sorted(z) == ["codes", "global_scale", "scale", "scale_codes"]
    block = z["scale_codes"].view(ml_dtypes.float8_e4m3fn).astype(np.float32)
    assert z["global_scale"].shape == () and z["global_scale"] == np.float32(r.extra["global_scale"])
    assert np.array_equal(block * z["global_scale"], r.scale)
    assert np.array_equal(fp4[z["codes"]] * per_element(block * z["global_scale"], r), r.dequantized)

    r, z = saved("nf4", double_quant=True)
    assert sorted(z) == ["absmax", "absmax_codes", "absmax_mean", "absmax_scales", "codes", "scale"]
    assert z["absmax"].dtype == np.float32 and z["absmax"].shape == r.scale.shape
    assert np.array_equal(z["absmax"], np.abs(x).max(axis=axis, keepdims=True).reshape(r.scale.shape))
    assert z["absmax_codes"].dtype == np.uint8 and z["absmax_codes"].shape == r.scale.shape
    assert z["absmax_scales"].shape == (1,) and z["absmax_mean"] == np.float32(z["absmax"].mean(dtype=np.float64))

    _, z = saved("q4_0")
    assert sorted(z) == ["codes", "scale", "zero_point"]


def test_metrics_csv_has_the_flushed_fraction_after_the_clipped_one() -> None:
    from lib.data_source import metrics_csv
    from lib.quantize import quantize

    r = quantize(np.float32([1e-5, -1e-5, 0.5, 0.0]), "float8_e4m3fn", method="none")
    head, row = metrics_csv(r.metrics, "float8_e4m3fn none").strip().split("\n")
    names = head.split(",")
    assert names.index("flushed_to_zero_fraction") == names.index("clipped_fraction") + 1
    values = dict(zip(names, row.split(",")))
    assert float(values["flushed_to_zero_fraction"]) == 2 / 3 and float(values["clipped_fraction"]) == 0.0


def test_download_buttons_present(apptest: Any) -> None:
    at = apptest("quantize")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [t("quant.download.codes", "en"), t("quant.download.dequant", "en"),
                      t("quant.download.metrics", "en")]
    assert at.get("download_button")[2].proto.help == t("quant.download.metrics_help", "en")
    at = apptest("quantize", lang="zh")  # the CSV's column names stay the metric names: its help says so
    assert "sqnr_db" in at.get("download_button")[2].proto.help and "两种语言下相同" in at.get("download_button")[2].proto.help


def test_per_channel_on_a_vector_warns_and_e8m0_is_not_offered(apptest: Any) -> None:
    at = _upload(apptest("quantize"), "v.npy", _npy(np.linspace(-1, 1, 300, dtype=np.float32)))
    assert not at.warning
    at.selectbox(key="quant_gran").set_value("channel").run()
    assert not at.exception and not at.error
    assert len(at.warning) == 1 and "(300,)" in at.warning[0].value and "40" in at.warning[0].value
    assert "float8_e8m0fnu" not in at.selectbox(key="quant_format").options
    assert "float8_e4m3fn" in at.selectbox(key="quant_format").options


def test_unsigned_format_with_a_symmetric_scale_says_the_negatives_are_lost(apptest: Any) -> None:
    x = np.linspace(-1, 3, 400, dtype=np.float32)  # 100 of 400 values are negative
    at = _upload(apptest("quantize", lang="zh"), "v.npy", _npy(x))
    at.selectbox(key="quant_format").set_value("uint8").run()
    assert not at.exception and not at.error
    lost = [w.value for w in at.warning if "uint8" in w.value]
    assert len(lost) == 1 and "25%" in lost[0] and "有符号格式，例如 int8" in lost[0]
    assert "对称缩放" in lost[0]
    at.selectbox(key="quant_method").set_value("none").run()  # no scale is not "a symmetric scale"
    lost = [w.value for w in at.warning if "uint8" in w.value]
    assert lost == [t("quant.unsigned_negatives_cast", "zh", fmt="uint8", pct="25%", signed="int8")]
    at.selectbox(key="quant_method").set_value("minmax").run()
    assert not [w.value for w in at.warning if "uint8" in w.value]


def test_sidebar_names_the_tensor_in_the_page_language(apptest: Any) -> None:
    at = apptest("quantize", lang="zh")
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert t("io.kind.llm_like", "zh") + "：形状 (1024, 256)" in captions
    assert "llm_like" not in captions
    at.radio(key="quant_source").set_value("paste").run()
    captions = " ".join(c.value for c in at.sidebar.caption)
    assert "粘贴的数字：形状 (4,)" in captions and "pasted" not in captions
    at = _upload(apptest("quantize"), "one.npy", _npy(np.array([2.5], np.float32)))
    assert "one: shape (1,), stored as float32, 1 value" in " ".join(c.value for c in at.sidebar.caption)


def test_blocks_of_an_upload_run_along_its_rows_as_gguf_stores_them(apptest: Any) -> None:
    """A (64, 128) weight: per channel is one scale per row (axis 0), and Q8_0's blocks of 32 run
    along the last axis by default, as gguf.quants quantizes it (they used to run down the columns)."""
    import gguf

    x = np.random.default_rng(2).standard_normal((64, 128)).astype(np.float32)
    at = _upload(apptest("quantize"), "w.npy", _npy(x))
    assert at.selectbox(key="quant_axis").value == 0
    at.selectbox(key="quant_format").set_value("q8_0").run()
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_run_axis").value == 1
    want = gguf.quants.dequantize(gguf.quants.quantize(x, gguf.GGMLQuantizationType.Q8_0),
                                  gguf.GGMLQuantizationType.Q8_0)
    err = np.asarray(want, np.float64) - x
    sqnr = 10 * np.log10(np.sum(x.astype(np.float64) ** 2) / np.sum(err**2))
    assert _sqnr(at) == pytest.approx(sqnr, abs=0.006)


@pytest.mark.parametrize("query", [{"quant_format": "mxfp4"}, {"quant_format": "mxfp4", "quant_source": "upload"}])
def test_blocks_chosen_before_an_upload_still_run_along_its_last_axis(apptest: Any, query: dict) -> None:
    """The format first, the file next (or a shared link with both): while no file was loaded the
    axis box showed axis 0 of "no data", and that 0 used to stay for the (4, 64) file: 1 block per
    column and 6 bits per value instead of 2 blocks per row and 4.25."""
    x = np.random.default_rng(3).standard_normal((4, 64)).astype(np.float32)
    at = apptest("quantize", **query)
    if "quant_source" in query:
        assert at.selectbox(key="quant_run_axis_none").value == 0 and at.selectbox(key="quant_run_axis_none").disabled
    at = _upload(at, "w.npy", _npy(x))
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_run_axis").value == 1
    assert _metrics(at)[t("quant.m.bits_per_element", "en")] == "4.25"
    assert any("64 values along axis 1: 2 runs of up to 32" in c.value for c in at.caption)


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ["TensorRT", "numpy's linear interpolation", "round(x / scale) + zero point"]),
    ("zh", ["TensorRT 的熵校准", "线性插值"]),
])
def test_method_box_explains_every_method(apptest: Any, lang: str, words: list[str]) -> None:
    at = apptest("quantize", lang=lang)
    text = at.selectbox(key="quant_method").help
    assert all(w in text for w in words)


def test_settings_and_upload_survive_a_visit_to_compare(apptest: Any) -> None:
    """Streamlit drops the state of widgets not on screen and page switches clear the URL: Quantize
    came back as synthetic int8, and Compare asked for the file just uploaded on Quantize."""
    x = np.random.default_rng(6).laplace(size=(64, 48)).astype(np.float32)
    at = _upload(apptest("quantize"), "w.npy", _npy(x))
    at.selectbox(key="quant_format").set_value("int4").run()
    at.selectbox(key="quant_method").set_value("mse").run()
    sqnr = _sqnr(at)
    at.switch_page("pages/compare.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="cmp_source").value == "upload"  # Compare opens on the data Quantize used
    kept = t("io.upload_kept", "en", name="w.npy")
    assert kept in [c.value for c in at.sidebar.caption]  # Compare uses the file from Quantize
    assert not [i for i in at.info if i.value == t("quant.data.upload_first", "en")]
    at.switch_page("pages/quantize.py").run()
    assert not at.exception and not at.error
    assert at.radio(key="quant_source").value == "upload"
    assert at.selectbox(key="quant_format").value == "int4" and at.selectbox(key="quant_method").value == "mse"
    assert _sqnr(at) == sqnr  # the same file, quantized the same way


def test_removing_the_file_forgets_it(apptest: Any) -> None:
    x = np.arange(12, dtype=np.float32)
    at = _upload(apptest("quantize"), "w.npy", _npy(x))
    assert _sqnr(at) == pytest.approx(quantize(x).metrics["sqnr_db"], abs=0.006)  # the file's own numbers
    at.file_uploader(key="quant_file").clear().run()  # the ✕ beside the file
    assert [i.value for i in at.info] == [t("quant.data.upload_first", "en")]


def test_a_big_result_is_computed_once_across_reruns(apptest: Any, monkeypatch: Any) -> None:
    """Tensors beyond ui.BIG_TENSOR keep one cached result: a rerun that changes nothing in the
    quantization (here the log-y toggle) must not quantize again."""
    import lib.quantize as lq
    import ui

    monkeypatch.setattr(ui, "BIG_TENSOR", 1000)  # the default synthetic tensor (262,144 values) is now big
    calls = []
    real = lq.quantize
    monkeypatch.setattr(lq, "quantize", lambda *a, **k: calls.append(1) or real(*a, **k))
    at = apptest("quantize")
    assert not at.exception
    first = len(calls)
    assert first >= 1
    at.toggle(key="quant_logy").set_value(True).run()
    at.toggle(key="quant_logy").set_value(False).run()
    assert not at.exception and len(calls) == first
    at.selectbox(key="quant_format").set_value("int4").run()
    assert len(calls) == first + 1


def test_nothing_but_the_caches_keeps_a_result_alive(apptest: Any) -> None:
    """Download functions and the "largest block" callback hold the result weakly: once the caches
    are cleared no QuantResult is left (they held it, so a format change on a 67M-value tensor
    kept the old ~340 MB result alive while the new one was built)."""
    import gc

    import streamlit as st

    from lib.quantize import QuantResult

    at = apptest("quantize")
    for fmt in ("mxfp4", "nf4", "int4"):
        at.selectbox(key="quant_format").set_value(fmt).run()
        assert not at.exception
    st.cache_resource.clear()
    gc.collect()
    assert [r.fmt for r in gc.get_objects() if isinstance(r, QuantResult)] == []


def test_per_channel_on_a_1d_tensor_warns_only_when_scales_are_stored(apptest: Any) -> None:
    """Per channel on 1-D data stores a scale per value (8 + 32 = 40 bits for int8): a warning says so;
    with method none no scale is stored, and no warning claims one."""
    at = apptest("quantize", quant_source="paste", quant_gran="channel")
    warning = t("quant.channel_1d", "en", shape=(4,), bits=40.0)
    assert not at.exception and [w.value for w in at.warning] == [warning]
    at.selectbox(key="quant_method").set_value("none").run()
    assert not at.exception and warning not in [w.value for w in at.warning]
    assert _metrics(at)[t("quant.m.bits_per_element", "en")] == "8"


@pytest.mark.parametrize(("text", "value"), [("150", 99.9), ("inf", 99.9), ("nan", 99.9), ("0", 99.9), ("75", 75.0)])
def test_percentile_from_the_url_outside_the_box_range_falls_back_to_the_default(apptest: Any, text: str,
                                                                                 value: float) -> None:
    """?quant_pct=150 was clamped by the box to 50 without a word (a 0.2 dB 'severe' result)."""
    at = apptest("quantize", quant_method="percentile", quant_pct=text)
    assert not at.exception and not at.error
    assert at.number_input(key="quant_pct").value == value


@pytest.mark.parametrize("text", ["99.999", "99.996", "99.9", "75"])
def test_percentile_box_shows_the_percentile_used(apptest: Any, text: str) -> None:
    """The box drew 99.999 as "100.00" (two decimals) while the results used 99.999."""
    box = apptest("quantize", quant_method="percentile", quant_pct=text).number_input(key="quant_pct")
    assert box.value == float(text) and box.format % box.value == text


@pytest.mark.parametrize(("name", "key"), [("weights.bin", "io.unknown_extension"), ("weights", "io.no_extension")])
def test_unsupported_file_gets_a_translated_message(apptest: Any, name: str, key: str) -> None:
    """The uploader takes any file (its own type filter refused it with English hover text only);
    the loader names what is supported, in the page's language."""
    at = _upload(apptest("quantize", lang="zh"), name, b"\x00" * 64)
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith(t(key, "zh", filename=name, ext=".bin",
                                                     supported=".npy, .npz, .safetensors, .gguf, .csv, .txt")[:8])
    assert ".safetensors" in errors[0]
    assert any(c.value.startswith(t("io.upload.help", "zh", max_mb=200)) for c in at.sidebar.caption)


def test_pasted_numbers_travel_in_the_link(apptest: Any) -> None:
    at = apptest("quantize")
    at.radio(key="quant_source").set_value("paste").run()
    at.text_area(key="quant_paste").set_value("3, -1, 0.25, 7.5, 2").run()
    assert at.query_params["quant_paste"] in ("3, -1, 0.25, 7.5, 2", ["3, -1, 0.25, 7.5, 2"])
    sqnr = _sqnr(at)
    again = apptest("quantize", quant_source="paste", quant_paste="3, -1, 0.25, 7.5, 2")
    assert again.text_area(key="quant_paste").value == "3, -1, 0.25, 7.5, 2" and _sqnr(again) == sqnr


def test_long_pasted_text_stays_out_of_the_link_and_says_so(apptest: Any) -> None:
    at = apptest("quantize", lang="zh")
    at.radio(key="quant_source").set_value("paste").run()
    text = ", ".join(["0.125"] * 400)  # 2,798 characters
    at.text_area(key="quant_paste").set_value(text).run()
    assert not at.exception and "quant_paste" not in at.query_params
    assert t("io.paste.not_in_link", "zh", n=f"{len(text):,}", limit="1,500") in [c.value for c in at.sidebar.caption]


def test_the_array_picked_on_one_page_is_the_one_the_other_page_opens(apptest: Any) -> None:
    """Compare's q_proj became Quantize's first tensor (k_proj), and its downloads were k_proj's."""
    b = np.random.default_rng(9).normal(size=(20, 30)).astype(np.float32)
    buf = io.BytesIO()
    np.savez(buf, first=np.linspace(-1, 1, 50, dtype=np.float32), second=b)
    at = _upload(apptest("quantize"), "two.npz", buf.getvalue())
    at.selectbox(key="quant_array").set_value("second").run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception and at.selectbox(key="cmp_array").value == "second"
    at.selectbox(key="cmp_array").set_value("first").run()
    at.switch_page("pages/quantize.py").run()
    assert not at.exception and at.selectbox(key="quant_array").value == "first"


def _paste(at: Any, text: str) -> Any:
    at.radio(key="quant_source").set_value("paste").run()
    at.text_area(key="quant_paste").set_value(text).run()
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_float8_cast_of_tiny_values_counts_and_explains_the_underflow(apptest: Any, lang: str) -> None:
    """The audit's task: float8_e4m3fn with no scale turns ±1e-5 into 0. The table said '0% clipped' and
    nothing else; now a row right after it counts 2 of the 3 non-zero values, and a caption says why."""
    at = _paste(apptest("quantize", lang=lang), "1e-5, -1e-5, 0.5, 0")
    at.selectbox(key="quant_format").set_value("float8_e4m3fn").run()
    at.selectbox(key="quant_method").set_value("none").run()
    assert not at.exception and not at.error
    m = _metrics(at, lang)
    names = list(m)
    flushed = t("quant.m.flushed_to_zero_fraction", lang)
    assert names.index(flushed) == names.index(t("quant.m.clipped_fraction", lang)) + 1
    assert m[flushed] == "66.7%" and m[t("quant.m.clipped_fraction", lang)] == "0%"
    note = t("quant.flushed_note", lang, pct="66.7%", fmt="float8_e4m3fn", sub_exp=-9, half_exp=-10, half="0.000977")
    assert note in [c.value for c in at.caption]
    at.selectbox(key="quant_method").set_value("absmax").run()  # a scale: nothing lost, no caption
    assert not at.exception and _metrics(at, lang)[flushed] == "0%"
    assert not [c.value for c in at.caption if "2^-10" in c.value]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tiny_synthetic_values_teach_why_fp8_needs_a_scale(apptest: Any, lang: str) -> None:
    """One click from the default page: × 10^-4, float8_e4m3fn, no scale -> 100% rounded to 0 and the
    caption; absmax -> none lost. The sidebar and the link say × 10⁻⁴."""
    at = apptest("quantize", lang=lang)
    at.selectbox(key="quant_dist").set_value("normal").run()
    at.select_slider(key="quant_mag").set_value(-4).run()
    at.selectbox(key="quant_format").set_value("float8_e4m3fn").run()
    at.selectbox(key="quant_method").set_value("none").run()
    assert not at.exception and not at.error
    flushed = t("quant.m.flushed_to_zero_fraction", lang)
    assert _metrics(at, lang)[flushed] == "100%"
    assert any("2^-10" in c.value for c in at.caption)
    label = t("io.kind.normal", lang) + " × 10⁻⁴"
    assert any(label in c.value for c in at.sidebar.caption)
    assert at.query_params.get("quant_mag") == "-4"
    at.selectbox(key="quant_method").set_value("absmax").run()
    x = synthetic("normal", 262_144, seed=0) * np.float32(1e-4)
    lost = quantize(x, "float8_e4m3fn").metrics["flushed_to_zero_fraction"]
    assert lost * x.size == 2  # two values within half a step of 0, as in any scaled tensor
    assert not at.exception and _metrics(at, lang)[flushed] == "0.000763%"  # 2 / 262,144


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_classroom_example_loads_in_one_click_and_its_hint_stays_with_its_data(apptest: Any, lang: str) -> None:
    at = apptest("quantize", lang=lang)
    at.number_input(key="quant_p_llm_like_n_outliers").set_value(0).run()  # whatever was on screen before
    at = _paste(at, "1, 2, 3")
    at.selectbox(key="quant_format").set_value("q4_0").run()
    at.button(key="quant_ex_outliers").click().run()
    assert at.number_input(key="quant_p_llm_like_n_outliers").value == 4  # the example's data, outliers included
    assert not at.exception and not at.error
    assert at.radio(key="quant_source").value == "synthetic" and at.selectbox(key="quant_dist").value == "llm_like"
    assert at.selectbox(key="quant_format").value == "int8" and at.selectbox(key="quant_gran").value == "tensor"
    hint = t("quant.ex.outliers.hint", lang)
    assert [i.value for i in at.info] == [hint] and _sqnr(at, lang) == 23.5
    at.selectbox(key="quant_gran").set_value("channel").run()  # the hint's next step: 42.3 dB on axis 1
    assert _sqnr(at, lang) == 42.32 and hint in [i.value for i in at.info]
    at.number_input(key="quant_seed").set_value(4).run()  # other data: the hint's figures no longer hold
    assert hint not in [i.value for i in at.info]
    at.button(key="quant_ex_fp8_scale").click().run()
    assert at.select_slider(key="quant_mag").value == -4 and at.number_input(key="quant_seed").value == 0
    assert at.selectbox(key="quant_method").value == "none" and at.selectbox(key="quant_gran").value == "tensor"
    assert _metrics(at, lang)[t("quant.m.flushed_to_zero_fraction", lang)] == "100%"
    assert "quant_mag=-4" in "&".join(f"{k}={v}" for k, v in at.query_params.items())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_link_made_on_a_classroom_example_shows_its_hint(apptest: Any, lang: str) -> None:
    """A teacher's link opened the example's data and settings but not its hint."""
    at = apptest("quantize", lang=lang)
    at.button(key="quant_ex_outliers").click().run()
    at.selectbox(key="quant_gran").set_value("channel").run()
    link = {k: v for k, v in at.query_params.items()}
    assert link["quant_example"] in ("outliers", ["outliers"])
    hint = t("quant.ex.outliers.hint", lang)
    opened = apptest("quantize", **link)
    assert not opened.exception and [i.value for i in opened.info] == [hint] and _sqnr(opened, lang) == 42.32
    opened.number_input(key="quant_seed").set_value(4).run()  # other data: the hint goes, and leaves the link
    assert hint not in [i.value for i in opened.info] and "quant_example" not in opened.query_params
    forged = apptest("quantize", **{**link, "quant_seed": "4"})  # a link whose data is not the example's
    assert hint not in [i.value for i in forged.info]


def _shared(at: Any) -> tuple[str, Any]:
    """Click "Share this view": (the link its dialog shows, the app after the click)."""
    at.button(key="ui_share").click().run()
    return next(c.value for c in at.get("code") if c.value.startswith("?lang=")), at


def _page(lang: str, **query: Any) -> Any:
    """The Quantize page run alone: AppTest drops a button's click after switch_page (see README)."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).parent.parent / "pages" / "quantize.py"), default_timeout=60)
    for key, value in {"lang": lang, **query}.items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_share_this_view_holds_the_settings_and_reopens_them(lang: str) -> None:
    """The sidebar's "Share this view" link (and its QR code): opened anew, the same view."""
    from urllib.parse import parse_qs

    at = _page(lang)
    at.selectbox(key="quant_format").set_value("int4").run()
    at.selectbox(key="quant_gran").set_value("group").run()
    at.selectbox(key="quant_block").set_value(32).run()
    at.number_input(key="quant_seed").set_value(7).run()
    assert not at.get("image")  # the dialog opens on a click only
    link, at = _shared(at)
    params = {k: v[0] if len(v) == 1 else v for k, v in parse_qs(link.lstrip("?")).items()}
    assert params["lang"] == lang and params["quant_block"] == "32" and params["quant_seed"] == "7"
    assert len(at.get("image")) == 1 and t("share.upload_note", lang) not in [c.value for c in at.caption]
    opened = _page(**params)
    assert not opened.exception and opened.selectbox(key="quant_block").value == 32
    assert _metrics(opened, lang) == _metrics(at, lang)
    assert _shared(opened)[0] == link
    at.radio(key="quant_source").set_value("upload").run()  # a file does not travel in a link: the box says so
    _, at = _shared(at)
    assert t("share.upload_note", lang) in [c.value for c in at.caption]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_share_a_link_too_long_for_a_qr_code(lang: str) -> None:
    """A link with 5,600 characters of worked-example text: "Share this view" raised segno's
    DataOverflowError and the dialog showed Streamlit's error notice (security review). The box
    now takes 400 characters; a link still too long (with pasted numbers) gets a note, and the
    link to copy."""
    long = ", ".join(["1.5"] * 1100)  # a link longer than the box takes: the box keeps its default
    at = _page(lang, quant_we_text=long)
    assert at.text_input(key="quant_we_text").value == "-0.5, 0.3, 1.2, -2.1" and not at.exception
    assert at.text_input(key="quant_we_text").proto.max_chars == 400
    text = ", ".join(["1.5"] * 80)  # 399 characters: fits the box, not a QR code with the rest of the link
    at.text_input(key="quant_we_text").set_value(text).run()
    pasted = "\n".join(["1.25"] * 299)  # and 1,495 pasted characters
    at.radio(key="quant_source").set_value("paste").run()
    at.text_area(key="quant_paste").set_value(pasted).run()
    link, at = _shared(at)
    assert not at.exception and not at.get("image") and len(link) > 2331
    assert [w.value for w in at.warning if "2,331" in w.value] == [t("share.too_long", lang, n=f"{len(link):,}")]
    at.text_input(key="quant_we_text").set_value("1.5, 2").run()  # short again: the code is back
    _, at = _shared(at)
    assert len(at.get("image")) == 1 and not [w for w in at.warning if "2,331" in w.value]


def test_distribution_parameters_change_the_data_travel_in_the_link_and_reset(apptest: Any) -> None:
    at = apptest("quantize")
    box = at.number_input(key="quant_p_llm_like_n_outliers")
    assert box.value == 4 and at.number_input(key="quant_p_llm_like_outlier_scale").value == 50.0
    assert at.query_params["quant_p_llm_like_outlier_scale"] in ("50.0", ["50.0"])  # in the link, like every setting
    with_outliers = _sqnr(at)
    box.set_value(0).run()
    assert not at.exception and not at.error
    plain = synthetic("llm_like", 262_144, seed=0, n_outliers=0)
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(plain), abs=0.006) and _sqnr(at) > with_outliers + 10
    assert at.query_params["quant_p_llm_like_n_outliers"] in ("0", ["0"])
    assert any("outlier channels = 0" in c.value for c in at.sidebar.caption)  # the tensor's name says so
    at.switch_page("pages/compare.py").run()
    at.switch_page("pages/quantize.py").run()
    assert at.number_input(key="quant_p_llm_like_n_outliers").value == 0  # kept across a page visit
    at.button(key="quant_p_reset").click().run()
    assert at.number_input(key="quant_p_llm_like_n_outliers").value == 4
    assert _sqnr(at) == with_outliers and at.query_params["quant_p_llm_like_n_outliers"] in ("4", ["4"])
    at.selectbox(key="quant_dist").set_value("normal").run()
    assert not [k for k in at.query_params if k.startswith("quant_p_llm_like")]  # only the shown distribution's
    assert at.query_params["quant_p_normal_scale"] in ("1.0", ["1.0"])
    at.selectbox(key="quant_dist").set_value("llm_like").run()
    at.switch_page("pages/compare.py").run()
    at.switch_page("pages/quantize.py").run()
    assert at.number_input(key="quant_p_llm_like_n_outliers").value == 4  # the reset is what is kept


@pytest.mark.parametrize(("df", "want"), [("1", 1.0), ("0.5", 0.5), ("-3", 3.0), ("abc", 3.0), ("0", 3.0)])
def test_distribution_parameter_from_a_link(apptest: Any, df: str, want: float) -> None:
    """A link's value inside the box's range is used; anything else falls back to the default quietly."""
    at = apptest("quantize", quant_dist="student_t", quant_p_student_t_df=df, quant_p_normal_scale="2")
    assert not at.exception and not at.error
    assert at.number_input(key="quant_p_student_t_df").value == want
    x = synthetic("student_t", 262_144, seed=0, df=want)
    assert _sqnr(at) == pytest.approx(_absmax_int8_sqnr(x), abs=0.006)
    assert "quant_p_normal_scale" not in at.query_params  # another distribution's parameter leaves the link
    assert at.query_params["quant_p_student_t_df"] in (str(want), [str(want)])


def test_rows_of_outliers_get_per_channel_scales_along_the_rows_by_default(apptest: Any) -> None:
    """outlier_axis 0 kept the channel axis at 1: per channel read 25 dB instead of 43, below q8_0."""
    at = apptest("quantize", quant_p_llm_like_outlier_axis="0", quant_gran="channel")
    assert not at.exception and not at.error
    assert at.selectbox(key="quant_axis").value == 0
    x = synthetic("llm_like", 262_144, seed=0, outlier_axis=0)
    assert _sqnr(at) == pytest.approx(quantize(x, "int8", granularity="channel", axis=0).metrics["sqnr_db"], abs=0.006)
    assert _sqnr(at) > 40


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_tensor_name_puts_the_factor_before_the_parameters(apptest: Any, lang: str) -> None:
    """"df = 1.5 × 10⁻⁴" read as df = 0.00015; the parameters kept their code names and "~50x"."""
    at = apptest("quantize", lang=lang, quant_dist="llm_like", quant_mag="-4", quant_p_llm_like_n_outliers="8.0",
                 quant_p_llm_like_outlier_scale="0.3333333333", quant_p_llm_like_outlier_axis="1")
    assert not at.exception and not at.error
    assert at.number_input(key="quant_p_llm_like_n_outliers").value == 8  # "8.0" in a link is 8
    caption = next(c.value for c in at.sidebar.caption if "256" in c.value and "×" in c.value)
    want = {"en": "LLM-like matrix × 10⁻⁴, outlier channels = 8, outliers × = 0.3333333333:",
            "zh": "类 LLM 矩阵 × 10⁻⁴，离群通道数 = 8，离群倍数 = 0.3333333333："}[lang]
    assert caption.startswith(want), caption
    assert "50" not in caption.split(":")[0].split("：")[0]


def test_a_link_holds_only_the_settings_of_the_chosen_source(apptest: Any) -> None:
    at = apptest("quantize", quant_dist="normal", quant_p_normal_scale="2")
    assert at.query_params["quant_dist"] in ("normal", ["normal"])
    at.radio(key="quant_source").set_value("paste").run()
    assert not [k for k in at.query_params if k in ("quant_dist", "quant_size", "quant_seed", "quant_mag")
                or k.startswith("quant_p_")]
    assert "quant_paste" in at.query_params
    at.radio(key="quant_source").set_value("synthetic").run()
    assert "quant_paste" not in at.query_params and at.query_params["quant_dist"] in ("normal", ["normal"])


def test_a_dtype_from_the_file_is_shown_as_written(apptest: Any) -> None:
    """A structured .npy whose field name is a Markdown link and image: the sidebar summary showed
    a live link and the browser fetched the image from the outside host."""
    hostile = "[verify](https://evil.example/v) ![p](https://evil.example/p.png)"
    at = _upload(apptest("quantize"), "s.npy", _npy(np.zeros(4, dtype=[(hostile, "<f4")])))
    assert not at.exception
    summary = [c.value for c in at.sidebar.caption if "verify" in c.value]
    assert len(summary) == 1 and "](https://" not in summary[0] and "\\[verify\\]" in summary[0], summary


def test_a_tensor_name_cannot_display_as_another(apptest: Any) -> None:
    """"layer\u202egnp.exe" showed as "layerexe.png" in the tensor picker and the sidebar summary."""
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in ("layer\u202egnp.exe", "other"):
            z.writestr(f"{name}.npy", _npy(np.ones(4, np.float32)))
    at = _upload(apptest("quantize"), "two.npz", buf.getvalue())
    picker = at.sidebar.selectbox(key="quant_array")
    assert [picker.format_func(o) for o in picker.options] == ["layer⟨U+202E⟩gnp.exe", "other"]
    assert any("layer⟨U+202E⟩gnp.exe" in c.value for c in at.sidebar.caption)
