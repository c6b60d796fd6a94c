"""Choosing quantization scales: one scale (and maybe a zero point) per row of a 2-D view.

The caller (lib.quantize) lays the tensor out as ``rows x values``: one row per tensor, channel or
group. This module picks a clipping threshold ``t`` per row and turns it into a scale.

=============  ==========================================================================  ===========
method         rule (mag = |x|, or max(x, 0) for unsigned formats)                         zero point
=============  ==========================================================================  ===========
none           scale = 1: values are cast as they are                                      none
absmax         t = max mag;  scale = t / qmax                                              none
minmax         lo = min(min x, 0), hi = max(max x, 0); scale = (hi - lo)/(qmax - qmin);    yes
               zero_point = clip(qmin - round(lo/scale), qmin, qmax)   (integers only)
percentile     t = p-th percentile of mag (numpy "linear"); scale = t / qmax               none
mse            t = α·max mag, α from 128 candidates k/128 minimising the squared error     none
               of the real element grid, evaluated on a histogram of mag / max mag
kl             TensorRT entropy calibration on a 2048-bin histogram of mag / max mag:       none
               t at bin edge i (every i from 128 to 2048) minimising KL(P || Q), as
               pytorch-quantization's _compute_amax_entropy: bin 0 takes bin 1's count,
               P = bins[:i] with the outlier mass added to bin i-1, Q = bins[:i] merged
               into 2**(b-1) equal groups (integers), each group's mass spread evenly
               over its non-empty bins; float and table formats merge by their own
               levels (boundaries at the midpoints), an extension of the same rule
pow2           scale = 2**ceil(log2(absmax / qmax)): a shift-only scale, never clips        none
=============  ==========================================================================  ===========

``qmax`` is the element format's largest value: 127 for int8, as GGUF's Q8_0 and the usual
"absmax" write-ups divide (torch.ao's symmetric observers divide by (quant_max - quant_min)/2,
which is 127.5 for the default range [-128, 127] and 127 only for the restricted [-127, 127]),
448 for float8_e4m3fn, 6 for float4_e2m1fn, 1 for nf4. Codes are still clamped to
[qmin, qmax] = [-128, 127]; with absmax the code -128 never occurs.

Histograms: the values of a bin are represented by its centre when a candidate's error is
evaluated (2048 bins for one row; for per-channel search 256..2048 bins per row, fewer when
there are many rows, so the search stays a small matrix product).

Search scope: ``mse`` searches each row on its own histogram for tensor and channel granularity;
for group granularity (often 128 values a group, too few for a histogram) one ratio α is searched
on the histogram of |x|/group_absmax pooled over all groups (weighted by absmax², so the total
squared error is what is minimised) and each group uses t = α·absmax. ``kl`` always searches one α
on the pooled histogram (for tensor granularity that is simply the tensor's histogram).

Exactness: scales are kept in the working dtype (float32 for float32/float16/bfloat16 input,
float64 otherwise) and nudged by at most one ulp so that ``qmax * scale == t`` exactly; the largest
value of a row is then reconstructed exactly, and a constant tensor has SQNR = inf. A row whose
threshold is 0 (all zeros) gets scale 1.

Worked example (absmax, int8): x = [-0.5, 0.3, 1.2, -2.1] -> t = 2.1, scale = 2.1/127 ≈ 0.016535.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from lib.elements import Element, snap
from lib.errors import QuantizeError

METHODS: tuple[str, ...] = ("none", "absmax", "minmax", "percentile", "mse", "kl", "pow2")

MSE_CANDIDATES = 128
KL_BINS = 2048
KL_START_BIN = 128  # TensorRT's first candidate bin edge
_CHUNK = 1 << 17


@dataclass(frozen=True)
class RowStats:
    """Per-row statistics over the finite values only."""

    vmin: np.ndarray  # (rows,) in x's working dtype; 0 for a row with no finite value
    vmax: np.ndarray
    nonfinite: np.ndarray  # int32 (rows,): NaN/Inf count per row
    symmetric: bool = False  # vmin == -vmax == -max|x| (only max|x| was computed)

    def amax(self, el: Element) -> np.ndarray:
        """Largest magnitude per row (unsigned formats: largest positive value)."""
        if el.signed:  # "+ 0.0": a row of zeros (or of NaN/Inf only) has -vmin = -0.0, amax +0.0
            return self.vmax if self.symmetric else np.maximum(-self.vmin, self.vmax) + 0.0
        return np.maximum(self.vmax, 0) + 0.0


def row_stats(x2d: np.ndarray, symmetric: bool = False) -> RowStats:
    """Finite min / max and NaN/Inf count of every row of ``x2d`` (no full-size temporaries).

    With ``symmetric`` only max|x| is computed (one pass) and reported as vmin = -amax,
    vmax = amax: enough for every signed symmetric scale, not for minmax or unsigned formats.
    """
    if symmetric:
        vmax = absmax_rows(x2d)
        vmin = -vmax
    else:
        vmax = reduce_rows(x2d, np.maximum)
        vmin = reduce_rows(x2d, np.minimum)
    nonfinite = np.zeros(x2d.shape[0], dtype=np.int32)
    bad = np.flatnonzero(~(np.isfinite(vmax) & np.isfinite(vmin)))
    for r in bad:
        lo, hi, nonfinite[r] = _finite_min_max(x2d[r])
        amax = max(-lo, hi) + 0.0  # +0.0, never -0.0, for a row with no finite value but 0
        vmin[r], vmax[r] = (-amax, amax) if symmetric else (lo, hi)
    return RowStats(vmin, vmax, nonfinite, symmetric)


_INT_VIEWS = {4: (np.int32, np.uint32), 8: (np.int64, np.uint64)}


def absmax_rows(x2d: np.ndarray) -> np.ndarray:
    """max|x| of every row, from two integer reductions of the bit patterns (no |x| pass).

    Read as signed integers, positive floats keep their order and negative ones are ordered by
    magnitude too (more negative float = larger signed pattern, -0 the smallest); read as
    unsigned, every negative pattern is above every positive one. So per row the signed max is
    the largest positive value (or, with none, the largest negative magnitude) and the unsigned
    max is the largest negative magnitude (or, with none, the largest positive value): clearing
    the sign bit of both and taking the larger gives max|x|, bit for bit as np.abs(x).max().
    NaN patterns sit above Inf in both readings, so a row holding NaN reports NaN. Rows of up to
    128 values clear the sign bits and reduce once instead (numpy's reduceat costs about as
    much per row as a pass costs per 100 values).

    Example: row [-3.0, 2.0] -> signed max = 2.0, unsigned max = -3.0 -> max(2.0, 3.0) = 3.0.
    """
    rows, cols = x2d.shape
    ints = _INT_VIEWS.get(x2d.dtype.itemsize)
    if ints is None or x2d.dtype.kind != "f" or x2d.strides[1] != x2d.itemsize or x2d.size == 0:
        return reduce_rows(x2d, np.maximum, absolute=True)
    sint, uint = ints
    hi = np.empty(rows, dtype=uint)
    lo = np.empty(rows, dtype=uint)
    xs, xu = x2d.view(sint), x2d.view(uint)
    if cols >= 512 or not x2d.flags.c_contiguous:
        for r0, r1, c0, c1 in _rectangles(rows, cols):
            a = np.maximum.reduce(xs[r0:r1, c0:c1], axis=1).view(uint)
            b = np.maximum.reduce(xu[r0:r1, c0:c1], axis=1)
            hi[r0:r1] = a if c0 == 0 else np.maximum(hi[r0:r1].view(sint), a.view(sint)).view(uint)
            lo[r0:r1] = b if c0 == 0 else np.maximum(lo[r0:r1], b)
    else:
        fs, fu = xs.reshape(-1), xu.reshape(-1)
        step = max(1, _CHUNK // cols) * cols
        starts = np.arange(0, step, cols)
        # reduceat costs ~8 ns per row: for short rows clearing the sign bits first (one pass)
        # and reducing once is cheaper than reducing twice
        buf = np.empty(min(step, fu.size), dtype=uint) if cols <= 128 else None
        for s0 in range(0, fs.size, step):
            r0 = s0 // cols
            n_rows = min(step, fs.size - s0) // cols
            if buf is not None:
                mag = np.bitwise_and(fu[s0:s0 + step], uint(np.iinfo(sint).max), out=buf[: n_rows * cols])
                np.maximum.reduceat(mag, starts[:n_rows], out=hi[r0:r0 + n_rows])
                continue
            np.maximum.reduceat(fs[s0:s0 + step], starts[:n_rows], out=hi[r0:r0 + n_rows].view(sint))
            np.maximum.reduceat(fu[s0:s0 + step], starts[:n_rows], out=lo[r0:r0 + n_rows])
        if buf is not None:
            return hi.view(x2d.dtype)
    mask = uint(np.iinfo(sint).max)
    np.bitwise_and(hi, mask, out=hi)
    np.bitwise_and(lo, mask, out=lo)
    np.maximum(hi, lo, out=hi)
    return hi.view(x2d.dtype)


def reduce_rows(x2d: np.ndarray, ufunc: np.ufunc, absolute: bool = False) -> np.ndarray:
    """``ufunc.reduce`` of every row (of |x| when ``absolute``), chunk by chunk; NaN propagates.

    Short rows (groups, blocks) use ``reduceat`` on the flat data (rows of <= 32: an in-cache
    transpose, then a reduce across rows): numpy's reduce along a short last axis is several
    times slower.
    """
    rows, cols = x2d.shape
    out = np.empty(rows, dtype=x2d.dtype)
    buf = np.empty(min(_CHUNK, x2d.size), dtype=x2d.dtype) if absolute else None
    if cols >= 512 or not x2d.flags.c_contiguous:
        for r0, r1, c0, c1 in _rectangles(rows, cols):
            blk = x2d[r0:r1, c0:c1]
            if buf is not None:
                blk = np.abs(blk, out=buf[: blk.size].reshape(blk.shape))
            part = ufunc.reduce(blk, axis=1)
            out[r0:r1] = part if c0 == 0 else ufunc(out[r0:r1], part)
        return out
    flat = x2d.reshape(-1)
    step = max(1, _CHUNK // cols) * cols
    starts = np.arange(0, step, cols)
    tbuf = np.empty(step, dtype=x2d.dtype) if cols <= 32 else None
    for s0 in range(0, flat.size, step):
        piece = flat[s0:s0 + step]
        if buf is not None:
            piece = np.abs(piece, out=buf[: piece.size])
        n_rows = piece.size // cols
        if tbuf is not None:  # tiny rows: transpose in cache, then reduce across (SIMD) rows
            t = tbuf[: piece.size].reshape(cols, n_rows)
            np.copyto(t, piece.reshape(n_rows, cols).T)
            ufunc.reduce(t, axis=0, out=out[s0 // cols:s0 // cols + n_rows])
        else:
            out[s0 // cols:s0 // cols + n_rows] = ufunc.reduceat(piece, starts[:n_rows])
    return out


def _finite_min_max(row: np.ndarray) -> tuple[float, float, int]:
    """(min, max, non-finite count) of one row, ignoring NaN/Inf; (0, 0, n) when none is finite."""
    lo, hi, bad = np.inf, -np.inf, 0
    for start in range(0, row.size, _CHUNK):
        piece = row[start:start + _CHUNK]
        finite = piece[np.isfinite(piece)]
        bad += piece.size - finite.size
        if finite.size:
            lo, hi = min(lo, float(finite.min())), max(hi, float(finite.max()))
    return (0.0, 0.0, bad) if bad == row.size else (lo, hi, bad)


def choose_scale(
    x2d: np.ndarray,
    el: Element,
    method: str,
    stats: RowStats,
    *,
    percentile: float = 99.9,
    per_row_search: bool = True,
    shared_ratio: float | None = None,
) -> tuple[np.ndarray, np.ndarray | None]:
    """Scale (rows,) in x2d's dtype and zero point (rows,) int32 or None, for one method.

    Args:
        x2d: the working 2-D view (rows x values), float32 or float64.
        el: element format.
        method: one of METHODS.
        stats: row_stats(x2d).
        percentile: for "percentile", in (0, 100].
        per_row_search: False makes "mse" search one shared ratio (group granularity).
        shared_ratio: for "mse"/"kl": use this ratio α (t = α·absmax) instead of searching, when
            it was found beforehand on the pooled histogram of the whole tensor (see
            pooled_histogram / best_pooled_ratio).

    Example:
        >>> # x2d = [[-0.5, 0.3, 1.2, -2.1]], int8, absmax -> (array([0.01653543]), None)
    """
    dtype = x2d.dtype
    if method not in METHODS:
        raise QuantizeError("qlib.unknown_method", name=method, options=list(METHODS))
    if method == "none":
        return np.ones(x2d.shape[0], dtype=dtype), None
    if method == "minmax":
        return _minmax_scale(el, stats, dtype)
    amax = stats.amax(el).astype(np.float64)
    if method == "pow2":
        return _pow2_scale(amax / el.qmax, dtype), None
    if method == "absmax":
        t = amax
    elif method == "percentile":
        if not 0 < percentile <= 100:
            raise QuantizeError("qlib.bad_percentile", percentile=percentile)
        t = _percentile_threshold(x2d, el, stats, percentile)
    elif shared_ratio is not None:
        t = amax * shared_ratio
    elif method == "mse" and per_row_search:
        t = amax * _mse_ratio_per_row(x2d, el, stats, amax)
    else:
        t = amax * best_pooled_ratio(pooled_histogram(x2d, el, stats, method), el, method)
    return exact_scale(t, el.qmax, dtype), None


def exact_scale(t: np.ndarray, qmax: float, dtype: np.dtype) -> np.ndarray:
    """scale = t / qmax in ``dtype``, nudged by <= 1 ulp so that qmax * scale == t when possible.

    Rows with t == 0 get scale 1. Normal scales are otherwise left as above. A subnormal scale
    has few bits, so t / qmax can round down by up to a third (float32: 5.66e-43 / 127 ->
    3·2**-149, and t / scale = 134.7, beyond int8): it is raised a step at a time until
    t / scale <= qmax, so the largest value is not clipped. A scale that underflows to 0 starts
    from the smallest subnormal (float32 t = 1e-44 = 7·2**-149, int8: scale 2**-149, codes 7 and
    x̂ exact; every subnormal is a whole multiple of 2**-149).
    """
    t64 = np.asarray(t, dtype=np.float64)
    with np.errstate(over="ignore"):  # a minmax range wider than float32's max: t_d = inf
        t_d = t64.astype(dtype)
    q = dtype.type(qmax)
    s = np.array(t_d / q, dtype=dtype)
    flat, t_flat = s.reshape(-1), np.asarray(t_d).reshape(-1)
    wide = np.flatnonzero(np.isinf(t_flat))
    if wide.size:  # such a t / qmax still fits: divide in float64 first
        flat[wide] = (t64.reshape(-1)[wide] / qmax).astype(dtype)
    with np.errstate(over="ignore"):
        miss = np.flatnonzero(((flat * q) != t_flat) & np.isfinite(t_flat))  # only these need a nudge
    if miss.size:
        sm, tm = flat[miss], t_flat[miss]
        for cand in (np.nextafter(sm, dtype.type(np.inf)), np.nextafter(sm, dtype.type(0))):
            sm = np.where(((sm * q) != tm) & ((cand * q) == tm), cand, sm)
        flat[miss] = sm
    s = np.where(t_d == 0, dtype.type(1), np.where(s > 0, s, np.finfo(dtype).smallest_subnormal)).astype(dtype)
    return _fit_subnormal_scales(s, t_d, q)


def _fit_subnormal_scales(s: np.ndarray, t: np.ndarray, q: np.floating) -> np.ndarray:
    """Raise each subnormal scale a step at a time until t / s <= q (in place; returns s)."""
    tiny = np.finfo(s.dtype).tiny
    flat = s.reshape(-1)
    for _ in range(8):  # a subnormal step is at most 1/3 of the value: one or two steps do
        with np.errstate(over="ignore", invalid="ignore"):
            low = np.flatnonzero(((s < tiny) & (t / s > q)).reshape(-1))
        if not low.size:
            break
        flat[low] = np.nextafter(flat[low], s.dtype.type(np.inf))
    return s


def _pow2_scale(ratio: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """2**ceil(log2(ratio)), exactly (frexp), 1 where ratio is 0, in ``dtype``; kept within the
    powers of two ``dtype`` holds (float32: 2**-149 .. 2**127). Below 2**-149 the smallest one
    still fits the largest value (ratio < 2**-149 means amax / 2**-149 < qmax); above 2**127 the
    largest values are clipped, as nothing larger exists."""
    mant, exp = np.frexp(ratio)
    exp = np.where(mant == 0.5, exp - 1, exp)
    info = np.finfo(dtype)
    lo, hi = int(np.log2(info.smallest_subnormal)), int(info.maxexp) - 1
    return np.where(ratio > 0, np.ldexp(1.0, np.clip(exp, lo, hi)), 1.0).astype(dtype)


def _minmax_scale(el: Element, stats: RowStats, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Affine scale and zero point; the range always contains 0 (so 0 is exact)."""
    if el.kind != "int":
        raise QuantizeError("qlib.minmax_needs_int", fmt=el.name)
    lo = np.minimum(stats.vmin.astype(np.float64), 0.0)
    hi = np.maximum(stats.vmax.astype(np.float64), 0.0)
    s = exact_scale(hi - lo, el.qmax - el.qmin, dtype)
    zp = np.clip(el.qmin - np.rint(lo / s.astype(np.float64)), el.qmin, el.qmax)
    return s, zp.astype(np.int32)


