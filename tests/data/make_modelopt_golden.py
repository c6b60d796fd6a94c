"""Write tests/data/modelopt_nvfp4_golden.npz: NVFP4 results of NVIDIA's TensorRT Model Optimizer,
the oracle of test_nvfp4_modelopt.py.

Not run by the tests (Model Optimizer needs torch, which the app does not). To regenerate, in a
throwaway venv (Model Optimizer's own dependency list is large; the qtensor module imports with
these):

    python -m venv /tmp/mo && /tmp/mo/bin/pip install torch==2.13.0 numpy
    /tmp/mo/bin/pip install --no-deps nvidia-modelopt==0.47.0
    /tmp/mo/bin/pip install requests tqdm omegaconf huggingface_hub pydantic pulp rich scipy \
        safetensors regex pyyaml packaging
    /tmp/mo/bin/python tests/data/make_modelopt_golden.py

Each case stores the input x (float32, 2-D, blocks of 16 along the last axis) and what
``NVFP4QTensor.quantize(x, 16)`` then ``.dequantize(...)`` return (the CPU path, no TensorRT-LLM):
the FP4 codes (unpacked, low nibble first), the E4M3 block-scale codes, the float32 tensor scale
and the dequantized values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from modelopt.torch.quantization.qtensor.nvfp4_tensor import NVFP4QTensor


def cases() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(20261203)
    normal = rng.standard_normal((64, 256)).astype(np.float32)
    heavy = (rng.standard_t(2, (64, 256)) * rng.uniform(1e-3, 10, (64, 1))).astype(np.float32)
    heavy[3, :16] = 0.0          # an all-zero block: ratio 1
    heavy[5, 16:32] = 1e-6       # a tiny block: ratio clamped to 2**-9
    heavy[7, 32:48] = -0.0       # negative zeros (the one known code difference)
    weights = (rng.standard_normal((64, 512)) * 0.02).astype(np.float32)
    weights[:, 7] *= 40          # an outlier column
    clamped = rng.uniform(-1, 1, (32, 64)).astype(np.float32)
    clamped[0, 0] = 2688.0       # g = 1: blocks of amax ~0.003 clamp to 2**-9 and still keep values
    clamped[1:] *= np.float32(0.003)
    spread = (rng.standard_normal((128, 256)) * 10.0 ** rng.uniform(-6, 3, (128, 16)).repeat(16, 1)).astype(np.float32)
    return {"normal": normal, "heavy": heavy, "weights": weights, "clamped": clamped, "spread": spread}


def main() -> None:
    out: dict[str, np.ndarray] = {}
    for name, x in cases().items():
        q, scale, g = NVFP4QTensor.quantize(torch.from_numpy(x.copy()), 16)
        packed = q._quantized_data.numpy()
        codes = np.empty(x.shape, np.uint8)
        codes[:, 0::2] = packed & 0x0F
        codes[:, 1::2] = packed >> 4
        deq = q.dequantize(dtype=torch.float32, scale=scale, double_scale=g, block_sizes={-1: 16})
        out[f"{name}_x"] = x
        out[f"{name}_codes"] = codes
        out[f"{name}_scale_codes"] = scale.view(torch.uint8).numpy()
        out[f"{name}_g"] = np.float32(g.item())
        out[f"{name}_deq"] = deq.numpy()
    path = Path(__file__).with_name("modelopt_nvfp4_golden.npz")
    np.savez_compressed(path, **out)
    print(f"wrote {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
