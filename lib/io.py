"""Turn uploaded files, pasted text and bundled assets into numpy arrays -- safely.

Formats (chosen by the file name's extension, case-insensitive):

| extension     | read with                                   | names in the result              |
|---------------|---------------------------------------------|----------------------------------|
| .npy          | numpy's header parser, checked, then a view of the bytes (``np.load(..., allow_pickle=False)`` for odd layouts) | the file name's stem |
| .npz          | ``zipfile`` (unpacked size capped first), each ``.npy`` member's header checked as above, the member unpacked when its values are read | every array in the archive |
| .safetensors  | ``safetensors.deserialize`` (validates the header and offsets) + ml_dtypes views | every tensor |
| .gguf         | ``gguf.GGUFReader`` (metadata arrays stepped over, not read); ``gguf.quants.dequantize`` for quantized tensors | every tensor |
| .csv / .txt   | numbers separated by commas, semicolons, spaces, tabs or new lines (equal lines: a table; a .csv's lines of several numbers must be equal; at most ``text_max_values()``, counted line by line before they are parsed) | the file name's stem |

What the arrays hold: the stored values, in a numpy-native dtype. Float formats numpy lacks
(BF16, F8_E4M3, F8_E5M2, their FNUZ variants, F8_E8M0, F4) are widened *exactly* to float32;
GGUF quantized tensors (Q8_0, Q4_K, ...) are dequantized to float32; text becomes float64 (the
numbers as typed). float16/float32/float64, integer and bool tensors keep their dtype, so a
50M-value float32 ``.npy`` is read into one float32 array (no float64 copy). Complex and string
arrays load too and are refused by ``check_array`` with their own message. One tensor may hold at
most ``MAX_VALUES`` (52,428,800) values, checked from its shape before it is converted.

How a page uses this module::

    tensors = load_tensors(data, filename)          # LoadError -> ui.show_error(err)
    name = st.selectbox(..., list(tensors))         # "io.pick_array"; .shape and .stored_dtype
                                                    # are known without reading the values
    x = check_array(tensors[name].values, name)     # float32/float64, or LoadError; a GGUF
                                                    # tensor is dequantized here, on first access
    if needs_axis_choice(x):                        # ndim > 2: ask which axis holds the channels
        axis = st.selectbox(..., range(x.ndim))      # "io.axis_choice", "io.axis_label"
        x = as_matrix(x, axis)                      # 2-D: (channels, everything else)

Example:
    >>> import io as _io
    >>> buf = _io.BytesIO(); np.save(buf, np.arange(3, dtype=np.float32))
    >>> load_arrays(buf.getvalue(), "w.npy")
    {'w': array([0., 1., 2.], dtype=float32)}
    >>> parse_pasted("-0.5, 0.3, 1.2, -2.1")
    array([-0.5,  0.3,  1.2, -2.1])
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import math
import os
import re
import tempfile
import tomllib
import tokenize
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any

import ml_dtypes
import numpy as np

from lib.errors import LoadError

MAX_UPLOAD_MB = 200
"""Upload cap in MB; must equal ``server.maxUploadSize`` in .streamlit/config.toml (a test checks)."""

MAX_PASTE_KB = 2048
"""Largest pasted text ``parse_pasted`` accepts (2 MB, ~200k numbers); bigger data -> upload a file."""

SUPPORTED_EXTENSIONS = (".npy", ".npz", ".safetensors", ".gguf", ".csv", ".txt")

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"

_SAFETENSORS_HEADER_LIMIT = 100_000_000  # the safetensors package's own MAX_HEADER_SIZE

MAX_TENSORS = 10_000
"""Most tensors one file may hold. A 200 MB file of real weights has hundreds (Llama 3 8B has 291
in all); a 17.5 MB file of 200,000 tiny tensors held 467 MB of the server's memory as long as it
stayed in the cache (the listing costs about 2 KB a tensor)."""

MAX_VALUES = MAX_UPLOAD_MB * 2**20 // 4
"""Most values one tensor may have (52,428,800): as many float32 values as the upload cap holds,
so any float32 file that uploads is read, while a small file cannot expand to gigabytes. Reading
widens to float32 (int8/bool/FP8 4x, F4 8x per byte) or dequantizes (GGUF IQ1_S ~45x, TQ1_0 ~40x):
a 575 KB .npz of 208M int8 zeros became 800 MB of float32, a 40 MB IQ1_S tensor 820 MB (1.8 GB
peak). Checked from the shape before anything is converted (LoadedTensor.values/read)."""


@dataclass(frozen=True)
class LoadedTensor:
    """One array from a file: how the file stored it, and its values (computed on first access).

    ``stored_dtype`` is the file's own name for the element type ("float32", "BF16", "Q8_0", ...),
    worth showing: a BF16 tensor widened to float32 is still exactly a BF16 tensor. ``shape`` is
    known without touching the data. ``values`` runs the conversion once and caches it: a GGUF
    model's tensors are dequantized only when asked for, so picking one tensor of a 200 MB Q4
    file costs that tensor's float32 values, not the whole model's (~7x the file size).

    A tensor of more than MAX_VALUES values is listed with its shape like any other, and refused
    when its values are asked for (``values`` or ``read``): LoadError ``io.too_many_values``,
    from the shape, before anything is unpacked, widened or dequantized. The other tensors of its
    file still read. Example: a GGUF IQ1_S tensor of shape (256, 838656) (40 MB in the file) ->
    "has 214,695,936 values ..., more than the 52,428,800 this app reads".
    """

    name: str
    stored_dtype: str
    shape: tuple[int, ...]
    load: Callable[[], np.ndarray] = field(repr=False, compare=False)

    @cached_property
    def values(self) -> np.ndarray:
        """The values (float32 for BF16/FP8/FP4/GGUF-quantized, else as stored); may raise LoadError."""
        self.check_size()
        return self.load()

    def read(self) -> np.ndarray:
        """The values without keeping them: the cached ones if ``values`` was read already, else a
        fresh conversion that is freed once the caller drops it. A pass over every tensor of a
        200 MB GGUF file then holds one tensor's float32 values at a time, not the whole model's."""
        cached = self.__dict__.get("values")
        if cached is not None:
            return cached
        self.check_size()
        return self.load()

    def check_size(self) -> None:
        """Raise ``io.too_many_values`` if the shape holds more than MAX_VALUES values."""
        n = math.prod(self.shape)
        if n > MAX_VALUES:
            raise LoadError("io.too_many_values", name=self.name, n=f"{n:,}", shape=str(tuple(self.shape)),
                            max_values=f"{MAX_VALUES:,}", max_mb=MAX_UPLOAD_MB)

    @staticmethod
    def of(name: str, values: np.ndarray, stored_dtype: str) -> LoadedTensor:
        """A tensor whose values are already in memory."""
        return LoadedTensor(name, stored_dtype, tuple(values.shape), lambda: values)


# ---------------------------------------------------------------------------------------------
# size, extension, dispatch


def upload_cap_bytes() -> int:
    """``MAX_UPLOAD_MB`` in bytes (Streamlit's MB are 2**20 bytes)."""
    return MAX_UPLOAD_MB * 1024 * 1024


def check_size(nbytes: int, filename: str) -> None:
    """Raise ``io.too_large`` if ``nbytes`` exceeds the upload cap, ``io.empty_file`` if 0."""
    if nbytes == 0:
        raise LoadError("io.empty_file", filename=filename)
    if nbytes > upload_cap_bytes():
        raise LoadError("io.too_large", filename=filename, size_mb=f"{nbytes / 2**20:,.1f}", max_mb=MAX_UPLOAD_MB)


def configured_upload_mb(config_path: Path | None = None) -> int | None:
    """``server.maxUploadSize`` from .streamlit/config.toml, or None if the file/key is absent."""
    path = config_path or ASSETS_DIR.parent / ".streamlit" / "config.toml"
    if not path.is_file():
        return None
    with path.open("rb") as fh:
        value = tomllib.load(fh).get("server", {}).get("maxUploadSize")
    return None if value is None else int(value)


def _extension(filename: str) -> str:
    name = filename.lower()
    for ext in SUPPORTED_EXTENSIONS:
        if name.endswith(ext):
            return ext
    return os.path.splitext(name)[1] or name


def _stem(filename: str) -> str:
    base = os.path.basename(filename) or filename
    return os.path.splitext(base)[0] or base


def load_tensors(data: bytes, filename: str) -> dict[str, LoadedTensor]:
    """Read every array in an uploaded file (format from the extension), with stored dtypes.

    Raises:
        LoadError: empty file, above the cap, unknown extension, more than MAX_TENSORS tensors,
            or anything wrong with the file's structure (each case its own key, see lib/strings/io.py). Content problems
            (complex, text, all-NaN, 0 values) are left to ``check_array``.
    """
    check_size(len(data), filename)
    ext = _extension(filename)
    reader = _READERS.get(ext)
    if reader is None:
        supported = list(SUPPORTED_EXTENSIONS)
        if not os.path.splitext(os.path.basename(filename))[1]:  # "weights": no ".xxx" at all
            raise LoadError("io.no_extension", filename=filename, supported=supported)
        raise LoadError("io.unknown_extension", filename=filename, ext=ext, supported=supported)
    tensors = reader(data, filename)
    if len(tensors) > MAX_TENSORS:
        raise LoadError("io.too_many_tensors", filename=filename, n=f"{len(tensors):,}", limit=f"{MAX_TENSORS:,}")
    return tensors


def load_arrays(data: bytes, filename: str) -> dict[str, np.ndarray]:
    """``{name: array}`` for every array in the file; see ``load_tensors`` and the module docs."""
    return {name: t.values for name, t in load_tensors(data, filename).items()}


# ---------------------------------------------------------------------------------------------
# .npy / .npz


# what numpy's .npy/.npz readers raise on damaged bytes: a header that does not parse
# (tokenize.TokenError, SyntaxError from its literal_eval), a short read, a broken or
# unsupported zip (BadZipFile; NotImplementedError for "zip file version 14.1")
_NPY_ERRORS = (ValueError, EOFError, OSError, SyntaxError, tokenize.TokenError, NotImplementedError,
               zipfile.BadZipFile)


def _npy_header(data: bytes, filename: str) -> tuple[tuple[int, ...], np.dtype, bool, int]:
    """(shape, dtype, fortran_order, header length) from numpy's own header parser; no data is
    read. Header length -1: a version (3.0) this reader leaves to np.load."""
    fp = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(fp)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp)
        else:  # 3.0 only differs by utf-8 field names; let np.load judge it
            return (), np.dtype(np.float32), False, -1
    except _NPY_ERRORS as exc:
        detail = _short(exc)
        if "malformed node" in detail:  # literal_eval's "<ast.BinOp object at 0x7f...>": say what it means
            detail = "its header is not a plain Python literal (e.g. a shape written as 10**12)"
        raise LoadError("io.npy_invalid", filename=filename, detail=detail) from None
    return shape, dtype, bool(fortran), fp.tell()


