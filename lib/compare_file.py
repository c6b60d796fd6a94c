"""Compare formats across a whole file: every choice on every tensor, combined as one tensor.

    result = run_compare_file(tensors, choices, channel_axis=0, progress=lambda step: ...)
    result.table        # lib.compare's COLUMNS, one row per choice, ranked as run_compare ranks:
                        # the Compare page's table, charts and best-per-budget code take it as is
    result.per_tensor   # one row per (choice, tensor): SQNR, bits per value, share of the error
    result.excluded     # tensors that could not be read or prepared, left out of every choice

Each tensor is prepared as the Compare page prepares one (lib.data_source.prepare): 1-D and 2-D
as they are, an N-D tensor as the matrix of its default channel axis 0, (shape[0], the rest).
``channel_axis`` is the channel axis of per-channel choices on every matrix; groups and blocks
run along the last axis, and a per-channel choice on a vector fails (as in run_compare), unless
``skip_vectors`` leaves the 1-D tensors (biases, norm weights) out of the comparison, as
quantization recipes leave them in 16 or 32 bits (llama.cpp keeps norms in F32, torch.ao
quantizes only the weights of linear and conv layers).

How the tensors' results combine (tensor t has N_t values, n_t of them finite; the sums come
from lib.metrics.error_sums, summed exactly as compute_metrics sums one tensor):

    sqnr_db                  = 10·log10(Σ_t Σx² / Σ_t Σ(x − x̂)²)   (inf when every tensor is exact;
                               not the mean of the per-tensor dB)
    rmse                     = √(Σ_t Σe² / Σ_t n_t)
    mean_abs_error           = Σ_t Σ|e| / Σ_t n_t
    max_abs_error            = max_t max|e|
    cosine                   = Σ_t Σx·x̂ / √(Σ_t Σx² · Σ_t Σx̂²)
    clipped_fraction         = Σ_t clipped_t / Σ_t n_t
    flushed_to_zero_fraction = Σ_t #{x ≠ 0, x̂ = 0} / Σ_t #{x ≠ 0}
    bits_per_element         = Σ_t bits_t · N_t / Σ_t N_t   (every stored bit over every value)
    compression_vs_fp32      = 32 / bits_per_element
    levels_available         = the element format's count when every tensor has the same (NaN if not)
    levels_used              = left out (NaN): distinct codes do not add up across tensors

Worked example: int8 absmax per tensor on tensors of 1,024 and 4,096 values stores
(8 + 32/1024)·1024 + (8 + 32/4096)·4096 = 8·5120 + 64 bits for 5,120 values: 8.0125 bits per value.
Tensors with Σx² = 14 and 1, Σe² = 0.25 and 0.75: file SQNR = 10·log10(15 / 1) = 11.76 dB, while
the mean of the tensors' 17.48 and 1.25 dB would be 9.36 dB.

A choice that fails on any tensor gets no combined numbers: its row carries "cmp.file_failed"
with how many tensors failed, the first few names and the first one's own error.
Memory: one tensor is read at a time (LoadedTensor.read) and no x̂ is kept.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from lib.compare import METRIC_COLUMNS, Choice, attempt, choice_row, format_metric, ranked
from lib.errors import LoadError, LowBitError
from lib.i18n import t
from lib.metrics import ErrorSums, error_sums

NAMED_FAILURES = 5  # tensor names a failure message lists; the rest are counted
PER_TENSOR_COLUMNS: tuple[str, ...] = (
    "label", "tensor", "shape", "size", "sqnr_db", "bits_per_element", "error_share", "error_key", "error_params",
)


@dataclass(frozen=True)
class FileStep:
    """Where a whole-file run is: ``done`` of ``total`` (tensors × choices) steps, working on tensor
    ``tensor`` (0-based) of ``n_tensors``, named ``name``, with the choice ``label``
    ("" once done == total)."""

    done: int
    total: int
    tensor: int
    n_tensors: int
    name: str
    label: str


@dataclass(frozen=True, eq=False)
class FileCompare:
    """What run_compare_file returns (see the module docstring). ``excluded``: (tensor name, error
    key, error parameters) of each tensor left out; ``n_values``: values of the included tensors."""

    table: pd.DataFrame
    per_tensor: pd.DataFrame
    excluded: tuple[tuple[str, str, dict[str, Any]], ...]
    n_tensors: int
    n_values: int
    vectors_left_out: tuple[tuple[str, int], ...] = ()  # (name, size) of 1-D tensors skipped


@dataclass
class _Totals:
    """One choice's running totals over the tensors (private, mutable while the run lasts)."""

    sums: ErrorSums = field(default_factory=ErrorSums)
    clipped: int = 0
    bits: float = 0.0  # Σ bits_t · N_t
    size: int = 0  # Σ N_t
    levels: set[float] = field(default_factory=set)
    failed: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    seconds: float = 0.0
    ran: tuple[str, int | None] | None = None  # granularity and block size that ran


