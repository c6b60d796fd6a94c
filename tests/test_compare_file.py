"""lib.compare_file: every choice on every tensor of a file, combined as one tensor.

The combined numbers are checked against plain numpy over lib.quantize's x̂ of each tensor
(Σx²/Σe² over the whole file, not the mean of per-tensor dB), and bits per value against figures
worked out by hand from the tensors' sizes."""

from __future__ import annotations

import io
import math

import numpy as np
import pandas as pd
import pytest
from safetensors.numpy import save

from lib.compare import Choice, compare_csv, csv_file_name, error_text, ok_rows
from lib.compare_file import FileStep, per_tensor_table, run_compare_file
from lib.i18n import t
from lib.io import LoadedTensor, load_tensors
from lib.quantize import quantize

RNG = np.random.default_rng(11)
# three sizes and three scales; sizes are multiples of 32 (whole Q8_0 / MX blocks)
TENSORS = {
    "big.weight": RNG.standard_normal((64, 256)).astype(np.float32),          # 16,384 values, scale 1
    "small.weight": (0.01 * RNG.standard_normal((32, 96))).astype(np.float32),  # 3,072 values, scale 0.01
    "norm": (3.0 + RNG.standard_normal(96)).astype(np.float32),               # 96 values, 1-D, offset 3
}
SIZES = {name: x.size for name, x in TENSORS.items()}
CHOICES = (Choice("q8_0"), Choice("int8", "absmax"), Choice("int4", "absmax", "group", 128), Choice("mxfp4"),
           Choice("nf4"), Choice("float8_e4m3fn", "absmax"))


def _npz(arrays: dict[str, np.ndarray]) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


@pytest.fixture(scope="module", params=["safetensors", "npz"])
def loaded(request: pytest.FixtureRequest) -> dict[str, LoadedTensor]:
    if request.param == "safetensors":
        return load_tensors(save(TENSORS), "three.safetensors")
    return load_tensors(_npz(TENSORS), "three.npz")


@pytest.fixture(scope="module")
def result(loaded: dict[str, LoadedTensor]):  # noqa: ANN201
    return run_compare_file(loaded, CHOICES, channel_axis=0)


def _reference(choice: Choice) -> dict[str, float]:
    """Whole-file metrics in plain numpy (float64) from lib.quantize's x̂ of each tensor."""
    sxx = see = sxh = shh = sabs = 0.0
    mx, clipped, bits, n = 0.0, 0, 0.0, 0
    for x in TENSORS.values():
        axis = x.ndim - 1  # groups and blocks along the last axis, as the page runs them
        r = quantize(x, **choice.kwargs(axis))
        x64, h64 = x.astype(np.float64), np.asarray(r.dequantized, dtype=np.float64)
        e = h64 - x64
        sxx += float(np.sum(x64 * x64))
        see += float(np.sum(e * e))
        sxh += float(np.sum(x64 * h64))
        shh += float(np.sum(h64 * h64))
        sabs += float(np.sum(np.abs(e)))
        mx = max(mx, float(np.max(np.abs(e))))
        clipped += r.clipped_count
        bits += r.bits_per_element * x.size
        n += x.size
    return {"sqnr_db": 10 * math.log10(sxx / see), "rmse": math.sqrt(see / n), "mean_abs_error": sabs / n,
            "max_abs_error": mx, "cosine": sxh / math.sqrt(sxx * shh), "clipped_fraction": clipped / n,
            "bits_per_element": bits / n}


@pytest.mark.parametrize("choice", CHOICES, ids=lambda c: c.label)
def test_combined_metrics_are_the_whole_files_not_a_mean(result, choice: Choice) -> None:  # noqa: ANN001
    row = result.table.set_index("label").loc[choice.label]
    ref = _reference(choice)
    for key, value in ref.items():
        assert row[key] == pytest.approx(value, rel=1e-12, abs=1e-15), key
    assert row["compression_vs_fp32"] == pytest.approx(32 / ref["bits_per_element"], rel=1e-12)
    assert math.isnan(row["levels_used"])  # does not add up across tensors: left out
    # where the tensors' dB differ, their mean is another number (the big tensor dominates Σe²)
    per = result.per_tensor[result.per_tensor["label"] == choice.label]["sqnr_db"]
    if per.max() - per.min() > 1:
        assert abs(per.mean() - row["sqnr_db"]) > 0.1