def _npy_view(data: bytes, shape: tuple[int, ...], dtype: np.dtype, fortran: bool,
              offset: int) -> np.ndarray | None:
    """The array of a checked .npy as a read-only view of the upload's bytes, not a copy of them
    (np.load copies: a 200 MB upload then held 400 MB); None when the data is not aligned for its
    dtype (a hand-written header of odd length), which np.load then copies into place.

    Example: the 128 bytes of np.save(f, np.arange(4, dtype=np.float32)) -> header of 112 bytes,
    then frombuffer(data, float32, count=4, offset=112) = [0, 1, 2, 3].
    """
    flat = np.frombuffer(data, dtype=dtype, count=math.prod(shape), offset=offset)
    if not flat.flags.aligned:
        return None
    return flat.reshape(shape[::-1]).T if fortran else flat.reshape(shape)


#: numpy's NPY_MAXDIMS: an array has at most 64 dimensions (numpy 2; numpy 1 allowed 32)
NPY_MAX_DIMS = 64


def _checked_npy_header(head: bytes, size: int, filename: str) -> tuple[tuple[int, ...], np.dtype, bool, int]:
    """The header of a .npy of ``size`` bytes whose first bytes are ``head``, checked: a pickle, a
    negative shape, more than NPY_MAX_DIMS dimensions or fewer data bytes than the shape needs raise
    LoadError before anything else is read. Returns (shape, dtype, fortran order, header length; -1
    for a version left to np.load). Example: a header of shape (1,) * 3000 -> io.npy_too_many_dims
    (3,000 dimensions, numpy takes 64)."""
    if not head.startswith(b"\x93NUMPY"):
        if head[:1] == b"\x80":  # pickle protocol 2+ opcode: a raw pickle saved as .npy
            raise LoadError("io.npy_pickle", filename=filename)
        raise LoadError("io.npy_invalid", filename=filename, detail="the file does not start with the .npy signature")
    shape, dtype, fortran, header_len = _npy_header(head, filename)
    if dtype.hasobject:
        raise LoadError("io.npy_pickle", filename=filename)
    if any(d < 0 for d in shape):  # numpy's header parser takes (-2, -3); np.load then fails or guesses
        raise LoadError("io.npy_invalid", filename=filename, detail=f"the header's shape {shape} has a negative size")
    if len(shape) > NPY_MAX_DIMS:  # the parser takes (1,) * 3000; reshape then raised a bare ValueError
        raise LoadError("io.npy_too_many_dims", filename=filename, ndim=f"{len(shape):,}", max_dims=NPY_MAX_DIMS)
    if header_len >= 0:
        expected = math.prod(shape) * dtype.itemsize
        actual = size - header_len
        if actual < expected:
            raise LoadError("io.npy_truncated", filename=filename, expected=f"{expected:,}", actual=f"{actual:,}")
    return shape, dtype, fortran, header_len


