"""Where the tensor of the Quantize and Compare pages comes from, described as plain data.

A :class:`Source` (frozen, hashable, so it keys a cache) says which of the four choices the user
made and its settings; :func:`load` turns it into named arrays with lib.io / lib.synthetic;
:func:`prepare` checks the chosen array and shapes it for the pages:

    1-D and 2-D arrays are used as they are;
    an N-D array (N > 2) needs a channel axis c: lib.io.as_matrix makes it the matrix
        np.moveaxis(x, c, 0).reshape(x.shape[c], -1)      (one row per channel)
    e.g. shape (2, 3, 4) with c = 2 -> (4, 6).

Example:
    >>> src = Source("synthetic", dist="normal", size=1000, seed=0)
    >>> arrays = load(src)
    >>> list(arrays), arrays["normal"].values.shape
    (['normal'], (1000,))
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

import numpy as np

from lib.errors import LoadError

SOURCES: tuple[str, ...] = ("synthetic", "paste", "upload", "bundled")
SIZES: tuple[int, ...] = (1_024, 16_384, 65_536, 262_144, 1_048_576, 4_194_304)
DEFAULT_SIZE = 262_144
DEFAULT_DIST = "llm_like"
MAGNITUDES: tuple[int, ...] = tuple(range(-8, 5))
"""Powers of ten a synthetic tensor can be multiplied by (10^-8 ... 10^4; 0 leaves it as drawn)."""

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Source:
    """One data choice.  kind: one of SOURCES.  synthetic: dist, size, seed, magnitude (the values
    are multiplied by 10^magnitude, see :func:`magnified`) and params, the distribution's
    parameters that differ from its defaults (``lib.synthetic.changed_params``).  paste: text.
    upload: file_name and file_key (any string that changes when the file does; the bytes are
    passed to :func:`load` separately).  bundled: asset."""

    kind: str
    dist: str = DEFAULT_DIST
    size: int = DEFAULT_SIZE
    seed: int = 0
    magnitude: int = 0
    params: tuple[tuple[str, float], ...] = ()
    text: str = ""
    file_name: str = ""
    file_key: str = ""
    asset: str = ""

    def key(self) -> str:
        """A short stable digest of this choice (cache key of everything computed from the data)."""
        return hashlib.blake2b(repr(self).encode(), digest_size=12).hexdigest()


def load(src: Source, data: bytes | None = None) -> dict[str, Any]:
    """The named tensors of a source as ``lib.io.LoadedTensor`` (name, stored_dtype, shape and
    ``values`` read on first access, so only the tensor the user picks is converted).  One tensor
    for synthetic, paste and bundled.  Raises LoadError."""
    from lib.io import LoadedTensor

    if src.kind == "synthetic":
        from lib.synthetic import synthetic

        x = magnified(synthetic(src.dist, int(src.size), seed=int(src.seed), **dict(src.params)), int(src.magnitude))
        name = synthetic_name(src.dist, int(src.magnitude), int(src.seed), src.params)
        return {name: LoadedTensor.of(name, x, "float32")}
    if src.kind == "paste":
        from lib.io import parse_pasted

        x = parse_pasted(src.text)
        return {"pasted": LoadedTensor.of("pasted", x, "text")}  # as a .csv's: typed digits, read as float64
    if src.kind == "upload":
        from lib.io import load_tensors

        if data is None:
            raise LoadError("io.empty_file", filename=src.file_name or "?")
        return dict(load_tensors(data, src.file_name))
    if src.kind == "bundled":
        from lib.io import load_bundled

        x = load_bundled(src.asset)
        return {src.asset: LoadedTensor.of(src.asset, x, str(x.dtype))}
    raise ValueError(f"unknown data source kind {src.kind!r}")


def magnified(x: np.ndarray, magnitude: int) -> np.ndarray:
    """x · 10^magnitude in float32: each value times float32(10^k), rounded to nearest even.

    Moves a tensor to where a format has trouble with it, e.g. N(0, 1) · 10^-4 lies below
    float8_e4m3fn's smallest subnormal 2^-9 ≈ 0.00195, so a cast with no scale turns almost all
    of it into 0. Example: magnified([1.5, -2.0], -1) -> [0.15, -0.2] (float32: 0.15000001, -0.2).
    """
    if magnitude == 0:
        return x
    if magnitude not in MAGNITUDES:
        raise ValueError(f"magnitude must be one of {MAGNITUDES}, not {magnitude!r}")
    return np.multiply(x, np.float32(10.0**magnitude), dtype=np.float32)


def magnitude_text(magnitude: int) -> str:
    """The factor as shown: 0 -> "× 1", -4 -> "× 10⁻⁴", 3 -> "× 10³"."""
    return "× 1" if magnitude == 0 else f"× 10{str(magnitude).translate(_SUPERSCRIPT)}"


def synthetic_name(dist: str, magnitude: int = 0, seed: int = 0, params: tuple[tuple[str, float], ...] = ()) -> str:
    """The tensor's name, also used in download file names, with the changed parameters, the seed
    and the factor when they are not the defaults: "normal", "normal_seed3", "normal_x1e-4",
    "student_t_df1.5_seed3", "llm_like_n_outliers8_outlier_scale100"."""
    from lib.numtext import shortest

    changed = "".join(f"_{name}{shortest(value)}" for name, value in params)
    return dist + changed + (f"_seed{seed}" if seed else "") + (f"_x1e{magnitude}" if magnitude else "")


def asset_names() -> list[str]:
    """Names of the bundled real tensors (lib.io), in display order."""
    from lib.io import bundled_assets

    return [a.name for a in bundled_assets()]


def asset_label_key(name: str) -> str:
    """i18n key of a bundled tensor's display name."""
    from lib.io import bundled_assets

    return next(a.label_key for a in bundled_assets() if a.name == name)


