"""lib.io against small files that cost a lot: metadata to walk through, values that expand, text.

Each test holds the figures a hostile upload used to cost (measured with /usr/bin/time -v on the
loader alone) and checks the bound that replaced it.
"""

from __future__ import annotations

import io
import json
import struct
import tracemalloc
from pathlib import Path
from typing import Any

import gguf
import ml_dtypes
import numpy as np
import pytest
import safetensors
from safetensors import TensorSpec

from lib import io as lio
from lib.errors import LoadError

W = np.random.default_rng(0).standard_normal((8, 64)).astype(np.float32)


def _raises(key: str, fn: Any, *args: Any) -> LoadError:
    with pytest.raises(LoadError) as info:
        fn(*args)
    err = info.value
    assert err.key == key, (err.key, str(err))
    zh = err.message("zh")
    assert zh and zh != str(err) and "{" not in zh and "{" not in str(err)
    return err


def _peak(fn: Any, *args: Any) -> tuple[Any, int]:
    """fn(*args) and the most memory Python allocated during it (tracemalloc), in bytes."""
    tracemalloc.start()
    try:
        out = fn(*args)
        return out, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# ---------------------------------------------------------------------------- GGUF metadata


def _gstr(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def _gguf_with_kv(kv: bytes, n_kv: int) -> bytes:
    """A GGUF v3 file: the key/value section ``kv`` (``n_kv`` pairs), then one F32 tensor "w" = 1, 2, 3, 4."""
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, 1, n_kv) + kv)
    out += _gstr(b"w") + struct.pack("<IQIQ", 1, 4, 0, 0)  # 1 dim of 4, type F32, offset 0
    out += bytes(-len(out) % 32) + struct.pack("<4f", 1, 2, 3, 4)
    return bytes(out)


