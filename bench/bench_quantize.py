"""Speed and memory of lib.quantize, as ratios to a plain copy measured in the same run.

Run:  python bench/bench_quantize.py [--repeat 3] [--skip-memory]

Targets (issue 3), on 16M float32 values (4096 x 4096):
    per-channel absmax int8, group-128 absmax int4   <= 4x copy
    mxfp4, nf4                                        <= 8x copy
    mse and kl searches                               <= 40x copy
    peak extra memory for 50M values                  <= the input's size (200 MB)

Four cases run in lib.compiled's numba kernels (the same bytes as the numpy path); the last column
times them with the kernels off. Each case is timed as quantize() alone (metrics are lazy) and quantize() + r.metrics.
"Extra memory" is the tracemalloc peak during quantize() minus the returned arrays (codes,
dequantized, scales), which a caller has asked for; the total peak is printed too.
"Floor" prints what every case pays before its arithmetic (fresh output pages, one read of x,
one in-cache numpy step), so a case's ratio can be read as floor + steps.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from lib import compiled  # noqa: E402
from lib.quantize import quantize  # noqa: E402

CASES: list[tuple[str, dict, float]] = [
    ("int8 absmax channel", {"fmt": "int8", "method": "absmax", "granularity": "channel", "axis": 0}, 4),
    ("int4 absmax group128", {"fmt": "int4", "method": "absmax", "granularity": "group", "axis": 1,
                              "block_size": 128}, 4),
    ("mxfp4", {"fmt": "mxfp4", "axis": 1}, 8),
    ("nf4", {"fmt": "nf4", "axis": 1}, 8),
    ("int8 mse tensor", {"fmt": "int8", "method": "mse"}, 40),
    ("int8 kl tensor", {"fmt": "int8", "method": "kl"}, 40),
    ("int8 mse channel", {"fmt": "int8", "method": "mse", "granularity": "channel", "axis": 0}, 40),
    ("int4 mse group128", {"fmt": "int4", "method": "mse", "granularity": "group", "axis": 1,
                           "block_size": 128}, 40),
    # context, no target:
    ("float8_e4m3fn absmax tensor", {"fmt": "float8_e4m3fn"}, 0),
    ("q8_0", {"fmt": "q8_0", "axis": 1}, 0),
    ("q4_0", {"fmt": "q4_0", "axis": 1}, 0),
    ("nvfp4", {"fmt": "nvfp4", "axis": 1}, 0),
    ("int8 minmax tensor", {"fmt": "int8", "method": "minmax"}, 0),
    ("int8 percentile tensor", {"fmt": "int8", "method": "percentile"}, 0),
]


def best_times(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Fastest of ``repeat`` runs: (wall seconds, CPU seconds of this process)."""
    wall = cpu = float("inf")
    for _ in range(repeat):
        gc.collect()
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall = min(wall, time.perf_counter() - w0)
        cpu = min(cpu, time.process_time() - c0)
    return wall, cpu


def bench_speed(repeat: int) -> None:
    x = np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)
    out = np.empty_like(x)
    print("16M float32 (4096x4096). Ratios to np.copyto(out, x) timed just before each case;")
    print("wall-clock and CPU-time (process_time: less disturbed by other jobs on a shared box).")
    print("numpy: the same case with lib.compiled's kernels off (LOWBIT_NUMPY_ONLY), where they apply.")
    print(f"{'case':28s} {'copy ms':>8s} {'wall':>7s} {'cpu':>7s} {'+metrics':>9s} {'target':>8s} {'':4s} {'numpy':>6s}")
    for name, kw, target in CASES:
        compiled_used = _compiles(x, kw)  # and the kernel's one-time compile happens here, untimed
        copy_wall, copy_cpu = best_times(lambda: np.copyto(out, x), max(7, 2 * repeat))
        q_wall, q_cpu = best_times(lambda: quantize(x, **kw), repeat)
        m_wall, _ = best_times(lambda: quantize(x, **kw).metrics, max(1, repeat - 1))
        rw, rc = q_wall / copy_wall, q_cpu / max(copy_cpu, 1e-9)
        verdict = "" if not target else ("ok" if min(rw, rc) <= target else "OVER")
        tgt = f"<= {target:g}x" if target else "-"
        numpy_only = "-"
        if compiled_used:
            compiled.ENABLED = False
            numpy_only = f"{best_times(lambda: quantize(x, **kw), repeat)[0] / copy_wall:5.1f}x"
            compiled.ENABLED = True
        print(f"{name:28s} {copy_wall * 1e3:8.1f} {rw:6.1f}x {rc:6.1f}x {m_wall / copy_wall:8.1f}x {tgt:>8s} "
              f"{verdict:4s} {numpy_only:>6s}")


