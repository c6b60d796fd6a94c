"""The i18n table: both languages complete, the same placeholders, every key used in code exists."""

from __future__ import annotations

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

# A literal key passed to t(...), ui.tr(...), tr(...), or a LowBitError subclass constructor.
_KEY = r"""\(\s*["']([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+)["']"""
KEY_USES = [
    re.compile(r"(?<![\w.])t" + _KEY),
    re.compile(r"\btr" + _KEY),
    re.compile(r"\b(?:LowBitError|FormatError|ParseError|LoadError|QuantizeError)" + _KEY),
]


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def used_keys() -> dict[str, list[str]]:
    """Literal i18n keys in the source, mapped to where they are used ("pages/bits.py:12")."""
    uses: dict[str, list[str]] = {}
    for path in SOURCES:
        if "lib/strings" in path.as_posix():
            continue
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.lstrip().startswith(">>>"):  # docstring examples may use illustrative keys
                continue
            for pattern in KEY_USES:
                for key in pattern.findall(line):
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
    line = 'x = t("a.b", lang); y = ui.tr("c.d_e", n=1); raise LoadError("io.empty", f=1); fmt("no.pe")'
    found = [k for p in KEY_USES for k in p.findall(line)]
    assert sorted(found) == ["a.b", "c.d_e", "io.empty"]


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
