"""Quantize a tensor: choose scales, map values to codes, reconstruct, measure the loss.

The pipeline is three plain steps (as in torchao's quant primitives):

1. lay the tensor out as rows, one row per scale (lib.layout: tensor / channel / group);
2. choose each row's scale and zero point (lib.scales, ``method``) — or let a block scheme set
   them (lib.blocks: MX, NVFP4, GGUF, NF4);
3. codes = clip(snap(x / scale) + zero_point), x̂ = (grid value - zero_point) · scale (lib.apply).

Worked example (absmax, int8, per tensor): x = [-0.5, 0.3, 1.2, -2.1] -> scale = 2.1 / 127
= 0.016535 -> x / scale = [-30.24, 18.14, 72.57, -127.0] -> codes [-30, 18, 73, -127]
-> x̂ = [-0.49606, 0.29764, 1.20709, -2.1].

Conventions:
* codes have x's shape: integer formats give the integer itself (int8 dtype for int8), float
  formats their bit pattern (uint8 for FP8), table formats (nf4) the level index; Q4_0 gives the
  stored nibble 0..15 with zero_point 8.
* dequantized has x's shape and dtype (float64 for integer input); NaN stays NaN, ±Inf saturates
  (to NaN in the fnuz float8 formats, which have no Inf: see lib.formats.floats).
  NaN/Inf never influence a scale and are left out of the metrics (counted in nonfinite_count).
* scale: the working dtype (float32 for float32/float16/bfloat16 input, else float64); shape
  broadcastable against x for tensor/channel granularity; for group granularity and block
  schemes the axis holds one entry per group (``r.scale_per_element()`` expands it).
* bits_per_element counts every stored bit: element bits, plus each scale as 32 bits (fp32),
  plus each zero point at the element's width, spread over the values sharing it: int8
  per-tensor absmax = 8 + 32/N, int4 group-128 absmax = 4.25, int4 group-128 minmax = 4.28125;
  block schemes: see lib.blocks (MXFP4 4.25, Q8_0 8.5, Q4_0 4.5). method "none" stores no scale.
  A partial last group or block stores a whole scale: MXFP4 on 200 values = 4 + 7·8/200 = 4.28.
* clipped_count: finite values beyond the grid by more than rounding covers (scaled value
  outside [qmin - 0.5, qmax + 0.5] for integers, |v| > max + half the last step for floats and
  tables); ``metrics["clipped_fraction"]`` divides it by the finite count. With overflow "ieee"
  on a float format with NaN these values become ±inf/NaN, not ±max (overflows_to_special).
* levels_available: codes holding a finite value (int8 256; float8_e4m3fn 253: 256 codes
  minus 2 NaNs, with +0 and -0 one level; nf4 16; q8_0 and mxint8 255).
* extra (block schemes): mx* -> "scale_codes" (E8M0 codes, uint8) and "shared_exponent";
  nvfp4 -> "global_scale" (float) and "scale_codes" (E4M3 codes); nf4 -> "absmax" and, with
  double_quant, "double_quant" = {"codes", "scales", "mean"}; gguf -> {}.
* metrics are computed on first access of ``r.metrics`` (then cached) from x as passed in (no
  copy is kept: do not modify x in place before reading them).
* Memory: work is done in chunks of ~128K values; with padding (a size not divisible by the
  group) a few lines are padded at a time, so the extra memory beyond the returned arrays stays
  well under the input's size (bench/bench_quantize.py measures it).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from lib import compiled
from lib.apply import apply_scales
from lib.blocks import (SCHEMES, SYMMETRIC_INT8_SCHEMES, BlockScheme, double_quantize_absmax, list_schemes,
                        quantize_blocks, stored_bits_per_value)
from lib.elements import Element, format_names, get_element
from lib.errors import QuantizeError
from lib.formats.spec import OVERFLOWS, ROUNDINGS
from lib.layout import GRANULARITIES, Layout, make_layout
from lib.metrics import compute_metrics
from lib.scales import METHODS, best_pooled_ratio, choose_scale, pooled_histogram, row_stats

__all__ = ["quantize", "list_schemes", "list_methods", "QuantResult", "METHODS", "GRANULARITIES"]

SCALE_BITS = 32
_OVERFLOWS, _ROUNDINGS = OVERFLOWS, ROUNDINGS  # the element formats' own modes


def list_methods() -> list[str]:
    """Names of the scale methods."""
    return list(METHODS)


@dataclass(frozen=True)
class QuantResult:
    """What quantize() returns. ``metrics`` is computed lazily (first access), then cached."""

    codes: np.ndarray
    scale: np.ndarray
    zero_point: np.ndarray | None
    dequantized: np.ndarray
    fmt: str  # canonical format or scheme name
    element_format: str  # lib.formats name of the elements
    method: str
    granularity: str  # "tensor" | "channel" | "group" | "block"
    axis: int | None
    block_size: int | None
    bits_per_element: float
    clipped_count: int
    levels_available: int
    extra: dict[str, Any] = field(default_factory=dict)
    rounding: str = "nearest_even"  # the modes the elements were rounded with (block walk headings)
    overflow: str = "saturate"
    _x: np.ndarray | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def metrics(self) -> dict[str, float]:
        """lib.metrics.compute_metrics(x, dequantized) with this result's codes and costs."""
        return compute_metrics(
            self._x, self.dequantized, codes=self.codes, levels_available=self.levels_available,
            bits_per_element=self.bits_per_element, clipped_count=self.clipped_count,
            negative_zero=get_element(self.element_format).negative_zero,
        )

    @property
    def overflows_to_special(self) -> bool:
        """True when values beyond the grid became ±inf or NaN instead of ±max: overflow="ieee" on
        a float element format with NaN (float16, FP8, the MX FP8 elements); FP4, FP6, integer
        and table formats saturate either way. clipped_count then counts those values.

        Example: float16, method "none", overflow "ieee": 70000 -> inf, counted in clipped_count."""
        el = get_element(self.element_format)
        return self.overflow == "ieee" and el.kind == "float" and bool(el.fmt.has_nan)

    def scale_per_element(self) -> np.ndarray:
        """The scale of every element, shape of x (group/block scales repeated along the axis)."""
        if self.granularity in ("tensor", "channel") or self.scale.ndim == 0:
            return np.broadcast_to(self.scale, self.codes.shape)
        assert self.axis is not None and self.block_size is not None
        rep = np.repeat(self.scale, self.block_size, axis=self.axis)
        return np.take(rep, np.arange(self.codes.shape[self.axis]), axis=self.axis)


