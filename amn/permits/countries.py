"""Countries for the nationality of applicants: ISO 3166-1 alpha-2 codes named by Babel
(CLDR) in the UI language."""

from functools import cache

from babel import Locale

from amn.core.locale_format import babel_locale

# CLDR territories with two-letter codes that are not ISO 3166-1 countries: groupings (EU,
# eurozone, UN, outlying Oceania), "unknown region", pseudo-locale and user-assigned codes
# (XA, XB, XK) and the exceptionally reserved codes (AC, CP, CQ, DG, EA, IC, TA).
# "EH" is left out as well: for Morocco that territory is part of the Kingdom, and its
# people are Moroccan nationals.
_NOT_COUNTRIES = frozenset(
    {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB", "XK", "AC", "CP", "CQ", "DG", "EA", "IC", "TA"}
    | {"EH"}
)
MOROCCO = "MA"


@cache
def _country_codes() -> frozenset[str]:
    territories = Locale.parse("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in _NOT_COUNTRIES
    )


def is_country(code: str) -> bool:
    """True when `code` (uppercase) is an ISO 3166-1 alpha-2 country code known to CLDR."""
    return code in _country_codes()


def country_choices(*, language: str | None = None, exclude: frozenset[str] = frozenset()):
    """[(code, name)] of every country but `exclude`, sorted by name in `language` (the
    active UI language by default)."""
    names = Locale.parse(babel_locale(language)).territories
    rows = [(code, names.get(code, code)) for code in _country_codes() - exclude]
    return sorted(rows, key=lambda row: row[1].casefold())
