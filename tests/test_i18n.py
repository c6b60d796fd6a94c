"""The i18n table: both languages complete, the same placeholders, every key used in code exists."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from pathlib import Path

import pytest

import lib.strings
from lib.errors import LoadError
from lib.i18n import LANGUAGES, STRINGS, check_table, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([ROOT / "app.py", ROOT / "ui.py", *ROOT.glob("ui_*.py"), *ROOT.glob("pages/*.py"),
                  *ROOT.glob("lib/**/*.py")])
CJK = re.compile(r"[\u3400-\u9fff]")

# Calls whose first argument is an i18n key: t(...), ui.tr(...), and the LowBitError family.
KEY_CALLS = {"t", "tr", "LowBitError", "FormatError", "ParseError", "LoadError", "QuantizeError"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def keys_in_source(source: str) -> list[tuple[str, int]]:
    """(key, line) of every literal key passed to one of KEY_CALLS (code only, not docstrings)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            first = node.args[0]
            if name in KEY_CALLS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((first.value, node.lineno))
    return found


def used_keys() -> dict[str, list[str]]:
    """Literal i18n keys in the source, mapped to where they are used ("pages/bits.py:12")."""
    uses: dict[str, list[str]] = {}
    for path in SOURCES:
        if "lib/strings" in path.as_posix():
            continue
        for key, lineno in keys_in_source(path.read_text(encoding="utf-8")):
            uses.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return uses


def test_table_is_complete() -> None:
    assert check_table() == []
    for key, entry in STRINGS.items():
        assert set(entry) == set(LANGUAGES), key
        for lang in LANGUAGES:
            assert entry[lang].strip(), f"{key} [{lang}] is empty"


def test_check_table_reports_gaps() -> None:
    broken = {"x.a": {"en": "A", "zh": ""}, "x.b": {"en": "B"}, "x.c": {"en": "C", "zh": "丙", "fr": "C"}}
    problems = check_table(broken)
    assert problems == ["x.a: zh missing or empty", "x.b: zh missing or empty", "x.c: unknown languages ['fr']"]


def test_both_languages_have_the_same_placeholders() -> None:
    bad = {k: (sorted(_fields(e["en"])), sorted(_fields(e["zh"])))
           for k, e in STRINGS.items() if _fields(e["en"]) != _fields(e["zh"])}
    assert bad == {}


def test_every_module_uses_its_own_key_prefixes() -> None:
    """Keys are namespaced ("area.name") and each string module is importable on its own."""
    seen: dict[str, str] = {}
    for info in pkgutil.iter_modules(lib.strings.__path__):
        module = importlib.import_module(f"lib.strings.{info.name}")
        for key in module.STRINGS:
            assert "." in key, f"{key} in lib/strings/{info.name}.py has no area prefix"
            assert key not in seen, f"{key} in both {seen.get(key)} and {info.name}"
            seen[key] = info.name
    assert set(seen) == set(STRINGS)


def test_every_key_used_in_code_exists() -> None:
    uses = used_keys()
    # The scanner must see the shell's own calls, or this test could pass by finding nothing.
    assert {"app.tagline", "app.language", "error.unexpected"} <= set(uses)
    missing = {key: where for key, where in uses.items() if key not in STRINGS}
    assert missing == {}


def test_scanner_finds_all_call_forms() -> None:
    source = (
        '"""Docstring t("doc.only") is ignored."""\n'
        'x = t("a.b", lang)\n'
        'y = ui.tr(\n    "c.d_e", n=1)\n'
        'raise errors.LoadError("io.empty", f=1)\n'
        'z = fmt("no.pe") + t(key)\n'
    )
    assert keys_in_source(source) == [("a.b", 2), ("c.d_e", 3), ("io.empty", 5)]


def test_nav_titles_are_translated() -> None:
    for page in ("bits", "grid", "quantize", "compare"):
        assert CJK.search(t(f"nav.{page}", "zh")), page
        assert not CJK.search(t(f"nav.{page}", "en")), page


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_t_fills_params_and_falls_back(lang: str) -> None:
    text = t("error.unexpected", lang, detail="ZeroDivisionError")
    assert "ZeroDivisionError" in text and "{detail}" not in text
    assert t("app.language", "fr") == "Language"  # unknown language -> English
    with pytest.raises(KeyError):
        t("no.such_key", lang)


def test_error_message_in_both_languages() -> None:
    err = LoadError("error.unexpected", detail="boom")
    assert str(err) == t("error.unexpected", "en", detail="boom")
    assert err.message("zh") == t("error.unexpected", "zh", detail="boom")
    assert CJK.search(err.message("zh"))


def test_list_parameters_are_joined_in_the_page_language() -> None:
    """Lists inside Chinese sentences take the enumeration comma 、 (".npy, .npz" read as English)."""
    from lib.errors import LoadError
    from lib.i18n import join_list
    from lib.io import load_arrays

    assert join_list((".npy", ".npz"), "zh") == ".npy、.npz" and join_list([1, 2], "en") == "1, 2"
    try:
        load_arrays(b"123", "weights.bin")
    except LoadError as err:
        assert ".npy、.npz、.safetensors" in err.message("zh") and ".npy, .npz, .safetensors" in err.message("en")
    else:
        raise AssertionError("an unsupported file was accepted")


def test_a_library_detail_in_chinese_is_labelled_as_the_original_message() -> None:
    """Chinese errors quoted gguf's or safetensors' English ("read past the end of the file") bare,
    mid-sentence: it is now labelled 原始报错 (the original message)."""
    keys = [k for k, v in STRINGS.items() if "{detail}" in v["zh"]]
    assert len(keys) >= 6
    for key in keys:
        assert "（原始报错：{detail}）" in STRINGS[key]["zh"], key
