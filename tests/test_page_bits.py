"""Bits page (位级布局) in AppTest, by widget key: typing, flipping bits, formats, language, bad input."""

import pytest

from lib import bits_view as bv
from lib.formats import get_format
from lib.i18n import t
from lib.numparse import parse_number


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def stored(at, lang="en") -> str:
    return metrics(at)[t("bits.stored", lang)]


def errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_default_is_point_one_in_e4m3(apptest):
    at = apptest("bits")
    assert not at.exception and not errors(at)
    m = metrics(at)
    assert m["Stored value"] == "0.1015625" and m["Absolute error"] == "0.0015625"
    assert m["Relative error"] == "0.015625" and m["Class"] == "normal"
    assert m["Neighbour below"] == "0.09375" and m["Neighbour above"] == "0.109375"
    assert [at.button(key=f"bits_bit_{i}").label for i in range(7, -1, -1)] == list("00011101")
    assert any("0x1D" in md.value for md in at.markdown)


@pytest.mark.parametrize(("text", "value", "cls"), [
    ("448", "448", "normal"), ("500", "448", "normal"), ("-2.5e-3", "-0.001953125", "subnormal"),
    ("1/3", "0.34375", "normal"), ("2^-10", "0", "zero"),  # a tie halfway to 2^-9: to even ("inf", "448", "normal"),
    ("nan", "NaN", "NaN"), ("0", "0", "zero"), ("pi", "3.25", "normal"),
])
def test_typing_a_number_changes_the_stored_value(apptest, text, value, cls):
    at = apptest("bits")
    at.text_input(key="bits_number").set_value(text).run()
    assert not at.exception and not errors(at)
    assert stored(at) == value and metrics(at)["Class"] == cls


def test_overflow_ieee_gives_nan_above_464(apptest):
    at = apptest("bits", bits_number="1000")
    assert stored(at) == "448"
    at.radio(key="bits_overflow").set_value("ieee").run()
    assert stored(at) == "NaN" and metrics(at)["Class"] == "NaN"


def test_rounding_mode_changes_the_result(apptest):
    at = apptest("bits", bits_number="0.1")
    at.selectbox(key="bits_rounding").set_value("toward_zero").run()
    assert stored(at) == "0.09375"


def test_flip_a_bit(apptest):
    at = apptest("bits")
    at.button(key="bits_bit_7").click().run()  # sign bit of 0x1D
    assert not at.exception
    assert stored(at) == "-0.1015625"
    assert at.radio(key="bits_mode").value == "code" and at.text_input(key="bits_code").value == "0x9D"
    at.button(key="bits_bit_6").click().run()  # top exponent bit: 0x9D -> 0xDD
    assert stored(at) == "-26" and at.text_input(key="bits_code").value == "0xDD"
    assert at.query_params["bits_code"] in ("0xDD", ["0xDD"])


def test_switching_the_input_mode_keeps_the_number(apptest):
    """Number -> Code showed the default 0x1D (1.7e-06 in float16) instead of 1's code; a flipped
    code -> Number went back to the typed 1, losing the flip."""
    at = apptest("bits", bits_format="float16", bits_number="1")
    at.radio(key="bits_mode").set_value("code").run()
    assert not at.exception and not errors(at)
    assert at.text_input(key="bits_code").value == "0x3C00" and stored(at) == "1"
    assert "bits_number" not in at.query_params and at.query_params["bits_code"] in ("0x3C00", ["0x3C00"])
    at.button(key="bits_bit_15").click().run()  # the sign bit: -1
    at.radio(key="bits_mode").set_value("decimal").run()
    assert at.text_input(key="bits_number").value == "-1" and stored(at) == "-1"
    assert "bits_code" not in at.query_params  # the link holds what is shown, not a stale code


def test_a_repeated_or_capitalised_link_parameter_is_cleaned_up(apptest):
    at = apptest("bits", bits_format=["float16", "int8"], lang="ZH")
    assert at.selectbox(key="bits_format").value == "int8"
    at.run()  # the URL is written from the second run on (ui._one_history_entry_per_page)
    assert at.query_params["bits_format"] in ("int8", ["int8"])  # the one shown, once
    assert at.query_params["lang"] in ("zh", ["zh"]) and stored(at, "zh") == "0"


