"""bitsandbytes' 8-bit dynamic map, and its blockwise quantization (NF4 double quantization).

The map (Dettmers, "8-Bit Approximations for Parallelism in Deep Learning", 2015) spends its
256 codes like a float with a movable point: a sign, a run of zeros that sets the decade
(10**-6 .. 10**0), and the remaining bits as a linear fraction between 0.1 and 1 of that decade.
bitsandbytes' ``create_dynamic_map()`` builds it as, for i = 0..6, the midpoints of
``linspace(0.1, 1, 2**i + 1)`` (float32) times ±10**(i - 6), plus 0 and 1.0, sorted: 127
positive, 127 negative, 0 and 1 (the largest negative is -0.99296874, not -1).

``DYNAMIC_MAP`` is the table bitsandbytes 0.50.2 builds (torch 2.13, an AVX-512 CPU), value for
value. ``dynamic_map_formula()`` rebuilds it from the recipe with a plain float32 linspace: 214
entries agree exactly and the rest within two float32 steps, because torch's vectorised linspace
rounds some points differently (so the map bitsandbytes builds depends, in its last bit, on the
CPU's vector width).

Blockwise quantization (as bitsandbytes' CPU kernel ``quantize_block``), per block of 256 values:
absmax = max|c| (float32); normed = c / absmax; the code is the index of the largest map value
<= normed, moved one up when the next value is strictly closer (float32 distances: ties go down),
i.e. the nearest map value. bitsandbytes finds that left neighbour with an approximate
direct-lookup search, which for 1 value in 100 to 250 (tests/data) lands one code higher.
Dequantized = map[code] * absmax. An all-zero block gives NaN / 0 -> code 0 and -0.99296874 · 0.

Example: c = [-2, 1, 0.5, 2] (one block, absmax 2) -> normed [-1, 0.5, 0.25, 1]
-> codes [0, 219, 201, 255] -> [-1.9859375, 1.0015625, 0.49531248, 2.0].
"""

from __future__ import annotations

import numpy as np

DYNAMIC_MAP = np.array([
    -0.99296874, -0.9789063, -0.96484375, -0.9507812, -0.93671876, -0.92265624, -0.9085938, -0.89453125,
    -0.8804687, -0.86640626, -0.85234374, -0.8382813, -0.82421875, -0.8101562, -0.79609376, -0.78203124,
    -0.7679688, -0.75390625, -0.7398437, -0.72578126, -0.7117188, -0.6976563, -0.68359375, -0.6695312,
    -0.65546876, -0.6414063, -0.6273438, -0.61328125, -0.5992187, -0.58515626, -0.5710938, -0.5570313,
    -0.54296875, -0.5289062, -0.5148437, -0.50078124, -0.4867187, -0.47265625, -0.45859373, -0.44453126,
    -0.43046874, -0.41640624, -0.40234375, -0.38828123, -0.37421876, -0.36015624, -0.34609374, -0.33203125,
    -0.31796873, -0.30390626, -0.28984374, -0.27578127, -0.26171875, -0.24765624, -0.23359375, -0.21953125,
    -0.20546874, -0.19140625, -0.17734376, -0.16328125, -0.14921875, -0.13515624, -0.12109375, -0.107031256,
    -0.09859375, -0.09578126, -0.092968754, -0.09015625, -0.08734375, -0.08453125, -0.08171876, -0.07890625,
    -0.07609375, -0.07328125, -0.070468746, -0.067656256, -0.06484375, -0.06203125, -0.059218753, -0.05640625,
    -0.05359375, -0.05078125, -0.04796875, -0.04515625, -0.042343747, -0.03953125, -0.036718752, -0.03390625,
    -0.03109375, -0.028281251, -0.02546875, -0.02265625, -0.019843752, -0.01703125, -0.01421875, -0.01140625,
    -0.00971875, -0.009156249, -0.00859375, -0.00803125, -0.00746875, -0.00690625, -0.00634375, -0.00578125,
    -0.0052187503, -0.0046562497, -0.00409375, -0.0035312497, -0.00296875, -0.00240625, -0.00184375, -0.0012812499,
    -0.0009437501, -0.00083125, -0.00071875006, -0.0006062501, -0.00049375003, -0.00038125002, -0.00026875004, -0.00015625001,
    -0.00008875, -0.00006625, -0.00004375, -0.000021249998, -0.00000775, -0.0000032500002, -0.00000055000004, 0,
    0.00000055000004, 0.0000032500002, 0.00000775, 0.000021249998, 0.00004375, 0.00006625, 0.00008875, 0.00015625001,
    0.00026875004, 0.00038125002, 0.00049375003, 0.0006062501, 0.00071875006, 0.00083125, 0.0009437501, 0.0012812499,
    0.00184375, 0.00240625, 0.00296875, 0.0035312497, 0.00409375, 0.0046562497, 0.0052187503, 0.00578125,
    0.00634375, 0.00690625, 0.00746875, 0.00803125, 0.00859375, 0.009156249, 0.00971875, 0.01140625,
    0.01421875, 0.01703125, 0.019843752, 0.02265625, 0.02546875, 0.028281251, 0.03109375, 0.03390625,
    0.036718752, 0.03953125, 0.042343747, 0.04515625, 0.04796875, 0.05078125, 0.05359375, 0.05640625,
    0.059218753, 0.06203125, 0.06484375, 0.067656256, 0.070468746, 0.07328125, 0.07609375, 0.07890625,
    0.08171876, 0.08453125, 0.08734375, 0.09015625, 0.092968754, 0.09578126, 0.09859375, 0.107031256,
    0.12109375, 0.13515624, 0.14921875, 0.16328125, 0.17734376, 0.19140625, 0.20546874, 0.21953125,
    0.23359375, 0.24765624, 0.26171875, 0.27578127, 0.28984374, 0.30390626, 0.31796873, 0.33203125,
    0.34609374, 0.36015624, 0.37421876, 0.38828123, 0.40234375, 0.41640624, 0.43046874, 0.44453126,
    0.45859373, 0.47265625, 0.4867187, 0.50078124, 0.5148437, 0.5289062, 0.54296875, 0.5570313,
    0.5710938, 0.58515626, 0.5992187, 0.61328125, 0.6273438, 0.6414063, 0.65546876, 0.6695312,
    0.68359375, 0.6976563, 0.7117188, 0.72578126, 0.7398437, 0.75390625, 0.7679688, 0.78203124,
    0.79609376, 0.8101562, 0.82421875, 0.8382813, 0.85234374, 0.86640626, 0.8804687, 0.89453125,
    0.9085938, 0.92265624, 0.93671876, 0.9507812, 0.96484375, 0.9789063, 0.99296874, 1,
], dtype=np.float32)
DYNAMIC_BLOCK = 256


