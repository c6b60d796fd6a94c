"""Error metrics between a tensor ``x`` and its reconstruction ``x_hat``.

Only positions where ``x`` is finite take part; NaN/Inf in ``x`` are counted in ``nonfinite_count``.
All sums are accumulated in float64, chunk by chunk, so a 50M-value tensor needs no full-size
temporary; a chunk whose sum of squares overflows (|x| > 1e154) or nears 0 (1e-170) is summed
scaled by a power of two, so SQNR and cosine stay right for 1e308 or 1e-300 values. Formulas (e = x_hat - x over the n finite positions):

    mse = Σe²/n        rmse = √mse        sqnr_db = 10·log10(Σx² / Σe²)   (inf when e = 0 everywhere)
    max_abs_error = max|e|    mean_abs_error = Σ|e|/n    cosine = Σx·x̂ / (‖x‖·‖x̂‖)
    compression_vs_fp32 = 32 / bits_per_element
    flushed_to_zero_fraction = #{x ≠ 0 and x̂ = 0} / #{x ≠ 0}   (underflow; 0 when every x is 0)

Worked example: x = [1, 2], x_hat = [1, 2.5] -> e = [0, 0.5], mse = 0.125, rmse ≈ 0.3536,
sqnr_db = 10·log10(5 / 0.25) ≈ 13.01, max_abs_error = 0.5, mean_abs_error = 0.25.

Underflow is not clipping: a value too small for the grid is rounded to 0, not clipped to ±max, so
clipped_fraction does not see it. Example: x = [1e-5, -1e-5, 0.5, 0, NaN] cast to float8_e4m3fn
(method "none", smallest subnormal 2^-9) -> x̂ = [0, -0, 0.5, 0, NaN]: the 0 and the NaN of x are
left out, 2 of the 3 other values became 0 -> flushed_to_zero_fraction = 2/3 ≈ 0.6667.

Conventions for degenerate cases (no warnings are raised): Σx² = 0 and e = 0 -> sqnr inf and
cosine 1; Σx² = 0 but e ≠ 0 -> sqnr -inf; one of ‖x‖, ‖x̂‖ zero (not both) -> cosine 0;
no finite value at all -> errors 0, sqnr inf. A finite x stored as ±Inf or NaN (overflow "ieee"
without a scale) makes the errors inf, sqnr -inf and the cosine NaN (undefined).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

METRIC_KEYS: tuple[str, ...] = (
    "mse", "rmse", "sqnr_db", "max_abs_error", "mean_abs_error", "cosine", "clipped_fraction",
    "flushed_to_zero_fraction", "nonfinite_count", "levels_used", "levels_available", "bits_per_element",
    "compression_vs_fp32",
)

_CHUNK = 1 << 17


def compute_metrics(
    x: np.ndarray,
    x_hat: np.ndarray,
    *,
    codes: np.ndarray | None = None,
    levels_available: int | None = None,
    bits_per_element: float | None = None,
    clipped_count: int | None = None,
    negative_zero: int | None = None,
) -> dict[str, float]:
    """All metrics of METRIC_KEYS for a reconstruction ``x_hat`` of ``x`` (same shape).

    Args:
        x: the original values (any real dtype).
        x_hat: the reconstruction, same shape.
        codes: the stored integer codes, same shape; ``levels_used`` counts distinct codes where x
            and x_hat are finite (a value that overflowed to inf holds no level: float16 of
            [1, 2, 70000, 3] with overflow "ieee" uses 3 levels). Without codes it counts distinct
            finite values of ``x_hat`` (-0 == +0).
        levels_available: how many levels the element format offers (default: ``levels_used``).
        bits_per_element: storage cost per value including scales (default: x_hat's own bit width).
        clipped_count: how many finite values were clipped. Without it, a value counts as clipped
            when |x| exceeds max|x_hat| (exact for a per-tensor symmetric clip).
        negative_zero: the code of -0 (float elements): the same level as code 0, so the two
            count once. FP4 codes {0, 8, 2}: values {+0, -0, 1} -> 2 levels used.

    Returns:
        dict with float values (counts are whole numbers stored as int).
    """
    x_flat = np.asarray(x).reshape(-1)
    h_flat = np.asarray(x_hat).reshape(-1)
    if x_flat.shape != h_flat.shape:
        raise ValueError(f"x and x_hat differ in size: {x_flat.shape} vs {h_flat.shape}")
    acc = _accumulate(x_flat, h_flat, max_abs_hat=clipped_count is None)  # max|x̂|: the clipped estimate only
    sums = acc.snapshot()
    out = sums.metrics()
    if clipped_count is None:
        clipped_count = _estimate_clipped(x_flat, acc.max_abs_hat)
    out["clipped_fraction"] = float(clipped_count) / sums.n if sums.n else 0.0
    if not math.isfinite(out["mse"]):  # a value overflowed to ±inf/NaN (ieee): its code is no level
        x_flat = np.where(np.isfinite(h_flat), x_flat, np.nan)
    used = _levels_used(x_flat, h_flat, codes, negative_zero)
    out["levels_used"] = used
    out["levels_available"] = int(levels_available) if levels_available is not None else used
    bits = float(bits_per_element) if bits_per_element is not None else float(h_flat.dtype.itemsize * 8)
    out["bits_per_element"] = bits
    out["compression_vs_fp32"] = 32.0 / bits if bits > 0 else math.inf
    return {key: out[key] for key in METRIC_KEYS}


def error_sums(x: np.ndarray, x_hat: np.ndarray) -> ErrorSums:
    """The sums behind compute_metrics' error metrics, summed exactly as it sums them (finite x
    only, float64, chunk by chunk): add the ErrorSums of several tensors with ``+`` and
    ``.metrics()`` gives the metrics of all their values taken as one tensor.

    Example: x = [1, 2], x̂ = [1, 2.5] and x = [3], x̂ = [2]: Σx² = 5 + 9 = 14, Σe² = 0.25 + 1 = 1.25,
    so (error_sums(...) + error_sums(...)).metrics()["sqnr_db"] = 10·log10(14 / 1.25) ≈ 10.49 dB
    (the mean of the two tensors' 13.01 and 9.54 dB would be 11.28: not the file's SQNR).
    """
    x_flat, h_flat = np.asarray(x).reshape(-1), np.asarray(x_hat).reshape(-1)
    if x_flat.shape != h_flat.shape:
        raise ValueError(f"x and x_hat differ in size: {x_flat.shape} vs {h_flat.shape}")
    return _accumulate(x_flat, h_flat, max_abs_hat=False).snapshot()


def _accumulate(x_flat: np.ndarray, h_flat: np.ndarray, max_abs_hat: bool) -> _Sums:
    acc = _Sums(max_abs_hat=max_abs_hat)
    for start in range(0, x_flat.size, _CHUNK):
        acc.add(x_flat[start:start + _CHUNK], h_flat[start:start + _CHUNK])
    return acc


class _Dot:
    """A running Σa·b kept as ``s · 4^e``: values near 1e308 (whose squares pass float64's max) or
    near 1e-170 (whose squares vanish) neither overflow nor round to 0, so SQNR and cosine, ratios
    of such sums, stay right. Chunks of ordinary values take the plain sum (e = 0)."""

    def __init__(self) -> None:
        self.s, self.e = 0.0, 0

    def add(self, a: np.ndarray, b: np.ndarray, plain: float | None = None) -> None:
        """Add Σa·b (``plain``: that sum, when the caller has it already)."""
        with np.errstate(over="ignore", under="ignore", invalid="ignore"):
            if plain is None:
                plain = float(np.multiply(a, b).sum())
            peak = 0.0
            if not (math.isfinite(plain) and abs(plain) > 1e-200):  # overflowed, or may have underflowed
                peak = max(float(np.abs(a).max()), float(np.abs(b).max()))
            if peak == 0.0:
                s, e = plain, 0
            else:  # scale both by 2^-k so that every |v| <= 1: exact, a power of two
                k = math.frexp(peak)[1]
                s, e = float(np.multiply(np.ldexp(a, -k), np.ldexp(b, -k)).sum()), k  # 2^1063 is no float
        self._push(s, e)

    def plus(self, other: _Dot) -> _Dot:
        """A new _Dot holding this sum plus ``other``'s (neither changes)."""
        out = _Dot()
        out._push(self.s, self.e)
        out._push(other.s, other.e)
        return out

    def _push(self, s: float, e: int) -> None:
        """Add s · 4^e, at the larger of the two exponents (one step larger if the sum overflows)."""
        if s == 0.0:
            return
        if self.s == 0.0:
            self.s, self.e = s, e
            return
        top = max(self.e, e)
        total = math.ldexp(self.s, 2 * (self.e - top)) + math.ldexp(s, 2 * (e - top))
        if math.isinf(total) and math.isfinite(self.s) and math.isfinite(s):  # two sums near 1.8e308
            top += 1
            total = math.ldexp(self.s, 2 * (self.e - top)) + math.ldexp(s, 2 * (e - top))
        self.s, self.e = total, top

    def log10(self) -> float:
        """log10 of the sum (> 0)."""
        return math.log10(self.s) + 2 * self.e * math.log10(2.0)


class _Sums:
    """Running sums over chunks (finite x only): Σx², Σe², Σx̂², Σx·x̂ as _Dot, Σ|e| and maxima in
    float64, and the counts of non-zero x and of those with x̂ = 0 (underflow). ``max_abs_hat``:
    whether to track max|x̂| (two reductions per chunk; only the clipped estimate needs it)."""

    def __init__(self, max_abs_hat: bool = True) -> None:
        self.n = 0
        self.nonzero = 0
        self.flushed = 0
        self.nonfinite = 0
        self.hat_nonfinite = 0
        self.sxx, self.see, self.shh, self.sxh = _Dot(), _Dot(), _Dot(), _Dot()
        self.sabs = 0.0
        self.max_abs = 0.0
        self.track_max_abs_hat = max_abs_hat
        self.max_abs_hat = 0.0
        self._masks = np.empty((2, _CHUNK), dtype=bool)  # reused by every chunk

    def add(self, xc: np.ndarray, hc: np.ndarray) -> None:
        # float64 throughout: products of float32 values are exact there, and cosine's 1 - cos of
        # about 1e-8 (x ≈ 1 ± 0.001 in float16) is below what float32 partial sums resolve.
        # x ≠ 0 and x̂ = 0 (-0 is 0, NaN is not) are tested on the chunks as given, each just after
        # its copy has read it into the cache: a float32 compare reads half the bytes of a float64 one
        x_in, h_in = xc, hc
        xc = x_in.astype(np.float64)
        nonzero = np.not_equal(x_in, 0, out=self._masks[0, :xc.size])
        hc = h_in.astype(np.float64)
        flushed = np.equal(h_in, 0, out=self._masks[1, :xc.size])
        sxx: float | None = _sumsq(xc)
        if not math.isfinite(sxx):  # NaN/Inf somewhere (or a square beyond 1e308): mask them out
            finite = np.isfinite(xc)
            self.nonfinite += int(xc.size - np.count_nonzero(finite))
            xc, hc = xc[finite], hc[finite]
            np.logical_and(nonzero, finite, out=nonzero)  # NaN and ±Inf are not 0, but left out
            sxx = None
        if xc.size == 0:
            return
        self.n += xc.size
        self.nonzero += int(np.count_nonzero(nonzero))
        self.flushed += int(np.count_nonzero(np.logical_and(nonzero, flushed, out=flushed)))
        with np.errstate(invalid="ignore", over="ignore"):
            if not np.isfinite(hc).all():  # a non-finite reconstruction of a finite value
                self.hat_nonfinite += int(hc.size - np.count_nonzero(np.isfinite(hc)))
                hc_f = np.where(np.isfinite(hc), hc, 0.0)
                err = np.where(np.isfinite(hc), hc - xc, np.inf)
            else:
                hc_f, err = hc, hc - xc
            self.sxx.add(xc, xc, sxx)
            self.see.add(err, err)
            self.shh.add(hc_f, hc_f)
            self.sxh.add(xc, hc_f)
            np.abs(err, out=err)
            self.sabs += float(err.sum())
            self.max_abs = max(self.max_abs, float(err.max()))
            if self.track_max_abs_hat:
                self.max_abs_hat = max(self.max_abs_hat, float(max(hc_f.max(), -hc_f.min())))

    def snapshot(self) -> ErrorSums:
        """The sums so far, as an ErrorSums (a copy: adding more chunks does not change it)."""
        return ErrorSums(self.n, self.nonzero, self.flushed, self.nonfinite, self.sxx.plus(_Dot()),
                         self.see.plus(_Dot()), self.shh.plus(_Dot()), self.sxh.plus(_Dot()), self.sabs, self.max_abs,
                         self.hat_nonfinite)


@dataclass(frozen=True)
class ErrorSums:
    """What the error metrics of one or more tensors are computed from (finite x only): the count
    n, the non-zero x and those of them with x̂ = 0 (flushed), the non-finite x left out, Σx², Σe²,
    Σx̂², Σx·x̂ (each a _Dot: s · 4^e, so 1e308-sized values do not overflow), Σ|e| and max|e|.

    ``a + b`` holds the sums of both: the metrics of a file's tensors taken as one tensor, e.g.
    sqnr_db = 10·log10((Σx²_a + Σx²_b) / (Σe²_a + Σe²_b)), max_abs_error = max(max_a, max_b).
    """

    n: int = 0
    nonzero: int = 0
    flushed: int = 0
    nonfinite: int = 0
    sxx: _Dot = field(default_factory=_Dot)
    see: _Dot = field(default_factory=_Dot)
    shh: _Dot = field(default_factory=_Dot)
    sxh: _Dot = field(default_factory=_Dot)
    sabs: float = 0.0
    max_abs: float = 0.0
    hat_nonfinite: int = 0  # finite x stored as ±Inf or NaN (overflow without saturation)

    def __add__(self, other: ErrorSums) -> ErrorSums:
        return ErrorSums(self.n + other.n, self.nonzero + other.nonzero, self.flushed + other.flushed,
                         self.nonfinite + other.nonfinite, self.sxx.plus(other.sxx), self.see.plus(other.see),
                         self.shh.plus(other.shh), self.sxh.plus(other.sxh), self.sabs + other.sabs,
                         max(self.max_abs, other.max_abs), self.hat_nonfinite + other.hat_nonfinite)

    def error_share(self, total: ErrorSums) -> float:
        """This part's Σe² as a fraction of ``total``'s (0 when total has no error).
        Example: Σe² = 0.25 of a total 1.25 -> 0.2."""
        if total.see.s == 0.0:
            return 0.0
        if math.isinf(total.see.s):  # an infinite error somewhere: no share can be given
            return math.nan
        return math.ldexp(self.see.s / total.see.s, 2 * (self.see.e - total.see.e))

    def metrics(self) -> dict[str, float]:
        """mse, rmse, sqnr_db, max_abs_error, mean_abs_error, cosine, nonfinite_count and
        flushed_to_zero_fraction, by the formulas of the module docstring."""
        n, see = self.n, self.see
        mean = np.float64(see.s / n if n else 0.0)  # Σe²/n = mean · 4^e
        with np.errstate(over="ignore"):  # inf past 1.8e308, as a plain float64 mse would be
            mse, rmse = float(np.ldexp(mean, 2 * see.e)), float(np.ldexp(np.sqrt(mean), see.e))
        return {
            "mse": mse,
            "rmse": rmse,
            "sqnr_db": _sqnr_db(self.sxx, see),
            "max_abs_error": self.max_abs,
            "mean_abs_error": self.sabs / n if n else 0.0,
            # no angle between x and an x̂ holding ±Inf or NaN: undefined, not the angle of its finite part
            "cosine": math.nan if self.hat_nonfinite else _cosine(self.sxh, self.sxx, self.shh),
            "nonfinite_count": self.nonfinite,
            "flushed_to_zero_fraction": self.flushed / self.nonzero if self.nonzero else 0.0,
        }


def _sumsq(v: np.ndarray) -> float:
    """Σv² (multiply + pairwise sum: BLAS dot is slow and noisy on a shared box)."""
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.multiply(v, v).sum())