#: Most tensors one whole-file comparison runs. A real model file has hundreds (Llama 3 8B: 291,
#: a 200 MB upload far fewer); each costs about 0.5 ms a choice even when tiny, so a crafted file
#: of 200,000 2 × 2 tensors took 24 minutes of the server's CPU (security review).
MAX_FILE_TENSORS = 2_000


def run_compare_file(
    tensors: Mapping[str, Any], choices: Sequence[Choice], channel_axis: int = 0,
    progress: Callable[[FileStep], None] | None = None, skip_vectors: bool = False,
) -> FileCompare:
    """Run every choice on every tensor of a file and combine them per choice (module docstring).

    Args:
        tensors: name -> lib.io.LoadedTensor (or anything with ``read()``, ``shape``), in file order.
        choices: the choices to run.
        channel_axis: channel axis (0 or 1) of per-channel choices on every matrix.
        progress: called before each (tensor, choice) step and once at the end.
        skip_vectors: leave tensors of at most one dimension out (``vectors_left_out``).

    Raises:
        LoadError ``cmp.file_no_tensor`` (``_one``: of one tensor) when no tensor of the file can be
            prepared (its parameters ``excluded`` and ``vectors`` are FileCompare's excluded and
            vectors_left_out),
        ``cmp.file_only_vectors`` when skip_vectors leaves none, ``cmp.file_too_many`` beyond
        MAX_FILE_TENSORS tensors to run.
    """
    vectors = tuple((name, math.prod(t.shape)) for name, t in tensors.items() if skip_vectors and len(t.shape) <= 1)
    names = [name for name in tensors if name not in dict(vectors)]
    if not names:
        raise LoadError("cmp.file_only_vectors", n=len(vectors))
    if len(names) > MAX_FILE_TENSORS:
        raise LoadError("cmp.file_too_many", n=f"{len(names):,}", limit=f"{MAX_FILE_TENSORS:,}")
    totals = [_Totals() for _ in choices]
    per_tensor: list[dict[str, Any]] = []
    excluded: list[tuple[str, str, dict[str, Any]]] = []
    total_steps, n_values = len(names) * len(choices), 0
    for ti, name in enumerate(names):
        try:
            x = _prepared(tensors[name], name)
        except LowBitError as err:
            excluded.append((name, err.key, dict(err.params)))
            continue
        n_values += x.size
        for ci, choice in enumerate(choices):
            if progress is not None:
                progress(FileStep(ti * len(choices) + ci, total_steps, ti, len(names), name, choice.label))
            per_tensor.append({**_run_one(x, name, choice, channel_axis, totals[ci], _shape_shown(tensors[name], x)),
                               "_choice": ci})
        del x
    if progress is not None:
        progress(FileStep(total_steps, total_steps, len(names), len(names), "", ""))
    if len(excluded) == len(names):
        raise LoadError("cmp.file_no_tensor" if len(names) > 1 else "cmp.file_no_tensor_one", n=len(names),
                        first=excluded[0][0] if excluded else "", excluded=tuple(excluded), vectors=vectors)
    rows = [_combined(choice, tot, len(names) - len(excluded)) for choice, tot in zip(choices, totals)]
    return FileCompare(ranked(rows), _shares(per_tensor, totals), tuple(excluded),
                       len(names) - len(excluded), n_values, vectors)


def run_compare_file_reusing(
    tensors: Mapping[str, Any], choices: Sequence[Choice], done: dict[tuple[Choice, int | None], FileCompare],
    channel_axis: int = 0, progress: Callable[[FileStep], None] | None = None, skip_vectors: bool = False,
) -> FileCompare:
    """run_compare_file for the choices not in ``done`` (results of the same tensors and
    skip_vectors, by Choice.result_key(channel_axis)), which it adds to ``done``; the answer holds
    ``choices`` alone, as one run of them would. A page's cache: adding one choice to 32 runs one,
    taking one off runs none, a new axis runs the per-channel choices only.
    Raises what run_compare_file raises."""
    keys = [c.result_key(channel_axis) for c in choices]
    missing = [c for c, k in zip(choices, keys) if k not in done]
    if missing or not choices:
        fresh = run_compare_file(tensors, missing, channel_axis, progress, skip_vectors)
        if not choices:
            return fresh
        done.update(dict.fromkeys((c.result_key(channel_axis) for c in missing), fresh))
    wanted: dict[int, tuple[FileCompare, set[str]]] = {}  # each run, and the labels taken from it
    for c, k in zip(choices, keys):  # (a run at another axis also holds per-channel rows not wanted)
        wanted.setdefault(id(done[k]), (done[k], set()))[1].add(c.label)
    parts = [part for part, _ in wanted.values()]
    if len(parts) == 1 and len(parts[0].table) == len(choices):
        return parts[0]
    rows = pd.concat([p.table[p.table["label"].isin(lab)] for p, lab in wanted.values()], ignore_index=True)
    per = pd.concat([p.per_tensor[p.per_tensor["label"].isin(lab)] for p, lab in wanted.values()], ignore_index=True)
    first = parts[0]
    return FileCompare(ranked(rows.to_dict("records")), per, first.excluded, first.n_tensors, first.n_values,
                       first.vectors_left_out)


