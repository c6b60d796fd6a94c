"""lib.blocks: GGUF bit-exact against the gguf package, MX / NVFP4 / NF4 against hand computation
and ml_dtypes oracles."""

from __future__ import annotations

import dataclasses
import warnings

import ml_dtypes
import numpy as np
import pytest
from gguf import GGMLQuantizationType
from gguf.quants import dequantize as gguf_dequantize
from gguf.quants import quantize as gguf_quantize

from lib.formats import get_format
from lib.blocks import SCHEMES, double_quantize_absmax, list_schemes, mx_shared_exponent
from lib.dynamic8 import DYNAMIC_MAP
from lib.quantize import quantize

NF4_LEVELS = [-1.0, -0.6961928, -0.5250731, -0.3949175, -0.2844414, -0.1847734, -0.0910500, 0.0,
              0.0795803, 0.1609302, 0.2461123, 0.3379152, 0.4407098, 0.5626170, 0.7229568, 1.0]
GGUF = {"q8_0": GGMLQuantizationType.Q8_0, "q4_0": GGMLQuantizationType.Q4_0}
MX_ELEMENTS = {"mxfp8_e4m3": (ml_dtypes.float8_e4m3fn, 8), "mxfp8_e5m2": (ml_dtypes.float8_e5m2, 15),
               "mxfp6_e3m2": (ml_dtypes.float6_e3m2fn, 4), "mxfp6_e2m3": (ml_dtypes.float6_e2m3fn, 2),
               "mxfp4": (ml_dtypes.float4_e2m1fn, 2)}


@pytest.fixture(autouse=True)
def _warnings_are_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def _gguf_roundtrip(x: np.ndarray, name: str) -> np.ndarray:
    with np.errstate(over="ignore", invalid="ignore"):  # gguf's own 1/d overflows on subnormals
        return gguf_dequantize(gguf_quantize(x, GGUF[name]), GGUF[name])


def _adversarial_rows() -> np.ndarray:
    rows = np.zeros((14, 64), dtype=np.float32)
    rows[1] = 5.0                                   # constant
    rows[2] = np.arange(64) - 32                    # ties after scaling, max negative
    rows[3] = -rows[2]                              # max positive
    rows[4, ::2], rows[4, 1::2] = 3.0, -3.0         # equal magnitudes, opposite signs (first wins)
    rows[5] = (np.arange(64) % 16 - 7.5) * 0.5      # many exact .5 ties for q8_0 with amax 127/32
    rows[5, 0] = 127.0 / 16
    rows[6] = np.float32(1e-40)                     # subnormal float32
    rows[7] = np.linspace(-1e4, 1e4, 64)
    rows[8, 7] = 1.0                                # one spike
    rows[9] = np.float32(65504 * 100)               # fp16 d overflows for q8_0? (d = amax/127)
    rows[10] = np.tile([0.49999997, 0.5, 0.50000006, -0.5], 16) * 8
    rows[11] = np.random.default_rng(0).standard_normal(64) * 1e-3
    rows[12] = -rows[4]                             # tie again, the negative one first
    rows[13, 40], rows[13, 50] = 2.0, -2.0          # tie late in the second block
    return rows


@pytest.mark.parametrize("name", ["q8_0", "q4_0"])
def test_gguf_bit_exact_random(name: str) -> None:
    rng = np.random.default_rng(11)
    for scale in (1e-3, 1.0, 300.0):
        x = (rng.standard_normal((8, 512)) * scale).astype(np.float32)
        x[0, :32] *= 50  # an outlier block
        ours = quantize(x, name, axis=1)
        assert np.array_equal(ours.dequantized, _gguf_roundtrip(x, name))


@pytest.mark.parametrize("name", ["q8_0", "q4_0"])
def test_gguf_bit_exact_adversarial(name: str) -> None:
    x = _adversarial_rows()
    ours = quantize(x, name, axis=1)
    assert np.array_equal(ours.dequantized, _gguf_roundtrip(x, name), equal_nan=True)


def test_gguf_codes_and_scales_match_packed_bytes() -> None:
    x = _adversarial_rows()[:6, :32]
    packed8 = gguf_quantize(x, GGUF["q8_0"])
    r8 = quantize(x, "q8_0", axis=1)
    assert np.array_equal(r8.scale.ravel(), packed8[:, :2].copy().view(np.float16).astype(np.float32).ravel())
    assert np.array_equal(r8.codes, packed8[:, 2:].view(np.int8))
    packed4 = gguf_quantize(x, GGUF["q4_0"])
    r4 = quantize(x, "q4_0", axis=1)
    nibbles = np.concatenate([packed4[:, 2:] & 0x0F, packed4[:, 2:] >> 4], axis=1)
    assert np.array_equal(r4.codes, nibbles)
    assert np.all(r4.zero_point == 8)
    assert np.array_equal(r4.dequantized, (r4.codes.astype(np.float32) - 8) * r4.scale)