def _compiles(x: np.ndarray, kw: dict) -> bool:
    """Whether quantize(x, **kw) runs in lib.compiled's kernels (called once, untimed)."""
    used, real = [], compiled.quantize_fast
    compiled.quantize_fast = lambda *a: used.append(True) or real(*a)
    try:
        quantize(x, **kw)
    finally:
        compiled.quantize_fast = real
    return bool(used)


def bench_floor(repeat: int) -> None:
    """What any numpy implementation pays before its arithmetic, as ratios to the same copy.

    fresh outputs: writing a new 64 MB float32 x̂ and a new 16 MB int8 codes array once (the
    kernel zeroes every new page on first touch; np.copyto writes into pages it already has);
    one read: an integer max over x's bits (the cheapest full read, what a scale needs);
    one step: a float32 multiply on a cache-resident 128K-value chunk, repeated for all 16M
    values: the least each further numpy step (divide, rint, cast, compare ...) of a chunked
    loop costs, on top of the read.
    """
    x = np.random.default_rng(0).standard_normal((4096, 4096)).astype(np.float32)
    out = np.empty_like(x)
    ints = x.reshape(-1).view(np.int32)
    chunk = 1 << 17
    buf = np.ones(chunk, dtype=np.float32)

    def fresh_outputs() -> None:
        np.copyto(np.empty_like(x), x)
        np.empty(x.shape, dtype=np.int8).fill(1)

    def one_read() -> None:
        for i in range(0, ints.size, chunk):
            np.maximum.reduce(ints[i:i + chunk])

    def one_step() -> None:
        for _ in range(0, x.size, chunk):
            np.multiply(buf, np.float32(1.0), out=buf)

    copy, _ = best_times(lambda: np.copyto(out, x), max(7, 2 * repeat))
    print("\nFloor (same copy as above): what every case pays before its arithmetic")
    for name, fn in (("fresh outputs (x̂ + codes)", fresh_outputs), ("one read of x", one_read),
                     ("one in-cache step", one_step)):
        wall, _ = best_times(fn, max(5, repeat))
        print(f"  {name:28s} {wall / copy:5.2f}x")


def bench_memory() -> None:
    cases = [("int8 absmax tensor", {"fmt": "int8"}),
             ("int8 absmax channel", {"fmt": "int8", "granularity": "channel"}),
             ("int4 absmax group128", {"fmt": "int4", "granularity": "group", "axis": 1, "block_size": 128}),
             ("int4 mse group128", {"fmt": "int4", "method": "mse", "granularity": "group", "axis": 1,
                                    "block_size": 128}),
             ("int8 mse channel", {"fmt": "int8", "method": "mse", "granularity": "channel"}),
             ("mxfp4", {"fmt": "mxfp4", "axis": 1}),
             ("nf4", {"fmt": "nf4", "axis": 1}),
             ("nvfp4", {"fmt": "nvfp4", "axis": 1}),
             ("q4_0", {"fmt": "q4_0", "axis": 1}),
             ("int8 kl tensor", {"fmt": "int8", "method": "kl"})]
    for shape in ((3125, 16000), (5000, 10000)):
        x = np.random.default_rng(1).standard_normal(shape, dtype=np.float32)
        note = "rows divisible by every block" if shape[1] % 128 == 0 else "rows NOT divisible: padding"
        print(f"\n50M float32 {shape} ({note}); input = {x.nbytes / 1e6:.0f} MB; extra = peak - returned arrays")
        for name, kw in cases:
            gc.collect()
            tracemalloc.start()
            r = quantize(x, **kw)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            returned = r.codes.nbytes + r.dequantized.nbytes + r.scale.nbytes
            extra = peak - returned
            ok = "ok" if extra <= x.nbytes else "OVER"
            print(f"  {name:22s} peak {peak / 1e6:5.0f} MB  returned {returned / 1e6:4.0f} MB  "
                  f"extra {extra / 1e6:6.1f} MB ({extra / x.nbytes:.2f}x input) {ok}")
            del r


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-memory", action="store_true")
    args = parser.parse_args()
    bench_speed(args.repeat)
    bench_floor(args.repeat)
    if not args.skip_memory:
        bench_memory()


if __name__ == "__main__":
    main()
