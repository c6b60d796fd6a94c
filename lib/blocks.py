"""Block quantization schemes: a small block of values shares one scale.

Blocks run along ``axis`` (for GGUF files that is the last axis); a size that is not a multiple
of the block is padded with NaN (ignored) and cropped afterwards.

============  =====  ===============  =========================================  ===============
scheme        block  elements         block scale                                 bits / value
============  =====  ===============  =========================================  ===============
mxfp8_e4m3     32    float8_e4m3fn    E8M0: X = 2**(floor(log2 amax) - 8)         8.25
mxfp8_e5m2     32    float8_e5m2      E8M0: X = 2**(floor(log2 amax) - 15)        8.25
mxfp6_e3m2     32    float6_e3m2fn    E8M0: X = 2**(floor(log2 amax) - 4)         6.25
mxfp6_e2m3     32    float6_e2m3fn    E8M0: X = 2**(floor(log2 amax) - 2)         6.25
mxfp4          32    float4_e2m1fn    E8M0: X = 2**(floor(log2 amax) - 2)         4.25
mxint8         32    int8 · 2**-6     E8M0: X = 2**(floor(log2 amax) - 0)         8.25
nvfp4          16    float4_e2m1fn    E4M3 block scale x one FP32 tensor scale    4.5 (+32/N)
q8_0           32    int8 (-127..127) fp16 d = amax / 127                         8.5
q4_0           32    4-bit q, 0..15   fp16 d = (signed value of largest |x|)/-8   4.5
nf4            64    16 NF4 levels    fp32 absmax  (double_quant: 8 bits + ...)  4.5 (4.127)
============  =====  ===============  =========================================  ===============

Conventions, scheme by scheme:

* **MX (OCP MX v1.0)**: X from an exact floor of log2 (``np.frexp``, never the E8M0 cast, which
  rounds), clamped to E8M0's 2**-127 .. 2**127; elements x / X rounded to nearest even and clamped
  to ±element max (saturating, like Microsoft's ``microxcaling`` reference). An all-zero block
  gets X = 2**max(-126 - emax, -127), as in microxcaling (its elements are 0 anyway). MXINT8
  elements are int8 codes times 2**-6, clamped to ±127 (±1.984375), as microxcaling does.
  Codes are the element codes; ``extra["scale_codes"]`` holds the E8M0 codes (exponent + 127).
* **NVFP4** (NVIDIA's recipe as TensorRT Model Optimizer 0.47 computes it, checked value for value
  against its ``NVFP4QTensor``: tests/data/modelopt_nvfp4_golden.npz): tensor scale
  g = amax / (6·448) in float32 (1 for an all-zero tensor, where Model Optimizer divides 0 by 0);
  block ratio = block_amax / (6·g) in float32, 1 for an all-zero block, clamped to [2**-9, 448]
  and rounded to E4M3 (nearest even); effective block scale = E4M3 value · g; elements x / scale
  rounded to FP4 E2M1 (nearest even), saturated at 6; x̂ = element · scale. Known differences: an
  input of exactly -0.0 keeps its sign bit (code 8, as ml_dtypes encodes -0.0; Model Optimizer's
  sign test x < 0 gives code 0), and NaN/Inf are left out of the amaxes (Model Optimizer does not
  handle them). ``extra`` holds ``global_scale`` and the E4M3 ``scale_codes``.
* **Q8_0 / Q4_0 (GGUF)**: exactly ``gguf.quants`` (which mirrors ggml's reference C): float32
  arithmetic; Q8_0 rounds x·(1/d) half away from zero; Q4_0 takes q = min(15, trunc(x·(1/d) + 8.5))
  with d = max/-8 where max is the *signed* value of largest magnitude (first one on ties).
  d is stored as float16 (r.scale holds the stored value) while the codes use the float32 d,
  as ggml does. Q4_0 codes are the stored nibbles 0..15 with zero_point 8: x̂ = (q - 8)·d.
  NaN/Inf are not defined by GGUF; here they are excluded from d and Inf saturates.
* **NF4 (bitsandbytes)**: x · (1/absmax) (fp32 absmax per 64 values, its reciprocal rounded to
  fp32 as bitsandbytes computes it, absmax clamped to >= 1e-38 first) to the nearest of the 16
  NF4 levels (ties to the lower level, as bitsandbytes' midpoint search); x̂ = level · absmax.
  ``double_quant=True`` stores the absmaxes in 8 bits as bitsandbytes' ``compress_statistics``:
  c = absmax - mean, quantized to the 8-bit dynamic map in blocks of 256 (lib.dynamic8). The
  elements are quantized with the exact absmax and reconstructed with the 8-bit one (as
  bitsandbytes does). bits/value = 4 + (8 + 32/256)/64 + 32/N ≈ 4.127. ``extra["double_quant"]``
  holds the stored parts (uint8 map codes, fp32 max|c| per 256 absmaxes, the fp32 mean).
  Checked value for value against bitsandbytes 0.50.2 (tests/data/bnb_nf4_golden.npz).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from typing import Any

import numpy as np

from lib.apply import Applied, apply_scales
from lib.dynamic8 import DYNAMIC_BLOCK, dequantize_dynamic, quantize_dynamic
from lib.elements import Element, get_element, snap
from lib.scales import RowStats, reduce_rows


@dataclass(frozen=True)
class BlockScheme:
    """A named block format: its block size, element format and scale format."""

    name: str
    family: str  # "mx" | "nvfp4" | "gguf" | "nf4"
    block_size: int
    element_format: str  # lib.formats name of the elements
    scale_format: str  # how each block's scale is stored
    scale_bits: int  # bits of that scale per block
    element_bits: int
    emax: int = 0  # MX: exponent of the element format's largest binade

    @property
    def fixes_rounding(self) -> bool:
        """True when the scheme has its own rounding rule, so quantize's rounding and overflow
        modes do not apply: GGUF (Q8_0 rounds half away from 0, Q4_0 takes trunc(x/d + 8.5))."""
        return self.family == "gguf"

    @property
    def bits_per_element(self) -> float:
        """Element bits plus the block scale spread over the block (per-tensor extras excluded)."""
        return self.element_bits + self.scale_bits / self.block_size


def stored_bits_per_value(scheme: BlockScheme, n_values: int, n_blocks: int, double_quant: bool = False) -> float:
    """Every stored bit per real value: elements, each block's scale (a partial block's too) and
    per-tensor extras: NVFP4's fp32 tensor scale; with NF4 double quantization an 8-bit absmax
    per block, an fp32 scale per 256 blocks and the fp32 mean of the absmaxes.

    Example: MXFP4 on 4096 values (128 blocks) = 4 + 128·8/4096 = 4.25; on 200 values (7 blocks,
    the last one partial) = 4 + 7·8/200 = 4.28.
    """
    if scheme.family == "nf4" and double_quant:
        extra = n_blocks * 8 + -(-n_blocks // NF4_DQ_BLOCK) * 32 + 32
    else:
        extra = n_blocks * scheme.scale_bits + (32 if scheme.family == "nvfp4" else 0)
    return scheme.element_bits + extra / n_values


SCHEMES: dict[str, BlockScheme] = {
    s.name: s
    for s in (
        BlockScheme("mxfp8_e4m3", "mx", 32, "float8_e4m3fn", "e8m0", 8, 8, emax=8),
        BlockScheme("mxfp8_e5m2", "mx", 32, "float8_e5m2", "e8m0", 8, 8, emax=15),
        BlockScheme("mxfp6_e3m2", "mx", 32, "float6_e3m2fn", "e8m0", 8, 6, emax=4),
        BlockScheme("mxfp6_e2m3", "mx", 32, "float6_e2m3fn", "e8m0", 8, 6, emax=2),
        BlockScheme("mxfp4", "mx", 32, "float4_e2m1fn", "e8m0", 8, 4, emax=2),
        BlockScheme("mxint8", "mx", 32, "int8", "e8m0", 8, 8, emax=0),
        BlockScheme("nvfp4", "nvfp4", 16, "float4_e2m1fn", "e4m3 (x fp32 per tensor)", 8, 4),
        BlockScheme("q8_0", "gguf", 32, "int8", "fp16", 16, 8),
        BlockScheme("q4_0", "gguf", 32, "uint4", "fp16", 16, 4),
        BlockScheme("nf4", "nf4", 64, "nf4", "fp32", 32, 4),
    )
}

NF4_DQ_BLOCK = DYNAMIC_BLOCK
NF4_MIN_ABSMAX = 1e-38  # bitsandbytes clamps the absmax before taking its reciprocal
MXINT8_ELEMENT_SCALE = 2.0**-6
#: schemes whose int8 codes stop at ±127 (-128 is never stored: 255 levels)
SYMMETRIC_INT8_SCHEMES: tuple[str, ...] = ("mxint8", "q8_0")


def list_schemes() -> list[str]:
    """Names of the block schemes, in table order."""
    return list(SCHEMES)


@dataclass(frozen=True)
class BlockOutput:
    """Result of a block scheme on the rows view (one row per block)."""

    codes: np.ndarray
    scale: np.ndarray  # (blocks,) the scale each block is reconstructed with
    zero_point: np.ndarray | None
    dequantized: np.ndarray
    clipped: int
    bits_per_element: float
    extra: dict[str, Any]


def quantize_blocks(
    x2d: np.ndarray,
    scheme: BlockScheme,
    stats: RowStats,
    *,
    rounding: str = "nearest_even",
    overflow: str = "saturate",
    rng: np.random.Generator | None = None,
    double_quant: bool = False,
    n_values: int | None = None,
    tensor_amax: float | None = None,
    dq_given: tuple[np.ndarray, dict[str, Any]] | None = None,
) -> BlockOutput:
    """Quantize a blocks x block_size view with ``scheme`` (see the module table).

    Args:
        x2d: one block per row, float32 or float64, NaN where a value is missing or padded.
        scheme: a BlockScheme from SCHEMES.
        stats: lib.scales.row_stats(x2d).
        rounding, overflow, rng: element rounding (MX, NVFP4, NF4 codes; GGUF has its own).
        double_quant: NF4 only: store the absmaxes in 8 bits.
        n_values: number of real values in x2d, padding excluded (for bits_per_element;
            default x2d.size). A caller passing a part of a tensor recomputes bits_per_element.
        tensor_amax: NVFP4 only: the whole tensor's max |x| when x2d is a part of it.
        dq_given: NF4 double quantization of the whole tensor's absmaxes (reconstructed absmax
            of x2d's blocks, stored parts) when x2d is a part of it.

    Example:
        >>> # one MXFP4 block whose amax is 6: X = 2**(2 - 2) = 1, elements are FP4 values as is
    """
    n = n_values if n_values is not None else x2d.size
    kw = dict(stats=stats, rounding=rounding, overflow=overflow, rng=rng)
    if scheme.family == "gguf":
        bad = stats.nonfinite > 0
        with np.errstate(over="ignore"):  # as gguf: float32 first, a float64 x beyond it is ±inf
            out = _gguf(x2d, scheme, stats, bad if bad.any() else None)
    elif scheme.family == "mx":
        out = _mx(x2d, scheme, stats, kw)
    elif scheme.family == "nvfp4":
        out = _nvfp4(x2d, scheme, stats, kw, tensor_amax)
    else:
        out = _nf4(x2d, scheme, stats, kw, double_quant, dq_given)
    return dataclasses.replace(out, bits_per_element=stored_bits_per_value(scheme, n, x2d.shape[0], double_quant))


def _element(scheme: BlockScheme) -> Element:
    return get_element(scheme.element_format)


@functools.cache
def _mxint8_element() -> Element:
    """int8 clamped to ±127 (the symmetric MXINT8 range)."""
    base = get_element("int8")
    return Element("int8", "int", 8, -127.0, 127.0, 255, base.fmt)


def floor_log2(v: np.ndarray) -> np.ndarray:
    """floor(log2 v) exactly for v > 0 (from frexp: v = m·2**e with 0.5 <= m < 1)."""
    _, e = np.frexp(v)
    return (e - 1).astype(np.int64)


def mx_shared_exponent(amax: np.ndarray, emax: int) -> np.ndarray:
    """E8M0 exponent per block: floor(log2 amax) - emax, clamped to [-127, 127]; zero blocks min.

    floor(log2 a) is read off a's exponent field (float32 or float64 bits; exact for every normal
    number); zeros and subnormals take the slow exact path (frexp).
    """
    a = np.ascontiguousarray(amax, dtype=np.float32 if np.asarray(amax).dtype == np.float32 else np.float64)
    if a.dtype == np.float32:  # float32's own field (its subnormals take the slow path below)
        field = ((a.view(np.uint32) >> np.uint32(23)) & np.uint32(0xFF)).astype(np.int64)
        e = field - (127 + emax)
    else:
        field = (a.view(np.uint64) >> np.uint64(52)).astype(np.int64) & 0x7FF  # (-0.0 is a zero too)
        e = field - (1023 + emax)
    tiny = np.flatnonzero(field == 0)
    if tiny.size:
        part = a[tiny]
        part = part.astype(np.float64)
        e[tiny] = np.where(part == 0, max(-126 - emax, -127), floor_log2(np.where(part == 0, 1.0, part)) - emax)
    return np.clip(e, -127, 127, out=e)


def pow2(exp: np.ndarray) -> np.ndarray:
    """2.0**exp as float64 for integer exp in [-1022, 1023], built from the exponent field
    (exact, and several times faster than np.ldexp)."""
    return ((np.asarray(exp, dtype=np.int64) + 1023) << 52).view(np.float64)


def _mx(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats, kw: dict[str, Any]) -> BlockOutput:
    el = _element(scheme)
    amax = stats.amax(el)
    exp = mx_shared_exponent(amax, scheme.emax)
    scale = pow2(exp)
    if scheme.element_format == "int8":
        el = _mxint8_element()
        scale = scale * MXINT8_ELEMENT_SCALE
    fast = _mxfp4_fast(x2d, scheme, stats, exp, kw)
    applied = fast if fast is not None else apply_scales(x2d, el, scale.astype(x2d.dtype), **kw)
    extra = {"scale_codes": (exp + 127).astype(np.uint8), "shared_exponent": exp.astype(np.int16)}
    return BlockOutput(applied.codes, scale.astype(x2d.dtype), None, applied.dequantized,
                       applied.clipped, scheme.bits_per_element, extra)


# FP4 E2M1 round to nearest even, as thresholds on |v|: the code magnitude is the number of
# thresholds passed; a tie goes to the even code, so ">" where the lower neighbour is even and
# ">=" where the upper one is (0.75 -> 1.0, 1.25 -> 1.0, 5 -> 4; 7 and above saturate to 6).
_FP4_STEPS = ((0.25, np.greater), (0.75, np.greater_equal), (1.25, np.greater), (1.75, np.greater_equal),
              (2.5, np.greater), (3.5, np.greater_equal), (5.0, np.greater))
_MX_CHUNK = 1 << 17


def _mxfp4_fast(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats, exp: np.ndarray,
                kw: dict[str, Any]) -> Applied | None:
    """MXFP4 on float32 without NaN/Inf, nearest-even and saturating: the same numbers as
    apply_scales + fmt.round + float_codes, in fewer passes (None when it does not apply).

    Per chunk: v = x · 2**-e (exact, the generic path's v); code magnitude = 7 threshold
    compares on |v| (_FP4_STEPS), summed in uint8; sign bit = x's sign (v = -0.1 -> -0, code
    8, as the generic round keeps -0). The value is rebuilt from the code without a gather:
    magnitude m << 22 read as float32 is m's FP4 value times 2**-126 (m = 1 -> 2**-127 = 0.5 ·
    2**-126; m = 3 -> 1.5 · 2**-126), OR x's sign bit, times 2**126 (exact), then divided by
    2**-e (= times 2**e, rounded the same way). |v| < 8 always (X = 2**(floor(log2 amax) - 2)),
    so 7 and above is exactly what the generic path counts as clipped (clip limit 6 + 1).

    Example: x = -2.6 in a block with amax 5 (e = 0): |v| = 2.6 passes 0.25, 0.75, 1.25,
    1.75, 2.5 -> m = 5 (3.0), code 8 | 5 = 13, x̂ = -3.0.
    """
    if (scheme.element_format != "float4_e2m1fn" or kw["rounding"] != "nearest_even"
            or kw["overflow"] != "saturate" or x2d.dtype != np.float32 or not x2d.flags.c_contiguous
            or x2d.shape[1] != scheme.block_size or stats.nonfinite.any()):
        return None
    inv = pow2(-exp).astype(np.float32)  # exact: 2**-e, |e| <= 127
    xf = x2d.reshape(-1)
    n, bs = xf.size, scheme.block_size
    codes = np.empty(n, dtype=np.uint8)
    deq = np.empty(n, dtype=np.float32)
    ch = min(_MX_CHUNK, n)
    sbuf, a = np.empty(ch, np.float32), np.empty(ch, np.float32)
    m, flag = np.empty(ch, np.uint8), np.empty(ch, np.uint8)
    w = np.empty(ch, np.uint32)
    sign = np.empty(ch, np.uint32)
    up = np.float32(2.0**126)
    clipped = 0
    for i in range(0, n, ch):
        k = min(ch, n - i)
        xc, s, ac, mc, fc = xf[i:i + k], sbuf[:k], a[:k], m[:k], flag[:k]
        np.copyto(s.reshape(-1, bs), inv[i // bs:(i + k) // bs, None])
        np.multiply(xc, s, out=ac)
        np.abs(ac, out=ac)
        clipped += int(np.count_nonzero(np.greater(ac, np.float32(7.0), out=fc.view(np.bool_))))
        first = True
        for t, op in _FP4_STEPS:
            if first:
                op(ac, np.float32(t), out=mc.view(np.bool_))
                first = False
                continue
            op(ac, np.float32(t), out=fc.view(np.bool_))
            np.add(mc, fc, out=mc)
        wc, sc = w[:k], sign[:k]
        np.copyto(wc, mc, casting="unsafe")
        np.left_shift(wc, np.uint32(22), out=wc)
        np.bitwise_and(xc.view(np.uint32), np.uint32(0x80000000), out=sc)
        np.bitwise_or(wc, sc, out=wc)
        np.signbit(xc, out=fc.view(np.bool_))
        np.multiply(fc, np.uint8(8), out=fc)  # sign -> bit 3 of the code (uint8 shifts are not SIMD)
        np.bitwise_or(mc, fc, out=codes[i:i + k])
        vals = wc.view(np.float32)
        np.multiply(vals, up, out=vals)
        np.divide(vals, s, out=deq[i:i + k])
    return Applied(codes.reshape(x2d.shape), deq.reshape(x2d.shape), clipped)


def _nvfp4(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats, kw: dict[str, Any],
           tensor_amax: float | None) -> BlockOutput:
    el = _element(scheme)
    e4m3 = get_element("float8_e4m3fn")
    with np.errstate(over="ignore"):  # a float64 x beyond float32: the block amax saturates
        amax = np.minimum(stats.amax(el).astype(np.float32), np.finfo(np.float32).max)
    if tensor_amax is None:
        tensor_amax = float(amax.max()) if amax.size else 0.0
    g = np.float32(tensor_amax / (448.0 * 6.0) if tensor_amax > 0 else 1.0)
    if g == 0:  # amax / 2688 underflows float32 (amax < 4e-42): the smallest g there is
        g = np.float32(np.finfo(np.float32).smallest_subnormal)
    # float32 arithmetic, as Model Optimizer: amax / (6 · g); a zero block's ratio becomes 1; the
    # ratio is clamped to E4M3's range [2**-9, 448] and cast (round to nearest even)
    ratio = amax / (np.float32(6.0) * g)
    ratio = np.clip(np.where(ratio == 0, np.float32(1.0), ratio), np.float32(2.0**-9), np.float32(448.0))
    block_scale, scale_codes = snap(e4m3, ratio)
    scale = (block_scale * g).astype(x2d.dtype)  # effective block scale, rounded to x's float dtype
    # a scale that underflows x's dtype (g near 2**-149): x / FLT_MAX rounds finite values to 0 and
    # leaves ±Inf ±Inf, which saturate to ±6 like anywhere else (x / 0 would give Inf/Inf = NaN)
    quant_scale = np.where(scale > 0, scale, np.finfo(x2d.dtype).max)
    applied = apply_scales(x2d, el, quant_scale.astype(x2d.dtype), dequant_scale=scale, **kw)
    extra = {"global_scale": float(g), "scale_codes": scale_codes.astype(np.uint8)}
    return BlockOutput(applied.codes, scale.astype(x2d.dtype), None, applied.dequantized,
                       applied.clipped, scheme.bits_per_element, extra)


def _nf4(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats, kw: dict[str, Any], double_quant: bool,
         dq_given: tuple[np.ndarray, dict[str, Any]] | None = None) -> BlockOutput:
    el = _element(scheme)
    with np.errstate(over="ignore"):  # a float64 x beyond float32: the absmax saturates (clipped)
        absmax32 = np.minimum(stats.amax(el).astype(np.float32), np.finfo(np.float32).max)
    absmax = absmax32.astype(np.float64)
    # bitsandbytes: x * (1 / max(absmax, 1e-38)), all in float32 (a zero block stays zeros)
    recip = np.float32(1.0) / np.maximum(absmax32, np.float32(NF4_MIN_ABSMAX))
    quant_scale = np.where(absmax > 0, absmax, 1.0)
    extra: dict[str, Any] = {"absmax": absmax}
    deq_scale = quant_scale
    if double_quant:
        recon, dq = dq_given if dq_given is not None else double_quantize_absmax(absmax)
        deq_scale = recon
        extra["double_quant"] = dq
    applied = apply_scales(x2d, el, quant_scale.astype(x2d.dtype), dequant_scale=deq_scale,
                           reciprocal=recip, **kw)
    return BlockOutput(applied.codes, deq_scale.astype(x2d.dtype), None, applied.dequantized,
                       applied.clipped, scheme.bits_per_element, extra)


def double_quantize_absmax(absmax: np.ndarray) -> tuple[np.ndarray, dict[str, Any]]:
    """8-bit storage of NF4 absmaxes, as bitsandbytes' ``compress_statistics``.

    offset = mean(absmax) in float32; c = absmax - offset; c is quantized to bitsandbytes'
    8-bit dynamic map in blocks of 256 (lib.dynamic8); absmax' = map[code] · block max|c| + offset.
    Returns the reconstructed absmaxes (float32 values as float64) and the stored parts:
    {"codes": uint8 map indices, "scales": float32 max|c| per 256, "mean": the offset}.

    Example: absmax [1.0, 3.0] -> offset 2, c = [-1, 1], max|c| = 1, codes [0, 255]
    (map -0.99296874 and 1.0) -> absmax' = [1.0070312, 3.0].
    """
    a32 = absmax.astype(np.float32)
    # bitsandbytes takes torch's float32 mean; this is the float64 mean rounded to float32: the
    # two differ in the last bit now and then (in 2 of the 3 cases of tests/data)
    mean = np.float32(a32.mean(dtype=np.float64)) if a32.size else np.float32(0)
    codes, scales = quantize_dynamic(a32 - mean, NF4_DQ_BLOCK)
    recon = dequantize_dynamic(codes, scales, NF4_DQ_BLOCK) + mean
    stored = {"codes": codes, "scales": scales, "mean": float(mean)}
    return recon.astype(np.float32).astype(np.float64), stored


def _roundf_away(n: np.ndarray) -> np.ndarray:
    """gguf's np_roundf: round half away from zero, in n's dtype."""
    a = np.abs(n)
    floored = np.floor(a)
    b = floored + np.floor(2 * (a - floored))
    return np.sign(n) * b


def _gguf_block_max(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats) -> np.ndarray:
    """Per block, in float32: max|x| (Q8_0) or the signed value of largest magnitude, the first
    one when +m and -m both occur (Q4_0, like gguf's argmax). NaN/Inf are ignored.

    Casting to float32 commutes with |.| and max (rounding is monotonic), so the row statistics
    give gguf's float32 numbers without another pass; only tied Q4_0 blocks need an argmax.
    """
    amax = stats.amax(_element(scheme) if scheme.name == "q8_0" else get_element("int8"))
    amax = amax.astype(np.float32)
    if scheme.name == "q8_0":
        return amax
    hi = reduce_rows(x2d, np.maximum).astype(np.float32)
    lo = reduce_rows(x2d, np.minimum).astype(np.float32)
    signed = np.where(hi == amax, amax, -amax)
    redo = np.flatnonzero(((hi == amax) & (lo == -amax) & (amax > 0)) | ~np.isfinite(hi) | ~np.isfinite(lo))
    if redo.size:
        part = x2d[redo].astype(np.float32)
        part = np.where(np.isfinite(part), part, np.float32(0))
        signed[redo] = np.take_along_axis(part, np.abs(part).argmax(axis=1)[:, None], axis=1)[:, 0]
    return signed


def _gguf(x2d: np.ndarray, scheme: BlockScheme, stats: RowStats, rows_bad: np.ndarray | None) -> BlockOutput:
    """Q8_0 / Q4_0 in float32 exactly as gguf.quants, row blocks of 32."""
    rows, cols = x2d.shape
    codes = np.empty((rows, cols), dtype=np.int8 if scheme.name == "q8_0" else np.uint8)
    deq = np.empty((rows, cols), dtype=np.float32)
    d16 = np.empty(rows, dtype=np.float32)
    clipped = 0
    peak = _gguf_block_max(x2d, scheme, stats)
    step = max(1, (1 << 16) // cols)
    for r0 in range(0, rows, step):
        r1 = min(rows, r0 + step)
        xb = x2d[r0:r1].astype(np.float32)
        bad = None
        if rows_bad is not None and rows_bad[r0:r1].any():
            bad = ~np.isfinite(xb)
        d = (peak[r0:r1, None] / np.float32(127 if scheme.name == "q8_0" else -8)).astype(np.float32)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):  # as gguf: 1/d may overflow
            inv = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
            v = xb * inv
        if bad is not None:  # NaN -> 0; ±Inf -> saturate (sign follows x / d)
            v = np.where(np.isnan(xb), np.float32(0), v)
            v = np.where(np.isinf(xb) & (inv == 0), np.float32(0), v)
        with np.errstate(over="ignore", invalid="ignore"):  # fp16 d overflows to inf, as in gguf
            d_store = d.astype(np.float16).astype(np.float32)
            if scheme.name == "q8_0":
                q = _roundf_away(np.clip(v, -127, 127))
                codes[r0:r1] = q.astype(np.int8)
                deq[r0:r1] = q.astype(np.int8).astype(np.float32) * d_store
            else:
                if bad is not None:
                    v = np.where(np.isnan(xb), np.float32(0), v)
                # x/d beyond 7.5 saturates at code 15: d = m/-8 puts the block's extreme value m at
                # -8, so values of the other sign past 7.5|d| are clipped (±Inf are not counted)
                over = v > np.float32(7.5)
                clipped += int(np.count_nonzero(over if bad is None else over & ~bad))
                q = np.clip(np.trunc(np.clip(v, -9, 9) + np.float32(8.5)), 0, 15).astype(np.uint8)
                codes[r0:r1] = q
                deq[r0:r1] = d_store * (q.astype(np.int8) - np.int8(8)).astype(np.float32)
        if bad is not None:
            deq[r0:r1][np.isnan(xb)] = np.nan
        d16[r0:r1] = d_store[:, 0]
    zp = np.full(rows, 8, dtype=np.int32) if scheme.name == "q4_0" else None
    return BlockOutput(codes, d16, zp, deq.astype(x2d.dtype, copy=False), clipped,
                       scheme.bits_per_element, {})
