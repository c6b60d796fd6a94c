"""lib.share: the link a teacher shares and its QR code."""

from __future__ import annotations

import struct
import zlib
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib.share import qr_png, qr_version, share_url


@pytest.mark.parametrize(("page", "params", "want"), [
    ("https://lowbit.streamlit.app/~/+/quantize", {"lang": "zh", "quant_format": "int8"},
     "https://lowbit.streamlit.app/quantize?lang=zh&quant_format=int8"),
    ("https://lowbit.streamlit.app/~/+/", {"lang": "en"}, "https://lowbit.streamlit.app/?lang=en"),
    ("http://localhost:8501/compare?old=1#frag", {"cmp_choices": ["int8 absmax", "q8_0"]},
     "http://localhost:8501/compare?cmp_choices=int8+absmax&cmp_choices=q8_0"),
    ("http://localhost:8501/grid", {"grid_center": "-1e-05", "quant_paste": "0.5，1.5"},
     "http://localhost:8501/grid?grid_center=-1e-05&quant_paste=0.5%EF%BC%8C1.5"),
    ("http://localhost:8501", {"lang": "zh"}, "http://localhost:8501/?lang=zh"),  # the root page, as the URL bar has it
    ("", {"lang": "en"}, "?lang=en"),  # no page address known (AppTest): the query alone
    ("http://host/a/~/+/b", {}, "http://host/a/~/+/b"),  # the frame prefix only at the start
])
def test_share_url(page: str, params: dict, want: str) -> None:
    assert share_url(page, params) == want


@given(st.dictionaries(st.text(min_size=1, max_size=12), st.lists(st.text(max_size=30), min_size=1, max_size=3),
                       max_size=6))
def test_share_url_round_trips_every_setting(params: dict[str, list[str]]) -> None:
    """Whatever the settings hold (Chinese, &, =, #, spaces), parsing the link gives them back."""
    got = parse_qs(urlsplit(share_url("https://h/quantize", params)).query, keep_blank_values=True)
    assert got == params


def _modules(png: bytes) -> list[list[int]]:
    """The PNG's modules (1 = dark), read at each module's centre: a 1-bit greyscale PNG with
    row filters None or Up, as segno writes, decoded here without an image library."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[24:26] == bytes([1, 0])  # 1 bit, greyscale
    width, height = struct.unpack(">II", png[16:24])
    pos, data = 8, b""
    while pos < len(png):
        n = struct.unpack(">I", png[pos:pos + 4])[0]
        if png[pos + 4:pos + 8] == b"IDAT":
            data += png[pos + 8:pos + 8 + n]
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(data), (width + 7) // 8, [], bytes((width + 7) // 8)
    for r in range(height):
        kind, line = raw[r * (stride + 1)], raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)]
        assert kind in (0, 2)
        prev = bytes((a + b) & 0xFF for a, b in zip(line, prev)) if kind == 2 else line
        rows.append([1 - ((prev[c // 8] >> (7 - c % 8)) & 1) for c in range(width)])
    assert width == height
    return rows


def _finder_at(m: list[list[int]], r0: int, c0: int) -> bool:
    """A 7 × 7 finder pattern: dark ring, light ring, dark 3 × 3 centre."""
    return all(m[r0 + r][c0 + c] == int(max(abs(r - 3), abs(c - 3)) != 2) for r in range(7) for c in range(7))


@pytest.mark.parametrize(("text", "version", "scale"), [
    ("https://example.org", 2, 11),  # 25 modules + 8 quiet: ceil(360 / 33) = 11 px each
    ("h" * 600, 19, 4),  # a long Quantize link: 93 modules, ceil(360 / 101) = 4
])
def test_qr_png_is_a_qr_symbol_of_whole_pixel_modules(text: str, version: int, scale: int) -> None:
    assert qr_version(text) == version
    pixels = _modules(qr_png(text))
    n = 17 + 4 * version
    assert len(pixels) == (n + 8) * scale >= 360
    m = [[pixels[(4 + r) * scale + scale // 2][(4 + c) * scale + scale // 2] for c in range(-4, n + 4)]
         for r in range(-4, n + 4)]  # the modules, quiet zone included
    quiet = [v for r in (*m[:4], *m[-4:]) for v in r] + [v for r in m for v in (*r[:4], *r[-4:])]
    assert not any(quiet)  # a light border 4 modules wide
    assert _finder_at(m, 4, 4) and _finder_at(m, 4, n - 3) and _finder_at(m, n - 3, 4)
    assert not _finder_at(m, n - 3, n - 3)  # three finders only: the symbol's orientation
    assert [m[4 + 6][4 + c] for c in range(8, n - 8)] == [int(c % 2 == 0) for c in range(8, n - 8)]  # timing


def test_qr_version_grows_with_the_link() -> None:
    assert qr_version("h" * 100) < qr_version("h" * 400) < qr_version("h" * 1500) <= 40


def test_fits_qr_is_the_level_m_capacity() -> None:
    """Version 40 at level M holds 2,331 bytes: one more raised DataOverflowError in the dialog."""
    from lib.share import fits_qr, qr_png, qr_version

    assert fits_qr("x" * 2331) and qr_version("x" * 2331) == 40 and qr_png("x" * 2331)[:4] == b"\x89PNG"
    assert not fits_qr("x" * 2332) and not fits_qr("https://a.b/?q=" + "%2C" * 1000)
