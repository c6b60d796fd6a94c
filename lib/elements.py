"""Element formats as quantization sees them: a grid of values and the code of each grid point.

Wraps a ``lib.formats`` format with what the quantizer needs: the positive range it scales to
(``qmax``; ``qmin`` for integers), how many levels it has, and a chunk-wise ``snap`` that turns
already-scaled values into (grid values, codes).

=========  ========================  =====================================  ==================
kind       codes                     grid                                   range used
=========  ========================  =====================================  ==================
int        the integer itself        whole numbers                          [fmt.min, fmt.max]
           (int8 dtype for int8,     (e.g. int8 -> -128..127)
           uint8 for uint8 ...)
float      fmt.encode bit pattern    fmt.values(), via fmt.round            [-fmt.max, fmt.max]
table      index into the level      the 16 levels (nf4: -1 .. 1)           [-1, 1]
           table (fmt.encode)
=========  ========================  =====================================  ==================

Example (int8): ``snap(el, np.array([126.6, -130.0]))`` -> values [127, -128], codes [127, -128].
Table formats round to the nearest level with ties going to the lower level (bitsandbytes'
decision tree uses ``x > midpoint``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from lib.errors import QuantizeError


@dataclass(frozen=True)
class Element:
    """One element format: its name, kind and the range/levels quantization relies on."""

    name: str
    kind: str  # "int" | "float" | "table"
    bits: int
    qmin: float  # most negative grid value
    qmax: float  # largest grid value (the absmax scale divides by this)
    levels: int  # distinct finite values (+0 and -0 are one: FP4 E2M1 has 15, int4 16)
    fmt: Any  # the lib.formats object
    negative_zero: int | None = None  # the code of -0 (floats with one), the same level as code 0

    @functools.cached_property
    def clip_limit(self) -> float:
        """Scaled magnitude beyond which a value counts as clipped: max + half the last grid step.

        Values below it would round to the grid's edge anyway. int8: 127.5; float8_e4m3fn:
        448 + 16 = 464; nf4: 1 + (1 - 0.7229568)/2.
        """
        if self.kind == "int":
            return self.qmax + 0.5
        vals = self.fmt.values() if self.bits <= 20 else None
        if vals is None:
            return float(np.nextafter(self.qmax, np.inf))
        return float(vals[-1] + (vals[-1] - vals[-2]) / 2)

    @property
    def signed(self) -> bool:
        """True when the grid holds negative values."""
        return self.qmin < 0

    @property
    def code_dtype(self) -> np.dtype:
        """dtype of the codes quantize() returns for this element format."""
        if self.kind == "int":
            if self.bits <= 8:
                return np.dtype(np.int8 if self.signed else np.uint8)
            return np.dtype(np.int16 if self.bits <= 16 else np.int32) if self.signed else np.dtype(np.uint32)
        if self.bits <= 8:
            return np.dtype(np.uint8)
        return np.dtype(np.uint16 if self.bits <= 16 else np.uint32)


def format_names() -> list[str]:
    """Canonical names of every lib.formats format usable as elements."""
    from lib.formats import list_formats

    return [name for name in list_formats() if name != "float8_e8m0fnu"]


@functools.cache
def get_element(name: str) -> Element:
    """The Element for a lib.formats name or alias (``int8``, ``fp8_e4m3``, ``nf4`` ...).

    Raises:
        QuantizeError: unknown name (lists the options) or a scale-only format (E8M0).
    """
    from lib.formats import get_format

    try:
        fmt = get_format(name)
    except ValueError:
        raise QuantizeError("qlib.unknown_fmt", name=name, options=list(_all_options())) from None
    if fmt.kind == "float" and not (fmt.min < 0):
        raise QuantizeError("qlib.scale_format_kind", fmt=fmt.name)
    if fmt.kind == "int":
        return Element(fmt.name, "int", fmt.bits, float(fmt.min), float(fmt.max), 1 << fmt.bits, fmt)
    if fmt.kind == "table":
        vals = fmt.values()
        return Element(fmt.name, "table", fmt.bits, float(vals[0]), float(vals[-1]), int(vals.size), fmt)
    neg_zero = _negative_zero_code(fmt)
    levels = _finite_codes(fmt) - (neg_zero is not None)
    return Element(fmt.name, "float", fmt.bits, -float(fmt.max), float(fmt.max), levels, fmt, neg_zero)


def _finite_codes(fmt: Any) -> int:
    """Codes of a float format that decode to a finite value (+0 and -0 both count here).

    Up to 16 bits by decoding every code; float32 and tf32 (IEEE specials) as 2^bits minus the
    2·2^M codes of the all-ones exponent (±inf and NaN): float32 2^32 - 2^24."""
    if fmt.bits > 16:
        if fmt.specials != "ieee":
            raise ValueError(f"{fmt.name}: finite codes of a wide non-IEEE float are not counted")
        return (1 << fmt.bits) - (2 << fmt.mantissa_bits)
    return int(np.count_nonzero(np.isfinite(fmt.decode(np.arange(1 << fmt.bits)))))


def _negative_zero_code(fmt: Any) -> int | None:
    """The code of -0, or None when the format has none (fnuz: that code is NaN; unsigned).

    Example: float8_e4m3fn -> 0x80; float4_e2m1fn -> 0x8; float8_e4m3fnuz -> None."""
    code = 1 << (fmt.bits - 1)
    value = float(fmt.decode(code))
    return code if value == 0 and math.copysign(1.0, value) < 0 else None


def _all_options() -> list[str]:
    from lib.blocks import list_schemes

    return format_names() + list_schemes()


def snap(
    el: Element,
    v: np.ndarray,
    rounding: str = "nearest_even",
    overflow: str = "saturate",
    rng: np.random.Generator | None = None,
    codes_out: np.ndarray | None = None,
    clamp: bool = True,
    offset: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Round already-scaled values ``v`` onto the element grid.

    Args:
        el: the element format.
        v: float32/float64 array of scaled values (x / scale [+ zero point]); ints and tables may
            overwrite it.
        rounding, overflow, rng: as in lib.formats (ints always clamp to [qmin, qmax]).
        codes_out: optional array (el.code_dtype, v's shape) to write the codes into.
        clamp: False skips the integer clamp when the caller knows v rounds inside
            [qmin, qmax] already (lib.apply checks each row's range: saves one pass).
        offset: integer zero points (broadcast against v) added after rounding and before the
            clamp, for affine integer codes clip(round(x/s) + zp) (integer formats only).

    Returns:
        (grid values in v's dtype, codes in el.code_dtype), both shaped like v.
    """
    if el.kind == "int":
        q = _round_int(v, rounding, rng)
        if offset is not None:
            q += offset
        if clamp:
            np.clip(q, el.qmin, el.qmax, out=q)
        codes = _into(codes_out, q, el.code_dtype)
        return q, codes
    if el.kind == "table" and rounding == "nearest_even":
        levels, mids, identity = _table_typed(el, v.dtype)
        direct = identity and codes_out is not None and codes_out.dtype == np.uint8 and codes_out.shape == v.shape
        idx = _nearest_level_index(el, v, mids, out=codes_out if direct else None)
        if direct:
            codes = codes_out
        else:
            by_index = _table_sorted(el)[2]
            codes = _into(codes_out, idx if identity else by_index[idx], el.code_dtype)
        return np.take(levels, idx, mode="wrap"), codes  # idx < 16: "wrap" skips the bounds check
    values = np.asarray(el.fmt.round(v, overflow=overflow, rounding=rounding, rng=rng))
    if el.kind == "table":
        return values, _into(codes_out, np.asarray(el.fmt.encode(values)), el.code_dtype)
    return values, _into(codes_out, float_codes(el, values), el.code_dtype)