def test_bits_per_value_by_hand(result) -> None:  # noqa: ANN001
    bits = result.table.set_index("label")["bits_per_element"]
    total = sum(SIZES.values())  # 16,384 + 3,072 + 96 = 19,552
    assert bits["q8_0"] == 8.5  # every size a multiple of 32: 8 + 16/32 everywhere
    assert bits["mxfp4"] == 4.25  # 4 + 8/32 everywhere
    # int8 per tensor: 8 + 32/N_t on each tensor, weighted by N_t: (8·19552 + 3·32) / 19552
    assert bits["int8 absmax"] == pytest.approx((8 * total + 3 * 32) / total, rel=1e-15)
    # int4 g128 along rows: big 256 = 2 groups of 128; small rows of 96 and the 96-vector are one
    # partial group each, storing a whole scale: 32 bits per 96 values
    hand = (16_384 * 4 + 64 * 2 * 32) + (3_072 * 4 + 32 * 32) + (96 * 4 + 32)
    assert bits["int4 absmax g128"] == pytest.approx(hand / total, rel=1e-15)


def test_per_tensor_rows_match_quantize_and_shares_add_up(result) -> None:  # noqa: ANN001
    per = result.per_tensor
    assert len(per) == len(CHOICES) * 3 and per["error_key"].isna().all()
    for choice in CHOICES:
        rows = per[per["label"] == choice.label].set_index("tensor")
        see = {}
        for name, x in TENSORS.items():
            r = quantize(x, **choice.kwargs(x.ndim - 1))
            assert rows.loc[name, "sqnr_db"] == r.metrics["sqnr_db"]  # the same sums as compute_metrics
            assert rows.loc[name, "bits_per_element"] == r.bits_per_element
            see[name] = float(np.sum((np.asarray(r.dequantized, np.float64) - x.astype(np.float64)) ** 2))
        for name in TENSORS:
            assert rows.loc[name, "error_share"] == pytest.approx(see[name] / sum(see.values()), rel=1e-12)
    assert result.n_tensors == 3 and result.n_values == sum(SIZES.values()) and result.excluded == ()


def test_breakdown_table_worst_first(result) -> None:  # noqa: ANN001
    table = per_tensor_table(result, "q8_0", "zh")
    assert list(table.columns) == [t("cmp.col.tensor", "zh"), t("cmp.col.shape", "zh"), t("cmp.col.values", "zh"),
                                   t("quant.m.sqnr_db", "zh"), t("quant.m.bits_per_element", "zh"),
                                   t("cmp.col.error_share", "zh")]
    sq = [float(v) for v in table[t("quant.m.sqnr_db", "zh")]]
    assert sq == sorted(sq)
    assert set(table[t("cmp.col.values", "zh")]) == {"16,384", "3,072", "96"}
    assert table[t("cmp.col.shape", "zh")].tolist()[table[t("cmp.col.tensor", "zh")].tolist().index("norm")] == "(96,)"


def test_a_choice_failing_on_one_tensor_is_reported_not_averaged() -> None:
    """int8 per channel cannot run on the 1-D "norm": no combined numbers over the two others."""
    loaded = load_tensors(save(TENSORS), "three.safetensors")
    res = run_compare_file(loaded, (Choice("int8", "absmax", "channel"), Choice("q8_0")))
    row = res.table.set_index("label").loc["int8 absmax ch"]
    assert row["error_key"] == "cmp.file_failed" and math.isnan(row["sqnr_db"]) and math.isnan(row["bits_per_element"])
    assert list(ok_rows(res.table)["label"]) == ["q8_0"] and res.table["label"].iloc[-1] == "int8 absmax ch"
    assert row["error_params"]["failed"] == 1 and row["error_params"]["tensors"] == ["norm"]
    en = error_text(row, "en")
    assert en.startswith("it cannot run on 1 of the file's 3 tensors (norm)") and "shape (96,)" in en
    assert "（norm）" in error_text(row, "zh") and "(96,)" in error_text(row, "zh")
    assert "norm\\_1" in error_text({**row, "error_params": {**row["error_params"], "tensors": ["norm_1"]}},
                                    "en", escape=lambda s: s.replace("_", "\\_"))
    per = res.per_tensor.set_index(["label", "tensor"])
    assert per.loc[("int8 absmax ch", "norm"), "error_key"] == "cmp.channel_needs_matrix"
    assert per.loc[("int8 absmax ch", "big.weight"), "sqnr_db"] > 30  # it did run on the matrices


