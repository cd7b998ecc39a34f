"""Cleaning free text typed by people before it is stored."""

import re
import unicodedata

# Bidi embeddings, overrides and isolates, zero-width characters and the BOM: invisible in
# print, they can reverse how a name is displayed or make two names look alike.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def clean_text(value: str | None) -> str:
    """NFC-normalise `value`, drop control, bidi-control and zero-width characters, and
    collapse runs of whitespace to one space.

    Returns:
        str, possibly empty (e.g. for a value made only of invisible characters).
    """
    text = unicodedata.normalize("NFC", value or "")
    text = _INVISIBLE.sub("", text)
    text = "".join(ch for ch in text if ch.isprintable() or ch.isspace())
    return " ".join(text.split())
