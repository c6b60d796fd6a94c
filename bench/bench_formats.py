"""Speed of lib.formats rounding on 16M float32 normals, as ratios measured in the same run.

    python bench/bench_formats.py [--n 16777216] [--reps 5]

For each 8/6/4-bit float format: our ``fmt.round(x)`` against a plain ``np.copyto`` of the same
array (target <= 5x) and ml_dtypes' round trip ``x.astype(t).astype(np.float32)`` against ours
(target >= 4x).  For INT8/INT4 with a per-tensor absmax scale: ``fmt.round_scaled(x, s)``
(x / s, round, clip, * s) against the copy (target <= 4x).  Ours is timed twice: returning a new
array, and writing into an existing one with ``out=`` as np.copyto does (a fresh 64 MB result
costs page faults that the copy does not pay).  Every result is first checked bit for
bit against ml_dtypes (floats) or plain numpy (ints).  Each timing is the best of ``reps``
interleaved runs, so a busy machine hurts all columns alike; run it 2-3 times and take the median.
Peak extra memory (tracemalloc) is reported as a fraction of the input's size.
"""

from __future__ import annotations

import argparse
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import ml_dtypes
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from lib.formats import get_format  # noqa: E402

FLOATS = [
    "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3", "float8_e3m4",
    "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn",
]  # fmt: skip
INTS = ["int8", "int4"]


def best_of(fns: dict[str, Callable[[], object]], reps: int) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) time of each function over ``reps`` interleaved rounds.

    CPU time (time.process_time) is less disturbed when other jobs share the machine.
    """
    times = {k: (float("inf"), float("inf")) for k in fns}
    for _ in range(reps):
        for k, fn in fns.items():
            w0, c0 = time.perf_counter(), time.process_time()
            fn()
            w, c = time.perf_counter() - w0, time.process_time() - c0
            times[k] = (min(times[k][0], w), min(times[k][1], c))
    return times


def ratio(t: dict[str, tuple[float, float]], a: str, b: str) -> tuple[float, float]:
    """(wall, CPU) ratios t[a] / t[b]."""
    return t[a][0] / t[b][0], t[a][1] / t[b][1]


def peak_extra(fn: Callable[[], object], input_bytes: int) -> float:
    """Peak memory allocated by ``fn`` beyond its result, as a fraction of the input size."""
    tracemalloc.start()
    result = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return (peak - np.asarray(result).nbytes) / input_bytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1 << 24)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    x = np.random.default_rng(0).standard_normal(args.n, dtype=np.float32)
    dst = np.empty_like(x)
    buf = np.empty_like(x)
    print(f"{args.n:,} float32 normals, best of {args.reps} interleaved runs\n")
    print("ratios of best wall-clock times (CPU-time ratio in brackets)")
    print("'new' = fmt.round(x) returning a new array; 'out=' = fmt.round(x, out=buf), which like")
    print("np.copyto(dst, x) writes into an existing array (the verdict uses it)\n")
    head = f"{'format':<17}{'new/copy':>16}{'out=/copy':>16}{'ml/new':>9}{'extra mem':>10}"
    print(head + "  verdict (out=/copy <= 5x, ml/new >= 4x)")
    for name in FLOATS:
        fmt = get_format(name)
        ml_t = getattr(ml_dtypes, name)
        ours = fmt.round(x)
        ref = x.astype(ml_t).astype(np.float32)
        assert np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), f"{name}: not bit-exact vs ml_dtypes"
        t = best_of(
            {
                "copy": lambda: np.copyto(dst, x),
                "new": lambda: fmt.round(x),
                "out": lambda: fmt.round(x, out=buf),
                "ml": lambda: x.astype(ml_t).astype(np.float32),
            },
            args.reps,
        )
        mem = peak_extra(lambda: fmt.round(x), x.nbytes)
        (w_new, c_new), (w_out, c_out) = ratio(t, "new", "copy"), ratio(t, "out", "copy")
        w_ml = ratio(t, "ml", "new")[0]
        ok = "ok" if w_out <= 5 and w_ml >= 4 else "MISS"
        print(f"{name:<17}{w_new:>7.2f}x ({c_new:4.2f}x){w_out:>7.2f}x ({c_out:4.2f}x){w_ml:>8.1f}x{mem:>10.1%}  {ok}")
    print(f"\n{'scaled int':<17}{'new/copy':>16}{'out=/copy':>16}{'':>9}{'extra mem':>10}  verdict (out=/copy <= 4x)")
    for name in INTS:
        fmt = get_format(name)
        s = float(np.abs(x).max() / np.float32(fmt.max))
        s32 = np.float32(s)
        ours = fmt.round_scaled(x, s)
        ref = (np.clip(np.rint(x / s32), fmt.min, fmt.max) + np.float32(0)) * s32
        assert np.array_equal(ours.view(np.uint32), ref.view(np.uint32)), f"{name}: not bit-exact vs numpy"
        t = best_of(
            {
                "copy": lambda: np.copyto(dst, x),
                "new": lambda: fmt.round_scaled(x, s),
                "out": lambda: fmt.round_scaled(x, s, out=buf),
            },
            args.reps,
        )
        mem = peak_extra(lambda: fmt.round_scaled(x, s), x.nbytes)
        (w_new, c_new), (w_out, c_out) = ratio(t, "new", "copy"), ratio(t, "out", "copy")
        ok = "ok" if w_out <= 4 else "MISS"
        print(f"{name:<17}{w_new:>7.2f}x ({c_new:4.2f}x){w_out:>7.2f}x ({c_out:4.2f}x){'':>9}{mem:>10.1%}  {ok}")


if __name__ == "__main__":
    main()
