"""Run many (format, method, granularity) choices on one tensor and rank them.

    table = run_compare(x, DEFAULT_CHOICES, progress=lambda i, n, label: ...)

returns a pandas DataFrame, one row per choice, sorted by SQNR (best first); choices that cannot
be applied to this tensor are kept at the bottom with their error (``error_key``/``error_params``,
an i18n key and its parameters) instead of raising.  ``pareto_front`` picks the choices no other
beats on both bits per value and SQNR; ``best_per_budget`` the best choice within each bit budget;
``verdict`` turns an SQNR into one plain-language line (used by both pages).

SQNR = 10·log10(Σx² / Σ(x - x̂)²) dB; each extra bit of a uniform quantizer buys ~6.02 dB.
Example: SQNR 40 dB means the error's RMS is 10^(-40/20) = 1% of the signal's RMS.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np
import pandas as pd

from lib.blocks import SCHEMES
from lib.data_source import magnitude_text
from lib.errors import LowBitError
from lib.i18n import t

BLOCK_SCHEMES: tuple[str, ...] = tuple(SCHEMES)  # mxfp8_e4m3 ... nf4, as lib.blocks registers them
METRIC_COLUMNS: tuple[str, ...] = (
    "sqnr_db", "bits_per_element", "rmse", "max_abs_error", "mean_abs_error", "cosine", "clipped_fraction",
    "flushed_to_zero_fraction", "levels_used", "levels_available", "compression_vs_fp32",
)
COLUMNS: tuple[str, ...] = (
    "label", "fmt", "method", "granularity", "block_size", *METRIC_COLUMNS, "seconds", "error_key", "error_params",
)
BUDGETS: tuple[int, ...] = (2, 3, 4, 5, 6, 8, 16, 32)
BUDGET_SLACK = 0.5
BUDGET_TOL = 0.01  # one per-tensor fp32 scale (32/N bits) must not push NVFP4's 4.5 over a 4.5 budget
VERDICT_LEVELS: tuple[tuple[float, str], ...] = (
    (40.0, "near_lossless"), (25.0, "good"), (15.0, "noticeable"), (-math.inf, "severe"),
)

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Choice:
    """One way to quantize: a format (or block scheme), a scale method, a granularity.

    block_size is the group size for granularity "group" (block schemes fix their own);
    percentile is used by method "percentile"; overflow and rounding as in lib.formats.
    """

    fmt: str
    method: str = "absmax"
    granularity: str = "tensor"
    block_size: int | None = None
    percentile: float = 99.9
    overflow: str = "saturate"
    rounding: str = "nearest_even"

    @property
    def label(self) -> str:
        """Short display name, e.g. "int4 absmax g128", "int8 absmax ch", "mxfp4"."""
        if self.fmt in BLOCK_SCHEMES:
            return self.fmt
        gran = {"tensor": "", "channel": " ch", "group": f" g{self.block_size}"}.get(self.granularity, "")
        return f"{self.fmt} {self.method}{gran}"

    @property
    def file_stem(self) -> str:
        """The label for a download's file name, with every setting that changes the numbers and
        is not the default: "int8_absmax_ch", "int8_percentile_p99.9", "mxfp4_toward_zero",
        "float8_e4m3fn_none_ieee". A mode that does not change the numbers is left out: integers,
        NF4 and formats with no NaN (fp4, fp6) saturate either way (no "ieee"); GGUF rounds its
        own way ("q4_0" whatever the boxes say)."""
        from lib.blocks import SCHEMES
        from lib.elements import get_element

        scheme = SCHEMES.get(self.fmt)
        rounds = scheme is None or not scheme.fixes_rounding
        element = scheme.element_format if scheme is not None else self.fmt
        el = get_element(element)
        overflows = rounds and el.kind == "float" and el.fmt.has_nan  # fp4/fp6 saturate either way
        parts = [self.label.replace(" ", "_")]
        if self.method == "percentile" and scheme is None:
            parts.append(f"p{self.percentile:g}")
        if overflows and self.overflow != "saturate":
            parts.append(self.overflow)
        if rounds and self.rounding != "nearest_even":
            parts.append(self.rounding)
        return "_".join(parts)

    def result_key(self, axis: int) -> tuple[Choice, int | None]:
        """What this choice's result depends on besides x: the choice itself, and the channel axis
        for a per-channel choice only (attempt runs groups and blocks along x's last axis; per
        tensor has no axis). Example: int8 per tensor -> (choice, None) for axis 0 and 1 alike,
        so a page's cache keyed so runs only the per-channel choices again when the axis changes."""
        return (self, axis if self.granularity == "channel" else None)

    def settings(self, axis: int) -> dict[str, Any]:
        """Every setting that made the numbers, for a download: format, method, granularity, the
        axis its scales or blocks run along (None per tensor), block size, percentile (percentile
        only), overflow and rounding. Example: int8 absmax per tensor -> axis None, block_size None."""
        return {"fmt": self.fmt, "method": self.method, "granularity": self.granularity,
                "axis": None if self.granularity == "tensor" and self.fmt not in BLOCK_SCHEMES else axis,
                "block_size": self.block_size, "percentile": self.percentile if self.method == "percentile" else None,
                "overflow": self.overflow, "rounding": self.rounding}

    def kwargs(self, axis: int) -> dict[str, Any]:
        """Keyword arguments for lib.quantize.quantize."""
        kw: dict[str, Any] = {"fmt": self.fmt, "method": self.method, "granularity": self.granularity,
                              "axis": axis, "block_size": self.block_size, "percentile": self.percentile,
                              "overflow": self.overflow, "rounding": self.rounding}
        return kw