def _empty_tokens(n: int) -> bytes:
    """tokenizer.ggml.tokens: an array of ``n`` empty strings (8 bytes each in the file)."""
    return _gstr(b"tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, n) + bytes(8 * n)


def test_a_real_tokenizer_is_stepped_over_not_read(tmp_path: Path) -> None:
    """A vocabulary of 100,000 tokens with their types and 100,000 merges: the stock reader made
    two numpy views per element (tracemalloc peak 322 MB); now the elements are stepped over and
    the tensor reads as before, at the offset general.alignment = 64 gives it. Nested arrays and
    lying string lengths are stepped over or refused as the stock reader did."""
    path = tmp_path / "m.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    w.add_custom_alignment(64)
    w.add_token_list([f"tok{i}" for i in range(100_000)] + ["", "中文"])
    w.add_token_types([1] * 100_002)
    w.add_token_merges([f"t {i}" for i in range(100_000)])
    w.add_array("x.floats", [1.5, 2.5, -1.0])
    w.add_string("general.name", "tiny")
    w.add_tensor("w", W)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    tensors, peak = _peak(lio.load_tensors, path.read_bytes(), "m.gguf")
    assert peak < 5_000_000
    assert list(tensors) == ["w"] and np.array_equal(tensors["w"].values, W)
    # arrays of arrays are stepped over element by element, and a scalar after them is still read
    nested = (_gstr(b"x.nested") + struct.pack("<IIQ", 9, 9, 3)
              + struct.pack("<IQ", 4, 2) + struct.pack("<2I", 7, 8)  # [uint32 7, 8]
              + struct.pack("<IQ", 8, 2) + _gstr(b"a") + _gstr("中".encode())  # ["a", "中"]
              + struct.pack("<IQ", 7, 1) + b"\x01")  # [True]
    after = _gstr(b"general.file_type") + struct.pack("<II", 4, 1)  # a scalar after them, then the tensor
    tensors = lio.load_tensors(_gguf_with_kv(nested + after, 2), "n.gguf")
    assert tensors["w"].values.tolist() == [1.0, 2.0, 3.0, 4.0]
    # a string length past the end of the file: an unreadable file, not a long loop
    lying = _gstr(b"tokenizer.ggml.tokens") + struct.pack("<IIQ", 9, 8, 2) + _gstr(b"a") + struct.pack("<Q", 10**9)
    err = _raises("io.gguf_invalid", lio.load_tensors, _gguf_with_kv(lying, 1), "lie.gguf")
    assert "read past the end of the file" in str(err)


def test_a_gguf_metadata_bomb_is_refused_from_its_counts() -> None:
    """2,000,001 empty tokenizer strings in 16 MB: the reader took 3.2 GB and 38 s (a real
    vocabulary of 400,000 entries: 660 MB, 6.5 s). Now it is refused from the array's count
    before its elements are walked; exactly the limit still loads (0.3 s, 66 MB peak RSS)."""
    limit = lio.GGUF_MAX_META_ELEMENTS
    assert limit == 2_000_000
    err, peak = _peak(_raises, "io.gguf_metadata_huge", lio.load_tensors, _gguf_with_kv(_empty_tokens(limit + 1), 1),
                      "meta.gguf")
    assert peak < 5_000_000
    assert err.params == {"filename": "meta.gguf", "n": "2,000,001", "limit": "2,000,000"}
    assert "at least 2,000,001 entries" in str(err) and "至少有 2,000,001 个条目" in err.message("zh")
    tensors = lio.load_tensors(_gguf_with_kv(_empty_tokens(limit), 1), "ok.gguf")
    assert tensors["w"].values.tolist() == [1.0, 2.0, 3.0, 4.0]
    # the count adds up over arrays: two of a million and one
    two = _empty_tokens(1_000_001) + _gstr(b"tokenizer.ggml.merges") + struct.pack("<IIQ", 9, 8, 1_000_000)
    err = _raises("io.gguf_metadata_huge", lio.load_tensors, _gguf_with_kv(two + bytes(8_000_000), 2), "two.gguf")
    assert err.params["n"] == "2,000,001"


# ---------------------------------------------------------------------------- values after widening


def _gguf_file(tmp_path: Path, tensors: dict[str, tuple[np.ndarray, Any]]) -> bytes:
    path = tmp_path / "m.gguf"
    w = gguf.GGUFWriter(str(path), "llama")
    for name, (arr, qtype) in tensors.items():
        w.add_tensor(name, arr, raw_dtype=qtype)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    return path.read_bytes()


def test_a_small_gguf_that_dequantizes_to_gigabytes_is_refused_from_its_shape(tmp_path: Path) -> None:
    """IQ1_S packs 256 values in 50 bytes: 10 MB of zero blocks are 52,494,336 values, 200 MiB of
    float32 after gguf.quants.dequantize (a 40 MB one: 820 MB, 1.8 GB peak RSS). Refused when
    picked, from the shape, before dequantizing; the file's other tensor still reads."""
    raw = np.zeros((256, 801 * 50), np.uint8)  # 801 blocks of 256 values in each of 256 rows
    data = _gguf_file(tmp_path, {"big": (raw, gguf.GGMLQuantizationType.IQ1_S), "small": (W, None)})
    tensors = lio.load_tensors(data, "m.gguf")
    assert tensors["big"].shape == (256, 205_056) and tensors["big"].stored_dtype == "IQ1_S"  # listed
    err, peak = _peak(_raises, "io.too_many_values", getattr, tensors["big"], "values")
    assert peak < 1_000_000
    assert err.params == {"name": "big", "n": "52,494,336", "shape": "(256, 205056)", "max_values": "52,428,800",
                          "max_mb": 200}
    assert "'big' has 52,494,336 values" in str(err) and "“big”有 52,494,336 个值" in err.message("zh")
    _raises("io.too_many_values", tensors["big"].read)
    assert np.array_equal(tensors["small"].values, W)
    assert lio.MAX_VALUES == 52_428_800 == 200 * 2**20 // 4  # any float32 file that uploads still reads


def test_every_format_counts_values_before_converting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """With the limit at 1,000 values: 1,000 read and 1,001 are refused in every format, whatever
    the file's bytes (a 4-bit F4 or Q4_0 tensor of 1,024 values is 512 / 576 bytes)."""
    monkeypatch.setattr(lio, "MAX_VALUES", 1_000, raising=False)

    def npy(a: np.ndarray) -> bytes:
        buf = io.BytesIO()
        np.save(buf, a)
        return buf.getvalue()

    def npz(**arrays: np.ndarray) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, **arrays)
        return buf.getvalue()

    def st(**arrays: np.ndarray) -> bytes:
        return bytes(safetensors.serialize({k: TensorSpec(dtype=v.dtype.name, shape=v.shape, data_ptr=v.ctypes.data,
                                                          data_len=v.nbytes) for k, v in arrays.items()}, metadata=None))

    ok, over = np.ones(1_000, np.int8), np.ones(1_001, np.int8)
    assert lio.load_tensors(npy(ok), "ok.npy")["ok"].values.size == 1_000
    _raises("io.too_many_values", lambda: lio.load_tensors(npy(over), "over.npy")["over"].values)
    z = lio.load_tensors(npz(ok=ok, over=np.zeros((7, 11, 13), np.bool_)), "z.npz")
    assert z["over"].shape == (7, 11, 13) and z["ok"].values.size == 1_000
    err = _raises("io.too_many_values", z["over"].read)
    assert err.params["n"] == "1,001" and err.params["shape"] == "(7, 11, 13)"
    s = lio.load_tensors(st(ok=ok.astype(ml_dtypes.bfloat16), over=over.astype(ml_dtypes.bfloat16)), "s.safetensors")
    assert s["ok"].values.dtype == np.float32
    _raises("io.too_many_values", getattr, s["over"], "values")
    f4 = np.zeros(513, np.uint8)  # 1,026 F4 values in 513 bytes
    header = {"f4": {"dtype": "F4", "shape": [1_026], "data_offsets": [0, 513]}}
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    f4_file = struct.pack("<Q", len(h)) + h + f4.tobytes()
    _raises("io.too_many_values", getattr, lio.load_tensors(f4_file, "f.safetensors")["f4"], "values")
    q = gguf.quants.quantize(np.ones((1, 1_024), np.float32), gguf.GGMLQuantizationType.Q4_0)
    g = lio.load_tensors(_gguf_file(tmp_path, {"q": (q, gguf.GGMLQuantizationType.Q4_0)}), "g.gguf")
    _raises("io.too_many_values", getattr, g["q"], "values")
    assert lio.load_tensors(b"1 2 3\n4 5 6\n", "t.txt")["t"].values.shape == (2, 3)
    _raises("io.text_too_many_values", lio.load_tensors, b"1\n" * 501, "t.csv")  # float64: half as many