def _sqnr_db(signal: _Dot, noise: _Dot) -> float:
    """10·log10(signal / noise), inf when noise is 0, -inf when only the signal is 0 or noise is inf."""
    if noise.s == 0.0:
        return math.inf
    if signal.s == 0.0 or math.isinf(noise.s):
        return -math.inf
    return 10.0 * (signal.log10() - noise.log10())


def _cosine(sxh: _Dot, sxx: _Dot, shh: _Dot) -> float:
    """Cosine similarity from the three dot products; 1 when both vectors are zero."""
    if sxx.s == 0.0 and shh.s == 0.0:
        return 1.0
    if sxx.s == 0.0 or shh.s == 0.0:
        return 0.0
    ratio = sxh.s / math.sqrt(sxx.s * shh.s)
    return max(-1.0, min(1.0, math.ldexp(ratio, 2 * sxh.e - sxx.e - shh.e)))


def _estimate_clipped(x_flat: np.ndarray, max_abs_hat: float) -> int:
    """Finite values whose magnitude exceeds the largest reconstructed magnitude."""
    count = 0
    for start in range(0, x_flat.size, _CHUNK):
        xc = np.abs(x_flat[start:start + _CHUNK].astype(np.float64))
        count += int(np.count_nonzero((xc > max_abs_hat) & np.isfinite(xc)))
    return count