def _read_npy(data: bytes, filename: str, zipped: bool = True) -> dict[str, LoadedTensor]:
    if zipped and data[:4] == b"PK\x03\x04":  # a zip: really an .npz under another name
        return _read_npz(data, filename)
    shape, dtype, fortran, header_len = _checked_npy_header(data, len(data), filename)
    name = _stem(filename)
    if header_len >= 0:
        view = _npy_view(data, shape, dtype, fortran, header_len)
        if view is not None:
            return {name: LoadedTensor.of(name, view, str(view.dtype))}
    try:
        array = np.load(io.BytesIO(data), allow_pickle=False)
    except ValueError as exc:
        if "allow_pickle" in str(exc) or "Object arrays" in str(exc):
            raise LoadError("io.npy_pickle", filename=filename) from None
        raise LoadError("io.npy_invalid", filename=filename, detail=_short(exc)) from None
    except _NPY_ERRORS as exc:
        raise LoadError("io.npy_invalid", filename=filename, detail=_short(exc)) from None
    return {name: LoadedTensor.of(name, array, str(array.dtype))}


def _read_npz(data: bytes, filename: str) -> dict[str, LoadedTensor]:
    """Every .npy member of a zip, each checked like an uploaded .npy from its header (pickles,
    shapes, missing bytes) and unpacked only when its values are asked for; other members (a
    readme) are left out. The sizes the archive declares are checked before anything is unpacked:
    a 4 MB archive of zeros can unpack to gigabytes (a "zip bomb"), so the members together may
    unpack to at most the upload cap. zipfile never returns more than a member's declared size."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [i for i in archive.infolist() if not i.is_dir() and i.filename.endswith(".npy")]
    except _NPY_ERRORS as exc:
        raise LoadError("io.npz_invalid", filename=filename, detail=_short(exc)) from None
    if not members:
        raise LoadError("io.npz_no_arrays", filename=filename)
    unpacked = sum(i.file_size for i in members)
    if unpacked > upload_cap_bytes():
        raise LoadError("io.npz_too_large", filename=filename, size_mb=f"{unpacked / 2**20:,.0f}",
                        max_mb=MAX_UPLOAD_MB)
    out: dict[str, LoadedTensor] = {}
    with archive:
        for info in members:
            member = info.filename[:-4]
            path = f"{filename}/{info.filename}"
            try:
                with archive.open(info) as fp:  # only the header is unpacked now
                    head = fp.read(min(info.file_size, NPY_HEAD_BYTES))
                shape, dtype, _, header_len = _checked_npy_header(head, info.file_size, path)
            except LoadError as err:  # (a ValueError: before the zip errors)
                if err.key == "io.npy_pickle":
                    raise LoadError("io.npz_pickle", filename=filename, member=member) from None
                raise
            except _NPY_ERRORS as exc:
                raise LoadError("io.npz_invalid", filename=filename, detail=f"{member}: {_short(exc)}") from None
            if header_len < 0:  # a .npy version left to np.load: read it now, as before
                (tensor,) = _npz_member(data, info.filename, filename).values()
                out[member] = LoadedTensor.of(member, tensor.values, tensor.stored_dtype)
            else:
                out[member] = LoadedTensor(member, str(dtype), tuple(shape),
                                           partial(_npz_member_values, data, info.filename, filename))
    return out


#: bytes of an .npz member read to find its .npy header (numpy writes headers of 64 bytes to a few KB)
NPY_HEAD_BYTES = 1 << 16


def _npz_member(data: bytes, member: str, filename: str) -> dict[str, LoadedTensor]:
    """One .npy member of an .npz, unpacked and read like an uploaded .npy."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            raw = archive.read(member)
    except _NPY_ERRORS as exc:  # a damaged member (CRC) shows only when it is unpacked
        raise LoadError("io.npz_invalid", filename=filename, detail=f"{member[:-4]}: {_short(exc)}") from None
    return _read_npy(raw, f"{filename}/{member}", zipped=False)


def _npz_member_values(data: bytes, member: str, filename: str) -> np.ndarray:
    """The values of one member, unpacked when asked for (LoadedTensor.load): picking one array of
    a 200 MB .npz, or running over all of them one at a time, holds one array besides the upload."""
    (tensor,) = _npz_member(data, member, filename).values()
    return tensor.values


# ---------------------------------------------------------------------------------------------
# .safetensors

# safetensors dtype -> (numpy/ml_dtypes dtype, widen to float32?)
SAFETENSORS_DTYPES: dict[str, tuple[Any, bool]] = {
    "F64": (np.float64, False),
    "F32": (np.float32, False),
    "F16": (np.float16, False),
    "BF16": (ml_dtypes.bfloat16, True),
    "F8_E4M3": (ml_dtypes.float8_e4m3fn, True),
    "F8_E5M2": (ml_dtypes.float8_e5m2, True),
    "F8_E4M3FNUZ": (ml_dtypes.float8_e4m3fnuz, True),
    "F8_E5M2FNUZ": (ml_dtypes.float8_e5m2fnuz, True),
    "F8_E8M0": (ml_dtypes.float8_e8m0fnu, True),
    "F4": (ml_dtypes.float4_e2m1fn, True),  # packed two per byte, first element in the low nibble
    "I64": (np.int64, False),
    "U64": (np.uint64, False),
    "I32": (np.int32, False),
    "U32": (np.uint32, False),
    "I16": (np.int16, False),
    "U16": (np.uint16, False),
    "I8": (np.int8, False),
    "U8": (np.uint8, False),
    "BOOL": (np.bool_, False),
    "C64": (np.complex64, False),
}
"""Every element type a safetensors 0.8 header may name, except the packed F6_E2M3/F6_E3M2."""

_SAFETENSORS_ERRORS = (  # substring of the package's message -> our key
    ("header too large", "io.safetensors_header_huge"),
    ("header too small", "io.safetensors_header_truncated"),
    ("invalid header length", "io.safetensors_header_truncated"),
    ("not fully covered", "io.safetensors_truncated"),
    ("offset", "io.safetensors_bad_offsets"),
    ("overflow", "io.safetensors_bad_offsets"),
)