# ---------------------------------------------------------------------------- text


def test_a_long_text_costs_a_few_times_its_size_not_sixty() -> None:
    """One number per line kept every line and every line's list of tokens: lines30.csv (30 MB,
    10M lines) peaked at 1.7 GB under tracemalloc (1.9 GB RSS, 12 s). Now the text, its normalised
    copy, the float64 values (8 bytes per 3 characters here) and one chunk's counts: ~5x."""
    data = b"10\n" * 1_000_000
    tensors, peak = _peak(lio.load_tensors, data, "lines.csv")
    x = tensors["lines"].values
    assert x.shape == (1_000_000,) and x.dtype == np.float64 and (x == 10).all()
    assert peak < 10 * len(data)
    table = b"1,2.5,-3\r\n" * 300_000
    tensors, peak = _peak(lio.load_tensors, table, "t.csv")
    x = tensors["t"].values
    assert x.shape == (300_000, 3) and x[-1].tolist() == [1.0, 2.5, -3.0] and peak < 10 * len(table)
    err, peak = _peak(_raises, "io.csv_ragged", lio.load_tensors, table + b"\n\n4,5\n", "r.csv")
    assert err.params == {"filename": "r.csv", "line": 300_003, "n": 2, "first": 3} and peak < 10 * len(table)


