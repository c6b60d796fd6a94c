"""The fast path of ``round``: float32 in, float32 out, a few in-place passes per cache-sized chunk.

Small float formats (round to nearest even, "saturate"), the magic-number trick:
for x in binade e, let c = 1.5 × 2^(max(e, emin) + 23 - M).  In float32, x + c stays in c's binade
(for either sign of x), whose spacing is exactly the format's spacing 2^(max(e, emin) - M), so the
hardware adds *and* rounds to nearest even in one step (c / spacing = 3 × 2^22 is even, so ties
go the right way); (x + c) - c is exact.  Normal and subnormal values are handled alike (the max
with emin is the subnormal rule).  Worked example, float8_e4m3fn (M = 3), x = 0.1 (e = -4):
c = 1.5 × 2^16 = 98304;  0.1 + 98304 = 98304.1015625 (spacing 2^-7);  minus c: 0.1015625,
the E4M3 value 1.101b × 2^-4.

Per chunk: exponent field of x, a max-reduction (is anything near max, Inf or NaN?), clip the
exponent to [emin, emax], add the magic, x + c, - c, or the sign back (so -0.001 -> -0), and
only when the reduction saw something large, clip to ±max.  Seven uint32/float32 ufunc passes
with ``out=`` on cache-sized chunks; np.clip (a fast SIMD loop here) stands in for np.maximum and
bit operations for np.copysign, both several times slower for these dtypes.

Integer formats: rint (or trunc), clip, NaN -> 0, -0 -> +0.

``scale`` (optional, a positive number): the value is divided by it first and multiplied after,
both in float32, i.e. ``round(x / s) * s`` — the fake-quantize step of a per-tensor scale.

NaN stays NaN with its sign (its payload may differ from the generic path's canonical NaN).
"""

from __future__ import annotations

from typing import Any

import numpy as np

FAST_CHUNK = 1 << 17
"""Elements per chunk (512 KB per buffer: input, output and one scratch buffer stay in cache;
smaller chunks cost more Python calls, larger ones more cache misses — measured on 2 cores)."""

_SIGN = np.uint32(0x80000000)
_EXP = np.uint32(0x7F800000)


def supports(fmt: Any, x: np.ndarray, out: np.ndarray, overflow: str, rounding: str) -> bool:
    """Whether :func:`round_into` handles this case (float32 in and out, see module docstring)."""
    if x.dtype != np.float32 or out.dtype != np.float32:
        return False
    if fmt.kind == "int":
        return rounding in ("nearest_even", "toward_zero") and fmt.bits <= 24
    if fmt.kind != "float" or not fmt.signed or rounding != "nearest_even" or overflow != "saturate":
        return False
    top_exponent = fmt.max_exponent_field - fmt.bias
    return fmt.mantissa_bits <= 20 and top_exponent + 23 - fmt.mantissa_bits <= 125 and fmt.minexp >= -126


def round_into(
    fmt: Any, x: np.ndarray, out: np.ndarray, overflow: str, rounding: str, scale: float | None = None
) -> bool:
    """Write ``fmt.round(x)`` (or ``fmt.round(x / scale) * scale``) into ``out``; False if unsupported.

    Args:
        fmt: a FloatFormat or IntFormat.
        x: 1-d contiguous float32 input.
        out: 1-d float32 output of the same size (may not alias x).
        overflow, rounding: as for ``round``.
        scale: optional positive per-tensor scale.
    """
    if not supports(fmt, x, out, overflow, rounding):
        return False
    if fmt.kind == "int":
        _round_int(fmt, x, out, rounding, scale)
    else:
        _round_float(fmt, x, out, scale)
    return True


def _zero_nans(f: np.ndarray) -> None:
    """NaN -> +0 (formats without NaN); a cheap min-reduction finds whether there are any."""
    if np.isnan(np.minimum.reduce(f)):
        f[np.isnan(f)] = 0.0


def _round_float(fmt: Any, x: np.ndarray, out: np.ndarray, scale: float | None) -> None:
    mx = np.float32(fmt.max)
    s = None if scale is None else np.float32(scale)
    magic = np.uint32((23 - fmt.mantissa_bits) << 23 | 0x400000)  # 2^e -> 1.5 * 2^(e + 23 - M)
    emin_field = np.uint32((fmt.minexp + 127) << 23)
    emax_field = np.uint32((fmt.max_exponent_field - fmt.bias + 127) << 23)  # float32 exponent of max
    c_buf = np.empty(min(FAST_CHUNK, x.size), np.float32)
    keep_negative_zero = fmt.has_negative_zero
    for start in range(0, x.size, FAST_CHUNK):
        xs = x[start : start + FAST_CHUNK]
        f = out[start : start + FAST_CHUNK]
        c = c_buf[: f.size]
        cu = c.view(np.uint32)
        src = xs if s is None else np.divide(xs, s, out=f)
        np.bitwise_and(src.view(np.uint32), _EXP, out=cu)  # 2^e (float32 exponent field)
        top = np.maximum.reduce(cu)  # one cheap pass: is anything near max, Inf or NaN?
        np.clip(cu, emin_field, emax_field, out=cu)  # subnormals share the smallest normal's spacing
        np.add(cu, magic, out=cu)  # c = 1.5 * 2^(max(e, emin) + 23 - M), positive
        np.add(src, c, out=f)  # the rounding happens here (float32, nearest even)
        np.subtract(f, c, out=f)
        if keep_negative_zero:  # x + c - c is +0 where x rounds to 0; give -0 back to negative x
            np.bitwise_and(xs.view(np.uint32), _SIGN, out=cu)
            np.bitwise_or(f.view(np.uint32), cu, out=f.view(np.uint32))
        if top >= emax_field:
            np.clip(f, -mx, mx, out=f)  # saturate (Inf -> ±max); NaN stays NaN
            if top == _EXP and not fmt.has_nan:
                f[np.isnan(f)] = 0.0
        if s is not None:
            np.multiply(f, s, out=f)


def _round_int(fmt: Any, x: np.ndarray, out: np.ndarray, rounding: str, scale: float | None) -> None:
    lo, hi = np.float32(fmt.min), np.float32(fmt.max)
    s = None if scale is None else np.float32(scale)
    op = np.rint if rounding == "nearest_even" else np.trunc
    for start in range(0, x.size, FAST_CHUNK * 2):
        f = out[start : start + FAST_CHUNK * 2]
        if s is None:
            op(x[start : start + FAST_CHUNK * 2], out=f)
        else:
            np.divide(x[start : start + FAST_CHUNK * 2], s, out=f)
            op(f, out=f)
        np.clip(f, lo, hi, out=f)
        _zero_nans(f)
        np.add(f, np.float32(0.0), out=f)  # -0 -> +0: integers have no negative zero
        if s is not None:
            np.multiply(f, s, out=f)