def _unpack_f4(raw: bytes, shape: list[int]) -> np.ndarray:
    """F4 bytes -> float32: byte b holds element 2i in bits 0-3 and element 2i+1 in bits 4-7
    (PyTorch's float4_e2m1fn_x2 layout). Each nibble is an E2M1 code read by ml_dtypes."""
    packed = np.frombuffer(raw, dtype=np.uint8)
    codes = np.empty(packed.size * 2, dtype=np.uint8)
    codes[0::2] = packed & 0x0F
    codes[1::2] = packed >> 4
    values = codes.view(ml_dtypes.float4_e2m1fn).astype(np.float32)
    return values[: math.prod(shape)].reshape(shape)


def _safetensors_error(exc: Exception, data: bytes, filename: str) -> LoadError:
    text = str(exc)
    claimed = int.from_bytes(data[:8], "little") if len(data) >= 8 else len(data)
    if claimed > _SAFETENSORS_HEADER_LIMIT and len(data) >= 8:
        return LoadError("io.safetensors_header_huge", filename=filename, claimed=f"{claimed:,}")
    if "not fully covered" in text:  # the package says this for a cut file and for extra bytes alike
        extra = _safetensors_extra_bytes(data, claimed)
        if extra is not None and extra > 0:
            return LoadError("io.safetensors_extra_bytes", filename=filename, extra=f"{extra:,}")
        if extra is None or extra == 0:  # gaps between tensors, or a header we cannot read
            return LoadError("io.safetensors_invalid", filename=filename, detail=_short(exc))
    for needle, key in _SAFETENSORS_ERRORS:
        if needle in text:
            return LoadError(key, filename=filename, claimed=f"{claimed:,}", detail=_short(exc))
    return LoadError("io.safetensors_invalid", filename=filename, detail=_short(exc))


def _safetensors_extra_bytes(data: bytes, header_len: int) -> int | None:
    """Bytes after the end of the last tensor (negative: the data is cut short), from the header the
    package has already refused; only to word the message. None when the header does not parse."""
    try:
        header = json.loads(data[8:8 + header_len])
        end = max((int(v["data_offsets"][1]) for k, v in header.items() if k != "__metadata__"), default=0)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, UnicodeDecodeError):
        return None
    return len(data) - 8 - header_len - end


def _read_safetensors(data: bytes, filename: str) -> dict[str, LoadedTensor]:
    import safetensors

    try:
        entries = safetensors.deserialize(data)
    except Exception as exc:  # SafetensorError (and anything the Rust side raises)
        raise _safetensors_error(exc, data, filename) from None
    out: dict[str, LoadedTensor] = {}
    # deserialize lists the tensors in no fixed order: sort them by name, numbers by value
    # (layers.2 before layers.10), so the same file always opens on the same tensor
    for name, info in sorted(entries, key=lambda e: _natural_key(e[0])):
        tag, shape = info["dtype"], tuple(info["shape"])
        if tag not in SAFETENSORS_DTYPES:
            raise LoadError("io.safetensors_dtype_unsupported", filename=filename, tensor=name, dtype=tag)
        # converted when picked: widening every BF16 tensor of a file up front doubled its memory
        out[name] = LoadedTensor(name, tag, shape, partial(_safetensors_values, tag, list(shape), info["data"]))
    if not out:
        raise LoadError("io.safetensors_no_tensors", filename=filename)
    return out


def _safetensors_values(tag: str, shape: list[int], raw: bytes) -> np.ndarray:
    """One tensor's little-endian bytes as an array: BF16/FP8/FP4 widened to float32."""
    dtype, widen = SAFETENSORS_DTYPES[tag]
    if tag == "F4":
        return _unpack_f4(raw, shape)
    values = np.frombuffer(raw, dtype=np.dtype(dtype).newbyteorder("<")).reshape(shape)
    return values.astype(np.float32) if widen else values.astype(np.dtype(dtype), copy=False)


