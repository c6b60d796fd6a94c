"""Speed and memory of lib.io / lib.synthetic, as ratios to baselines measured in the same run.

Run:  python bench/bench_io.py [--values 50000000] [--repeat 3]

Cases (each: best-of-N time of ours / best-of-N time of the baseline, and the tracemalloc peak
during our call divided by the size of the array it returns):
    .npy float32          load_arrays            vs  np.frombuffer(...).copy()  (one copy; ours is a view)
    .safetensors BF16     load_arrays            vs  ml_dtypes view + astype(float32)
    .gguf Q8_0            load_tensors().values  vs  gguf.quants.dequantize on the same bytes
    .csv text             load_arrays            vs  np.fromstring(text, sep=" ")
    synthetic normal      synthetic()            vs  rng.standard_normal(float64) (numpy's default)
Goal: the .npy load copies nothing (peak ~0x the array): the array is a read-only view of the
upload's bytes, so a 50M-value upload costs its 200 MB of bytes and no more.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import gguf  # noqa: E402
import gguf.quants  # noqa: E402
import ml_dtypes  # noqa: E402
import safetensors  # noqa: E402
from safetensors import TensorSpec  # noqa: E402

from lib.io import load_arrays, load_tensors  # noqa: E402
from lib.synthetic import synthetic  # noqa: E402


def best(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def peak_ratio(fn: Callable[[], np.ndarray]) -> float:
    gc.collect()
    tracemalloc.start()
    out = fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / out.nbytes


def report(name: str, ours: Callable[[], np.ndarray], base: Callable[[], Any], repeat: int) -> None:
    t_ours, t_base = best(ours, repeat), best(base, repeat)
    print(f"{name:<34} {t_ours * 1e3:9.1f} ms  {t_ours / t_base:6.2f}x baseline  peak {peak_ratio(ours):5.2f}x output")


def gguf_bytes(q: np.ndarray) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "b.gguf")
        w = gguf.GGUFWriter(path, "llama")
        w.add_tensor("q", q, raw_shape=q.shape, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        w.write_header_to_file()
        w.write_kv_data_to_file()
        w.write_tensors_to_file()
        w.close()
        with open(path, "rb") as fh:
            return fh.read()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--values", type=int, default=50_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n, r = args.values, args.repeat
    print(f"values: {n:,} (npy); smaller cases use n/8 or n/50")

    x = synthetic("normal", n, seed=0)
    buf = io.BytesIO()
    np.save(buf, x)
    npy = buf.getvalue()
    report(".npy float32", lambda: load_arrays(npy, "x.npy")["x"],
           lambda: np.frombuffer(npy, np.float32, count=n, offset=len(npy) - 4 * n).copy(), r)
    del buf, npy

    m = max(25_600, (n // 8) // 25_600 * 25_600)  # whole Q8_0 rows of 256 and CSV rows of 100
    bf = x[:m].astype(ml_dtypes.bfloat16)
    st = bytes(safetensors.serialize(
        {"w": TensorSpec(dtype="bfloat16", shape=bf.shape, data_ptr=bf.ctypes.data, data_len=bf.nbytes)}, metadata=None))
    report(f".safetensors BF16 ({m:,})", lambda: load_arrays(st, "w.safetensors")["w"],
           lambda: np.frombuffer(st, ml_dtypes.bfloat16, count=m, offset=len(st) - 2 * m).astype(np.float32), r)
    del st

    q = gguf.quants.quantize(x[:m].reshape(-1, 256), gguf.GGMLQuantizationType.Q8_0)
    gb = gguf_bytes(q)
    report(f".gguf Q8_0 ({m:,})", lambda: load_tensors(gb, "m.gguf")["q"].values,
           lambda: gguf.quants.dequantize(q, gguf.GGMLQuantizationType.Q8_0), r)
    del gb, q

    k = max(100, (n // 50) // 100 * 100)
    text = "\n".join(", ".join(f"{v:.6g}" for v in row) for row in x[:k].reshape(-1, 100).tolist())
    raw = text.encode()
    report(f".csv ({k:,} numbers)", lambda: load_arrays(raw, "t.csv")["t"],
           lambda: np.fromstring(text.replace(",", " "), sep=" "), r)

    rng_base = lambda: np.random.default_rng(0).standard_normal(m)  # noqa: E731
    report(f"synthetic normal ({m:,})", lambda: synthetic("normal", m, seed=0), rng_base, r)
    report(f"synthetic student_t ({m:,})", lambda: synthetic("student_t", m, seed=0), rng_base, r)
    report(f"synthetic llm_like ({m:,})", lambda: synthetic("llm_like", m, seed=0), rng_base, r)


if __name__ == "__main__":
    main()
