"""Grid page (量化网格) in AppTest, by widget key: formats, log axis, overlays, language, URL."""

import base64
import json

import numpy as np
import pytest

from lib.i18n import t


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def trace_x(trace: dict) -> list[float]:
    x = trace["x"]
    if isinstance(x, dict):  # plotly's typed-array encoding
        return np.frombuffer(base64.b64decode(x["bdata"]), dtype=x["dtype"]).tolist()
    return x


def first_trace_x(spec: dict) -> list[float]:
    """x of the first format's points: its traces of the same name in order (on the number line the
    top value is a trace of its own, hovered as "largest value")."""
    name = spec["data"][0].get("name")
    return [v for tr in spec["data"] if tr.get("name") == name for v in trace_x(tr)]


def names(spec: dict) -> list[str]:
    return list(dict.fromkeys(tr["name"] for tr in spec["data"]))


def test_default_page(apptest):
    at = apptest("grid")
    assert not at.exception and not at.error
    specs = charts(at)
    assert len(specs) == 5  # number line, gap, rounding, overlay line, overlay gap
    assert at.caption[1].value == t("grid.exact_note", "en", name="float8_e4m3fn", count="253")
    line = first_trace_x(specs[0])
    assert len(line) == 253 and min(line) == -448 and max(line) == 448
    assert all(len(json.dumps(s)) <= 100_000 for s in specs)


def test_switch_to_float16_is_binned(apptest):
    at = apptest("grid")
    at.selectbox(key="grid_format").set_value("float16").run()
    assert not at.exception
    assert at.caption[1].value == t("grid.binned_note", "en", name="float16", count="63,487")
    line = charts(at)[0]["data"]
    assert len(trace_x(line[0])) == 60  # one marker per binade, never 65,536 points
    # one more for all 1,023 subnormals on each side (ten binades' worth), hovered as such
    assert trace_x(line[1]) == [-2**-24, 2**-24]
    assert line[1]["hovertemplate"].startswith("subnormals from %{customdata[2]}")
    assert line[0]["hovertemplate"].startswith("binade from %{customdata[2]}")
    # zero is one value, not a "binade from 0" of 1 value: the next value above it is 2^-24
    assert trace_x(line[2]) == [0] and line[2]["hovertemplate"].startswith("value %{customdata[2]}<br>next value is")
    assert trace_x(line[3]) == [-65504, 65504]  # and a bar at ±max, where the range ends


def test_int8_evenly_spaced_and_log_axis(apptest):
    at = apptest("grid", grid_format="int8")
    xs = first_trace_x(charts(at)[0])
    assert xs == list(range(-128, 128))
    at.radio(key="grid_scale").set_value("log").run()
    spec = charts(at)[0]
    assert spec["layout"]["xaxis"]["type"] == "log" and first_trace_x(spec) == list(range(1, 128))


def test_rounding_window_follows_center(apptest):
    at = apptest("grid", grid_format="float4_e2m1fn")
    at.number_input(key="grid_center").set_value(4.0).run()
    spec = charts(at)[2]
    assert first_trace_x(spec) == [-2, -1.5, -1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4, 6]
    mids = spec["data"][1]["x"]
    mids = mids if isinstance(mids, list) else first_trace_x({"data": [spec["data"][1]]})
    assert 5.0 in mids and 3.5 in mids


def test_overlay_scaled_to_common_max(apptest):
    at = apptest("grid")
    overlay = charts(at)[3]
    assert names(overlay) == ["int8 × 3.528", "float8_e4m3fn"]
    assert max(first_trace_x(overlay)) == pytest.approx(448)
    assert -433.8897637795276 in first_trace_x(overlay)  # -123·448/127 correctly rounded (was ...275)
    at.multiselect(key="grid_overlay").set_value(["float4_e2m1fn", "nf4", "int4"]).run()
    assert names(charts(at)[3]) == ["float4_e2m1fn × 1.167", "nf4 × 7", "int4"]  # common max: int4's 7
    at.checkbox(key="grid_rescale").uncheck().run()
    assert names(charts(at)[3]) == ["float4_e2m1fn", "nf4", "int4"]