def _prepared(tensor: Any, name: str) -> np.ndarray:
    """The tensor's values as the page prepares them: N-D tensors with channel axis 0."""
    from lib.data_source import needs_axis, prepare

    values = tensor.read()
    return prepare(values, name, 0 if needs_axis(values) else None)


def _shape_shown(tensor: Any, x: np.ndarray) -> str:
    """The tensor's shape in the file, and the matrix it was quantized as when that differs:
    "(4, 8, 16) → (4, 128)" (it read "(4, 128)", a shape the file does not have)."""
    stored = tuple(int(n) for n in tensor.shape)
    return str(stored) if stored == tuple(x.shape) else f"{stored} → {tuple(x.shape)}"


def _run_one(x: np.ndarray, name: str, choice: Choice, channel_axis: int, tot: _Totals,
             shape: str = "") -> dict[str, Any]:
    """Quantize one tensor with one choice, add its sums to ``tot``; its per-tensor row (``shape``:
    as shown, default x's own)."""
    start = time.perf_counter()
    r, key, params = attempt(x, choice, min(channel_axis, max(x.ndim - 1, 0)))
    row: dict[str, Any] = {"label": choice.label, "tensor": name, "shape": shape or str(tuple(x.shape)), "size": int(x.size),
                           "sqnr_db": math.nan, "bits_per_element": math.nan, "error_key": key, "error_params": params}
    if r is None:
        tot.failed.append((name, str(key), dict(params or {})))
    else:
        sums = error_sums(x, r.dequantized)  # x as passed, as r.metrics would use it
        row["sqnr_db"], row["bits_per_element"], row["_sums"] = sums.metrics()["sqnr_db"], r.bits_per_element, sums
        tot.sums += sums
        tot.clipped += int(r.clipped_count)
        tot.bits += float(r.bits_per_element) * x.size
        tot.size += int(x.size)
        tot.levels.add(float(r.levels_available))
        tot.ran = (r.granularity, r.block_size)
        del r  # x̂ is freed before the next choice runs
    tot.seconds += time.perf_counter() - start
    return row


def _combined(choice: Choice, tot: _Totals, n_tensors: int) -> dict[str, Any]:
    """One choice's table row: the combined metrics, or why the choice failed on some tensors."""
    row = choice_row(choice)
    row["seconds"] = tot.seconds
    if tot.failed:
        names = [name for name, _, _ in tot.failed]
        first, key, params = tot.failed[0]
        more = len(names) - NAMED_FAILURES
        row["error_key"] = "cmp.file_failed_more" if more > 0 else "cmp.file_failed"
        row["error_params"] = {"failed": len(names), "n": n_tensors, "tensors": names[:NAMED_FAILURES],
                               "more": max(more, 0), "first": first, "reason_key": key, "reason_params": params}
        return row
    if tot.ran is not None:
        row["granularity"], row["block_size"] = tot.ran
    m = tot.sums.metrics()
    bits = tot.bits / tot.size
    combined = {**m, "bits_per_element": bits, "compression_vs_fp32": 32.0 / bits if bits > 0 else math.inf,
                "clipped_fraction": tot.clipped / tot.sums.n if tot.sums.n else 0.0, "levels_used": math.nan,
                "levels_available": tot.levels.pop() if len(tot.levels) == 1 else math.nan}
    row.update({k: float(combined[k]) for k in METRIC_COLUMNS})
    return row


def _shares(rows: list[dict[str, Any]], totals: list[_Totals]) -> pd.DataFrame:
    """The per-tensor rows with each tensor's share of its choice's Σe² (NaN where it failed)."""
    for row in rows:
        sums = row.pop("_sums", None)
        total = totals[row.pop("_choice")].sums
        row["error_share"] = math.nan if sums is None else sums.error_share(total)
    return pd.DataFrame(rows, columns=list(PER_TENSOR_COLUMNS))


def per_tensor_table(result: FileCompare, label: str, lang: str = "en") -> pd.DataFrame:
    """One choice's tensors, worst SQNR first, for reading: tensor, shape, values, SQNR, bits per
    value and its share of the file's error (Σe² of the tensor / Σe² of the file, in %).
    Example row: "layers.0.mlp.weight", "(64, 128)", "8,192", "21.37", "4.5", "61.2%"."""
    rows = result.per_tensor[result.per_tensor["label"] == label]
    rows = rows.sort_values(["sqnr_db", "size"], ascending=[True, False], kind="stable", na_position="first")
    return pd.DataFrame({
        t("cmp.col.tensor", lang): rows["tensor"].astype(str).tolist(),
        t("cmp.col.shape", lang): rows["shape"].astype(str).tolist(),
        t("cmp.col.values", lang): [f"{int(n):,}" for n in rows["size"]],
        t("quant.m.sqnr_db", lang): [format_metric("sqnr_db", v) for v in rows["sqnr_db"]],
        t("quant.m.bits_per_element", lang): [format_metric("bits_per_element", v) for v in rows["bits_per_element"]],
        t("cmp.col.error_share", lang): [format_metric("error_share", v) for v in rows["error_share"]],
    })