DEFAULT_CHOICES: tuple[Choice, ...] = (
    Choice("float16", "none"),
    Choice("bfloat16", "none"),
    Choice("int8", "absmax", "channel"),
    Choice("int8", "minmax"),
    Choice("q8_0"),
    Choice("float8_e4m3fn", "absmax"),
    Choice("float8_e5m2", "absmax"),
    Choice("mxfp8_e4m3"),
    Choice("mxfp6_e3m2"),
    Choice("int4", "absmax", "group", 128),
    Choice("q4_0"),
    Choice("nf4"),
    Choice("mxfp4"),
    Choice("nvfp4"),
)


CATALOGUE: tuple[Choice, ...] = DEFAULT_CHOICES + (
    Choice("int8", "absmax"),
    Choice("int8", "percentile"),
    Choice("int8", "mse"),
    Choice("int8", "kl"),
    Choice("int8", "pow2", "channel"),
    Choice("uint8", "minmax"),
    Choice("int4", "absmax", "channel"),
    Choice("int4", "minmax", "group", 128),
    Choice("int4", "mse", "group", 128),
    Choice("int4", "absmax", "group", 32),
    Choice("float8_e4m3fn", "absmax", "channel"),
    Choice("float8_e4m3fn", "none"),
    Choice("float6_e3m2fn", "absmax", "channel"),
    Choice("float4_e2m1fn", "absmax", "group", 32),
    Choice("mxfp8_e5m2"),
    Choice("mxfp6_e2m3"),
    Choice("mxint8"),
    Choice("int2", "absmax", "group", 32),
)


#: one-click sets of choices on the Compare page (labels of CATALOGUE, checked below)
CHOICE_PRESETS: dict[str, tuple[str, ...]] = {
    "default": tuple(c.label for c in DEFAULT_CHOICES),
    "eight_bit": ("int8 absmax", "int8 absmax ch", "int8 minmax", "q8_0", "mxint8", "float8_e4m3fn absmax",
                  "float8_e4m3fn absmax ch", "float8_e5m2 absmax", "mxfp8_e4m3", "mxfp8_e5m2"),
    "four_bit": ("int4 absmax ch", "int4 absmax g128", "int4 minmax g128", "int4 mse g128", "int4 absmax g32",
                 "float4_e2m1fn absmax g32", "q4_0", "nf4", "mxfp4", "nvfp4"),
    "int8_methods": ("int8 absmax", "int8 absmax ch", "int8 pow2 ch", "int8 minmax", "uint8 minmax", "int8 percentile",
                     "int8 mse", "int8 kl"),
    "all": tuple(c.label for c in CATALOGUE),
}