def _natural_key(name: str) -> list[Any]:
    """Sort key reading digit runs as numbers: "layers.10.w" after "layers.2.w"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", name)]


# ---------------------------------------------------------------------------------------------
# .gguf

_GGUF_MAX_READS = 20_000_000  # reads of the package's _get: headers, scalars, tensor infos

GGUF_MAX_META_ELEMENTS = 2_000_000
"""Most metadata array elements (all arrays together) a GGUF file may hold. Real models hold
under a million: Llama 3 has 128,256 tokens, as many token types and 280,147 merges (536,659);
Gemma 3 262,144 tokens, scores and types (786,432). Skipping 2M of them costs ~0.5 s."""


class _GGUFMetadataHuge(ValueError):
    """More than GGUF_MAX_META_ELEMENTS metadata array elements; args[0]: the count so far."""


def _strict_reader_class() -> type:
    """GGUFReader that fails on any read past the end of the file (the stock reader returns a
    short array and can then loop for a very long time on a length that lies), and that steps
    over the elements of metadata arrays instead of reading them.

    The stock reader makes two numpy views of the file for every array element, ~1.6 KB each: the
    400,000 tokenizer strings of a real vocabulary cost 660 MB and 6.5 s, 2,000,000 empty strings
    in a 15 MB file 3.2 GB and 38 s. This app reads tensors, never metadata, and the package has no
    option to skip it, so ``_get_field_parts`` is overridden for arrays only: the element type and
    count are read as the package reads them, the elements are stepped over (fixed-size elements:
    count x size; strings: their 8-byte lengths, read one by one and checked against the file's
    end) and the field keeps no elements (``reader.fields["tokenizer.ggml.tokens"].contents()``
    is []). Scalars and strings, such as general.alignment, are read by the package as before.
    More than GGUF_MAX_META_ELEMENTS elements -> LoadError ``io.gguf_metadata_huge``, refused
    from the array's count before its elements are stepped over.
    Example: meta2m.gguf (2,000,000 empty tokens) -> io.gguf_metadata_huge in 0.1 s.
    """
    import struct

    from gguf import GGUFReader, GGUFValueType

    scalar_sizes = {int(t): np.dtype(d).itemsize for t, d in GGUFReader.gguf_scalar_to_np.items()}
    STRING, ARRAY = int(GGUFValueType.STRING), int(GGUFValueType.ARRAY)
    # byte order as GGUFReader.byte_order names it ("I": this machine's, "S": swapped) -> (length, array header)
    native, swapped = ("<", ">") if np.little_endian else (">", "<")
    structs = {k: (struct.Struct(o + "Q"), struct.Struct(o + "IQ")) for k, o in (("I", native), ("S", swapped))}

    class StrictGGUFReader(GGUFReader):  # type: ignore[misc]
        _reads = 0
        _meta_elements = 0

        def _get(self, offset: int, dtype: Any, count: int = 1, override_order: Any = None) -> np.ndarray:
            self._reads += 1
            if self._reads > _GGUF_MAX_READS:
                raise ValueError("metadata is implausibly large")
            arr = super()._get(offset, dtype, count, override_order)
            if len(arr) < int(count):
                raise ValueError(f"read past the end of the file at byte {offset}")
            return arr

        def _get_field_parts(self, orig_offs: int, raw_type: int) -> tuple[int, list[Any], list[int], list[Any]]:
            if GGUFValueType(raw_type) != GGUFValueType.ARRAY:
                return super()._get_field_parts(orig_offs, raw_type)
            raw_itype = self._get(orig_offs, np.uint32)
            alen = self._get(orig_offs + 4, np.uint64)
            end = self._skip_elements(orig_offs + 12, int(raw_itype[0]), int(alen[0]))
            return end - orig_offs, [raw_itype, alen], [], [GGUFValueType.ARRAY, GGUFValueType(int(raw_itype[0]))]

        def _skip_elements(self, offs: int, raw_itype: int, count: int) -> int:
            """The offset after ``count`` elements of type ``raw_itype`` starting at ``offs``."""
            self._meta_elements += count
            if self._meta_elements > GGUF_MAX_META_ELEMENTS:
                raise _GGUFMetadataHuge(self._meta_elements)
            size = len(self.data)
            if raw_itype in scalar_sizes:
                offs += scalar_sizes[raw_itype] * count
            elif raw_itype == STRING:  # (struct, not _get: a numpy view per string was the cost)
                length = structs[self.byte_order][0]
                for _ in range(count):
                    if offs + 8 > size:
                        raise ValueError(f"read past the end of the file at byte {offs}")
                    offs += 8 + length.unpack_from(self.data, offs)[0]
            elif raw_itype == ARRAY:  # arrays of arrays: each has its own type and count
                header = structs[self.byte_order][1]
                for _ in range(count):
                    if offs + 12 > size:
                        raise ValueError(f"read past the end of the file at byte {offs}")
                    offs = self._skip_elements(offs + 12, *header.unpack_from(self.data, offs))
            else:
                raise ValueError(f"Unknown/unhandled field type {raw_itype}")
            if offs > size:
                raise ValueError(f"read past the end of the file at byte {offs}")
            return offs

    return StrictGGUFReader


def _gguf_values(tensor: Any, filename: str) -> np.ndarray:
    """float32/int values of one ReaderTensor in numpy axis order (GGUF lists dims fastest first:
    GGUF shape [4096, 11008] is numpy shape (11008, 4096), the PyTorch weight layout)."""
    from gguf.quants import dequantize

    if tensor.data.dtype != np.uint8:  # F32, F16, F64, I8..I64: the reader already typed it
        return np.array(tensor.data)
    try:
        with np.errstate(invalid="ignore", over="ignore"):  # a NaN/Inf block scale: NaN values,
            return np.asarray(dequantize(tensor.data, tensor.tensor_type))  # counted by the page
    except NotImplementedError:
        raise LoadError("io.gguf_qtype_unsupported", filename=filename, tensor=tensor.name,
                        qtype=tensor.tensor_type.name) from None


def _read_gguf(data: bytes, filename: str) -> dict[str, LoadedTensor]:
    """GGUFReader memory-maps a path: write the upload to a temporary file, open it, and unlink
    the file at once (the mapping keeps the bytes alive until the last tensor is dropped).
    Tensor values are dequantized lazily, one tensor at a time (see LoadedTensor)."""
    if data[:4] != b"GGUF":
        raise LoadError("io.gguf_not_gguf", filename=filename)
    if len(data) < 24:  # magic, version, tensor count and metadata count
        raise LoadError("io.gguf_too_short", filename=filename, size=len(data))
    if len(data) >= 24:
        n_tensors, n_kv = (int.from_bytes(data[i : i + 8], "little") for i in (8, 16))
        if n_tensors > len(data) or n_kv > len(data):
            raise LoadError("io.gguf_invalid", filename=filename, detail="tensor or metadata count larger than the file")
    fd, path = tempfile.mkstemp(suffix=".gguf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        try:
            reader = _strict_reader_class()(path)
        except _GGUFMetadataHuge as exc:
            raise LoadError("io.gguf_metadata_huge", filename=filename, n=f"{exc.args[0]:,}",
                            limit=f"{GGUF_MAX_META_ELEMENTS:,}") from None
        except Exception as exc:  # ValueError, KeyError, IndexError, UnicodeDecodeError, ...
            raise LoadError("io.gguf_invalid", filename=filename, detail=_short(exc)) from None
        out = {
            t.name: LoadedTensor(t.name, t.tensor_type.name, tuple(int(d) for d in reversed(t.shape.tolist())),
                                 partial(_gguf_values, t, filename))
            for t in reader.tensors
        }
    finally:
        with contextlib.suppress(OSError):  # Windows cannot unlink a mapped file; harmless there
            os.unlink(path)
    if not out:
        raise LoadError("io.gguf_no_tensors", filename=filename)
    return out


# ---------------------------------------------------------------------------------------------
# text: .csv / .txt / pasted

_SEPARATORS = str.maketrans({",": " ", ";": " ", "\t": " ", "、": " ", "\u2212": "-"})
_DECIMAL_COMMA = re.compile(r"\d,\d")
_TINY = re.compile(r"[eE]-0*[1-9]\d\d|\.0{300}")  # below 1e-99, or 300 zeros after the point
_INF_WORDS = {"inf", "+inf", "-inf", "infinity", "+infinity", "-infinity"}


def _normalised(text: str) -> str:
    """Full-width digits, points and commas typed with a Chinese IME (１．５，２) as ASCII (NFKC), and
    its full stop between digits as the point (0。5);
    the Unicode minus (−2) and the ideographic comma (、) count as "-" and a separator. A text
    separated by semicolons, with commas between digits and no decimal point, is a CSV written
    with decimal commas (as spreadsheets do in much of Europe): "1,5;2,5" is 1.5 and 2.5."""
    text = re.sub(r"(?<=\d)\u3002(?=\d)", ".", unicodedata.normalize("NFKC", text))  # "0。5": IME full stop
    text = text.replace("\u3002", " ")  # any other 。 ends a sentence ("0。5。"): a separator
    if ";" in text and "." not in text and _DECIMAL_COMMA.search(text):
        text = text.replace(",", ".")
    return text.translate(_SEPARATORS)


# What str.split() splits on and str.splitlines() breaks lines at, by code point: all lie below
# U+3001 (U+3000 is the last whitespace; a test checks all of Unicode). Entry _WS_LIMIT (U+3001, False)
# stands for every code point above it.
_WS_LIMIT = 0x3001
_WS = np.array([chr(c).isspace() for c in range(_WS_LIMIT + 1)])
_BREAK = np.array([len(f"a{chr(c)}b".splitlines()) == 2 for c in range(_WS_LIMIT + 1)])
_BREAKS = "".join(chr(c) for c in np.flatnonzero(_BREAK))
# a line break ("\r\n" is one) or a token (a run of non-whitespace), in order
_TOKEN_OR_BREAK = re.compile("\r\n|[" + re.escape(_BREAKS) + r"]|\S+")
_TEXT_CHUNK = 1 << 18  # characters of text counted at a time (~4 MB of temporary arrays)


@dataclass
class _TextShape:
    """How many numbers a text holds and how they lie on its lines, counted as text.splitlines()
    and line.split() would count them, without keeping the lines. Lines are numbered from 1."""

    values: int = 0  # numbers in all
    lines: int = 0  # non-empty lines
    first: int = 0  # numbers on the first non-empty line
    widest: int = 0  # most numbers on one line
    ragged: tuple[int, int] | None = None  # (line, count) of the first non-empty line whose count != first

    @property
    def table(self) -> bool:
        """Same count on every non-empty line, more than one line, more than one column."""
        return self.lines > 1 and self.first > 1 and self.ragged is None

    def add(self, counts: np.ndarray, line0: int) -> None:
        """Count lines line0 + 1, line0 + 2, ... holding ``counts`` numbers each."""
        idx = np.flatnonzero(counts)
        if not idx.size:
            return
        n = counts[idx]
        if not self.lines:
            self.first = int(n[0])
        self.values += int(n.sum())
        self.lines += int(idx.size)
        self.widest = max(self.widest, int(n.max()))
        if self.ragged is None:
            other = np.flatnonzero(n != self.first)
            if other.size:
                self.ragged = (line0 + int(idx[other[0]]) + 1, int(n[other[0]]))


def text_max_values() -> int:
    """Most numbers a text (.csv, .txt, pasted) may hold: MAX_VALUES // 2 (26,214,400). Text is read
    as float64 (the numbers as typed), 8 bytes each, so this is the same 200 MiB of values as
    MAX_VALUES float32 values; "1\\n" x 100M (200 MB) would have been 800 MB of float64."""
    return MAX_VALUES // 2


def _text_shape(text: str, chunk: int = _TEXT_CHUNK) -> _TextShape:
    """Numbers per line of ``text`` (see _TextShape), with numpy over ``chunk`` characters at a time:
    a token starts at a non-space after a space, a line ends at a break ("\\r\\n" counts once), so
    memory is a few arrays of one chunk, not a list of lines (a 30 MB file of one number per line
    made 10M line strings and 10M lists: 2 GB). Example: "1 2\\n\\n3 4 5" -> 5 values on 2 lines,
    first 2, ragged (3, 3)."""
    shape = _TextShape()
    line0, carry = 0, 0  # lines ended before this chunk; numbers of the line still open at its start
    after_space, after_cr = True, False
    for pos in range(0, len(text), chunk):
        codes = np.minimum(np.frombuffer(text[pos:pos + chunk].encode("utf-32-le", "surrogatepass"), np.uint32),
                           _WS_LIMIT)
        space, brk = _WS[codes], _BREAK[codes]
        brk[1:] &= ~((codes[1:] == 10) & (codes[:-1] == 13))  # the "\n" of "\r\n"
        brk[0] &= not (after_cr and codes[0] == 10)  # ... also when a chunk starts between the two
        start = ~space
        start[1:] &= space[:-1]
        start[0] &= after_space
        ends = np.cumsum(brk, dtype=np.int32)  # line breaks up to each character: its line in the chunk
        n_breaks = int(ends[-1])
        counts = np.bincount(ends[start], minlength=n_breaks + 1)
        counts[0] += carry
        shape.add(counts[:n_breaks], line0)
        carry, line0 = int(counts[n_breaks]), line0 + n_breaks
        after_space, after_cr = bool(space[-1]), bool(codes[-1] == 13)
    if carry:
        shape.add(np.array([carry]), line0)
    return shape


def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """(token, 1-based line) of every number-to-be in ``text``, lazily: the tokens line.split() gives
    on the lines text.splitlines() gives, without making either list."""
    line = 1
    for m in _TOKEN_OR_BREAK.finditer(text):
        token = m.group()
        if token[0].isspace():
            line += 1
        else:
            yield token, line


def _first_overflow_token(text: str) -> tuple[str, int] | None:
    """The first number too large for float64 (1e400 reads as inf), unless it is written as inf."""
    for token, number in _tokens(text):
        if token.lower() not in _INF_WORDS and math.isinf(float(token)):
            return token, number
    return None


def _first_underflow_token(text: str) -> tuple[str, int] | None:
    """The first number too small for float64 (1e-400 reads as 0 and would be stored exactly)."""
    for token, number in _tokens(text):
        if float(token) == 0 and re.search(r"[1-9]", re.split(r"[eE]", token)[0]):
            return token, number
    return None


def _first_bad_token(text: str) -> tuple[str, int] | None:
    for token, number in _tokens(text):
        try:
            float(token)
        except ValueError:
            return token, number
        if "_" in token:  # Python reads "1_000"; a student's CSV should not
            return token, number
    return None


def _split_values(text: str, n: int) -> np.ndarray:
    """The ``n`` tokens of ``text`` converted as np.array(text.split(), dtype=float64) converts them
    (where np.fromstring stops, e.g. at a U+2028 line separator), 65,536 at a time."""
    out = np.empty(n, dtype=np.float64)
    tokens, at = _tokens(text), 0
    while batch := [token for token, _ in itertools.islice(tokens, 1 << 16)]:
        out[at:at + len(batch)] = np.array(batch, dtype=np.float64)
        at += len(batch)
    return out[:at]


def _parse_numbers(text: str, name: str = "") -> tuple[np.ndarray | None, tuple[str, int] | None, _TextShape]:
    """(values, None, shape) or (None, (first bad token, its 1-based line), shape). Values are
    float64; a rectangular block (same count on every non-empty line, >1 line, >1 column) is
    returned 2-D. Memory: the text, its normalised copy, the values and one chunk's counts
    (_text_shape), not a list of lines: a 30 MB file of 10M lines peaked at 1.7 GB (tracemalloc).
    Raises LoadError ``io.text_too_many_values`` above text_max_values() numbers (counted before
    any is parsed; ``name`` names the tensor), ``io.number_too_large`` for a number beyond float64
    (1e400), which would otherwise become inf and silently drop out of the metrics, and
    ``io.number_too_small`` for a nonzero number that float64 rounds to 0 (1e-400: below half its
    smallest step, ~2.5e-324), which would silently become 0."""
    cleaned = _normalised(text)
    shape = _text_shape(cleaned)
    if shape.values > text_max_values():
        raise LoadError("io.text_too_many_values", name=name, n=f"{shape.values:,}",
                        max_values=f"{text_max_values():,}", max_mb=MAX_UPLOAD_MB)
    try:
        values = np.fromstring(cleaned, dtype=np.float64, sep=" ") if shape.values else np.empty(0)
    except ValueError:
        values = None
    if values is None:
        bad = _first_bad_token(cleaned)
        if bad is not None:
            return None, bad, shape
        values = _split_values(cleaned, shape.values)  # fromstring quirk, e.g. "1\\u20282"
    if np.isinf(values).any():
        too_large = _first_overflow_token(cleaned)
        if too_large is not None:
            raise LoadError("io.number_too_large", token=_clip(too_large[0]), line=too_large[1])
    if not values.all() and _TINY.search(cleaned):  # a zero, and a number that could underflow to one
        too_small = _first_underflow_token(cleaned)
        if too_small is not None:
            raise LoadError("io.number_too_small", token=_clip(too_small[0]), line=too_small[1])
    if shape.table and values.size == shape.values:
        values = values.reshape(shape.lines, shape.first)
    return values, None, shape


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_DIGIT = re.compile(r"[0-9０-９]")


def _decode_text(data: bytes, filename: str) -> str:
    """The text of a .csv/.txt: UTF-8 (a BOM is dropped), UTF-16 with its BOM (Excel's "Unicode
    text"), else GB18030, a superset of GBK, which Chinese Excel writes by default: "数值\n1" saved
    in GBK reads as that text. Bytes that decode to control characters or to no digit at all (odd bytes
    after a BOM read as CJK characters) are not a text of numbers."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for bom, encoding in ((b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"), (b"", "gb18030")):
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                break
            if not _CONTROL.search(text) and _DIGIT.search(text):
                return text.removeprefix("\ufeff")
            break
    raise LoadError("io.csv_not_text", filename=filename) from None


