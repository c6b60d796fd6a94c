"""The source articles' worked example, every step of the arithmetic spelled out.

Symmetric ("absmax") integer quantization of a small vector x to a b-bit integer format:

    amax    = max|x|                       (2.1 for the example; unsigned formats: max(x, 0))
    scale   = amax / qmax                  (2.1 / 127 = 0.016535...)
    scaled  = x / scale                    ([-30.24, 18.14, 72.57, -127.0])
    rounded = round_half_even(scaled)      ([-30, 18, 73, -127])
    code    = clip(rounded, qmin, qmax)    ([-30, 18, 73, -127]; int8: qmin=-128, qmax=127)
    x_hat   = code * scale                 ([-0.4961, 0.2976, 1.2071, -2.1])
    error   = x_hat - x                    ([0.0039, -0.0024, 0.0071, 0.0])

Affine ("minmax") adds a zero point:  scale = (max - min) / (qmax - qmin) with the range widened to
include 0, zp = qmin - round(min / scale), code = clip(round(x / scale) + zp, qmin, qmax),
x_hat = (code - zp) * scale.

Each step is a :class:`Step` record (i18n key of its name, the formula, the numbers), so a page
shows them as a table. Example:

    >>> steps = worked_example([-0.5, 0.3, 1.2, -2.1])
    >>> [s.key for s in steps][:2]
    ['quant.we.amax', 'quant.we.scale']
    >>> steps_by_key(steps)["quant.we.code"].values
    (-30.0, 18.0, 73.0, -127.0)
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from lib.errors import QuantizeError

EXAMPLE: tuple[float, ...] = (-0.5, 0.3, 1.2, -2.1)
MAX_ELEMENTS = 16
#: Longest text the example's box takes (and a link may set): 16 numbers of 20-odd characters;
#: 5,600 characters in a link made "Share this view" fail and the link 8 KB long.
MAX_TEXT = 400


@dataclass(frozen=True)
class Step:
    """One line of the worked example.

    key: i18n key naming the step ("quant.we.scale"); formula: the arithmetic as plain text, or
    (i18n key, params) where it has words ("clamp to ..."); values: one number (a scalar step) or
    one per element of x.
    """

    key: str
    formula: str | tuple[str, dict]
    values: tuple[float, ...]


def formula_text(formula: str | tuple[str, dict], lang: str) -> str:
    """A formula as shown: maths with its few words translated (element, code, scale, zp), or
    (key, params) translated; a param that is itself a (key, params) pair is translated too.
    Examples in Chinese: "code × scale" -> "编码 × 缩放因子"; ("qb.f.level_times", {"scale":
    "absmax"}) -> "级别值 × absmax"."""
    from lib.i18n import t

    if isinstance(formula, str):
        return re.sub(r"\b(element|code|scale|zp)\b", lambda m: t(f"qb.word.{m.group(1)}", lang), formula)
    key, params = formula
    return t(key, lang, **{k: formula_text(v, lang) if isinstance(v, tuple) else v for k, v in params.items()})


def int_range(fmt_name: str) -> tuple[int, int]:
    """(qmin, qmax) of an integer format of lib.formats, e.g. int8 -> (-128, 127).

    Raises QuantizeError for a format that is not an integer format.
    """
    from lib.formats import get_format

    fmt = get_format(fmt_name)
    if fmt.kind != "int":
        raise QuantizeError("quant.we.not_int", fmt=fmt_name)
    return int(fmt.min), int(fmt.max)


def worked_example(
    x: Sequence[float] | np.ndarray = EXAMPLE, fmt: str = "int8", method: str = "absmax"
) -> list[Step]:
    """Every step of quantizing the small vector ``x`` to integer format ``fmt`` (see module doc).

    Args:
        x: 1 to MAX_ELEMENTS finite numbers.
        fmt: an integer format name of lib.formats ("int8", "int4", "uint8", ...).
        method: "absmax" (symmetric, scale = max|x| / qmax) or "minmax" (affine, with zero point).
    Returns:
        The steps in order: amax (or min/max), scale, [zero point], x/scale, rounded, code,
        dequantized, error.
    """
    v = np.asarray(x, dtype=np.float64).ravel()
    if v.size == 0 or v.size > MAX_ELEMENTS:
        raise QuantizeError("quant.we.size", n=v.size, max=MAX_ELEMENTS)
    if not np.all(np.isfinite(v)):
        raise QuantizeError("quant.we.nonfinite")
    qmin, qmax = int_range(fmt)
    if method == "absmax":
        return _absmax_steps(v, qmin, qmax)
    if method == "minmax":
        return _minmax_steps(v, qmin, qmax)
    raise QuantizeError("quant.we.method", method=method)


def _tup(a: np.ndarray | float) -> tuple[float, ...]:
    return tuple(float(z) for z in np.atleast_1d(a))


def _absmax_steps(v: np.ndarray, qmin: int, qmax: int) -> list[Step]:
    # an unsigned grid has no negative side to fit: its scale fits the largest positive value, as
    # lib.quantize does (uint8: max(x, 0) / 255); negative values are clipped to 0 either way
    top = "max|x|" if qmin < 0 else "max(x, 0)"
    amax = float(np.max(np.abs(v))) if qmin < 0 else max(float(np.max(v)), 0.0)
    scale = _floored(amax / qmax) if amax > 0 else 1.0
    scaled = v / scale
    rounded = np.rint(scaled)
    code = np.clip(rounded, qmin, qmax)
    x_hat = code * scale
    return [
        Step("quant.we.amax" if qmin < 0 else "quant.we.amax_unsigned", top, _tup(amax)),
        # an all-zero input has no range: any scale stores 0 exactly, 1 is used (as lib.quantize does)
        Step("quant.we.scale", _scale_formula(f"{top} / {qmax}", amax / qmax) if amax > 0 else f"{top} = 0 → 1",
             _tup(scale)),
        Step("quant.we.scaled", "x / scale", _tup(scaled)),
        Step("quant.we.rounded", "round(x / scale)", _tup(rounded)),
        Step("quant.we.code", f"clip(·, {qmin}, {qmax})", _tup(code)),
        Step("quant.we.dequant", "code × scale", _tup(x_hat)),
        Step("quant.we.error", "x̂ − x", _tup(x_hat - v)),
    ]


_SMALLEST = float(np.finfo(np.float64).smallest_subnormal)  # 2^-1074


def _floored(scale: float) -> float:
    """A scale that underflowed to 0 (max|x| = 5e-324: 5e-324 / 127 = 0) is 2^-1074 instead, as
    lib.quantize floors it at the smallest subnormal; otherwise x / scale divides by zero."""
    return max(scale, _SMALLEST)


def _scale_formula(text: str, raw: float) -> str:
    """The scale's formula, with the floor written out where it applied."""
    return text if raw >= _SMALLEST else f"max({text}, 2^-1074)"


