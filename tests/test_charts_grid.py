"""lib/charts_grid.py and lib/bits_view.py: grid points, figures (size, hover, translated axes)."""

import math
from fractions import Fraction

import numpy as np
import pytest

from lib import bits_view as bv
from lib import charts_grid as cg
from lib.formats import FLOAT_FORMATS, float_format, get_format, list_formats
from lib.i18n import t
from lib.numparse import parse_number
from lib.numtext import exact_text

LIMIT = 100_000  # bytes of figure JSON



def drawn(fig, name: str) -> list[float]:
    """Every x drawn for a format: its main trace and its top value (hovered as "largest value")."""
    return sorted(float(v) for tr in fig.data if tr.name == name for v in tr.x)

def test_exact_points_for_fp8_are_every_finite_value():
    p = cg.grid_points(get_format("float8_e4m3fn"))
    assert not p.binned and p.total == 253  # 256 codes - 2 NaN - one duplicate zero
    assert p.values[0] == -448 and p.values[-1] == 448 and 0.1015625 in p.values
    assert p.steps[np.searchsorted(p.values, 1.0)] == 0.125  # eps of E4M3


def test_int_points_evenly_spaced():
    p = cg.grid_points(get_format("int4"))
    assert p.values.tolist() == list(range(-8, 8))
    assert np.all(p.steps[:-1] == 1) and math.isnan(p.steps[-1])


@pytest.mark.parametrize(("name", "count", "markers"), [
    ("float16", 2 * 31 * 1024 - 1, 2 * 31 + 1 + 2),  # 30 normal binades + subnormals, each side, + zero, + ±max
    ("bfloat16", 2 * 255 * 128 - 1, 2 * 255 + 1 + 2),
    ("float32", 2 * 255 * 2**23 - 1, 2 * 255 + 1 + 2),
    ("tf32", 2 * 255 * 1024 - 1, 2 * 255 + 1 + 2),
])
def test_wide_formats_are_drawn_by_binade(name, count, markers):
    fmt = get_format(name)
    p = cg.grid_points(fmt)
    assert p.binned and p.total == count and p.values.size == markers
    if fmt.bits <= 20:  # cross-check against the format's own list of values
        assert p.total == fmt.values().size


@pytest.mark.parametrize(("name", "top_binade"), [("float32", 2.0**127), ("bfloat16", 2.0**127), ("float16", 2.0**15)])
def test_binned_range_reaches_the_largest_value(name, top_binade):
    """The last binade starts at half the max: ±max is drawn too (count 0: the binade counts it)."""
    fmt = get_format(name)
    p = cg.grid_points(fmt)
    assert p.values[-1] == fmt.max and p.values[0] == -fmt.max and p.values[-2] == top_binade
    assert p.counts[-1] == p.counts[0] == 0 and math.isnan(p.steps[-1])
    assert cg.summary_rows(p)[-1]["start"] == top_binade  # the table lists binades only
    for log in (False, True):
        assert max(max(tr.x) for tr in cg.number_line([p], "en", log=log).data) == fmt.max
    assert min(min(tr.x) for tr in cg.number_line([p], "en").data) == -fmt.max
    ends = cg.number_line([p], "en").data[-1]
    assert list(ends.x) == [-fmt.max, fmt.max] and ends.showlegend is False
    assert ends.hovertext[1] == f"largest value {cg.shortest(fmt.max)}"
    assert cg.number_line([p], "zh").data[-1].hovertext[0] == f"最小（最负）值 {cg.shortest(-fmt.max)}"
    assert cg.shortest(get_format("float32").max) == "3.4028234663852886e+38"


def test_rescaled_float32_reaches_the_common_max():
    """Scaled to E5M2's 57344, float32's drawn range ends at 57344 too, not at half of it."""
    grids = [cg.grid_points(get_format(n), scale_to=57344) for n in ("float32", "float8_e5m2")]
    fig = cg.number_line(grids, "en")
    tops = {tr.name: max(tr.x) for tr in fig.data}
    assert tops["float32 × 1.685e-34"] == pytest.approx(57344) and tops["float8_e5m2"] == 57344


def test_float16_binade_of_one():
    p = cg.grid_points(get_format("float16"))
    i = int(np.searchsorted(p.values, 1.0))
    assert p.values[i] == 1.0 and p.counts[i] == 1024 and p.steps[i] == 2.0**-10
    rows = cg.summary_rows(p)
    assert rows[0] == {"start": 2.0**-24, "count": 1023, "step": 2.0**-24}
    assert rows[-1] == {"start": 32768.0, "count": 1024, "step": 32.0}


def test_scaling_to_common_max():
    p = cg.grid_points(get_format("int8"), scale_to=448)
    assert p.scale == pytest.approx(448 / 127)
    assert p.values[-1] == pytest.approx(448) and p.values[0] == pytest.approx(-128 * 448 / 127)
    assert "448" not in p.label and "int8" in p.label
    nf4 = cg.grid_points(get_format("nf4"), scale_to=6)
    assert nf4.values[-1] == pytest.approx(6) and nf4.values[0] == pytest.approx(-6)