def test_code_mode_hex_and_binary(apptest):
    at = apptest("bits", bits_mode="code", bits_code="0x7E")
    assert stored(at) == "448"
    at.text_input(key="bits_code").set_value("0b0_0111_000").run()
    assert stored(at) == "1" and metrics(at)["Absolute error"] == "—"  # a code has no rounding error (was "0")


def test_switch_format(apptest):
    at = apptest("bits")
    at.selectbox(key="bits_format").set_value("float16").run()
    assert stored(at) == "0.09997558594"  # 10 significant digits; exact value on the line below
    assert any("0.0999755859375" in md.value for md in at.markdown)
    assert len([b for b in at.button if b.key and b.key.startswith("bits_bit_")]) == 16
    at.selectbox(key="bits_format").set_value("int8").run()
    assert stored(at) == "0" and metrics(at)["Class"] == "zero"
    at.selectbox(key="bits_format").set_value("float32").run()
    assert stored(at) == "0.1000000015"
    assert not at.exception


def test_custom_format(apptest):
    at = apptest("bits", bits_format="custom", bits_exp="5", bits_man="2", bits_specials="ieee")
    assert not at.exception and not errors(at)
    assert stored(at) == "0.09375"  # E5M2 like float8_e5m2
    at.number_input(key="bits_man").set_value(10).run()
    assert stored(at) == "0.09997558594"  # E5M10 = float16


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_custom_special_values_box_shows_short_names_and_the_rule_below(apptest, lang):
    """The box is a third of a column: "fn: NaN o…" / "f" at 1024 px. It now lists the short
    names and the chosen rule is written out under it."""
    at = apptest("bits", lang=lang, bits_format="custom", bits_exp="4", bits_man="3", bits_specials="fnuz")
    assert not at.exception and not errors(at)
    assert at.selectbox(key="bits_specials").options == ["ieee", "fn", "fnuz", "none"]
    assert any(c.value == t("bits.specials_fnuz", lang) for c in at.caption)


def test_chinese_labels(apptest):
    at = apptest("bits", lang="zh")
    assert not at.exception
    assert at.title[0].value == t("bits.title", "zh")
    assert stored(at, "zh") == "0.1015625" and metrics(at)["类别"] == "正规数"
    assert at.text_input(key="bits_number").label == "数字"
    text = " ".join(md.value for md in at.markdown)  # full-width colons after Chinese labels
    assert f"**{t('bits.code_label', 'zh')}：**`0x1D`" in text and f"{t('bits.exact_decimal', 'zh')}：`" in text
    assert f"{t('bits.code_label', 'zh')}:" not in text and "： " not in text  # the full-width colon has its own space
    en = " ".join(md.value for md in apptest("bits").markdown)
    assert "**Code:** `0x1D`" in en and "Exactly: `0.1015625`" in en


def test_language_switch_by_widget(apptest):
    at = apptest("bits")
    at.radio(key="ui_lang").set_value("zh").run()
    assert at.title[0].value == t("bits.title", "zh") and "存储值" in metrics(at)


@pytest.mark.parametrize(("query", "key"), [
    ({"bits_number": "abc"}, "bits.parse.not_a_number"),
    ({"bits_number": "1e999"}, "bits.parse.too_large"),
    ({"bits_mode": "code", "bits_code": "0x3C00"}, "bits.parse.code_too_long"),
])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_bad_input_gives_specific_message(apptest, query, key, lang):
    at = apptest("bits", lang=lang, **query)
    assert not at.exception
    text = query.get("bits_number") or query.get("bits_code")
    params = {"text": text}
    if key == "bits.parse.code_too_long":
        params.update(bits=8, needed=14, hex_digits=2, max_code="0xFF")
    assert errors(at) == [t(key, lang, **params)]
    assert not at.metric  # nothing computed from bad input


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("text", "key", "extra"), [
    ("0x7F", "bits.parse.looks_like_code", {}), ("1,5", "bits.parse.decimal_comma", {"dot": "1.5"}),
])
def test_code_or_decimal_comma_in_the_number_box(apptest, text, key, extra, lang):
    at = apptest("bits", lang=lang, bits_number=text)
    assert not at.exception and errors(at) == [t(key, lang, text=text, **extra)] and not at.metric


def test_empty_box(apptest):
    at = apptest("bits")
    at.text_input(key="bits_number").set_value("").run()
    assert not at.exception and errors(at) == [t("bits.parse.empty", "en")]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_empty_code_box_asks_for_a_code(apptest, lang):
    at = apptest("bits", lang=lang, bits_mode="code", bits_code="")
    assert not at.exception and errors(at) == [t("bits.parse.code_empty", lang)]
    assert "0x3C" in errors(at)[0] and not at.metric


