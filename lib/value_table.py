"""Every representable value of a narrow format as a table: the Grid page's download
(``value_table``) and the Bits page's list of every code (``code_table``).

Grid: one row per finite value, ascending (-0 folded into 0): the value exactly as float64 (every
format of 16 bits or fewer is exact in float64), its code in hex and binary, and the gap to the
next value up (empty for the largest).

Example (float4_e2m1fn, 15 rows):

    value  hex  bits    gap_to_next
    -6.0   0xF  0b1111  2.0
    ...
    0.0    0x0  0b0000  0.5
    0.5    0x1  0b0001  0.5

Bits: one row per code 0 … 2^bits - 1 of a format of at most 8 bits (built-in or custom), in code
order, NaN and ±inf included: code in hex, bit pattern grouped sign / exponent / mantissa, value,
class. Example (float4_e2m1fn, 16 rows): 0x1 | 0 00 1 | 0.5 | subnormal, ..., 0xF | 1 11 1 | -6 | normal.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from lib.bits_view import class_text, dyadic_text, grouped_bits
from lib.errors import FormatError
from lib.formats import get_format
from lib.formats.explain import format_number
from lib.i18n import t
from lib.numparse import format_code

MAX_TABLE_BITS = 16
MAX_CODE_TABLE_BITS = 8  # 256 rows: a table a student can scroll through
SHOWN_MARK = "▶"
#: code_table's columns -> the i18n key of their header (on screen and in the CSV).
CODE_COLUMNS: dict[str, str] = {"code": "bits.values_col_code", "bits": "bits.values_col_bits",
                                "value": "bits.values_col_value", "class": "bits.col_class"}


def value_table(name: str) -> pd.DataFrame:
    """The table of the module docstring for format ``name`` (<= 16 bits).

    Raises:
        FormatError: unknown format, or one wider than 16 bits (float32 has 4 billion values).
    """
    fmt = get_format(name)
    if fmt.bits > MAX_TABLE_BITS:
        raise FormatError("grid.table_too_wide", name=name, bits=fmt.bits, max=MAX_TABLE_BITS)
    values = np.asarray(fmt.values(), dtype=np.float64)
    codes = np.asarray(fmt.encode(values), dtype=np.int64)
    spelled = [format_code(int(c), fmt.bits) for c in codes]
    gaps = np.append(np.diff(values), np.nan)
    return pd.DataFrame({"value": values, "hex": [h for h, _ in spelled], "bits": [b for _, b in spelled],
                         "gap_to_next": gaps})


def value_table_csv(name: str, lang: str = "en") -> str:
    """value_table(name) as CSV, values at full precision (repr of float64), headers in ``lang``
    ("en": value,hex,bits,gap_to_next; "zh": 数值,十六进制,位模式,到下一个值的间隔)."""
    return _csv(value_table(name), {c: f"grid.csv_{c}" for c in ("value", "hex", "bits", "gap_to_next")}, lang)


def _csv(table: pd.DataFrame, headers: dict[str, str], lang: str, **options: Any) -> str:
    """``table`` as CSV with its columns renamed to the translations of ``headers`` (column -> i18n
    key), floats at full precision (the shortest text that reads back as the same float64)."""
    named = table.rename(columns={c: t(key, lang) for c, key in headers.items()})
    return named.to_csv(index=False, float_format=None, **options)


def code_table(fmt: Any, lang: str = "en") -> pd.DataFrame:
    """Every code of ``fmt`` (a format object, so custom formats work too) in code order.

    Columns (named as CODE_COLUMNS' keys): code ("0x1D"), bits ("0 0011 101", grouped as the Bits
    page shows a code), value (float64, decoded by the format itself; NaN keeps its sign, as
    ml_dtypes does) and class in ``lang`` ("normal", "subnormal", "zero", "infinity", "NaN"; integer
    and table formats say "integer" / "table value" for nonzero codes).

    Example: float4_e2m1fn -> 16 rows, row 0xF is ("0xF", "1 11 1", -6.0, "normal").

    Raises:
        FormatError: a format of more than 8 bits (float16 has 65,536 codes).
    """
    if fmt.bits > MAX_CODE_TABLE_BITS:
        raise FormatError("bits.values_too_wide", name=fmt.name, bits=fmt.bits, max=MAX_CODE_TABLE_BITS)
    codes = np.arange(1 << fmt.bits, dtype=np.int64)
    explained = [fmt.explain_code(int(c)) for c in codes]
    return pd.DataFrame({
        "code": [format_code(int(c), fmt.bits)[0] for c in codes],
        "bits": [grouped_bits(e) for e in explained],
        "value": np.asarray(fmt.decode(codes), dtype=np.float64),
        "class": [class_text(fmt, e.cls, lang) for e in explained],
    })


def code_table_view(fmt: Any, lang: str = "en", shown: int | None = None) -> pd.DataFrame:
    """code_table for the screen: headers in ``lang``, every value as exact text (exact_text), and a
    first column that marks the row of code ``shown`` with ▶ (empty elsewhere).

    Example: float4_e2m1fn, shown=0x3 -> columns ["shown", "code", "bit pattern", "value", "class"],
    row 3 is ("▶", "0x3", "0 01 1", "1.5", "normal").
    """
    table = code_table(fmt, lang)
    table["value"] = [exact_text(v) for v in table["value"]]
    table.insert(0, "shown", [SHOWN_MARK if i == shown else "" for i in range(len(table))])
    return table.rename(columns={"shown": t("bits.values_col_shown", lang),
                                 **{c: t(key, lang) for c, key in CODE_COLUMNS.items()}})


def code_table_csv(fmt: Any, lang: str = "en") -> str:
    """code_table as CSV: headers in ``lang``, values at full precision ("NaN", "inf" as pandas
    reads them back). Example header: "code,bit pattern,value,class" ("编码,位模式,数值,类别")."""
    return _csv(code_table(fmt, lang), CODE_COLUMNS, lang, na_rep="NaN")


def exact_text(v: float) -> str:
    """A value as the app writes numbers (lib.formats.explain.format_number) when that text is the
    exact value, else as m × 2^k, which always is: the shortest float64 text of 2^-127 (E8M0's
    smallest value) is "5.877471754111438e-39", which is not 2^-127 exactly.

    Example: 0.1015625 -> "0.1015625", -0.0 -> "-0", 2.0**-127 -> "1 × 2^-127", 2.0**127 -> "1 × 2^127".
    """
    text = format_number(v)
    if not np.isfinite(v) or Fraction(text) == Fraction(v):
        return text
    return dyadic_text(v)
