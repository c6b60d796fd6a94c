"""The fast path of ``round``: a few in-place ufunc passes per cache-sized chunk, same results.

Taken for round-to-nearest-even with overflow="saturate" on float32 or float64 input (and for
int formats with nearest_even / toward_zero); everything else uses the exact generic path.

**Magic number** (signed float formats, input float32 or float64 with P = 23 or 52 fraction bits):
for x in binade e, let c = 1.5 × 2^(max(e, emin) + P - M).  x + c stays in c's binade (for either
sign of x), whose spacing is exactly the format's spacing 2^(max(e, emin) - M), so the hardware
adds *and* rounds to nearest even in one step (c / spacing = 3 × 2^(P-1) is even, so ties go the
right way); (x + c) - c is exact.  Normal and subnormal values are handled alike (the max with
emin is the subnormal rule).  Worked example, float8_e4m3fn (M = 3), float32 x = 0.1 (e = -4):
c = 1.5 × 2^16 = 98304;  0.1 + 98304 = 98304.1015625 (spacing 2^-7);  minus c: 0.1015625,
the E4M3 value 1.101b × 2^-4.

Per chunk: exponent field of x, a max-reduction (is anything near max, Inf or NaN?), clip the
exponent to [emin, emax], add the magic, x + c, - c, or the sign back (so -0.001 -> -0), and
only when the reduction saw something large, clip to ±max (once that has happened, later chunks
are clipped while loading instead, which saves a pass).  Seven ufunc passes with ``out=``;
np.clip (a fast SIMD loop here) stands in for np.maximum and bit operations for np.copysign,
both several times slower for these dtypes.

**Bit rounding** (float32 input to bfloat16 / tf32, which share float32's exponent range, so
their subnormals are float32's with the same bit shift): add 2^(s-1) - 1 plus the lowest kept
bit to the pattern and clear the s = 23 - M dropped bits; a carry ripples into the exponent.

**Integer formats**: rint (or trunc), clip, NaN -> 0, -0 -> +0.

``scale`` (optional, a positive number): the value is divided by it first and multiplied after,
in the input's dtype, i.e. ``round(x / s) * s`` — the fake-quantize step of a per-tensor scale.

NaN stays NaN with its sign (its payload may differ from the generic path's canonical NaN).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

FAST_CHUNK = 1 << 17
"""Elements per chunk (512 KB per float32 buffer: input, output and one scratch buffer stay in
cache; smaller chunks cost more Python calls, larger ones more cache misses — measured on 2 cores)."""


@dataclass(frozen=True)
class Layout:
    """An IEEE binary float dtype as the bit tricks see it."""

    dtype: type
    uint: type
    fraction_bits: int
    bias: int

    @property
    def sign(self) -> Any:
        return self.uint(1 << (self.fraction_bits + self.exponent_bits))

    @property
    def exponent_bits(self) -> int:
        return 8 if self.fraction_bits == 23 else 11

    @property
    def exp_mask(self) -> Any:
        return self.uint(((1 << self.exponent_bits) - 1) << self.fraction_bits)

    def field(self, unbiased: int) -> Any:
        """Bits of 2^unbiased."""
        return self.uint((unbiased + self.bias) << self.fraction_bits)


F32 = Layout(np.float32, np.uint32, 23, 127)
F64 = Layout(np.float64, np.uint64, 52, 1023)
LAYOUTS = {np.dtype(np.float32): F32, np.dtype(np.float64): F64}


def _magic_fits(fmt: Any, lay: Layout) -> bool:
    return (
        fmt.mantissa_bits <= lay.fraction_bits - 3
        and fmt.emax + lay.fraction_bits - fmt.mantissa_bits <= lay.bias - 2
        and fmt.minexp >= 1 - lay.bias
    )


def _bits_fit(fmt: Any, lay: Layout) -> bool:
    return lay is F32 and (fmt.exponent_bits, fmt.bias, fmt.specials) == (8, 127, "ieee")


def supports(fmt: Any, x: np.ndarray, out: np.ndarray, overflow: str, rounding: str) -> bool:
    """Whether :func:`round_into` handles this case (see the module docstring)."""
    lay = LAYOUTS.get(x.dtype)
    if lay is None or out.dtype != x.dtype:
        return False
    if fmt.kind == "int":
        return rounding in ("nearest_even", "toward_zero") and fmt.bits <= lay.fraction_bits + 1
    if fmt.kind != "float" or not fmt.signed or rounding != "nearest_even" or overflow != "saturate":
        return False
    return _magic_fits(fmt, lay) or _bits_fit(fmt, lay)


def round_into(
    fmt: Any, x: np.ndarray, out: np.ndarray, overflow: str, rounding: str, scale: float | None = None
) -> bool:
    """Write ``fmt.round(x)`` (or ``fmt.round(x / scale) * scale``) into ``out``; False if unsupported.

    Args:
        fmt: a FloatFormat or IntFormat.
        x: 1-d contiguous float32 or float64 input.
        out: 1-d output of the same size and dtype, not overlapping x.
        overflow, rounding: as for ``round``.
        scale: optional positive per-tensor scale.
    """
    if not supports(fmt, x, out, overflow, rounding):
        return False
    lay = LAYOUTS[x.dtype]
    s = None if scale is None else lay.dtype(scale)
    if fmt.kind == "int":
        _round_int(fmt, x, out, rounding, s)
    elif _magic_fits(fmt, lay):
        _round_magic(fmt, lay, x, out, s)
    else:
        _round_bits(fmt, lay, x, out, s)
    return True


def encode_into(fmt: Any, x: np.ndarray, codes: np.ndarray, overflow: str, rounding: str) -> bool:
    """Write ``fmt.encode(x)`` into ``codes`` via the fast ``round``; False if unsupported.

    The code is read off the rounded value's bit pattern: multiplying by 2^(emin_dtype - emin)
    (exact, a power of two) lines the format's smallest normal exponent up with the dtype's, so the
    dtype's exponent field, subnormals included, *is* the format's; shifting right by P - M leaves
    exponent and mantissa fields, and the sign moves down to bit E + M.  Example, float4_e2m1fn
    (emin = 0) in float32: 3.0 × 2^-126 = 1.1b × 2^-125 -> bits 0x01400000 >> 22 = 0b101 = code 5.
    """
    if not supports(fmt, x, x, overflow, rounding):
        return False
    lay = LAYOUTS[x.dtype]
    rounded = np.empty(min(FAST_CHUNK, x.size), x.dtype)
    for start in range(0, x.size, FAST_CHUNK):
        xs = x[start : start + FAST_CHUNK]
        r = rounded[: xs.size]
        round_into(fmt, xs, r, overflow, rounding)
        codes[start : start + FAST_CHUNK] = _codes_of(fmt, lay, r)
    return True


def _codes_of(fmt: Any, lay: Layout, r: np.ndarray) -> np.ndarray:
    """Codes of values already on the format's grid (NaN included; no Inf after saturation)."""
    if fmt.kind == "int":
        return r.astype(np.int64) & ((1 << fmt.bits) - 1)
    w = np.multiply(r, lay.dtype(2.0 ** ((1 - lay.bias) - fmt.minexp)))
    u = w.view(lay.uint)
    np.right_shift(u, lay.uint(lay.fraction_bits - fmt.mantissa_bits), out=u)
    low = lay.exponent_bits + fmt.mantissa_bits  # the dtype's sign bit is now bit `low`
    code = u & lay.uint((1 << low) - 1)
    code |= (u >> lay.uint(low)) << lay.uint(fmt.bits - 1)
    if fmt.has_nan and np.isnan(np.minimum.reduce(r)):
        nan = np.isnan(r)
        signs = np.signbit(r[nan]) if fmt.specials != "fnuz" else False
        code[nan] = np.where(signs, fmt.nan_code | 1 << (fmt.bits - 1), fmt.nan_code)
    return code


