"""One block of a block-scheme result, every step of its arithmetic spelled out.

The scale of the block is derived here again from its values, by the scheme's published rule
(lib.blocks' table), in plain numpy; the elements, codes and x̂ are read off the QuantResult.
tests/test_block_example.py checks that the rederived scale is the one quantize() used, for
every scheme, so the lesson and the product cannot drift apart.

Worked example (mxfp4, one block whose largest magnitude is 3.0):

    max|x| = 3.0 -> floor(log2 3.0) = 1 -> shared exponent 1 - emax(E2M1) = 1 - 2 = -1
    -> E8M0 code -1 + 127 = 126, X = 2**-1 = 0.5; x = 1.3 -> x / X = 2.6 -> FP4 E2M1 element 3.0
    -> x̂ = 3.0 · 0.5 = 1.5.

    >>> import numpy as np
    >>> from lib.quantize import quantize
    >>> x = np.array([1.3, -3.0] + [0.0] * 30, dtype=np.float32)
    >>> walk = block_walk(x, quantize(x, fmt="mxfp4"), 0)
    >>> [s.values[0] for s in walk.scale_steps]  # max|x|, floor(log2), k, E8M0 code, X
    [3.0, 1.0, -1.0, 126.0, 0.5]
    >>> walk.columns["element"][:2], walk.columns["dequantized"][:2]
    ((3.0, -6.0), (1.5, -3.0))
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from lib.blocks import MXINT8_ELEMENT_SCALE, NF4_MIN_ABSMAX, SCHEMES, BlockScheme
from lib.errors import QuantizeError
from lib.formats import get_format
from lib.quantize import QuantResult
from lib.worked_example import Step, format_number, formula_text

COLUMNS = ("x", "scaled", "element", "code", "dequantized", "error")
#: schemes whose element is worked out from the stored code (Q4_0: element = code − 8), so the
#: code column comes first; elsewhere the code stores the element
CODE_FIRST = frozenset({"q4_0"})
COLUMNS_CODE_FIRST = ("x", "scaled", "code", "element", "dequantized", "error")


@dataclass(frozen=True)
class BlockWalk:
    """Block ``index`` of a block-scheme result: where it lies, its scale steps, its elements.

    line: index of the line (all axes but the block axis, C order); start: offset of the block's
    first value along the axis. scale_steps: scalar Steps (i18n key, formula, value), in order.
    formulas: the formula of each column of ``columns`` (COLUMNS keys, one value per element).
    """

    scheme: str
    index: int
    line: int
    start: int
    scale_steps: list[Step]
    formulas: dict[str, str | tuple[str, dict]]  # text, or (i18n key, params) where it has words
    columns: dict[str, tuple[float, ...]]
    code_bits: int | None = None  # codes that are bit patterns (floats, NF4, Q4_0 nibbles): width

    @property
    def scale(self) -> float:
        """The scale the block's elements are multiplied by (the last scale step's value)."""
        return next(s.values[0] for s in reversed(self.scale_steps) if s.key == "qb.scale")


def block_count(r: QuantResult) -> int:
    """How many blocks a block-scheme QuantResult holds (its scale has one per block)."""
    return int(np.size(r.scale))


BlockLayout = tuple[tuple[int, ...], int, int]  # (tensor shape, block axis, block size)


def follow_block(r: QuantResult, before: BlockLayout | None, index: int) -> tuple[int, BlockLayout]:
    """The block to show now, and r's layout to pass back next time.

    After a change of scheme on the same tensor and axis, the block holding the first value of
    the block shown before, so the walk stays on the same numbers: MXFP4's block 914 of a
    (1024, 256) tensor (line 114, values 64-95) becomes NVFP4's block 1828 (values 64-79), not
    NVFP4's own block 914 (line 57). Otherwise ``index`` itself, or 0 when out of range.
    """
    assert r.axis is not None and r.block_size is not None
    shape = tuple(np.shape(r.codes)) or (1,)
    now: BlockLayout = (shape, r.axis, r.block_size)
    if before is not None and before != now and before[:2] == now[:2]:
        n = shape[r.axis]
        line, k = divmod(index, math.ceil(n / before[2]))
        index = line * math.ceil(n / r.block_size) + (k * before[2]) // r.block_size
    return (index if 0 <= index < block_count(r) else 0), now


def block_walk(x: np.ndarray, r: QuantResult, index: int) -> BlockWalk:
    """The steps of block ``index`` (C order over the blocks, as r.scale moved to the last axis).

    Args:
        x: the array that was quantized.
        r: lib.quantize.QuantResult of a block scheme (r.granularity == "block").
        index: 0 <= index < block_count(r).

    Raises:
        QuantizeError: r is not a block-scheme result, or index is out of range.
    """
    scheme = SCHEMES.get(r.fmt)
    if scheme is None or r.granularity != "block" or r.axis is None or r.block_size is None:
        raise QuantizeError("qb.not_block", fmt=r.fmt)
    total = block_count(r)
    if not 0 <= index < total:
        raise QuantizeError("qb.bad_index", index=index, last=total - 1)
    axis, bs = r.axis, r.block_size
    arr = np.asarray(x).reshape(np.shape(r.codes) or (1,))
    n = arr.shape[axis]
    per_line = math.ceil(n / bs)
    line, start = divmod(index, per_line)
    start *= bs
    stop = min(start + bs, n)

    def cut(a: np.ndarray) -> np.ndarray:  # a view: no copy of the tensor for one block
        moved = np.moveaxis(np.atleast_1d(a), axis, -1)
        return moved[np.unravel_index(line, moved.shape[:-1]) + (slice(start, stop),)]

    xs = cut(arr).astype(np.float64)
    deq = cut(r.dequantized).astype(np.float64)
    codes = cut(r.codes)
    scales = np.moveaxis(np.atleast_1d(r.scale), axis, -1)
    used = float(scales[np.unravel_index(index, scales.shape)])
    wd = np.float32 if r.dequantized.dtype == np.float32 or r.dequantized.dtype.itemsize < 4 else np.float64
    rule = _RULES[scheme.family](xs, scheme, r.extra, used, np.dtype(wd))
    columns = {"x": xs, "scaled": rule.scaled, "element": _element_values(scheme, codes),
               "code": codes.astype(np.float64), "dequantized": deq, "error": deq - xs}
    formulas = {"x": "x", "error": "x̂ − x", **rule.formulas}
    if not scheme.fixes_rounding:
        formulas["element"] = element_rule(scheme, r.rounding, r.overflow)
    bits = None if scheme.element_format == "int8" else scheme.element_bits
    return BlockWalk(scheme.name, index, line, start, rule.steps, formulas,
                     {k: tuple(float(v) for v in columns[k]) for k in COLUMNS}, bits)


def element_rule(scheme: BlockScheme, rounding: str, overflow: str) -> tuple[str, dict]:
    """The element column's heading, from the modes the elements were rounded with: the rounding,
    then what happens at the element format's edge (clamped to ±max, or, as an ieee cast, inf or
    NaN where the format has them). GGUF schemes have their own rule (their _RULES entry).

    Example: mxfp4 -> "to nearest, ties to even; ±6 at most"; mxfp8_e4m3 with overflow "ieee" ->
    "to nearest, ties to even; a value that rounds beyond ±448 becomes NaN (ieee cast)"; nf4 ->
    "nearest NF4 level (a tie goes to the lower one)".
    """
    mode = (f"quant.rounding.{rounding}", {})
    if scheme.family == "nf4":
        return ("qb.f.nf4_level", {}) if rounding == "nearest_even" else ("qb.f.nf4_mode", {"rounding": mode})
    if scheme.element_format == "int8":  # MXINT8: integers always clamp
        return "qb.f.round_clip", {"rounding": mode, "max": 127}
    fmt = get_format(scheme.element_format)
    top = format_number(float(fmt.max))
    if overflow == "ieee" and (fmt.has_inf or fmt.has_nan):
        return "qb.f.element_cast", {"rounding": mode, "max": top, "beyond": "±inf" if fmt.has_inf else "NaN"}
    return "qb.f.element", {"rounding": mode, "max": top}


@dataclass(frozen=True)
class _Rule:
    """A scheme's scale steps for one block, the block's scale, x as the element grid sees it."""

    steps: list[Step]
    scaled: np.ndarray
    formulas: dict[str, str | tuple[str, dict]]  # the element heading comes from element_rule (GGUF: here)


def _finite(xs: np.ndarray) -> np.ndarray:
    return np.where(np.isfinite(xs), xs, 0.0)


def _mx_rule(xs: np.ndarray, scheme: BlockScheme, extra: dict, used: float, wd: np.dtype) -> _Rule:
    """OCP MX v1.0: X = 2**(floor(log2 max|x|) - emax_elem), clamped to E8M0's 2**-127..2**127."""
    amax = float(np.max(np.abs(_finite(xs))))
    steps = [Step("qb.amax", "max|x|", (amax,))]
    if amax > 0:
        e = math.frexp(amax)[1] - 1
        steps.append(Step("qb.floor_log2", "floor(log2 max|x|)", (float(e),)))
        k = min(max(e - scheme.emax, -127), 127)
        steps.append(Step("qb.shared_exp", f"{e} − {scheme.emax} (emax)", (float(k),)))
    else:
        k = max(-126 - scheme.emax, -127)
        steps.append(Step("qb.shared_exp", f"max(−126 − {scheme.emax}, −127)", (float(k),)))
    steps.append(Step("qb.scale_code", f"{k} + 127", (float(k + 127),)))
    if scheme.element_format == "int8":  # MXINT8 elements are int8 · 2**-6: X · 2**-6 per code
        scale = 2.0**k * MXINT8_ELEMENT_SCALE
        steps.append(Step("qb.scale", f"2^{k} × 2^−6", (scale,)))
        return _Rule(steps, _divided(xs, scale, wd), {
            "scaled": "x / (X · 2^−6)", "code": "int8",
            "dequantized": "code × X · 2^−6"})
    scale = 2.0**k
    steps.append(Step("qb.scale", f"X = 2^{k}", (scale,)))
    fmt = get_format(scheme.element_format)
    return _Rule(steps, _divided(xs, scale, wd), {
        "scaled": "x / X",
        "code": ("qb.f.bits", {"fmt": fmt.name}), "dequantized": "element × X"})