def test_many_failures_are_counted_after_five_names() -> None:
    vectors = {f"bias.{i}": np.linspace(-1, 1, 64, dtype=np.float32) * (i + 1) for i in range(7)}
    res = run_compare_file(load_tensors(_npz(vectors), "b.npz"), (Choice("int8", "absmax", "channel"),))
    row = res.table.iloc[0]
    assert row["error_key"] == "cmp.file_failed_more" and row["error_params"]["more"] == 2
    assert "(bias.0, bias.1, bias.2, bias.3, bias.4 and 2 more)" in error_text(row, "en")


def test_nd_tensors_use_axis_0_and_unreadable_ones_are_excluded() -> None:
    arrays = {"conv": RNG.standard_normal((4, 3, 8)).astype(np.float32), "w": RNG.standard_normal((4, 32)),
              "bad": np.array([1 + 2j, 3j])}
    res = run_compare_file(load_tensors(_npz(arrays), "m.npz"), (Choice("int8", "absmax", "channel"),), channel_axis=0)
    assert [(name, key) for name, key, _ in res.excluded] == [("bad", "io.complex_array")]
    assert res.n_tensors == 2 and res.n_values == 96 + 128
    per = res.per_tensor.set_index("tensor")
    assert per.loc["conv", "shape"] == "(4, 3, 8) → (4, 24)"  # the file's shape, then the matrix quantized
    assert per.loc["w", "shape"] == "(4, 32)"
    conv = arrays["conv"].reshape(4, 24)  # channels along axis 0, one scale per row
    assert per.loc["conv", "sqnr_db"] == quantize(conv, "int8", "absmax", "channel", axis=0).metrics["sqnr_db"]
    # axis 1 of every matrix: one scale per column
    res1 = run_compare_file(load_tensors(_npz(arrays), "m.npz"), (Choice("int8", "absmax", "channel"),), channel_axis=1)
    w_col = quantize(arrays["w"], "int8", "absmax", "channel", axis=1)
    assert res1.per_tensor.set_index("tensor").loc["w", "sqnr_db"] == w_col.metrics["sqnr_db"]
    assert res1.per_tensor.set_index("tensor").loc["w", "bits_per_element"] == 8 + 32 * 32 / 128


def test_a_file_of_only_unreadable_tensors_is_an_error() -> None:
    from lib.errors import LoadError

    with pytest.raises(LoadError) as err:
        run_compare_file(load_tensors(_npz({"a": np.array([1j]), "b": np.array([np.nan])}), "x.npz"), (Choice("q8_0"),))
    assert err.value.key == "cmp.file_no_tensor"


