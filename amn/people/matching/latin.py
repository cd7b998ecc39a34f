"""Normalisation of person names written in Latin script (French-style Maghrebi spellings
and English-style ones).

- `latin_name_tokens()` / `latin_name_normalise()`: the comparison form. Rules (issue 4,
  "Normalisation of Latin names"): case folded; accents removed (ç → c, é → e, ï → i …);
  apostrophes dropped ("M'hamed" → "mhamed"), hyphens and other punctuation become spaces;
  'abd' compounds joined ("Abd El Kader", "Abdel-Kader" → "abdelkader"); the particles
  ben / bin / ibn (all → "ben"), ould, ait, abou / abu / bou, oulad joined to the word that
  follows, with an article in between ("Ben Kirane" → "benkirane", "Aït Baha" → "aitbaha",
  "Abou El Hassan" → "abouelhassan"); otherwise a free-standing article
  el / al / ul / l and its assimilated forms (es, ech, ed, er, et, ez, en, ad, ar, as, at,
  az, an) dropped when a word follows ("El Alami" → "alami").
  The abbreviations "Med", "Mohd", "Mhd" are read as "Mohamed".
- `latin_fold()`: the spelling-variant form used to say that two spellings are the same
  name: double letters single; ou / u / w / o → u; e / a → a; i / y → i; ch / sh → sh;
  kh / x → kh; c before e, i, y → s, other c and q / ck → k; dj → j; ph → f; a final h or
  e dropped; and a table of very frequent given names whose variants differ by more than
  these rules (Mohamed / Mohammed / Muhammad / Mhamed …, Youssef / Yousef / Youcef / Yusuf
  …), each folded to one spelling.
"""

import re
import unicodedata

_NOT_LETTER = re.compile(r"[^a-z ]")
_APOSTROPHES = "'’‘ʼʻ`´"
# ç is "s" in Maghrebi spellings (Faïçal); ligatures spelt out.
_LIGATURES = str.maketrans(
    {"ç": "s", "Ç": "s", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe"}
)

ABD_FORMS = frozenset(
    {"abd", "abdel", "abdal", "abdul", "abdoul", "abdol", "abdil", "abde", "abdu", "abdo"}
)
# Particles joined to the word that follows (canonical spelling on the right).
JOINED_PARTICLES = {
    "ben": "ben",
    "bin": "ben",
    "ibn": "ben",
    "ould": "ould",
    "oulad": "oulad",
    "ait": "ait",
    "abou": "abou",
    "abu": "abou",
    "bou": "bou",
}
ARTICLES = frozenset(
    {
        "el", "al", "ul", "il", "l", "d",
        "es", "ech", "ed", "er", "et", "ez", "en", "esh",
        "ad", "ar", "as", "at", "az", "an", "ash", "ach",
    }
)  # fmt: skip

# Abbreviations written in registers and forms.
ABBREVIATIONS = {"med": "mohamed", "mohd": "mohamed", "mhd": "mohamed", "mmed": "mohamed"}

# Frequent given names whose usual Latin spellings the fold rules do not bring together.
_NAME_VARIANTS = {
    "muhamad": ("mohamed", "mohammed", "muhammad", "mohammad", "mohamad", "mouhamed",
                "mouhammed", "mhamed", "mohamd", "mhammed", "mohemmed", "mehmed", "mamed"),
    "yusaf": ("youssef", "yousef", "youcef", "yusuf", "yousouf", "youssouf", "yussuf",
              "yusef", "youssf", "yossef"),
    "ibrahim": ("brahim", "ibrahim", "ebrahim", "brahime", "ibraheem"),
    "ahmad": ("ahmed", "ahmad", "hmad", "hmed"),
    "mustafa": ("mustapha", "mustafa", "mostafa", "mostapha", "moustapha", "moustafa"),
    "abdallah": ("abdellah", "abdallah", "abdullah", "abdelah", "abdalah"),
    "ismail": ("ismail", "smail", "ismael", "esmail"),
    "idris": ("driss", "idriss", "idris", "dris"),
    "aisha": ("aicha", "aisha", "aycha", "aiche", "aichah", "ayesha", "aisa"),
    "khadija": ("khadija", "khadidja", "khadijah", "kadija", "khaddouj"),
    "fatima": ("fatima", "fatma", "fatimah", "fatena", "fetouma", "fatiema"),
}  # fmt: skip
NAME_VARIANTS = {
    spelling: name for name, spellings in _NAME_VARIANTS.items() for spelling in spellings
}

_FOLD_STEPS = (
    (re.compile(r"([a-z])\1+"), r"\1"),
    (re.compile(r"(sch|sh|ch)"), "\x01"),
    (re.compile(r"(kh|x)"), "\x02"),
    (re.compile(r"c(?=[eiy])"), "s"),
    (re.compile(r"(ck|c|q)"), "k"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"(ou|w|o)"), "u"),
    (re.compile(r"e"), "a"),
    (re.compile(r"y"), "i"),
    (re.compile(r"([a-z\x01\x02])\1+"), r"\1"),
    (re.compile(r"(?<=.)[ha]$"), ""),
)


def latin_ascii(text: str) -> str:
    """Lower-case ASCII letters and single spaces: accents removed, apostrophes dropped,
    anything else that is not a letter becomes a space."""
    text = (text or "").translate(_LIGATURES)
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(
        ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _APOSTROPHES
    )
    return " ".join(_NOT_LETTER.sub(" ", kept.casefold()).split())


def latin_name_tokens(text: str) -> list[str]:
    """The words of one Latin name field in comparison form (see the module docstring).

    Args:
        text: a given name or a family name as written, e.g. "Abd-El-Kader".
    Returns:
        list of str, e.g. ["abdelkader"]; empty when `text` holds no Latin letter.
    """
    words = [ABBREVIATIONS.get(word, word) for word in latin_ascii(text).split()]
    joined: list[str] = []
    pending = ""
    for position, word in enumerate(words):
        last = position == len(words) - 1
        if pending:
            # After a particle everything is joined, article included, as the Arabic
            # spelling keeps it (Abdelkader عبدالقادر, Aboulahcen ابوالحسن).
            pending += JOINED_PARTICLES.get(word, word)
            if last or not (word in ABD_FORMS or word in JOINED_PARTICLES or word in ARTICLES):
                joined.append(pending)
                pending = ""
        elif not last and (word in ABD_FORMS or word in JOINED_PARTICLES):
            pending = JOINED_PARTICLES.get(word, word)
        elif not (word in ARTICLES and not last):
            joined.append(word)
    if pending:
        joined.append(pending)
    return joined


def latin_name_normalise(text: str) -> str:
    """One Latin name field in comparison form, words joined by single spaces.

    Example: "Abd El-Kader  BEN KIRANE" → "abdelkader benkirane".
    """
    return " ".join(latin_name_tokens(text))


def latin_fold_word(word: str) -> str:
    """One normalised word in spelling-variant form (see the module docstring)."""
    if word in NAME_VARIANTS:
        return NAME_VARIANTS[word]
    for pattern, replacement in _FOLD_STEPS:
        word = pattern.sub(replacement, word)
    return word.replace("\x01", "sh").replace("\x02", "kh")


def latin_fold(text: str) -> str:
    """One Latin name field in spelling-variant form, words joined by single spaces.

    Example: "Youcef Echcherkaoui" → "yusaf ashirkaui".
    """
    return " ".join(latin_fold_word(word) for word in latin_name_tokens(text))
