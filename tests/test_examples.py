"""lib.examples: every figure a classroom example's hint quotes is what the page computes for it.

The data is built as the page builds it (lib.data_source.load of the example's settings) and
quantized with lib.quantize; each number is then looked up in the hint's text, in both languages."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from lib.data_source import Source, load
from lib.examples import DATA_KEYS, QUANT_EXAMPLES, data_settings, settings, still_shown
from lib.i18n import t
from lib.quantize import quantize


def _data(name: str) -> np.ndarray:
    s = settings(name)
    src = Source(s["source"], dist=s["dist"], size=s["size"], seed=s["seed"], magnitude=s["mag"])
    (tensor,) = load(src).values()
    return tensor.values


def _db(x: np.ndarray, fmt: str, **kw: Any) -> str:
    return f"{quantize(x, fmt, **kw).metrics['sqnr_db']:.1f} dB"


def _hint(name: str, lang: str) -> str:
    return t(f"quant.ex.{name}.hint", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_fp8_scale_hint(lang: str) -> None:
    x = _data("fp8_scale")
    assert np.abs(x).max() < 0.0005 < 2.0**-10  # "none above 0.0005", all below half of 2^-9
    cast = quantize(x, "float8_e4m3fn", method="none").metrics
    assert cast["flushed_to_zero_fraction"] == 1.0 and cast["sqnr_db"] == 0.0
    hint = _hint("fp8_scale", lang)
    assert "0.0005" in hint and "2^-9" in hint and "0 dB" in hint and "448" in hint
    assert _db(x, "float8_e4m3fn") == "31.5 dB" and "31.5 dB" in hint


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_outliers_hint(lang: str) -> None:
    x = _data("outliers")
    hint = _hint("outliers", lang)
    for figure in (_db(x, "int8"), _db(x, "int8", granularity="channel", axis=1),
                   _db(x, "int8", granularity="channel", axis=0)):
        assert figure in hint
    assert [_db(x, "int8"), _db(x, "int8", granularity="channel", axis=1)] == ["23.5 dB", "42.3 dB"]
    flushed = quantize(x, "int8").metrics["flushed_to_zero_fraction"]
    assert f"{flushed:.1%}" == "53.1%" and "53.1%" in hint


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_four_bit_hint(lang: str) -> None:
    x = _data("four_bit")
    hint = _hint("four_bit", lang)
    one = quantize(x, "int4").metrics
    assert f"{one['sqnr_db']:.1f} dB" == "1.6 dB" and one["levels_used"] == 11 and "11" in hint
    r = quantize(x, "int4")
    assert f"{np.abs(x).max():.0f}" == "74" and f"{float(r.scale.item()):.1f}" == "10.6" and "74" in hint and "10.6" in hint
    assert f"{one['flushed_to_zero_fraction']:.1%}" == "98.7%" and "98.7%" in hint
    blocks = {"(12.8 dB)": _db(x, "int4", granularity="group", axis=0, block_size=128),
              "mxfp4 (17.0 dB)": _db(x, "mxfp4"), "q4_0 (17.8 dB)": _db(x, "q4_0"),
              "nf4 (18.1 dB)": _db(x, "nf4"), "nvfp4 (20.8 dB)": _db(x, "nvfp4")}
    for quoted, got in blocks.items():
        assert quoted.split("(")[-1].rstrip(")") == got
        assert got.replace(" dB", "") in hint
    bits = [quantize(x, f).metrics["bits_per_element"] for f in ("mxfp4", "q4_0", "nf4")]
    assert bits == [4.25, 4.5, 4.5]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nf4_normal_hint(lang: str) -> None:
    x = _data("nf4_normal")
    hint = _hint("nf4_normal", lang)
    assert _db(x, "nf4") == "20.7 dB" and "20.7 dB" in hint
    group = quantize(x, "int4", granularity="group", axis=0, block_size=64).metrics
    assert f"{group['sqnr_db']:.1f} dB" == "19.4 dB" and group["bits_per_element"] == 4.5 == quantize(x, "nf4").metrics[
        "bits_per_element"]
    assert _db(x, "float4_e2m1fn") == "17.8 dB" and "17.8 dB" in hint


def test_every_example_has_strings_and_sets_only_page_settings() -> None:
    from lib.synthetic import SYNTHETIC_KINDS

    for name in QUANT_EXAMPLES:
        for key in (f"quant.ex.{name}", f"quant.ex.{name}.hint"):
            assert t(key, "en") != t(key, "zh")
        s = settings(name)
        params = {f"p_{s['dist']}_{k}" for k in SYNTHETIC_KINDS[s["dist"]].defaults}
        assert s["dist"] in SYNTHETIC_KINDS and set(data_settings(name)) == set(DATA_KEYS) | params
    assert settings("outliers")["p_llm_like_n_outliers"] == 4 and settings("four_bit")["p_student_t_df"] == 3.0


def test_the_hint_stays_while_the_data_does() -> None:
    state = {f"quant_{k}": v for k, v in settings("outliers").items()}
    assert still_shown("outliers", state, "quant")
    state["quant_gran"], state["quant_axis"] = "channel", 1  # trying per channel: still this example
    assert still_shown("outliers", state, "quant")
    state["quant_p_llm_like_n_outliers"] = 8  # other data: the figures no longer hold
    assert not still_shown("outliers", state, "quant")
    state["quant_p_llm_like_n_outliers"], state["quant_seed"] = 4, 3
    assert not still_shown("outliers", state, "quant")
    assert not still_shown(None, state, "quant") and not still_shown("nope", state, "quant")
