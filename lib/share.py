"""A view to share in class: the page's address with its settings, and that address as a QR code.

share_url(page_url, params) builds the link students open; qr_png(url) draws it for a phone's
camera (segno, error correction level M: a 600-character link is version 19, 93 × 93 modules).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno

#: Streamlit Community Cloud serves the app in a frame at ``/~/+/<page>``: the link leaves that out
CLOUD_FRAME_PREFIX = "/~/+"
QR_ERROR = "m"  # 15% of the symbol may be lost (a projector's glare) and it still reads


def share_url(page_url: str, params: Mapping[str, str | Sequence[str]]) -> str:
    """``page_url`` (scheme, host, path) with ``params`` as its query: a list repeats its key, the
    page's own query and fragment are dropped, Community Cloud's frame prefix is taken out, and
    the root page gets its "/".

    Example:
        >>> share_url("https://lowbit.streamlit.app/~/+/quantize#top", {"lang": "zh", "quant_format": "int8"})
        'https://lowbit.streamlit.app/quantize?lang=zh&quant_format=int8'
        >>> share_url("http://localhost:8501/compare", {"cmp_choices": ["int8 absmax", "q8_0"]})
        'http://localhost:8501/compare?cmp_choices=int8+absmax&cmp_choices=q8_0'
    """
    parts = urlsplit(page_url)
    path = parts.path
    if path.startswith(CLOUD_FRAME_PREFIX + "/") or path == CLOUD_FRAME_PREFIX:
        path = path[len(CLOUD_FRAME_PREFIX):]
    if parts.netloc and not path:  # the app's root page: "http://host:8501" -> "http://host:8501/?..."
        path = "/"
    query = urlencode([(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)])
    return urlunsplit((parts.scheme, parts.netloc, path, query, ""))


def qr_png(text: str, px: int = 360) -> bytes:
    """A PNG of ``text`` as a QR code (byte mode, level M, the smallest version that holds it),
    with the standard 4-module quiet zone, at a whole number of pixels per module chosen so the
    image is at least ``px`` wide: scale = ceil(px / (modules + 8)).

    Example: qr_png("https://example.org") is a 25 × 25 symbol (version 2): scale ceil(360 / 33)
    = 11, so (25 + 8) · 11 = 363 px square.
    """
    qr = segno.make_qr(text, error=QR_ERROR, boost_error=False)
    modules = qr.symbol_size(scale=1, border=0)[0]
    out = io.BytesIO()
    qr.save(out, kind="png", scale=max(1, math.ceil(px / (modules + 8))), border=4)
    return out.getvalue()


def fits_qr(text: str) -> bool:
    """Whether ``text`` fits one QR code at level M: up to 2,331 bytes (version 40, 177 × 177
    modules). A link with long pasted numbers or worked-example text can be longer.
    Example: fits_qr("x" * 2331) is True, fits_qr("x" * 2332) False."""
    try:
        segno.make_qr(text, error=QR_ERROR, boost_error=False)
    except segno.DataOverflowError:
        return False
    return True


def qr_version(text: str) -> int:
    """The QR version (1–40; the symbol is 17 + 4·version modules wide) ``qr_png`` uses for ``text``.
    Example: qr_version("https://example.org") == 2."""
    return int(segno.make_qr(text, error=QR_ERROR, boost_error=False).version)