def test_reusing_results_runs_only_new_choices_and_answers_as_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page's cache: taking a choice off runs nothing, adding one runs it alone, and the answer
    equals a fresh run of exactly those choices (table order, per-tensor rows, what was left out)."""
    import lib.compare_file as cf
    from lib.errors import LoadError

    arrays = {"a": RNG.standard_normal((8, 64)).astype(np.float32), "b": RNG.standard_normal((4, 32)),
              "bad": np.array([1j])}
    tensors = load_tensors(_npz(arrays), "r.npz")
    three = (Choice("int8"), Choice("q8_0"), Choice("int4", "absmax", "group", 32))
    done: dict = {}
    first = cf.run_compare_file_reusing(tensors, three, done)
    calls: list[tuple[str, ...]] = []
    real = cf.run_compare_file
    monkeypatch.setattr(cf, "run_compare_file", lambda t, c, *a, **k: calls.append(tuple(x.label for x in c)) or real(t, c, *a, **k))
    two = cf.run_compare_file_reusing(tensors, three[1:], done)
    four = cf.run_compare_file_reusing(tensors, (*three, Choice("nf4")), done)
    assert calls == [("nf4",)]
    for got, want in ((two, real(tensors, three[1:])), (four, real(tensors, (*three, Choice("nf4"))))):
        pd.testing.assert_frame_equal(got.table.drop(columns="seconds"), want.table.drop(columns="seconds"),
                                      check_dtype=False)  # block_size: int64 or float64 (NaN) by the rows present
        key = ["label", "tensor"]
        pd.testing.assert_frame_equal(got.per_tensor.sort_values(key).reset_index(drop=True),
                                      want.per_tensor.sort_values(key).reset_index(drop=True))
        assert (got.excluded, got.n_tensors, got.n_values) == (want.excluded, want.n_tensors, want.n_values)
    assert first.n_tensors == 2 and len(first.table) == 3
    none = cf.run_compare_file_reusing(tensors, (), done)  # no choice: an empty table, as a plain run gives
    assert none.table.empty and none.n_tensors == 2


def test_a_new_axis_reruns_only_the_per_channel_choices_and_answers_as_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whole-file Compare reran every choice when the axis changed. Now only per-channel choices
    run again; the axis-0 run's per-channel rows must not leak into the axis-1 answer."""
    import lib.compare_file as cf
    from lib.errors import LoadError

    a = RNG.standard_normal((8, 64)).astype(np.float32)
    a[:, 3] *= 50  # an outlier column: per row and per column differ
    tensors = load_tensors(_npz({"a": a, "b": RNG.standard_normal((4, 32)).astype(np.float32)}), "r.npz")
    three = (Choice("int8"), Choice("int8", "absmax", "channel"), Choice("q8_0"))
    done: dict = {}
    at0 = cf.run_compare_file_reusing(tensors, three, done, 0)
    real = cf.run_compare_file
    want = real(tensors, three, 1)
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(cf, "run_compare_file", lambda t, c, *a, **k: calls.append(tuple(x.label for x in c)) or real(t, c, *a, **k))
    at1 = cf.run_compare_file_reusing(tensors, three, done, 1)
    assert calls == [("int8 absmax ch",)]
    pd.testing.assert_frame_equal(at1.table.drop(columns="seconds"), want.table.drop(columns="seconds"), check_dtype=False)
    key = ["label", "tensor"]
    pd.testing.assert_frame_equal(at1.per_tensor.sort_values(key).reset_index(drop=True),
                                  want.per_tensor.sort_values(key).reset_index(drop=True))
    sqnr = {axis: r.table.set_index("label").loc["int8 absmax ch", "sqnr_db"] for axis, r in ((0, at0), (1, at1))}
    assert sqnr[1] > sqnr[0] + 10
    assert cf.run_compare_file_reusing(tensors, three, done, 0).table.equals(at0.table) and len(calls) == 1


def test_exact_everywhere_is_inf() -> None:
    arrays = {"a": np.array([0.5, -1.0, 2.0, 0.0], np.float32), "b": np.arange(-8, 8, dtype=np.float32)}
    res = run_compare_file(load_tensors(_npz(arrays), "e.npz"), (Choice("float16", "none"), Choice("int4", "absmax")))
    row = res.table.set_index("label").loc["float16 none"]
    assert row["sqnr_db"] == math.inf and row["cosine"] == 1.0 and row["bits_per_element"] == 16.0
    assert res.table["label"].iloc[0] == "float16 none"
    assert res.per_tensor.set_index(["label", "tensor"]).loc[("float16 none", "a"), "error_share"] == 0.0


def test_progress_names_each_tensor_and_choice_and_values_are_not_kept() -> None:
    loaded = load_tensors(save(TENSORS), "three.safetensors")
    steps: list[FileStep] = []
    run_compare_file(loaded, CHOICES[:2], progress=steps.append)
    assert len(steps) == 3 * 2 + 1 and steps[-1].done == steps[-1].total == 6
    assert [(s.done, s.tensor, s.name, s.label) for s in steps[:3]] == [
        (0, 0, "big.weight", "q8_0"), (1, 0, "big.weight", "int8 absmax"), (2, 1, "norm", "q8_0")]
    assert all(s.n_tensors == 3 for s in steps)
    assert not any("values" in tensor.__dict__ for tensor in loaded.values())  # read, then dropped


def test_read_reuses_values_already_read() -> None:
    calls = []

    def load() -> np.ndarray:
        calls.append(1)
        return np.ones(3)

    tensor = LoadedTensor("a", "float64", (3,), load)
    tensor.read(), tensor.read()
    assert len(calls) == 2 and "values" not in tensor.__dict__
    _ = tensor.values
    assert tensor.read() is tensor.values and len(calls) == 3


