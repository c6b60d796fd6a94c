"""Write tests/data/bnb_nf4_golden.npz: NF4 results of bitsandbytes itself, the oracle of test_nf4_bnb.py.

Not run by the tests (bitsandbytes needs torch, which the app does not). To regenerate:

    python -m venv /tmp/bnb && /tmp/bnb/bin/pip install torch==2.13.0 numpy bitsandbytes==0.50.2
    /tmp/bnb/bin/python tests/data/make_bnb_golden.py

Each case stores the input x (float32, flat) and what bitsandbytes' CPU path returns for
quantize_4bit(x, blocksize=64, quant_type="nf4") without and with compress_statistics (double
quantization), then dequantize_4bit: the 4-bit codes (unpacked, high nibble first), the
dequantized values, and for double quantization the 8-bit absmax codes, their per-256 scales and
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
    out["versions"] = np.array([f"bitsandbytes {bitsandbytes.__version__}", f"torch {torch.__version__}"])
    path = Path(__file__).with_name("bnb_nf4_golden.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB)")


if __name__ == "__main__":
    main()
