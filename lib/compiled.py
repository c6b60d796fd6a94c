"""Compiled (numba) kernels for the four hot cases of lib.quantize, bit for bit the numpy path.

``quantize`` hands these cases here; everything else stays on the numpy path, which remains the
reference that tests/test_compiled.py compares every field of the result against, byte for byte:

    int8, int4, int2 (signed integers with int8 codes), absmax, per channel on axis 0 or in groups
    along the last axis; mxfp4, and nf4 without double quantization, in blocks along the last
    axis; float32 input of at least MIN_SIZE values, rounding "nearest_even", overflow "saturate".

Why (issue 3): numpy makes one pass over memory per step (divide, round, clip, cast, multiply).
These kernels read a row or block while it sits in the L1 cache and write codes and x̂ in the same
pass. bench/bench_quantize.py on 4096 x 4096 float32, as ratios to a plain copy: per-channel int8
2.7x (numpy 5.1x), int4 groups of 128 3.0x (5.7x), MXFP4 5.8x (13.4x), NF4 5.9x (15.2x).
Costs: numba + llvmlite (~210 MB installed), ~0.15 s to import, ~0.8 s to compile each kernel on
its first use in a process (no disk cache: nothing is written beside the app).

The arithmetic is lib's, step for step:
* int (lib.scales.exact_scale, lib.apply): s = amax / qmax in float32, nudged by at most one ulp
  so that qmax·s == amax, 1 when amax == 0; v = x / s; NaN -> v = 0; rint (half to even); clamp
  to [qmin, qmax]; x̂ = q·s, NaN stays NaN.
  Example: the row [-0.5, 0.3, 1.2, -2.1] -> s = 2.1/127, codes [-30, 18, 73, -127].
* mxfp4 (OCP MX v1.0): e = clip(floor(log2 amax) - 2, -127, 127), read from amax's exponent
  field; v = x·2^-e; E2M1 by its seven midpoints, ties to the even code (0.25 -> 0, 0.75 -> 1);
  code = magnitude | sign << 3 (NaN -> 0); x̂ = ±value·2^e.
* nf4 (bitsandbytes): absmax in float32; v = x·(1/absmax) in float32; the nearest of the 16
  levels, a tie to the lower one; x̂ = level·absmax.

LOWBIT_NUMPY_ONLY=1 in the environment turns the kernels off, as does numba being absent.
"""

from __future__ import annotations

import functools
import os
from types import ModuleType
from typing import Any

import numpy as np

from lib.blocks import BlockScheme
from lib.elements import Element, _table_sorted, get_element
from lib.layout import Layout

#: inputs smaller than this stay on the numpy path: fast anyway, and a pasted row compiles nothing
MIN_SIZE = 1 << 16
#: False: every case takes the numpy path (tests set it to compare the two paths)
ENABLED = os.environ.get("LOWBIT_NUMPY_ONLY", "").lower() not in ("1", "true", "yes")

_F32 = np.dtype(np.float32)
_FP4_MIDPOINTS = (0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5.0)  # between 0, 0.5, 1, 1.5, 2, 3, 4, 6
_FP4_VALUES = (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0)


@functools.cache
def kernels() -> ModuleType | None:
    """lib.kernels (imports numba), or None when numba is not installed."""
    try:
        from lib import kernels as module  # noqa: PLC0415 - numba is imported on first use only
    except ImportError:
        return None
    return module


def covers(x: np.ndarray, layout: Layout, el: Element | None, scheme: BlockScheme | None, method: str,
           rounding: str, overflow: str, double_quant: bool) -> bool:
    """Whether quantize_fast takes this case (see the module docstring); x is the working array."""
    if not ENABLED or x.dtype != _F32 or x.size < MIN_SIZE or not x.flags.c_contiguous or kernels() is None:
        return False
    if rounding != "nearest_even" or overflow != "saturate" or method != "absmax":
        return False
    last = len(layout.shape) - 1
    if scheme is not None:
        return scheme.name in ("mxfp4", "nf4") and not double_quant and layout.axis == last
    assert el is not None
    if el.kind != "int" or el.code_dtype != np.int8:
        return False
    return (layout.granularity == "channel" and layout.axis == 0) or (
        layout.granularity == "group" and layout.axis == last)