def _check_presets() -> None:
    labels = [c.label for c in CATALOGUE]
    for name, preset in CHOICE_PRESETS.items():
        unknown = [label for label in preset if label not in labels]
        if unknown or len(set(preset)) != len(preset):
            raise ValueError(f"choice preset {name!r}: unknown or repeated labels {unknown}")


_check_presets()


def attempt(x: np.ndarray, choice: Choice, axis: int) -> tuple[Any, str | None, dict[str, Any] | None]:
    """Quantize x with one choice: (QuantResult, None, None), or (None, error key, its parameters)
    when the choice cannot be applied (per-channel on a vector, a LowBitError, a bad setting).
    ``axis`` is the channel axis of a per-channel choice; groups and blocks run along x's last axis,
    as GGUF, MX and bitsandbytes store a weight's rows."""
    from lib.quantize import quantize

    if choice.granularity == "channel" and np.ndim(x) < 2:  # one "channel" per value: one scale each
        return None, "cmp.channel_needs_matrix", {"shape": str(tuple(np.shape(x)))}
    try:
        return quantize(x, **choice.kwargs(axis if choice.granularity == "channel" else max(np.ndim(x) - 1, 0))), None, None
    except LowBitError as err:
        return None, err.key, dict(err.params)
    except (ValueError, TypeError, KeyError) as err:
        return None, "error.unexpected", {"detail": f"{type(err).__name__}: {err}"}


_GROUP_TOKEN = re.compile(r"g(\d+)")


def label_text(label: str, lang: str = "en") -> str:
    """A choice's label as shown: the label itself in English ("int8 absmax ch"); in Chinese its
    English words become the Quantize page's: "int8 absmax 逐通道", "int4 absmax 逐组 128",
    "float16 无缩放". Format and method names (absmax, mse, kl ...) are the same in both."""
    if lang == "en":
        return label
    words = []
    for word in label.split(" "):
        group = _GROUP_TOKEN.fullmatch(word)
        words.append(t("cmp.lbl.group", lang, n=group.group(1)) if group else
                     t(f"cmp.lbl.{word}", lang) if word in ("ch", "none") else word)
    return " ".join(words)


def choice_row(choice: Choice) -> dict[str, Any]:
    """A table row of ``choice`` with no metrics yet and no error."""
    return {"label": choice.label, "fmt": choice.fmt, "method": choice.method, "granularity": choice.granularity,
            "block_size": choice.block_size, "error_key": None, "error_params": None}


def _one(x: np.ndarray, choice: Choice, axis: int) -> dict[str, Any]:
    row = choice_row(choice)
    start = time.perf_counter()
    r, row["error_key"], row["error_params"] = attempt(x, choice, axis)
    if r is not None:
        for k in METRIC_COLUMNS:
            row[k] = float(r.metrics.get(k, np.nan))
        # what ran: a block scheme says "block" and its block size (its Choice holds the defaults)
        row["granularity"], row["block_size"] = r.granularity, r.block_size
    row["seconds"] = time.perf_counter() - start
    return row


def run_compare(
    x: np.ndarray, choices: Sequence[Choice] = DEFAULT_CHOICES, axis: int = 0, progress: Progress | None = None,
    done: dict[tuple[Choice, int | None], dict[str, Any]] | None = None,
) -> pd.DataFrame:
    """Quantize x with every choice; a DataFrame of COLUMNS sorted by SQNR (best first, exact = inf
    first, failed choices last with NaN metrics and their error key). ``axis`` is the channel axis
    of per-channel choices; groups and blocks always run along x's last axis.

    ``done``: rows already computed for this x, by Choice.result_key(axis); they are reused, and
    the rows computed now are added to it (a page's cache: 31 of 32 choices need not run again
    when one is taken off the list, nor per-tensor ones when the axis changes). Rows are never
    changed once made."""
    rows = []
    for i, choice in enumerate(choices):
        key = choice.result_key(axis)
        if done is not None and key in done:
            rows.append(done[key])
            continue
        if progress is not None:
            progress(i, len(choices), choice.label)
        rows.append(_one(x, choice, axis))
        if done is not None:
            done[key] = rows[-1]
    if progress is not None:
        progress(len(choices), len(choices), "")
    return ranked(rows)