def _zero_nans(f: np.ndarray) -> None:
    """NaN -> +0 (formats without NaN); a cheap min-reduction finds whether there are any."""
    if np.isnan(np.minimum.reduce(f)):
        f[np.isnan(f)] = 0.0


def _round_magic(fmt: Any, lay: Layout, x: np.ndarray, out: np.ndarray, s: Any) -> None:
    mx = lay.dtype(fmt.max)
    magic = lay.uint((lay.fraction_bits - fmt.mantissa_bits) << lay.fraction_bits | 1 << (lay.fraction_bits - 1))
    emin_field, emax_field = lay.field(fmt.minexp), lay.field(fmt.emax)
    exp_mask, sign_mask = lay.exp_mask, lay.sign
    c_buf = np.empty(min(FAST_CHUNK, x.size), lay.dtype)
    keep_negative_zero = fmt.has_negative_zero
    inf_to_nan = fmt.specials == "fnuz"  # saturating fnuz casts send ±Inf to NaN (AMD): keep Inf visible
    clip_first = False  # becomes True once a chunk needed saturating: then clip while loading
    for start in range(0, x.size, FAST_CHUNK):
        xs = x[start : start + FAST_CHUNK]
        f = out[start : start + FAST_CHUNK]
        c = c_buf[: f.size]
        cu = c.view(lay.uint)
        if clip_first:  # saturate first: x (or x / s) clipped to ±max straight into f
            src = np.clip(xs if s is None else np.divide(xs, s, out=f), -mx, mx, out=f)
        else:
            src = xs if s is None else np.divide(xs, s, out=f)
        np.bitwise_and(src.view(lay.uint), exp_mask, out=cu)  # 2^e (the exponent field)
        top = np.maximum.reduce(cu)  # one cheap pass: is anything near max, Inf or NaN?
        np.clip(cu, emin_field, emax_field, out=cu)  # subnormals share the smallest normal's spacing
        np.add(cu, magic, out=cu)  # c = 1.5 * 2^(max(e, emin) + P - M), positive
        np.add(src, c, out=f)  # the rounding happens here (nearest even, in hardware)
        np.subtract(f, c, out=f)
        if keep_negative_zero:  # x + c - c is +0 where x rounds to 0; give -0 back to negative x
            np.bitwise_and(xs.view(lay.uint), sign_mask, out=cu)
            np.bitwise_or(f.view(lay.uint), cu, out=f.view(lay.uint))
        if top >= emax_field:
            if not clip_first:
                np.clip(f, -mx, mx, out=f)  # saturate (Inf -> ±max); NaN stays NaN
                clip_first = not inf_to_nan
            if top == exp_mask and not fmt.has_nan:
                f[np.isnan(f)] = 0.0
            elif top == exp_mask and inf_to_nan:
                f[np.isnan(f) | np.isinf(xs)] = -np.nan  # the one NaN code, 0x80, has its sign bit set
        if s is not None:
            np.multiply(f, s, out=f)


