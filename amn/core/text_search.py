"""Folding text for lenient matching of place names typed by the public."""

import re
import unicodedata

_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"}
)
_ARABIC_MARKS = re.compile(
    "[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]"
)  # harakat, tatweel


def search_fold(text: str) -> str:
    """Fold `text` so that common spellings of one name compare equal.

    Latin: case and diacritics ("FÈS", "Fes" → "fes"); apostrophes and hyphens become
    spaces. Arabic: hamza forms of alef, alef maqsura, taa marbuta, harakat and tatweel
    ("أكادير", "اكادير" → "اكادير"). Non-printable characters (e.g. NUL) are dropped and
    runs of spaces collapsed.

    Returns:
        str, the folded text (may be empty).
    """
    text = _ARABIC_MARKS.sub("", text.translate(_ARABIC_FOLD))
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        " " if ch in "'’-_" else ch
        for ch in decomposed
        if ch.isprintable() and not unicodedata.combining(ch)
    )
    return " ".join(kept.casefold().split())
