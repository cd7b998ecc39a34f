"""Fields stored once per UI language (`name_ar`, `name_fr`, `name_en`) and read in the
active language."""

from django.utils import translation

FALLBACK_ORDER = ("ar", "fr", "en")


def localized(obj: object, base: str, language: str | None = None) -> str:
    """Return `obj.<base>_<language>`, falling back through Arabic, French, English.

    Args:
        obj: any object with attributes such as `name_ar`, `name_fr`, `name_en`.
        base: the attribute stem, e.g. "name".
        language: UI language code; the active language by default.
    Returns:
        str: the first non-empty value, or "" when every language is empty.
    """
    code = (language or translation.get_language() or "ar").split("-")[0]
    for candidate in (code, *FALLBACK_ORDER):
        value = getattr(obj, f"{base}_{candidate}", "")
        if value:
            return value
    return ""