def _round_bits(fmt: Any, lay: Layout, x: np.ndarray, out: np.ndarray, s: Any) -> None:
    """Formats with float32's exponent range (bfloat16, tf32, float32): round the bit pattern."""
    mx = lay.dtype(fmt.max)
    shift = lay.fraction_bits - fmt.mantissa_bits
    keep = lay.uint(~((1 << shift) - 1) & ((1 << (lay.fraction_bits + lay.exponent_bits + 1)) - 1))
    half_minus_one = lay.uint((1 << shift >> 1) - 1) if shift else lay.uint(0)
    t_buf = np.empty(min(FAST_CHUNK, x.size), lay.uint)
    for start in range(0, x.size, FAST_CHUNK):
        xs = x[start : start + FAST_CHUNK]
        f = out[start : start + FAST_CHUNK]
        src = xs if s is None else np.divide(xs, s, out=f)
        nan_present = bool(np.isnan(np.minimum.reduce(src)))
        nans = np.isnan(src) if nan_present else None
        if shift:
            t = t_buf[: f.size]
            su = src.view(lay.uint)
            np.right_shift(su, lay.uint(shift), out=t)
            np.bitwise_and(t, lay.uint(1), out=t)  # the lowest kept bit: ties go to even
            np.add(t, half_minus_one, out=t)
            np.add(su, t, out=f.view(lay.uint))
            np.bitwise_and(f.view(lay.uint), keep, out=f.view(lay.uint))
        elif s is None:
            np.copyto(f, src)
        np.clip(f, -mx, mx, out=f)  # saturate: a carry into the all-ones exponent is Inf
        if nans is not None:
            f[nans] = np.where(np.signbit(xs[nans]), -np.nan, np.nan)  # x / s has x's sign
        if s is not None:
            np.multiply(f, s, out=f)


def _round_int(fmt: Any, x: np.ndarray, out: np.ndarray, rounding: str, s: Any) -> None:
    lo, hi = x.dtype.type(fmt.min), x.dtype.type(fmt.max)
    op = np.rint if rounding == "nearest_even" else np.trunc
    step = FAST_CHUNK * 2
    for start in range(0, x.size, step):
        f = out[start : start + step]
        if s is None:
            op(x[start : start + step], out=f)
        else:
            np.divide(x[start : start + step], s, out=f)
            op(f, out=f)
        np.clip(f, lo, hi, out=f)
        _zero_nans(f)
        np.add(f, x.dtype.type(0.0), out=f)  # -0 -> +0: integers have no negative zero
        if s is not None:
            np.multiply(f, s, out=f)
