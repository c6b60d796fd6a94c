"""Synthetic tensors with known distributions, for trying quantization on data we understand.

Every kind draws float32 values straight from a seeded ``numpy.random.Generator`` (PCG64), so
the same ``(kind, shape, seed, params)`` always gives the same bits, and a 50M-value tensor never
passes through a float64 copy.

| kind       | formula (U ~ uniform(0,1), Z ~ N(0,1), E ~ Exp(1), all independent)        | defaults         |
|------------|------------------------------------------------------------------------------|------------------|
| normal     | x = loc + scale * Z                                                          | loc 0, scale 1   |
| laplace    | x = loc + scale * (E1 - E2)          (density exp(-abs(x-loc)/scale)/(2 scale)) | scale 1/sqrt(2) -> std 1 |
| uniform    | x = low + (high - low) * U                                                   | +-sqrt(3) -> std 1 |
| student_t  | x = scale * Z / sqrt(G / df),  G ~ chi2(df) = 2 * Gamma(df/2)                | df 3, scale 1    |
| bimodal    | x = S * mu + sigma * Z,  S = +1 or -1 with probability 1/2                   | mu 2, sigma 0.5  |
| llm_like   | x[i, j] = std * Z[i, j] * (outlier_scale if column j is an outlier else 1)   | std 1, 4 channels x50, axis 1 |

``llm_like`` mimics what LLM.int8() and SmoothQuant found in transformer activations and some
weights: a handful of feature channels are ~50x larger than the rest, so one per-tensor scale
wastes almost every level on the outliers. The outliers are columns (``outlier_axis=1``, the
default: hidden features) or rows (``outlier_axis=0``: output channels). Per-channel scales help
only when they run along the outlier axis -- exactly the lesson.

Example:
    >>> x = synthetic("normal", 4, seed=0)
    >>> x.dtype, x.shape
    (dtype('float32'), (4,))
    >>> bool((synthetic("normal", 4, seed=0) == x).all())      # same seed, same bits
    True
    >>> m = synthetic("llm_like", (64, 32), seed=1, n_outliers=2)
    >>> len(outlier_channels(m))                                # the two planted columns
    2
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from lib.errors import LoadError
from lib.numtext import shortest

MAX_SYNTHETIC_SIZE = 64_000_000
"""Largest number of values ``synthetic`` will make (256 MB of float32)."""

LLM_LIKE_COLUMNS = 256
"""Columns of an ``llm_like`` matrix when only a total size is given: shape (size // 256, 256)."""


@dataclass(frozen=True)
class SyntheticKind:
    """One distribution: its name, default parameters and the formula (English, for docs/tests).

    ``label_key`` is the i18n key of its display name (lib/strings/io.py).
    """

    name: str
    defaults: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))
    formula: str = ""
    matrix: bool = False  # True: always 2-D (rows, columns)

    @property
    def label_key(self) -> str:
        return f"io.kind.{self.name}"


def _kind(name: str, formula: str, matrix: bool = False, **defaults: float) -> SyntheticKind:
    return SyntheticKind(name, MappingProxyType(dict(defaults)), formula, matrix)


SYNTHETIC_KINDS: dict[str, SyntheticKind] = {
    k.name: k
    for k in (
        _kind("normal", "x = loc + scale * Z", loc=0.0, scale=1.0),
        _kind("laplace", "x = loc + scale * (E1 - E2)", loc=0.0, scale=1.0 / math.sqrt(2.0)),
        _kind("uniform", "x = low + (high - low) * U", low=-math.sqrt(3.0), high=math.sqrt(3.0)),
        _kind("student_t", "x = scale * Z / sqrt(chi2(df) / df)", df=3.0, scale=1.0),
        _kind("bimodal", "x = S * mu + sigma * Z, S = +-1", mu=2.0, sigma=0.5),
        _kind(
            "llm_like",
            "x[i, j] = std * Z[i, j] * (outlier_scale if j (axis 1) or i (axis 0) is an outlier channel else 1)",
            matrix=True,
            std=1.0,
            n_outliers=4.0,
            outlier_scale=50.0,
            outlier_axis=1.0,
        ),
    )
}


@dataclass(frozen=True)
class ParamRange:
    """What a parameter box offers: values from ``low`` to ``high`` in steps of ``step``;
    ``whole`` for counts (an int box), ``choices`` for a pick (outlier_axis: 0 or 1)."""

    low: float
    high: float
    step: float
    whole: bool = False
    choices: tuple[float, ...] = ()


