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
    levels: int  # codes holding a finite value (floats count +0 and -0 separately)
    fmt: Any  # the lib.formats object

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
        raise QuantizeError("qlib.unknown_fmt", name=name, options=", ".join(_all_options())) from None
    if fmt.kind == "float" and not (fmt.min < 0):
        raise QuantizeError("qlib.scale_format_kind", fmt=fmt.name)
    if fmt.kind == "int":
        return Element(fmt.name, "int", fmt.bits, float(fmt.min), float(fmt.max), 1 << fmt.bits, fmt)
    if fmt.kind == "table":
        vals = fmt.values()
        return Element(fmt.name, "table", fmt.bits, float(vals[0]), float(vals[-1]), int(vals.size), fmt)
    return Element(fmt.name, "float", fmt.bits, -float(fmt.max), float(fmt.max), _finite_codes(fmt), fmt)


def _finite_codes(fmt: Any) -> int:
    """Codes of a float format that decode to a finite value (+0 and -0 both count)."""
    if fmt.bits > 16:
        return 1 << fmt.bits
    return int(np.count_nonzero(np.isfinite(fmt.decode(np.arange(1 << fmt.bits)))))


def _all_options() -> list[str]:
    from lib.blocks import list_schemes

    return format_names() + list_schemes()


def snap(
    el: Element,
    v: np.ndarray,
    rounding: str = "nearest_even",
    overflow: str = "saturate",
    rng: np.random.Generator | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Round already-scaled finite values ``v`` onto the element grid.

    Args:
        el: the element format.
        v: float32/float64 array of scaled values (x / scale [+ zero point]); overwritten for ints.
        rounding, overflow, rng: as in lib.formats (ints always clamp to [qmin, qmax]).

    Returns:
        (grid values in v's dtype, codes in el.code_dtype), both shaped like v.
    """
    if el.kind == "int":
        q = _round_int(v, rounding, rng)
        np.clip(q, el.qmin, el.qmax, out=q)
        return q, q.astype(el.code_dtype)
    if el.kind == "table" and rounding == "nearest_even":
        codes = _nearest_level_codes(el, v)
        return _table_values(el)[codes].astype(v.dtype, copy=False), codes
    values = el.fmt.round(v, overflow=overflow, rounding=rounding, rng=rng)
    codes = el.fmt.encode(values, overflow=overflow)
    return np.asarray(values), np.asarray(codes).astype(el.code_dtype, copy=False)


def _round_int(v: np.ndarray, rounding: str, rng: np.random.Generator | None) -> np.ndarray:
    """Whole numbers from v, in place where possible (same four modes as lib.formats)."""
    if rounding == "nearest_even":
        return np.rint(v, out=v)
    if rounding == "toward_zero":
        return np.trunc(v, out=v)
    if rounding == "nearest_away":
        mag = np.abs(v)
        low = np.floor(mag)
        return np.copysign(low + (mag - low >= 0.5), v).astype(v.dtype, copy=False)
    if rounding == "stochastic":
        gen = rng if rng is not None else np.random.default_rng(0)
        low = np.floor(v)
        return low + (gen.random(v.shape) < (v - low))
    raise QuantizeError("qlib.unknown_option", option="rounding", name=rounding,
                        options="nearest_even, nearest_away, toward_zero, stochastic")


@functools.cache
def _table_sorted(el: Element) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sorted levels, midpoints between them, code of each sorted level)."""
    levels = np.asarray(el.fmt.values(), dtype=np.float64)
    mids = (levels[:-1] + levels[1:]) / 2.0
    codes = np.asarray(el.fmt.encode(levels)).astype(np.uint8)
    return levels, mids, codes


@functools.cache
def _table_values(el: Element) -> np.ndarray:
    """Level value of each code (index = code)."""
    levels, _, codes = _table_sorted(el)
    by_code = np.zeros(1 << el.bits, dtype=np.float64)
    by_code[codes] = levels
    return by_code


def _nearest_level_codes(el: Element, v: np.ndarray) -> np.ndarray:
    """Code of the nearest level: count the midpoints strictly below v (ties go to the lower level)."""
    _, mids, codes = _table_sorted(el)
    idx = np.zeros(v.shape, dtype=np.uint8)
    for m in mids.astype(v.dtype):
        idx += v > m
    return codes[idx]
