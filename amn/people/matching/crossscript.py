"""The cross-script key: a consonant skeleton computed alike from an Arabic spelling and from
a Latin spelling of one name, so that "محمد", "Mohamed", "Mohammed" and "Mhamed" all give
"MHMD" and "الشرقاوي", "Cherkaoui" and "Echcherkaoui" all give "CRK".

Classes (one capital letter each; vowels, و, ي, ا, ع and hamza are not written):

    B ب p b        T ت ط ث t th         J ج j dj g      H ح ه h
    K ك ق خ غ k q c ck kh gh x g rh     D د ض ذ ظ d dh   Z ز z
    S س ص s c(e/i) ç     C ش ch sh sch     F ف f ph v   R ر r   L ل l   M م m   N ن n

Why these merges (measured on the Moroccan rows of the attested spellings, see
docs/matching.md): Moroccan French spellings write ق, ك (ڭ) and غ as "g" (Regragui,
Guennoun, El Guerrouj), ظ as "d" (Hafid, Abdeladim) and ة as nothing or "t" (Najat).

Per word: a final ه (ta marbuta, or the ه of الله) is not written; the l of an article
before a sun letter, at the start of the word or after a joined particle, is dropped in
either script (the assimilated article: "عبد الرحمن" = "Abderrahmane" = "Abdelrahman",
BDRHMN); runs of one class collapse; a leading L is dropped when more follows (the
article, written "el", "al", "l" or not at all: "العمراني", "Lamrani", "Amrani" → MRN;
"الحسن", "Lahcen", "Hassan" → HSN).

A Latin spelling can be read several ways at a few places:
- "c" as K or S, whatever follows (Faycal = فيصل; Belcadi = بلقاضي written "Belcedi");
- "sh" as C or S+H (Boushaki = بوسحاقي);
- "g" as K or J (Guessous = جسوس, Regragui = الركراكي, Gilali = جيلالي);
- "th" as T or T+H (Thami = التهامي);
- "rh" as R+H or K (the Moroccan French spelling of غ: Rharbi);
- a final "h" after a vowel written or not (Salah = صلاح, Abdellah = عبد الله);
- a final "t"/"te" after a vowel as ة or ت (Najat = نجاة, Mourabit = مرابط).
`latin_skeletons()` returns the readings, most likely first, at most MAX_READINGS per name
field.
"""

import itertools
import re

from amn.people.matching.arabic import arabic_name_tokens
from amn.people.matching.latin import latin_name_tokens

MAX_READINGS = 4

_ARABIC_CLASSES = {
    "ب": "B",
    "ت": "T",
    "ط": "T",
    "ث": "T",
    "ج": "J",
    "ح": "H",
    "ه": "H",
    "خ": "K",
    "ق": "K",
    "ك": "K",
    "غ": "K",
    "د": "D",
    "ض": "D",
    "ذ": "D",
    "ظ": "D",
    "ر": "R",
    "ز": "Z",
    "س": "S",
    "ص": "S",
    "ش": "C",
    "ف": "F",
    "ل": "L",
    "م": "M",
    "ن": "N",
}

# Latin spellings of more than one letter (longest first) and their readings.
_LATIN_DIGRAPHS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sch", ("C",)),
    ("ch", ("C",)),
    ("sh", ("C", "SH")),
    ("kh", ("K",)),
    ("gh", ("K",)),
    ("rh", ("RH", "K")),
    ("th", ("T", "TH")),
    ("dh", ("D",)),
    ("ph", ("F",)),
    ("dj", ("J",)),
    ("ck", ("K",)),
)
_LATIN_LETTERS = {
    "b": "B",
    "p": "B",
    "t": "T",
    "j": "J",
    "h": "H",
    "k": "K",
    "q": "K",
    "x": "K",
    "d": "D",
    "r": "R",
    "z": "Z",
    "s": "S",
    "f": "F",
    "v": "F",
    "l": "L",
    "m": "M",
    "n": "N",
}
# One spelling unit: a final h or t(e) after a vowel (written or not), a digraph, c or g
# with the vowel after it (which decides nothing here: both readings are kept), or a letter.
_LATIN_UNIT = re.compile(
    r"(?P<final>(?<=[aeiouy])(?:h|te?)$)"
    r"|(?P<unit>sch|ch|sh|kh|gh|rh|th|dh|ph|dj|ck|c[eiy]?|g[eiy]?|.)"
)
_LATIN_READINGS = {
    **{spelling: readings for spelling, readings in _LATIN_DIGRAPHS},
    **{letter: (reading,) for letter, reading in _LATIN_LETTERS.items()},
    "c": ("K", "S"),
    **dict.fromkeys(("ce", "ci", "cy"), ("S", "K")),
    "g": ("K", "J"),
    **dict.fromkeys(("ge", "gi", "gy"), ("J", "K")),
}
_RUNS = re.compile(r"(.)\1+")
# The article before a sun letter is not heard, and Latin spellings mostly do not write its
# l (عبد الرحمن Abderrahmane, الشرقاوي Echcherkaoui): its ل is dropped at the start of a word
# or after a joined particle (عبد, ابو, بن …, and the ب of بالطيب Bettaieb), and so is a
# Latin "el", "al" … l there (but not before dj: ج is not a sun letter).
_ARABIC_ARTICLE_BEFORE_SUN = re.compile(
    r"^((?:عبد|ابو|بو|بن|ولد|ايت|اولاد)?ا)ل(?=[تثدذرزسشصضطظلن])"
)
_LATIN_ARTICLE_BEFORE_SUN = re.compile(
    r"^((?:abd|abou|abu|bou|ben|ould|ait|oulad|b)?[aeiou]?)l(?=(?!dj)[tdrzsnl]|ch|sh)"
)