def test_custom_zero_exponent_bits(apptest):
    at = apptest("bits", bits_format="custom")
    at.number_input(key="bits_exp").set_value(0).run()
    assert not at.exception
    assert len(errors(at)) == 1 and "at least 1 exponent bit" in errors(at)[0]


def test_all_formats_table_and_card(apptest):
    at = apptest("bits")
    frames = [df.value for df in at.table]  # static tables: long values wrap instead of being cut
    table = next(f for f in frames if "format" in f.columns)
    row = table[table["format"] == "float8_e4m3fn"].iloc[0]
    assert row["stored value"] == "0.1015625" and row["code = bits"] == "0x1D = 0 0011 101"
    assert len(table) == 23
    card = next(f for f in frames if "property" in f.columns)
    assert dict(zip(card["property"], card["value"]))["largest finite value"] == "448"


def test_walk_through_of_thirteen(apptest):
    at = apptest("bits", bits_number="13")
    assert any("`1101`" in md.value and "1.101 × 2^3" in md.value for md in at.markdown)
    steps = next(df.value for df in at.dataframe if "step" in df.value.columns)
    assert steps["bit"].tolist() == ["1", "0", "1", "1"]


def test_walk_through_of_point_one_repeats(apptest):
    at = apptest("bits", bits_number="0.1")
    assert any("0.0(0011)" in md.value for md in at.markdown)
    assert any("0.2" in c.value and "repeat" in c.value for c in at.caption)


def test_url_round_trip(apptest):
    at = apptest("bits", bits_format="float16", bits_number="1/3", bits_rounding="toward_zero")
    assert at.selectbox(key="bits_format").value == "float16"
    assert stored(at) == "0.3332519531"
    assert any("0.333251953125" in md.value for md in at.markdown)
    at.selectbox(key="bits_format").set_value("bfloat16").run()
    assert at.query_params["bits_format"] in ("bfloat16", ["bfloat16"])


def test_walk_links_to_the_stored_mantissa(apptest):
    at = apptest("bits", bits_number="1/3")
    text = " ".join(md.value for md in at.markdown)
    assert "0.(01)" in text and "1.010101010101… × 2^-2" in text
    assert "keeps 3 mantissa bits, so it stores `1.011 × 2^-2`" in text  # 0.34375 = 11/32


@pytest.mark.parametrize(("fmt", "code", "box"), [
    ("float16", "0x0001", "5.9604644775390625e-8"),  # was 5.960464477539063e-08: error 5e-24
    ("float32", "0x3DCCCCCD", "0.100000001490116119384765625"),  # was 0.10000000149011612: error 6.15e-19
    ("bfloat16", "0x0001", "1 × 2^-133"),  # 2^-133 has 93 digits
    ("float8_e4m3fn", "0xFE", "-448"),  # was -448.0
])
def test_a_code_switched_to_number_mode_is_its_exact_value(apptest, fmt, code, box):
    """Code -> Number wrote the stored value's float64 shortest text, which the page (reading decimals
    exactly) then showed as a nonzero rounding error of an exactly stored value."""
    at = apptest("bits", bits_format=fmt, bits_mode="code", bits_code=code)
    before = stored(at)
    at.radio(key="bits_mode").set_value("decimal").run()
    assert not at.exception and not errors(at)
    assert at.text_input(key="bits_number").value == box and stored(at) == before
    assert at.query_params["bits_number"] in (box, [box])  # a shared link carries it
    m = metrics(at)
    assert (m["Absolute error"], m["Relative error"]) == ("0", "0")


def test_switching_format_in_code_mode_carries_the_value(apptest):
    at = apptest("bits", bits_mode="code", bits_code="0x7E")  # 448 in E4M3
    at.selectbox(key="bits_format").set_value("float16").run()
    assert not at.exception and not errors(at)
    assert at.radio(key="bits_mode").value == "decimal" and at.text_input(key="bits_number").value == "448"
    assert stored(at) == "448"
    at.button(key="bits_bit_15").click().run()
    assert stored(at) == "-448" and at.text_input(key="bits_code").value == "0xDF00"


