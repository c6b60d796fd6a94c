"""Every representable value of a narrow format as a table (the Grid page's download).

One row per finite value, ascending (-0 folded into 0): the value exactly as float64 (every
format of 16 bits or fewer is exact in float64), its code in hex and binary, and the gap to the
next value up (empty for the largest).

Example (float4_e2m1fn, 15 rows):

    value  hex  bits    gap_to_next
    -6.0   0xF  0b1111  2.0
    ...
    0.0    0x0  0b0000  0.5
    0.5    0x1  0b0001  0.5
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lib.errors import FormatError
from lib.formats import get_format
from lib.i18n import t
from lib.numparse import format_code

MAX_TABLE_BITS = 16


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
    table = value_table(name)
    table.columns = [t(f"grid.csv_{c}", lang) for c in table.columns]
    return table.to_csv(index=False, float_format=None)
