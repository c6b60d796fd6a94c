"""Compare page through AppTest: the default run ranks every default choice by SQNR, a synthetic
change changes the numbers, the choices follow the multiselect, and a bad upload is an error."""

from __future__ import annotations

import io
import json
from typing import Any

import numpy as np
import pytest

from lib.compare import DEFAULT_CHOICES, label_text
from lib.i18n import t


def _table(at: Any, lang: str = "en") -> Any:
    head = t("cmp.col.label", lang)
    for df in at.dataframe:
        if head in df.value.columns and t("cmp.col.verdict", lang) in df.value.columns:
            return df.value
    return None


def _sqnr(at: Any, lang: str = "en") -> list[float]:
    col = _table(at, lang)[t("quant.m.sqnr_db", lang)]
    return [float("inf") if v == "∞" else float(v) for v in col]


def test_default_run_ranks_every_default_choice(apptest: Any) -> None:
    at = apptest("compare")
    assert not at.exception and not at.error and not at.warning
    table = _table(at)
    assert sorted(table[t("cmp.col.label", "en")]) == sorted(c.label for c in DEFAULT_CHOICES)
    sq = _sqnr(at)
    assert sq == sorted(sq, reverse=True)
    by = dict(zip(table[t("cmp.col.label", "en")], sq))
    assert by["float16 none"] > by["int8 absmax ch"] > by["mxfp4"]
    assert 30 < by["int8 absmax ch"] < 50
    assert t("quant.m.flushed_to_zero_fraction", "en") in table.columns  # next to the clipped fraction
    assert len(at.get("plotly_chart")) == 3
    budget = [df.value for df in at.dataframe if t("cmp.budget", "en") in df.value.columns][0]
    assert budget.iloc[0, 0] == "≤ 4.51"  # every row's bits within its label: NVFP4's 4.502 was listed under "≤ 4.5"
    assert all(float(bits.lstrip("≈")) <= float(bound[2:]) for bound, bits in zip(budget.iloc[:, 0], budget.iloc[:, 2]))
    for df in at.dataframe:  # both tables show short metric headers (the long ones were cut at 1024 px)
        config = json.loads(df.proto.columns)
        assert config["SQNR (dB, higher is better)"] == {"label": "SQNR (dB)", "help": "SQNR (dB, higher is better)"}
        assert config["bits per value (scales and zero points included)"]["label"] == "bits per value"
    assert [b.label for b in at.get("download_button")] == [t("cmp.download", "en")]
    assert at.get("download_button")[0].proto.help == t("cmp.download_help", "en")


def test_synthetic_change_and_choices(apptest: Any) -> None:
    at = apptest("compare", lang="zh")
    before = _sqnr(at, "zh")
    at.selectbox(key="cmp_dist").set_value("uniform").run()
    assert not at.exception
    assert _sqnr(at, "zh") != before
    at.multiselect(key="cmp_choices").set_value(["int8 absmax", "int4 absmax g128", "mxfp4"]).run()
    table = _table(at, "zh")
    assert len(table) == 3 and table.iloc[0, 0] == "int8 absmax"
    at.multiselect(key="cmp_choices").set_value([]).run()
    assert not at.exception and _table(at, "zh") is None
    assert any(t("cmp.none_chosen", "zh") == i.value for i in at.info)


def test_chinese_page_names_choices_in_chinese_words(apptest: Any) -> None:
    """The choices box, table, charts and best box said "int8 absmax ch", "float16 none" on the
    Chinese page; the link keeps the label itself (cmp_choices=int8+absmax+ch)."""
    at = apptest("compare", lang="zh", cmp_choices=["int8 absmax ch", "float16 none", "int4 absmax g128"])
    assert not at.exception and not at.error
    box = at.multiselect(key="cmp_choices")
    assert "int8 absmax 逐通道" in box.options and box.value == ["int8 absmax ch", "float16 none", "int4 absmax g128"]
    assert sorted(_table(at, "zh")[t("cmp.col.label", "zh")]) == ["float16 无缩放", "int4 absmax 逐组 128", "int8 absmax 逐通道"]
    charts = " ".join(c.proto.spec for c in at.get("plotly_chart"))
    assert "int8 absmax 逐通道" in charts and "int8 absmax ch" not in charts
    assert at.query_params.get("cmp_choices") == ["int8 absmax ch", "float16 none", "int4 absmax g128"]


