"""The one place where numbers and dates are formatted for people to read.

Numbers follow the Moroccan convention of the active language through Django's l10n
format modules in `amn.core.formats` (ar and fr: 3.685.964 and 95,5; en: 3,685,964 and
95.5). Dates use Babel with the Moroccan locales (ar_MA writes "17 دجنبر 2025", the
month names of the DGSN release). Store raw values; format only on output. CSV and API
output keep ISO dates and raw numbers.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel import dates as babel_dates
from django.utils import formats, translation

BABEL_LOCALES = {"ar": "ar_MA", "fr": "fr_MA", "en": "en"}


def babel_locale(language: str | None = None) -> str:
    """Babel locale name (str) for a UI language code; the active language by default."""
    code = (language or translation.get_language() or "ar").split("-")[0]
    return BABEL_LOCALES.get(code, BABEL_LOCALES["ar"])


def format_number(
    value: int | float | Decimal | None, decimals: int | None = None, language: str | None = None
) -> str:
    """Format a number with the grouping and decimal mark of `language` (active by default).

    Args:
        value: the number; None gives "—".
        decimals: fixed number of decimal places, or None to keep the value's own.
        language: "ar", "fr" or "en"; unknown codes fall back to Arabic.
    Returns:
        str, e.g. format_number(3685964, language="fr") == "3.685.964".
    """
    if value is None:
        return "—"
    code = (language or translation.get_language() or "ar").split("-")[0]
    if code not in BABEL_LOCALES:
        code = "ar"
    if decimals is not None:
        # Django's number_format truncates extra decimals; round half up first (95.46 → 95.5).
        value = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    with translation.override(code):
        return formats.number_format(
            value, decimal_pos=decimals, use_l10n=True, force_grouping=True
        )


def format_percent(
    value: int | float | Decimal | None, decimals: int = 1, language: str | None = None
) -> str:
    """Format a percentage given in percent units (95.0 → "95,0 %" in ar/fr, "95.0%" in en)."""
    if value is None:
        return "—"
    number = format_number(value, decimals=decimals, language=language)
    code = babel_locale(language)
    return f"{number}%" if code == "en" else f"{number}\u00a0%"


def format_date(
    value: datetime.date | datetime.datetime | None,
    style: str = "long",
    language: str | None = None,
) -> str:
    """Format a date for reading: style "long" (17 دجنبر 2025) or "short" (17/12/2025).

    Datetimes are converted to Africa/Casablanca local time first. None gives "—".
    """
    if value is None:
        return "—"
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        value = timezone.localtime(value).date()
    pattern = "dd/MM/y" if style == "short" else "long"
    return babel_dates.format_date(value, format=pattern, locale=babel_locale(language))


def format_country(code: str | None, language: str | None = None) -> str:
    """The name of an ISO 3166-1 alpha-2 country code in the UI language ("MA" → "المغرب",
    "Maroc", "Morocco"); the code itself when unknown, "—" when empty."""
    if not code:
        return "—"
    return Locale.parse(babel_locale(language)).territories.get(code.upper(), code)
