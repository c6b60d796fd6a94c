"""The worked example of the source articles, every step checked against hand arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lib.errors import QuantizeError
from lib.worked_example import EXAMPLE, steps_by_key, steps_table, worked_example


def test_article_example_every_step() -> None:
    s = steps_by_key(worked_example(EXAMPLE, "int8"))
    assert s["quant.we.amax"].values == (2.1,)
    assert s["quant.we.scale"].values[0] == pytest.approx(2.1 / 127, rel=1e-15)
    np.testing.assert_allclose(s["quant.we.scaled"].values, [-30.238095, 18.142857, 72.571429, -127.0], rtol=1e-6)
    assert s["quant.we.rounded"].values == (-30.0, 18.0, 73.0, -127.0)
    assert s["quant.we.code"].values == (-30.0, 18.0, 73.0, -127.0)
    deq = np.array([-30, 18, 73, -127]) * (2.1 / 127)
    np.testing.assert_allclose(s["quant.we.dequant"].values, deq, rtol=1e-15)
    np.testing.assert_allclose(s["quant.we.error"].values, deq - np.array(EXAMPLE), atol=1e-15)
    assert abs(s["quant.we.error"].values[3]) < 1e-15  # the largest value is exact


def test_int4_clips_nothing_and_uses_qmax_7() -> None:
    s = steps_by_key(worked_example(EXAMPLE, "int4"))
    assert s["quant.we.scale"].values[0] == pytest.approx(0.3)
    assert s["quant.we.code"].values == (-2.0, 1.0, 4.0, -7.0)


def test_uint8_clips_negative_values_to_zero() -> None:
    s = steps_by_key(worked_example(EXAMPLE, "uint8"))
    assert s["quant.we.rounded"].values[0] < 0
    assert s["quant.we.code"].values[0] == 0.0 and s["quant.we.code"].values[3] == 0.0
    # the scale fits the largest positive value, as lib.quantize does: 1.2 / 255, so 1.2 is code 255
    assert s["quant.we.amax_unsigned"].values == (1.2,) and s["quant.we.scale"].formula == "max(x, 0) / 255"
    assert s["quant.we.code"].values == (0.0, 64.0, 255.0, 0.0)


def test_minmax_has_zero_point() -> None:
    s = steps_by_key(worked_example([0.0, 1.0, 2.0, 3.0], "uint8", "minmax"))
    assert s["quant.we.zero_point"].values == (0.0,)
    assert s["quant.we.scale"].values[0] == pytest.approx(3 / 255)
    assert s["quant.we.code"].values == (0.0, 85.0, 170.0, 255.0)
    s = steps_by_key(worked_example([-1.0, 1.0], "int8", "minmax"))
    assert s["quant.we.zero_point"].values == (0.0,)  # -128 - round(-1 / (2/255)) = -128 + 128 (ties to even)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=16))
def test_codes_in_range_and_error_within_half_step(xs: list[float]) -> None:
    s = steps_by_key(worked_example(xs, "int8"))
    codes = np.array(s["quant.we.code"].values)
    assert codes.min() >= -128 and codes.max() <= 127
    scale = s["quant.we.scale"].values[0]
    assert np.abs(np.array(s["quant.we.error"].values)).max() <= scale / 2 * (1 + 1e-9) + 1e-300


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-300, 300), min_size=1, max_size=16), st.sampled_from([1, 10, 100, 1000]),
       st.sampled_from(["int8", "int4", "uint8", "int2"]), st.sampled_from(["absmax", "minmax"]))
def test_every_step_ends_where_lib_quantize_ends(ints, div, fmt, method) -> None:
    """Short decimals, as students type them (ties such as 0.5 with an odd zero point included):
    the worked example's codes, zero point and x̂ are the ones lib.quantize computes."""
    from lib.quantize import quantize

    x = np.array(ints, dtype=np.float64) / div
    r = quantize(x, fmt=fmt, method=method)
    s = steps_by_key(worked_example(x, fmt, method))
    assert np.asarray(r.codes).astype(float).tolist() == list(s["quant.we.code"].values)
    assert float(np.asarray(r.scale).ravel()[0]) == s["quant.we.scale"].values[0]
    if method == "minmax":
        assert float(np.asarray(r.zero_point).ravel()[0]) == s["quant.we.zero_point"].values[0]
    np.testing.assert_array_equal(r.dequantized, s["quant.we.dequant"].values)