def test_whole_file_csv_says_so(result) -> None:  # noqa: ANN001
    back = pd.read_csv(io.StringIO(compare_csv(result.table, "en", "three.safetensors", 0, whole_file=3)))
    assert back["tensor"].tolist() == ["three.safetensors"] * len(CHOICES)
    assert back["scope"].tolist() == ["whole_file"] * len(CHOICES) and back["tensor_count"].tolist() == [3] * len(CHOICES)
    assert back["levels_used"].isna().all()
    assert back.set_index("label").loc["q8_0", "bits_per_element"] == 8.5
    assert csv_file_name("three.safetensors", whole_file=True) == "three_whole_file_compare.csv"
    assert csv_file_name("my model.v2.gguf", whole_file=True) == "my_model.v2_whole_file_compare.csv"


def test_skip_vectors_leaves_the_1d_tensors_out_and_per_channel_runs(loaded: dict[str, LoadedTensor]) -> None:
    """Biases and norms stay in 16/32 bits in real recipes; per channel could not run on them, so it
    failed on every real model file. With skip_vectors the file is its matrices."""
    per_channel = Choice("int8", "absmax", "channel")
    res = run_compare_file(loaded, (per_channel, Choice("q8_0")), channel_axis=0, skip_vectors=True)
    assert res.vectors_left_out == (("norm", 96),) and res.excluded == ()
    assert res.n_tensors == 2 and res.n_values == 16_384 + 3_072
    assert res.table["error_key"].isna().all()
    x_big, x_small = TENSORS["big.weight"], TENSORS["small.weight"]
    see = sxx = 0.0
    for x in (x_big, x_small):
        e = quantize(x, "int8", granularity="channel", axis=0).dequantized.astype(np.float64) - x
        see, sxx = see + float((e * e).sum()), sxx + float((x.astype(np.float64) ** 2).sum())
    row = res.table.set_index("label").loc[per_channel.label]
    assert row["sqnr_db"] == pytest.approx(10 * math.log10(sxx / see), abs=1e-9)
    assert row["bits_per_element"] == pytest.approx(8 + 32 * (64 + 32) / 19_456, abs=1e-12)  # one scale per row
    assert set(res.per_tensor["tensor"]) == {"big.weight", "small.weight"}
    unskipped = run_compare_file(loaded, (per_channel,), channel_axis=0)
    assert unskipped.vectors_left_out == () and unskipped.table["error_key"].iloc[0] is not None


def test_a_file_of_vectors_only_says_so_when_they_are_left_out() -> None:
    from lib.errors import LoadError

    files = load_tensors(save({"a.bias": np.ones(8, np.float32), "b.bias": np.zeros(4, np.float32)}), "b.safetensors")
    with pytest.raises(LoadError) as info:
        run_compare_file(files, (Choice("q8_0"),), skip_vectors=True)
    assert info.value.key == "cmp.file_only_vectors" and info.value.params["n"] == 2
    assert "All 2 tensors" in info.value.message("en") and "2 个张量" in info.value.message("zh")
    assert run_compare_file(files, (Choice("int8", "absmax"),)).n_tensors == 2  # included when asked


def test_a_file_of_too_many_tensors_is_refused_before_any_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """200,000 tensors of 2 × 2 (a 17.5 MB file) took 24 minutes of CPU (security review). Beyond
    MAX_FILE_TENSORS tensors to run, the comparison says so at once; vectors left out do not count."""
    import lib.compare_file as cf
    from lib.errors import LoadError

    monkeypatch.setattr(cf, "MAX_FILE_TENSORS", 3)
    ran: list[str] = []

    class Tensor:
        def __init__(self, shape: tuple[int, ...]) -> None:
            self.shape = shape

        def read(self) -> np.ndarray:
            ran.append("read")
            return np.ones(self.shape, np.float32)

    four = {f"w{i}": Tensor((2, 2)) for i in range(4)}
    with pytest.raises(LoadError) as info:
        cf.run_compare_file(four, [Choice("int8", "absmax")])
    assert info.value.key == "cmp.file_too_many" and info.value.params == {"n": "4", "limit": "3"} and not ran
    assert info.value.message("zh").startswith("此文件有 4 个待比较的张量")
    three_and_a_bias = {**{f"w{i}": Tensor((2, 2)) for i in range(3)}, "b": Tensor((2,))}
    assert cf.run_compare_file(three_and_a_bias, [Choice("int8", "absmax")], skip_vectors=True).n_tensors == 3