def quantize(
    x: Any,
    fmt: str = "int8",
    method: str = "absmax",
    granularity: str = "tensor",
    axis: int = 0,
    block_size: int | None = None,
    percentile: float = 99.9,
    overflow: str = "saturate",
    rounding: str = "nearest_even",
    *,
    rng: np.random.Generator | None = None,
    double_quant: bool = False,
) -> QuantResult:
    """Quantize ``x`` to ``fmt`` and back.

    Args:
        x: array-like of real numbers (any shape, not empty).
        fmt: a lib.formats name (int8, int4, float8_e4m3fn, nf4, ...) or a block scheme
            (list_schemes(): mxfp8_e4m3 ... nf4).
        method: scale method (list_methods()); block schemes take only "absmax" (their own rule).
        granularity: "tensor", "channel" (one scale per index along ``axis``) or "group"
            (runs of ``block_size`` values along ``axis``). Ignored by block schemes, which use
            their own block size along ``axis``.
        axis: see granularity.
        block_size: group size for granularity="group".
        percentile: for method="percentile", in (0, 100].
        overflow: "saturate" or "ieee" (float element formats; integers always clamp).
        rounding: "nearest_even", "nearest_away", "toward_zero" or "stochastic".
        rng: generator for stochastic rounding (default seeded with 0).
        double_quant: nf4 only: store the block absmaxes in 8 bits.

    Returns:
        QuantResult (codes, scale, zero_point, dequantized, metrics, ...).

    Raises:
        QuantizeError: empty or non-numeric x, unknown fmt/method/granularity/modes, axis out of
            range, bad block size or percentile, minmax on a non-integer format.

    Example:
        >>> quantize([-0.5, 0.3, 1.2, -2.1]).codes.tolist()
        [-30, 18, 73, -127]
    """
    arr, out_dtype, work = _as_work_array(x)
    _check_modes(overflow, rounding)
    if rounding == "stochastic" and rng is None:
        rng = np.random.default_rng(0)  # one stream for the whole tensor, reproducible
    scheme = SCHEMES.get(fmt) if isinstance(fmt, str) else None
    if method not in METHODS:
        raise QuantizeError("qlib.unknown_method", name=method, options=list(METHODS))
    shape = arr.shape if arr.ndim else (1,)
    el: Element | None = None
    if scheme is not None:
        if method != "absmax":
            raise QuantizeError("qlib.scheme_fixes_scale", fmt=scheme.name, method=method)
        layout = make_layout(shape, "group", axis, scheme.block_size)
        local = scheme.family in ("mx", "gguf") or (scheme.family == "nf4" and not double_quant)

        def core(x2d: np.ndarray) -> dict[str, Any]:
            return _quantize_scheme(x2d, layout, scheme, rounding, overflow, rng, double_quant)
    else:
        el = _element_or_error(fmt)
        layout = make_layout(shape, granularity, axis, block_size)
        local = method in ("none", "absmax", "minmax", "pow2", "percentile")

        def core(x2d: np.ndarray) -> dict[str, Any]:
            return _quantize_plain(x2d, layout, el, method, percentile, rounding, overflow, rng)
    x_shaped = work.reshape(shape)
    if compiled.covers(x_shaped, layout, el, scheme, method, rounding, overflow, double_quant):
        # the same bytes as the numpy path, in one pass (lib.compiled)
        result = {**(_scheme_info(scheme, layout, double_quant) if scheme is not None
                     else _plain_info(el, method, layout, False)), "zero_point": None,
                  **compiled.quantize_fast(x_shaped, layout, el, scheme)}
    else:
        result = _numpy_path(x_shaped, layout, scheme, el, method, core, local, (percentile, rounding, overflow, rng))
    codes, deq = result["codes"].reshape(arr.shape), result["dequantized"].reshape(arr.shape)
    if deq.dtype != out_dtype:  # a value rounded beyond a float16 x's range becomes ±inf there
        with np.errstate(over="ignore"):
            deq = deq.astype(out_dtype)
    scale = layout.scales_out(result["scale"])
    zp = result["zero_point"]
    if arr.ndim == 0:
        scale = scale.reshape(())
    return QuantResult(
        codes=codes,
        scale=scale,
        zero_point=None if zp is None else (layout.scales_out(zp).reshape(scale.shape)),
        dequantized=deq,
        fmt=result["fmt"],
        element_format=result["element_format"],
        method=method,
        granularity="block" if scheme is not None else granularity,
        axis=layout.axis,
        block_size=layout.block_size,
        bits_per_element=result["bits"],
        clipped_count=result["clipped"],
        levels_available=result["levels"],
        extra=result.get("extra", {}),
        rounding=rounding,
        overflow=overflow,
        _x=arr,
    )