@pytest.mark.parametrize(("fmt", "code", "sign"), [
    ("float32", "0x80000000", "1"), ("float8_e4m3fn", "0x80", "1"), ("float16", "0x8000", "1"),
    ("float8_e4m3fnuz", "0x00", "0"), ("int8", "0x00", "0"),  # no -0 in fnuz and integer formats
])
@pytest.mark.parametrize("text", ["-0", "-0.0"])
def test_minus_zero_keeps_its_sign_bit(apptest, fmt, code, sign, text):
    """numpy / ml_dtypes: float32(-0.0) is 0x80000000, float8_e4m3fn(-0.0) is 0x80; fnuz has no -0."""
    at = apptest("bits", bits_format=fmt, bits_number=text)
    assert not at.exception and not errors(at)
    assert metrics(at)["Code"] == code and metrics(at)["Class"] == "zero"
    assert at.button(key=f"bits_bit_{get_format(fmt).bits - 1}").label == sign
    assert stored(at) == ("-0" if sign == "1" else "0")
    typed = " ".join(md.value for md in at.markdown if "Typed number" in md.value)
    assert "= `0`" not in typed and ("= `-0`" in typed) is (text == "-0.0")


@pytest.mark.parametrize(("fmt", "text", "below", "above", "ulp_label", "ulp"), [
    ("int4", "7", "6", "none", "ULP (end of the range: gap to the value nearer zero)", "1"),
    ("int8", "-128", "none", "-127", "ULP (end of the range: gap to the value nearer zero)", "1"),
    ("float8_e4m3fn", "-1", "-1.125", "-0.9375", "ULP (gap to the next value away from zero)", "0.125"),
    ("float4_e2m1fn", "6", "4", "none", "ULP (end of the range: gap to the value nearer zero)", "2"),
    ("float8_e4m3fn", "448", "416", "none", "ULP (end of the range: gap to the value nearer zero)", "32"),
    ("float16", "65504", "65472", "inf", "ULP (end of the range: gap to the value nearer zero)", "32"),
])
def test_neighbours_at_the_end_of_the_range_are_never_nan(apptest, fmt, text, below, above, ulp_label, ulp):
    at = apptest("bits", bits_format=fmt, bits_number=text)
    assert not at.exception and not errors(at)
    m = metrics(at)
    assert (m["Neighbour below"], m["Neighbour above"], m[ulp_label]) == (below, above, ulp)


def test_long_values_wrap_instead_of_being_cut(apptest):
    """At 1280 px the card cut "1.17549435e-38 = 2^-126" to "…2^-12" and metrics ended in "…"."""
    at = apptest("bits", bits_format="float32", bits_number="1.17549435e-38")
    assert not at.exception
    assert [c.proto.wrap_lines for c in at.main.get("code")] == [True]  # the filled-in formula
    card = next(tb.value for tb in at.table if "property" in tb.value.columns)  # st.table wraps cells
    assert dict(zip(card["property"], card["value"]))["smallest normal"] == "2^-126 ≈ 1.17549435e-38"
    assert not [df for df in at.dataframe if {"property", "format"} & set(df.value.columns)]
    css = " ".join(h.proto.body for h in at.get("html"))
    assert ".st-key-bits_values [data-testid='stMetricValue']" in css and "white-space:normal" in css
    assert metrics(at)["Neighbour below"] == "1.175494211e-38"


def widget_keys_in_page_order(node, out=None) -> list[str]:
    """Widget keys in document order: the order in which a phone (columns stacked) shows them."""
    out = [] if out is None else out
    for index in sorted(getattr(node, "children", None) or {}):
        child = node.children[index]
        if getattr(child, "key", None):
            out.append(child.key)
        widget_keys_in_page_order(child, out)
    return out


def test_on_a_phone_the_format_comes_before_the_results(apptest):
    at = apptest("bits", bits_format="float32", bits_number="pi")
    order = widget_keys_in_page_order(at.main)
    assert order.index("bits_number") < order.index("bits_format") < order.index("bits_bit_31")
    assert order.index("bits_bit_0") < order.index("bits_overflow")  # settings after the bits
    assert [k for k in order if k.startswith("bits_bit_")] == [f"bits_bit_{i}" for i in range(31, -1, -1)]


def test_exact_line_of_an_odd_integer_does_not_repeat_it(apptest):
    at = apptest("bits", bits_format="int4", bits_number="7")
    line = next(md.value for md in at.markdown if md.value.startswith("Exactly"))
    assert line.startswith("Exactly: `7`") and "= `7`" not in line