def test_window_values_exact_and_binned():
    fp4 = cg.grid_points(get_format("float4_e2m1fn"))
    assert cg.window_values(fp4, 2.0, 6).tolist() == [0.5, 1.0, 1.5, 2.0, 3.0, 4.0]
    w = cg.window_values(cg.grid_points(get_format("float16")), 1.0, 8)
    # across the binade edge at 1: steps 2^-11 below, 2^-10 above
    assert w.tolist() == [1 - 4 * 2.0**-11, 1 - 3 * 2.0**-11, 1 - 2 * 2.0**-11, 1 - 2.0**-11,
                          1.0, 1 + 2.0**-10, 1 + 2 * 2.0**-10, 1 + 3 * 2.0**-10]
    assert np.all(get_format("float16").round(w) == w)  # every point is representable
    neg = cg.window_values(cg.grid_points(get_format("float32")), -3.3, 4)
    assert neg.size == 4 and np.all(get_format("float32").round(neg) == neg) and np.all(neg < 0)


@pytest.mark.parametrize("name", list_formats())
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_figure_is_small_with_hover(name, lang):
    p = cg.grid_points(get_format(name))
    figs = [cg.number_line([p], lang), cg.number_line([p], lang, log=True), cg.gap_chart([p], lang),
            cg.rounding_chart(cg.window_values(p, 1.0), get_format(name), name, lang)]
    for fig in figs:
        assert cg.figure_json_size(fig) <= LIMIT
        for tr in fig.data:  # hover on: a template with per-point data, or one text per point
            assert (tr.hovertemplate and len(tr.customdata) == len(tr.x)) or len(tr.hovertext) == len(tr.x)


def test_overlay_of_many_formats_stays_small():
    names = ("float32", "tf32", "bfloat16", "float16")  # the page allows cg.MAX_OVERLAY: the worst four
    assert cg.MAX_OVERLAY == len(names)
    grids = [cg.grid_points(get_format(n), scale_to=448) for n in names]
    fig = cg.number_line(grids, "en")
    # binades, the subnormals, zero, then ±max, per format
    assert len(fig.data) == 16 and cg.figure_json_size(fig) <= LIMIT
    assert cg.figure_json_size(cg.gap_chart(grids, "zh")) <= LIMIT
    assert cg.figure_json_size(cg.number_line(grids, "en", log=True)) <= LIMIT
    assert [tr.name for tr in fig.data if tr.showlegend is not False] == [g.label for g in grids]
    assert "float16" in grids[3].label


def test_axis_titles_are_translated():
    p = cg.grid_points(get_format("int8"))
    en, zh = cg.number_line([p], "en"), cg.number_line([p], "zh")
    assert en.layout.xaxis.title.text == t("grid.axis_value", "en") == "value x"
    assert zh.layout.xaxis.title.text == "数值 x"
    assert cg.gap_chart([p], "zh").layout.yaxis.title.text == t("grid.axis_gap", "zh")
    assert cg.number_line([p], "en", log=True).layout.xaxis.type == "log"


def test_log_line_drops_zero_and_mirrored_negatives():
    fig = cg.number_line([cg.grid_points(get_format("float4_e2m1fn"))], "en", log=True)
    assert drawn(fig, "float4_e2m1fn") == [0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 6.0]
    assert {tr.name for tr in fig.data} == {"float4_e2m1fn"}  # no trace of negative values
    assert fig.layout.xaxis.title.text == "|x| (log scale; the negative half mirrors it)"


def test_log_line_draws_negatives_that_are_no_mirror():
    """NF4's negative levels are not its positive ones negated: they get their own markers at |x|."""
    nf4 = cg.grid_points(get_format("nf4"))
    assert cg.negative_half(nf4) == "own"
    fig = cg.number_line([nf4], "en", log=True)
    pos, neg = fig.data[0], fig.data[1]
    assert neg.name == "nf4: negative values (|x|)" and set(neg.y) == {-0.25}
    assert [round(v, 4) for v in sorted(neg.x)] == [0.0911, 0.1848, 0.2844, 0.3949, 0.5251, 0.6962, 1.0]
    assert [round(v, 4) for v in drawn(fig, "nf4")] == [0.0796, 0.1609, 0.2461, 0.3379, 0.4407, 0.5626, 0.7230, 1.0]
    assert list(neg.customdata[:, 2]) == list(nf4.values[nf4.values < 0])  # the hover shows the real value
    title = fig.layout.xaxis.title.text
    assert "mirror" not in title and "▽" in title
    assert cg.number_line([nf4], "zh", log=True).layout.xaxis.title.text == "|x|（对数坐标；负值与正值不对称：▽ 标出负值的 |x|）"
    int8 = cg.number_line([cg.grid_points(get_format("int8"))], "en", log=True)
    assert max(int8.data[1].x) == 128 and max(drawn(int8, "int8")) == 127  # -128 has no positive twin


