"""Typed, translatable errors raised by lib/ and shown by the pages.

Every error a user can cause carries an i18n key and its parameters, so a page can show it in
the chosen language:  ``st.error(t(err.key, lang, **err.params))``.  ``str(err)`` is the English
text, so the errors read well in tests, logs and the REPL too.

Example:
    >>> raise LoadError("io.empty_file", filename="w.npy")
    Traceback (most recent call last):
    lib.errors.LoadError: Empty file: w.npy is empty (0 bytes). Choose a file that holds an array.
"""

from __future__ import annotations

from typing import Any


class LowBitError(ValueError):
    """Base class: a user-facing problem with an i18n ``key`` and format ``params``."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "zh"), parameters filled in."""
        from lib.i18n import t  # local import: i18n imports nothing from here at module level

        return t(self.key, lang, **self.params)


class FormatError(LowBitError):
    """An unknown format name or an impossible custom format."""


class ParseError(LowBitError):
    """Text typed by a user that is not a number or code we can read."""


class LoadError(LowBitError):
    """A file or pasted text that cannot be turned into a numeric array."""


class QuantizeError(LowBitError):
    """Quantization settings that cannot be applied to this tensor."""