def _nvfp4_rule(xs: np.ndarray, scheme: BlockScheme, extra: dict, used: float, wd: np.dtype) -> _Rule:
    """NVIDIA (as Model Optimizer): g = tensor max|x| / (6·448); ratio = max|x| / (6·g), 1 for a
    zero block, clamped to [2**-9, 448]; block scale = E4M3(ratio) · g, all in float32."""
    g = np.float32(extra["global_scale"])
    amax = np.float32(np.max(np.abs(_finite(xs))))
    ratio = amax / (np.float32(6.0) * g)
    clamped = min(max(ratio if ratio != 0 else np.float32(1.0), np.float32(2.0**-9)), np.float32(448.0))
    e4m3 = get_format("float8_e4m3fn")
    code = int(e4m3.encode(float(clamped)))
    scale = float(np.float32(e4m3.decode(code)) * g)
    steps = [Step("qb.global_scale", ("qb.f.global_scale", {}), (float(g),)),
             Step("qb.amax", "max|x|", (float(amax),)),
             Step("qb.ratio", "max|x| / (6 × g)", (float(ratio),)),
             Step("qb.clamp", ("qb.f.clamp_ratio", {}), (float(clamped),)),
             Step("qb.e4m3", "E4M3(·)", (float(e4m3.decode(code)),)),
             Step("qb.scale_code", "E4M3", (float(code),)),
             Step("qb.scale", "E4M3 × g", (scale,))]
    # a scale that underflows: quantize divides by the largest float instead (finite -> 0)
    scaled = _divided(xs, scale if scale > 0 else float(np.finfo(wd).max), wd)
    return _Rule(steps, scaled, {"scaled": "x / scale",
                                 "code": ("qb.f.bits", {"fmt": "float4_e2m1fn"}), "dequantized": "element × scale"})


