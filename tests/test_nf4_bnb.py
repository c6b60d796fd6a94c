"""NF4, its double quantization and bnb_fp4 against bitsandbytes 0.50.2 itself (tests/data/bnb_nf4_golden.npz,
written by tests/data/make_bnb_golden.py with torch 2.13 on the CPU)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lib.dynamic8 import DYNAMIC_MAP, dequantize_dynamic, dynamic_map_formula, quantize_dynamic
from lib.formats import get_format
from lib.quantize import quantize

GOLDEN = np.load(Path(__file__).with_name("data") / "bnb_nf4_golden.npz")
CASES = ["normal", "heavy", "scaled"]


def test_golden_file_is_what_it_says() -> None:
    assert GOLDEN["versions"].tolist() == ["bitsandbytes 0.50.2", "torch 2.13.0+cpu"]
    assert {GOLDEN[f"{c}/x"].size for c in CASES} == {16384, 8000, 4096}
    assert GOLDEN["fp4_normal/x"].size == 16384 and GOLDEN["fp4_edges/x"].size == 20736


@pytest.mark.parametrize("case", ["fp4_normal", "fp4_edges"])
def test_bnb_fp4_is_bitsandbytes_value_for_value(case: str) -> None:
    """bnb_fp4 with absmax groups of 64 is bitsandbytes' quantize_4bit(quant_type="fp4"): same absmax,
    same dequantized values, same codes. One difference by design: a value that rounds to zero
    gets code 0 here; bitsandbytes' CPU path gives code 8 (-0) to the positive ones (it sorts +0
    and -0 as equal levels), its CUDA kernel to the negative ones. Both decode to 0.
    fp4_edges holds values within 6 float32 steps of every midpoint: with the table's levels as
    exact twelfths instead of bitsandbytes' float32 values, 20 of them came out differently."""
    x = GOLDEN[f"{case}/x"]
    r = quantize(x, "bnb_fp4", "absmax", granularity="group", axis=0, block_size=64)
    assert np.array_equal(r.scale.reshape(-1).astype(np.float32), GOLDEN[f"{case}/absmax"])
    assert np.array_equal(r.dequantized, GOLDEN[f"{case}/deq"])
    codes, want = r.codes.astype(int), GOLDEN[f"{case}/codes"].astype(int)
    zero_codes = (want == 8) & (codes == 0)
    assert np.array_equal(codes[~zero_codes], want[~zero_codes])
    assert np.all((x[zero_codes] > 0) & (r.dequantized[zero_codes] == 0))
    assert 0 < np.count_nonzero(zero_codes) < 50


def test_dynamic_map_is_the_bitsandbytes_table() -> None:
    assert DYNAMIC_MAP.dtype == np.float32 and DYNAMIC_MAP.size == 256
    assert np.array_equal(DYNAMIC_MAP, GOLDEN["dynamic_map"])
    assert np.all(np.diff(DYNAMIC_MAP) > 0)
    assert DYNAMIC_MAP[0] == np.float32(-0.99296874) and DYNAMIC_MAP[-1] == 1.0 and 0.0 in DYNAMIC_MAP
    assert np.count_nonzero(DYNAMIC_MAP > 0) == 128 and np.count_nonzero(DYNAMIC_MAP < 0) == 127
    assert DYNAMIC_MAP[DYNAMIC_MAP > 0].min() == pytest.approx(0.55e-6, rel=1e-6)  # (0.1 + 1) / 2 · 10**-6


def test_dynamic_map_formula_is_the_recipe_within_two_float32_steps() -> None:
    formula = dynamic_map_formula()
    steps = np.abs(formula.view(np.int32).astype(np.int64) - DYNAMIC_MAP.view(np.int32))
    assert steps.max() == 2  # torch's vectorised linspace rounds some points differently
    assert np.count_nonzero(steps == 0) == 214


def test_dynamic_quantization_example() -> None:
    codes, absmax = quantize_dynamic(np.array([-2.0, 1.0, 0.5, 2.0]))
    assert codes.tolist() == [0, 219, 201, 255] and absmax.tolist() == [2.0]
    assert dequantize_dynamic(codes, absmax).tolist() == pytest.approx([-1.9859375, 1.0015625, 0.49531248, 2.0],
                                                                        rel=1e-7)
    zero_codes, zero_absmax = quantize_dynamic(np.zeros(300))  # 0/0: code 0, as bitsandbytes
    assert zero_codes.tolist() == [0] * 300 and zero_absmax.tolist() == [0.0, 0.0]


