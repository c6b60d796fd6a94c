"""lib.block_example: the block walk-through rederives each block's scale by the published rule
and its displayed arithmetic lands on the codes and x̂ that quantize() produced."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lib.block_example import COLUMNS, block_count, block_walk, element_table, largest_block, scale_table
from lib.blocks import SCHEMES
from lib.errors import QuantizeError
from lib.formats import get_format
from lib.quantize import list_schemes, quantize


def _data() -> np.ndarray:
    """Heavy-tailed rows at very different magnitudes, an all-zero block, a constant block,
    a subnormal-sized row and a row of huge values; 200 columns (not a multiple of 32 or 64)."""
    rng = np.random.default_rng(7)
    x = (rng.standard_t(3, (6, 200)) * rng.uniform(0.01, 100, (6, 1))).astype(np.float32)
    x[1, :64] = 0.0
    x[2, 64:128] = -0.375
    x[3] *= np.float32(1e-40)
    x[4] *= np.float32(1e30)
    return x


CASES = [(s, False) for s in list_schemes()] + [("nf4", True)]


def _per_block(a: np.ndarray, axis: int) -> np.ndarray:
    return np.moveaxis(np.atleast_1d(a), axis, -1).reshape(-1)


@pytest.mark.parametrize(("scheme", "dq"), CASES)
@pytest.mark.parametrize("axis", [1, 0])
def test_rederived_scale_is_the_one_quantize_used(scheme: str, dq: bool, axis: int) -> None:
    x = _data()
    r = quantize(x, fmt=scheme, axis=axis, double_quant=dq)
    scales = _per_block(r.scale, axis)
    assert block_count(r) == scales.size > 0
    for i in range(block_count(r)):
        walk = block_walk(x, r, i)
        assert walk.scale == float(scales[i]), (scheme, i)
        if SCHEMES[scheme].family == "mx":
            assert [s.values[0] for s in walk.scale_steps if s.key == "qb.scale_code"] == [
                float(r.extra["scale_codes"][i])]
        if scheme == "nvfp4":
            assert [s.values[0] for s in walk.scale_steps if s.key == "qb.scale_code"] == [
                float(r.extra["scale_codes"][i])]
        if scheme == "nf4":  # the scale step reads r; the absmax step is rederived: check that one
            amax = [s.values[0] for s in walk.scale_steps if s.key == "qb.amax"]
            assert amax == [float(r.extra["absmax"][i])]


@pytest.mark.parametrize(("scheme", "dq"), CASES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.filterwarnings("ignore:invalid value encountered in multiply")  # inf·0: see below
def test_displayed_arithmetic_lands_on_codes_and_dequantized(scheme: str, dq: bool, dtype: type) -> None:
    """Each column follows from the one before by the formula it is headed with, for inputs
    worked in float32 (float32, float16) and in float64. (GGUF: the 1e30 row's fp16 d overflows
    to inf and inf·0 = NaN in x̂, as in gguf; NaN equals NaN here.)"""
    with np.errstate(over="ignore"):
        x = _data().astype(dtype)
    r = quantize(x, fmt=scheme, axis=1, double_quant=dq)
    sch = SCHEMES[scheme]
    wd = np.float32 if dtype in (np.float32, np.float16) else np.float64  # quantize's working dtype

    def out(v: np.ndarray) -> np.ndarray:  # a working-dtype result as the output dtype holds it
        return np.asarray(v).astype(dtype).astype(np.float64)

    for i in range(block_count(r)):
        w = block_walk(x, r, i)
        c = {k: np.array(w.columns[k]) for k in COLUMNS}
        s, deq = w.scale, c["dequantized"]
        if sch.family in ("mx", "nvfp4") and sch.element_format != "int8":
            fmt = get_format(sch.element_format)
            np.testing.assert_array_equal(fmt.decode(fmt.encode(c["scaled"])), c["element"])
            np.testing.assert_array_equal(fmt.decode(c["code"].astype(np.int64)), c["element"])
            np.testing.assert_array_equal(out(wd(c["element"]) * wd(s)), deq)
        elif scheme == "mxint8":
            q = np.clip(np.rint(c["scaled"]), -127, 127)
            np.testing.assert_array_equal(q, c["code"])
            np.testing.assert_array_equal(c["element"], q * 2.0**-6)
            np.testing.assert_array_equal(out(wd(q) * wd(s)), deq)
        elif scheme == "q8_0":  # gguf works in float32 whatever the input
            v = np.clip(c["scaled"], -127, 127)
            q = np.sign(v) * np.floor(np.abs(v) + 0.5)
            np.testing.assert_array_equal(q, c["code"])
            np.testing.assert_array_equal(out(np.float32(q) * np.float32(s)), deq)
        elif scheme == "q4_0":
            q = np.clip(np.trunc(np.clip(c["scaled"], -0.5, 17.5)), 0, 15)
            np.testing.assert_array_equal(q, c["code"])
            np.testing.assert_array_equal(c["element"], q - 8)
            np.testing.assert_array_equal(out(np.float32(s) * np.float32(q - 8)), deq)
        else:  # nf4: the nearest level, ties to the lower one
            levels = np.sort(get_format("nf4").values())
            mids = ((levels[1:] + levels[:-1]) / 2).astype(wd)
            k = np.searchsorted(mids, c["scaled"].astype(wd), side="left")
            np.testing.assert_array_equal(levels[k], c["element"])
            np.testing.assert_array_equal(out(wd(c["element"]) * wd(s)), deq)
        np.testing.assert_array_equal(c["error"], c["dequantized"] - c["x"])


def test_mxfp4_block_by_hand() -> None:
    """max|x| = 3 -> floor(log2 3) = 1 -> k = 1 - 2 = -1 -> X = 0.5, E8M0 code 126;
    1.3 / 0.5 = 2.6 -> E2M1 3.0 -> x̂ 1.5; -3 / 0.5 = -6 -> -6 -> -3; 0.2 / 0.5 = 0.4 -> 0.5 -> 0.25."""
    x = np.array([1.3, -3.0, 0.2] + [0.0] * 29, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt="mxfp4"), 0)
    assert [(s.key, s.values[0]) for s in w.scale_steps] == [
        ("qb.amax", 3.0), ("qb.floor_log2", 1.0), ("qb.shared_exp", -1.0), ("qb.scale_code", 126.0),
        ("qb.scale", 0.5)]
    assert w.columns["scaled"][:3] == pytest.approx((2.6, -6.0, 0.4))
    assert w.columns["element"][:3] == (3.0, -6.0, 0.5)
    assert w.columns["code"][:3] == (5.0, 15.0, 1.0)  # E2M1 bits: 0101, 1111, 0001
    assert w.columns["dequantized"][:3] == (1.5, -3.0, 0.25)
    codes = [row["code: float4_e2m1fn bit pattern"] for row in element_table(w)[:3]]
    assert codes == ["5 = 0101", "15 = 1111", "1 = 0001"]


def test_q4_0_block_by_hand() -> None:
    """m = -2 (largest |x|, sign kept) -> d = -2 / -8 = 0.25 -> 1/d = 4; x = 1 -> 1·4 + 8.5 = 12.5
    -> code 12 -> x̂ = (12 - 8)·0.25 = 1; x = -2 -> 0.5 -> code 0 -> x̂ = -2."""
    x = np.array([1.0, -2.0, 0.3] + [0.0] * 29, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt="q4_0"), 0)
    assert [(s.key, s.values[0]) for s in w.scale_steps] == [
        ("qb.signed_max", -2.0), ("qb.d", 0.25), ("qb.scale", 0.25)]
    assert w.columns["scaled"][:3] == pytest.approx((12.5, 0.5, 9.7), abs=1e-6)
    assert w.columns["code"][:3] == (12.0, 0.0, 9.0)
    assert w.columns["dequantized"][:3] == (1.0, -2.0, 0.25)


def test_all_zero_mx_block_uses_the_smallest_exponent() -> None:
    x = np.zeros(32, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt="mxfp4"), 0)
    k = [s.values[0] for s in w.scale_steps if s.key == "qb.shared_exp"]
    assert k == [-127.0]  # max(-126 - 2, -127)
    assert w.scale == 2.0**-127 and set(w.columns["dequantized"]) == {0.0}


def test_block_position_and_cropped_last_block() -> None:
    """Blocks count along the axis, line after line; a line of 70 values ends with a block of 6."""
    x = np.arange(2 * 70, dtype=np.float32).reshape(2, 70)
    r = quantize(x, fmt="q8_0", axis=1)
    assert block_count(r) == 6
    w = block_walk(x, r, 5)
    assert (w.line, w.start) == (1, 64)
    assert w.columns["x"] == tuple(float(v) for v in x[1, 64:])
    rows = element_table(w, "en")
    assert len(rows) == 6 and rows[0]["position"] == "64" and rows[0]["x"] == "134"


def test_tables_are_translated() -> None:
    x = np.linspace(-1, 1, 64, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt="nf4"), 0)
    zh = scale_table(w, "zh")
    assert zh[0]["步骤"] == "块内最大绝对值" and zh[0]["数值"] == "1"
    head = list(element_table(w, "zh")[0])
    assert head[:2] == ["位置", "x"] and head[3].startswith("元素：")
    assert all(not math.isnan(float(v)) for v in w.columns["code"])


def test_bad_requests_are_clear_errors() -> None:
    x = np.ones(64, dtype=np.float32)
    with pytest.raises(QuantizeError, match="not a block scheme"):
        block_walk(x, quantize(x, fmt="int8"), 0)
    r = quantize(x, fmt="mxfp4")
    with pytest.raises(QuantizeError, match="blocks are numbered 0 to 1"):
        block_walk(x, r, 2)
    with pytest.raises(QuantizeError, match="no block -1"):
        block_walk(x, r, -1)


def test_largest_block_finds_the_peak_and_ignores_inf() -> None:
    x = np.zeros((3, 70), dtype=np.float32)
    x[2, 65] = -9.0
    x[0, 0] = np.inf
    r = quantize(x, fmt="q8_0", axis=1)  # 3 lines x 3 blocks: (line 2, block 2) is block 8
    assert largest_block(x, r) == 8
    assert block_walk(x, r, 8).columns["x"][1] == -9.0
    assert largest_block(x.T, quantize(x.T, fmt="q8_0", axis=0)) == 8
    assert largest_block(np.zeros(64, np.float32), quantize(np.zeros(64, np.float32), fmt="nf4")) == 0


@pytest.mark.parametrize("axis", range(4))
def test_largest_block_along_every_axis_of_a_4d_tensor(axis: int) -> None:
    x = np.random.default_rng(axis).standard_normal((3, 4, 5, 70)).astype(np.float32)
    r = quantize(x, fmt="q4_0", axis=axis)
    walk = block_walk(x, r, largest_block(x, r))
    assert max(abs(v) for v in walk.columns["x"]) == float(np.abs(x).max())


@pytest.mark.parametrize("fmt", ["mxfp4", "nvfp4", "q4_0", "q8_0", "mxint8", "nf4"])
def test_chinese_headers_have_no_english_words(fmt: str) -> None:
    """The formulas in the headers and the scale steps are maths; their words (element, code,
    scale, level, clamp, tensor) are translated."""
    x = np.linspace(-1, 1, 64, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt=fmt), 0)
    zh = " ".join(element_table(w, "zh")[0]) + " " + " ".join(r["公式"] for r in scale_table(w, "zh"))
    en = " ".join(element_table(w, "en")[0]) + " " + " ".join(r["formula"] for r in scale_table(w, "en"))
    assert not re.search(r"\b(element|code|scale|level|clamp|tensor)\b", zh), zh
    assert re.search(r"\b(element|code|level)\b", en)
    if fmt == "nvfp4":
        assert "clamp to [2^−9, 448]" in en and "限制在 [2^−9, 448] 内" in zh and "整个张量的 max|x|" in zh


def test_axis_runs_note() -> None:
    from lib.block_example import axis_runs_note

    assert axis_runs_note((4, 256), 1, 128) == "256 values along axis 1: 2 runs of up to 128"
    assert axis_runs_note((4,), 0, 32) == "4 values along axis 0: one run (a block holds up to 32)"
    assert axis_runs_note((3, 64), 1, 32, "zh") == "轴 1 上 64 个值：2 段，每段至多 32 个"
    assert axis_runs_note((2, 40), 1, 64, unit="group") == "40 values along axis 1: one run (a group holds up to 64)"
    assert axis_runs_note((2, 16384), 1, 32) == "16,384 values along axis 1: 512 runs of up to 32"
    assert axis_runs_note((10, 100), 1, 64, fmt="nf4") == (
        "100 values along axis 1: 2 runs of up to 64. bitsandbytes blocks the tensor flattened row by row, so "
        "with 100 values a row its blocks would cross rows and its absmaxes and codes can differ from these (here "
        "the last block of each row is padded).")
    assert axis_runs_note((3, 40), 1, 32, "zh", fmt="q4_0") == (
        "轴 1 上 40 个值：2 段，每段至多 32 个。每行 40 个值不是 32 的倍数：gguf 包拒绝把它存为 q4_0，llama.cpp "
        "会改用别的类型存储；这里每行最后一个块做了填充。")


@pytest.mark.parametrize(("fmt", "shape", "axis", "differs"), [
    ("nf4", (6, 128), 1, False), ("nf4", (6, 100), 1, True), ("nf4", (128, 6), 0, True), ("nf4", (100,), 0, False),
    ("nf4", (2, 3, 64), 2, False), ("nf4", (2, 3, 40), 2, True), ("nf4", (1, 100), 1, False), ("nf4", (100, 1), 0, False),
    ("nf4", (3, 100, 1), 1, True), ("nf4", (1, 128, 1), 1, False), ("nf4", (2, 100, 1), 0, True),
])
def test_reference_layout_note_says_when_bitsandbytes_would_differ(fmt: str, shape: tuple[int, ...], axis: int,
                                                                   differs: bool) -> None:
    """bitsandbytes quantizes x.reshape(-1) (tests/test_nf4_bnb.py checks that 1-D case value for
    value). The note appears exactly when our blocks along ``axis`` give other values than that."""
    from lib.block_example import reference_layout_note

    x = np.random.default_rng(1).standard_normal(shape).astype(np.float32)
    ours, flat = quantize(x, "nf4", axis=axis), quantize(x.reshape(-1), "nf4")
    same = np.array_equal(ours.codes.reshape(-1), flat.codes) and np.array_equal(ours.dequantized.reshape(-1),
                                                                                 flat.dequantized)
    assert same is not differs
    assert (reference_layout_note(fmt, shape, axis) is not None) is differs
    assert (reference_layout_note(fmt, shape, axis, "zh") is not None) is differs


@pytest.mark.parametrize(("shape", "axis", "refused"), [((3, 64), 1, False), ((3, 40), 1, True), ((40,), 0, True),
                                                         ((64, 64), 0, None)])
def test_reference_layout_note_says_when_gguf_refuses_or_differs(shape: tuple[int, ...], axis: int,
                                                                 refused: bool | None) -> None:
    import gguf

    from lib.block_example import reference_layout_note

    x = np.random.default_rng(2).standard_normal(shape).astype(np.float32)
    note = reference_layout_note("q4_0", shape, axis)
    if refused is None:  # blocks along axis 0: the package's blocks (along the rows) give other values
        ref = gguf.quants.dequantize(gguf.quants.quantize(x, gguf.GGMLQuantizationType.Q4_0),
                                     gguf.GGMLQuantizationType.Q4_0)
        assert not np.array_equal(quantize(x, "q4_0", axis=axis).dequantized, ref)
        assert note is not None and "last axis" in note
        return
    try:
        gguf.quants.quantize(x, gguf.GGMLQuantizationType.Q4_0)
        package_refused = False
    except gguf.quants.QuantError:
        package_refused = True
    assert package_refused is refused
    assert (note is not None) is refused
    assert reference_layout_note("mxfp4", shape, axis) is None


@pytest.mark.parametrize(("scheme", "rounding", "overflow", "en", "zh"), [
    ("mxfp4", "nearest_even", "saturate", "to nearest, ties to even; ±6 at most", "就近舍入，中点取偶；最大 ±6"),
    ("mxfp4", "toward_zero", "saturate", "toward zero (truncate); ±6 at most", "向零舍入（截断）；最大 ±6"),
    ("nvfp4", "nearest_away", "saturate", "to nearest, ties away from 0; ±6 at most", "就近舍入，中点远离零；最大 ±6"),
    ("mxfp4", "nearest_even", "ieee", "to nearest, ties to even; ±6 at most", "最大 ±6"),  # no inf/NaN: a cast saturates
    ("mxfp8_e4m3", "nearest_even", "ieee", "to nearest, ties to even; a value that rounds beyond ±448 becomes NaN "
     "(ieee cast)", "舍入后超出 ±448 的值变为 NaN（ieee 类型转换）"),
    ("mxfp8_e5m2", "nearest_even", "ieee", "a value that rounds beyond ±57344 becomes ±inf (ieee cast)", "变为 ±inf"),
    ("mxint8", "toward_zero", "ieee", "toward zero (truncate); clip to ±127 (code −128 unused, as Microsoft's MX "
     "reference); × 2^−6 (so ±1.984375 at most)",
     "向零舍入（截断）；裁剪到 ±127"),  # integers always clamp
    ("nf4", "nearest_even", "saturate", "nearest NF4 level (a tie goes to the lower one)", "最近的 NF4 级别（中点取较低级别）"),
    ("nf4", "toward_zero", "saturate", "NF4 level, toward zero (truncate)", "NF4 级别，向零舍入（截断）"),
    ("q4_0", "toward_zero", "ieee", "code − 8", "码 − 8"),  # GGUF keeps its own rule: the modes do not apply
    ("q8_0", "toward_zero", "saturate", "round, ties away from 0", "舍入，中点远离零"),
])
def test_element_heading_names_the_rounding_and_overflow_used(scheme, rounding, overflow, en, zh) -> None:
    """The heading named nearest-even and '±max at most' whatever the modes: toward zero gave
    2.9 -> 2 under 'nearest, ties to even', and E4M3 in ieee mode 500 -> NaN under '±448 at most'."""
    x = np.array([2.9, -2.5, 500.0, 0.3] + [0.1] * 60, dtype=np.float32)
    w = block_walk(x, quantize(x, fmt=scheme, rounding=rounding, overflow=overflow), 0)
    head_en, head_zh = element_table(w, "en")[0], element_table(w, "zh")[0]
    assert any(h.endswith(en) for h in head_en), head_en
    assert any(zh in h for h in head_zh), head_zh


def test_element_column_follows_the_rounding_in_its_heading() -> None:
    """Toward zero, MXFP4's 2.9 / X lands on the element below, as the heading now says."""
    x = np.array([5.8, 2.9] + [0.0] * 30, dtype=np.float32)  # X = 2^(2 - 2) = 1
    w = block_walk(x, quantize(x, fmt="mxfp4", rounding="toward_zero"), 0)
    fp4 = get_format("float4_e2m1fn")
    assert w.columns["scaled"][:2] == pytest.approx((5.8, 2.9))
    assert w.columns["element"][:2] == (4.0, 2.0)
    np.testing.assert_array_equal(fp4.round(np.array(w.columns["scaled"]), rounding="toward_zero"), w.columns["element"])