@pytest.mark.parametrize(("text", "value", "abs_error"), [
    ("1.0625000000000001", "1.125", "Exactly 0.0624999999999999 (the box rounds to 7 significant digits)."),
    ("1.0625", "1", ""),   # the true tie still goes to the even code; 0.0625 is shown in full, no hover
])
def test_typed_number_is_rounded_as_typed_not_through_float64(apptest, text, value, abs_error):
    # float64(1.0625000000000001) is 1.0625, E4M3's tie between 1 and 1.125; the typed number is above it
    at = apptest("bits", bits_number=text)
    assert not at.exception and not errors(at)
    assert stored(at) == value and metrics(at)["Absolute error"] == "0.0625"
    box = next(m for m in at.metric if m.label == "Absolute error")
    assert box.proto.help == abs_error
    table = next(f.value for f in at.table if "format" in f.value.columns)
    row = table[table["format"] == "float8_e4m3fn"].iloc[0]
    assert row["stored value"] == value and row["abs. error"] == metrics(at)["Absolute error"]


@pytest.mark.parametrize(("fmt", "code"), [("float8_e4m3fn", "0xFF"), ("float8_e5m2", "0xFE"),
                                           ("float32", "0xFFC00000"), ("float4_e2m1fn", "0x0")])
def test_minus_nan_keeps_its_sign_bit(apptest, fmt, code):
    """ml_dtypes: float32 -NaN -> e4m3fn 0xFF, e5m2 0xFE; FP4 has no NaN and gives +0 (0x0)."""
    at = apptest("bits", bits_format=fmt, bits_number="-nan", bits_overflow="ieee")
    assert not at.exception and not errors(at)
    assert metrics(at)["Code"] == code
    typed = [md.value for md in at.markdown if "`-nan`" in md.value]
    assert typed and not any("= `-nan`" in v for v in typed)  # "-nan = -nan" said nothing


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_walk_of_a_long_integer_says_how_many_divisions_are_shown(apptest, lang):
    at = apptest("bits", bits_format="float32", bits_number="1e30", lang=lang)  # 100 bits, 64 steps shown
    steps = next(df.value for df in at.dataframe if t("bits.walk_col_step", lang) in df.value.columns)
    assert len(steps) == 64
    captions = [c.value for c in at.caption]
    assert t("bits.walk_cut_integer", lang, n=64, total=100) in captions
    assert not any(t("bits.walk_cut", lang, n=0) == c for c in captions)


@pytest.mark.parametrize(("query", "abs_err", "rel_err"), [
    ({"bits_format": "float16", "bits_number": "65520", "bits_overflow": "ieee"}, "inf", "inf"),  # stored as inf
    ({"bits_format": "float8_e4m3fn", "bits_number": "inf"}, "inf", "inf"),  # saturated to 448
    ({"bits_format": "float16", "bits_number": "inf", "bits_overflow": "ieee"}, "0", "0"),
    ({"bits_format": "float8_e4m3fn", "bits_number": "nan"}, "—", "—"),
    ({"bits_format": "float8_e4m3fn", "bits_mode": "code", "bits_code": "0x7F"}, "—", "—"),  # a NaN code
    ({"bits_format": "float8_e4m3fn", "bits_mode": "code", "bits_code": "0x7E"}, "—", "—"),  # no number was rounded
])
def test_errors_of_overflow_and_nan(apptest, query, abs_err, rel_err):
    at = apptest("bits", **query)
    assert not at.exception and not errors(at)
    m = metrics(at)
    assert (m["Absolute error"], m["Relative error"]) == (abs_err, rel_err)


@pytest.mark.parametrize(("overflow", "code", "note"), [("ieee", "0x01", True), ("saturate", "0x00", False)])
def test_e8m0_cast_quirk_is_explained(apptest, overflow, code, note):
    """ml_dtypes casts 1.1 x 2^-127 to E8M0 as 2^-126 (code 1); plain nearest rounding gives 2^-127 (code 0)."""
    at = apptest("bits", bits_format="float8_e8m0fnu", bits_number="1.1*2^-127", bits_overflow=overflow)
    assert not at.exception and not errors(at)
    assert metrics(at)["Code"] == code
    assert (t("bits.note_e8m0_cast", "en") in [i.value for i in at.info]) is note


