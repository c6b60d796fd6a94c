"""lib.compiled: the numba kernels give the numpy path's result byte for byte (codes, scales, x̂,
every other field and every metric), on adversarial tensors and on random ones (hypothesis)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import ml_dtypes
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lib import compiled
from lib.elements import _table_sorted, get_element
from lib.quantize import quantize

CASES = {  # issue 3's four cases, and the other shapes of them the page can ask for
    "int8 channel": {"fmt": "int8", "granularity": "channel", "axis": 0},
    "int4 group128": {"fmt": "int4", "granularity": "group", "axis": -1, "block_size": 128},
    "mxfp4": {"fmt": "mxfp4", "axis": -1},
    "nf4": {"fmt": "nf4", "axis": -1},
    "int2 group16": {"fmt": "int2", "granularity": "group", "axis": -1, "block_size": 16},
    "int8 group32": {"fmt": "int8", "granularity": "group", "axis": -1, "block_size": 32},
    "int4 channel": {"fmt": "int4", "granularity": "channel", "axis": 0},
}
F32 = np.float32


@contextmanager
def kernels_for_any_size() -> Iterator[list]:
    """Small tensors take the kernels too, and each call says whether it took them."""
    saved = compiled.MIN_SIZE, compiled.ENABLED, compiled.quantize_fast
    taken: list[bool] = []

    def spy(*args):
        taken.append(True)
        return saved[2](*args)

    compiled.MIN_SIZE, compiled.quantize_fast = 0, spy
    try:
        yield taken
    finally:
        compiled.MIN_SIZE, compiled.ENABLED, compiled.quantize_fast = saved


def both_paths(x: np.ndarray, kw: dict) -> tuple:
    """(the numpy path's result, the kernels' result) for the same call."""
    with kernels_for_any_size() as taken:
        compiled.ENABLED = False
        ref = quantize(x, **kw)
        assert not taken
        compiled.ENABLED = True
        got = quantize(x, **kw)
        assert taken == [True], "the kernels were not used"
    return ref, got


def _bytes(a) -> bytes:
    a = np.ascontiguousarray(a)
    return a.dtype.str.encode() + repr(a.shape).encode() + a.tobytes()


def assert_same(ref, got) -> None:
    for name in ("codes", "scale", "dequantized"):
        assert _bytes(getattr(ref, name)) == _bytes(getattr(got, name)), name
    for name in ("zero_point", "fmt", "element_format", "method", "granularity", "axis", "block_size",
                 "bits_per_element", "clipped_count", "levels_available", "rounding", "overflow"):
        assert getattr(ref, name) == getattr(got, name), name
    assert set(ref.extra) == set(got.extra)
    for name in ref.extra:
        assert _bytes(ref.extra[name]) == _bytes(got.extra[name]), name
    assert list(ref.metrics) == list(got.metrics)
    for name, value in ref.metrics.items():  # NaN == NaN, and -0.0 != 0.0
        other = got.metrics[name]
        assert type(value) is type(other) and (value == other or (value != value and other != other)), name
        if isinstance(value, float) and value == other:
            assert math.copysign(1, value) == math.copysign(1, other), name


def adversarial() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(123)
    base = rng.standard_normal((16, 1024)).astype(F32)
    zeros = base.copy()
    zeros[3], zeros[5], zeros[7, :128], zeros[9], zeros[13, 256:384] = 0.0, -0.0, 0.0, 1.2345, 3.0
    ties = np.zeros((8, 1024), F32)
    ties[0, :254] = np.arange(-127, 127, dtype=F32) + F32(0.5)
    ties[0, -1] = 127.0  # scale 1: every (k + 0.5) a tie
    ties[1] = np.tile(np.array([-8.5, -7.5, -6.5, -0.5, 0.5, 1.5, 2.5, 6.5, 7.0] + [7.0] * 119, F32), 8)
    fp4 = np.array([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0, 7.0, 6.0, 4.0] * 3 + [6.0, 7.5], F32)
    ties[2] = np.tile(np.concatenate([fp4, -fp4]), 16)
    mids = _table_sorted(get_element("nf4"))[1].astype(F32)
    row = np.concatenate([mids, -mids, [1.0], np.nextafter(mids, F32(2)), np.nextafter(mids, F32(-2))])
    ties[3] = np.resize(np.concatenate([row, np.ones(64 - row.size % 64, F32)]), 1024)
    ties[3, ::64] = 1.0  # NF4 midpoints and their neighbours, absmax 1
    s = F32(2.1) / F32(127)
    ties[4] = np.resize(((np.arange(-127, 127) + 0.5) * s).astype(F32), 1024)
    ties[4, 0] = F32(2.1)  # ties at a scale that is not a power of two
    ties[5] = np.resize((np.arange(-8, 8) + 0.5).astype(F32) * F32(0.37), 1024)
    ties[6] = np.resize(fp4 * F32(2.0**-130), 1024)  # MX ties at a subnormal scale
    ties[7] = np.resize(fp4 * F32(2.0**120), 1024)
    special = base.copy()
    special[0, 5], special[1, 7], special[2, 9], special[3], special[4] = np.nan, np.inf, -np.inf, np.nan, np.inf
    special[5, ::2], special[6, 100:], special[7, :64], special[8, :32] = -np.inf, np.nan, np.nan, np.inf
    special[9, 3] = -np.nan
    special[10, 4] = np.array(0x7FA00001, np.uint32).view(F32)  # a signalling NaN with a payload
    special[11, 5] = np.array(0xFFC12345, np.uint32).view(F32)
    special[12, :128] = 0.0
    special[12, 3] = np.inf
    tiny = (rng.standard_normal((8, 1024)) * 1e-40).astype(F32)
    tiny[1] = F32(1.4e-45) * rng.integers(-9, 10, 1024)
    tiny[2] = F32(5.66e-43) * rng.standard_normal(1024).astype(F32)
    tiny[3] = F32(1e-44)
    tiny[4] = (rng.standard_normal(1024) * 3e38).astype(F32)  # near FLT_MAX
    tiny[5] = np.finfo(F32).max
    tiny[5, ::3] = -np.finfo(F32).max
    tiny[6] = np.finfo(F32).smallest_subnormal
    odd = rng.standard_normal((100, 1000)).astype(F32)  # 1000: not a multiple of 128, 64, 32 or 16
    odd[10, 990:], odd[11, 999] = np.nan, np.inf
    return {"normal": base, "zeros and constants": zeros, "ties": ties, "nan and inf": special,
            "subnormal and huge": tiny, "magnitudes 1e-30..1e30": (rng.standard_normal((61, 256)) *
                                                                     np.logspace(-30, 30, 61)[:, None]).astype(F32),
            "rows not a multiple of the block": odd, "3-D": rng.standard_normal((3, 8, 160)).astype(F32),
            "1-D": rng.standard_normal(1000).astype(F32), "one row": rng.standard_normal((1, 200)).astype(F32)}


INPUTS = adversarial()


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("name", list(INPUTS))
def test_kernels_give_the_numpy_paths_bytes(case, name):
    ref, got = both_paths(INPUTS[name], CASES[case])
    assert_same(ref, got)


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
@pytest.mark.parametrize("name", ["normal", "nan and inf", "subnormal and huge", "rows not a multiple of the block"])
def test_half_precision_input_takes_the_kernels_with_the_same_bytes(dtype, name):
    """float16/bfloat16 uploads work in float32, so they take the kernels too; x̂ comes back in their dtype."""
    x = INPUTS[name].astype(ml_dtypes.bfloat16 if dtype == "bfloat16" else np.float16)
    for kw in CASES.values():
        ref, got = both_paths(x, kw)
        assert_same(ref, got)
        assert got.dequantized.dtype == x.dtype


def test_worked_example_per_channel():
    x = np.tile(np.array([-0.5, 0.3, 1.2, -2.1], F32), (1 << 15, 1))  # 131,072 values: the kernels' size
    r = quantize(x, fmt="int8", granularity="channel", axis=0)
    assert r.codes[0].tolist() == [-30, 18, 73, -127] and r.scale[0, 0] == F32(2.1) / F32(127)


special = st.sampled_from([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -3e-44, 3.4e38, 0.5, -2.5, 6.0, 7.5])
values = st.one_of(st.floats(-1e6, 1e6, width=32), st.floats(width=32), special)


@settings(max_examples=150, deadline=None)
@given(x=arrays(F32, st.tuples(st.integers(1, 12), st.integers(1, 300)), elements=values),
       case=st.sampled_from(list(CASES)), scale=st.sampled_from([1.0, 1e-30, 1e30, 3.0]))
def test_kernels_match_on_random_tensors(x, case, scale):
    with np.errstate(all="ignore"):
        x = (x * F32(scale)).astype(F32)
    assert_same(*both_paths(x, CASES[case]))


def test_kernels_take_only_their_cases():
    x = np.zeros((256, 256), F32)
    ok = {"fmt": "int8", "granularity": "channel", "axis": 0}
    assert compiled.ENABLED and compiled.kernels() is not None  # numba is a requirement
    used = []
    real = compiled.quantize_fast
    try:
        compiled.quantize_fast = lambda *a: used.append(True) or real(*a)
        quantize(x, **ok)
        assert used == [True]
        for other in ({**ok, "axis": 1}, {**ok, "method": "minmax"}, {**ok, "rounding": "nearest_away"},
                      {**ok, "overflow": "ieee"}, {**ok, "fmt": "uint8"}, {**ok, "fmt": "float8_e4m3fn"},
                      {**ok, "granularity": "tensor"}, {"fmt": "nf4", "axis": -1, "double_quant": True},
                      {"fmt": "mxfp4", "axis": 0}, {"fmt": "q4_0", "axis": -1}, {"fmt": "nvfp4", "axis": -1}):
            quantize(x, **other)
        quantize(x.astype(np.float64), **ok)
        quantize(x[:16], **ok)  # 4,096 values: below MIN_SIZE
        assert used == [True]
    finally:
        compiled.quantize_fast = real