def test_overlay_empty_and_capped(apptest):
    at = apptest("grid")
    at.multiselect(key="grid_overlay").set_value([]).run()
    assert not at.exception and at.info[0].value == t("grid.overlay_empty", "en")
    at = apptest("grid", grid_overlay=["int8", "int4", "nf4", "float16", "float32"])
    assert not at.exception and len(at.multiselect(key="grid_overlay").value) == 4
    assert [w.value for w in at.warning] == [t("grid.overlay_too_many", "en", n=4, left=["float32"])]
    at.multiselect(key="grid_overlay").set_value(["int8", "int4", "nf4", "float16", "bfloat16"]).run()
    assert at.multiselect(key="grid_overlay").value == ["int8", "int4", "nf4", "float16"]  # no 5th, and said why
    assert [w.value for w in at.warning] == [t("grid.overlay_too_many", "en", n=4, left=["bfloat16"])]


def test_chinese(apptest):
    at = apptest("grid", lang="zh")
    assert not at.exception
    assert at.title[0].value == t("grid.title", "zh")
    assert charts(at)[0]["layout"]["xaxis"]["title"]["text"] == "数值 x"


def test_url_round_trip(apptest):
    at = apptest("grid", grid_format="bfloat16", grid_scale="log")
    assert at.selectbox(key="grid_format").value == "bfloat16" and at.radio(key="grid_scale").value == "log"
    at.selectbox(key="grid_format").set_value("uint4").run()
    assert at.query_params["grid_format"] in ("uint4", ["uint4"])


def test_presets(apptest):
    at = apptest("grid", grid_overlay=["uint8"], grid_rescale="false")
    at.button(key="grid_preset_four_bit").click().run()
    assert at.multiselect(key="grid_overlay").value == ["float4_e2m1fn", "nf4", "int4"]
    assert at.checkbox(key="grid_rescale").value is True
    at.button(key="grid_preset_int8_fp8").click().run()
    assert names(charts(at)[3]) == ["int8 × 3.528", "float8_e4m3fn"]


@pytest.mark.parametrize("bad", ["nan", "1e400", "-inf", "abc"])
def test_bad_center_in_url_falls_back(apptest, bad):
    at = apptest("grid", grid_center=bad)
    assert not at.exception and not at.error
    assert at.number_input(key="grid_center").value == 1.0


def test_every_value_download_only_for_formats_of_16_bits_or_fewer(apptest):
    at = apptest("grid", lang="zh")
    assert [b.label for b in at.get("download_button")] == [t("grid.download", "zh", name="float8_e4m3fn")]
    at.selectbox(key="grid_format").set_value("bfloat16").run()
    assert [b.label for b in at.get("download_button")] == [t("grid.download", "zh", name="bfloat16")]
    at.selectbox(key="grid_format").set_value("float32").run()
    assert not at.exception and at.get("download_button") == []


def test_center_beyond_the_range_is_said(apptest):
    """A centre past E4M3's 448 shows the top of the range, and the page says so (both languages)."""
    at = apptest("grid", grid_center="1e40")
    assert not at.exception
    assert at.info[0].value == ("1e+40 is beyond the largest value of float8_e4m3fn (448), so the chart shows "
                                "the top of the range.")
    assert max(first_trace_x(charts(at)[2])) == 448
    zh = apptest("grid", lang="zh", grid_format="uint8", grid_center="-5")
    assert zh.info[0].value == t("grid.center_below", "zh", center="-5", name="uint8", limit="0")
    assert not apptest("grid", grid_center="400").info


def test_rescale_caption_names_the_chosen_formats(apptest):
    at = apptest("grid", grid_overlay=["int8", "int4", "nf4", "uint8"])
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert ("Each format is multiplied so that its largest value becomes 255 (as absmax quantization does): "
            "int8 × 255/127 next to uint8, for example.") in captions
    assert not any("448" in c for c in captions)


def test_empty_overlay_survives_a_reload(apptest):
    at = apptest("grid")
    at.multiselect(key="grid_overlay").set_value([]).run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert params.get("grid_no_overlay") in ("True", ["True"]) and not params.get("grid_overlay")
    again = apptest("grid", grid_no_overlay="True")  # the reloaded URL
    assert again.multiselect(key="grid_overlay").value == []
    assert again.info[0].value == t("grid.overlay_empty", "en") and len(charts(again)) == 3
    again.multiselect(key="grid_overlay").set_value(["int4"]).run()
    assert "grid_no_overlay" not in again.query_params
    both = apptest("grid", grid_no_overlay="True", grid_overlay=["nf4"])  # a list in the URL wins
    assert both.multiselect(key="grid_overlay").value == ["nf4"]