@pytest.mark.parametrize(("number", "overflow", "code", "stored"), [
    ("1e-300", "ieee", "0xFF", "NaN"), ("2^-150", "ieee", "0xFF", "NaN"), ("1e-46", "ieee", "0xFF", "NaN"),
    ("2^-149", "ieee", "0x00", "5.877471754e-39"), ("1e-300", "saturate", "0x00", "5.877471754e-39"),
])  # fmt: skip
def test_e8m0_below_float32_is_nan_as_a_cast(apptest, number, overflow, code, stored):
    """As ml_dtypes' cast (float64 -> float32 -> E8M0), a number up to 2^-150 is 0 in float32 and NaN
    in E8M0, with a note saying so; the page showed 2^-127 (code 0x00) before. Saturate: 2^-127."""
    at = apptest("bits", bits_format="float8_e8m0fnu", bits_number=number, bits_overflow=overflow)
    assert not at.exception and not errors(at)
    m = metrics(at)
    assert (m["Code"], m["Stored value"]) == (code, stored)
    note = t("bits.note_e8m0_float32_zero", "en", x=bv.short(parse_number(number).value))
    assert (note in [i.value for i in at.info]) is (stored == "NaN")


@pytest.mark.parametrize(("lang", "overflow", "stored_text"), [("en", "saturate", "448"), ("zh", "ieee", "NaN")])
def test_a_number_beyond_the_range_says_so(apptest, lang, overflow, stored_text):
    at = apptest("bits", lang=lang, bits_format="float8_e4m3fn", bits_number="500", bits_overflow=overflow)
    assert not at.exception and not errors(at)
    notes = [i.value for i in at.info]
    assert any(n.startswith("500 ") and stored_text in n for n in notes), notes
    assert not [i for i in apptest("bits", bits_format="float8_e4m3fn", bits_number="400").info if "lies beyond" in i.value]


def code_list(at, lang="en"):
    """The every-code table of the Bits page (the dataframe with a bit-pattern column), or None."""
    return next((df.value for df in at.dataframe if t("bits.values_col_bits", lang) in df.value.columns), None)


def test_every_code_of_a_custom_e3m2(apptest):
    """The audit's task: define E3M2 (no inf, no NaN) and list all of its values."""
    at = apptest("bits", bits_format="custom")
    at.number_input(key="bits_exp").set_value(3).run()
    at.number_input(key="bits_man").set_value(2).run()
    at.selectbox(key="bits_specials").set_value("none").run()
    assert not at.exception and not errors(at)
    fmt = get_format("float6_e3m2fn")  # E3M2 without specials is ml_dtypes' float6_e3m2fn
    assert [e.label for e in at.expander] == [f"All 64 codes of {fmt.name}, with their values"]
    table = code_list(at)
    assert table is not None and len(table) == 64
    assert table["code"].tolist() == [f"0x{c:02X}" for c in range(64)]
    expected = [f"{v:g}" for v in fmt.decode(range(64))]
    assert table["value"].tolist() == expected
    assert table["value"][0x1F] == "28" and table["value"][0x3F] == "-28" and table["value"][0x01] == "0.0625"
    assert table["bit pattern"][0x1F] == "0 111 11" and table["class"][0x01] == "subnormal"
    shown = table[table["shown"] == "▶"]  # 0.1 is stored as 0.125, code 0x02
    assert shown["code"].tolist() == ["0x02"] and shown["value"].tolist() == ["0.125"] == [stored(at)]
    assert at.get("download_button")[0].label == f"All codes of {fmt.name} (.csv)"


def test_every_code_follows_the_shown_code_and_the_language(apptest):
    at = apptest("bits", lang="zh", bits_format="float8_e4m3fn", bits_mode="code", bits_code="0x7F")
    assert not at.exception
    assert [e.label for e in at.expander] == ["float8_e4m3fn 的全部 256 个编码及其数值"]
    table = code_list(at, "zh")
    assert table.columns.tolist() == ["当前", "编码", "位模式", "数值", "类别"]
    assert table["当前"][0x7F] == "▶" and (table["当前"] == "▶").sum() == 1
    assert table["数值"][0x7F] == table["数值"][0xFF] == "NaN" and table["类别"][0xFF] == "NaN（非数）"
    assert table["数值"][0x7E] == "448" and table["数值"][0x80] == "-0"
    at.button(key="bits_bit_7").click().run()  # flip the sign: the mark moves to 0xFF
    assert code_list(at, "zh")["当前"][0xFF] == "▶"