def test_q8_0_rounds_half_away_from_zero() -> None:
    x = np.zeros(32, dtype=np.float32)
    x[:4] = [127.0, 0.5, 1.5, -2.5]  # d = 1
    assert quantize(x, "q8_0").codes[:4].tolist() == [127, 1, 2, -3]


def test_q4_0_counts_the_values_it_clips() -> None:
    """d = m/-8 maps the block's extreme value m to -8; values of the other sign beyond 7.5|d|
    saturate at code 15 (x/d > 7.5), and are counted as clipped; x/d = 7.5 exactly is not."""
    x = np.zeros((3, 32), np.float32)
    x[0, :3] = [8.0, -7.9, -7.6]   # x/d = 7.9, 7.6: clipped to -7
    x[1, :3] = [8.0, -7.5, -7.4]   # 7.5, 7.4: inside
    x[2, :3] = [-8.0, 7.9, np.inf]  # 7.9 clipped; inf is non-finite, not clipped
    r = quantize(x, "q4_0", axis=1)
    assert list(r.dequantized[0, :3]) == [8.0, -7.0, -7.0]
    assert r.clipped_count == 3 and r.metrics["nonfinite_count"] == 1
    rng = np.random.default_rng(5)
    y = rng.standard_normal((64, 256)).astype(np.float32)
    blocks = y.reshape(-1, 32).astype(np.float64)
    m = blocks[np.arange(blocks.shape[0]), np.abs(blocks).argmax(axis=1)]
    want = int(np.count_nonzero(blocks / (m / -8)[:, None] > 7.5))
    assert quantize(y, "q4_0", axis=1).clipped_count == want > 0


def test_q4_0_uses_signed_max() -> None:
    x = np.zeros(32, dtype=np.float32)
    x[:3] = [1.0, -4.0, 2.0]  # d = -4 / -8 = 0.5; q = trunc(x / d + 8.5)
    r = quantize(x, "q4_0")
    assert r.scale.item() == 0.5
    assert r.codes[:3].tolist() == [10, 0, 12]
    assert r.dequantized[:3].tolist() == [1.0, -4.0, 2.0]


def test_gguf_padding_then_cropping() -> None:
    x = np.random.default_rng(12).standard_normal((3, 70)).astype(np.float32)
    r = quantize(x, "q8_0", axis=1)
    assert r.codes.shape == (3, 70) and r.scale.shape == (3, 3)
    assert np.array_equal(r.dequantized[:, :64], _gguf_roundtrip(np.ascontiguousarray(x[:, :64]), "q8_0"))
    tail = np.zeros((3, 32), dtype=np.float32)
    tail[:, :6] = x[:, 64:]  # zero padding gives the same block scale as NaN padding here
    assert np.array_equal(r.dequantized[:, 64:], _gguf_roundtrip(tail, "q8_0")[:, :6])


def test_mx_shared_exponent_is_a_floor_not_a_rounding() -> None:
    exp = mx_shared_exponent(np.array([3.0, 4.0, 0.9, 0.0, 1e-45, 2.0**127 * 1.5]), 2)
    assert exp.tolist() == [1 - 2, 2 - 2, -1 - 2, -127, -127, 125]
    cast = np.array([3.0]).astype(ml_dtypes.float8_e8m0fnu).astype(np.float64)
    assert cast[0] == 4.0  # what the E8M0 cast would have done (rounds)


def test_mxfp4_hand_block() -> None:
    x = np.zeros(32)
    x[:8] = [6.0, 3.0, 1.2, 0.2, 0.25, 0.75, 5.0, -7.5]  # amax 7.5 -> X = 2**(2 - 2) = 1
    x[32 - 1] = 2.5
    r = quantize(x, "mxfp4")
    assert r.scale.item() == 1.0
    assert r.extra["scale_codes"].tolist() == [127]
    assert r.dequantized[:8].tolist() == [6.0, 3.0, 1.0, 0.0, 0.0, 1.0, 4.0, -6.0]
    assert r.dequantized[31] == 2.0  # tie 2/3 -> even mantissa
    assert r.metrics["clipped_fraction"] == pytest.approx(1 / 32)  # -7.5 saturated to -6
    assert r.bits_per_element == 4.25


def test_mxfp4_small_block_scale() -> None:
    x = np.full(32, 0.1)
    x[0] = 0.9  # floor(log2 0.9) = -1 -> X = 2**-3; 0.9 / X = 7.2 -> 6; 0.1 / X = 0.8 -> 1
    r = quantize(x, "mxfp4")
    assert r.scale.item() == 2.0**-3
    assert r.dequantized[0] == 0.75 and r.dequantized[1] == 0.125