def _gguf_rule(xs: np.ndarray, scheme: BlockScheme, extra: dict, used: float, wd: np.dtype) -> _Rule:
    """ggml, in float32: Q8_0 d = max|x| / 127; Q4_0 d = m / -8, m the signed value of largest |x|
    (the first one); codes from x · (1/d) with the float32 d, x̂ from d stored as fp16."""
    x32 = _finite(xs).astype(np.float32)
    if scheme.name == "q8_0":
        peak = np.float32(np.max(np.abs(x32)))
        steps = [Step("qb.amax", "max|x|", (float(peak),))]
        d = peak / np.float32(127)
        steps.append(Step("qb.d", "d = max|x| / 127", (float(d),)))
        formulas = {"scaled": "x × (1/d)", "element": ("qb.f.round_away", {}), "code": "int8 (−127…127)",
                    "dequantized": "code × fp16(d)"}
    else:
        peak = x32[int(np.argmax(np.abs(x32)))]
        steps = [Step("qb.signed_max", "m = x[argmax |x|]", (float(peak),))]
        d = peak / np.float32(-8)
        steps.append(Step("qb.d", "d = m / −8", (float(d),)))
        formulas = {"scaled": "x × (1/d) + 8.5", "element": "code − 8", "code": "min(15, trunc(·))",
                    "dequantized": "(code − 8) × fp16(d)"}
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        inv = np.float32(0) if d == 0 else np.float32(1) / d
        steps.append(Step("qb.scale", "fp16(d)", (float(np.float16(d)),)))
        v = xs.astype(np.float32) * inv
    # as quantize: NaN -> 0 (x̂ NaN); ±Inf saturates, or gives 0 where d = 0 (Inf · 0)
    v = np.where(np.isnan(xs) | (np.isinf(xs) & (inv == 0)), np.float32(0), v)
    if scheme.name == "q4_0":
        v = v + np.float32(8.5)
    return _Rule(steps, v.astype(np.float64), formulas)