def _is_identity(perm: np.ndarray) -> bool:
    return bool(np.array_equal(perm, np.arange(perm.size)))


def _into(out: np.ndarray | None, src: np.ndarray, dtype: np.dtype) -> np.ndarray:
    """src cast to dtype, written into ``out`` when given (no extra temporary)."""
    if out is None:
        return src.astype(dtype, copy=False)
    np.copyto(out, src, casting="unsafe")
    return out


def float_codes(el: Element, values: np.ndarray) -> np.ndarray:
    """Codes of values already on a float format's grid, read off a float32 bit pattern.

    Multiplying by 2**(-126 - emin) moves the format's smallest normal exponent onto float32's
    (exact: a power of two, and grid values fit float32), so float32's own exponent field,
    subnormals included, *is* the format's: the code is (bits >> (23 - M)) with the sign bit
    moved down from bit 8 + M to bit E + M. fnuz formats have no -0 (that code is their NaN).
    Non-finite values (overflow="ieee") go through fmt.encode.

    Example (float4_e2m1fn, emin = 0): 3.0 · 2**-126 = 1.1b · 2**-125 -> bits 0x01400000;
    >> 22 = 0b101 -> code 5 (0 10 1). 0.5 · 2**-126 = 2**-127 (subnormal) -> code 1.
    """
    fmt = el.fmt
    e_bits, m = fmt.exponent_bits, fmt.mantissa_bits
    emin = 1 - fmt.bias
    if not (e_bits <= 8 and emin >= -126 and fmt.signed):
        return np.asarray(fmt.encode(values)).astype(el.code_dtype, copy=False)
    w = np.multiply(values, np.float32(2.0 ** (-126 - emin)), dtype=np.float32)
    u = w.view(np.uint32)
    np.right_shift(u, np.uint32(23 - m), out=u)
    sign_bit = np.uint32(1 << (e_bits + m))
    codes = u & np.uint32(int(sign_bit) - 1)
    np.right_shift(u, np.uint32(8 - e_bits), out=u)
    np.bitwise_and(u, sign_bit, out=u)
    codes |= u
    if fmt.specials == "fnuz":
        codes[codes == sign_bit] = 0
    finite = np.isfinite(values)
    if not finite.all():
        bad = ~finite
        codes[bad] = np.asarray(fmt.encode(values[bad])).astype(np.uint32)
    return codes.astype(el.code_dtype, copy=False)


