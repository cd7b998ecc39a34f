"""Password rules with messages of our own catalogue.

Django 5.2 rewrote the minimum-length message and its Arabic catalogue has no translation of
the new wording yet, so Arabic pages showed it in English.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum-length rule (8 characters by default), message translated by Amn."""

    def get_error_message(self) -> str:
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
