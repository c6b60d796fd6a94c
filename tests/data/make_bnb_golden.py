"""Write tests/data/bnb_nf4_golden.npz: NF4 results of bitsandbytes itself, the oracle of test_nf4_bnb.py.

Not run by the tests (bitsandbytes needs torch, which the app does not). To regenerate:

    python -m venv /tmp/bnb && /tmp/bnb/bin/pip install torch==2.13.0 numpy bitsandbytes==0.50.2
    /tmp/bnb/bin/python tests/data/make_bnb_golden.py

Each case stores the input x (float32, flat) and what bitsandbytes' CPU path returns for
quantize_4bit(x, blocksize=64, quant_type="nf4") without and with compress_statistics (double
quantization), and with quant_type="fp4" (cases fp4_*), then dequantize_4bit: the 4-bit codes
(unpacked, high nibble first), the dequantized values, and for double quantization the 8-bit absmax codes, their per-256 scales and
the offset. Also the 256-entry dynamic 8-bit map (create_dynamic_map()).
"""

from __future__ import annotations

from pathlib import Path

import bitsandbytes
import bitsandbytes.functional as F
import numpy as np
import torch


def cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261203)
    normal = rng.standard_normal(16384).astype(np.float32)  # 256 blocks: one full absmax block
    heavy = rng.standard_t(3, 8000).astype(np.float32)      # 125 blocks: a partial absmax block
    heavy[:64] = 0.0                                          # an all-zero NF4 block
    heavy[64:128] = 0.25                                      # a constant block
    heavy[128:136] = [1.0, -1.0, 0.5, -0.5, 1e-30, -1e-30, 7.0, -7.0]
    scaled = (rng.standard_normal(4096) * 3e-3).astype(np.float32)  # weight-like magnitudes
    return {"normal": normal, "heavy": heavy, "scaled": scaled}


def fp4_edges() -> np.ndarray:
    """Blocks of 64 whose absmax is 1 (first value), the rest within 6 float32 steps of each midpoint
    between bitsandbytes' FP4 levels (as float32 sums and as exact twelfths), both signs, then 20000
    uniform values: where a threshold rule or the table's rounding would show."""
    levels = np.sort(np.float32(np.array([0.0, 0.0625, 8.0, 12.0, 4.0, 6.0, 2.0, 3.0])) / np.float32(12))
    mids = np.concatenate([(levels[:-1] + levels[1:]) / np.float32(2),
                           np.float32((levels[:-1].astype(np.float64) + levels[1:]) / 2)])
    near = [m.view(np.int32) + k for m in mids for k in range(-6, 7)]
    vals = np.array(near, dtype=np.int32).view(np.float32)
    rng = np.random.default_rng(20261204)
    vals = np.concatenate([vals, -vals, rng.uniform(-1, 1, 20000).astype(np.float32)])
    vals = np.concatenate([vals, np.zeros(-vals.size % 63, np.float32)]).reshape(-1, 63)
    return np.concatenate([np.ones((vals.shape[0], 1), np.float32), vals], axis=1).reshape(-1)


def unpack(packed: torch.Tensor, n: int) -> np.ndarray:
    p = packed.numpy().reshape(-1)
    return np.stack([p >> 4, p & 15], axis=1).reshape(-1)[:n].astype(np.uint8)


def main() -> None:
    out: dict[str, np.ndarray] = {"dynamic_map": F.create_dynamic_map().numpy().astype(np.float32)}
    for name, x in cases().items():
        t = torch.from_numpy(x)
        out[f"{name}/x"] = x
        q, st = F.quantize_4bit(t, blocksize=64, compress_statistics=False, quant_type="nf4")
        out[f"{name}/codes"] = unpack(q, x.size)
        out[f"{name}/deq"] = F.dequantize_4bit(q, st).numpy().reshape(-1)
        out[f"{name}/absmax"] = st.absmax.numpy()
        q, st = F.quantize_4bit(t, blocksize=64, compress_statistics=True, quant_type="nf4")
        out[f"{name}/dq_codes"] = unpack(q, x.size)
        out[f"{name}/dq_deq"] = F.dequantize_4bit(q, st).numpy().reshape(-1)
        out[f"{name}/dq_absmax_codes"] = st.absmax.numpy()
        out[f"{name}/dq_absmax_scales"] = st.state2.absmax.numpy()
        out[f"{name}/dq_offset"] = np.float32(st.offset.item())
    fp4 = {"fp4_normal": cases()["normal"], "fp4_edges": fp4_edges()}
    for name, x in fp4.items():
        q, st = F.quantize_4bit(torch.from_numpy(x), blocksize=64, compress_statistics=False, quant_type="fp4")
        out[f"{name}/x"] = x
        out[f"{name}/codes"] = unpack(q, x.size)
        out[f"{name}/deq"] = F.dequantize_4bit(q, st).numpy().reshape(-1)
        out[f"{name}/absmax"] = st.absmax.numpy()
    out["versions"] = np.array([f"bitsandbytes {bitsandbytes.__version__}", f"torch {torch.__version__}"])
    path = Path(__file__).with_name("bnb_nf4_golden.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB)")


if __name__ == "__main__":
    main()