def needs_axis(x: np.ndarray) -> bool:
    """True for arrays of more than 2 dimensions: the user must say which axis holds the channels."""
    return np.ndim(x) > 2


def prepare(x: np.ndarray, name: str, channel_axis: int | None = None) -> np.ndarray:
    """Check an array and return it ready to quantize: numeric, at least one value, not all NaN
    (lib.io.check_array, floats); an N-D array (N > 2) becomes the matrix lib.io.as_matrix makes,
    one row per index of channel_axis (so its channels lie along axis 0); a 0-d array (one number,
    as np.save(f, np.float32(1.5)) writes) becomes a vector of one value."""
    from lib.io import as_matrix, check_array

    x = np.atleast_1d(check_array(x, name))
    if needs_axis(x):
        if channel_axis is None:
            raise LoadError("io.axis_choice", ndim=x.ndim, shape=tuple(x.shape))
        x = as_matrix(x, channel_axis)
    return x


def default_axis(x: np.ndarray, dist: str | None = None, params: tuple[tuple[str, float], ...] = ()) -> int:
    """The channel axis offered first: the axis of an LLM-like synthetic matrix's outlier channels
    (its ``outlier_axis``: columns, axis 1, unless changed to rows), so per-channel scales separate
    them; axis 0 (output channels of a weight matrix, or the chosen channel axis of an N-D array)
    otherwise. Example: llm_like with outlier_axis 0 -> 0 (per channel along 1 gave 25 dB, not 43)."""
    if dist != "llm_like" or np.ndim(x) != 2:
        return 0
    return int(dict(params).get("outlier_axis", 1))


# ---------------------------------------------------------------- downloads