@pytest.mark.parametrize("name", ["uint8", "uint4", "float8_e8m0fnu"])
def test_log_line_without_negatives_says_nothing_about_them(name):
    p = cg.grid_points(get_format(name))
    assert cg.negative_half(p) == "none"
    fig = cg.number_line([p], "en", log=True)
    assert {tr.name for tr in fig.data} == {name} and fig.layout.xaxis.title.text == "value x (log scale)"
    assert cg.number_line([p], "zh", log=True).layout.xaxis.title.text == "数值 x（对数坐标）"


def test_log_title_of_a_mixed_overlay_names_each_kind():
    grids = [cg.grid_points(get_format(n)) for n in ("int8", "float8_e4m3fn", "uint8", "nf4")]
    fig = cg.number_line(grids, "en", log=True)
    assert fig.layout.xaxis.title.text == ("|x| (log scale; float8_e4m3fn: the negative half mirrors it; "
                                           "int8, nf4: negative values at |x| (▽); uint8: no negative values)")
    assert cg.number_line(grids, "zh", log=True).layout.xaxis.title.text == (
        "|x|（对数坐标；float8_e4m3fn：负半轴与之对称；int8、nf4：负值以 |x| 标出（▽）；uint8：没有负值）")
    assert list(dict.fromkeys(tr.name for tr in fig.data)) == [
        "int8", "int8: negative values (|x|)", "float8_e4m3fn", "uint8", "nf4", "nf4: negative values (|x|)"]


def test_gap_chart_doubles_per_binade():
    fig = cg.gap_chart([cg.grid_points(get_format("float8_e4m3fn"))], "en")
    x, y = np.array(fig.data[0].x), np.array(fig.data[0].y)
    assert y[x == 1.0][0] == 0.125 and y[x == 2.0][0] == 0.25 and y[x == 0.001953125][0] == 0.001953125


def test_rounding_chart_midpoints():
    fig = cg.rounding_chart(np.array([2.0, 3.0, 4.0]), get_format("float4_e2m1fn"), "fp4", "en")
    assert list(fig.data[1].x) == [2.5, 3.5]
    # ties go to the even codes: 2.5 -> 2 (code 4), 3.5 -> 4 (code 6)
    assert fig.data[1].hovertext[0] == "midpoint between 2<br>and 3<br>exactly 2.5<br>is stored as 2"
    assert fig.data[1].hovertext[1].endswith("exactly 3.5<br>is stored as 4")
    assert "strictly between 2.5<br>and 3.5 rounds here" in fig.data[0].hovertext[1]
    # a short title, the format's name below it (plotly never wraps: "Rounding boundaries of
    # float8_e4m3b11fnuz" ran past a 280 px chart)
    assert (fig.layout.title.text, fig.layout.title.subtitle.text) == ("Rounding boundaries", "fp4")


def test_rounding_chart_end_values_reach_the_midpoint_to_their_neighbours_outside_the_window():
    """The window's first and last values had bands that stopped at themselves: E4M3's 1.625 read
    (1.5625, 1.625), so 1.65 seemed not to round to it."""
    fmt = get_format("float8_e4m3fn")
    fig = cg.rounding_chart(np.array([0.625, 0.6875, 1.5, 1.625]), fmt, "fp8", "en")
    assert "strictly between 0.59375<br>and 0.65625" in fig.data[0].hovertext[0]
    assert "strictly between 1.5625<br>and 1.6875" in fig.data[0].hovertext[-1]
    bands = fig.layout.shapes
    assert (bands[0].x0, bands[0].x1, bands[-1].x0, bands[-1].x1) == (0.59375, 0.65625, 1.5625, 1.6875)
    assert float(fmt.round(1.65)) == 1.625 and float(fmt.round(0.6)) == 0.625  # what the bands now say
    top = cg.rounding_chart(np.array([126.0, 127.0]), get_format("int8"), "int8", "en").data[0].hovertext
    assert top[-1].startswith("stored value 127, the format's largest<br>every x above 126.5 rounds here")
    low = cg.rounding_chart(np.array([0.0, 1.0]), get_format("uint8"), "uint8", "zh").data[0].hovertext
    assert low[0].startswith("存储值 0，该格式的最小值<br>小于 0.5 的 x 都舍入到这里")
    # E5M2's lowest: an IEEE cast sends x below the range to -inf, as its highest's hover already said of +inf
    fmt = get_format("float8_e5m2")
    for lang in ("en", "zh"):
        ends = cg.rounding_chart(np.array([-57344.0, -49152.0]), fmt, "e5m2", lang).data[0].hovertext
        assert "−∞" in ends[0] and "NaN" in ends[0]
    assert fmt.explain(-70000.0, overflow="ieee").value == -np.inf


