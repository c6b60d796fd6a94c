"""lib.value_table: every value of a narrow format, its code and the gap to the next one (Grid page), and
every code of a format of at most 8 bits with its bit pattern, value and class (Bits page)."""

from __future__ import annotations

import io
import re
from fractions import Fraction

import ml_dtypes
import numpy as np
import pandas as pd
import pytest

from lib.errors import FormatError
from lib.formats import float_format, get_format, list_formats
from lib.value_table import (MAX_CODE_TABLE_BITS, code_table, code_table_csv, code_table_view, value_table,
                             value_table_csv)


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


# --- the Bits page's table of every code (code_table) ----------------------------------------------
E3M2 = float_format(3, 2, specials="none")  # the custom E3M2 of the usability audit
ML_DTYPES = [("float6_e3m2fn", ml_dtypes.float6_e3m2fn), ("float6_e2m3fn", ml_dtypes.float6_e2m3fn),
             ("float4_e2m1fn", ml_dtypes.float4_e2m1fn), ("float8_e4m3fn", ml_dtypes.float8_e4m3fn),
             ("float8_e5m2", ml_dtypes.float8_e5m2), ("float8_e4m3fnuz", ml_dtypes.float8_e4m3fnuz),
             ("float8_e5m2fnuz", ml_dtypes.float8_e5m2fnuz), ("float8_e3m4", ml_dtypes.float8_e3m4),
             ("float8_e8m0fnu", ml_dtypes.float8_e8m0fnu)]
NARROW = [n for n in list_formats() if get_format(n).bits <= MAX_CODE_TABLE_BITS]


def ml_dtypes_values(dtype: type, bits: int) -> np.ndarray:
    """Every code of an ml_dtypes type decoded (sub-byte types take the low bits of a uint8)."""
    with np.errstate(invalid="ignore"):
        return np.arange(1 << bits, dtype=np.uint8).view(dtype).astype(np.float64)


def same(a: np.ndarray, b: np.ndarray, nan_sign: bool = True) -> bool:
    """Equal value for value, NaN where NaN, and the sign of every zero (and NaN, unless not ``nan_sign``)."""
    signs = ~np.isnan(b) if not nan_sign else np.ones(b.shape, bool)
    return bool(np.array_equal(a, b, equal_nan=True) and np.array_equal(np.signbit(a)[signs], np.signbit(b)[signs]))


def exact_value(text: str) -> Fraction:
    """The number a cell of code_table_view writes: a decimal, or m × 2^k."""
    if "×" in text:
        m, k = text.split(" × 2^")
        return Fraction(int(m)) * Fraction(2) ** int(k)
    return Fraction(text)


def test_custom_e3m2_lists_all_64_codes_with_their_values() -> None:
    tab = code_table(E3M2)
    assert len(tab) == 64 and E3M2.bits == 6
    codes = np.arange(64)
    assert same(tab["value"].to_numpy(), np.asarray(E3M2.decode(codes), dtype=np.float64))
    assert same(tab["value"].to_numpy(), ml_dtypes_values(ml_dtypes.float6_e3m2fn, 6))
    assert tab["value"].max() == 28 and tab["value"].min() == -28
    assert tab["value"][0x1F] == 28 and tab["value"][0x3F] == -28 and tab["value"][0x01] == 0.0625
    assert tab["code"].tolist() == [f"0x{c:02X}" for c in codes]
    assert tab["bits"][0x1F] == "0 111 11" and tab["bits"][0x21] == "1 000 01"
    assert [int(b.replace(" ", ""), 2) for b in tab["bits"]] == codes.tolist()
    assert tab["class"].value_counts().to_dict() == {"normal": 56, "subnormal": 6, "zero": 2}


@pytest.mark.parametrize(("name", "dtype"), ML_DTYPES)
def test_every_code_decodes_as_ml_dtypes_does(name: str, dtype: type) -> None:
    fmt = get_format(name)
    tab = code_table(fmt)
    assert len(tab) == 1 << fmt.bits
    assert same(tab["value"].to_numpy(), ml_dtypes_values(dtype, fmt.bits))
    back = pd.read_csv(io.StringIO(code_table_csv(fmt)))  # the download holds the same numbers ("NaN": no sign)
    assert same(back["value"].to_numpy(dtype=np.float64), ml_dtypes_values(dtype, fmt.bits), nan_sign=False)


def test_classes_of_e4m3fn_and_e5m2() -> None:
    cls = code_table(get_format("float8_e4m3fn"))["class"]
    assert cls[0x7F] == cls[0xFF] == "NaN" and (cls == "NaN").sum() == 2
    assert cls[0x00] == cls[0x80] == "zero" and cls[0x01] == cls[0x87] == "subnormal"
    assert cls[0x08] == cls[0x7E] == "normal" and "infinity" not in set(cls)
    e5m2 = code_table(get_format("float8_e5m2"))
    assert e5m2["class"][0x7C] == e5m2["class"][0xFC] == "infinity" and e5m2["value"][0xFC] == -np.inf
    assert (e5m2["class"] == "NaN").sum() == 6  # 0x7D-0x7F, 0xFD-0xFF
    assert code_table(get_format("int4"))["class"].tolist()[:2] == ["zero", "integer"]
    assert code_table(get_format("nf4"))["class"][0] == "table value"


def test_the_view_marks_the_shown_code_and_writes_exact_values() -> None:
    view = code_table_view(get_format("float4_e2m1fn"), "en", shown=0x3)
    assert view.columns.tolist() == ["shown", "code", "bit pattern", "value", "class"]
    assert view["shown"].tolist() == [""] * 3 + ["▶"] + [""] * 12
    assert view.iloc[3].tolist() == ["▶", "0x3", "0 01 1", "1.5", "normal"]
    assert view["value"].tolist()[8:] == ["-0", "-0.5", "-1", "-1.5", "-2", "-3", "-4", "-6"]
    e8m0 = code_table_view(get_format("float8_e8m0fnu"))["value"]
    assert e8m0[0] == "1 × 2^-127" and e8m0[127] == "1" and e8m0[254] == "1 × 2^127" and e8m0[255] == "NaN"
    assert "▶" not in set(code_table_view(E3M2)["shown"])  # nothing shown: no mark


@pytest.mark.parametrize("name", NARROW)
def test_every_shown_value_is_exactly_the_decoded_value(name: str) -> None:
    fmt = get_format(name)
    tab, view = code_table(fmt), code_table_view(fmt)
    for v, text in zip(tab["value"], view["value"]):
        if np.isfinite(v):
            assert exact_value(text) == Fraction(float(v)), (name, text)


def test_chinese_headers_and_classes() -> None:
    view = code_table_view(get_format("float8_e4m3fn"), "zh", shown=0x1D)
    assert view.columns.tolist() == ["当前", "编码", "位模式", "数值", "类别"]
    assert all(re.search(r"[\u3400-\u9fff]", c) for c in view.columns)
    assert view["类别"][0x7F] == "NaN（非数）" and view["类别"][0x01] == "次正规数" and view["类别"][0x1D] == "正规数"
    zh = code_table_csv(E3M2, "zh").splitlines()
    assert zh[0] == "编码,位模式,数值,类别" and zh[0x1F + 1] == "0x1F,0 111 11,28.0,正规数"
    assert code_table_csv(E3M2).splitlines()[0] == "code,bit pattern,value,class"


@pytest.mark.parametrize("name", ["float16", "bfloat16", "tf32", "float32"])
def test_formats_over_8_bits_are_refused(name: str) -> None:
    with pytest.raises(FormatError, match=f"{name} has"):
        code_table(get_format(name))