def test_a_text_of_too_many_numbers_is_refused_before_they_are_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    """Text is float64: at most MAX_VALUES // 2 numbers (26,214,400, 200 MiB of values as for other
    files), counted before they are parsed; "1\n" x 100M (200 MB) was 800 MB of float64."""
    assert lio.text_max_values() == 26_214_400
    monkeypatch.setattr(lio, "MAX_VALUES", 2_000)
    assert lio.load_tensors(b"1 2\n" * 500, "ok.csv")["ok"].values.shape == (500, 2)
    err = _raises("io.text_too_many_values", lio.load_tensors, b"1 2\n" * 501, "big.csv")  # on upload
    assert err.params == {"name": "big", "n": "1,002", "max_values": "1,000", "max_mb": 200}
    assert "'big' holds 1,002 numbers" in str(err) and "“big”含有 1,002 个数字" in err.message("zh")
    _raises("io.text_too_many_values", lio.load_tensors, b"1 2\n" * 500 + b"3", "big.txt")
    monkeypatch.setattr(lio, "MAX_PASTE_KB", 10)
    _raises("io.text_too_many_values", lio.parse_pasted, "1 " * 1_001)


@pytest.mark.parametrize("chunk", [1, 2, 3, 5, 1 << 20])
def test_numbers_per_line_are_counted_as_splitlines_and_split_count_them(chunk: int) -> None:
    """_text_shape counts chunk by chunk; a chunk may end inside a number, a line or a "\\r\\n"."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(["1", "22", " ", "\t", "\n", "\r", "\r\n", "\x0b", "\x1c", "\x1f", "\x85", "\u2028",
                              "\u3000", "\u1680", "中", "\U0001f600"])

    @settings(max_examples=300, deadline=None)
    @given(st.lists(pieces, max_size=30).map("".join))
    def check(text: str) -> None:
        counts = [(n, len(line.split())) for n, line in enumerate(text.splitlines(), start=1)]
        counts = [(n, c) for n, c in counts if c]
        shape = lio._text_shape(text, chunk)
        assert (shape.values, shape.lines) == (sum(c for _, c in counts), len(counts))
        assert shape.widest == max((c for _, c in counts), default=0)
        first = counts[0][1] if counts else 0
        assert shape.first == first
        assert shape.ragged == next(((n, c) for n, c in counts if c != first), None)

    check()


def test_every_whitespace_and_line_break_lies_below_the_table_limit() -> None:
    """_text_shape looks code points up in tables up to U+3001 and counts every one above as neither."""
    spaces = [c for c in range(0x110000) if chr(c).isspace()]
    breaks = [c for c in range(0x110000) if len(f"a{chr(c)}b".splitlines()) == 2]
    assert max(spaces) == 0x3000 < lio._WS_LIMIT and max(breaks) == 0x2029 < lio._WS_LIMIT
    assert set(breaks) <= set(spaces)  # a line break also separates numbers


def test_a_file_of_too_many_tensors_is_refused_at_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 17.5 MB safetensors file of 200,000 tensors of 2 x 2 held 467 MB of the server's memory
    while cached (re-check in the browser). Beyond MAX_TENSORS the file is refused with its count;
    at the limit it loads."""
    from safetensors.numpy import save

    assert lio.MAX_TENSORS == 10_000  # five times what whole-file Compare runs (lib.compare_file)
    monkeypatch.setattr(lio, "MAX_TENSORS", 3)
    data = save({f"w{i}": np.ones((2, 2), np.float32) for i in range(4)})
    err = _raises("io.too_many_tensors", lio.load_tensors, data, "many.safetensors")
    assert err.params == {"filename": "many.safetensors", "n": "4", "limit": "3"}
    assert "4 个张量" in err.message("zh")
    three = save({f"w{i}": np.ones((2, 2), np.float32) for i in range(3)})
    assert list(lio.load_tensors(three, "three.safetensors")) == ["w0", "w1", "w2"]
    npz = io.BytesIO()
    np.savez(npz, **{f"a{i}": np.zeros(2) for i in range(4)})
    _raises("io.too_many_tensors", lio.load_tensors, npz.getvalue(), "many.npz")