def _round_int(v: np.ndarray, rounding: str, rng: np.random.Generator | None) -> np.ndarray:
    """Whole numbers from v, in place where possible (same four modes as lib.formats)."""
    if rounding == "nearest_even":
        return np.rint(v, out=v)
    if rounding == "toward_zero":
        return np.trunc(v, out=v)
    if rounding == "nearest_away":  # ±Inf: Inf - Inf is NaN, the compare False, the result ±Inf
        mag = np.abs(v)
        low = np.floor(mag)
        with np.errstate(invalid="ignore"):
            return np.copysign(low + (mag - low >= 0.5), v).astype(v.dtype, copy=False)
    if rounding == "stochastic":
        gen = rng if rng is not None else np.random.default_rng(0)
        low = np.floor(v)
        with np.errstate(invalid="ignore"):
            return (low + (gen.random(v.shape) < (v - low))).astype(v.dtype, copy=False)
    raise QuantizeError("qlib.unknown_rounding", name=rounding,
                        options="nearest_even, nearest_away, toward_zero, stochastic")


@functools.cache
def _table_sorted(el: Element) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted levels, midpoints between them, code of each sorted level)."""
    levels = np.asarray(el.fmt.values(), dtype=np.float64)
    mids = (levels[:-1] + levels[1:]) / 2.0
    codes = np.asarray(el.fmt.encode(levels)).astype(np.uint8)
    return levels, mids, codes


@functools.cache
def _table_typed(el: Element, dtype: np.dtype) -> tuple[np.ndarray, np.ndarray, bool]:
    """(sorted levels, midpoints) in ``dtype`` and whether sorted index == code (nf4: yes)."""
    levels, mids, by_index = _table_sorted(el)
    return levels.astype(dtype), mids.astype(dtype), _is_identity(by_index)


def _nearest_level_index(el: Element, v: np.ndarray, mids: np.ndarray | None = None,
                         out: np.ndarray | None = None) -> np.ndarray:
    """Index (in sorted order) of the nearest level: the number of midpoints strictly below v.

    Ties go to the lower level; NaN counts as below every midpoint (callers replace NaN first).
    15 SIMD compare+add passes: several times faster than searchsorted or a gather.
    ``mids``: the midpoints in v's dtype (default: from the table); ``out``: uint8 array of v's
    shape to count into.
    """
    if mids is None:
        mids = _table_sorted(el)[1].astype(v.dtype)
    idx = np.empty(v.shape, dtype=np.uint8) if out is None else out
    above = np.empty(v.shape, dtype=bool)
    np.greater(v, mids[0], out=idx.view(bool))
    for m in mids[1:]:
        np.greater(v, m, out=above)
        np.add(idx, above.view(np.uint8), out=idx)
    return idx
