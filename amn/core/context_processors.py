"""Context shared by every page of the shell."""

from django.conf import settings
from django.utils import translation


def shell(request):
    """Add `languages` [(code, native name)], `text_dir` ("rtl"/"ltr") for the layout."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    native = {"ar": "العربية", "fr": "Français", "en": "English"}
    return {
        "languages": [(code, native[code]) for code, _name in settings.LANGUAGES],
        "text_dir": "rtl" if translation.get_language_bidi() else "ltr",
        "current_language": current,
    }