@pytest.mark.parametrize("name", list(MX_ELEMENTS))
def test_mx_float_schemes_match_ml_dtypes_oracle(name: str) -> None:
    dtype, emax = MX_ELEMENTS[name]
    rng = np.random.default_rng(13)
    x = (rng.standard_normal((6, 96)) * rng.choice([1e-3, 1.0, 1e3], size=(6, 1))).astype(np.float32)
    x[2, 32:64] = 0.0  # an all-zero block
    r = quantize(x, name, axis=1)
    blocks = x.reshape(-1, 32).astype(np.float64)
    amax = np.abs(blocks).max(axis=1, keepdims=True)
    exp = np.where(amax > 0, np.floor(np.log2(np.where(amax > 0, amax, 1))) - emax, max(-126 - emax, -127))
    scale = 2.0**exp
    fmax = float(ml_dtypes.finfo(dtype).max)
    elems = np.clip(blocks / scale, -fmax, fmax).astype(dtype).astype(np.float64)
    expected = (elems * scale).reshape(x.shape)
    assert np.array_equal(r.dequantized, expected.astype(np.float32))
    assert np.array_equal(r.codes.reshape(-1, 32), np.clip(blocks / scale, -fmax, fmax).astype(dtype).view(np.uint8))
    assert not r.dequantized[2, 32:64].any()
    assert r.bits_per_element == SCHEMES[name].element_bits + 0.25



def test_mxfp4_fast_path_matches_generic_path() -> None:
    """The float32 MXFP4 path (threshold compares, values rebuilt from codes) against
    apply_scales + fmt.round + float_codes: ties, their neighbours, -0, subnormals, saturation."""
    from lib.apply import apply_scales
    from lib.blocks import _mxfp4_fast, pow2
    from lib.elements import get_element
    from lib.scales import row_stats

    rng = np.random.default_rng(7)
    grid = np.array([0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7, 7.5, 7.99], np.float32)
    v = rng.choice(np.concatenate([grid, -grid]), size=(512, 32)).astype(np.float32)
    v = np.where(rng.random(v.shape) < 0.3, np.nextafter(v, rng.choice([-8, 8], size=v.shape).astype(np.float32)), v)
    x = (v * np.float32(2.0) ** rng.integers(-140, 120, size=(512, 1))).astype(np.float32)
    x[0] = -0.0
    x[1, :] = 1e-45
    st = row_stats(x, symmetric=True)
    exp = mx_shared_exponent(st.vmax, 2)
    kw = {"stats": st, "rounding": "nearest_even", "overflow": "saturate", "rng": None}
    fast = _mxfp4_fast(x, SCHEMES["mxfp4"], st, exp, kw)
    slow = apply_scales(x, get_element("float4_e2m1fn"), pow2(exp).astype(np.float32), **kw)
    assert fast is not None
    assert np.array_equal(fast.codes, slow.codes)
    assert np.array_equal(fast.dequantized.view(np.uint32), slow.dequantized.view(np.uint32))
    assert fast.clipped == slow.clipped > 0
    assert fast.codes[0].tolist() == [8] * 32  # -0 keeps its sign bit

def test_mxint8() -> None:
    x = np.zeros(32)
    x[:4] = [1.0, -1.5, 0.0078125, 1.999]  # amax 1.999 -> X = 1; elements x·64 rounded, clamp ±127
    r = quantize(x, "mxint8")
    assert r.codes[:4].tolist() == [64, -96, 0, 127]
    assert r.scale.item() == 2.0**-6
    assert r.dequantized[:4].tolist() == [1.0, -1.5, 0.0, 127 / 64]


def test_nvfp4_matches_hand_recipe() -> None:
    """g = amax / (6·448); ratio = block amax / (6·g), 1 for a zero block, clamped to [2**-9, 448],
    cast to E4M3; elements x / (E4M3 · g) cast to E2M1 (ml_dtypes) and saturated at 6. Row 0's
    blocks (x 2e-5 next to x 10) sit at the clamp and keep their values."""
    rng = np.random.default_rng(14)
    x = (rng.standard_normal((4, 64)) * np.array([[2e-5], [1], [10], [0]])).astype(np.float32)
    r = quantize(x, "nvfp4", axis=1)
    g = np.float32(np.abs(x).max()) / np.float32(448 * 6)
    blocks = x.reshape(-1, 16)
    ratio = np.abs(blocks).max(axis=1, keepdims=True) / (np.float32(6) * g)
    ratio = np.clip(np.where(ratio == 0, np.float32(1), ratio), np.float32(2.0**-9), np.float32(448))
    sblock = ratio.astype(ml_dtypes.float8_e4m3fn).astype(np.float32) * g
    elems = np.clip(blocks / sblock, -6, 6).astype(ml_dtypes.float4_e2m1fn).astype(np.float32)
    expected = (elems * sblock).reshape(x.shape)
    assert np.float32(r.extra["global_scale"]) == g
    assert np.array_equal(r.dequantized, expected)
    assert r.scale.shape == (4, 4)
    assert (r.extra["scale_codes"][:4] == 0x01).all() and r.dequantized[0].any()  # the clamp at 2**-9
    assert (r.extra["scale_codes"][12:] == 0x38).all() and not r.dequantized[3].any()  # zero blocks: 1.0


