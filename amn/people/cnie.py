"""CNIE numbers (carte nationale d'identité électronique)."""

import re

from amn.core.digits import ascii_digits

# As printed on the card: one or two letters, then digits (e.g. "BE123456", "J200001").
CNIE_PATTERN = re.compile(r"[A-Z]{1,2}\d{1,8}")


def cnie_normalise(raw: str) -> str | None:
    """Normalise a CNIE number: ASCII digits, no whitespace of any kind, upper case.

    Returns:
        str such as "BE123456", or None when the result is not a CNIE number.
    """
    compact = "".join(ascii_digits(raw or "").split()).upper()
    return compact if CNIE_PATTERN.fullmatch(compact) else None