def _numpy_path(x: np.ndarray, layout: Layout, scheme: BlockScheme | None, el: Element | None, method: str,
                core: Callable[[np.ndarray], dict[str, Any]], local: bool, settings: tuple) -> dict[str, Any]:
    """``core`` over x's rows (lines of a few padded rows at a time when groups do not divide
    them); codes and x̂ in x's shape."""
    if layout.padding and not local:
        local, core = _make_local(x, layout, scheme, el if scheme is None else None, method, core, settings)
    if layout.padding and local:
        return _by_lines(x, layout, core)
    result = core(layout.to_rows(x))
    return {**result, "codes": layout.from_rows(result["codes"]).reshape(x.shape),
            "dequantized": layout.from_rows(result["dequantized"]).reshape(x.shape)}


def _as_work_array(x: Any) -> tuple[np.ndarray, np.dtype, np.ndarray]:
    """(x as an array, dtype of the dequantized output, float32/float64 working copy or view)."""
    arr = np.asarray(x)
    kind = arr.dtype.kind
    if kind in "biu":
        out_dtype = np.dtype(np.float64)
    elif arr.dtype in (np.float32, np.float64):
        out_dtype = arr.dtype
    elif kind == "f" or (kind == "V" and _is_ml_float(arr.dtype)):
        out_dtype = arr.dtype
    else:
        raise QuantizeError("qlib.not_numeric", dtype=str(arr.dtype))
    if arr.size == 0:
        raise QuantizeError("qlib.empty", shape=tuple(arr.shape))
    work_dtype = np.float32 if out_dtype == np.float32 or out_dtype.itemsize < 4 else np.float64
    work = arr.astype(work_dtype, copy=False)
    if not work.flags.c_contiguous:
        work = np.ascontiguousarray(work)
    return arr, out_dtype, work


def _is_ml_float(dtype: np.dtype) -> bool:
    try:
        np.zeros(1, dtype).astype(np.float32)
    except (TypeError, ValueError):
        return False
    return dtype.itemsize <= 2


