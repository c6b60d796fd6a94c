"""The data-source picker shared by the Quantize and Compare pages (Streamlit widgets only), and
the verdict on what quantizing the data lost.

    data = ui_data.pick_data("quant")     # sidebar widgets with keys quant_source, quant_dist, ...
    if data is not None: ... data.x, data.key ...
    picked = ui_data.pick_file("cmp")     # or in two steps: the source and all its tensors, then
    data = ui_data.pick_tensor("cmp", picked)   # one of them (Compare's whole-file mode skips it)
    ui_data.show_verdict(r.metrics, choice, lang)   # the verdict box, and why values became 0

Every load error is shown with ``ui.show_error`` (translated) and ``pick_data`` returns None, so
the rest of the page keeps working.  Loaded arrays are cached by their source settings
(``st.cache_resource``: shared, never copied, marked read-only), keyed by ``Source.key()``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Callable, TypeVar

import numpy as np
import streamlit as st

import ui
from lib.errors import LowBitError
from lib.i18n import t
from lib.compare import Choice, underflow_note, verdict, verdict_key
from lib.data_source import DEFAULT_DIST, DEFAULT_SIZE, MAGNITUDES, SIZES, SOURCES, Source, load, prepare
from lib.data_source import asset_label_key, asset_names, default_axis, magnitude_text
from lib.io import comma_note, comma_note_of_file

PASTE_DEFAULT = "-0.5, 0.3, 1.2, -2.1"
T = TypeVar("T")
VERDICT_BOX = {"exact": st.success, "near_lossless": st.success, "good": st.info,
               "noticeable": st.warning, "severe": st.warning, "unknown": st.info}


@dataclass(frozen=True)
class Data:
    """The chosen tensor (1-D or 2-D, read-only), a cache key for it, its name and a default axis."""

    x: np.ndarray
    key: str
    name: str
    axis: int


@st.cache_resource(max_entries=2, ttl=ui.CACHE_TTL_S, show_spinner=False)
def _arrays(src: Source, _upload: Any) -> dict[str, Any]:
    # the upload's bytes are read (copied) only on a cache miss, not on every rerun
    return load(src, None if _upload is None else _upload.getvalue())


@st.cache_resource(max_entries=2, ttl=ui.CACHE_TTL_S, show_spinner=False)
def _prepared(src: Source, name: str, axis: int | None, _upload: Any) -> np.ndarray:
    x = prepare(_arrays(src, _upload)[name].values, name, axis)
    x.flags.writeable = False  # shared by every session: nobody may change it
    return x


#: pasted text up to this many characters travels in a shared link (longer: a caption says so)
MAX_URL_PASTE = 1500


def url_keys(prefix: str) -> tuple[str, ...]:
    """The picker's widget keys that go into the URL (the pasted text too, unless it is too long)."""
    source = st.session_state.get(f"{prefix}_source")
    own = {"synthetic": ("dist", "size", "seed", "mag"), "paste": ("paste",), "bundled": ("asset",),
           "upload": ("array", "ndaxis")}
    for other, names in own.items():  # another source's settings leave the link (they stayed after a switch)
        if other != source:
            for k in names:
                ui.drop_from_url(f"{prefix}_{k}")
    keys = tuple(f"{prefix}_{k}" for k in ("source", *own.get(source, ())))
    keys += tuple(st.session_state.get(f"_{prefix}_param_keys", ()))  # the distribution's parameters
    pasted = st.session_state.get(f"{prefix}_paste")
    if source == "paste" and pasted is not None and len(pasted) > MAX_URL_PASTE:  # too long: stays out
        keys = tuple(k for k in keys if k != f"{prefix}_paste")
    return keys


def share_note(prefix: str) -> str | None:
    """What a shared link cannot carry: an uploaded file (ui.sync_url's ``share_note``)."""
    return ui.tr("share.upload_note") if st.session_state.get(f"{prefix}_source") == "upload" else None