@pytest.mark.parametrize(("name", "values", "ties"), [
    ("float8_e8m0fnu", [1.0, 2.0, 4.0], [2.0, 4.0]),  # E8M0: a tie goes up (1.5 -> 2, 3 -> 4), as ml_dtypes
    ("int8", [-2.0, -1.0, 0.0, 1.0], [-2.0, 0.0, 0.0]),  # integers: the even value
    ("nf4", None, None),  # bitsandbytes: the lower level
])
def test_rounding_chart_ties_follow_the_format(name, values, ties):
    fmt = get_format(name)
    if values is None:
        values = np.asarray(fmt.values(), dtype=np.float64)[5:9]
        ties = values[:-1]
    fig = cg.rounding_chart(np.array(values), fmt, name, "zh")
    for text, want in zip(fig.data[1].hovertext, ties):
        assert text.endswith(f"存为 {cg.exact_text(want)}")


def test_shortest_is_exact_without_trailing_zeros():
    assert cg.shortest(-288.0) == "-288" and cg.shortest(0.0078125) == "0.0078125" and cg.shortest(200.0) == "200"
    assert cg.shortest(0.1015625) == "0.1015625"  # %.6g would round it to 0.101562
    assert cg.shortest(2.0**-24) == "5.960464477539063e-08" and cg.shortest(1e40) == "1e+40"
    assert cg.digits([448.0, 0.1015625]) == 7 and cg.digits([1 / 3]) == 16
    for v in cg.grid_points(get_format("nf4")).values:
        assert float(cg.shortest(v)) == v


def test_hover_numbers_are_exact():
    """Hover templates print the stored numbers unformatted (the browser writes the shortest exact
    decimal): no %.6g that would round 0.99951171875 or pad 288 to 288.000."""
    p = cg.grid_points(get_format("float8_e4m3fn"))
    line = cg.number_line([p], "en").data[0]
    assert line.hovertemplate.startswith("value %{customdata[2]}<br>next value is %{customdata[1]} above")
    assert ":.6g" not in line.hovertemplate and list(line.customdata[:, 2]) == list(line.x)
    gap = cg.gap_chart([p], "en").data[0]  # subnormal gaps relative to 3, 5, ...: rounded, and it says so
    assert gap.hovertemplate.startswith(
        "value %{customdata[0]}<br>gap %{customdata[1]} (relative ≈ %{customdata[2]:.3~g})")
    e8m0 = cg.gap_chart([cg.grid_points(get_format("float8_e8m0fnu"))], "en").data[0]
    assert "(relative %{customdata[2]:.1~g})" in e8m0.hovertemplate  # every relative gap is exactly 1
    window = cg.window_values(cg.grid_points(get_format("float16")), 1.0, 4)
    fig = cg.rounding_chart(window, get_format("float16"), "float16", "en")
    assert fig.data[0].hovertext[0].startswith("stored value 0.9990234375<br>")
    assert fig.data[1].hovertext[0].startswith("midpoint between 0.9990234375<br>and 0.99951171875<br>"
                                               "exactly 0.999267578125<br>")  # %.6g: 0.999268



def test_exact_text_reads_back_exactly():
    """Every digit while they are at most 40, else m × 2^k: both parse (Bits page) to the float itself."""
    assert exact_text(1.0000001788139343) == "1.000000178813934326171875"  # shortest: 1.0000001788139343
    assert exact_text(2.0**-24) == "5.9604644775390625e-8" and exact_text(-2.0**-149) == "-1 × 2^-149"
    assert exact_text(2.0**-40 * 1.0009765625) == "9.1038288019262836314737796783447265625e-13"  # 38 digits
    assert exact_text(0.0001220703125) == "0.0001220703125"  # plain from 1e-4 up, as repr writes
    assert [exact_text(v) for v in (448.0, -0.0, math.inf, 1e22)] == ["448", "-0", "inf", "1" + "0" * 22]
    rng = np.random.default_rng(3)
    for v in [*(rng.standard_normal(300) * 10.0 ** rng.integers(-45, 39, 300)).astype(np.float32).tolist(),
              3.4028234663852886e38, 2.0**-1074, 0.1]:
        text = exact_text(v)
        assert parse_number(text).exact == Fraction(v) and len(text) <= 48, (v, text)


def test_float32_midpoint_above_one_is_written_exactly():
    """/grid?grid_format=float32&grid_center=1 said "exactly 1.0000001788139343 is stored as
    1.000000238418579": float64's shortest texts, not the midpoint 1 + 1.5·2^-23 nor its stored value."""
    fmt = get_format("float32")
    fig = cg.rounding_chart(cg.window_values(cg.grid_points(fmt), 1.0), fmt, "float32", "en")
    mids = " ".join(fig.data[1].hovertext)
    assert "exactly 1.000000178813934326171875<br>is stored as 1.0000002384185791015625" in mids
    assert "1.0000001788139343<" not in mids and "1.000000238418579<" not in mids.replace(" ", "<") + "<"
    assert "stored value 1.00000011920928955078125<br>" in " ".join(fig.data[0].hovertext)  # was 1.0000001192092896