def quantize_fast(x: np.ndarray, layout: Layout, el: Element | None, scheme: BlockScheme | None) -> dict[str, Any]:
    """Codes, x̂ (both x's shape), per-row scales (flat, in layout order), clipped count and extra
    of a case ``covers`` accepted."""
    k = kernels()
    assert k is not None, "covers() checks that numba is there"
    if scheme is not None:
        rows = x.reshape(-1, x.shape[-1])
        out = _mxfp4(k, rows, scheme) if scheme.name == "mxfp4" else _nf4(k, rows, scheme)
    else:
        assert el is not None
        rows = x.reshape(x.shape[0], -1) if layout.granularity == "channel" else x.reshape(-1, x.shape[-1])
        out = _ints(k, rows, el, rows.shape[1] if layout.granularity == "channel" else layout.block_size)
    out["codes"], out["dequantized"] = out["codes"].reshape(x.shape), out["dequantized"].reshape(x.shape)
    return out


def _outputs(rows: np.ndarray, block: int, code_dtype: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lines, n = rows.shape
    return (np.empty((lines, n), code_dtype), np.empty((lines, n), np.float32),
            np.empty((lines, -(-n // block)), np.float32))


def _inf_bits() -> np.uint32:
    return np.array([np.inf], np.float32).view(np.uint32)[0]


def _ints(k: ModuleType, rows: np.ndarray, el: Element, block: int) -> dict[str, Any]:
    codes, deq, scale = _outputs(rows, block, np.int8)
    f, fi = np.float32, np.finfo(np.float32)
    clipped = k.int_rows(rows, codes, deq, scale, block, f(el.qmax), f(el.qmin), f(el.qmax), f(el.qmax + 0.5),
                         f(el.qmin - 0.5), f(1.0), f(fi.tiny), f(fi.smallest_subnormal), f(np.inf), f(np.nan),
                         _inf_bits())
    return {"codes": codes, "dequantized": deq, "scale": scale.reshape(-1), "clipped": int(clipped), "extra": {}}


def _mxfp4(k: ModuleType, rows: np.ndarray, scheme: BlockScheme) -> dict[str, Any]:
    codes, deq, scale = _outputs(rows, scheme.block_size, np.uint8)
    expo, scode = np.empty(scale.shape, np.int16), np.empty(scale.shape, np.uint8)
    f, u = np.float32, np.uint32
    pow2 = np.ldexp(1.0, np.arange(-127, 128)).astype(np.float32)
    el = get_element(scheme.element_format)
    clipped = k.mxfp4_rows(rows, codes, deq, scale, expo, scode, pow2, scheme.block_size, u(23), u(0xFF),
                           127 + scheme.emax, u(31), _inf_bits(), tuple(f(v) for v in _FP4_MIDPOINTS),
                           tuple(f(v) for v in _FP4_VALUES), f(el.clip_limit), f(np.inf), f(np.nan))
    return {"codes": codes, "dequantized": deq, "scale": scale.reshape(-1), "clipped": int(clipped),
            "extra": {"scale_codes": scode.reshape(-1), "shared_exponent": expo.reshape(-1)}}


def _nf4(k: ModuleType, rows: np.ndarray, scheme: BlockScheme) -> dict[str, Any]:
    codes, deq, scale = _outputs(rows, scheme.block_size, np.uint8)
    absmax = np.empty(scale.shape, np.float64)
    el = get_element(scheme.element_format)
    levels, mids, _ = _table_sorted(el)
    f = np.float32
    clipped = k.nf4_rows(rows, codes, deq, scale, absmax, scheme.block_size, tuple(f(m) for m in mids.astype(f)),
                         tuple(f(v) for v in levels.astype(f)), f(el.clip_limit), f(1.0), f(np.inf), f(np.nan),
                         _inf_bits(), f(np.finfo(f).max), f(1e-38))
    return {"codes": codes, "dequantized": deq, "scale": scale.reshape(-1), "clipped": int(clipped),
            "extra": {"absmax": absmax.reshape(-1)}}