def _source(prefix: str) -> tuple[Source, Any] | None:
    from lib.synthetic import SYNTHETIC_KINDS

    k = f"{prefix}_source"
    ui.url_default(k, st.session_state.get(SOURCE_KEY, "synthetic"), choices=SOURCES)  # as on the other page
    kind = st.sidebar.radio(ui.tr("io.source.label"), SOURCES, key=k,
                            format_func=lambda s, lang=ui.current_lang(): t(f"io.source.{s}", lang))
    st.session_state[SOURCE_KEY] = kind
    if kind == "synthetic":
        kinds = list(SYNTHETIC_KINDS)
        ui.url_default(f"{prefix}_dist", DEFAULT_DIST, choices=kinds)
        ui.url_default(f"{prefix}_size", DEFAULT_SIZE, choices=SIZES, parse=int)
        ui.url_default(f"{prefix}_seed", 0, parse=ui.number_in(0, 2**31 - 1, int))
        dist = st.sidebar.selectbox(ui.tr("io.kind.label"), kinds, key=f"{prefix}_dist",
                                    format_func=lambda d, lang=ui.current_lang(): t(SYNTHETIC_KINDS[d].label_key, lang))
        size = st.sidebar.select_slider(ui.tr("io.size"), SIZES, key=f"{prefix}_size",
                                        format_func=lambda n: f"{n:,}")
        seed = st.sidebar.number_input(ui.tr("io.seed"), min_value=0, max_value=2**31 - 1, step=1,
                                       key=f"{prefix}_seed")
        ui.url_default(f"{prefix}_mag", 0, choices=MAGNITUDES, parse=int)
        mag = st.sidebar.select_slider(ui.tr("io.magnitude"), MAGNITUDES, key=f"{prefix}_mag",
                                       format_func=magnitude_text, help=ui.tr("io.magnitude_help"))
        params = _dist_params(prefix, dist)
        return Source("synthetic", dist=dist, size=int(size), seed=int(seed), magnitude=int(mag), params=params), None
    _link_params(prefix, ())
    if kind == "paste":  # the text is shared by the pages and outlives a visit to another page
        key = f"{prefix}_paste"
        if key not in st.session_state:  # a shared link's numbers first, then the other page's text
            linked = st.query_params.get(key)
            st.session_state[key] = linked if linked and len(linked) <= MAX_URL_PASTE else (
                st.session_state.get(PASTE_KEY, PASTE_DEFAULT))
        text = st.sidebar.text_area(ui.tr("io.source.paste"), key=key, help=ui.tr("io.paste.help"))
        st.session_state[PASTE_KEY] = text
        _comma_warning(comma_note(text))
        if len(text) > MAX_URL_PASTE:
            st.sidebar.caption(ui.tr("io.paste.not_in_link", n=f"{len(text):,}", limit=f"{MAX_URL_PASTE:,}"))
            ui.drop_from_url(key)
        return Source("paste", text=text), None
    if kind == "upload":
        up = _upload(prefix)
        if up is None:
            st.info(ui.tr("cmp.data.upload_first" if prefix == "cmp" else "quant.data.upload_first"))
            return None
        if up.name.lower().endswith((".csv", ".txt")):  # its first 64 KB (getvalue() shares, getbuffer() copies)
            _comma_warning(comma_note_of_file(up.getvalue()[:65536]))
        return Source("upload", file_name=up.name, file_key=_content_key(up)), up
    assets = asset_names()
    ui.url_default(f"{prefix}_asset", assets[0], choices=assets)
    asset = st.sidebar.selectbox(ui.tr("io.source.bundled"), assets, key=f"{prefix}_asset",
                                 format_func=lambda a, lang=ui.current_lang(): t(asset_label_key(a), lang))
    st.sidebar.caption(ui.tr("io.asset.credit"))
    return Source("bundled", asset=asset), None


def _dist_params(prefix: str, dist: str) -> tuple[tuple[str, float], ...]:
    """The distribution's parameter boxes, in an expander (open when one is changed), and a button
    back to the defaults; returns the changed parameters (``lib.synthetic.changed_params``)."""
    from lib.synthetic import PARAM_RANGES, changed_params, default_params, param_setting

    defaults = default_params(dist)  # each distribution keeps its own: quant_p_student_t_df ...
    keys = {name: f"{prefix}_{param_setting(dist, name)}" for name in defaults}
    for name, key in keys.items():
        r, kind = PARAM_RANGES[name], type(defaults[name])
        ui.url_default(key, defaults[name], choices=[kind(c) for c in r.choices] or None,
                       parse=ui.number_in(r.low, r.high, ui.whole if kind is int else float))
    changed = changed_params(dist, {name: st.session_state[key] for name, key in keys.items()})
    # keyed: a generated key follows ``expanded``, so the box snapped shut when a value went back to its default
    with st.sidebar.expander(ui.tr("io.params"), expanded=bool(changed), key=f"{prefix}_p_box"):
        st.caption(ui.tr("io.params_help"))
        for name, key in keys.items():
            _param_box(name, key, PARAM_RANGES[name])
        st.button(ui.tr("io.params_reset"), key=f"{prefix}_p_reset", disabled=not changed,
                  on_click=_reset_params, args=(keys, defaults), icon=":material/restart_alt:")
    _link_params(prefix, tuple(keys.values()))
    return changed  # the boxes' values were in the session before this run drew them