#: windows of the rounding chart: ordinary, tiny (float32 subnormal midpoints of ~105 digits), huge, ends
ROUNDING_WINDOWS = [(name, c) for name in ("float32", "tf32", "bfloat16", "float16", "float8_e4m3fn",
                                           "float8_e8m0fnu", "nf4", "int8")
                    for c in (1.0, 3.0, 1e-7, 1e-39, 1e-45, 100.0, 65504.0, 3e38, -1.0)]


@pytest.mark.parametrize(("name", "center"), ROUNDING_WINDOWS)
def test_rounding_hover_numbers_are_exact_and_typed_on_bits_round_as_said(name, center):
    """float32 around 1 said "exactly 1.0000001788139343 is stored as 1.000000238418579": that text is
    not the midpoint 1.000000178813934326171875, and typed on the Bits page it is stored as 1.00000011920928955078125.
    Now every number read back is the exact midpoint, edge or value, the midpoint's text rounds as the
    hover says, and no hover line is too long for a half-width chart (one long number a line)."""
    fmt = get_format(name)
    values = cg.window_values(cg.grid_points(fmt), center)
    fig = cg.rounding_chart(values, fmt, name, "en")
    for mid, text in zip(fig.data[1].x, fig.data[1].hovertext):
        lo, hi, said, to = (parse_number(x).exact for x in text.removeprefix("midpoint between ").replace(
            "<br>and ", "\n").replace("<br>exactly ", "\n").replace("<br>is stored as ", "\n").split("\n"))
        assert said == (lo + hi) / 2 == Fraction(mid), text
        typed = parse_number(exact_text(mid))
        assert Fraction(float(fmt.decode(fmt.explain(typed.value, exact=typed.exact).code))) == to, text
    for v, band, text in zip(fig.data[0].x, fig.layout.shapes, fig.data[0].hovertext):
        assert text.startswith(f"stored value {exact_text(v)}")
        assert parse_number(exact_text(v)).exact == Fraction(v)
        edges = [band.x0] if "largest" in text else [band.x1] if "lowest" in text else [band.x0, band.x1]
        assert all(f" {exact_text(edge)}" in text for edge in edges), text  # a format's end: one edge
    lines = [line for tr in fig.data for text in tr.hovertext for line in text.split("<br>")]
    assert max(len(line) for line in lines if "(then:" not in line) <= 75  # E8M0: 2^127 has 39 digits


def test_scaled_overlay_is_correctly_rounded():
    """int8 × 448/127 drew -123 at -433.8897637795275 (-123 × float64(448/127), rounded twice); the
    nearest float64 to -123·448/127 is -433.8897637795276. 60 of the 256 points were one step off."""
    p = cg.grid_points(get_format("int8"), scale_to=448.0)
    assert p.values[5] == -433.8897637795276 and p.label == "int8 × 3.528"
    for v, step, own in zip(p.values, p.steps, get_format("int8").values()):
        assert v == float(Fraction(int(own)) * 448 / 127)
        assert np.isnan(step) or step == float(Fraction(448, 127))
    for name in ("float4_e2m1fn", "nf4", "float16", "uint4"):  # scaled to 448, 1 and float32's max
        for top in (448.0, 1.0, 3.4028234663852886e38):
            fmt = get_format(name)
            own = cg.grid_points(fmt)
            p = cg.grid_points(fmt, scale_to=top)
            want = [float(Fraction(v) * Fraction(top) / Fraction(fmt.max)) for v in own.values]
            assert p.values.tolist() == want, (name, top)


def test_rescale_note_follows_the_chosen_formats():
    fmts = [get_format(n) for n in ("int8", "int4", "nf4", "uint8")]
    assert cg.rescale_note(fmts, "en") == ("Each format is multiplied so that its largest value becomes 255 (as "
                                           "absmax quantization does): int8 × 255/127 next to uint8, for example.")
    assert "int8 × 255/127 与 uint8 对比" in cg.rescale_note(fmts, "zh")
    assert "448" not in cg.rescale_note(fmts, "en") and "E4M3" not in cg.rescale_note(fmts, "en")
    same = [get_format(n) for n in ("nf4", "bnb_fp4")]  # both have the largest value 1
    assert cg.rescale_note(same, "en") == "Every chosen format already has the largest value 1, so nothing is scaled."


@pytest.mark.parametrize(("name", "center", "side"), [
    ("float8_e4m3fn", 1e40, "above"), ("float8_e4m3fn", -1e40, "below"), ("float8_e4m3fn", 448.0, None),
    ("uint8", -3.0, "below"), ("float8_e8m0fnu", 0.0, "below"), ("float32", 1e38, None),
])
def test_center_beyond_the_range(name, center, side):
    assert cg.center_beyond(get_format(name), center) == side