_PLAIN_INTEGER = re.compile(r"-?\d+")
COMMA_NOTE_LINES = 1000  # lines a comma check reads: enough to see a file's pattern, cheap for 200 MB


def comma_note(text: str) -> tuple[str, dict[str, Any]] | None:
    """Why commas in ``text`` may not mean what they were read as, or None.

    Commas separate numbers (unless the text also has semicolons and no point: lib.io's decimal
    commas). Two patterns read silently as other numbers than the writer meant:
    - "1,000,000" on every line (a field of 1-3 digits, then fields of exactly 3): thousands
      separators, read as 1, 0, 0 -> ``io.comma_thousands``;
    - "0,5" on every line (two plain integers): a decimal comma, read as 0 and 5 ->
      ``io.comma_decimal`` (a table of two integer columns looks the same: a note, not an error).
    Parameters: the first such line's text and its 1-based number. Only the first
    COMMA_NOTE_LINES non-empty lines are read.
    """
    if "," not in text:  # only full-width commas (，): a Chinese comma is never a decimal mark
        return None
    text = unicodedata.normalize("NFKC", text)
    if ";" in text or "." in text:
        return None
    lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    fields = [[f.strip() for f in line.split(",")] for _, line in lines[:COMMA_NOTE_LINES]]
    if not fields or not all(len(f) >= 2 and all(_PLAIN_INTEGER.fullmatch(v) for v in f) for f in fields):
        return None
    first = {"example": _clip(lines[0][1]), "line": lines[0][0]}
    if all(len(f[0].lstrip("-")) <= 3 and all(len(v) == 3 for v in f[1:]) for f in fields):
        return "io.comma_thousands", {**first, "parts": ", ".join(fields[0]), "joined": "".join(fields[0])}
    if all(len(f) == 2 and not f[1].startswith("-") for f in fields):
        return "io.comma_decimal", {**first, "a": fields[0][0], "b": fields[0][1]}
    return None