def _param_shown(name: str, value: float) -> str:
    """A changed parameter in the sidebar's tensor name: "df = 1.5", "outliers in rows" (离群通道为行)."""
    from lib.numtext import shortest

    if name == "outlier_axis":
        return ui.tr(f"io.outliers_in.{int(value)}")
    return ui.tr("io.param_is", name=ui.tr(f"io.param_short.{name}"), value=shortest(value))


def _param_box(name: str, key: str, r: Any) -> None:
    label = ui.tr(f"io.param.{name}")
    if r.choices:
        st.selectbox(label, [int(c) for c in r.choices], key=key,
                     format_func=lambda a, lang=ui.current_lang(): t(f"io.param.{name}.{a}", lang))
    elif r.whole:
        st.number_input(label, min_value=int(r.low), max_value=int(r.high), step=int(r.step), key=key)
    else:
        st.number_input(label, min_value=r.low, max_value=r.high, step=r.step, key=key, format="%g")


def _reset_params(keys: dict[str, str], defaults: dict[str, Any]) -> None:
    for name, key in keys.items():
        st.session_state[key] = defaults[name]


def _link_params(prefix: str, keys: tuple[str, ...]) -> None:
    """The current distribution's parameters go into the URL (``url_keys``), like every setting;
    other distributions' ones are taken out of it (they would not apply)."""
    st.session_state[f"_{prefix}_param_keys"] = keys
    for k in [k for k in st.query_params if k.startswith(f"{prefix}_p_") and k not in keys]:
        ui.drop_from_url(k)


PASTE_KEY = "_data_paste"  # session keys shared by the Quantize and Compare pages
UPLOAD_KEY = "_data_upload"
SOURCE_KEY = "_data_source"
ARRAY_KEY = "_data_array"
NDAXIS_KEY = "_data_ndaxis"  # (source key:tensor name, channel axis) of the N-D tensor last shown on either page
DIGESTS_KEY = "_data_digests"


def _content_key(up: Any) -> str:
    """Size and BLAKE2 digest of an upload's bytes (hashed once per upload, ~0.3 s for 200 MB): the
    same file uploaded again, or on the other page, finds the arrays already loaded instead of
    caching a second copy.

    The digest reads ``getvalue()``, which returns the bytes Streamlit received without copying
    them; ``getbuffer()`` would make the upload (a BytesIO sharing those bytes) take a private
    copy of them, kept as long as the upload is: 200 MB more per 200 MB file."""
    import hashlib  # noqa: PLC0415

    digests = st.session_state.setdefault(DIGESTS_KEY, {})
    file_id = getattr(up, "file_id", None) or id(up)
    if file_id not in digests:
        digests.clear()  # only the current upload's
        digests[file_id] = hashlib.blake2b(up.getvalue(), digest_size=16).hexdigest()
    return f"{up.size}:{digests[file_id]}"


def _upload(prefix: str) -> Any:
    """The file in this page's uploader, else the one uploaded earlier on either page.

    Streamlit forgets an uploader's file when its page is left; keeping the last file in the
    session lets Compare use the file just uploaded on Quantize (and back), without a second
    upload of up to 200 MB, and without a second copy in the cache (same file id, same key).
    """
    from lib.io import MAX_UPLOAD_MB  # noqa: PLC0415

    key, had = f"{prefix}_file", f"_{prefix}_file_shown"
    fresh = key not in st.session_state  # the page was just opened: its uploader starts empty
    # no type= filter: Streamlit's own refusal of "weights.bin" is a red icon with English hover
    # text; the loader refuses it instead, with a translated message naming the supported types
    up = st.sidebar.file_uploader(ui.tr("io.source.upload"), key=key,
                                  help=ui.tr("io.upload.help", max_mb=MAX_UPLOAD_MB))
    st.sidebar.caption(ui.tr("io.upload.help", max_mb=MAX_UPLOAD_MB) + ui.sentence_gap() + ui.tr("io.upload.not_in_link"))
    if up is not None:
        st.session_state[UPLOAD_KEY] = up
        st.session_state[had] = True
        return up
    if st.session_state.pop(had, False) and not fresh:  # the user removed the file (its ✕)
        st.session_state.pop(UPLOAD_KEY, None)
    kept = st.session_state.get(UPLOAD_KEY)
    if kept is not None:
        st.sidebar.caption(ui.tr("io.upload_kept", name=ui.md_escape(kept.name)))
    return kept