def _check_modes(overflow: str, rounding: str) -> None:
    if overflow not in _OVERFLOWS:
        raise QuantizeError("qlib.unknown_overflow", name=overflow, options=list(_OVERFLOWS))
    if rounding not in _ROUNDINGS:
        raise QuantizeError("qlib.unknown_rounding", name=rounding, options=list(_ROUNDINGS))


def _element_or_error(fmt: Any) -> Element:
    if not isinstance(fmt, str):
        raise QuantizeError("qlib.unknown_fmt", name=str(fmt), options=[*format_names(), *list_schemes()])
    return get_element(fmt)


def _stored_bits(el: Element, method: str, layout: Layout, has_zp: bool) -> float:
    """Element bits as stored (tf32: 32, the float32 word it lives in) + every scale (fp32) and
    zero point (element width), per real value; a partial group's scale counts too: int4 groups
    of 32 on 200 values = 4 + 7·32/200 = 5.12."""
    if method == "none":
        return float(el.fmt.storage_bits)
    return el.fmt.storage_bits + layout.rows * (SCALE_BITS + (el.bits if has_zp else 0)) / math.prod(layout.shape)


def _quantize_plain(x2d: np.ndarray, layout: Layout, el: Element, method: str, percentile: float,
                    rounding: str, overflow: str, rng: np.random.Generator | None,
                    shared_ratio: float | None = None) -> dict[str, Any]:
    stats = row_stats(x2d, symmetric=method != "minmax" and el.signed)
    scale, zp = choose_scale(x2d, el, method, stats, percentile=percentile,
                             per_row_search=layout.granularity != "group", shared_ratio=shared_ratio)
    applied = apply_scales(x2d, el, scale, zp, stats=stats, rounding=rounding, overflow=overflow, rng=rng)
    return {"codes": applied.codes, "dequantized": applied.dequantized, "scale": scale, "zero_point": zp,
            "clipped": applied.clipped, **_plain_info(el, method, layout, zp is not None)}


def _plain_info(el: Element, method: str, layout: Layout, has_zp: bool) -> dict[str, Any]:
    """What a result of an element format says besides its arrays."""
    return {"fmt": el.name, "element_format": el.name, "levels": el.levels,
            "bits": _stored_bits(el, method, layout, has_zp)}


def _quantize_scheme(x2d: np.ndarray, layout: Layout, scheme: BlockScheme, rounding: str, overflow: str,
                     rng: np.random.Generator | None, double_quant: bool,
                     tensor_amax: float | None = None,
                     dq_given: tuple[np.ndarray, dict[str, Any]] | None = None) -> dict[str, Any]:
    stats = row_stats(x2d, symmetric=True)
    out = quantize_blocks(x2d, scheme, stats, rounding=rounding, overflow=overflow, rng=rng,
                          double_quant=double_quant, n_values=math.prod(layout.shape),
                          tensor_amax=tensor_amax, dq_given=dq_given)
    return {"codes": out.codes, "dequantized": out.dequantized, "scale": out.scale, "zero_point": out.zero_point,
            "clipped": out.clipped, "extra": out.extra, **_scheme_info(scheme, layout, double_quant)}


def _scheme_info(scheme: BlockScheme, layout: Layout, double_quant: bool) -> dict[str, Any]:
    """What a block scheme's result says besides its arrays."""
    el = get_element(scheme.element_format)
    return {"fmt": scheme.name, "element_format": el.name,
            "levels": 255 if scheme.name in SYMMETRIC_INT8_SCHEMES else el.levels,
            "bits": stored_bits_per_value(scheme, math.prod(layout.shape), layout.rows, double_quant)}


_LINE_CHUNK = 1 << 20