def comma_note_of_file(head: bytes) -> tuple[str, dict[str, Any]] | None:
    """comma_note of the first bytes of a .csv/.txt (cut at its last full line), or None when they
    are not text."""
    cut = head[: head.rfind(b"\n") + 1] or head
    if cut.startswith((b"\xff\xfe", b"\xfe\xff")) and len(cut) % 2:
        cut = cut + b"\x00" if cut.startswith(b"\xff\xfe") else cut[:-1]  # UTF-16: whole code units
    try:
        return comma_note(_decode_text(cut, ""))
    except LoadError:
        return None


def _read_text(data: bytes, filename: str) -> dict[str, LoadedTensor]:
    name = _stem(filename)
    values, bad, shape = _parse_numbers(_decode_text(data, filename), name)
    if bad is not None:
        raise LoadError("io.csv_bad_token", filename=filename, token=_clip(bad[0]), line=bad[1])
    assert values is not None
    if values.size == 0:
        raise LoadError("io.csv_no_numbers", filename=filename)
    if filename.lower().endswith(".csv") and values.ndim == 1:
        _check_csv_rows(shape, filename)
    return {name: LoadedTensor.of(name, values, "text")}


def _check_csv_rows(shape: _TextShape, filename: str) -> None:
    """A .csv is a table: rows of several values must all have as many (a short row is a lost value
    or a cell too many, not a list to read on). A .txt, or a CSV of one value per line or of one
    line, is read as one list of numbers. ``shape``: the text's _TextShape.
    Example: "1,2,3\n4,5" -> io.csv_ragged (line 2: 2 of 3)."""
    if shape.lines < 2 or shape.widest < 2 or shape.ragged is None:
        return
    line, n = shape.ragged
    raise LoadError("io.csv_ragged", filename=filename, line=line, n=n, first=shape.first)


def parse_pasted(text: str) -> np.ndarray:
    """Numbers typed or pasted by a student -> float64 array (2-D if the lines form a table).

    Separators: commas, semicolons, spaces, tabs, new lines. ``nan``/``inf``/``1e-3`` are numbers.

    Raises:
        LoadError: ``io.paste_empty`` (no numbers), ``io.paste_bad_token`` (first non-number and
            its line), ``io.paste_too_long`` (above ``MAX_PASTE_KB``).

    Example:
        >>> parse_pasted("1 2\\n3 4")
        array([[1., 2.],
               [3., 4.]])
    """
    size = len(text.encode("utf-8"))
    if size > MAX_PASTE_KB * 1024:
        raise LoadError("io.paste_too_long", size_kb=f"{size / 1024:,.0f}", max_kb=MAX_PASTE_KB)
    values, bad, _ = _parse_numbers(text, "pasted")
    if bad is not None:
        raise LoadError("io.paste_bad_token", token=_clip(bad[0]), line=bad[1])
    assert values is not None
    if values.size == 0:
        raise LoadError("io.paste_empty")
    return values