def _magnitude(block: np.ndarray, el: Element) -> np.ndarray:
    return np.abs(block) if el.signed else np.maximum(block, 0)


def _percentile_threshold(x2d: np.ndarray, el: Element, stats: RowStats, p: float) -> np.ndarray:
    """p-th percentile of the finite magnitudes of each row; falls back to absmax when it is 0."""
    mag = _magnitude(x2d, el).astype(np.float64)
    if stats.nonfinite.any():
        mag[~np.isfinite(mag)] = np.nan
        t = np.zeros(mag.shape[0])
        some = stats.nonfinite < mag.shape[1]  # rows with a finite value (all-NaN rows keep 0)
        if some.any():
            t[some] = np.nanpercentile(mag[some], p, axis=1)
    else:
        t = np.percentile(mag, p, axis=1)
    amax = stats.amax(el).astype(np.float64)
    return np.where(t > 0, t, amax)


def _rectangles(rows: int, cols: int):
    """(r0, r1, c0, c1) blocks of about _CHUNK elements covering a rows x cols array."""
    if cols >= _CHUNK:
        for r in range(rows):
            for c0 in range(0, cols, _CHUNK):
                yield r, r + 1, c0, min(c0 + _CHUNK, cols)
    else:
        step = max(1, _CHUNK // max(cols, 1))
        for r0 in range(0, rows, step):
            yield r0, min(r0 + step, rows), 0, cols


def normalized_histogram(
    x2d: np.ndarray, el: Element, stats: RowStats, amax: np.ndarray, bins: int, per_row: bool,
    weights: np.ndarray | None = None, split_sign: bool = False,
) -> np.ndarray:
    """Histogram of mag / row_absmax on [0, 1] with ``bins`` bins (NaN/Inf excluded).

    Returns (rows, bins) counts when ``per_row``, else (bins,) pooled over rows, each row's counts
    multiplied by ``weights[row]`` when weights are given. ``split_sign``: 2·bins bins of
    x / row_absmax on [-1, 1] instead (bin j holds [j/bins - 1, (j+1)/bins - 1)), for grids whose
    negative side is not the positive one mirrored.
    """
    rows = x2d.shape[0]
    width = 2 * bins if split_sign else bins
    out = np.zeros(rows * width if per_row else width, dtype=np.float64)
    a64 = np.asarray(amax, dtype=np.float64)
    # bins / amax overflows float64 for amax < ~1e-305 (float64 subnormals such as 5e-324): such
    # rows are scaled by 2^600 first (exact: a power of two), amax with them
    tiny = (a64 > 0) & (a64 < 1e-290)
    pre = np.where(tiny, 2.0**600, 1.0) if tiny.any() else None
    inv = np.where(a64 > 0, bins / np.where(a64 > 0, a64 if pre is None else a64 * pre, 1.0), 0.0)
    # bins / amax of a tiny row (float32 amax < 6e-36) overflows float32: bin such rows in float64
    work = x2d.dtype if np.all(inv <= np.finfo(x2d.dtype).max) else np.dtype(np.float64)
    inv = inv.astype(work)
    fbuf = np.empty(min(_CHUNK, x2d.size), dtype=work)
    ibuf = np.empty(min(_CHUNK, x2d.size), dtype=np.intp)
    for r0, r1, c0, c1 in _rectangles(rows, x2d.shape[1]):
        block = x2d[r0:r1, c0:c1]
        if stats.nonfinite[r0:r1].any():
            block = np.where(np.isfinite(block), block, 0)
        if pre is not None:
            block = block * pre[r0:r1, None]
        f = fbuf[: block.size].reshape(block.shape)
        if split_sign:  # x / amax in [-1, 1] -> [0, 2·bins]: no |x| pass, no sign pass
            np.multiply(block, inv[r0:r1, None], out=f)
            np.add(f, work.type(bins), out=f)
        else:
            if el.signed:
                np.abs(block, out=f)
            else:
                np.maximum(block, 0, out=f)
            np.multiply(f, inv[r0:r1, None], out=f)
        idx = ibuf[: block.size].reshape(block.shape)
        np.copyto(idx, f, casting="unsafe")  # truncation = floor for values >= 0
        np.minimum(idx, width - 1, out=idx)
        if per_row:
            idx += (np.arange(r1 - r0, dtype=np.intp) * width)[:, None]
            out[r0 * width:r1 * width] += np.bincount(idx.reshape(-1), minlength=(r1 - r0) * width)
        elif weights is None:
            out += np.bincount(idx.reshape(-1), minlength=width)
        else:
            w = np.broadcast_to(weights[r0:r1, None], idx.shape)
            out += np.bincount(idx.reshape(-1), weights=w.reshape(-1), minlength=width)
    if stats.nonfinite.any():  # the NaN/Inf placeholders (zeros) landed in the bin of 0: take them out
        w = weights if weights is not None else np.ones(rows)
        zero = bins if split_sign else 0
        if per_row:
            out[np.arange(rows) * width + zero] -= stats.nonfinite.astype(np.float64)
        else:
            out[zero] -= float(np.sum(stats.nonfinite * w))
    return out.reshape(rows, width) if per_row else out


def _snap_values(el: Element, v: np.ndarray) -> np.ndarray:
    """Grid values of scaled values v (nearest even, saturating), as float64."""
    values, _ = snap(el, v.astype(np.float64), "nearest_even", "saturate", None)
    return np.asarray(values, dtype=np.float64)


def mse_error_table(el: Element, centres: np.ndarray, ratios: np.ndarray) -> np.ndarray:
    """E[k, b] = (c_b - q_k(c_b))² with threshold ratios[k] on a max-1 scale (grid of ``el``)."""
    s = (ratios / el.qmax)[:, None]
    q = _snap_values(el, centres[None, :] / s) * s
    return (centres[None, :] - q) ** 2


def mirrored_grid(el: Element) -> bool:
    """True when the grid's negative side is its positive side negated (floats, bnb_fp4); False
    for int8's -128 .. 127 and NF4, whose MSE search then scores negative values on their own
    side: a value near -max may round to -128·s, which |x| alone would score against 127·s."""
    if el.kind == "float" or not el.signed:
        return True
    if el.kind == "int":
        return el.qmin == -el.qmax
    vals = np.asarray(el.fmt.values(), dtype=np.float64)
    return bool(np.array_equal(np.sort(-vals), vals))


def mse_table_for(el: Element, bins: int, ratios: np.ndarray) -> np.ndarray:
    """mse_error_table at the bin centres of normalized_histogram, both halves when the grid is not
    mirrored (split_sign): shape (ratios, bins) or (ratios, 2·bins)."""
    if mirrored_grid(el):
        return mse_error_table(el, (np.arange(bins) + 0.5) / bins, ratios)
    return mse_error_table(el, (np.arange(2 * bins) + 0.5) / bins - 1.0, ratios)


def _mse_ratio_per_row(x2d: np.ndarray, el: Element, stats: RowStats, amax: np.ndarray) -> np.ndarray:
    """Best clipping ratio α of every row by squared error on its own histogram."""
    rows = x2d.shape[0]
    ratios = np.arange(1, MSE_CANDIDATES + 1) / MSE_CANDIDATES
    bins = int(min(2048, max(256, 2 ** int(np.log2(max(1, (1 << 21) // max(rows, 1)))))))
    hist = normalized_histogram(x2d, el, stats, amax, bins, per_row=True, split_sign=not mirrored_grid(el))
    table = mse_table_for(el, bins, ratios).T
    if rows > 1:  # float32 matmul: plenty for an argmin, twice as fast
        err = hist.astype(np.float32) @ table.astype(np.float32)
    else:
        err = hist @ table
    return ratios[_last_argmin(err)]


def pooled_histogram(x2d: np.ndarray, el: Element, stats: RowStats, method: str,
                     top: float | None = None) -> np.ndarray:
    """The 2048-bin histogram of mag / row_absmax pooled over rows: weighted by absmax² for
    "mse" (so it adds up squared errors in x's units), unweighted for "kl" (a distribution).
    Histograms of parts of a tensor add up to the whole tensor's when each part is given the
    tensor's largest row absmax as ``top`` (default: x2d's own)."""
    amax = stats.amax(el)
    weights = None
    if method == "mse":  # relative weights: (amax / top)² neither overflows nor underflows
        a64 = amax.astype(np.float64)
        if top is None:
            top = float(a64.max()) if a64.size else 0.0
        weights = (a64 / top) ** 2 if top > 0 else np.ones_like(a64)
    split = method == "mse" and not mirrored_grid(el)  # KL works on |x|, as TensorRT's
    return normalized_histogram(x2d, el, stats, amax, KL_BINS, per_row=False, weights=weights, split_sign=split)


def best_pooled_ratio(hist: np.ndarray, el: Element, method: str) -> float:
    """α from a pooled histogram: lowest squared error ("mse") or KL divergence ("kl")."""
    if method == "kl":
        return kl_threshold_ratio(hist, el)
    ratios = np.arange(1, MSE_CANDIDATES + 1) / MSE_CANDIDATES
    err = hist[None, :] @ mse_table_for(el, KL_BINS, ratios).T
    return float(ratios[_last_argmin(err)][0])


def _last_argmin(err: np.ndarray) -> np.ndarray:
    """Index of the minimum per row, preferring the largest ratio on ties (least clipping)."""
    return err.shape[1] - 1 - np.argmin(err[:, ::-1], axis=1)


def kl_threshold_ratio(hist: np.ndarray, el: Element) -> float:
    """TensorRT's entropy calibration: the threshold, as a fraction i / 2048 of the histogram range.

    The procedure of pytorch-quantization's ``_compute_amax_entropy`` (stride 1), computed for all
    candidates at once: bin 0 first takes bin 1's count (so a flood of zeros does not dominate);
    for every bin edge i from 128 to 2048, P is bins[:i] with the mass beyond i added to bin i-1,
    and Q merges bins[:i] into groups, each group's mass spread evenly over its non-empty bins;
    the threshold is the largest i with the smallest KL(P || Q). Integers: 2**(b-1) equal groups
    (2**b unsigned), as TensorRT; float and table formats: a group per level of the format, with
    boundaries at the midpoints between levels (an extension to grids that are not uniform).
    Bin j joins the group whose edges e_k <= j < e_k+1 (np.digitize of the bin index, as there).
    An empty histogram gives 1.0.
    """
    bins = np.asarray(hist, dtype=np.float64).copy()
    n = bins.size
    if n < 2 or bins.sum() <= 0:
        return 1.0
    bins[0] = bins[1]
    cands = np.arange(min(KL_START_BIN, n), n + 1)
    groups = _kl_group_edges(np.array([n]), el, n).shape[1] - 1
    per = max(1, (1 << 22) // max(groups, 1))  # candidates per step: (c x groups) arrays of ~32 MB
    kl = np.concatenate([_kl_divergences(bins, cands[k:k + per], el) for k in range(0, cands.size, per)])
    best = kl.size - 1 - int(np.argmin(kl[::-1]))  # the largest i among equal minima
    return float(cands[best] / n)



def _kl_group_edges(cands: np.ndarray, el: Element, bins: int) -> np.ndarray:
    """(candidates, groups + 1) group edges in bin-index units for thresholds at bin edges ``cands``.

    A grid with more levels than the histogram has bins (float16, bfloat16, tf32, float32) gets
    ``bins`` equal groups: finer than a bin, so every bin is its own group and Q = P below i.
    """
    if el.kind == "int":
        nbins = 1 << (el.bits - (1 if el.signed else 0))
        return np.linspace(0, cands, nbins + 1, axis=1)  # as np.linspace(0, i, nbins + 1) per i
    if el.bits > 12:  # 2**11 positive levels or more: as fine as the 2048 bins, or finer
        return np.linspace(0, cands, bins + 1, axis=1)
    levels = np.unique(np.abs(np.asarray(el.fmt.values(), dtype=np.float64)))
    levels = levels[levels <= el.qmax]
    u = np.concatenate([[0.0], (levels[:-1] + levels[1:]) / 2 / el.qmax, [1.0]])
    return cands[:, None] * u[None, :]


def _kl_divergences(bins: np.ndarray, cands: np.ndarray, el: Element) -> np.ndarray:
    """KL(P || Q) of each candidate edge i, from cumulative sums instead of a loop over bins.

    With C, Z, L the cumulative sums of b, [b > 0] and b·log b, R = C[n] the total, tail = R - C[i],
    group k = bins lo_k .. hi_k - 1 of mass m_k = C[hi] - C[lo] over z_k = Z[hi] - Z[lo] non-empty
    bins, K the group of bin i-1 and r = b[i-1] + tail:
        Σ P log P = (L[i-1] + r·log r) / R - log R
        Σ P log Q = (Σ_k m_k·log(m_k / z_k) + tail·log(m_K / z_K)) / R - log C[i]
    KL is inf where P > 0 but Q = 0: an empty bin i-1 that receives the tail, or no mass below i.
    """
    n = bins.size
    c = np.concatenate([[0.0], np.cumsum(bins)])
    z = np.concatenate([[0], np.cumsum(bins > 0)])
    with np.errstate(divide="ignore", invalid="ignore"):
        blogb = np.where(bins > 0, bins * np.log(np.where(bins > 0, bins, 1.0)), 0.0)
    ls = np.concatenate([[0.0], np.cumsum(blogb)])
    edges = _kl_group_edges(cands, el, bins.size)
    bounds = np.minimum(np.ceil(edges).astype(np.intp), cands[:, None])  # first bin index >= edge
    lo, hi = bounds[:, :-1], bounds[:, 1:]
    hi[:, -1] = cands
    mass = c[hi] - c[lo]
    count = z[hi] - z[lo]
    total = c[n]
    below = c[cands]
    tail = total - below
    last = bins[cands - 1] + tail
    k_last = np.sum(lo <= (cands - 1)[:, None], axis=1) - 1
    m_last = mass[np.arange(cands.size), k_last]
    z_last = count[np.arange(cands.size), k_last]
    with np.errstate(divide="ignore", invalid="ignore"):
        group_term = np.where(mass > 0, mass * np.log(mass / np.maximum(count, 1)), 0.0).sum(axis=1)
        tail_term = np.where(tail > 0, tail * np.log(m_last / np.maximum(z_last, 1)), 0.0)
        p_log_p = (ls[cands - 1] + np.where(last > 0, last * np.log(last), 0.0)) / total - np.log(total)
        p_log_q = (group_term + tail_term) / total - np.log(below)
        kl = p_log_p - p_log_q
    bad = (below <= 0) | ((tail > 0) & (bins[cands - 1] <= 0))
    return np.where(bad | ~np.isfinite(kl), np.inf, np.maximum(kl, 0.0))