def _line_chunks(x: np.ndarray, layout: Layout) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """(first line, lines, their padded rows view) for a few lines along the group axis at a time."""
    assert layout.axis is not None and layout.block_size is not None
    moved = np.moveaxis(x, layout.axis, -1)
    lines = moved.reshape(-1, moved.shape[-1])
    step = max(1, _LINE_CHUNK // (layout.groups_per_line * layout.block_size))
    for l0 in range(0, lines.shape[0], step):
        part = lines[l0:l0 + step]
        padded = np.pad(part, [(0, 0), (0, layout.padding)], constant_values=np.nan)
        yield l0, part, padded.reshape(-1, layout.block_size)


def _make_local(x: np.ndarray, layout: Layout, scheme: BlockScheme | None, el: Element | None, method: str,
                core: Callable[[np.ndarray], dict[str, Any]], opts: tuple[Any, ...],
                ) -> tuple[bool, Callable[[np.ndarray], dict[str, Any]]]:
    """Turn a whole-tensor computation into a per-group one by first gathering what it pools.

    Pooled mse/kl searches (group granularity) get their histogram summed line by line, NVFP4
    its tensor absmax, NF4 double quantization every block's absmax (its 8-bit absmax blocks of
    256 span lines); the returned core then uses them on each part, parts taken in order.
    """
    percentile, rounding, overflow, rng = opts
    if scheme is None and el is not None and method in ("mse", "kl"):
        top = float(row_stats(x.reshape(1, -1), symmetric=el.signed).amax(el)[0])  # one weight scale for all parts
        hist = sum(pooled_histogram(x2d, el, row_stats(x2d, symmetric=el.signed), method, top=top)
                   for _, _, x2d in _line_chunks(x, layout))
        ratio = best_pooled_ratio(np.asarray(hist), el, method)
        return True, lambda x2d: _quantize_plain(x2d, layout, el, method, percentile, rounding, overflow,
                                                 rng, shared_ratio=ratio)
    if scheme is not None and scheme.family == "nvfp4":
        amax = float(row_stats(x.reshape(1, -1), symmetric=True).vmax[0])
        return True, lambda x2d: _quantize_scheme(x2d, layout, scheme, rounding, overflow, rng, False,
                                                  tensor_amax=amax)
    if scheme is not None and scheme.family == "nf4":  # double quantization
        absmax = np.concatenate([row_stats(x2d, symmetric=True).vmax.astype(np.float32)
                                 for _, _, x2d in _line_chunks(x, layout)]).astype(np.float64)
        recon, stored = double_quantize_absmax(absmax)
        done = [0]

        def nf4_part(x2d: np.ndarray) -> dict[str, Any]:
            lo, done[0] = done[0], done[0] + x2d.shape[0]  # parts arrive in order
            return _quantize_scheme(x2d, layout, scheme, rounding, overflow, rng, True,
                                    dq_given=(recon[lo:done[0]], stored))
        return True, nf4_part
    return False, core


def _by_lines(x: np.ndarray, layout: Layout, core: Callable[[np.ndarray], dict[str, Any]]) -> dict[str, Any]:
    """Run ``core`` on a group layout that needs padding, a few lines at a time.

    Only the lines in hand are padded, and their results are cropped straight into the output
    arrays, so extra memory stays a few MB instead of a padded copy of the tensor. Used when
    every group is independent (or made so by _make_local).
    Returns the core's dict with codes and dequantized already in x's shape.
    """
    assert layout.axis is not None
    moved_shape = np.moveaxis(x, layout.axis, -1).shape
    n = moved_shape[-1]
    parts: list[dict[str, Any]] = []
    codes = deq = None
    for l0, part, x2d in _line_chunks(x, layout):
        res = core(x2d)
        if codes is None:
            lines = math.prod(moved_shape[:-1])
            codes = np.empty((lines, n), dtype=res["codes"].dtype)
            deq = np.empty((lines, n), dtype=res["dequantized"].dtype)
        codes[l0:l0 + part.shape[0]] = res["codes"].reshape(part.shape[0], -1)[:, :n]
        deq[l0:l0 + part.shape[0]] = res["dequantized"].reshape(part.shape[0], -1)[:, :n]  # type: ignore[index]
        parts.append({k: v for k, v in res.items() if k not in ("codes", "dequantized")})
    result = dict(parts[-1])
    for key in ("scale", "zero_point"):
        result[key] = None if result[key] is None else np.concatenate([p[key] for p in parts])
    result["clipped"] = sum(p["clipped"] for p in parts)
    result["extra"] = {k: np.concatenate([p["extra"][k] for p in parts]) if isinstance(v, np.ndarray) else v
                       for k, v in parts[-1].get("extra", {}).items()}
    result["codes"] = np.ascontiguousarray(np.moveaxis(codes.reshape(moved_shape), -1, layout.axis))  # type: ignore[union-attr]
    result["dequantized"] = np.ascontiguousarray(np.moveaxis(deq.reshape(moved_shape), -1, layout.axis))  # type: ignore[union-attr]
    return result