def dynamic_map_formula(max_exponent_bits: int = 7) -> np.ndarray:
    """The signed dynamic map from its recipe, with a scalar float32 linspace (see module doc).

    Example: i = 0 gives linspace(0.1, 1, 2) = [0.1, 1] -> midpoint 0.55 -> ±0.55e-6.
    """
    parts = [np.array([0.0, 1.0], dtype=np.float32)]
    for i in range(max_exponent_bits):
        edges = _linspace_f32(0.1, 1.0, 2 ** i + 1)
        mids = (edges[:-1] + edges[1:]) / np.float32(2)
        mag = np.float32(10.0 ** (i - (max_exponent_bits - 1))) * mids
        parts += [mag, -mag]
    return np.sort(np.concatenate(parts))


def _linspace_f32(start: float, end: float, steps: int) -> np.ndarray:
    """torch.linspace's scalar rule in float32: start + k·step below the halfway index, end -
    (steps-1-k)·step from it on."""
    s, e = np.float32(start), np.float32(end)
    step = (e - s) / np.float32(steps - 1)
    k = np.arange(steps)
    low = s + step * k.astype(np.float32)
    high = e - step * (steps - 1 - k).astype(np.float32)
    return np.where(k < steps // 2, low, high).astype(np.float32)


def quantize_dynamic(c: np.ndarray, block: int = DYNAMIC_BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """(uint8 codes, float32 absmax per block) of float32 values ``c`` (1-D), as bitsandbytes."""
    c = np.asarray(c, dtype=np.float32).reshape(-1)
    pad = (-c.size) % block
    blocks = np.pad(c, (0, pad)).reshape(-1, block)  # zeros do not change a block's max|c|
    absmax = np.abs(blocks).max(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):  # an all-zero block: 0/0 -> NaN -> code 0
        normed = (blocks / absmax[:, None]).reshape(-1)[: c.size]
    table = DYNAMIC_MAP
    idx = np.clip(np.searchsorted(table, normed, side="right") - 1, 0, table.size - 1)
    idx[np.isnan(normed)] = 0
    up = np.minimum(idx + 1, table.size - 1)
    closer = np.abs(normed - table[up]) < np.abs(normed - table[idx])
    return np.where(closer, up, idx).astype(np.uint8), absmax.astype(np.float32)


def dequantize_dynamic(codes: np.ndarray, absmax: np.ndarray, block: int = DYNAMIC_BLOCK) -> np.ndarray:
    """float32 values: DYNAMIC_MAP[code] · absmax of the code's block."""
    codes = np.asarray(codes).reshape(-1)
    per_value = np.repeat(np.asarray(absmax, dtype=np.float32), block)[: codes.size]
    return DYNAMIC_MAP[codes] * per_value