@pytest.mark.parametrize(("query", "rows"), [
    ({"bits_format": "float4_e2m1fn"}, 16), ({"bits_format": "int8"}, 256), ({"bits_format": "nf4"}, 16),
    ({"bits_format": "custom", "bits_exp": "4", "bits_man": "3", "bits_specials": "ieee"}, 256),
    ({"bits_format": "float16"}, None), ({"bits_format": "bfloat16"}, None), ({"bits_format": "float32"}, None),
    ({"bits_format": "custom", "bits_exp": "5", "bits_man": "3", "bits_specials": "fn"}, None),  # 9 bits
])
def test_only_formats_of_at_most_8_bits_list_every_code(apptest, query, rows):
    at = apptest("bits", **query)
    assert not at.exception and not errors(at)
    table = code_list(at)
    assert (None if table is None else len(table)) == rows
    assert len(at.expander) == (0 if rows is None else 1) and len(at.get("download_button")) == len(at.expander)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_about_this_format_is_shown_under_the_format(apptest, lang):
    """What "fnuz" means, on the page: the about text of the chosen format, right after the select box."""
    at = apptest("bits", lang=lang, bits_format="float8_e4m3fnuz")
    assert not at.exception and not errors(at)
    about = t("fmt.about.float8_e4m3fnuz", lang)
    shown = [c.value for c in at.caption if about in c.value]
    assert shown == [f"**{t('bits.about', lang)}{'：' if lang == 'zh' else ':'}** {about}"]
    assert ("0x80" in about and "240" in about) and (("无符号零" in about) if lang == "zh" else ("unsigned zero" in about))
    at.selectbox(key="bits_format").set_value("float8_e4m3fn").run()
    assert any(t("fmt.about.float8_e4m3fn", lang) in c.value for c in at.caption)
    assert not any(about in c.value for c in at.caption)


def test_about_a_custom_format_explains_its_name(apptest):
    at = apptest("bits", bits_format="custom", bits_exp="3", bits_man="3", bits_specials="fnuz")
    assert not at.exception and not errors(at)
    about = next(c.value for c in at.caption if c.value.startswith("**About this format:**"))
    assert "float7_e3m3fnuz is the format you built" in about and "0x40 is the single NaN" in about
    at.selectbox(key="bits_specials").set_value("fn").run()  # E3M3 fn is not built in either
    about = next(c.value for c in at.caption if c.value.startswith("**About this format:**"))
    assert "float7_e3m3fn is the format you built" in about
    at.number_input(key="bits_man").set_value(4).run()  # E3M4 ieee would be float8_e3m4; fn is custom
    at.selectbox(key="bits_specials").set_value("ieee").run()
    about = next(c.value for c in at.caption if c.value.startswith("**About this format:**"))
    assert "is the built-in float8_e3m4" in about and about.endswith(t("fmt.about.float8_e3m4", "en"))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_bit_button_says_what_it_is_and_what_it_is_worth(apptest, lang):
    """Hover text (the button's help): float8_e4m3fn has 1 sign, 4 exponent (bias 7) and 3 mantissa bits."""
    at = apptest("bits", lang=lang)
    assert not at.exception
    helps = {p: at.button(key=f"bits_bit_{p}").help for p in range(8)}
    assert helps[7] == t("bits.help_sign", lang, bit=7)
    assert helps[6] == t("bits.help_exponent", lang, bit=6, weight=8, scale="2^(E - 7)")
    assert helps[3] == t("bits.help_exponent", lang, bit=3, weight=1, scale="2^(E - 7)")
    assert helps[1] == t("bits.help_mantissa", lang, bit=1, weight="2^-2 = 0.25")
    if lang == "en":
        assert helps[6] == ("Bit 6: exponent, weight 8 in the stored exponent E (normal values scale by 2^(E - 7)). "
                            "Click to flip.")
        assert helps[0] == "Bit 0: mantissa, weight 2^-3 = 0.125 of the significand. Click to flip."
    at.selectbox(key="bits_format").set_value("int8").run()
    assert at.button(key="bits_bit_7").help == t("bits.help_int_sign", lang, bit=7, weight=-128)
    assert at.button(key="bits_bit_4").help == t("bits.help_value", lang, bit=4, weight="2^4 = 16")


