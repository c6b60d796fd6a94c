"""The one table of user-facing strings, in English ("en") and Simplified Chinese ("zh").

The table is assembled at import from the modules in ``lib/strings/`` (one per page or area, so
several people can add strings without touching the same file). Each module defines
``STRINGS: dict[str, dict[str, str]]`` mapping a dotted key to ``{"en": ..., "zh": ...}``.
Keys are unique across modules; both languages must be present and non-empty (checked here).

Strings may hold ``str.format`` fields:  ``t("io.empty_file", "zh", filename="w.npy")``.

Example:
    >>> t("app.title", "en")
    'LowBit Lab'
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import lib.strings as _strings_pkg

LANGUAGES: dict[str, str] = {"en": "English", "zh": "简体中文"}


def _collect() -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(_strings_pkg.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"lib.strings.{info.name}")
        for key, entry in module.STRINGS.items():
            if key in table:
                raise RuntimeError(f"i18n key {key!r} is defined twice (again in lib/strings/{info.name}.py)")
            table[key] = entry
    return table


STRINGS: dict[str, dict[str, str]] = _collect()


def check_table(table: dict[str, dict[str, str]] = STRINGS) -> list[str]:
    """Problems in the table: a language missing or empty for some key. Empty list when sound."""
    problems = []
    for key, entry in table.items():
        for lang in LANGUAGES:
            if not isinstance(entry.get(lang), str) or not entry[lang].strip():
                problems.append(f"{key}: {lang} missing or empty")
        if set(entry) - set(LANGUAGES):
            problems.append(f"{key}: unknown languages {sorted(set(entry) - set(LANGUAGES))}")
    return problems


_problems = check_table()
if _problems:
    raise RuntimeError("i18n table is incomplete:\n" + "\n".join(_problems))


def t(key: str, lang: str = "en", **params: Any) -> str:
    """The string for ``key`` in ``lang`` with ``params`` filled in.

    An unknown key raises KeyError (a bug, caught by tests), never shows a raw key to a student.
    An unknown language falls back to English. A list parameter is joined by join_list.
    """
    entry = STRINGS[key]
    text = entry.get(lang, entry["en"])
    return text.format(**{k: join_list(v, lang) if isinstance(v, list) else v
                          for k, v in params.items()}) if params else text


def join_list(items: Any, lang: str) -> str:
    """A list as text: "a, b, c" in English, "a、b、c" (the enumeration comma) in Chinese.
    t() joins every list parameter this way (a tuple, such as a shape, prints as it is)."""
    return ("、" if lang == "zh" else ", ").join(str(i) for i in items)


def colon(lang: str) -> str:
    """What follows a label: ": " in English, the full-width "：" in Chinese (编码：0x1D)."""
    return "：" if lang == "zh" else ": "
