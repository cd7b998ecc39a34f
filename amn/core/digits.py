"""Digit normalisation before validation (Django's `\\d` also matches Arabic-Indic digits)."""

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def ascii_digits(text: str) -> str:
    """Replace Arabic-Indic (U+0660…) and Persian (U+06F0…) digits with ASCII digits."""
    return text.translate(_DIGITS)