def _levels_used(x_flat: np.ndarray, h_flat: np.ndarray, codes: np.ndarray | None,
                 negative_zero: int | None = None) -> int:
    """Distinct codes (or distinct finite reconstructed values) at positions where x is finite;
    the ``negative_zero`` code and code 0 count once."""
    if codes is not None:
        c_flat = np.asarray(codes).reshape(-1)
        if c_flat.dtype.itemsize <= 2 and c_flat.dtype.kind in "iu":
            seen = _small_codes_seen(x_flat, c_flat)
            both_zeros = negative_zero is not None and bool(seen[0] and seen[negative_zero])
            return int(np.count_nonzero(seen)) - both_zeros
        finite = np.isfinite(x_flat)
        uniq = np.unique(c_flat[finite])
        both_zeros = negative_zero is not None and 0 in uniq and negative_zero in uniq
        return int(uniq.size) - both_zeros
    vals = h_flat[np.isfinite(x_flat) & np.isfinite(h_flat)]
    return int(np.unique(vals).size)


def _small_codes_seen(x_flat: np.ndarray, c_flat: np.ndarray) -> np.ndarray:
    """Which 8/16-bit codes occur (a presence table over the unsigned codes, much faster than np.unique).

    After the first chunk usually only a few codes are still unseen; those are then looked for
    with one vectorised comparison each instead of a full scatter.
    """
    unsigned = c_flat.view(np.uint8 if c_flat.dtype.itemsize == 1 else np.uint16)
    seen = np.zeros(1 << (8 * c_flat.dtype.itemsize), dtype=bool)
    for start in range(0, c_flat.size, _CHUNK):
        cc = unsigned[start:start + _CHUNK]
        xc = x_flat[start:start + _CHUNK]
        if xc.dtype.kind not in "iub":  # floats, ml_dtypes' bfloat16/float8 too (kind "V")
            finite = np.isfinite(xc)
            if not finite.all():
                cc = cc[finite]
        missing = np.flatnonzero(~seen)
        if missing.size == 0:
            break
        if start and missing.size <= 8:
            for code in missing:
                if (cc == code).any():
                    seen[code] = True
        else:
            seen[cc] = True
    return seen
