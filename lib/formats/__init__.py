"""Number formats: every format the app teaches, and exact conversion between reals and codes.

    >>> from lib.formats import get_format, list_formats, float_format
    >>> fmt = get_format("float8_e4m3fn")
    >>> fmt.max, int(fmt.encode(0.1)), float(fmt.decode(29))
    (448.0, 29, 0.1015625)
    >>> fmt.explain(0.1).formula
    '(-1)^0 × 2^(3-7) × (1 + 5/8) = 0.1015625'

Every format has: name, bits, kind ("float" | "int" | "table"), exponent_bits, mantissa_bits,
bias, max, min, smallest_normal, smallest_subnormal, eps; encode(x, overflow, rounding, rng) ->
unsigned codes; decode(codes) -> float64; round(x, ..., out=None) in x's float dtype;
round_scaled(x, scale, ...) = round(x / scale) * scale; values(); explain(x) / explain_code(code)
-> Explanation; neighbors(x) -> (below, above); code_from_bits("0 0111 000").

Modules: ``spec`` (modes, input checks), ``rounding`` (the four rounding rules), ``floats`` /
``ints`` / ``tables`` (one dataclass per kind), ``registry`` (names, aliases, ExMy factory),
``explain`` (taking a code apart), ``fast`` (the bit-level float32 path), ``scalar`` (a slow,
readable reference the tests compare against).
"""

from lib.formats.explain import Explanation
from lib.formats.floats import FloatFormat
from lib.formats.ints import IntFormat
from lib.formats.registry import (
    ALIASES,
    FLOAT_FORMATS,
    INT_FORMATS,
    REGISTRY,
    TABLE_FORMATS,
    Format,
    float_format,
    get_format,
    list_formats,
)
from lib.formats.spec import OVERFLOWS, ROUNDINGS, SPECIALS
from lib.formats.tables import TableFormat

__all__ = [
    "ALIASES",
    "FLOAT_FORMATS",
    "INT_FORMATS",
    "OVERFLOWS",
    "REGISTRY",
    "ROUNDINGS",
    "SPECIALS",
    "TABLE_FORMATS",
    "Explanation",
    "FloatFormat",
    "Format",
    "IntFormat",
    "TableFormat",
    "float_format",
    "get_format",
    "list_formats",
]
