"""Properties of lib.quantize on random tensors (hypothesis, modest example counts)."""

from __future__ import annotations

import warnings

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lib.quantize import quantize

finite32 = st.floats(-6e4, 6e4, allow_nan=False, width=32)  # GGUF's fp16 d must not overflow
tensors = arrays(np.float32, st.tuples(st.integers(1, 6), st.integers(1, 40)), elements=finite32)


@settings(max_examples=60, deadline=None)
@given(x=tensors, gran=st.sampled_from(["tensor", "channel", "group"]), fmt=st.sampled_from(["int8", "int4"]))
def test_absmax_int_error_is_at_most_half_a_step(x: np.ndarray, gran: str, fmt: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        r = quantize(x, fmt, "absmax", gran, axis=1, block_size=8)
    step = r.scale_per_element().astype(np.float64)
    assert np.all(np.abs(r.dequantized.astype(np.float64) - x) <= step / 2 * (1 + 1e-6) + 1e-30)
    qmax = 127 if fmt == "int8" else 7
    assert np.all((r.codes >= -qmax - 1) & (r.codes <= qmax))  # -qmax-1 only for subnormal scales
    assert np.array_equal(r.dequantized, (r.codes.astype(np.float32) * r.scale_per_element()).astype(np.float32))
    assert r.metrics["clipped_fraction"] == 0.0


@settings(max_examples=40, deadline=None)
@given(x=tensors, fmt=st.sampled_from(["int8", "uint8", "int4"]))
def test_minmax_keeps_zero_exact_and_error_small(x: np.ndarray, fmt: str) -> None:
    r = quantize(x, fmt, "minmax", "channel", axis=0)
    step = np.broadcast_to(r.scale, x.shape).astype(np.float64)
    assert np.all(np.abs(r.dequantized.astype(np.float64) - x) <= step * (1 + 1e-6))
    zero = x == 0
    assert np.all(r.dequantized[zero] == 0)


@settings(max_examples=40, deadline=None)
@given(x=tensors, fmt=st.sampled_from(["mxfp4", "mxfp8_e4m3", "nf4", "q8_0", "q4_0", "nvfp4"]))
def test_block_schemes_shapes_and_bounded_error(x: np.ndarray, fmt: str) -> None:
    r = quantize(x, fmt, axis=1)
    assert r.codes.shape == x.shape and r.dequantized.shape == x.shape
    assert np.all(np.isfinite(r.dequantized))
    amax = float(np.abs(x).max()) if x.size else 0.0
    assert np.all(np.abs(r.dequantized.astype(np.float64) - x) <= amax + 1e-30)
