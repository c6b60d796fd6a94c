"""Every named format, the ExMy factory, and lookup by name or alias.

Canonical names are ml_dtypes' (LLVM-style); short aliases map onto them:

    >>> get_format("fp8_e4m3").name
    'float8_e4m3fn'
    >>> float_format(4, 3, specials="fn") == get_format("float8_e4m3fn")
    True
"""

from __future__ import annotations

from lib.errors import FormatError
from lib.formats import spec
from lib.formats.floats import FloatFormat
from lib.formats.ints import IntFormat
from lib.formats.tables import BNB_FP4, NF4, TableFormat

Format = FloatFormat | IntFormat | TableFormat

MAX_CUSTOM_BITS = 16

FLOAT32 = FloatFormat("float32", 8, 23, 127, "ieee")
TF32 = FloatFormat("tf32", 8, 10, 127, "ieee", container_bits=32)  # 19 bits used of a float32 word
FLOAT16 = FloatFormat("float16", 5, 10, 15, "ieee")
BFLOAT16 = FloatFormat("bfloat16", 8, 7, 127, "ieee")
FLOAT8_E4M3FN = FloatFormat("float8_e4m3fn", 4, 3, 7, "fn")
FLOAT8_E5M2 = FloatFormat("float8_e5m2", 5, 2, 15, "ieee")
FLOAT8_E4M3FNUZ = FloatFormat("float8_e4m3fnuz", 4, 3, 8, "fnuz")
FLOAT8_E5M2FNUZ = FloatFormat("float8_e5m2fnuz", 5, 2, 16, "fnuz")
FLOAT8_E4M3 = FloatFormat("float8_e4m3", 4, 3, 7, "ieee")
FLOAT8_E3M4 = FloatFormat("float8_e3m4", 3, 4, 3, "ieee")
FLOAT8_E4M3B11FNUZ = FloatFormat("float8_e4m3b11fnuz", 4, 3, 11, "fnuz")
FLOAT6_E3M2FN = FloatFormat("float6_e3m2fn", 3, 2, 3, "none")
FLOAT6_E2M3FN = FloatFormat("float6_e2m3fn", 2, 3, 1, "none")
FLOAT4_E2M1FN = FloatFormat("float4_e2m1fn", 2, 1, 1, "none")
FLOAT8_E8M0FNU = FloatFormat("float8_e8m0fnu", 8, 0, 127, "fn", signed=False)

INT8 = IntFormat("int8", 8, True)
UINT8 = IntFormat("uint8", 8, False)
INT4 = IntFormat("int4", 4, True)
UINT4 = IntFormat("uint4", 4, False)
INT2 = IntFormat("int2", 2, True)
UINT2 = IntFormat("uint2", 2, False)

_ALL: tuple[Format, ...] = (
    FLOAT32, TF32, FLOAT16, BFLOAT16,
    FLOAT8_E4M3FN, FLOAT8_E5M2, FLOAT8_E4M3FNUZ, FLOAT8_E5M2FNUZ, FLOAT8_E4M3, FLOAT8_E3M4,
    FLOAT8_E4M3B11FNUZ, FLOAT6_E3M2FN, FLOAT6_E2M3FN, FLOAT4_E2M1FN, FLOAT8_E8M0FNU,
    INT8, UINT8, INT4, UINT4, INT2, UINT2,
    NF4, BNB_FP4,
)  # fmt: skip

REGISTRY: dict[str, Format] = {f.name: f for f in _ALL}
"""Canonical name -> format, in display order."""

ALIASES: dict[str, str] = {
    "fp32": "float32",
    "fp16": "float16",
    "half": "float16",
    "bf16": "bfloat16",
    "fp8_e4m3": "float8_e4m3fn",
    "e4m3": "float8_e4m3fn",
    "fp8_e5m2": "float8_e5m2",
    "e5m2": "float8_e5m2",
    "fp6_e3m2": "float6_e3m2fn",
    "fp6_e2m3": "float6_e2m3fn",
    "fp4_e2m1": "float4_e2m1fn",
    "fp4": "float4_e2m1fn",
    "e2m1": "float4_e2m1fn",
    "e8m0": "float8_e8m0fnu",
    "fp8_e8m0": "float8_e8m0fnu",
}

FLOAT_FORMATS: tuple[FloatFormat, ...] = tuple(f for f in _ALL if isinstance(f, FloatFormat))
INT_FORMATS: tuple[IntFormat, ...] = tuple(f for f in _ALL if isinstance(f, IntFormat))
TABLE_FORMATS: tuple[TableFormat, ...] = tuple(f for f in _ALL if isinstance(f, TableFormat))


def list_formats() -> list[str]:
    """Canonical names of every registered format, in registry order."""
    return list(REGISTRY)