def _comma_warning(note: tuple[str, dict[str, Any]] | None) -> None:
    """A sidebar warning when commas may have been read otherwise than meant (lib.io.comma_note)."""
    if note is not None:
        key, params = note
        st.sidebar.warning(ui.tr(key, **{k: ui.md_escape(v) if isinstance(v, str) else v for k, v in params.items()}))


def _pick_name(prefix: str, names: list[str]) -> str:
    """The array picked in a file of several: on opening a page, the one last picked on either
    page (Compare's q_proj stays q_proj on Quantize), else the link's, else the first."""
    if len(names) == 1:
        return names[0]
    k = f"{prefix}_array"
    shared = st.session_state.get(ARRAY_KEY)
    if k not in st.session_state and shared in names:
        st.session_state[k] = shared
    ui.url_default(k, names[0], choices=names)
    if st.session_state.get(k) not in names:  # another file: its first array
        st.session_state[k] = names[0]
    name = str(st.sidebar.selectbox(ui.tr("io.pick_array"), names, key=k, format_func=ui.visible_controls))
    st.session_state[ARRAY_KEY] = name
    return name


def _pick_axis(prefix: str, shape: tuple[int, ...], owner: str) -> int | None:
    """The channel axis of an N-D tensor; on opening a page, the one chosen for the same tensor on
    the other page (Compare asked again for the axis just chosen on Quantize)."""
    k = f"{prefix}_ndaxis"
    axes = list(range(len(shape)))
    shared = st.session_state.get(NDAXIS_KEY)
    if k not in st.session_state and shared is not None and shared[0] == owner:
        st.session_state[k] = shared[1]
    if st.session_state.get(k) not in (None, *axes):
        st.session_state[k] = None
    ui.url_default(k, None, choices=axes, parse=int)  # the choice made before a visit to another page
    st.info(ui.tr("io.axis_choice", ndim=len(shape), shape=shape))
    axis = st.selectbox(ui.tr("io.axis_label"), axes, key=k, placeholder=ui.tr("io.axis_placeholder"),
                        format_func=lambda a: ui.tr("io.axis_option", axis=a, n=shape[a]))
    st.session_state[NDAXIS_KEY] = (owner, axis)
    return axis


def _display_name(src: Source, name: str) -> str:
    """What the sidebar calls the tensor: the translated name of a synthetic kind, of pasted
    numbers or of a bundled tensor (not the internal keys "llm_like" / "pasted" /
    "attention_query", which stay in download file names)."""
    from lib.synthetic import SYNTHETIC_KINDS

    if src.kind == "synthetic" and src.dist in SYNTHETIC_KINDS:
        # changed parameters: the short name ("~50x" may no longer hold), the factor, then the
        # parameters: "Student-t × 10⁻⁴, df = 1.5" (not "df = 1.5 × 10⁻⁴", which reads as df = 0.00015)
        label = ui.tr(f"io.kind_short.{src.dist}" if src.params else SYNTHETIC_KINDS[src.dist].label_key)
        if src.magnitude:
            label = f"{label} {magnitude_text(src.magnitude)}"
        if src.params:
            sep = ui.tr("io.params_sep")
            label += ui.tr("io.params_changed", params=sep.join(_param_shown(k, v) for k, v in src.params))
        return label
    if src.kind == "paste":
        return ui.tr("io.pasted_name")
    if src.kind == "bundled":
        return ui.tr(asset_label_key(src.asset))
    return ui.md_escape(name)  # a file's own name is text, never Markdown ("__init__", "[a](b)")


@dataclass(frozen=True)
class Picked:
    """The chosen source and its tensors (lib.io.LoadedTensor by name, read lazily), before one is
    picked: ``key`` is the source's cache key, ``name`` the uploaded file's name (else "")."""

    src: Source
    raw: Any = field(repr=False, compare=False)
    tensors: dict[str, Any] = field(repr=False, compare=False)

    @property
    def key(self) -> str:
        return self.src.key()

    @property
    def name(self) -> str:
        return self.src.file_name


def _errors_shown(fn: Callable[..., T | None]) -> Callable[..., T | None]:
    """``fn`` that shows any exception with ``ui.show_error`` (translated) and returns None."""

    @functools.wraps(fn)
    def wrapped(*args: Any) -> T | None:
        try:
            return fn(*args)
        except Exception as err:  # noqa: BLE001 - every load problem becomes a translated message
            ui.show_error(err)
            return None

    return wrapped


