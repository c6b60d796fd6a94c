"""NVFP4 against NVIDIA's TensorRT Model Optimizer 0.47 (NVFP4QTensor, CPU path), value for value.

The golden data was written by Model Optimizer itself (tests/data/make_modelopt_golden.py); the
tests need neither it nor torch. One known difference, by design: an input of exactly -0.0 keeps
its sign bit in our codes (8, as ml_dtypes encodes -0.0 in E2M1); Model Optimizer's x < 0 test
gives 0. Both reconstruct it as zero.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lib.quantize import quantize

GOLDEN = np.load(Path(__file__).parent / "data" / "modelopt_nvfp4_golden.npz")
CASES = sorted({k.rsplit("_", 1)[0] for k in GOLDEN.files if k.endswith("_x")})


def test_every_case_is_present() -> None:
    assert CASES == ["clamped", "heavy", "normal", "spread", "weights"]


@pytest.mark.parametrize("case", CASES)
def test_scales_codes_and_values_equal_model_optimizer(case: str) -> None:
    x = GOLDEN[f"{case}_x"]
    r = quantize(x, "nvfp4", axis=1)
    assert np.float32(r.extra["global_scale"]) == GOLDEN[f"{case}_g"]
    assert np.array_equal(r.extra["scale_codes"].reshape(GOLDEN[f"{case}_scale_codes"].shape),
                          GOLDEN[f"{case}_scale_codes"])
    negative_zero = (x == 0) & np.signbit(x)
    assert np.array_equal(r.codes[~negative_zero], GOLDEN[f"{case}_codes"][~negative_zero])
    assert (r.codes[negative_zero] == 8).all() and (GOLDEN[f"{case}_codes"][negative_zero] == 0).all()
    assert np.array_equal(r.dequantized, GOLDEN[f"{case}_deq"])  # (-0.0 == 0.0)


def test_zero_and_tiny_blocks_follow_model_optimizer() -> None:
    """A zero block's ratio is 1 (E4M3 code 0x38); a block whose ratio is below E4M3's smallest
    value is clamped to 2**-9 (code 0x01) and keeps its values instead of becoming zeros."""
    heavy = GOLDEN["heavy_scale_codes"]
    assert heavy[3, 0] == 0x38 and heavy[5, 1] == 0x01
    x, deq = GOLDEN["clamped_x"], GOLDEN["clamped_deq"]
    r = quantize(x, "nvfp4", axis=1)
    tiny = (r.extra["scale_codes"].reshape(x.shape[0], -1) == 0x01)
    assert tiny[1:].all()  # every block of rows 1.. (amax ~0.003 with g = 1) sits at the clamp
    kept = np.repeat(tiny, 16, axis=1) & (deq != 0)
    assert kept.sum() > 1000 and np.array_equal(r.dequantized[kept], deq[kept])