_READERS = {
    ".npy": _read_npy,
    ".npz": _read_npz,
    ".safetensors": _read_safetensors,
    ".gguf": _read_gguf,
    ".csv": _read_text,
    ".txt": _read_text,
}
assert set(_READERS) == set(SUPPORTED_EXTENSIONS)


# ---------------------------------------------------------------------------------------------
# content checks


_ML_DTYPES = {np.dtype(getattr(ml_dtypes, n)) for n in (
    "bfloat16", "float8_e4m3fn", "float8_e5m2", "float8_e4m3fnuz", "float8_e5m2fnuz", "float8_e4m3",
    "float8_e3m4", "float8_e4m3b11fnuz", "float8_e8m0fnu", "float6_e3m2fn", "float6_e2m3fn", "float4_e2m1fn",
    "int4", "uint4", "int2", "uint2",
)}


def check_array(a: np.ndarray, name: str) -> np.ndarray:
    """Check an array is something we can quantize and return it as floats.

    Returns float32 when that is exact (float16/32, bfloat16/fp8/fp4, ints of <= 16 bits, bool;
    a float32 input is returned as is, no copy) and float64 otherwise (float64, int32/int64).

    Raises:
        LoadError: ``io.empty_array`` (0 values), ``io.complex_array``, ``io.string_array``,
            ``io.not_numeric`` (structured, datetime, object...), ``io.all_nan``, ``io.no_finite``
            (only ±inf and NaN: an all-inf tensor has no error to measure, yet looked "exact").

    Example:
        >>> check_array(np.array([1, 2], dtype=np.int8), "w")
        array([1., 2.], dtype=float32)
    """
    a = np.asarray(a)
    kind = a.dtype.kind
    if a.size == 0:
        raise LoadError("io.empty_array", name=name, shape=str(a.shape))
    if kind == "c":
        raise LoadError("io.complex_array", name=name, dtype=str(a.dtype))
    if kind in "US":
        raise LoadError("io.string_array", name=name, dtype=str(a.dtype))
    if not a.dtype.isnative:  # e.g. a big-endian '>f4' .npy: same values, native bytes
        a = a.astype(a.dtype.newbyteorder("="))
    if a.dtype in _ML_DTYPES:
        out = a.astype(np.float32)
    elif kind == "f":
        out = a if a.dtype.itemsize >= 4 else a.astype(np.float32)
    elif kind in "iub":
        out = a.astype(np.float32 if a.dtype.itemsize <= 2 else np.float64)
    elif kind == "V" and a.dtype.fields is None and a.dtype.itemsize <= 2:
        # np.save of an ml_dtypes array (bfloat16, float8_*) writes raw bytes, '|V2' / '|V1': which
        # format they hold is not in the file
        raise LoadError("io.raw_bytes_array", name=name, dtype=str(a.dtype), n=a.dtype.itemsize)
    else:
        raise LoadError("io.not_numeric", name=name, dtype=str(a.dtype))
    if not np.isfinite(out.flat[0]) and not np.isfinite(out).any():  # nothing to quantize or measure
        raise LoadError("io.all_nan" if np.isnan(out).all() else "io.no_finite", name=name)
    return out


def needs_axis_choice(a: np.ndarray) -> bool:
    """True when ``a`` has more than 2 dimensions: the page must ask which axis holds the
    channels (``io.axis_choice``) and call ``as_matrix``. 1-D and 2-D arrays are used as they are."""
    return np.ndim(a) > 2


def as_matrix(a: np.ndarray, channel_axis: int) -> np.ndarray:
    """Reshape an N-D array to 2-D with the chosen axis as rows (axis 0), the rest flattened.

    out[c, :] = every value whose index along ``channel_axis`` is c, in C order. So per-channel
    quantization along axis 0 of the result is per-channel along ``channel_axis`` of ``a``.
    Example: shape (2, 3, 4, 5, 6) with channel_axis 3 -> (5, 144).
    """
    a = np.asarray(a)
    if not -a.ndim <= channel_axis < a.ndim:
        raise LoadError("io.bad_axis", axis=channel_axis, ndim=a.ndim, last=a.ndim - 1)
    moved = np.moveaxis(a, channel_axis, 0)
    return moved.reshape(moved.shape[0], -1)


# ---------------------------------------------------------------------------------------------
# bundled real weights


@dataclass(frozen=True)
class BundledAsset:
    """A real weight tensor shipped in assets/ (provenance in assets/README.md)."""

    name: str  # key for load_bundled and the tensor name inside the file
    file: str  # file name in assets/
    source_tensor: str  # the tensor's name in the original model
    rows: str  # which part was taken
    shape: tuple[int, ...]

    @property
    def label_key(self) -> str:
        return f"io.asset.minilm_{self.name}"


_MINILM = "minilm_l6_v2_sample.safetensors"
BUNDLED: tuple[BundledAsset, ...] = (
    BundledAsset("attention_query", _MINILM, "encoder.layer.0.attention.self.query.weight", "all", (384, 384)),
    BundledAsset("ffn_up", _MINILM, "encoder.layer.0.intermediate.dense.weight", "all", (1536, 384)),
    BundledAsset("word_embeddings_slice", _MINILM, "embeddings.word_embeddings.weight", "rows 1996:2508", (512, 384)),
    BundledAsset("layernorm_weight", _MINILM, "encoder.layer.0.output.LayerNorm.weight", "all", (384,)),
)


def bundled_assets() -> list[BundledAsset]:
    """The bundled real tensors, in display order (label: ``t(asset.label_key, lang)``)."""
    return list(BUNDLED)


@lru_cache(maxsize=4)
def _bundled_file(file: str) -> dict[str, np.ndarray]:
    return load_arrays((ASSETS_DIR / file).read_bytes(), file)


def load_bundled(name: str) -> np.ndarray:
    """A fresh float32 copy of the bundled tensor ``name`` (see ``bundled_assets``)."""
    asset = next((a for a in BUNDLED if a.name == name), None)
    if asset is None:
        raise LoadError("io.unknown_asset", name=name, names=list(a.name for a in BUNDLED))
    return _bundled_file(asset.file)[asset.name].copy()


# ---------------------------------------------------------------------------------------------
# helpers


def _short(exc: BaseException, limit: int = 160) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip() or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _clip(token: str, limit: int = 40) -> str:
    return token if len(token) <= limit else token[: limit - 1] + "…"
