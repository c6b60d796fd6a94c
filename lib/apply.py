"""Apply per-row scales element-wise: codes = clip(snap(x / scale) + zero_point), x̂ = (grid - zp)·scale.

Works on the rows x values view of lib.layout in chunks of about 128K values, so temporaries stay
a few hundred KB whatever the tensor size. NaN inputs give code 0 (integer/table formats) or the
format's own NaN handling (float formats), and x̂ = NaN; ±Inf saturate like any too-large value
(fnuz float8 formats: to NaN).

Worked example (int8, scale 2.1/127, no zero point): x = 1.2 -> 1.2 / 0.0165354 = 72.571 -> code 73
-> x̂ = 73 · 0.0165354 = 1.20709.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.elements import Element, snap
from lib.scales import _CHUNK, RowStats, _rectangles, row_stats


@dataclass(frozen=True)
class Applied:
    """Codes and reconstruction on the rows view, plus how many finite values were clipped."""

    codes: np.ndarray
    dequantized: np.ndarray
    clipped: int


def apply_scales(
    x2d: np.ndarray,
    el: Element,
    scale: np.ndarray,
    zero_point: np.ndarray | None = None,
    *,
    stats: RowStats | None = None,
    rounding: str = "nearest_even",
    overflow: str = "saturate",
    rng: np.random.Generator | None = None,
    dequant_scale: np.ndarray | None = None,
    reciprocal: np.ndarray | None = None,
    codes_out: np.ndarray | None = None,
    deq_out: np.ndarray | None = None,
) -> Applied:
    """Quantize every row of ``x2d`` with its scale (and zero point) onto ``el``'s grid.

    Args:
        x2d: rows x values, float32 or float64 (the working dtype).
        el: element format.
        scale: (rows,) scales in x2d's dtype.
        zero_point: (rows,) integer zero points, or None (symmetric).
        stats: lib.scales.row_stats of x2d (default: computed here). Rows whose finite range
            fits the grid skip the clip count and the integer clamp; rows holding NaN/Inf are
            masked.
        rounding, overflow, rng: element rounding modes (see lib.formats).
        dequant_scale: scales used to reconstruct, when they differ from the ones used to
            quantize (NF4 double quantization); default ``scale``.
        codes_out, deq_out: optional arrays (rows x values; el.code_dtype and x2d's dtype) to
            write the codes and the reconstruction into, e.g. slices of the caller's outputs.

    Returns:
        Applied(codes (rows x values, el.code_dtype), dequantized (x2d's dtype), clipped count).
        A value counts as clipped when its scaled value lies beyond the grid by more than
        rounding would cover: outside [qmin - 0.5, qmax + 0.5] for integers, |v| > max + half
        the last grid step for floats and tables.
    """
    rows, cols = x2d.shape
    stats = stats if stats is not None else row_stats(x2d)
    codes = np.empty((rows, cols), dtype=el.code_dtype) if codes_out is None else codes_out
    deq = np.empty((rows, cols), dtype=x2d.dtype) if deq_out is None else deq_out
    scale = scale.astype(x2d.dtype, copy=False)
    if reciprocal is not None and dequant_scale is None:
        dequant_scale = scale  # x̂ = grid · scale, not grid / reciprocal
    dscale = scale if dequant_scale is None else dequant_scale.astype(x2d.dtype, copy=False)
    zp = None if zero_point is None else zero_point.astype(x2d.dtype)
    risky = _rows_that_may_clip(el, stats, scale, zero_point) | (stats.nonfinite > 0)
    inv = _exact_reciprocal(scale) if reciprocal is None else reciprocal.astype(x2d.dtype, copy=False)
    qs = scale if inv is None else inv  # divide by the scale, or multiply by its exact reciprocal
    n_buf = min(x2d.size, _CHUNK)
    buf = np.empty(n_buf, dtype=x2d.dtype)
    sbuf = np.empty(n_buf, dtype=x2d.dtype)
    dbuf = np.empty(n_buf, dtype=x2d.dtype) if dequant_scale is not None else None
    any_bad = bool(stats.nonfinite.any())
    any_risky = bool(risky.any())
    clipped = 0
    with np.errstate(over="ignore"):  # beyond the working dtype -> ±inf, then saturated
        for r0, r1, c0, c1 in _rectangles(rows, cols):
            xb = x2d[r0:r1, c0:c1]
            out = deq[r0:r1, c0:c1]
            # the chunk's slot in the output doubles as scratch: one buffer less in cache
            v = out if out.flags.c_contiguous else buf[: xb.size].reshape(xb.shape)
            s, d = _row_scales(qs, dscale, r0, r1, sbuf, dbuf, xb.shape)
            if inv is not None:  # x * 2**-e is exactly x / 2**e, and faster
                np.multiply(xb, s, out=v)
            else:
                np.divide(xb, s, out=v)
            z = None if zp is None else zp[r0:r1, None]
            bad = None
            if any_bad and stats.nonfinite[r0:r1].any():
                bad = np.isnan(xb)
                if el.kind != "float":
                    v[bad] = 0  # code 0, or the zero point once it is added
            clamp = rounding == "stochastic"
            if any_risky and risky[r0:r1].any():
                shifted = v if z is None else v + z  # a temporary only where a row may clip
                clipped += _count_clipped(el, shifted, xb if bad is not None else None)
                clamp = True
            # affine: the zero point is added after rounding, code = clip(round(x/s) + zp), as
            # torch's fake-quantize and torchao do (torch.quantize_per_tensor rounds x/s + zp:
            # a tie moves by one code when zp is odd)
            values, _ = snap(el, v, rounding, overflow, rng, codes_out=codes[r0:r1, c0:c1], clamp=clamp,
                             offset=z)
            if zp is not None:
                values -= zp[r0:r1, None]
            if d is None and inv is not None:  # x̂ = q / 2**-e is q * 2**e, rounded the same way
                np.divide(values, s, out=out, casting="unsafe")
            else:
                np.multiply(values, s if d is None else d, out=out, casting="unsafe")
            if bad is not None:
                out[bad] = np.nan
    return Applied(codes, deq, clipped)


def _row_scales(qs: np.ndarray, dscale: np.ndarray, r0: int, r1: int, sbuf: np.ndarray,
                dbuf: np.ndarray | None, shape: tuple[int, ...]) -> tuple[object, object]:
    """Per-element scales of rows r0:r1 for one chunk: (quantize scale, dequantize scale or None).

    A chunk of one row uses the plain scalar; several rows get their scales written out into
    the chunk's shape: numpy's SIMD loops take two contiguous operands or a scalar, while a
    broadcast (rows, 1) operand runs about three times slower, so one write-out pays for the
    divide and the multiply that follow. The dequantize scale is None when it is the same one
    (qs itself, or qs = its exact reciprocal) and can be reused from the quantize side.
    """
    same = dbuf is None
    if r1 - r0 == 1:
        return qs[r0], (None if same else dscale[r0])
    s = sbuf[: shape[0] * shape[1]].reshape(shape)
    np.copyto(s, qs[r0:r1, None])
    if same:
        return s, None
    d = dbuf[: shape[0] * shape[1]].reshape(shape)  # type: ignore[index]
    np.copyto(d, dscale[r0:r1, None])
    return s, d


def _exact_reciprocal(scale: np.ndarray) -> np.ndarray | None:
    """1/scale when every scale is a power of two with a finite reciprocal (MX, pow2), else None."""
    mant, _ = np.frexp(scale)
    if not np.all(mant == 0.5):
        return None
    with np.errstate(over="ignore", divide="ignore"):
        inv = np.reciprocal(scale)
    return inv if np.all(np.isfinite(inv)) else None


def _rows_that_may_clip(el: Element, stats: RowStats, scale: np.ndarray, zp: np.ndarray | None) -> np.ndarray:
    """Rows whose scaled finite range [vmin/s + zp, vmax/s + zp] reaches beyond the grid."""
    z = 0 if zp is None else zp.astype(scale.dtype)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        hi = stats.vmax / scale + z
        lo = stats.vmin / scale + z
    if el.kind == "int":
        return ~((hi < el.qmax + 0.5) & (lo > el.qmin - 0.5))  # rounds inside: no clamp needed
    return ~((hi <= el.clip_limit) & (lo >= -el.clip_limit))


def _count_clipped(el: Element, v: np.ndarray, xb: np.ndarray | None) -> int:
    """Inputs whose scaled value lies beyond the grid (NaN compares False; ±Inf in ``xb``, when
    given, are not counted: they are non-finite, not clipped)."""
    if el.kind == "int":
        out = np.count_nonzero(v > el.clip_limit) + np.count_nonzero(v < el.qmin - 0.5)
    else:
        out = np.count_nonzero(v > el.clip_limit) + np.count_nonzero(v < -el.clip_limit)
    if out and xb is not None:
        out -= np.count_nonzero(np.isinf(xb))
    return int(out)