def codes_npz(result: object) -> bytes:
    """The codes, scales, zero points (if any) and what a block scheme stores besides them
    (:func:`stored_extras`) of a quantize result as .npz bytes (no pickles)."""
    buf = io.BytesIO()
    arrays = {"codes": np.asarray(result.codes), "scale": np.asarray(result.scale)}  # type: ignore[attr-defined]
    zp = getattr(result, "zero_point", None)
    if zp is not None:
        arrays["zero_point"] = np.asarray(zp)
    arrays.update(stored_extras(result))
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    return buf.getvalue()


def stored_extras(result: object) -> dict[str, np.ndarray]:
    """What a block scheme stores besides its codes, laid out like ``result.scale`` (one entry per
    block) where it is per block:

    * MX: ``scale_codes`` (uint8 E8M0 bit patterns, X = 2^(code - 127)) and ``shared_exponent``;
    * NVFP4: ``scale_codes`` (uint8 E4M3 bit patterns of the block scales) and ``global_scale``
      (0-d float32): x̂ = fp4(code) · e4m3(scale_code) · global_scale, while ``scale`` holds the
      product e4m3 · global_scale rounded to float32;
    * NF4: ``absmax`` per block; with double quantization also ``absmax_codes`` (uint8, per
      block), ``absmax_scales`` (float32, one per 256 blocks, in block order) and ``absmax_mean``.

    Example: MXFP4 of 64 values in one row -> scale (1, 2), scale_codes (1, 2) uint8.
    """
    extra = dict(getattr(result, "extra", {}) or {})
    scale = np.asarray(result.scale)  # type: ignore[attr-defined]
    blocks = int(scale.size)
    out: dict[str, np.ndarray] = {}

    def per_block(v: Any) -> np.ndarray:
        return _like_scale(np.asarray(v), result) if np.size(v) == blocks else np.asarray(v)

    for key in ("scale_codes", "shared_exponent", "absmax"):
        if key in extra:
            out[key] = per_block(extra[key])
    if "absmax" in out:  # float32 values (bitsandbytes' dtype) carried as float64
        out["absmax"] = out["absmax"].astype(np.float32)
    if "global_scale" in extra:
        out["global_scale"] = np.asarray(extra["global_scale"], dtype=np.float32)
    dq = extra.get("double_quant")
    if dq:
        out["absmax_codes"] = per_block(dq["codes"])
        out["absmax_scales"] = np.asarray(dq["scales"])
        out["absmax_mean"] = np.asarray(dq["mean"], dtype=np.float32)
    return out


def _like_scale(per_block: np.ndarray, result: Any) -> np.ndarray:
    """Per-block values in block order (as lib.blocks returns them) laid out like result.scale."""
    from lib.layout import make_layout

    layout = make_layout(tuple(np.shape(result.codes)), "group", result.axis, result.block_size)
    return layout.scales_out(per_block).reshape(np.shape(result.scale))


def dequantized_npy(result: object) -> bytes:
    """The dequantized values of a quantize result as .npy bytes."""
    buf = io.BytesIO()
    np.save(buf, np.asarray(result.dequantized), allow_pickle=False)  # type: ignore[attr-defined]
    return buf.getvalue()


def metrics_csv(metrics: dict[str, float], label: str, settings: dict[str, Any] | None = None) -> str:
    """One header line and one row: "choice,<settings>,<metric names>" / "<label>,<values>", values
    at full precision, counts as integers ("201", not "201.0"), a setting that does not apply empty.
    ``settings`` (lib.compare.Choice.settings) says everything the short label leaves out: the
    percentile, rounding, overflow, axis. Example head: "choice,fmt,method,...,rounding,mse,..."."""
    given = settings or {}
    keys = list(metrics)
    counts = {"levels_used", "levels_available", "nonfinite_count"}
    values = [str(int(metrics[k])) if k in counts else repr(float(metrics[k])) for k in keys]
    setting_values = ["" if v is None else f"{v:g}" if isinstance(v, float) else str(v) for v in given.values()]
    return (",".join(["choice", *given, *keys]) + "\n" + ",".join([label, *setting_values, *values]) + "\n")