def ranked(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """Rows of choices as a DataFrame of COLUMNS, best SQNR first (inf first; ties: fewer bits
    first), failed choices last with NaN metrics."""
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    for k in METRIC_COLUMNS:
        df[k] = pd.to_numeric(df[k], errors="coerce").astype(np.float64)
    df["_failed"] = df["error_key"].notna()
    df = df.sort_values(["_failed", "sqnr_db", "bits_per_element"], ascending=[True, False, True],
                        na_position="last", kind="stable")
    return df.drop(columns="_failed").reset_index(drop=True)


def ok_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The rows that ran (no error) and have a numeric SQNR and bits per value."""
    return df[df["error_key"].isna() & df["sqnr_db"].notna() & df["bits_per_element"].notna()]


def pareto_front(df: pd.DataFrame) -> list[str]:
    """Labels of the choices not dominated by another (fewer or equal bits AND higher or equal SQNR,
    one strictly), in order of increasing bits.  Example: (4 b, 20 dB), (4.5 b, 18 dB), (8 b, 40 dB)
    -> the first and the last. Two choices at the very same point dominate neither: both are on it."""
    ok = ok_rows(df).sort_values(["bits_per_element", "sqnr_db"], ascending=[True, False], kind="stable")
    front, best, last = [], -math.inf, (math.nan, math.nan)
    for label, bits, sq in zip(ok["label"], ok["bits_per_element"], ok["sqnr_db"]):
        if sq > best or (bits, sq) == last:
            front.append(str(label))
            best, last = sq, (bits, sq)
    return front


def best_per_budget(df: pd.DataFrame, budgets: Sequence[int] = BUDGETS) -> pd.DataFrame:
    """For each budget b: the highest-SQNR choice using at most b + 0.5 bits per value (the 0.5
    leaves room for block scales, e.g. Q4_0's 4.5 bits counts as a 4-bit choice; a further 0.01
    tolerates a per-tensor scale spread over the tensor, e.g. NVFP4's 4.5 + 32/N).  Budgets with no
    fitting choice are left out.  Columns: budget, label, bits_per_element, sqnr_db."""
    ok = ok_rows(df)
    out = []
    for b in budgets:
        fit = ok[ok["bits_per_element"] <= b + BUDGET_SLACK + BUDGET_TOL]
        if len(fit):
            best = fit.sort_values(["sqnr_db", "bits_per_element"], ascending=[False, True], kind="stable").iloc[0]
            out.append({"budget": b, "label": best["label"], "bits_per_element": best["bits_per_element"],
                        "sqnr_db": best["sqnr_db"]})
    return pd.DataFrame(out, columns=["budget", "label", "bits_per_element", "sqnr_db"])


def verdict_key(sqnr_db: float) -> str:
    """"exact" (inf), "near_lossless" (>= 40 dB), "good" (>= 25), "noticeable" (>= 15), "severe",
    or "unknown" (NaN)."""
    if sqnr_db is None or math.isnan(sqnr_db):
        return "unknown"
    if math.isinf(sqnr_db) and sqnr_db > 0:
        return "exact"
    return next(name for limit, name in VERDICT_LEVELS if sqnr_db >= limit)


def negatives_lost(x: np.ndarray, fmt: str, method: str) -> float:
    """Fraction of the finite values that are negative when an unsigned element format (uint8,
    uint4, ...) gets a symmetric scale (every method but minmax): there is no code below 0, so each
    negative value is stored as 0. 0.0 when that cannot happen (signed format, minmax, or no value
    below 0). Example: uint8 absmax of [-1, 0, 1, 2] -> 0.25.
    """
    from lib.formats import get_format, list_formats

    if method == "minmax" or fmt not in list_formats() or get_format(fmt).min < 0:
        return 0.0
    v = np.asarray(x)
    finite = int(np.count_nonzero(np.isfinite(v)))
    return int(np.count_nonzero(v < 0)) / finite if finite else 0.0


def setting_warnings(x: np.ndarray, choice: Choice, bits_per_element: float, lang: str = "en") -> list[str]:
    """What the chosen settings do to this tensor that the numbers alone do not say, translated:
    an unsigned format with a symmetric scale stores every negative value as 0 (negatives_lost);
    per channel on a vector gives every value its own scale (bits_per_element says at what cost).
    Example: uint8 absmax of [-1, 0, 1, 2] -> one warning naming 25.0% and int8 (its signed twin)."""
    out = []
    lost = negatives_lost(x, choice.fmt, choice.method)
    if lost > 0:
        key = "quant.unsigned_negatives_cast" if choice.method == "none" else "quant.unsigned_negatives"
        out.append(t(key, lang, fmt=choice.fmt, method=t(f"quant.method.{choice.method}", lang), pct=percent_metric_text(lost),
                     signed=choice.fmt.removeprefix("u")))
    if choice.granularity == "channel" and choice.method != "none" and np.ndim(x) < 2:  # none stores no scale
        out.append(t("quant.channel_1d", lang, shape=tuple(np.shape(x)), bits=bits_per_element))
    return out


def underflow_note(fraction: float, fmt: str, method: str, rounding: str = "nearest_even", lang: str = "en") -> str:
    """Why values became 0: for a float format with no scale (method "none"), the format's smallest
    subnormal; with a scale, when at least 10% became 0, the scaled grid's step
    (_scaled_underflow_note); else "".

    ``fraction`` is ``metrics["flushed_to_zero_fraction"]``. Rounding to nearest sends |x| of at most
    half the smallest subnormal to 0; toward zero and stochastic rounding, |x| below it. Example:
    float8_e4m3fn (smallest subnormal 2^-9) with 2 of 3 non-zero values flushed -> "66.7% of the
    non-zero values are at most half of float8_e4m3fn's smallest subnormal (2^-9 / 2 = 2^-10 ≈
    0.000977) in size and became 0: a scale moves them into the format's range."
    """
    from lib.formats import get_format, list_formats

    if method != "none":
        return _scaled_underflow_note(fraction, rounding, lang)
    if not fraction > 0 or fmt not in list_formats() or get_format(fmt).kind != "float":
        return ""
    sub = get_format(fmt).smallest_subnormal
    sub_exp = math.frexp(sub)[1] - 1  # sub is a power of two: 2^sub_exp
    pct = format_metric("flushed_to_zero_fraction", fraction)
    if rounding in ("nearest_even", "nearest_away"):
        return t("quant.flushed_note", lang, pct=pct, fmt=fmt, sub_exp=sub_exp, half_exp=sub_exp - 1,
                 half=f"{sub / 2:.3g}")
    return t("quant.flushed_note_below", lang, pct=pct, fmt=fmt, sub_exp=sub_exp, sub=f"{sub:.3g}")


#: share of the non-zero values rounded to 0 from which a scaled choice gets the note below
SCALED_UNDERFLOW_NOTE_MIN = 0.10


def _scaled_underflow_note(fraction: float, rounding: str, lang: str) -> str:
    """With a scale: when at least 10% of the non-zero values became 0, what they have in common.

    Rounding to nearest sends a value to 0 when it is at most half the nearest non-zero level of its
    scaled grid (int8 absmax: |x| <= scale/2; NF4: half of absmax · 0.0796 above 0); toward zero and
    stochastic rounding only when it is below that level. Example: int8 absmax per tensor on the
    LLM-like matrix, whose outlier columns set the scale: "53.1% of the non-zero values became 0 ..."
    """
    if not fraction >= SCALED_UNDERFLOW_NOTE_MIN:
        return ""
    key = "quant.flushed_scaled" if rounding in ("nearest_even", "nearest_away") else "quant.flushed_scaled_below"
    return t(key, lang, pct=format_metric("flushed_to_zero_fraction", fraction))


def relative_error_percent(sqnr_db: float) -> float:
    """RMS error as a percentage of the signal's RMS: 100 · 10^(-SQNR/20).  40 dB -> 1.0."""
    return 100.0 * 10.0 ** (-sqnr_db / 20.0)


def verdict(sqnr_db: float, lang: str = "en") -> str:
    """One plain-language line, e.g. "Near lossless: SQNR 40.0 dB, the error is about 1% of the
    signal (RMS)."; the percentage has two significant digits (percent_text: 0 dB -> "100%", not
    "1e+02%"; -10 dB -> "320%"; 6003 dB -> "7.1 × 10⁻²⁹⁹%")."""
    key = verdict_key(sqnr_db)
    if key in ("exact", "unknown"):
        return t(f"cmp.verdict.{key}", lang)
    if math.isinf(sqnr_db):  # no "inf%": values overflowed to ±Inf/NaN (or a zero signal got an error)
        return t("cmp.verdict.infinite", lang)
    return t(f"cmp.verdict.{key}", lang, sqnr=f"{sqnr_db:.1f}", pct=percent_text(relative_error_percent(sqnr_db)))


def percent_text(pct: float) -> str:
    """A percentage for prose, two significant digits: written out from 0.000001 up (0.00001, 1, 320),
    below that as a power of ten: 7.1e-298 -> "7.1 × 10⁻²⁹⁸", not "0.000…(297 zeros)…71"; 1e-7 -> "1 × 10⁻⁷"."""
    if pct >= 1e-6 or pct == 0:
        return np.format_float_positional(pct, precision=2, fractional=False, trim="-")
    mantissa, exponent = f"{pct:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')} {magnitude_text(int(exponent))}"


def error_text(row: Any, lang: str = "en", escape: Callable[[str], str] | None = None) -> str:
    """The translated error of a failed row of the table ("" for a row that ran). ``escape``, if
    given, is applied to every text parameter (tensor names, shapes) and not to the message itself,
    e.g. ui.md_escape before the text is shown as Markdown."""
    key = row["error_key"]
    if key is None or (isinstance(key, float) and math.isnan(key)):
        return ""

    def filled(params: dict[str, Any]) -> dict[str, Any]:
        if escape is None:
            return params
        return {k: escape(v) if isinstance(v, str) else [escape(str(i)) for i in v] if isinstance(v, list) else v
                for k, v in params.items()}

    params, reason = dict(row["error_params"] or {}), {}
    if "reason_key" in params:  # a whole-file failure (lib.compare_file) wraps one tensor's own error
        reason = {"reason": t(params.pop("reason_key"), lang, **filled(params.pop("reason_params")))}
    return t(str(key), lang, **filled(params), **reason)


TABLE_METRICS: tuple[str, ...] = (
    "sqnr_db", "rmse", "max_abs_error", "mean_abs_error", "cosine", "clipped_fraction", "flushed_to_zero_fraction",
    "levels_used", "levels_available", "bits_per_element", "compression_vs_fp32", "nonfinite_count",
)
PERCENT_METRICS: tuple[str, ...] = ("clipped_fraction", "flushed_to_zero_fraction", "error_share")


def bits_text(bits: float) -> str:
    """Bits per value for reading: 3 decimals, and more (up to 6) while the rounded text would look
    like a round number it is not. NVFP4's 4.500122 (its FP32 tensor scale) read "4.5", the same as
    Q4_0's exact 4.5, and a student could not see why Q4_0 alone was on the Pareto front.
    A value with at most 6 decimals is written exactly: int4 min-max in groups of 128 is 4.28125,
    which 3 decimals rounded to "4.281".
    Examples: 4.5 -> "4.5"; 4.28125 -> "4.28125"; 4.5 + 32/2**18 -> "4.5001"; 8.0030518 -> "8.003";
    8 + 32/2**20 -> "8.00003"; 8 + 32/10**9 -> "≈8"."""
    v = float(bits)
    if not math.isfinite(v):
        return format_metric("", v)
    exact = np.format_float_positional(v, precision=6, unique=False, fractional=True, trim="-")
    if float(exact) == v:
        return exact
    for digits in range(3, 7):
        text = np.format_float_positional(v, precision=digits, unique=False, fractional=True, trim="-")
        decimals = len(text.partition(".")[2])
        if float(text) == v or decimals == digits:  # exact, or no trailing zero was trimmed off
            return text
    return f"≈{text}"  # 8 + 32/10**9 is not 8


def percent_metric_text(fraction: float) -> str:
    """A fraction as a percentage with 3 significant digits, and more (up to 6) where 3 would read
    as all of it without being so: 1 value of 16,384 kept (0.99993896) read "100%" flushed to 0.
    Examples: 0.0012 -> "0.12%"; 0.99993896 -> "99.99%"; 1.0 -> "100%"; 1 - 1e-9 -> ">99.9999%"."""
    for digits in range(3, 7):
        text = f"{100 * fraction:.{digits}g}"
        if fraction >= 1 or float(text) < 100:
            return f"{text}%"
    return ">99.9999%"


def format_metric(key: str, value: float) -> str:
    """A metric value as text: counts as integers, fractions as percentages, dB with 2 decimals,
    others with 4 significant digits, except a cosine that would read "1" without being 1.
    format_metric("clipped_fraction", 0.0012) -> "0.12%"; format_metric("cosine", 0.99997) -> "1 − 3e-05"."""
    v = float(value)
    if math.isnan(v):
        return "—"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    if key in ("levels_used", "levels_available", "nonfinite_count"):
        return f"{int(v):,}"
    if key in PERCENT_METRICS:
        return percent_metric_text(v)
    if key == "sqnr_db":
        return f"{v:.2f}"
    if key == "compression_vs_fp32":  # 32 / 8.000122 is 3.9999×, not "4×" (nor "4.00×")
        for digits in range(3, 7):
            text = f"{v:.{digits}g}"
            if float(text) == v or not float(text).is_integer():
                return f"{text}×"
        return f"≈{text}×"
    if key == "bits_per_element":
        return bits_text(v)
    if key == "cosine" and v < 1 and f"{v:.4g}" == "1":  # 0.99997 is not exact: "1 − 3e-05"
        return f"1 − {1 - v:.2g}"
    return f"{v:.4g}"


def metrics_rows(metrics: dict[str, float], lang: str = "en", overflowed: bool = False) -> pd.DataFrame:
    """The metrics as a two-column table (translated name, formatted value) for the Quantize page.
    ``overflowed`` (QuantResult.overflows_to_special): the values clipped_fraction counts became
    ±inf or NaN, not ±max, and are named so ("fraction of values clipped" was wrong there)."""
    keys = [k for k in TABLE_METRICS if k in metrics]
    names = {"clipped_fraction": "overflow_fraction"} if overflowed else {}
    return pd.DataFrame({t("quant.metric", lang): [t(f"quant.m.{names.get(k, k)}", lang) for k in keys],
                         t("quant.metric_value", lang): [format_metric(k, metrics[k]) for k in keys]})


DISPLAY_COLUMNS: tuple[str, ...] = (
    "sqnr_db", "bits_per_element", "rmse", "max_abs_error", "cosine", "clipped_fraction", "flushed_to_zero_fraction",
    "levels_used", "levels_available",
)


def display_table(df: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """The rows that ran, formatted for reading: translated headers, a short verdict per row next
    to its SQNR (the last column was off-screen at 1280 px). A metric no row has (NaN in every row,
    as levels used of a whole file) is left out."""
    ok = ok_rows(df)
    out = pd.DataFrame({t("cmp.col.label", lang): [label_text(str(lab), lang) for lab in ok["label"]]})
    for k in DISPLAY_COLUMNS:
        if len(ok) and ok[k].isna().all():  # nothing to show (levels used of a whole file)
            continue
        out[t(f"quant.m.{k}", lang)] = [format_metric(k, v) for v in ok[k]]
        if k == "sqnr_db":
            out[t("cmp.col.verdict", lang)] = [t(f"cmp.short.{verdict_key(v)}", lang) for v in ok["sqnr_db"]]
    return out.reset_index(drop=True)


def short_headers(lang: str = "en") -> dict[str, tuple[str, str]]:
    """Column name -> (short header, hover help) for the long metric headers of display_table and
    display_budget, so that SQNR and bits per value fit at 1024 px ("SQNR (dB, higher is bett…").
    Example: short_headers()["SQNR (dB, higher is better)"] == ("SQNR (dB)", "SQNR (dB, higher is better)")."""
    return {t(f"quant.m.{k}", lang): (t(short, lang), t(f"quant.m.{k}", lang))
            for k, short in (("sqnr_db", "cmp.chart.sqnr"), ("bits_per_element", "cmp.chart.bits"))}


def compare_csv(df: pd.DataFrame, lang: str = "en", tensor: str = "", channel_axis: int | None = None,
                whole_file: int | None = None) -> str:
    """The whole comparison as CSV for download: every choice in rank order with its settings and
    metrics at full precision (inf for an exact choice), why a skipped choice was skipped, and
    which tensor it was and the channel axis of its per-channel choices (so files of several
    tensors can be told apart). ``whole_file``: the number of tensors of a whole-file comparison
    (lib.compare_file); then ``tensor`` is the file's name and two more columns say so:
    scope "whole_file" and tensor_count.
    Example first line: "label,fmt,method,granularity,block_size,sqnr_db,...,skipped,tensor,channel_axis"."""
    out = df[["label", "fmt", "method", "granularity", "block_size", *METRIC_COLUMNS]].copy()
    for k in ("block_size", "levels_used", "levels_available"):  # counts: "252", not "252.0"
        out[k] = pd.to_numeric(out[k]).round().astype("Int64")
    out["skipped"] = [spreadsheet_text(error_text(row, lang)) for _, row in df.iterrows()]
    out["label"] = out["label"].map(spreadsheet_text)
    out["tensor"] = spreadsheet_text(tensor)
    out["channel_axis"] = pd.array([channel_axis] * len(out), dtype="Int64")
    if whole_file is not None:
        out["scope"] = "whole_file"
        out["tensor_count"] = whole_file
    return out.to_csv(index=False)


#: first characters that make Excel, LibreOffice and Google Sheets read a cell as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula (OWASP's CSV
    injection rule): a leading ' where the text starts as a formula does; the rest unchanged.
    Example: '=HYPERLINK("https://x")' -> "'=HYPERLINK(\"https://x\")"; "layers.0.weight" unchanged."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_file_name(tensor: str, whole_file: bool = False) -> str:
    """Download name of a tensor's comparison: "layers.0.q_proj.weight" -> "layers.0.q_proj.weight_compare.csv"
    (characters a file name cannot hold become "_"); of a whole file's, its name without the
    extension: "model.safetensors" -> "model_whole_file_compare.csv"."""
    if whole_file and tensor:
        tensor = re.sub(r"\.[^.]*$", "", tensor) + "_whole_file"
    return re.sub(r"[^\w.-]+", "_", tensor).strip("_") + "_compare.csv" if tensor else "lowbit_compare.csv"


def display_budget(best: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """best_per_budget's table with translated headers and formatted numbers."""
    return pd.DataFrame({
        t("cmp.budget", lang): [f"≤ {b + BUDGET_SLACK + BUDGET_TOL:g}" for b in best["budget"]],  # what fits: NVFP4 4.502 ≤ 4.51
        t("cmp.col.label", lang): [label_text(str(lab), lang) for lab in best["label"]],
        t("quant.m.bits_per_element", lang): [format_metric("bits_per_element", v) for v in best["bits_per_element"]],
        t("quant.m.sqnr_db", lang): [format_metric("sqnr_db", v) for v in best["sqnr_db"]],
    })
