"""lib.elements: the fast code paths agree with lib.formats on every code of every format."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from lib.elements import float_codes, format_names, get_element, snap

FLOAT_NAMES = [n for n in format_names() if get_element(n).kind == "float" and get_element(n).bits <= 16]


@pytest.mark.parametrize("name", FLOAT_NAMES)
def test_float_codes_equal_encode_for_every_code(name: str) -> None:
    el = get_element(name)
    codes = np.arange(1 << el.bits)
    values = np.asarray(el.fmt.decode(codes))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mine = float_codes(el, values)
    assert np.array_equal(mine, np.asarray(el.fmt.encode(values)).astype(el.code_dtype))
    finite = np.isfinite(values)
    assert np.array_equal(mine[finite], codes[finite])  # every finite code maps back to itself


@pytest.mark.parametrize("name", ["nf4", "bnb_fp4"])
def test_table_snap_is_nearest_level(name: str) -> None:
    el = get_element(name)
    v = np.random.default_rng(0).uniform(-1.2, 1.2, 5000)
    values, codes = snap(el, v.copy())
    levels = el.fmt.values()
    nearest = levels[np.abs(v[:, None] - levels).argmin(axis=1)]
    assert np.array_equal(values, nearest)
    assert np.array_equal(np.asarray(el.fmt.decode(codes)), nearest)


def test_int_snap_clamps_and_rounds() -> None:
    el = get_element("int4")
    values, codes = snap(el, np.array([7.6, -8.4, -9.0, 2.5, 3.5]))
    assert values.tolist() == [7, -8, -8, 2, 4] and codes.dtype == np.int8
    assert get_element("int8").clip_limit == 127.5
    assert get_element("float8_e4m3fn").clip_limit == 464.0
    assert get_element("uint4").code_dtype == np.uint8