def flip_lines(at) -> list[str]:
    return [i.value for i in at.info if i.value.startswith(("Flipped bit", "翻转第"))]


def test_a_flip_says_what_changed_until_another_code_or_number_is_typed(apptest):
    at = apptest("bits", bits_mode="code", bits_code="0x38")  # 1.0 in float8_e4m3fn
    assert not at.exception and flip_lines(at) == []
    at.button(key="bits_bit_6").click().run()
    assert stored(at) == "256" and flip_lines(at) == ["Flipped bit 6: 0x38 (1) → 0x78 (256), × 2^8 = 256."]
    at.button(key="bits_bit_7").click().run()  # the previous code is now 0x78
    assert flip_lines(at) == ["Flipped bit 7: sign flipped, 0x78 (256) → 0xF8 (-256)."]
    at.radio(key="ui_lang").set_value("zh").run()  # the same flip, in the new language
    assert flip_lines(at) == ["翻转第 7 位：符号翻转，0x78（256）→ 0xF8（-256）。"]
    at.radio(key="ui_lang").set_value("en").run()
    at.button(key="bits_bit_0").click().run()
    assert flip_lines(at) == ["Flipped bit 0: 0xF8 (-256) → 0xF9 (-288), a change of -32."]
    at.text_input(key="bits_code").set_value("0x38").run()  # a code typed: the line goes, and stays gone
    assert stored(at) == "1" and flip_lines(at) == []
    at.text_input(key="bits_code").set_value("0xF9").run()
    assert flip_lines(at) == []


def test_a_flip_line_goes_when_a_number_is_typed_or_the_format_changes(apptest):
    at = apptest("bits")  # 0.1 -> 0x1D in float8_e4m3fn
    at.button(key="bits_bit_7").click().run()
    assert flip_lines(at) == ["Flipped bit 7: sign flipped, 0x1D (0.1015625) → 0x9D (-0.1015625)."]
    at.radio(key="bits_mode").set_value("decimal").run()
    at.text_input(key="bits_number").set_value("2").run()
    assert stored(at) == "2" and flip_lines(at) == []
    at.button(key="bits_bit_3").click().run()  # 2 = 0x40; bit 3 is the lowest exponent bit
    assert flip_lines(at) == ["Flipped bit 3: 0x40 (2) → 0x48 (4), × 2^1 = 2."]
    at.selectbox(key="bits_format").set_value("float8_e5m2").run()  # not a stale line for another format
    assert not at.exception and flip_lines(at) == []
    at.button(key="bits_bit_0").click().run()  # 4 in E5M2 is 0x44
    assert flip_lines(at) == ["Flipped bit 0: 0x44 (4) → 0x45 (5), a change of +1."]


def test_a_flip_line_goes_when_the_custom_format_changes(apptest):
    at = apptest("bits", bits_format="custom", bits_exp="4", bits_man="3", bits_specials="fnuz",
                 bits_mode="code", bits_code="0x40")  # float8_e4m3fnuz: 0x40 = 2^(8-8) = 1
    at.button(key="bits_bit_7").click().run()
    assert flip_lines(at) == ["Flipped bit 7: sign flipped, 0x40 (1) → 0xC0 (-1)."]
    at.selectbox(key="bits_specials").set_value("fn").run()  # the same code 0xC0 now in float8_e4m3fn
    assert not at.exception and flip_lines(at) == [] and stored(at) == "-2"


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("text", "fmt", "want"), [
    ("1.0001^2000", "float8_e4m3fn", "1.25"),  # ≈ 1.2214: between 1.125 and 1.25, nearer 1.25
    ("1.0001^2000", "float32", "1.221390486"),
    ("0.9999^3000", "bfloat16", "0.7421875"),  # ≈ 0.7408: 190 steps of 2^-8
])
def test_a_power_with_thousands_of_exact_digits_shows_the_whole_page(apptest, lang, text, fmt, want):
    """1.0001^2000 is p/q of about 8,000 digits each: str() of it raised (Python's 4,300-digit limit)
    and everything after the stored value became "Something went wrong (ValueError)"."""
    at = apptest("bits", lang=lang, bits_number=text, bits_format=fmt)
    assert not at.exception and not errors(at)
    assert stored(at, lang) == want
    assert metrics(at)[t("bits.abs_error", lang)] not in ("", "—")  # the exact error of the typed value
    assert at.dataframe and at.get("table")  # the tables after the stored value are there