# --- lib/bits_view.py -------------------------------------------------------------------------
def test_fp8_point_one():
    fmt = get_format("float8_e4m3fn")
    e = fmt.explain(0.1)
    assert e.code == 0x1D and e.value == 0.1015625
    cells = bv.bit_cells(e, fmt.kind, fmt.bits)
    assert [c.role for c in cells] == ["sign"] + ["exponent"] * 4 + ["mantissa"] * 3
    assert "".join(c.bit for c in cells) == "00011101" and cells[0].position == 7
    assert bv.grouped_bits(e) == "0 0011 101"
    assert bv.flip(e.code, 7) == 0x9D and fmt.decode(0x9D) == -0.1015625
    assert bv.fraction_text(e.value) == "13/128" and bv.dyadic_text(e.value) == "13 × 2^-7"
    assert bv.exact_errors(Fraction(1, 10), e.value) == (Fraction(1, 640), Fraction(1, 64))
    css = bv.cells_css(cells)
    assert ".st-key-bits_bit_7 button" in css and "#D55E00" in css and "#0072B2" in css


def test_int_and_table_cells():
    i8 = get_format("int8")
    e = i8.explain(-45)
    assert [c.role for c in bv.bit_cells(e, "int", 8)] == ["sign"] + ["integer"] * 7
    nf4 = get_format("nf4")
    assert {c.role for c in bv.bit_cells(nf4.explain(0.5), "table", 4)} == {"index"}


def test_exact_decimal_and_texts():
    assert bv.exact_decimal(0.1) == "0.1000000000000000055511151231257827021181583404541015625"
    assert bv.exact_decimal(-0.0) == "-0" and bv.exact_decimal(float("nan")) == "NaN"
    assert bv.dyadic_text(448.0) == "7 × 2^6" and bv.dyadic_text(3.0) == "3"
    assert bv.fraction_text(448.0) == "" and bv.ulp(448.0, 416.0, math.nan) == 32.0


def test_format_card_fp8_e4m3fn():
    card = {r["property"]: r["value"] for r in bv.format_card(get_format("float8_e4m3fn"), "en")}
    assert card["largest finite value"] == "448" and card["exponent bias"] == "7"
    assert card["+inf code"] == "none" and card["NaN code (how many codes)"] == "0x7F (2)"
    assert card["-0 code"] == "0x80" and card["distinct finite values"] == "253"
    assert card["smallest subnormal"] == "0.001953125 = 2^-9"
    f16 = {r["property"]: r["value"] for r in bv.format_card(get_format("float16"), "en")}
    assert f16["+inf code"] == "0x7C00" and f16["distinct finite values"] == "63,487"
    zh = bv.format_card(get_format("float8_e4m3fnuz"), "zh")
    assert {"属性": "-0 编码", "值": "无"} in zh
    e8m0 = {r["property"]: r["value"] for r in bv.format_card(get_format("float8_e8m0fnu"), "en")}
    assert e8m0["smallest subnormal"] == "none"  # no mantissa bit, so no subnormals
    assert e8m0["smallest power of two"] == "2^-127 ≈ 5.87747175e-39" and e8m0["lowest value"].endswith("e-39")
    assert "smallest normal" not in e8m0  # no code of E8M0 is a normal number: each is a power of two
    assert e8m0["NaN code (how many codes)"] == "0xFF (1)" and e8m0["eps (gap after 1)"] == "1 = 2^0"
    # above 16 bits the NaN count comes from the layout: 2 x (2^23 - 1) for float32
    f32 = {r["property"]: r["value"] for r in bv.format_card(get_format("float32"), "en")}
    assert f32["NaN code (how many codes)"] == "0x7FC00000 (16,777,214)"
    assert f32["eps (gap after 1)"] == "2^-23 ≈ 1.1920929e-07"
    tf32 = {r["property"]: r["value"] for r in bv.format_card(get_format("tf32"), "en")}
    assert tf32["NaN code (how many codes)"].endswith("(2,046)")
    assert tf32["bits"] == "19 used, stored in 32 (a math mode, not a storage format)" and f16["bits"] == "16"
    assert card["most negative value"] == "-448"  # not "smallest value", beside the smallest normal 2^-6
    # E1 formats have bias 0: 1 is a subnormal (E1M2: 0, 0.5, 1, 1.5, ...), or not a value at all
    e1m2 = {r["property"]: r["value"] for r in bv.format_card(float_format(1, 2, specials="fn"), "en")}
    assert e1m2["eps (gap after 1)"] == "0.5 = 2^-1"
    e1m0 = {r["属性"]: r["值"] for r in bv.format_card(float_format(1, 0, specials="none"), "zh")}
    assert e1m0["eps（1 之后的间隔）"] == "无（此格式中没有 1 或 1 之后的值）"