def _minmax_steps(v: np.ndarray, qmin: int, qmax: int) -> list[Step]:
    lo, hi = min(float(v.min()), 0.0), max(float(v.max()), 0.0)
    scale = _floored((hi - lo) / (qmax - qmin)) if hi > lo else 1.0
    zp = int(np.clip(qmin - np.rint(lo / scale), qmin, qmax))
    scaled = v / scale
    rounded = np.rint(scaled) + zp
    code = np.clip(rounded, qmin, qmax)
    x_hat = (code - zp) * scale
    return [
        Step("quant.we.range", "min(x, 0), max(x, 0)", (lo, hi)),
        Step("quant.we.scale", _scale_formula(f"(max − min) / ({qmax} − ({qmin}))", (hi - lo) / (qmax - qmin))
             if hi > lo else "max = min = 0 → 1", _tup(scale)),
        Step("quant.we.zero_point", f"{qmin} − round(min / scale)", _tup(zp)),
        Step("quant.we.scaled", "x / scale", _tup(scaled)),
        Step("quant.we.rounded", "round(x / scale) + zp", _tup(rounded)),
        Step("quant.we.code", f"clip(·, {qmin}, {qmax})", _tup(code)),
        Step("quant.we.dequant", "(code − zp) × scale", _tup(x_hat)),
        Step("quant.we.error", "x̂ − x", _tup(x_hat - v)),
    ]


def steps_by_key(steps: list[Step]) -> dict[str, Step]:
    """The steps indexed by their key."""
    return {s.key: s for s in steps}


def steps_table(steps: list[Step], x: Sequence[float] | np.ndarray, lang: str = "en") -> list[dict[str, str]]:
    """Rows for a table: step name (translated), formula, then one column per element of x.

    Scalar steps put their number in the first element's column and leave the others empty.
    Integers print without decimals, other numbers with up to 6 significant digits.
    """
    from lib.i18n import t

    cols = [f"x[{i}] = {format_number(float(z))}" for i, z in enumerate(np.asarray(x, dtype=np.float64).ravel())]
    rows = []
    for s in steps:
        row = {t("quant.we.col_step", lang): t(s.key, lang), t("quant.we.col_formula", lang): formula_text(s.formula, lang)}
        for i, col in enumerate(cols):
            row[col] = format_number(s.values[i]) if i < len(s.values) else ""
        rows.append(row)
    return rows


def format_number(z: float) -> str:
    """Integers without decimals, other numbers with up to 6 significant digits: 73 -> "73",
    0.016535433 -> "0.0165354"."""
    if float(z).is_integer() and abs(z) < 1e15:
        return str(int(z))
    return f"{z:.6g}"
