"""lib.value_table: every value of a narrow format, its code and the gap to the next one."""

from __future__ import annotations

import io

import ml_dtypes
import numpy as np
import pandas as pd
import pytest

from lib.errors import FormatError
from lib.value_table import value_table, value_table_csv


def test_fp4_by_hand() -> None:
    tab = value_table("float4_e2m1fn")
    assert tab["value"].tolist() == [-6, -4, -3, -2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4, 6]
    assert tab["hex"].tolist()[:2] == ["0xF", "0xE"] and tab["bits"][7] == "0b0000"
    assert tab["gap_to_next"].tolist()[:-1] == [2, 1, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1, 1, 2]
    assert np.isnan(tab["gap_to_next"].iloc[-1])


@pytest.mark.parametrize(("name", "dtype"), [("float8_e4m3fn", ml_dtypes.float8_e4m3fn),
                                              ("float8_e5m2", ml_dtypes.float8_e5m2),
                                              ("bfloat16", ml_dtypes.bfloat16)])
def test_csv_round_trips_every_finite_value_of_ml_dtypes(name: str, dtype: type) -> None:
    """Read back, every value and code agree with ml_dtypes: all codes decoded, finite, -0 folded."""
    back = pd.read_csv(io.StringIO(value_table_csv(name)))
    bits = 8 * np.dtype(dtype).itemsize
    codes = np.arange(1 << bits, dtype=np.uint8 if bits == 8 else np.uint16)
    with np.errstate(invalid="ignore"):  # NaN codes (bfloat16 has many)
        decoded = codes.view(dtype).astype(np.float64)
    expected = np.unique(decoded[np.isfinite(decoded)] + 0.0)
    assert np.array_equal(back["value"].to_numpy(), expected)
    from_hex = np.array([int(h, 16) for h in back["hex"]], dtype=codes.dtype).view(dtype).astype(np.float64)
    assert np.array_equal(from_hex, expected)
    assert [int(b, 2) for b in back["bits"]] == [int(h, 16) for h in back["hex"]]


def test_int8_codes_are_twos_complement_and_wide_formats_are_refused() -> None:
    tab = value_table("int8")
    assert tab["value"].iloc[0] == -128 and tab["hex"].iloc[0] == "0x80" and tab["hex"].iloc[-1] == "0x7F"
    assert (tab["gap_to_next"].iloc[:-1] == 1).all()
    with pytest.raises(FormatError, match="float32 has 32 bits"):
        value_table("float32")


def test_csv_headers_follow_the_language() -> None:
    en, zh = value_table_csv("float4_e2m1fn"), value_table_csv("float4_e2m1fn", "zh")
    assert en.splitlines()[0] == "value,hex,bits,gap_to_next"
    assert zh.splitlines()[0] == "数值,十六进制,位模式,到下一个值的间隔"
    assert en.splitlines()[1:] == zh.splitlines()[1:]  # the same rows