@pytest.mark.parametrize("case", CASES)
def test_nf4_is_bitsandbytes_value_for_value(case: str) -> None:
    x = GOLDEN[f"{case}/x"]
    r = quantize(x, "nf4")
    assert np.array_equal(r.codes, GOLDEN[f"{case}/codes"])
    assert np.array_equal(r.dequantized, GOLDEN[f"{case}/deq"])
    assert np.array_equal(r.extra["absmax"].astype(np.float32), GOLDEN[f"{case}/absmax"])


def test_nf4_multiplies_by_the_float32_reciprocal_as_bitsandbytes() -> None:
    # x / absmax and x · fl(1/absmax) differ in the last bit for about a quarter of values; rarely
    # that crosses a midpoint. Here it does: the midpoint between levels 3 and 4 (-0.33967942).
    absmax, x = np.float32(1.1423688), np.float32(-0.38803914)
    levels = get_format("nf4").values().astype(np.float32)
    mid = (levels[3] + levels[4]) / np.float32(2)
    assert x * (np.float32(1) / absmax) <= mid < x / absmax  # product: level 3; division: level 4
    block = np.concatenate([[absmax, x], np.zeros(62)]).astype(np.float32)
    r = quantize(block, "nf4")
    assert r.codes[1] == 3 and r.dequantized[1] == levels[3] * absmax


@pytest.mark.parametrize("case", CASES)
def test_nf4_double_quant_follows_bitsandbytes(case: str) -> None:
    x = GOLDEN[f"{case}/x"]
    r = quantize(x, "nf4", double_quant=True)
    dq = r.extra["double_quant"]
    bnb_codes, bnb_scales = GOLDEN[f"{case}/dq_absmax_codes"], GOLDEN[f"{case}/dq_absmax_scales"]
    bnb_offset = GOLDEN[f"{case}/dq_offset"]
    assert np.array_equal(r.codes, GOLDEN[f"{case}/dq_codes"])  # elements use the exact absmax
    # bitsandbytes' offset is torch's float32 mean: the exactly rounded mean, or one step from it
    assert abs(int(np.float32(dq["mean"]).view(np.int32)) - int(bnb_offset.view(np.int32))) <= 1
    # with bitsandbytes' offset: the same per-256 scales, and codes that are the nearest map value;
    # bitsandbytes' CPU search (an approximate direct-lookup) picks the next one for a few
    absmax = GOLDEN[f"{case}/absmax"]
    codes, scales = quantize_dynamic(absmax - bnb_offset)
    assert np.array_equal(scales, bnb_scales)
    normed = (absmax - bnb_offset) / np.repeat(scales, 256)[: absmax.size]
    differ = np.flatnonzero(codes != bnb_codes)
    assert differ.size <= max(1, absmax.size // 100)
    assert np.all(np.abs(codes[differ].astype(int) - bnb_codes[differ]) == 1)
    assert np.all(np.abs(normed - DYNAMIC_MAP[codes]) <= np.abs(normed - DYNAMIC_MAP[bnb_codes]))
    # our own pipeline: its stored codes are the nearest ones for its offset, and its absmaxes
    # are bitsandbytes' wherever the codes agree (to the last bit when the offsets agree too)
    assert np.array_equal(dq["codes"], quantize_dynamic(absmax - np.float32(dq["mean"]))[0])
    ours = r.scale.ravel().astype(np.float32)
    bnb_recon = dequantize_dynamic(bnb_codes, bnb_scales) + bnb_offset
    same = dq["codes"] == bnb_codes
    assert np.count_nonzero(~same) <= max(1, absmax.size // 100)
    if np.float32(dq["mean"]) == bnb_offset:
        assert np.array_equal(ours[same], bnb_recon[same])
    else:
        assert np.allclose(ours[same], bnb_recon[same], rtol=4e-7, atol=0)
    # bitsandbytes' reconstruction from its stored parts is ours: level · (map[q] · s + offset)
    table = get_format("nf4").values().astype(np.float32)
    rebuilt = table[GOLDEN[f"{case}/dq_codes"]] * np.repeat(bnb_recon, 64)[: x.size]
    assert np.array_equal(rebuilt, GOLDEN[f"{case}/dq_deq"])


def test_double_quant_zero_block_stays_zero_and_constant_block_takes_the_top_level() -> None:
    x = GOLDEN["heavy/x"]  # block 0 is all zeros, block 1 constant 0.25
    r = quantize(x, "nf4", double_quant=True)
    assert np.all(r.dequantized[:64] == 0)
    assert np.all(r.codes[64:128] == 15) and np.allclose(r.dequantized[64:128], 0.25, rtol=2e-3)