def test_nan_count_matches_every_code_decoded() -> None:
    small = [f for f in FLOAT_FORMATS if f.bits <= 16]
    small += [float_format(e, m, specials=s) for e, m, s in ((1, 2, "fn"), (5, 0, "fn"), (3, 2, "fnuz"),
                                                             (4, 3, "none"), (2, 1, "ieee"))]
    for fmt in small:
        assert fmt.nan_count == int(np.isnan(fmt.decode(np.arange(1 << fmt.bits))).sum()), fmt.name
    assert get_format("float32").nan_count == 16_777_214 and get_format("tf32").nan_count == 2_046


def test_all_formats_rows():
    names = list_formats()
    rows = bv.all_formats_rows(0.1, Fraction(1, 10), [get_format(n) for n in names], "saturate",
                               "nearest_even", "en")
    by = {r["format"]: r for r in rows}
    assert len(rows) == len(names)
    assert by["float8_e4m3fn"]["stored value"] == "0.1015625" and by["float8_e4m3fn"]["code = bits"] == "0x1D = 0 0011 101"
    assert by["float8_e4m3fn"]["abs. error"] == "0.001563" and by["int8"]["stored value"] == "0"
    assert by["float32"]["code = bits"] == "0x3DCCCCCD = 0 01111011 10011001100110011001101"
    big = {r["format"]: r for r in bv.all_formats_rows(1000.0, Fraction(1000), [get_format("float8_e4m3fn")],
                                                        "ieee", "nearest_even", "en")}
    assert big["float8_e4m3fn"]["class"] == "NaN"  # ml_dtypes' cast: above 464 -> NaN


def test_general_latex_per_kind():
    e4 = get_format("float8_e4m3fn")
    assert bv.general_latex(e4, "normal") == r"x = (-1)^{s} \times 2^{e-7} \times \left(1 + \frac{m}{2^{3}}\right)"
    assert bv.general_latex(e4, "subnormal") == r"x = (-1)^{s} \times 2^{1-7} \times \left(0 + \frac{m}{2^{3}}\right)"
    assert bv.general_latex(get_format("float8_e8m0fnu"), "normal") == "x = 2^{e-127}"  # unsigned, no mantissa
    assert bv.general_latex(get_format("int8"), "normal").startswith("x = -b_{7} \\cdot 2^{7} + ")
    assert bv.general_latex(get_format("nf4"), "normal") == r"x = \mathrm{nf4}[\text{code}]"
    assert bv.general_latex(get_format("nf4"), "normal", "zh") == r"x = \mathrm{nf4}[\text{编码}]"
    e3m0 = float_format(3, 0, specials="none")  # no mantissa: code 0 is zero, not 2^(0-3) = 0.125
    assert bv.general_latex(e3m0, "zero") == r"x = (-1)^{s} \times 0 \quad (e = 0)"
    assert bv.general_latex(e3m0, "normal") == "x = (-1)^{s} \\times 2^{e-3}"


def test_small_text_helpers():
    from lib.numparse import parse_number

    assert bv.typed_text(parse_number("0.1")) == "= `1/10`"
    assert bv.typed_text(parse_number("1/3")) == ""  # already exact as typed
    assert bv.typed_text(parse_number("pi")) == "≈ `3.141592653589793`"
    assert bv.typed_text(parse_number("1e-45")) == ""  # exact as typed, not "≈ 1e-45"
    assert bv.typed_text(parse_number("-nan")) == "" and bv.typed_text(parse_number("NaN")) == ""  # no "nan = nan"
    assert bv.typed_text(parse_number("-inf")) == "" and bv.typed_text(parse_number("∞")) == "= `inf`"
    assert bv.typed_text(parse_number("-0.0")) == "= `-0`" and bv.typed_text(parse_number("-0")) == ""
    assert bv.metric_text(0.1015625) == "0.1015625" and bv.metric_text(3.1415927410125732) == "3.141592741"
    assert bv.roles_used(bv.bit_cells(get_format("float16").explain(1.0), "float", 16)) == [
        "sign", "exponent", "mantissa"]
    legend = bv.legend_html({"sign": "符号", "exponent": "<b>"})
    assert "#D55E00" in legend and "符号" in legend and "&lt;b&gt;" in legend  # labels are escaped


def test_shown_errors():
    fmt = get_format("float8_e4m3fn")
    e = fmt.explain(0.1)
    assert bv.shown_errors(Fraction(1, 10), True, e) == (Fraction(1, 640), Fraction(1, 64))
    assert bv.shown_errors(Fraction(e.value), False, e) == (None, None)  # a code: no number was rounded to it
    assert bv.error_help(None, False, "zh").startswith("编码本身就是它的值")
    nan = fmt.explain(float("nan"))
    assert bv.shown_errors(None, True, nan) == (None, None)
    inf = get_format("float16").explain(float("inf"), overflow="ieee")
    assert bv.shown_errors(None, True, inf) == (0.0, 0.0)