def _nf4_rule(xs: np.ndarray, scheme: BlockScheme, extra: dict, used: float, wd: np.dtype) -> _Rule:
    """bitsandbytes: x · fl32(1 / max(absmax, 1e-38)) to the nearest NF4 level; x̂ = level · absmax
    (with double quantization, the absmax as stored in 8 bits)."""
    amax = np.float32(np.max(np.abs(_finite(xs))))
    recip = np.float32(1.0) / max(amax, np.float32(NF4_MIN_ABSMAX))
    steps = [Step("qb.amax", "absmax = max|x|", (float(amax),)),
             Step("qb.reciprocal", "fl32(1 / absmax)", (float(recip),))]
    scale = "absmax"
    if "double_quant" in extra:
        steps.append(Step("qb.dq_absmax", "map₈[code] · max|c| + μ", (used,)))
        scale = "absmax₈"
    steps.append(Step("qb.scale", scale, (used,)))
    scaled = (xs.astype(wd) * recip.astype(wd)).astype(np.float64)
    return _Rule(steps, scaled, {"scaled": "x × (1/absmax)",
                                 "code": ("qb.f.level_index", {}), "dequantized": ("qb.f.level_times", {"scale": scale})})


def _divided(xs: np.ndarray, scale: float, wd: np.dtype) -> np.ndarray:
    """x / scale rounded in the working dtype, as quantize computes it (float32 for float32 and
    narrower inputs, else float64). Multiplying by an exact power-of-two reciprocal, as quantize
    does for MX, is the same real number, so it rounds to the same value."""
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        return (xs.astype(wd) / wd.type(scale)).astype(np.float64)


_RULES = {"mx": _mx_rule, "nvfp4": _nvfp4_rule, "gguf": _gguf_rule, "nf4": _nf4_rule}


def _element_values(scheme: BlockScheme, codes: np.ndarray) -> np.ndarray:
    """The grid value each code stands for, before the block scale."""
    if scheme.name == "q4_0":
        return codes.astype(np.float64) - 8
    if scheme.element_format == "int8":
        step = MXINT8_ELEMENT_SCALE if scheme.family == "mx" else 1.0
        return codes.astype(np.float64) * step
    return np.asarray(get_format(scheme.element_format).decode(codes.astype(np.int64)), dtype=np.float64)


