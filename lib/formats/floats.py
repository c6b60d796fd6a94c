"""Binary floating-point formats described by a handful of numbers (gfloat style).

A code is ``sign | exponent field e | mantissa field m`` (1 + E + M bits) and means

    normal     (e >= 1):  (-1)^s × 2^(e - bias) × (1 + m / 2^M)
    subnormal  (e == 0):  (-1)^s × 2^(1 - bias) × (0 + m / 2^M)

Example, float8_e4m3fn (E=4, M=3, bias 7):  0 0011 101 -> 2^(3-7) × (1 + 5/8) = 0.1015625.

What the top of the range holds depends on ``specials``:

======  =====================================================  ============================
rule    reserved codes                                          examples
======  =====================================================  ============================
ieee    exponent all ones: m == 0 is ±Inf, m != 0 is NaN        float16, float8_e5m2
fn      only S.1111.111 (all ones) is NaN; no Inf               float8_e4m3fn
fnuz    only 1000...0 (the "-0" code) is NaN; no Inf, no -0     float8_e4m3fnuz
none    nothing: every code is a finite number                  float6_e3m2fn, float4_e2m1fn
======  =====================================================  ============================

``signed=False`` describes an unsigned exponent-only scale (OCP E8M0): value = 2^(code - bias),
no sign, no mantissa, no zero, no subnormals, the all-ones code is NaN.

Overflow ("ieee" = ml_dtypes' cast, applied after rounding to nearest):

* ieee formats: beyond max -> ±Inf;  fn: -> NaN (sign kept);  fnuz: -> the NaN 0x80;
  none: -> ±max (clamp);  E8M0: -> NaN 0xFF.
* "saturate" (the default, as quantization kernels do): beyond max and ±Inf -> ±max, except that
  fnuz formats send ±Inf to their NaN 0x80, as AMD's saturating casts do (only finite values clamp).
* with rounding="toward_zero", a finite x beyond max gives ±max in both modes (IEEE 754 7.4).

NaN input: NaN code of the format (sign kept for ieee/fn). A format without NaN ("none")
encodes NaN as +0 with "saturate"; with "ieee" it copies ml_dtypes, which gives a zero of the
*opposite* sign (+NaN -> -0). E8M0 encodes x <= 0 as 0xFF (NaN) with "ieee" (ml_dtypes) and as
code 0 (its smallest value, 2^-127) with "saturate"; ±Inf -> NaN / 2^127.

Rounding in E8M0 ("nearest_even") sends ties up (1.5 -> 2, 3 -> 4), like ml_dtypes: 2^k and 2^(k+1)
have significands 1 and 2 on the lower binade's grid, and 2 is the even one.  With "ieee" we also
copy ml_dtypes for x in (2^-127, 2^-126) when rounding to nearest: it rounds those up to 2^-126.

The "ieee" cast with rounding "nearest_even" rounds float64 input to float32 first, as ml_dtypes'
astype does, then to the format (see ``casts_via_float32``): two roundings.  So 1 + 2^-4 + 2^-30
(above the E4M3 tie 1 + 2^-4, but within float32's half step of it) is the tie in float32 and
becomes 1 in float8_e4m3fn; 1e-300 becomes 0 in float32, so -0/+0 in signed formats and NaN in
E8M0 (no zero); 2^-150 is a tie in float32 and goes to the even 0 too.  Every other mode rounds
float64 once, directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.formats import spec
from lib.formats.base import FormatBase
from lib.formats.explain import Explanation, errors, float_formula
from lib.formats.rounding import round_integer


@dataclass(frozen=True)
class FloatFormat(FormatBase):
    """A binary float format.

    Attributes:
        name: canonical name, e.g. "float8_e4m3fn".
        exponent_bits: E, width of the exponent field (>= 1).
        mantissa_bits: M, stored fraction bits (the leading 1 of normals is implicit).
        bias: exponent bias; a normal code with field e means 2^(e - bias).
        specials: "ieee" | "fn" | "fnuz" | "none" (see the module docstring).
        signed: False only for the unsigned exponent-only scale format E8M0.
        container_bits: the memory word a value lives in when that is wider than the format
            (0: none). TF32 is a Tensor Core math mode: its 19 bits sit in 32-bit float32 words,
            so it saves no memory (bits 19, storage_bits 32).
    """

    name: str
    exponent_bits: int
    mantissa_bits: int
    bias: int
    specials: spec.Specials = "ieee"
    signed: bool = True
    container_bits: int = 0

    def __post_init__(self) -> None:
        if not self.signed and (self.mantissa_bits != 0 or self.specials != "fn"):
            raise ValueError("an unsigned float format must be exponent-only (M=0) with specials 'fn'")

    # --- shape ----------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        return "float"

    @property
    def bits(self) -> int:
        """Total width: sign + E + M."""
        return int(self.signed) + self.exponent_bits + self.mantissa_bits

    @property
    def storage_bits(self) -> int:
        return max(self.bits, self.container_bits)

    @property
    def has_inf(self) -> bool:
        return self.specials == "ieee"

    @property
    def has_nan(self) -> bool:
        return self.specials != "none"

    @property
    def has_negative_zero(self) -> bool:
        return self.signed and self.specials != "fnuz"

    @property
    def _sign_bit(self) -> int:
        return 1 << (self.bits - 1) if self.signed else 0

    @property
    def _field_ones(self) -> int:
        return (1 << self.exponent_bits) - 1

    @property
    def max_exponent_field(self) -> int:
        """Largest exponent field holding finite numbers."""
        if self.specials == "ieee" or (self.specials == "fn" and self.mantissa_bits == 0):
            return self._field_ones - 1
        return self._field_ones

    @property
    def max_mantissa_field(self) -> int:
        """Largest mantissa field of the top finite binade ("fn": all ones is the NaN)."""
        ones = (1 << self.mantissa_bits) - 1
        if self.specials == "fn" and self.mantissa_bits and self.max_exponent_field == self._field_ones:
            return ones - 1
        return ones

    @property
    def casts_via_float32(self) -> bool:
        """Whether the "ieee" cast (rounding "nearest_even") rounds float64 input to float32 first.

        True where that is what the reference does: ml_dtypes' astype takes every format it has
        through float32.  False for float16 and float32 (numpy rounds float64 to them once) and for
        a custom format reaching beyond float32's range (2^-149 to 2^128), where float32 would lose
        values the format holds.
        """
        native = (self.exponent_bits, self.mantissa_bits, self.bias) in ((5, 10, 15), (8, 23, 127))
        if (native and self.specials == "ieee") or self.mantissa_bits >= 23:
            return False
        return self.emax <= 127 and self.minexp - self.mantissa_bits >= -149

    # --- numpy.finfo-style numbers --------------------------------------------------------
    @property
    def minexp(self) -> int:
        """Unbiased exponent of the smallest normal number (1 - bias; E8M0: -bias)."""
        return 1 - self.bias if self.signed else -self.bias

    @property
    def emax(self) -> int:
        """Unbiased exponent of the largest finite value (8 for float8_e4m3fn: 448 = 1.75 × 2^8)."""
        return self.max_exponent_field - self.bias

    @property
    def maxexp(self) -> int:
        """numpy.finfo's maxexp: the smallest power of two that overflows (emax + 1)."""
        return self.emax + 1

    @property
    def max(self) -> float:
        """Largest finite value, e.g. 448 for float8_e4m3fn (S.1111.110)."""
        frac = 1.0 + self.max_mantissa_field / (1 << self.mantissa_bits)
        return math.ldexp(frac, self.emax)

    @property
    def min(self) -> float:
        """Most negative finite value (-max); for unsigned E8M0 its smallest value 2^-127."""
        return -self.max if self.signed else self.smallest_normal

    @property
    def smallest_normal(self) -> float:
        """2^(1 - bias), e.g. 2^-6 for float8_e4m3fn."""
        return math.ldexp(1.0, self.minexp)

    @property
    def tiny(self) -> float:
        return self.smallest_normal

    @property
    def smallest_subnormal(self) -> float:
        """2^(1 - bias - M), e.g. 2^-9 for float8_e4m3fn (E8M0: 2^-127, it has no subnormals)."""
        return math.ldexp(1.0, self.minexp - self.mantissa_bits)

    @property
    def eps(self) -> float:
        """Gap between 1 and the next larger value (numpy's finfo.eps).

        2^-M when 1 is a normal number (every registered format); 2^(minexp - M), the subnormal
        step, when 1 lies below the normal range: E1 formats have bias 0, so E1M2 holds 0, 0.5, 1,
        1.5, 2, ... and its eps is 0.5, not 2^-2. NaN when 1 or the value after it is not in the
        format (E1M0 holds only 0 and 2; a bias can put max below 2).
        """
        step = math.ldexp(1.0, max(0, self.minexp) - self.mantissa_bits)  # spacing of the values at 1
        return step if step <= 1 and 1 + step <= self.max else math.nan

    @property
    def nan_code(self) -> int | None:
        """The code encode() gives +NaN (ieee: quiet NaN, exponent ones + top mantissa bit)."""
        if self.specials == "ieee":
            return self._field_ones << self.mantissa_bits | 1 << (self.mantissa_bits - 1)
        if self.specials == "fn":
            return (1 << self.bits) - 1 - self._sign_bit
        if self.specials == "fnuz":
            return self._sign_bit
        return None

    @property
    def nan_count(self) -> int:
        """How many codes decode to NaN: "ieee" 2 × (2^M - 1) (exponent all ones, mantissa not
        zero, either sign; float32: 16,777,214); "fn" the all-ones code of each sign (2; E8M0: 1);
        "fnuz" 1 (the code of -0); "none" 0."""
        if self.specials == "ieee":
            return 2 * ((1 << self.mantissa_bits) - 1)
        if self.specials == "fn":
            return 2 if self.signed else 1
        return 1 if self.specials == "fnuz" else 0

    @property
    def inf_code(self) -> int | None:
        """Code of +Inf, or None."""
        return self._field_ones << self.mantissa_bits if self.has_inf else None

    @property
    def max_code(self) -> int:
        """Code of +max."""
        return self.max_exponent_field << self.mantissa_bits | self.max_mantissa_field

    # --- conversion primitives ------------------------------------------------------------
    def _round_magnitude(self, a: np.ndarray, rounding: str, rng: np.random.Generator | None) -> np.ndarray:
        """Round magnitudes ``a`` (finite, >= 0) onto the grid, ignoring the top of the range."""
        _, ex = np.frexp(a)
        e = np.maximum(ex - 1, self.minexp)
        shift = e - self.mantissa_bits
        return np.ldexp(round_integer(np.ldexp(a, -shift), rounding, rng), shift)

    def _magnitude_code(self, v: np.ndarray) -> np.ndarray:
        """Codes (without sign) of on-grid magnitudes 0 <= v <= max."""
        _, ex = np.frexp(v)
        e = np.maximum(ex - 1, self.minexp)
        normal = v >= self.smallest_normal
        m = np.ldexp(v, self.mantissa_bits - e) - np.where(normal, float(1 << self.mantissa_bits), 0.0)
        field = np.where(normal, e + self.bias, 0)
        return (field.astype(np.int64) << self.mantissa_bits) | m.astype(np.int64)

    def _encode_chunk(
        self, x: np.ndarray, overflow: str, rounding: str, rng: np.random.Generator | None
    ) -> np.ndarray:
        if overflow == "ieee" and rounding == "nearest_even" and self.casts_via_float32:
            x = x.astype(np.float32).astype(np.float64)  # ml_dtypes' first rounding
        if not self.signed:
            return self._encode_unsigned(x, overflow, rounding, rng)
        nan, neg = np.isnan(x), np.signbit(x)
        a = np.abs(x)
        inf = np.isinf(a)
        mag = self._round_magnitude(np.where(nan | inf, 0.0, a), rounding, rng)
        over = (mag > self.max) | inf
        codes = self._magnitude_code(np.minimum(mag, self.max))
        codes[over] = self.max_code
        sign = np.where(neg, self._sign_bit, 0)
        if self.specials == "fnuz":
            sign[codes == 0] = 0
        codes |= sign
        if overflow == "ieee" and self.specials != "none":
            if rounding == "toward_zero":  # IEEE 754 7.4: truncation never overflows a finite x
                over = inf
            special = self.inf_code if self.has_inf else self.nan_code
            codes[over] = special | (0 if self.specials == "fnuz" else sign[over])
        if self.specials == "fnuz":  # Inf is NaN in both modes (saturation clamps finite values only)
            codes[inf] = self.nan_code
        if self.has_nan:
            codes[nan] = self.nan_code | (0 if self.specials == "fnuz" else sign[nan])
        elif overflow == "ieee":
            codes[nan] = np.where(neg[nan], 0, self._sign_bit)
        else:
            codes[nan] = 0
        return codes

    def _encode_unsigned(
        self, x: np.ndarray, overflow: str, rounding: str, rng: np.random.Generator | None
    ) -> np.ndarray:
        """E8M0: code = k + bias for 2^k; see the module docstring for x <= 0, Inf and NaN."""
        pos = x > 0
        finite_pos = pos & np.isfinite(x)
        a = np.where(finite_pos, x, 1.0)
        _, ex = np.frexp(a)
        e = np.maximum(ex - 1, -self.bias)
        n = np.maximum(round_integer(np.ldexp(a, -e), rounding, rng), 1.0)
        if overflow == "ieee" and rounding == "nearest_even":  # ml_dtypes' cast, quirk included
            quirk = (a > self.smallest_normal) & (a < 2 * self.smallest_normal)
            n = np.where(quirk, 2.0, n)
        codes = (e + self.bias).astype(np.int64) + (n > 1)
        nan_code = self.nan_code
        truncating = overflow == "ieee" and rounding != "toward_zero"
        codes[codes > self.max_code] = nan_code if truncating else self.max_code
        if overflow == "ieee":
            codes[~finite_pos] = nan_code
        else:
            codes[~pos] = 0
            codes[np.isposinf(x)] = self.max_code
            codes[np.isnan(x)] = nan_code
        return codes

    def _decode_chunk(self, codes: np.ndarray) -> np.ndarray:
        M = self.mantissa_bits
        field = (codes >> M) & self._field_ones
        m = codes & ((1 << M) - 1)
        if not self.signed:
            out = np.ldexp(1.0, field - self.bias)
            out[codes == self.nan_code] = np.nan
            return out
        normal = field > 0
        sig = np.where(normal, m + (1 << M), m).astype(np.float64)
        with np.errstate(over="ignore"):  # Inf/NaN codes overflow here; they are set just below
            out = np.ldexp(sig, np.maximum(field, 1) - self.bias - M)
        neg = (codes & self._sign_bit) != 0
        out = np.where(neg, -out, out)
        if self.specials == "ieee":
            top = field == self._field_ones
            out[top & (m == 0)] = np.where(neg[top & (m == 0)], -np.inf, np.inf)
            nan = top & (m != 0)
        elif self.specials == "fn":
            nan = (codes & ~self._sign_bit) == self.nan_code
        elif self.specials == "fnuz":
            nan = codes == self.nan_code
        else:
            return out
        out[nan] = np.where(neg[nan], -np.nan, np.nan)  # NaN keeps its sign bit, as ml_dtypes does
        return out

    # --- explain / neighbors --------------------------------------------------------------
    def classify(self, code: int) -> str:
        """"normal" | "subnormal" | "zero" | "inf" | "nan" for one code."""
        value = float(self._decode_chunk(np.array([code], np.int64))[0])
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf"
        if not self.signed:
            return "normal"
        field = (code >> self.mantissa_bits) & self._field_ones
        if field:
            return "normal"
        return "subnormal" if code & ((1 << self.mantissa_bits) - 1) else "zero"

    def explain_code(self, code: int, x: float = math.nan) -> Explanation:
        """Take ``code`` apart; ``x`` is the real number it stands for (for the error columns)."""
        code = int(spec.as_code_array(code, self.bits, self.name))
        M, E = self.mantissa_bits, self.exponent_bits
        bits = self.bit_string(code)
        sign_bit = bits[0] if self.signed else ""
        exp_text, man_text = bits[int(self.signed) : int(self.signed) + E], bits[int(self.signed) + E :]
        value = float(self._decode_chunk(np.array([code], np.int64))[0])
        cls = self.classify(code)
        field, m = int(exp_text, 2), int(man_text, 2) if M else 0
        sign = int(sign_bit) if sign_bit else 0
        exponent = None
        if cls == "normal":
            exponent = field - self.bias
        elif cls == "subnormal":
            exponent = self.minexp
        abs_err, rel_err = errors(float(x), value)
        formula = float_formula(sign if self.signed else None, field, self.bias, m, M, cls, value)
        return Explanation(
            format_name=self.name,
            x=float(x),
            code=code,
            bits=bits,
            sign_bit=sign_bit,
            exponent_bits=exp_text,
            mantissa_bits=man_text,
            sign=sign,
            exponent=exponent,
            cls=cls,
            value=value,
            abs_error=abs_err,
            rel_error=rel_err,
            formula=formula,
        )

    def _neighbors(self, v: float) -> tuple[float, float]:
        if self.bits <= 16:
            return super()._neighbors(v)
        if v > self.max:
            return self.max, math.nan
        if v < self.min:
            return math.nan, self.min
        r = float(self.round(np.float64(v)))
        if r < v:
            return r, self._step(r, +1)
        if r > v:
            return self._step(r, -1), r
        return self._step(r, -1), self._step(r, +1)

    def _step(self, v: float, direction: int) -> float:
        """The representable finite value next to representable ``v`` in ``direction`` (±1)."""
        if (direction > 0 and v >= self.max) or (direction < 0 and v <= self.min):
            return math.nan
        if v == 0:
            return direction * self.smallest_subnormal
        mag = int(self._magnitude_code(np.array([abs(v)]))[0])
        outward = (v > 0) == (direction > 0)
        nxt = float(self._decode_chunk(np.array([mag + (1 if outward else -1)], np.int64))[0])
        return nxt if v > 0 else -nxt