def test_walk_rows_text():
    from lib.binary_walk import walk

    w = walk(Fraction(1, 10))
    rows = bv.walk_rows(w.fraction_steps, "en", integer=False)
    assert rows[0] == {"step": "0.1 × 2", "result": "0.2", "bit": "0"}
    assert rows[3] == {"step": "0.8 × 2", "result": "1.6", "bit": "1"}
    assert bv.repeat_text(w.fraction_steps, w.repeat_start) == "0.2"
    ints = bv.walk_rows(walk(Fraction(13)).integer_steps, "zh", integer=True)
    assert ints[0] == {"步骤": "13 ÷ 2", "结果": "6 余 1", "位": "1"}
    assert bv.walk_rows(walk(Fraction(1, 3)).fraction_steps, "en", integer=False)[0]["step"] == "1/3 × 2"


@pytest.mark.parametrize("log", [False, True])
@pytest.mark.parametrize("name", ["float8_e4m3fn", "int8", "nf4", "float4_e2m1fn", "uint4", "float16", "float32"])
def test_no_hover_says_the_next_value_is_nan(name, log):
    """The top value has nothing above it: it is hovered as "largest value", not "next value is NaN above"."""
    fmt = get_format(name)
    fig = cg.number_line([cg.grid_points(fmt)], "en", log=log)
    for tr in fig.data:
        if tr.customdata is not None:
            assert not np.isnan(np.asarray(tr.customdata, dtype=float)[:, 1]).any(), tr.name
    tops = [text for tr in fig.data if tr.hovertext is not None for text in tr.hovertext]
    assert f"largest value {cg.shortest(fmt.max)}" in tops
    assert drawn(fig, name)[-1] == fmt.max


@pytest.mark.parametrize("name, count, smallest", [("float16", 1023, 2.0**-24), ("bfloat16", 127, 2.0**-133),
                                                   ("float32", 2**23 - 1, 2.0**-149)])
def test_the_subnormals_are_one_point_hovered_as_subnormals(name: str, count: int, smallest: float) -> None:
    """A binned grid's first point above 0 holds every subnormal (float16: 1,023 values over ten
    binades); it is hovered as "subnormals", in both languages, never as one binade."""
    points = cg.grid_points(get_format(name))
    for lang, word in (("en", "subnormals from"), ("zh", "开始的次正规数")):
        sub = [tr for tr in cg.number_line([points], lang).data if word in (tr.hovertemplate or "")]
        assert len(sub) == 1 and list(sub[0].x) == [-smallest, smallest] and sub[0].showlegend is False
        assert sub[0].customdata[1].tolist() == [count, smallest, smallest]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_titles_sit_below_the_toolbar_band(lang):
    """Plotly's toolbar (26 px tall at the top right) covered the titles on a 390 px phone ("Every
    representab[toolbar]"): each title starts MODEBAR_BAND px down, the figure is that much taller."""
    assert cg.MODEBAR_BAND == 36
    fp8, fp16 = cg.grid_points(get_format("float8_e4m3fn")), cg.grid_points(get_format("float16"))
    figs = [  # figure, and its height and top margin without the band
        (cg.number_line([fp8], lang), 220, 80), (cg.number_line([fp8, fp16], lang, log=True), 280, 80),
        (cg.gap_chart([fp8], lang), 380, 80),
        (cg.rounding_chart(cg.window_values(fp8, 1.0), get_format("float8_e4m3fn"), "fp8", lang), 324, 104)]
    for fig, height, top in figs:
        title = fig.layout.title
        assert (title.y, title.yref, title.yanchor, title.pad.t) == (1, "container", "top", 36)
        assert (fig.layout.height, fig.layout.margin.t) == (height + 36, top + 36)


def test_gap_chart_of_a_format_with_one_positive_value_says_why_it_is_empty():
    fig = cg.gap_chart([cg.grid_points(get_format("int2"))], "en")  # -2, -1, 0, 1: no gap between positives
    assert not len(fig.data[0].x)
    assert fig.layout.annotations[0].text == "int2: fewer than two positive values, so no gap to draw"
    assert not cg.gap_chart([cg.grid_points(get_format("int4"))], "zh").layout.annotations


def test_prose_numbers_stay_short():
    """float32 overlaid on E8M0 read "becomes 3.4028234663852886e+38 ... × 3.4028234663852886e+38/1.7014118346046923e+38"."""
    note = cg.rescale_note([get_format("float32"), get_format("float8_e8m0fnu")], "en")
    assert "becomes ≈3.403e+38" in note and "float8_e8m0fnu × ≈2 next to float32" in note
    assert "e+38/" not in note
    assert "uint2 × 7/3 next to int4" in cg.rescale_note([get_format("uint2"), get_format("int4")], "en")
    assert "uint2 × ≈5.671e+37 next to" in cg.rescale_note([get_format("uint2"), get_format("float8_e8m0fnu")], "en")
    assert cg.compact(448.0) == "448" and cg.compact(2.0**127) == "≈1.701e+38"
