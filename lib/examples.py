"""Ready-made classroom examples for the Quantize page: one click sets the data and the choice.

Each example names the Quantize page's widget settings it needs (keys without the page prefix,
e.g. ``"format"`` for ``quant_format``); every setting not named is put back to its default, so an
example shows the same numbers whatever was on screen before. Its hint (lib/strings/quantize.py,
``quant.ex.<name>.hint``) says what to look at and what to try next; the figures it quotes are
checked in tests/test_examples.py.

Example:
    >>> settings("fp8_scale")["format"], settings("fp8_scale")["mag"], settings("fp8_scale")["seed"]
    ('float8_e4m3fn', -4, 0)
    >>> data_settings("fp8_scale")["dist"]
    'normal'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from lib.data_source import DEFAULT_SIZE, MAGNITUDES, SIZES
from lib.synthetic import default_params, param_setting

#: the data of an example: what it keeps while the student tries other formats on it
DATA_KEYS: tuple[str, ...] = ("source", "dist", "size", "seed", "mag")

_DEFAULTS: Mapping[str, Any] = MappingProxyType({
    "source": "synthetic", "dist": "normal", "size": DEFAULT_SIZE, "seed": 0, "mag": 0,
    "format": "int8", "method": "absmax", "gran": "tensor", "overflow": "saturate", "rounding": "nearest_even",
})

QUANT_EXAMPLES: Mapping[str, Mapping[str, Any]] = MappingProxyType({
    # tiny values, no scale: all below float8_e4m3fn's smallest subnormal 2^-9, so all become 0
    "fp8_scale": MappingProxyType({"dist": "normal", "mag": -4, "format": "float8_e4m3fn", "method": "none"}),
    # four outlier columns set the one int8 scale; per channel along the columns fixes it
    "outliers": MappingProxyType({"dist": "llm_like", "format": "int8", "method": "absmax"}),
    # heavy tails at 4 bits with one scale: the bulk falls on a few levels; blocks fix it
    "four_bit": MappingProxyType({"dist": "student_t", "format": "int4", "method": "absmax"}),
    # NF4's levels follow a normal distribution
    "nf4_normal": MappingProxyType({"dist": "normal", "format": "nf4", "method": "absmax"}),
})


def _check(examples: Mapping[str, Mapping[str, Any]]) -> None:
    """Registry check at import: only known settings, data values the page offers."""
    for name, ex in examples.items():
        unknown = set(ex) - set(_DEFAULTS)
        if unknown:
            raise ValueError(f"example {name!r}: unknown settings {sorted(unknown)}")
        full = {**_DEFAULTS, **ex}
        if full["mag"] not in MAGNITUDES or full["size"] not in SIZES:
            raise ValueError(f"example {name!r}: magnitude or size not offered")


_check(QUANT_EXAMPLES)


def settings(name: str) -> dict[str, Any]:
    """Every setting of example ``name``: its own ones over the defaults, and its distribution's
    parameters at their defaults (``p_llm_like_n_outliers``: 4 ...)."""
    full = {**_DEFAULTS, **QUANT_EXAMPLES[name]}
    return {**full, **_params(full["dist"])}


def data_settings(name: str) -> dict[str, Any]:
    """The data part of example ``name`` (DATA_KEYS and the distribution's parameters)."""
    full = settings(name)
    return {k: full[k] for k in (*DATA_KEYS, *_params(full["dist"]))}


def _params(dist: str) -> dict[str, Any]:
    return {param_setting(dist, k): v for k, v in default_params(dist).items()}


def still_shown(name: str | None, state: Mapping[str, Any], prefix: str) -> bool:
    """True while the page still shows example ``name``'s data (``state`` holds the widget values
    under ``prefix + "_" + key``): its hint stays while the student tries other formats on it and
    goes once the data changes. Example: after "outliers", picking per channel keeps the hint;
    another seed removes it."""
    if name not in QUANT_EXAMPLES:
        return False
    return all(state.get(f"{prefix}_{k}") == v for k, v in data_settings(name).items())