def test_minmax_ties_with_an_odd_zero_point_round_before_it_is_added() -> None:
    """[-1, 0.5, 254] in int8 minmax: scale 1, zp -127; 0.5 rounds to 0 (even) and gets code -127,
    x̂ = 0, as torch.ao/torchao compute clip(round(x/s) + zp); rounding 0.5 - 127 = -126.5 gave -126."""
    from lib.quantize import quantize

    for dtype in (np.float64, np.float32):
        r = quantize(np.array([-1.0, 0.5, 254.0], dtype=dtype), fmt="int8", method="minmax")
        assert r.zero_point.item() == -127 and r.scale.item() == 1.0
        assert r.codes.tolist() == [-128, -127, 127] and r.dequantized.tolist() == [-1.0, 0.0, 254.0]
    r = quantize(np.array([-1.0, 0.5 - 2**-20, 254.0], np.float32), fmt="int8", method="minmax")
    assert r.dequantized[1] == 0.0  # the nearest grid value; the float32 sum x/s + zp made a false tie


def test_matches_lib_quantize() -> None:
    from lib.quantize import quantize

    x = np.array([0.7, -3.3, 2.2, 0.01, -0.9], dtype=np.float64)
    r = quantize(x, fmt="int8", method="absmax")
    s = steps_by_key(worked_example(x, "int8"))
    np.testing.assert_array_equal(np.asarray(r.codes).astype(float), s["quant.we.code"].values)


def test_bad_inputs_raise_translated_errors() -> None:
    with pytest.raises(QuantizeError) as e:
        worked_example([], "int8")
    assert e.value.key == "quant.we.size"
    with pytest.raises(QuantizeError, match="integer formats"):
        worked_example([1.0], "float16")
    with pytest.raises(QuantizeError):
        worked_example([np.nan], "int8")
    with pytest.raises(QuantizeError):
        worked_example([1.0], "int8", "kl")
    assert "整数" in QuantizeError("quant.we.not_int", fmt="float16").message("zh")


def test_table_rows_translated() -> None:
    rows = steps_table(worked_example(EXAMPLE), EXAMPLE, "zh")
    assert rows[0]["步骤"] == "最大绝对值"
    assert rows[4]["x[2] = 1.2"] == "73"
    assert rows[1]["x[1] = 0.3"] == ""  # scalar step: only the first column


@pytest.mark.parametrize("method", ["absmax", "minmax"])
def test_all_zero_input_says_the_scale_was_set_to_one(method: str) -> None:
    """max|x| = 0 has no range: the step used to read 'max|x| / 255 = 1' (false); it says why now."""
    s = steps_by_key(worked_example([0.0, 0.0, -0.0], "uint8", method))
    assert s["quant.we.scale"].values == (1.0,) and s["quant.we.scale"].formula.endswith("→ 1")
    assert s["quant.we.dequant"].values == (0.0, 0.0, 0.0) and s["quant.we.error"].values == (0.0, 0.0, 0.0)
    assert steps_by_key(worked_example([1.0], "uint8", method))["quant.we.scale"].formula.count("/") == 1


@pytest.mark.parametrize("method", ["absmax", "minmax"])
def test_a_scale_that_underflows_is_floored_as_quantize_floors_it(method) -> None:
    """max|x| = 5e-324: 5e-324 / 127 is 0 in float64, and x / 0 divided by zero (a hypothesis run
    found it). The scale is floored at 2^-1074, as lib.quantize does, and the codes agree."""
    import warnings

    from lib.quantize import quantize

    x = [5e-324, -1e-323]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        steps = steps_by_key(worked_example(x, method=method))
    assert steps["quant.we.scale"].values == (5e-324,) and "2^-1074" in steps["quant.we.scale"].formula
    assert list(steps["quant.we.code"].values) == quantize(np.array(x), method=method).codes.tolist()