def get_format(name: str | Format) -> Format:
    """The format called ``name`` (canonical name or alias, case-insensitive).

    A format object is returned unchanged, so functions may accept either.

    Raises:
        FormatError: unknown name; the message lists the known formats.
    """
    if isinstance(name, (FloatFormat, IntFormat, TableFormat)):
        return name
    key = str(name).strip().lower()
    key = ALIASES.get(key, key)
    if key not in REGISTRY:
        raise FormatError("formats.unknown", name=name, known=list(REGISTRY))
    return REGISTRY[key]


def default_bias(exponent_bits: int, specials: str) -> int:
    """IEEE bias 2^(E-1) - 1; "fnuz" formats use 2^(E-1) (float8_e4m3fnuz: 8)."""
    return (1 << (exponent_bits - 1)) - (0 if specials == "fnuz" else 1)


def float_format(
    exponent_bits: int, mantissa_bits: int, bias: int | None = None, specials: spec.Specials = "ieee"
) -> FloatFormat:
    """Any sign + ExMy minifloat of at most 16 bits; a registered format if one matches.

    Args:
        exponent_bits: E >= 1.
        mantissa_bits: M >= 0 ("ieee" needs M >= 1 and E >= 2 to hold Inf and NaN).
        bias: exponent bias; default 2^(E-1) - 1 (2^(E-1) for "fnuz").
        specials: "ieee" | "fn" | "fnuz" | "none" (see lib.formats.floats).

    Returns:
        The FloatFormat; named like ml_dtypes ("float8_e4m3fn") when it is a registered one,
        else "float{bits}_e{E}m{M}" + a suffix for specials/bias, e.g. "float5_e2m2fnuz_b3".

    Example:
        >>> float_format(5, 2).name, float_format(3, 3, specials="none").max
        ('float8_e5m2', 30.0)

    Raises:
        FormatError: E < 1, M < 0, more than 16 bits, unknown specials, or no normal numbers left.
    """
    E, M = _whole(exponent_bits, "exponent_bits"), _whole(mantissa_bits, "mantissa_bits")
    if E < 1:
        raise FormatError("formats.exponent_bits", exponent_bits=E)
    if M < 0:
        raise FormatError("formats.mantissa_bits", mantissa_bits=M)
    if 1 + E + M > MAX_CUSTOM_BITS:
        raise FormatError(
            "formats.too_many_bits", limit=MAX_CUSTOM_BITS, exponent_bits=E, mantissa_bits=M, bits=1 + E + M
        )
    if specials not in spec.SPECIALS:
        raise FormatError("formats.bad_specials", specials=specials, known=list(spec.SPECIALS))
    if (specials == "ieee" and (E < 2 or M < 1)) or (specials == "fn" and M == 0 and E < 2):
        raise FormatError("formats.no_room_for_specials", exponent_bits=E, mantissa_bits=M, specials=specials)
    b = default_bias(E, specials) if bias is None else _whole(bias, "bias")
    _check_float64_range(E, M, b, specials)
    for fmt in FLOAT_FORMATS:
        if fmt.signed and (fmt.exponent_bits, fmt.mantissa_bits, fmt.bias, fmt.specials) == (E, M, b, specials):
            return fmt
    suffix = {"ieee": "", "fn": "fn", "fnuz": "fnuz", "none": "_finite"}[specials]
    name = f"float{1 + E + M}_e{E}m{M}{suffix}" + ("" if b == default_bias(E, specials) else f"_b{b}")
    return FloatFormat(name, E, M, b, specials)


def _check_float64_range(E: int, M: int, bias: int, specials: spec.Specials) -> None:
    """Every value must be a finite float64 (we decode to float64): max < 2^1024, min >= 2^-1074.

    The largest finite exponent field is 2^E - 2 under "ieee" (all ones is Inf/NaN), else 2^E - 1,
    so the largest value lies below 2^(field_max - bias + 1); the smallest subnormal is
    2^(1 - bias - M).  Example: E=11, M=4, "none" has field_max 2047, bias 1023, so 2^1025: too big.
    """
    field_max = 2**E - (2 if specials == "ieee" else 1)
    if field_max - bias + 1 > 1024 or 1 - bias - M < -1074:
        raise FormatError("formats.out_of_float64", exponent_bits=E, mantissa_bits=M, bias=bias)


def _whole(value: object, what: str) -> int:
    if isinstance(value, bool) or not float(value).is_integer():  # type: ignore[arg-type]
        key = "formats.bad_bias" if what == "bias" else f"formats.{what}"
        raise FormatError(key, **{what: value})
    return int(value)  # type: ignore[call-overload]


def _check_registry() -> None:
    """Import-time consistency: names, aliases, widths."""
    assert len(REGISTRY) == len(_ALL), "duplicate format name"
    for alias, target in ALIASES.items():
        assert target in REGISTRY and alias not in REGISTRY, alias
    for fmt in FLOAT_FORMATS:
        assert fmt.bits == int(fmt.signed) + fmt.exponent_bits + fmt.mantissa_bits
        assert fmt.max > 0 and fmt.smallest_subnormal > 0, fmt.name
    for fmt in INT_FORMATS:
        assert fmt.min < 0 < fmt.max if fmt.signed else fmt.min == 0 < fmt.max


_check_registry()
