"""Moroccan phone numbers."""

import re

from amn.core.digits import ascii_digits

MOROCCAN_MOBILE = re.compile(r"^(?:\+212|00212|0)([5-7]\d{8})$")


def phone_normalise(raw: str) -> str | None:
    """Normalise a Moroccan phone number to "+212XXXXXXXXX", or None if it is not one.

    Accepts "0612345678", "+212 612-345-678", "00212612345678" and Arabic-Indic digits
    ("٠٦١٢٣٤٥٦٧٨"). Numbering plan: ANRT (0 + 9 digits, leading 5/6/7).
    """
    compact = re.sub(r"[\s.\-()]", "", ascii_digits(raw or ""))
    match = MOROCCAN_MOBILE.match(compact)
    return f"+212{match.group(1)}" if match else None