def test_nf4_nearest_level_and_ties_to_lower() -> None:
    x = np.zeros(64)
    x[0] = -2.0  # absmax 2
    x[1:5] = np.array([1.0, 0.4407098, 0.0398, 0.0397]) * 2
    r = quantize(x, "nf4")
    assert r.scale.item() == 2.0
    assert r.codes[:5].tolist() == [0, 15, 12, 8, 7]
    assert r.dequantized[:3].tolist() == pytest.approx([-2.0, 2.0, 0.8814196])
    levels = get_format("nf4").values()
    assert levels.tolist() == pytest.approx(NF4_LEVELS, abs=1e-7)
    mid = (levels[7] + levels[8]) / 2
    tie = quantize(np.concatenate([[1.0], np.full(63, mid)]), "nf4")
    assert tie.codes[1] == 7  # exactly on the midpoint: the lower level, like bitsandbytes
    assert r.bits_per_element == 4.5


def test_nf4_random_is_nearest_level() -> None:
    x = np.random.default_rng(15).standard_normal(64 * 20)
    r = quantize(x, "nf4")
    blocks = x.reshape(-1, 64)
    amax = np.abs(blocks).max(axis=1, keepdims=True).astype(np.float32).astype(np.float64)  # fp32 absmax
    levels = get_format("nf4").values()
    nearest = levels[np.abs(blocks[..., None] / amax[..., None] - levels).argmin(axis=-1)]
    assert np.allclose(r.dequantized.reshape(-1, 64), nearest * amax, rtol=1e-7, atol=0)


def test_nf4_double_quant() -> None:
    x = np.random.default_rng(16).standard_normal(64 * 600) * np.repeat(np.linspace(0.5, 3, 600), 64)
    plain = quantize(x, "nf4")
    dq = quantize(x, "nf4", double_quant=True)
    # 600 blocks: 600 8-bit absmaxes, ceil(600/256) = 3 fp32 scales of those, one fp32 mean
    assert dq.bits_per_element == (x.size * 4 + 600 * 8 + 3 * 32 + 32) / x.size
    assert np.array_equal(dq.codes, plain.codes)  # elements use the exact absmax
    absmax = plain.scale.ravel()
    half_gap = np.diff(DYNAMIC_MAP).max() / 2  # the 8-bit dynamic map's widest gap: (1 - 0.1) / 64
    assert np.max(np.abs(dq.scale.ravel() - absmax)) <= half_gap * np.abs(absmax - absmax.mean()).max() * 1.001 + 1e-6
    assert dq.metrics["sqnr_db"] > plain.metrics["sqnr_db"] - 0.5
    assert dq.metrics["sqnr_db"] < plain.metrics["sqnr_db"] + 0.5


def test_double_quantize_absmax_example() -> None:
    recon, stored = double_quantize_absmax(np.array([1.0, 3.0]))
    assert stored["mean"] == 2.0
    assert stored["codes"].tolist() == [0, 255]  # dynamic map -0.99296874 and 1.0
    assert stored["scales"].tolist() == [1.0]
    assert recon.tolist() == [np.float32(-0.99296874) + np.float32(2.0), 3.0]


def test_scheme_table() -> None:
    assert list_schemes() == list(SCHEMES)
    bits = {name: s.bits_per_element for name, s in SCHEMES.items()}
    assert bits["mxfp4"] == 4.25 and bits["q8_0"] == 8.5 and bits["q4_0"] == 4.5
    assert bits["mxfp8_e4m3"] == 8.25 and bits["mxfp6_e2m3"] == 6.25 and bits["nf4"] == 4.5
    assert [SCHEMES[n].block_size for n in ("mxfp4", "nvfp4", "q4_0", "nf4")] == [32, 16, 32, 64]
    with pytest.raises(dataclasses.FrozenInstanceError):
        SCHEMES["mxfp4"].block_size = 16  # type: ignore[misc]
    r = quantize(np.ones(64, dtype=np.float32), "q8_0")
    assert r.metrics["bits_per_element"] == 8.5
    assert r.metrics["compression_vs_fp32"] == pytest.approx(32 / 8.5)
