"""Normalisation of person names written in Arabic script.

Two forms are produced from one name field (a given name or a family name, possibly of
several words):

- `arabic_name_tokens()` / `arabic_name_normalise()`: the comparison form. Rules (issue 4,
  "Normalisation of Arabic names"): Unicode compatibility forms (presentation forms such as
  "ﻻ") decomposed; harakat, Quranic marks, superscript alef and tatweel removed; invisible
  direction and joiner marks removed; hamza forms of alef (أ إ آ ٱ) → ا; ta marbuta ة → ه;
  alef maqsura ى → ي; hamza on a carrier (ؤ ئ) → the carrier (و ي) and a lone hamza ء
  dropped; Persian and Maghrebi letters folded to their common Arabic letter (ک → ك,
  ی → ي, ڭ/گ → ك, ڤ → ف, پ → ب, چ → ش); Arabic-Indic digits → ASCII (digits are then
  dropped: no name contains them); 'عبد' compounds joined to the following word
  ("عبد القادر" and "عبدالقادر" → "عبدالقادر"); 'ابن' → 'بن' and the particles بن, ابو,
  بو, ولد, ايت joined to the following word ("بن كيران" → "بنكيران"), an article after a
  particle kept ("ابو الحسن" → "ابوالحسن", as in "Aboulahcen"); a suffix word
  الدين / الله written attached is split off ("نورالدين" → "نور الدين"); the article ال
  is optional: removed at the start of every other word, and a free-standing "ال" dropped.
- `arabic_skeleton()` (in amn.people.matching.crossscript): a consonant skeleton shared with
  Latin spellings.
"""

import re
import unicodedata

from amn.core.digits import ascii_digits

# Harakat (U+064B–U+065F), Quranic annotation signs (U+0610–U+061A, U+06D6–U+06ED),
# superscript alef (U+0670) and tatweel (U+0640).
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Zero-width space/joiners, LRM/RLM, Arabic letter mark, bidi embeddings and isolates, BOM.
_INVISIBLE = re.compile("[\u200b-\u200f\u061c\u202a-\u202e\u2066-\u2069\ufeff]")
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ء": None,
        "ک": "ك",
        "ی": "ي",
        "ې": "ي",
        "ہ": "ه",
        "ھ": "ه",
        "ڭ": "ك",
        "گ": "ك",
        "ڤ": "ف",
        "پ": "ب",
        "چ": "ش",
    }
)
# After folding, a name keeps only the 28 letters of the Arabic alphabet (and spaces).
_NOT_LETTER = re.compile("[^\u0621-\u064a ]")
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")

ABD = "عبد"
# Particles written as a separate word and joined to the word that follows them.
JOINED_PARTICLES = frozenset({ABD, "بن", "ابن", "ابو", "بو", "ولد", "ايت", "اولاد"})
# Words that, attached to the word before, form a compound ("نورالدين" = "نور الدين").
SUFFIX_WORDS = ("الدين", "الله")
ARTICLE = "ال"


def has_arabic(text: str) -> bool:
    """True when `text` contains at least one Arabic letter."""
    return bool(_ARABIC_LETTER.search(text or ""))


def arabic_fold(text: str) -> str:
    """The letter-level folding of `text` (marks, invisible characters, hamza forms, ta
    marbuta, alef maqsura, Persian/Maghrebi letters, digits), words separated by single
    spaces; anything that is not an Arabic letter becomes a space.

    Returns:
        str, possibly empty.
    """
    text = unicodedata.normalize("NFKC", text or "")
    text = _INVISIBLE.sub("", ascii_digits(text))
    text = _MARKS.sub("", text).translate(_FOLD)
    return " ".join(_NOT_LETTER.sub(" ", text).split())


def _split_suffix_words(word: str) -> list[str]:
    if word.startswith(ABD):
        return [word]
    for suffix in SUFFIX_WORDS:
        if word.endswith(suffix) and len(word) >= len(suffix) + 2:
            return [word[: -len(suffix)], suffix]
    return [word]


def _strip_article(word: str) -> str:
    if word.startswith(ARTICLE) and word != "الله" and len(word) >= len(ARTICLE) + 2:
        return word[len(ARTICLE) :]
    return word


def arabic_name_tokens(text: str) -> list[str]:
    """The words of one Arabic name field in comparison form (see the module docstring).

    Args:
        text: a given name or a family name as written, e.g. "عبد الرَّحمن".
    Returns:
        list of str, e.g. ["عبدالرحمن"]; empty when `text` holds no Arabic letter.
    """
    words: list[str] = []
    for word in arabic_fold(text).split():
        words.extend(_split_suffix_words(word))
    joined: list[str] = []
    pending = ""
    for word in words:
        if word == "ابن":
            word = "بن"
        if word in JOINED_PARTICLES:
            pending += word
            continue
        if pending:
            # After a particle the article stays, as Latin spellings write it (عبدالقادر
            # Abdelkader, ابوالحسن Aboulahcen, بنالمدني Benlmadani).
            joined.append(pending + word)
            pending = ""
        elif word != ARTICLE:  # a free-standing "ال" ("ال خليفه")
            joined.append(_strip_article(word))
    if pending:
        joined.append(pending)
    return joined


def arabic_name_normalise(text: str) -> str:
    """One Arabic name field in comparison form, words joined by single spaces.

    Example: "عبد الرَّحمن  الإدريسي" → "عبدالرحمن ادريسي".
    """
    return " ".join(arabic_name_tokens(text))