def axis_runs_note(shape: tuple[int, ...], axis: int, size: int, lang: str = "en", unit: str = "block",
                   fmt: str | None = None) -> str:
    """How the values along the chosen axis split into groups or blocks (``unit``) of ``size``, and,
    for a block scheme ``fmt``, where its reference library would lay the blocks out otherwise
    (reference_layout_note). Example: ((4, 256), 1, 128) -> "256 values along axis 1: 2 runs of up
    to 128"; ((4,), 0, 32) -> "4 values along axis 0: one run (a block holds up to 32)"; unit
    "group": "(a group holds up to 32)"."""
    from lib.i18n import t

    n = shape[axis]
    runs = -(-n // size)
    key = "quant.axis_runs_note" if runs > 1 else f"quant.axis_runs_note_one{'_group' if unit == 'group' else ''}"
    note = t(key, lang, axis=axis, n=f"{n:,}", groups=f"{runs:,}", size=size)
    ref = reference_layout_note(fmt, shape, axis, lang) if fmt else None
    return f"{note}{'。' if lang == 'zh' else '. '}{ref}" if ref else note


def reference_layout_note(fmt: str, shape: tuple[int, ...], axis: int, lang: str = "en") -> str | None:
    """Why the reference library would give other values for this layout, or None where it agrees.

    GGUF (Q8_0, Q4_0) runs its blocks along each row, the last axis, and refuses rows that are not
    a multiple of 32 (gguf.quants.quantize raises QuantError). bitsandbytes (NF4) blocks the
    tensor flattened in C order, so its 64-value blocks cross rows when a row is not a multiple
    of 64. Here blocks run along ``axis`` and the last one of each line is padded. MX and NVFP4
    leave the axis to the user (the reduction dimension), so they get no note.
    Example: ("nf4", (10, 100), 1) -> "bitsandbytes blocks the tensor flattened row by row, so with
    100 values a row its blocks would cross rows ..."; ("nf4", (10, 128), 1) -> None.
    """
    from lib.i18n import t

    scheme = SCHEMES.get(fmt)
    if scheme is None or scheme.family not in ("gguf", "nf4"):
        return None
    last, n, size = len(shape) - 1, shape[axis], scheme.block_size
    if scheme.family == "gguf":
        if axis != last:
            return t("quant.ref_gguf_axis", lang, fmt=fmt)
        return t("quant.ref_gguf_pad", lang, fmt=fmt, n=f"{n:,}", size=size) if n % size else None
    # the flattened order runs along axis when every later axis has one index: (n, 1) along axis 0
    if any(shape[k] > 1 for k in range(axis + 1, len(shape))):
        return t("quant.ref_nf4_axis", lang)
    lines = math.prod(shape) // max(n, 1)
    return t("quant.ref_nf4_cross", lang, n=f"{n:,}") if n % size and lines > 1 else None


def scale_table(walk: BlockWalk, lang: str = "en") -> list[dict[str, str]]:
    """Rows (step, formula, value) of the block's scale steps, step names translated."""
    from lib.i18n import t

    return [{t("quant.we.col_step", lang): t(s.key, lang), t("quant.we.col_formula", lang): formula_text(s.formula, lang),
             t("qb.col.value", lang): format_number(s.values[0])} for s in walk.scale_steps]


def element_table(walk: BlockWalk, lang: str = "en") -> list[dict[str, str]]:
    """One row per element of the block: its position along the axis, then every column of
    COLUMNS headed "name: formula" (names translated), numbers as in lib.worked_example; codes
    that are bit patterns also in binary ("13 = 1101")."""
    from lib.i18n import colon, t

    heads = {k: f"{t(f'qb.col.{k}', lang)}{colon(lang)}{formula_text(walk.formulas[k], lang)}" if k != "x" else "x"
             for k in COLUMNS}
    order = COLUMNS_CODE_FIRST if walk.scheme in CODE_FIRST else COLUMNS
    rows = []
    for i in range(len(walk.columns["x"])):
        row = {t("qb.col.pos", lang): str(walk.start + i)}
        row.update({heads[k]: format_number(walk.columns[k][i]) for k in order})
        if walk.code_bits:
            code = int(walk.columns["code"][i])
            row[heads["code"]] = f"{code} = {code:0{walk.code_bits}b}"
        rows.append(row)
    return rows


def largest_block(x: np.ndarray, r: QuantResult) -> int:
    """Index of a block holding the largest finite |x| (0 when there is none).

    Example: blocks of 32 along x = [0]*40 + [5] + [0]*23 -> value 40 lies in block 1.
    """
    if r.axis is None or r.block_size is None:
        raise QuantizeError("qb.not_block", fmt=r.fmt)
    arr = np.asarray(x).reshape(np.shape(r.codes) or (1,))
    mag = np.abs(arr, dtype=np.float64 if arr.dtype.kind in "iub" else None)
    mag[~np.isfinite(mag)] = 0
    where = np.unravel_index(int(np.argmax(mag)), arr.shape)
    rest = tuple(int(v) for k, v in enumerate(where) if k != r.axis)
    line = int(np.ravel_multi_index(rest, arr.shape[: r.axis] + arr.shape[r.axis + 1:])) if rest else 0
    return line * math.ceil(arr.shape[r.axis] / r.block_size) + int(where[r.axis]) // r.block_size
