"""Properties of lib.quantize on random tensors (hypothesis, modest example counts)."""

from __future__ import annotations

import math
import warnings

import ml_dtypes
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lib.errors import QuantizeError
from lib.formats import list_formats
from lib.quantize import list_methods, list_schemes, quantize

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


_FORMATS = list_formats() + list_schemes()
_CONTENTS = ["normal", "tiny", "huge", "constant", "zeros", "positive", "negative", "nonfinite", "inf_columns"]
_DTYPES = [np.float32, np.float64, np.float16, ml_dtypes.bfloat16, np.int32]


def _content(kind: str, shape: tuple[int, ...], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    x *= {"tiny": 1e-40, "huge": 1e37}.get(kind, 1.0)
    if kind == "constant":
        x[...] = 0.37
    elif kind == "zeros":
        x[...] = 0.0
    elif kind == "positive":
        x = np.abs(x) + 3
    elif kind == "negative":
        x = -np.abs(x)
    elif kind in ("nonfinite", "inf_columns"):
        flat = x.reshape(-1)
        flat[rng.integers(0, flat.size, max(1, flat.size // 5))] = rng.choice([np.nan, np.inf, -np.inf])
        if kind == "inf_columns":
            x[..., : min(3, x.shape[-1])] = np.inf
    return x


@settings(max_examples=150, deadline=None)
@given(fmt=st.sampled_from(_FORMATS), method=st.sampled_from(list_methods()),
       gran=st.sampled_from(["tensor", "channel", "group"]), kind=st.sampled_from(_CONTENTS),
       dtype=st.sampled_from(_DTYPES), shape=st.lists(st.integers(1, 24), min_size=1, max_size=3),
       block=st.sampled_from([1, 8, 32]), seed=st.integers(0, 2**16),
       rounding=st.sampled_from(["nearest_even", "nearest_away", "toward_zero", "stochastic"]))
def test_any_setting_on_any_tensor_is_quiet_and_consistent(fmt: str, method: str, gran: str, kind: str,
                                                           dtype: type, shape: list[int], block: int,
                                                           seed: int, rounding: str) -> None:
    """Every format, method, granularity, dtype and kind of content: either a QuantizeError
    (a setting that does not apply) or a result with no warning, NaN kept where x is NaN, finite
    x̂ for finite x (away from float32's limits), counts in range and a real SQNR."""
    with np.errstate(all="ignore"):
        x = _content(kind, tuple(shape), seed)
        x = np.nan_to_num(x, posinf=1e6, neginf=-1e6).clip(-2e9, 2e9).astype(dtype) if dtype is np.int32 \
            else x.astype(dtype)
    if fmt in list_schemes():
        method = "absmax"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            r = quantize(x, fmt, method, gran, axis=len(shape) - 1, block_size=block, rounding=rounding)
        except QuantizeError:
            return
        m = r.metrics
    xs = np.asarray(x).astype(np.float64)
    deq = r.dequantized.astype(np.float64)
    finite = np.isfinite(xs)
    assert r.dequantized.shape == x.shape
    assert np.isnan(deq[np.isnan(xs)]).all()
    if kind != "huge" and dtype is not np.int32:  # fp16 d (GGUF) and float32 rounding near its max
        assert np.isfinite(deq[finite]).all()
    assert 0 <= r.clipped_count <= x.size and 0 <= m["clipped_fraction"] <= 1
    assert m["nonfinite_count"] == int((~finite).sum())
    assert not math.isnan(m["sqnr_db"]) and m["mse"] >= 0
    assert m["levels_used"] <= m["levels_available"]
    assert np.isfinite(r.scale).all() or fmt in ("q4_0", "q8_0")