PARAM_RANGES: dict[str, ParamRange] = {
    "loc": ParamRange(-1000.0, 1000.0, 0.1),
    "scale": ParamRange(0.001, 1000.0, 0.1),
    "low": ParamRange(-1000.0, 1000.0, 0.1),
    "high": ParamRange(-1000.0, 1000.0, 0.1),
    "df": ParamRange(0.1, 1000.0, 0.5),  # df 1: Cauchy tails; df 30 and up: close to normal
    "mu": ParamRange(0.0, 1000.0, 0.1),
    "sigma": ParamRange(0.001, 1000.0, 0.1),
    "std": ParamRange(0.001, 1000.0, 0.1),
    "n_outliers": ParamRange(0, LLM_LIKE_COLUMNS, 1, whole=True),
    "outlier_scale": ParamRange(0.001, 10000.0, 1.0),
    "outlier_axis": ParamRange(0, 1, 1, whole=True, choices=(1.0, 0.0)),
}
"""The range offered for each distribution parameter (the page's boxes; a shared link outside it
falls back to the default). The generators check validity themselves (scale > 0, high > low ...)."""

for _kind_spec in SYNTHETIC_KINDS.values():
    for _name, _default in _kind_spec.defaults.items():
        assert _name in PARAM_RANGES, f"{_kind_spec.name}.{_name} needs a PARAM_RANGES entry"
        assert PARAM_RANGES[_name].low <= _default <= PARAM_RANGES[_name].high, f"default of {_name} outside its range"


def param_setting(kind: str, name: str) -> str:
    """The page setting (widget key without its page prefix) of a parameter: each distribution
    keeps its own, e.g. param_setting("student_t", "df") -> "p_student_t_df"."""
    return f"p_{kind}_{name}"


def default_params(kind: str) -> dict[str, float | int]:
    """The defaults of ``kind`` as its boxes hold them: counts and picks as int, the rest float.

    Example:
        >>> default_params("llm_like")["n_outliers"], default_params("normal")["scale"]
        (4, 1.0)
    """
    return {name: int(v) if PARAM_RANGES[name].whole else float(v)
            for name, v in SYNTHETIC_KINDS[kind].defaults.items()}


def changed_params(kind: str, values: Mapping[str, float]) -> tuple[tuple[str, float], ...]:
    """The parameters of ``kind`` in ``values`` that differ from its defaults, in the kind's order:
    a hashable, canonical form (a cache key, a file name) that is empty when nothing was changed.

    Example:
        >>> changed_params("student_t", {"df": 1.5, "scale": 1.0})
        (('df', 1.5),)
    """
    defaults = SYNTHETIC_KINDS[kind].defaults
    return tuple((name, float(values[name])) for name in defaults
                 if name in values and float(values[name]) != defaults[name])