@_errors_shown
def pick_file(prefix: str) -> Picked | None:
    """Sidebar widgets for the data source, and its tensors loaded; None (error or question shown)."""
    picked = _source(prefix)
    if picked is None:
        return None
    src, raw = picked
    with st.spinner(ui.tr("io.reading", name=ui.md_escape(src.file_name) if src.file_name else ui.tr(f"io.source.{src.kind}"))):
        return Picked(src, raw, _arrays(src, raw))


@_errors_shown
def pick_tensor(prefix: str, picked: Picked) -> Data | None:
    """Sidebar widgets for the tensor of a file of several (and the channel axis of an N-D one);
    the prepared tensor, or None (error or question shown)."""
    src, raw, arrays = picked.src, picked.raw, picked.tensors
    name = _pick_name(prefix, list(arrays))
    tensor = arrays[name]
    shape = tuple(tensor.shape)
    n = int(np.prod(shape))
    st.sidebar.caption(ui.tr("io.array_summary_one" if n == 1 else "io.array_summary", name=_display_name(src, name),
                             shape=shape, dtype=ui.md_escape(tensor.stored_dtype), size=f"{n:,}"))
    axis = None
    if len(shape) > 2:
        axis = _pick_axis(prefix, shape, f"{src.key()}:{name}")
        if axis is None:
            return None
    with st.spinner(ui.tr("io.reading", name=ui.md_escape(name))):  # a GGUF Q4_0 tensor is dequantized here
        try:
            prepared = _prepared(src, name, axis, raw)
        except LowBitError as err:  # "array 'pasted'" is "array 'pasted numbers'", as in the sidebar
            if src.kind != "paste" or err.params.get("name") != name:
                raise
            raise type(err)(err.key, **{**err.params, "name": ui.tr("io.pasted_name")}) from None
    synthetic = src.kind == "synthetic"
    return Data(prepared, f"{src.key()}:{name}:{axis}", name,
                default_axis(prepared, src.dist if synthetic else None, src.params if synthetic else ()))


def pick_data(prefix: str) -> Data | None:
    """Sidebar widgets for the data source and tensor; the prepared tensor, or None (error or question shown)."""
    picked = pick_file(prefix)
    return None if picked is None else pick_tensor(prefix, picked)


def examples(prefix: str) -> Any:
    """Buttons that load a classroom example (lib.examples: the data and the choice in one click);
    returns the place of its hint, which example_hint fills once the data widgets exist."""
    from lib.examples import QUANT_EXAMPLES

    with st.expander(ui.tr("quant.ex.title"), key=f"{prefix}_ex_open"):  # open across a language switch
        st.caption(ui.tr("quant.ex.intro"))
        row = st.container(horizontal=True)  # buttons as wide as their names; they wrap on a phone
        for name in QUANT_EXAMPLES:
            row.button(ui.tr(f"quant.ex.{name}"), key=f"{prefix}_ex_{name}", on_click=_load_example, args=(prefix, name))
    return st.empty()


def example_hint(prefix: str, slot: Any) -> None:
    """The hint of the example on screen in ``slot``, kept while its data is (the student tries
    formats on it). It is a setting (``?quant_example=outliers``), so a shared link shows it too;
    call after pick_data, which reads a link's data settings that the hint is checked against."""
    from lib.examples import QUANT_EXAMPLES, still_shown

    key = f"{prefix}_example"
    shown = ui.url_default(key, None, choices=list(QUANT_EXAMPLES))
    if still_shown(shown, st.session_state, prefix):
        slot.info(ui.tr(f"quant.ex.{shown}.hint"), icon=":material/school:")
    else:
        ui.forget(key)


def _load_example(prefix: str, name: str) -> None:
    from lib.examples import settings

    for key, value in settings(name).items():
        st.session_state[f"{prefix}_{key}"] = value
    st.session_state[SOURCE_KEY] = st.session_state[f"{prefix}_source"]
    st.session_state[f"{prefix}_example"] = name


def show_verdict(metrics: dict[str, float], choice: Choice, lang: str) -> None:
    """The verdict on the SQNR in a box coloured by how bad it is and, for a float format with no
    scale (method "none") that rounded values to 0, or a scaled choice that rounded 10% or more of
    them to 0, a caption saying why (lib.compare.underflow_note)."""
    sqnr = float(metrics["sqnr_db"])
    VERDICT_BOX[verdict_key(sqnr)](verdict(sqnr, lang))
    flushed = float(metrics["flushed_to_zero_fraction"])
    note = underflow_note(flushed, choice.fmt, choice.method, choice.rounding, lang)
    if note:
        st.caption(note)
