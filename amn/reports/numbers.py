"""Numbers as the annual report prints them, in one language and numbering system.

Grouping and decimal marks follow the Moroccan convention of the language
(amn.core.locale_format: 3.685.964 and 95,5 in ar/fr; 3,685,964 and 95.5 in en). With
numerals "arab" the digits are Arabic-Indic and the marks Arabic (U+066C thousands
separator, U+066B decimal separator, U+066A percent sign): ٣٬٦٨٥٬٩٦٤, ٩٥٫٥ ٪.
A change carries its sign, U+2212 for a fall ("−10 %"); a whole change drops its ",0".
"""

from amn.core.locale_format import format_number

NUMERALS = ("latn", "arab")
MINUS = "\u2212"
NBSP = "\u00a0"
_ARABIC_INDIC = str.maketrans("0123456789,.%", "٠١٢٣٤٥٦٧٨٩٬٫٪")


def number_text(
    value: int | float | None, *, decimals: int | None, language: str, numerals: str
) -> str:
    """`value` with `decimals` places (None: its own) in `language`'s format and `numerals`
    ("latn" or "arab"); "—" for None.

    Raises:
        ValueError: unknown numerals.
    """
    if numerals not in NUMERALS:
        raise ValueError(f"unknown numerals {numerals!r}: use latn or arab")
    if value is None:
        return "—"
    if numerals == "arab":
        # English marks first (comma groups, dot decimals), then each mark its Arabic form.
        return format_number(value, decimals=decimals, language="en").translate(_ARABIC_INDIC)
    return format_number(value, decimals=decimals, language=language)


def percent_text(value: float | None, *, decimals: int, language: str, numerals: str) -> str:
    """A value in percent units: "95 %" (ar/fr), "95%" (en), "٩٥ ٪" (arab); "—" for None."""
    if value is None:
        return "—"
    number = number_text(value, decimals=decimals, language=language, numerals=numerals)
    if numerals == "arab":
        return f"{number}{NBSP}٪"
    return f"{number}%" if language == "en" else f"{number}{NBSP}%"


def change_text(change: float | None, *, language: str, numerals: str) -> str:
    """A year-over-year change in percent with its sign: "+20 %", "−10 %", "−9,7 %" (ar/fr),
    "−10%" (en); "0 %" without sign; "—" for None (no previous value)."""
    if change is None:
        return "—"
    decimals = 0 if float(change).is_integer() else 1
    sign = "+" if change > 0 else MINUS if change < 0 else ""
    return sign + percent_text(abs(change), decimals=decimals, language=language, numerals=numerals)