def _finish(classes: str) -> str:
    """Collapse runs and drop a leading L."""
    word = _RUNS.sub(r"\1", classes)
    if len(word) > 1 and word.startswith("L"):
        word = word[1:]
    return word


# Letter pairs that write one sound of Maghrebi or foreign names: "دج" for dj (اوزنادجي
# Ouznadji), "تش" for tch (تشارلز Charles).
_ARABIC_PAIRS = (("دج", "ج"), ("تش", "ش"))


def arabic_word_skeleton(word: str) -> str:
    """The skeleton of one Arabic word in comparison form (amn.people.matching.arabic)."""
    if len(word) > 2 and word.endswith("ه"):
        word = word[:-1]
    for pair, letter in _ARABIC_PAIRS:
        word = word.replace(pair, letter)
    word = _ARABIC_ARTICLE_BEFORE_SUN.sub(r"\1", word)
    return _finish("".join(_ARABIC_CLASSES.get(ch, "") for ch in word))


def arabic_skeleton(text: str) -> str:
    """The skeleton of one Arabic name field as written, e.g. "عبد الرَّحمن" → "BDRHMN";
    "" when it holds no Arabic letter."""
    return "".join(arabic_word_skeleton(word) for word in arabic_name_tokens(text))


def _latin_pieces(word: str) -> list[tuple[str, ...]]:
    """The readings of each spelling unit of one normalised Latin word."""
    pieces = []
    for match in _LATIN_UNIT.finditer(word):
        if match.lastgroup == "final":
            pieces.append((_LATIN_LETTERS[match.group()[0]], ""))
        else:
            readings = _LATIN_READINGS.get(match.group())
            if readings:
                pieces.append(readings)
    return pieces


def _latin_word_readings(word: str) -> list[str]:
    word = _LATIN_ARTICLE_BEFORE_SUN.sub(r"\1", word)
    combinations = itertools.islice(itertools.product(*_latin_pieces(word)), MAX_READINGS)
    return list(dict.fromkeys(_finish("".join(combination)) for combination in combinations))


def latin_skeletons(text: str) -> list[str]:
    """The readings of one Latin name field as written, most likely first, e.g.
    "Abderrahmane" → ["BDRHMN"], "Gilali" → ["JL", "KL"]; [] when it holds no Latin letter.
    """
    per_word = [_latin_word_readings(word) for word in latin_name_tokens(text)]
    per_word = [readings for readings in per_word if readings]
    combinations = itertools.islice(itertools.product(*per_word), MAX_READINGS)
    return [s for s in dict.fromkeys("".join(c) for c in combinations) if s]


def name_skeletons(arabic: str = "", latin: str = "") -> list[str]:
    """Every skeleton of one name field given in Arabic and/or Latin script: the Arabic
    one first, then the Latin readings; empty strings left out.

    A field of `IdentityRecord` that may be in either script (a parent's given name) can be
    passed as both `arabic` and `latin`: each part only reads its own script.
    """
    from amn.people.matching import romanizer

    found = [arabic_skeleton(arabic)] if arabic else []
    if latin:
        found.extend(latin_skeletons(latin))
    if arabic and romanizer.enabled():
        found.extend(
            latin_skeletons(spelling)[0]
            for spelling in romanizer.latin_candidates(arabic)
            if latin_skeletons(spelling)
        )
    return [skeleton for skeleton in dict.fromkeys(found) if skeleton]


def first_word_skeletons(arabic: str = "", latin: str = "") -> list[str]:
    """The skeletons of the first word of a name field of several words (Arabic, then the
    most likely Latin reading); [] for a one-word name."""
    found = []
    words = arabic_name_tokens(arabic)
    if len(words) > 1:
        found.append(arabic_word_skeleton(words[0]))
    words = latin_name_tokens(latin)
    if len(words) > 1:
        found.extend(_latin_word_readings(words[0])[:1])
    return [skeleton for skeleton in dict.fromkeys(found) if skeleton]