def test_a_changed_list_runs_only_the_new_choices(apptest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Taking one choice off 32 reran the other 31 (8 s on a 16M-value upload): results are kept per choice."""
    import lib.compare as cmp

    at = apptest("compare", cmp_choices=["int8 absmax", "q8_0", "mxfp4"], cmp_seed="7")
    first = _sqnr(at)
    ran: list[str] = []
    real = cmp._one
    monkeypatch.setattr(cmp, "_one", lambda x, c, a: ran.append(c.label) or real(x, c, a))
    at.multiselect(key="cmp_choices").set_value(["int8 absmax", "mxfp4"]).run()
    assert not at.exception and ran == [] and len(_sqnr(at)) == 2
    at.multiselect(key="cmp_choices").set_value(["int8 absmax", "q8_0", "mxfp4", "nf4"]).run()
    assert ran == ["nf4"] and set(first) < set(_sqnr(at))
    at.number_input(key="cmp_seed").set_value(8).run()  # other data: everything runs
    assert sorted(ran) == ["int8 absmax", "mxfp4", "nf4", "nf4", "q8_0"]


def test_distribution_parameters_shape_the_compared_data(apptest: Any) -> None:
    from lib.quantize import quantize
    from lib.synthetic import synthetic

    at = apptest("compare", lang="zh", cmp_dist="student_t")
    at.number_input(key="cmp_p_student_t_df").set_value(30.0).run()  # close to normal: light tails
    assert not at.exception and not at.error
    assert at.query_params["cmp_p_student_t_df"] in ("30.0", ["30.0"])
    by_label = dict(zip(_table(at, "zh")[t("cmp.col.label", "zh")], _sqnr(at, "zh")))
    for df in (30.0, 3.0):
        x = synthetic("student_t", 262_144, seed=0, df=df)
        want = quantize(x, "int8", "minmax").metrics["sqnr_db"]
        assert (by_label["int8 minmax"] == pytest.approx(want, abs=0.006)) == (df == 30.0)


def test_bad_upload_is_an_error_and_page_recovers(apptest: Any) -> None:
    at = apptest("compare")
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("empty.npz", b"PK\x05\x06" + bytes(18), "x")).run()
    assert not at.exception
    assert len(at.error) == 1 and _table(at) is None
    buf = io.BytesIO()
    np.save(buf, np.random.default_rng(0).normal(size=(32, 64)).astype(np.float32))
    at.file_uploader(key="cmp_file").set_value(("w.npy", buf.getvalue(), "x")).run()
    assert not at.exception and not at.error
    assert len(_table(at)) == len(DEFAULT_CHOICES)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_block_scheme_only(apptest: Any, lang: str) -> None:
    at = apptest("compare", lang=lang, cmp_choices=["q8_0", "q4_0"])
    table = _table(at, lang)
    assert table[t("cmp.col.label", lang)].tolist() == ["q8_0", "q4_0"]
    assert table[t("quant.m.bits_per_element", lang)].tolist() == ["8.5", "4.5"]


def test_an_unknown_choice_in_a_link_drops_only_itself(apptest: Any) -> None:
    at = apptest("compare", cmp_choices=["q8_0", "no_such_format", "q4_0"])
    assert at.multiselect(key="cmp_choices").value == ["q8_0", "q4_0"]
    at = apptest("compare", cmp_choices=["nope"])
    assert at.multiselect(key="cmp_choices").value == [c.label for c in DEFAULT_CHOICES]


def test_a_new_tensor_gets_its_own_default_axis(apptest: Any) -> None:
    """The synthetic matrix's axis 1 stayed after an upload (axis 0 by default), so the same file
    ranked int8 per-channel 3rd at 42 dB, or 5th at 30 dB after a visit to another tensor."""
    at = apptest("compare")
    assert at.selectbox(key="cmp_axis").value == 1  # the LLM-like matrix: outliers along columns
    buf = io.BytesIO()
    np.save(buf, np.random.default_rng(0).normal(size=(32, 64)).astype(np.float32))
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("w.npy", buf.getvalue(), "x")).run()
    assert not at.exception and at.selectbox(key="cmp_axis").value == 0
    at.selectbox(key="cmp_axis").set_value(1).run()  # the user's own choice stays with this tensor
    at.run()
    assert at.selectbox(key="cmp_axis").value == 1


def _three_tensor_file() -> bytes:
    from safetensors.numpy import save

    rng = np.random.default_rng(11)
    return save({"big.weight": rng.standard_normal((64, 256)).astype(np.float32),
                 "small.weight": (0.01 * rng.standard_normal((32, 96))).astype(np.float32),
                 "norm": (3.0 + rng.standard_normal(96)).astype(np.float32)})


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_whole_file_mode_combines_every_tensor(apptest: Any, lang: str) -> None:
    """A file of three tensors: the toggle runs every choice on all of them, size-weighted."""
    from lib.compare import Choice
    from lib.compare_file import run_compare_file
    from lib.io import load_tensors

    data = _three_tensor_file()
    at = apptest("compare", lang=lang, cmp_choices=["q8_0", "int8 absmax", "int8 absmax ch"])
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("three.safetensors", data, "x")).run()
    assert not at.exception and not at.warning
    toggle = at.toggle(key="cmp_whole")
    assert toggle.label == t("cmp.whole_file", lang, n=3) and toggle.value is False
    assert at.selectbox(key="cmp_array").value == "big.weight"  # one tensor until the toggle is on
    one = _sqnr(at, lang)
    toggle.set_value(True).run()
    assert not at.exception and not at.error
    assert "cmp_array" not in [s.key for s in at.sidebar.selectbox]  # the whole file: no tensor to pick
    # by default the 1-D "norm" is left out, as recipes keep norms in 16/32 bits: per channel runs
    assert at.checkbox(key="cmp_skipvec").value is True and not at.warning
    three = (Choice("q8_0"), Choice("int8", "absmax"), Choice("int8", "absmax", "channel"))
    kept = run_compare_file(load_tensors(data, "three.safetensors"), three, skip_vectors=True)
    assert kept.vectors_left_out == (("norm", 96),) and kept.n_tensors == 2
    table = _table(at, lang)
    assert table[t("cmp.col.label", lang)].tolist() == [label_text(lab, lang) for lab in kept.table["label"]]
    assert _sqnr(at, lang) == [round(v, 2) for v in kept.table["sqnr_db"]]
    # bits over the two matrices (19,456 values): int8 per channel stores 64 + 32 row scales
    bits = dict(zip(table[t("cmp.col.label", lang)], table[t("quant.m.bits_per_element", lang)]))
    assert bits == {"q8_0": "8.5", "int8 absmax": "8.003", label_text("int8 absmax ch", lang): "8.158"}
    captions = [c.value for c in at.caption]
    assert t("cmp.vectors_left_out_one", lang, n=1, values="96", names=["norm"]) in captions  # not "1 1-D tensors"
    assert t("cmp.file_summary", lang, file="three.safetensors", n=2, values="19,456") in captions
    at.checkbox(key="cmp_skipvec").uncheck().run()  # now the norm too
    assert not at.exception and not at.error
    table = _table(at, lang)
    labels = table[t("cmp.col.label", lang)].tolist()
    assert labels == ["q8_0", "int8 absmax"]  # per channel cannot run on the 1-D "norm": reported below
    want = run_compare_file(load_tensors(data, "three.safetensors"), (Choice("q8_0"), Choice("int8", "absmax")))
    assert _sqnr(at, lang) == [round(v, 2) for v in want.table["sqnr_db"]] != one[:2]
    # bits: q8_0 8.5 everywhere; int8 per tensor (8·19552 + 3·32) / 19552 = 8.00491
    assert table[t("quant.m.bits_per_element", lang)].tolist() == ["8.5", "8.005"]
    assert t("quant.m.levels_used", lang) not in table.columns  # does not add up across tensors
    (warning,) = at.warning
    assert label_text("int8 absmax ch", lang) in warning.value and "norm" in warning.value
    assert t("cmp.file_summary", lang, file="three.safetensors", n=3, values="19,552") in [c.value for c in at.caption]
    breakdown = [df.value for df in at.dataframe if t("cmp.col.error_share", lang) in df.value.columns]
    assert len(breakdown) == 1 and sorted(breakdown[0][t("cmp.col.tensor", lang)]) == ["big.weight", "norm", "small.weight"]
    assert at.selectbox(key="cmp_breakdown").value == "q8_0"
    at.selectbox(key="cmp_breakdown").set_value("int8 absmax").run()
    shares = [df.value for df in at.dataframe if t("cmp.col.error_share", lang) in df.value.columns][0]
    per = want.per_tensor[want.per_tensor["label"] == "int8 absmax"].sort_values("sqnr_db")
    assert shares[t("quant.m.sqnr_db", lang)].tolist() == [f"{v:.2f}" for v in per["sqnr_db"]]
    assert [b.label for b in at.get("download_button")] == [t("cmp.download_file", lang)]
    toggle = at.toggle(key="cmp_whole")
    toggle.set_value(False).run()  # back to one tensor, the same one
    assert at.selectbox(key="cmp_array").value == "big.weight" and _sqnr(at, lang)[:2] == one[:2]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_whole_file_with_no_usable_tensor_says_why_for_each(apptest: Any, lang: str) -> None:
    """An empty and an all-NaN tensor: the page said only "None of the file's 2 tensors can be
    quantized (the first, a, cannot either)" under a full "Done" progress bar."""
    from safetensors.numpy import save

    data = save({"a": np.zeros((0, 4), np.float32), "b": np.full((2, 2), np.nan, np.float32)})
    at = apptest("compare", lang=lang)
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("allbad.safetensors", data, "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("cmp.file_no_tensor", lang, n=2, first="a")]
    reasons = [w.value for w in at.warning]
    assert len(reasons) == 2 and reasons[0].startswith(t("cmp.file_excluded", lang, name="a", reason="").strip())
    assert t("io.empty_array", lang, name="a", shape="\\(0, 4\\)") in reasons[0], reasons  # Markdown shows (0, 4)
    assert t("io.all_nan", lang, name="b") in reasons[1] and not at.get("progress")  # no bar left over
    assert not at.dataframe
    at = apptest("compare", lang=lang)  # an empty 1-D tensor is left out as a vector: named as such
    at.radio(key="cmp_source").set_value("upload").run()
    data = save({"empty": np.zeros(0, np.float32), "nans": np.full((8, 8), np.nan, np.float32)})
    at.file_uploader(key="cmp_file").set_value(("bad2.safetensors", data, "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    assert [e.value for e in at.error] == [t("cmp.file_no_tensor_one", lang, n=1, first="nans")]
    assert t("cmp.vectors_left_out_one", lang, n=1, values="0", names=["empty"]) in [c.value for c in at.caption]
    assert len(at.warning) == 1 and "nans" in at.warning[0].value


def test_whole_file_mode_runs_only_the_new_choices(apptest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A changed list reran every choice on every tensor (12.7 s for 32 choices on 20 tensors)."""
    import lib.compare_file as cf

    at = apptest("compare", cmp_choices=["int8 absmax", "q8_0"])
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("three2.safetensors", _three_tensor_file(), "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    before = _sqnr(at)
    runs: list[tuple[str, ...]] = []
    real = cf.run_compare_file
    monkeypatch.setattr(cf, "run_compare_file", lambda t, c, *a, **k: runs.append(tuple(x.label for x in c)) or real(t, c, *a, **k))
    at.multiselect(key="cmp_choices").set_value(["q8_0"]).run()
    at.multiselect(key="cmp_choices").set_value(["int8 absmax", "q8_0", "mxfp4"]).run()
    assert not at.exception and not at.error and runs == [("mxfp4",)]
    assert set(before) < set(_sqnr(at))


def test_whole_file_axis_change_reruns_only_the_per_channel_choices(apptest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change of the axis reran every choice on every tensor; per-tensor and block choices do
    not use it."""
    import lib.compare_file as cf

    at = apptest("compare", cmp_choices=["int8 absmax", "int8 absmax ch", "q8_0"])
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("three3.safetensors", _three_tensor_file(), "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    rows = dict(zip(_table(at)[t("cmp.col.label", "en")], _sqnr(at)))
    runs: list[tuple[str, ...]] = []
    real = cf.run_compare_file
    monkeypatch.setattr(cf, "run_compare_file", lambda t, c, *a, **k: runs.append(tuple(x.label for x in c)) or real(t, c, *a, **k))
    at.selectbox(key="cmp_faxis").set_value(1).run()
    moved = dict(zip(_table(at)[t("cmp.col.label", "en")], _sqnr(at)))
    assert not at.exception and not at.error and runs == [("int8 absmax ch",)]
    assert moved["int8 absmax"] == rows["int8 absmax"] and moved["q8_0"] == rows["q8_0"]
    assert moved["int8 absmax ch"] != rows["int8 absmax ch"]
    at.selectbox(key="cmp_faxis").set_value(0).run()  # back: nothing runs
    assert runs == [("int8 absmax ch",)] and dict(zip(_table(at)[t("cmp.col.label", "en")], _sqnr(at))) == rows


def test_no_whole_file_toggle_for_a_single_tensor(apptest: Any) -> None:
    at = apptest("compare")
    at.radio(key="cmp_source").set_value("upload").run()  # no file yet: Compare's own words
    assert [i.value for i in at.info] == [t("cmp.data.upload_first", "en")]
    at.radio(key="cmp_source").set_value("synthetic").run()
    assert not at.exception and len(at.toggle) == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_preset_replaces_the_choices_in_one_click(apptest: Any, lang: str) -> None:
    from lib.compare import CHOICE_PRESETS

    at = apptest("compare", lang=lang)
    at.button(key="cmp_preset_four_bit").click().run()
    assert not at.exception and not at.error
    assert at.multiselect(key="cmp_choices").value == list(CHOICE_PRESETS["four_bit"])
    assert sorted(_table(at, lang)[t("cmp.col.label", lang)]) == sorted(label_text(lab, lang) for lab in CHOICE_PRESETS["four_bit"])
    assert at.button(key="cmp_preset_all").label == t("cmp.preset.all", lang, n=32)
    at.button(key="cmp_preset_default").click().run()
    assert len(_table(at, lang)) == len(CHOICE_PRESETS["default"])


def test_names_in_a_whole_file_warning_are_shown_as_written(apptest: Any) -> None:
    """An all-NaN tensor named as a Markdown link and image: its "left out" warning showed a live
    link, and the browser fetched the image from the outside host (the reason's own name was not
    escaped)."""
    from safetensors.numpy import save

    hostile = "[sign in](https://evil.example/login) ![px](https://evil.example/p.png)"
    data = save({hostile: np.full((4, 4), np.nan, np.float32), "w": np.ones((4, 4), np.float32)})
    at = apptest("compare")
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("hostile.safetensors", data, "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    assert not at.exception and len(at.warning) == 1
    shown = at.warning[0].value
    assert "](https://" not in shown and "![" not in shown, shown
    assert shown.count("\\[sign in\\]") == 2  # the name and the reason's copy of it, both escaped


def test_a_whole_file_of_too_many_tensors_says_so(apptest: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past lib.compare_file.MAX_FILE_TENSORS the page says how many and what to do, and one
    tensor at a time still works."""
    from safetensors.numpy import save

    import lib.compare_file as cf

    monkeypatch.setattr(cf, "MAX_FILE_TENSORS", 2)
    data = save({f"w{i}": np.full((4, 4), i + 1, np.float32) for i in range(3)})
    at = apptest("compare", lang="zh")
    at.radio(key="cmp_source").set_value("upload").run()
    at.file_uploader(key="cmp_file").set_value(("many.safetensors", data, "x")).run()
    at.toggle(key="cmp_whole").set_value(True).run()
    assert not at.exception and [e.value for e in at.error] == [t("cmp.file_too_many", "zh", n="3", limit="2")]
    at.toggle(key="cmp_whole").set_value(False).run()
    assert not at.exception and not at.error and at.dataframe