def _shape(kind: SyntheticKind, shape_or_size: int | tuple[int, ...]) -> tuple[int, ...]:
    """Normalise the size argument; ``llm_like`` turns a plain size into (size // 256, 256)."""
    if isinstance(shape_or_size, (int, np.integer)):
        n = int(shape_or_size)
        shape: tuple[int, ...] = (n,)
        if kind.matrix:
            cols = min(n, LLM_LIKE_COLUMNS)
            shape = (max(n, 1) // max(cols, 1), cols)
    else:
        shape = tuple(int(s) for s in shape_or_size)
    size = math.prod(shape)
    if not shape or min(shape) < 1 or size > MAX_SYNTHETIC_SIZE:
        raise LoadError("io.synthetic_bad_size", shape=str(shape), max_size=f"{MAX_SYNTHETIC_SIZE:,}")
    if kind.matrix and len(shape) != 2:
        raise LoadError("io.synthetic_needs_matrix", kind=kind.name, shape=str(shape))
    return shape


def _params(kind: SyntheticKind, given: dict[str, Any]) -> dict[str, float]:
    unknown = sorted(set(given) - set(kind.defaults))
    if unknown:
        raise LoadError("io.synthetic_bad_param", kind=kind.name, param=unknown[0],
                        allowed=list(kind.defaults))
    params = {**kind.defaults, **{k: float(v) for k, v in given.items()}}
    for name, value in params.items():
        if not math.isfinite(value):
            raise LoadError("io.synthetic_bad_param", kind=kind.name, param=name,
                            allowed=list(kind.defaults))
    return params


def _positive(kind: str, params: dict[str, float], *names: str) -> None:
    for name in names:
        if params[name] <= 0:
            raise LoadError("io.synthetic_not_positive", kind=kind, param=name, value=shortest(params[name]))


def _normal(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    _positive("normal", p, "scale")
    x = rng.standard_normal(shape, dtype=np.float32)
    x *= np.float32(p["scale"])
    x += np.float32(p["loc"])
    return x


def _laplace(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    _positive("laplace", p, "scale")
    x = rng.standard_exponential(shape, dtype=np.float32)
    x -= rng.standard_exponential(shape, dtype=np.float32)
    x *= np.float32(p["scale"])
    x += np.float32(p["loc"])
    return x


def _uniform(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    if not p["high"] > p["low"]:
        raise LoadError("io.synthetic_bad_range", low=shortest(p["low"]), high=shortest(p["high"]))
    x = rng.random(shape, dtype=np.float32)
    x *= np.float32(p["high"] - p["low"])
    x += np.float32(p["low"])
    return x


def _student_t(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    _positive("student_t", p, "df", "scale")
    chi2_over_df = rng.standard_gamma(p["df"] / 2.0, shape, dtype=np.float32)
    chi2_over_df *= np.float32(2.0 / p["df"])
    # Gamma(df/2) can underflow to 0 in float32 for tiny df; keep the draw finite.
    np.maximum(chi2_over_df, np.float32(np.finfo(np.float32).tiny), out=chi2_over_df)
    x = rng.standard_normal(shape, dtype=np.float32)
    x /= np.sqrt(chi2_over_df, out=chi2_over_df)
    x *= np.float32(p["scale"])
    return x


def _bimodal(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    _positive("bimodal", p, "sigma")
    x = rng.standard_normal(shape, dtype=np.float32)
    x *= np.float32(p["sigma"])
    sign = rng.random(shape, dtype=np.float32) < np.float32(0.5)
    x += np.where(sign, np.float32(p["mu"]), np.float32(-p["mu"]))
    return x


def _llm_like(rng: np.random.Generator, shape: tuple[int, ...], p: dict[str, float]) -> np.ndarray:
    _positive("llm_like", p, "std", "outlier_scale")
    axis = p["outlier_axis"]
    if axis not in (0.0, 1.0):
        raise LoadError("io.synthetic_bad_param", kind="llm_like", param="outlier_axis", allowed="0, 1")
    channels = shape[int(axis)]
    n_out = int(p["n_outliers"])
    # at most half: 4 outlier rows of a (4, 256) matrix made every row an "outlier", no outliers at all
    if n_out < 0 or n_out != p["n_outliers"] or n_out > channels // 2:
        raise LoadError("io.synthetic_bad_outliers", n_outliers=shortest(p["n_outliers"]), cols=channels // 2,
                        channels=channels)
    x = rng.standard_normal(shape, dtype=np.float32)
    x *= np.float32(p["std"])
    picked = np.sort(rng.choice(channels, size=n_out, replace=False))
    if axis == 1.0:
        x[:, picked] *= np.float32(p["outlier_scale"])
    else:
        x[picked, :] *= np.float32(p["outlier_scale"])
    return x


_GENERATORS: dict[str, Callable[[np.random.Generator, tuple[int, ...], dict[str, float]], np.ndarray]] = {
    "normal": _normal,
    "laplace": _laplace,
    "uniform": _uniform,
    "student_t": _student_t,
    "bimodal": _bimodal,
    "llm_like": _llm_like,
}
assert set(_GENERATORS) == set(SYNTHETIC_KINDS), "every kind needs a generator and a registry entry"


def synthetic(kind: str, shape_or_size: int | tuple[int, ...], seed: int = 0, **params: float) -> np.ndarray:
    """Draw a float32 tensor of ``kind`` (see the module table for each formula).

    Args:
        kind: a key of ``SYNTHETIC_KINDS``.
        shape_or_size: a shape tuple, or a value count (``llm_like``: (count // 256, 256)).
        seed: any int >= 0; same seed and arguments -> bit-identical output.
        **params: overrides of the kind's defaults (``SYNTHETIC_KINDS[kind].defaults``).

    Returns:
        A C-contiguous float32 array of that shape.

    Raises:
        LoadError: unknown kind, bad size (0 or above ``MAX_SYNTHETIC_SIZE``), unknown or
            invalid parameter (scale <= 0, high <= low, more outliers than columns, ...).

    Example:
        >>> synthetic("student_t", 5, seed=7, df=2).shape
        (5,)
    """
    spec = SYNTHETIC_KINDS.get(kind)
    if spec is None:
        raise LoadError("io.synthetic_unknown_kind", kind=kind, kinds=list(SYNTHETIC_KINDS))
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise LoadError("io.synthetic_bad_seed", seed=seed)
    shape = _shape(spec, shape_or_size)
    values = _params(spec, params)
    rng = np.random.default_rng(int(seed))
    return _GENERATORS[kind](rng, shape, values)


def outlier_channels(x: np.ndarray, axis: int = 1, ratio: float = 10.0) -> np.ndarray:
    """Indices of channels along ``axis`` whose RMS exceeds ``ratio`` x the median channel RMS.

    For axis 1 (columns): RMS_j = sqrt(mean_i x[i, j]^2). With ``llm_like``'s defaults this finds
    exactly the planted channels (50x against a threshold of 10x). Needs a 2-D array.

    Example:
        >>> outlier_channels(np.array([[1.0, 100.0, 1.0], [-1.0, 90.0, 1.0]]))
        array([1])
    """
    if x.ndim != 2:
        raise ValueError("outlier_channels needs a 2-D array")
    rms = np.sqrt(np.mean(np.square(x, dtype=np.float64), axis=1 - axis))
    return np.flatnonzero(rms > ratio * np.median(rms))
