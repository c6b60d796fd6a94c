"""The numba kernels behind lib.compiled (read its docstring first): one pass per row of a
2-D float32 array, codes and x̂ written while the row's values sit in the L1 cache.

Only lib.compiled imports this module (lazily: numba costs ~0.15 s to import, and each kernel
~0.8 s to compile on its first call in a process). Kernels take 2-D C-contiguous arrays and index
them with unsigned integers: no slices (each one touches a shared reference count) and no
negative-index wraparound (which turns contiguous loads into gathers). A group or block takes a
"clean" loop when it holds no NaN/Inf and its scaled range cannot clip (lib.apply's own test):
the same numbers as the full loop, without its NaN selects, clip count and clamp.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit
from numba.core import types
from numba.extending import intrinsic

OPTS = dict(error_model="numpy", cache=False, nogil=True)


# --- scalar helpers -------------------------------------------------------------------------------
@intrinsic
def f2u(typingctx, x):
    """Bit pattern of a float32/float64 scalar as uint32/uint64."""
    if x == types.float32:
        rt, llt = types.uint32, ir.IntType(32)
    elif x == types.float64:
        rt, llt = types.uint64, ir.IntType(64)
    else:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], llt)
    return rt(x), codegen


@intrinsic
def u2f(typingctx, u):
    """uint32/uint64 bit pattern -> float32/float64."""
    if u == types.uint32:
        rt, llt = types.float32, ir.FloatType()
    elif u == types.uint64:
        rt, llt = types.float64, ir.DoubleType()
    else:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], llt)
    return rt(u), codegen


@intrinsic
def abs_bits(typingctx, x):
    """Bit pattern of |x| (sign bit cleared), in x's width (numba's own & widens uint32 to 64 bits)."""
    if x == types.float32:
        rt, llt, mask = types.uint32, ir.IntType(32), (1 << 31) - 1
    elif x == types.float64:
        rt, llt, mask = types.uint64, ir.IntType(64), (1 << 63) - 1
    else:
        return None

    def codegen(context, builder, signature, args):
        return builder.and_(builder.bitcast(args[0], llt), ir.Constant(llt, mask))
    return rt(x), codegen


@intrinsic
def cast_like(typingctx, val, like):
    """val converted (numeric cast, as numpy's astype) to the type of ``like``."""
    sig = like(val, like)

    def codegen(context, builder, signature, args):
        return context.cast(builder, args[0], signature.args[0], signature.args[1])
    return sig, codegen


@njit(**OPTS)
def _absmax_bits(x, line, c0, c1, infbits):
    """(max |x| over the finite x[line, c0:c1], max |x| over all of them) as bit patterns; the
    second is >= the bits of Inf when a NaN/Inf is present. Branch-free integer max reductions
    (LLVM vectorises them; "if u < inf and u > m" was 10x slower on 32-value blocks). Unsigned
    indices: numba then skips its negative-index wraparound, so loads stay contiguous."""
    zero = cast_like(0, infbits)
    m = zero
    r = zero
    for j in range(c1 - c0):
        u = abs_bits(x[line, np.uint64(c0 + j)])
        r = max(r, u)
        u = u if u < infbits else zero
        m = max(m, u)
    return m, r


@njit(**OPTS)
def _exact_scale(t, q, one, tiny, smallest, inf):
    """lib.scales.exact_scale for one finite t >= 0, in t's dtype."""
    s = t / q
    if s * q != t:
        up = np.nextafter(s, inf)
        dn = np.nextafter(s, t - t)
        if s * q != t and up * q == t:
            s = up
        if s * q != t and dn * q == t:
            s = dn
    if t == 0:
        s = one
    elif not (s > 0):
        s = smallest
    for _ in range(8):  # _fit_subnormal_scales
        if s < tiny and t / s > q:
            s = np.nextafter(s, inf)
        else:
            break
    return s


# --- int absmax (channel and group) ------------------------------------------------------------
@njit(**OPTS)
def _int_line(x, codes, deq, scale, line, B, q, qmin, qmax, hi_clip, lo_clip, one, tiny, smallest, inf, nan,
              infbits):
    n = x.shape[1]
    zero = one - one
    cnt = 0
    for g in range(scale.shape[1]):
        c0 = g * B
        c1 = min(c0 + B, n)
        mb, rb = _absmax_bits(x, line, c0, c1, infbits)
        amax = u2f(mb)
        s = _exact_scale(amax, q, one, tiny, smallest, inf)
        scale[line, np.uint64(g)] = s
        if rb < infbits and amax / s < hi_clip and -amax / s > lo_clip:
            for j in range(c1 - c0):
                k = np.uint64(c0 + j)
                r = np.rint(x[line, k] / s)
                codes[line, k] = np.int8(r)
                deq[line, k] = r * s
            continue
        for j in range(c1 - c0):
            k = np.uint64(c0 + j)
            xv = x[line, k]
            isn = xv != xv
            v = xv / s
            if isn:
                v = zero
            cnt += ((v > hi_clip) | (v < lo_clip)) & (abs(xv) < inf)
            r = np.rint(v)
            if r > qmax:
                r = qmax
            if r < qmin:
                r = qmin
            codes[line, k] = np.int8(r)
            d = r * s
            if isn:
                d = nan
            deq[line, k] = d
    return cnt


@njit(**OPTS)
def int_rows(x, codes, deq, scale, B, q, qmin, qmax, hi_clip, lo_clip, one, tiny, smallest, inf, nan, infbits):
    """Absmax integer quantization of each row of x (L, n) in groups of B (B = n: per channel):
    fills codes (L, n), deq (L, n) and scale (L, ceil(n/B)); returns how many finite values clipped."""
    cnt = 0
    for line in range(x.shape[0]):
        cnt += _int_line(x, codes, deq, scale, np.uint64(line), B, q, qmin, qmax, hi_clip, lo_clip, one, tiny,
                         smallest, inf, nan, infbits)
    return cnt


# --- mxfp4 ----------------------------------------------------------------------------------------
@njit(**OPTS)
def _fp4_level(a, t, v_vals):
    """(magnitude code, value) of |v| = a in FP4 E2M1: the codes 0..7 hold 0, 0.5, 1, 1.5, 2, 3, 4, 6
    and t holds the midpoints between them; a tie goes to the even code (> at odd, >= at even)."""
    t1, t2, t3, t4, t5, t6, t7 = t
    w1, w2, w3, w4, w5, w6, w7 = v_vals
    mag = np.uint8(0)
    val = t1 - t1  # 0, in a's type
    if a > t1:
        mag = np.uint8(1)
        val = w1
    if a >= t2:
        mag = np.uint8(2)
        val = w2
    if a > t3:
        mag = np.uint8(3)
        val = w3
    if a >= t4:
        mag = np.uint8(4)
        val = w4
    if a > t5:
        mag = np.uint8(5)
        val = w5
    if a >= t6:
        mag = np.uint8(6)
        val = w6
    if a > t7:
        mag = np.uint8(7)
        val = w7
    return mag, val


@njit(**OPTS)
def _mx_line(x, codes, deq, scale, expo, scode, clean, line, pow2, B, shift, field_mask, emax_bias, sign_shift,
             infbits, t, v_vals, clip, inf, nan):
    n = x.shape[1]
    cnt = 0
    G = scale.shape[1]
    for g in range(G):  # phase 1: the line's shared exponents (apart from the element loop: faster)
        c0 = g * B
        mb, rb = _absmax_bits(x, line, c0, min(c0 + B, n), infbits)
        e = np.int64((mb >> shift) & field_mask) - emax_bias
        e = min(max(e, -127), 127)
        gg = np.uint64(g)
        scale[line, gg] = pow2[np.uint64(127 + e)]
        expo[line, gg] = np.int16(e)
        scode[line, gg] = np.uint8(e + 127)
        clean[gg] = (rb < infbits) & (u2f(mb) * pow2[np.uint64(127 - e)] <= clip)
    for g in range(G):  # phase 2: elements
        c0 = g * B
        c1 = min(c0 + B, n)
        gg = np.uint64(g)
        sc = scale[line, gg]
        inv = pow2[np.uint64(127 - np.int64(expo[line, gg]))]
        if clean[gg]:
            for j in range(c1 - c0):
                k = np.uint64(c0 + j)
                xv = x[line, k]
                a = abs(xv * inv)
                mag, val = _fp4_level(a, t, v_vals)
                sb = np.uint8(f2u(xv) >> sign_shift)
                codes[line, k] = np.uint8(mag | (sb << np.uint8(3)))
                deq[line, k] = math.copysign(val, xv) * sc
            continue
        for j in range(c1 - c0):
            k = np.uint64(c0 + j)
            xv = x[line, k]
            isn = xv != xv
            a = abs(xv * inv)
            cnt += (a > clip) & (abs(xv) < inf)
            mag, val = _fp4_level(a, t, v_vals)
            sb = np.uint8(f2u(xv) >> sign_shift)
            if isn:
                sb = np.uint8(0)
            codes[line, k] = np.uint8(mag | (sb << np.uint8(3)))
            d = math.copysign(val, xv) * sc
            if isn:
                d = nan
            deq[line, k] = d
    return cnt


@njit(**OPTS)
def mxfp4_rows(x, codes, deq, scale, expo, scode, pow2, B, shift, field_mask, emax_bias, sign_shift, infbits, t,
              v_vals, clip, inf, nan):
    """MXFP4 on each row of x (L, n) in blocks of B: fills codes, deq, scale (2^e), expo (e) and
    scode (the E8M0 code e + 127) per block; returns how many finite values clipped."""
    cnt = 0
    clean = np.empty(scale.shape[1], dtype=np.bool_)
    for line in range(x.shape[0]):
        cnt += _mx_line(x, codes, deq, scale, expo, scode, clean, np.uint64(line), pow2, B, shift, field_mask,
                        emax_bias, sign_shift, infbits, t, v_vals, clip, inf, nan)
    return cnt


# --- nf4 ------------------------------------------------------------------------------------------
@njit(**OPTS)
def _nf4_level(v, mids, levels):
    """(index, level) of the nearest NF4 level: the number of midpoints strictly below v (ties go
    down), as a chain of compare+select (vectorises; a table gather or a binary search was slower)."""
    m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, m10, m11, m12, m13, m14 = mids
    l0, l1, l2, l3, l4, l5, l6, l7, l8, l9, l10, l11, l12, l13, l14, l15 = levels
    i = np.uint8(0)
    val = l0
    if v > m0:
        i = np.uint8(1)
        val = l1
    if v > m1:
        i = np.uint8(2)
        val = l2
    if v > m2:
        i = np.uint8(3)
        val = l3
    if v > m3:
        i = np.uint8(4)
        val = l4
    if v > m4:
        i = np.uint8(5)
        val = l5
    if v > m5:
        i = np.uint8(6)
        val = l6
    if v > m6:
        i = np.uint8(7)
        val = l7
    if v > m7:
        i = np.uint8(8)
        val = l8
    if v > m8:
        i = np.uint8(9)
        val = l9
    if v > m9:
        i = np.uint8(10)
        val = l10
    if v > m10:
        i = np.uint8(11)
        val = l11
    if v > m11:
        i = np.uint8(12)
        val = l12
    if v > m12:
        i = np.uint8(13)
        val = l13
    if v > m13:
        i = np.uint8(14)
        val = l14
    if v > m14:
        i = np.uint8(15)
        val = l15
    return i, val


@njit(**OPTS)
def _nf4_line(x, codes, deq, scale, absmax_out, clean, line, B, mids, levels, clip, one, inf, nan, infbits, f32max,
              f32min_absmax):
    n = x.shape[1]
    zero = one - one
    cnt = 0
    G = scale.shape[1]
    for g in range(G):  # phase 1: block absmaxes
        c0 = g * B
        mb, rb = _absmax_bits(x, line, c0, min(c0 + B, n), infbits)
        amax = u2f(mb)
        a32 = np.float32(amax)
        if a32 > f32max:  # float64 x beyond float32: inf -> FLT_MAX (np.minimum)
            a32 = f32max
        gg = np.uint64(g)
        absmax_out[line, gg] = np.float64(a32)
        qs = cast_like(a32, one) if a32 > 0 else one
        scale[line, gg] = qs
        clean[gg] = (rb < infbits) & (amax / qs <= clip)
    for g in range(G):  # phase 2: elements
        c0 = g * B
        c1 = min(c0 + B, n)
        gg = np.uint64(g)
        a32 = np.float32(absmax_out[line, gg])
        recip = np.float32(1.0) / max(a32, f32min_absmax)
        rw = cast_like(recip, one)
        qs = scale[line, gg]
        if clean[gg]:
            for j in range(c1 - c0):
                k = np.uint64(c0 + j)
                i, val = _nf4_level(x[line, k] * rw, mids, levels)
                codes[line, k] = i
                deq[line, k] = val * qs
            continue
        for j in range(c1 - c0):
            k = np.uint64(c0 + j)
            xv = x[line, k]
            isn = xv != xv
            v = xv * rw
            if isn:
                v = zero
            cnt += ((v > clip) | (v < -clip)) & (abs(xv) < inf)
            i, val = _nf4_level(v, mids, levels)
            codes[line, k] = i
            d = val * qs
            if isn:
                d = nan
            deq[line, k] = d
    return cnt


@njit(**OPTS)
def nf4_rows(x, codes, deq, scale, absmax_out, B, mids, levels, clip, one, inf, nan, infbits, f32max,
               f32min_absmax):
    """NF4 on each row of x (L, n) in blocks of B: fills codes (level indices), deq, scale and
    absmax_out (float64) per block; returns how many finite values clipped."""
    cnt = 0
    clean = np.empty(scale.shape[1], dtype=np.bool_)
    for line in range(x.shape[0]):
        cnt += _nf4_line(x, codes, deq, scale, absmax_out, clean, np.uint64(line), B, mids, levels, clip, one, inf,
                         nan, infbits, f32max, f32min_absmax)
    return cnt