def test_follow_block_keeps_the_walk_on_the_same_values_across_schemes() -> None:
    """MXFP4's block 914 of a (1024, 256) tensor is line 114, values 64-95; NVFP4's own block 914
    is line 57, values 32-47 (other numbers, and no longer the peak). It now follows the values."""
    from lib.block_example import follow_block

    x = np.random.default_rng(3).standard_normal((1024, 256)).astype(np.float32)
    mx, nv, q4 = (quantize(x, fmt=f, axis=1) for f in ("mxfp4", "nvfp4", "q4_0"))
    index, at = follow_block(mx, None, 914)
    assert index == 914 and block_walk(x, mx, index).line == 114 and block_walk(x, mx, index).start == 64
    index, at = follow_block(nv, at, index)
    w = block_walk(x, nv, index)
    assert (index, w.line, w.start) == (1828, 114, 64)
    index, at = follow_block(q4, at, index)  # back to blocks of 32: the block holding value 64 again
    assert index == 914 and follow_block(q4, at, index) == (914, at)
    assert follow_block(quantize(x, fmt="mxfp4", axis=0), at, 914)[0] == 914  # another axis: the index, in range
    assert follow_block(quantize(x[:8], fmt="mxfp4", axis=1), at, 914)[0] == 0  # another tensor, out of range: 0


def test_q4_0_shows_the_code_before_the_element_worked_out_from_it() -> None:
    """Q4_0 stores q = min(15, trunc(x/d + 8.5)) and its element is q − 8: the code column comes
    first. MX stores the element's bit pattern: element, then code."""
    x = np.linspace(-1, 1, 64, dtype=np.float32)
    q4 = list(element_table(block_walk(x, quantize(x, fmt="q4_0"), 0), "en")[0])
    assert [h.split(":")[0] for h in q4] == ["position", "x", "scaled", "code", "element", "x̂", "error"]
    mx = list(element_table(block_walk(x, quantize(x, fmt="mxfp4"), 0), "en")[0])
    assert [h.split(":")[0] for h in mx] == ["position", "x", "scaled", "element", "code", "x̂", "error"]
