"""Behaviour every format shares, written once on top of four per-kind primitives.

A format class (FloatFormat, IntFormat, TableFormat) is a frozen dataclass that supplies

* ``bits``, ``name``, ``kind``, ``max``, ``min``
* ``_encode_chunk(x64, overflow, rounding, rng) -> int64 codes`` for one float64 chunk
* ``_decode_chunk(codes_int64) -> float64 values``
* ``explain_code(code, x=nan) -> Explanation``

and this mixin turns them into the public, chunked, dtype-preserving methods.
"""

from __future__ import annotations

import functools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from lib.errors import FormatError, ParseError
from lib.formats import fast, spec
from lib.formats.exact import encode_exact
from lib.formats.explain import Explanation

TABLE_BITS = 16
"""Formats up to this width decode through a cached table of all their codes (64K entries max)."""

MAX_LISTED_BITS = 20
"""values() lists every code up to this width (tf32's 2**19 codes: yes, float32: no)."""


class FormatBase:
    """Mixin: encode / decode / round / values / explain / neighbors for any format."""

    name: str
    bits: int
    kind: str
    max: float
    min: float

    @property
    def storage_bits(self) -> int:
        """Bits one value takes in memory: its width, unless it lives in a wider word (tf32: 32)."""
        return self.bits

    # --- per-kind primitives (overridden) -------------------------------------------------
    def _encode_chunk(
        self, x: np.ndarray, overflow: str, rounding: str, rng: np.random.Generator | None
    ) -> np.ndarray:
        raise NotImplementedError

    def _decode_chunk(self, codes: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def explain_code(self, code: int, x: float = math.nan) -> Explanation:
        raise NotImplementedError

    # --- public API -----------------------------------------------------------------------
    def encode(
        self,
        x: Any,
        overflow: spec.Overflow = "saturate",
        rounding: spec.Rounding = "nearest_even",
        rng: np.random.Generator | None = None,
    ) -> Any:
        """Real numbers -> unsigned codes (uint8 / uint16 / uint32 by width), same shape as ``x``.

        Args:
            x: number or array of real numbers.
            overflow: "saturate" (±max) or "ieee" (ml_dtypes' cast); see the format's docstring.
            rounding: "nearest_even" | "nearest_away" | "toward_zero" | "stochastic".
            rng: generator for stochastic rounding (default: seeded with 0).

        Returns:
            Codes; a numpy scalar for scalar input.

        Example:
            >>> from lib.formats import get_format
            >>> get_format("float8_e4m3fn").encode(0.1)
            np.uint8(29)
        """
        gen = spec.check_modes(overflow, rounding, rng)
        arr = spec.as_real_array(x)
        out = np.empty(arr.shape, spec.code_dtype(self.bits))
        flat_in, flat_out = np.ascontiguousarray(arr).reshape(-1), out.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):  # overflow is handled, not an accident
            if not fast.encode_into(self, flat_in, flat_out, overflow, rounding):
                for sl in spec.chunks(flat_in.size):
                    chunk = flat_in[sl].astype(np.float64)
                    flat_out[sl] = self._encode_chunk(chunk, overflow, rounding, gen)
        return spec.scalar_or_array(out)

    def decode(self, codes: Any) -> Any:
        """Codes -> float64 values (NaN where the code is a NaN), same shape.

        Raises:
            TypeError: non-integer codes.
            FormatError: a code outside [0, 2**bits).
        """
        arr = spec.as_code_array(codes, self.bits, self.name)
        out = np.empty(arr.shape, np.float64)
        flat_in, flat_out = arr.reshape(-1), out.reshape(-1)
        for sl in spec.chunks(flat_in.size, spec.CHUNK * 4):
            flat_out[sl] = self._decode_many(flat_in[sl].astype(np.int64))
        return spec.scalar_or_array(out)

    def round(
        self,
        x: Any,
        overflow: spec.Overflow = "saturate",
        rounding: spec.Rounding = "nearest_even",
        rng: np.random.Generator | None = None,
        out: np.ndarray | None = None,
    ) -> Any:
        """The representable value each element is stored as, in ``x``'s float dtype.

        Equals ``decode(encode(x, ...))`` cast to float16/float32/float64 as ``x`` was (other input
        dtypes give float64).  Works in chunks, so extra memory stays small; float32 and float64
        input take a bit-level fast path where one exists (lib.formats.fast), with identical results.
        ``out``: optional C-contiguous array of x's shape and the result dtype, not overlapping
        ``x``, to write into (saves allocating a large result in a loop); it is returned.

        Example:
            >>> from lib.formats import get_format
            >>> get_format("float4_e2m1fn").round([2.5, 2.6, 7.0]).tolist()
            [2.0, 3.0, 6.0]
        """
        return self._round(x, None, overflow, rounding, rng, out)

    def round_scaled(
        self,
        x: Any,
        scale: float,
        overflow: spec.Overflow = "saturate",
        rounding: spec.Rounding = "nearest_even",
        rng: np.random.Generator | None = None,
        out: np.ndarray | None = None,
    ) -> Any:
        """Fake-quantize with one per-tensor scale: ``round(x / scale) * scale``, in ``x``'s dtype.

        Division and multiplication happen in the result dtype (float32 for float32 input), so the
        fast path and the exact path agree bit for bit.  ``out`` as for :meth:`round`.

        Example:
            >>> from lib.formats import get_format
            >>> get_format("int8").round_scaled([0.3, -2.1], 2.1 / 127).tolist()
            [0.2976..., -2.1]

        Raises:
            FormatError: scale is not a positive finite number.
        """
        s = float(np.asarray(scale, np.float64))
        if not (math.isfinite(s) and s > 0):
            raise FormatError("formats.bad_scale", scale=scale)
        return self._round(x, s, overflow, rounding, rng, out)

    def _round(
        self,
        x: Any,
        scale: float | None,
        overflow: str,
        rounding: str,
        rng: np.random.Generator | None,
        out: np.ndarray | None = None,
    ) -> Any:
        gen = spec.check_modes(overflow, rounding, rng)
        arr = spec.as_real_array(x)
        out_dtype = spec.result_float_dtype(arr)
        if out is None:
            out = np.empty(arr.shape, out_dtype)
        elif out.shape != arr.shape or out.dtype != out_dtype or not out.flags.c_contiguous:
            raise ValueError(f"out must be a C-contiguous {out_dtype} array of shape {arr.shape}")
        elif np.may_share_memory(out, arr):
            raise ValueError("out must not overlap the input")
        flat_in, flat_out = np.ascontiguousarray(arr).reshape(-1), out.reshape(-1)
        with np.errstate(over="ignore", invalid="ignore"):  # x / scale may overflow: it saturates
            if not fast.round_into(self, flat_in, flat_out, overflow, rounding, scale):
                self._round_exact(flat_in, flat_out, scale, overflow, rounding, gen)
        return spec.scalar_or_array(out)

    def _round_exact(
        self,
        flat_in: np.ndarray,
        flat_out: np.ndarray,
        scale: float | None,
        overflow: str,
        rounding: str,
        gen: np.random.Generator | None,
    ) -> None:
        """The generic path: encode then decode, chunk by chunk, in float64."""
        s = None if scale is None else flat_out.dtype.type(scale)
        for sl in spec.chunks(flat_in.size):
            piece = flat_in[sl].astype(flat_out.dtype)
            if s is not None:
                piece = piece / s
            codes = self._encode_chunk(piece.astype(np.float64), overflow, rounding, gen)
            values = self._decode_many(codes).astype(flat_out.dtype)
            flat_out[sl] = values if s is None else values * s

    def _decode_many(self, codes: np.ndarray) -> np.ndarray:
        """Decode checked int64 codes: a table lookup up to 16 bits, else field arithmetic."""
        if self.bits <= TABLE_BITS:
            return _decode_table(self)[codes]
        return self._decode_chunk(codes)

    def values(self) -> np.ndarray:
        """Sorted unique finite representable values as float64 (-0 folded into 0).

        Raises:
            FormatError: for formats wider than 20 bits (float32 has 4 billion codes).
        """
        if self.bits > MAX_LISTED_BITS:
            raise FormatError("formats.too_many_values", name=self.name, count=f"{2**self.bits:,}")
        return _values(self).copy()

    def explain(
        self,
        x: float,
        overflow: spec.Overflow = "saturate",
        rounding: spec.Rounding = "nearest_even",
        rng: np.random.Generator | None = None,
        exact: Fraction | None = None,
    ) -> Explanation:
        """Encode one real number and take its code apart (see :class:`Explanation`).

        ``exact``: the rational number ``x`` stands for (a typed decimal), whose code can differ
        from its float64's where that lands on a rounding boundary (lib.formats.exact):
        ``explain(1.0625, exact=Fraction("1.0625000000000001"))`` in float8_e4m3fn stores 1.125.
        """
        arr = spec.as_real_array(x)
        if arr.size != 1:
            raise TypeError("explain() takes one number")
        value = float(arr.reshape(-1)[0])
        if exact is not None and rounding != "stochastic":
            code = encode_exact(self, value, exact, overflow, rounding)
        else:
            code = int(self.encode(np.float64(value), overflow, rounding, rng))
        return self.explain_code(code, value)

    def neighbors(self, x: float) -> tuple[float, float]:
        """The nearest finite representable values strictly below and strictly above ``x``.

        NaN stands for "none": above max gives (max, nan), NaN gives (nan, nan).

        Example:
            >>> from lib.formats import get_format
            >>> get_format("float4_e2m1fn").neighbors(2.5)
            (2.0, 3.0)
        """
        arr = spec.as_real_array(x)
        if arr.size != 1:
            raise TypeError("neighbors() takes one number")
        v = float(arr.reshape(-1)[0])
        if math.isnan(v):
            return math.nan, math.nan
        return self._neighbors(v)

    def _neighbors(self, v: float) -> tuple[float, float]:
        grid = _values(self)
        i_below = int(np.searchsorted(grid, v, side="left")) - 1
        i_above = int(np.searchsorted(grid, v, side="right"))
        below = float(grid[i_below]) if i_below >= 0 else math.nan
        above = float(grid[i_above]) if i_above < grid.size else math.nan
        return below, above

    def code_from_bits(self, text: str) -> int:
        """The code whose bit pattern is ``text`` (e.g. "0 0111 000"; spaces/underscores ignored).

        Raises:
            ParseError: not exactly ``bits`` binary digits.
        """
        digits = text.replace(" ", "").replace("_", "")
        if len(digits) != self.bits or any(c not in "01" for c in digits):
            raise ParseError("formats.bad_bits", text=text, bits=self.bits, name=self.name)
        return int(digits, 2)

    def bit_string(self, code: int) -> str:
        """``code`` as a ``bits``-wide binary string, most significant bit first."""
        return format(int(code), f"0{self.bits}b")


@functools.cache
def _decode_table(fmt: FormatBase) -> np.ndarray:
    """The value of every code (read-only), so decoding is one lookup."""
    table = fmt._decode_chunk(np.arange(1 << fmt.bits, dtype=np.int64))
    table.setflags(write=False)
    return table


@functools.cache
def _values(fmt: FormatBase) -> np.ndarray:
    codes = np.arange(1 << fmt.bits, dtype=np.int64)
    vals = fmt._decode_chunk(codes)
    vals = vals[np.isfinite(vals)] + 0.0
    out = np.unique(vals)
    out.setflags(write=False)
    return out
