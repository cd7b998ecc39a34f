"""Checks of what applicants and staff type, kept apart from the writes so that forms, the
API and the services give the same messages.

Each check fills a dict {field name: [message, …]} instead of stopping at the first
problem, so that every wrong field is shown at once next to itself.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from amn.core.digits import ascii_digits
from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.permits.countries import MOROCCO, is_country

NAME_MAX = 100
PASSPORT = re.compile(r"^[A-Z0-9]{5,20}$")
PHONE = re.compile(r"^\+?[0-9]{6,15}$")
CARD_NUMBER = re.compile(r"^[A-Z]{2}[0-9]{8}$")
_NAME_PUNCTUATION = frozenset(" -'’.")
OLDEST_AGE_YEARS = 120


class InvalidInput(DomainError):
    """Input refused field by field.

    Attributes:
        errors (dict[str, list[str]]): messages by field name (the names of the forms and
            API schemas); "__all__" for problems that belong to no single field.
    """

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


@dataclass
class Problems:
    """Collects messages by field; `raise_if_any()` raises InvalidInput."""

    errors: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record `message` against the field `name`."""
        self.errors.setdefault(name, []).append(message)

    def __contains__(self, name: str) -> bool:
        return name in self.errors

    def raise_if_any(self) -> None:
        """Raise InvalidInput with every message collected, if any."""
        if self.errors:
            raise InvalidInput(self.errors)


def passport_number_normalise(value: str) -> str:
    """Uppercase ASCII without spaces or hyphens ("ab 12-345٦" → "AB123456")."""
    return re.sub(r"[\s\-]", "", ascii_digits(value or "")).upper()


def card_number_normalise(value: str) -> str:
    """Uppercase ASCII without spaces ("ci 0000 0012" → "CI00000012")."""
    return re.sub(r"\s", "", ascii_digits(value or "")).upper()


def name_check(problems: Problems, name: str, value: str) -> str:
    """A family or given name: required, at most 100 characters, letters with spaces,
    hyphens, apostrophes and full stops only (as printed in a passport). Returns it cleaned."""
    text = clean_text(value)
    if not text:
        problems.add(name, _("This field is required."))
    elif len(text) > NAME_MAX:
        problems.add(name, _("At most %(max)d characters.") % {"max": NAME_MAX})
    elif not any(ch.isalpha() for ch in text) or any(
        not (ch in _NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LM") for ch in text
    ):
        problems.add(name, _("Write the name as in the passport: letters only, no digits."))
    return text


def nationality_check(problems: Problems, value: str) -> str:
    """An ISO 3166-1 alpha-2 country code other than Morocco's; returns it uppercase."""
    code = (value or "").strip().upper()
    if not code:
        problems.add("nationality", _("This field is required."))
    elif code == MOROCCO:
        problems.add(
            "nationality",
            _("Moroccan nationals need neither a residence permit nor a visa."),
        )
    elif not is_country(code):
        problems.add("nationality", _("Choose a nationality from the list."))
    return code


def passport_check(
    problems: Problems, number: str, expires_on: datetime.date | None, *, today: datetime.date
) -> str:
    """Passport number (5 to 20 letters and digits) and an expiry date not yet passed;
    returns the normalised number."""
    normalised = passport_number_normalise(number)
    if not normalised:
        problems.add("passport_number", _("This field is required."))
    elif not PASSPORT.match(normalised):
        problems.add("passport_number", _("A passport number has 5 to 20 letters and digits."))
    if expires_on is None:
        problems.add("passport_expires_on", _("This field is required."))
    elif expires_on < today:
        problems.add(
            "passport_expires_on", _("This passport has expired: renew it before applying.")
        )
    return normalised


def birth_date_check(problems: Problems, value: datetime.date | None, *, today: datetime.date):
    """A date of birth neither in the future nor more than 120 years ago."""
    if value is None:
        problems.add("birth_date", _("This field is required."))
    elif value > today:
        problems.add("birth_date", _("The date of birth cannot be in the future."))
    elif value.year < today.year - OLDEST_AGE_YEARS:
        problems.add("birth_date", _("Check the date of birth."))


def contact_check(problems: Problems, email: str, phone: str) -> tuple[str, str]:
    """A valid e-mail address (required: notices are sent there) and an optional phone of
    6 to 15 digits with an optional leading "+"; returns both normalised."""
    email = (email or "").strip()
    if not email:
        problems.add("email", _("This field is required."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            problems.add("email", _("Enter a valid e-mail address."))
        else:
            local, _at, domain = email.rpartition("@")
            email = f"{local}@{domain.lower()}"
    phone = re.sub(r"[\s\-().]", "", ascii_digits(phone or ""))
    if phone and not PHONE.match(phone):
        problems.add(
            "phone",
            _("Enter 6 to 15 digits, with the country code (+…) for a number outside Morocco."),
        )
    return email, phone


def detail_check(problems: Problems, name: str, value: str, *, required: bool) -> str:
    """Free text of at most 300 characters, required when `required`; returns it cleaned."""
    text = clean_text(value)
    if required and not text:
        problems.add(name, _("Give the details when you choose “Other”."))
    elif len(text) > 300:
        problems.add(name, _("At most %(max)d characters.") % {"max": 300})
    return text


def choice_check(problems: Problems, name: str, value: str, choices) -> str:
    """`value` must be one of `choices` (a TextChoices class)."""
    if value not in choices.values:
        problems.add(name, _("Select a valid choice."))
    return value


def stay_check(
    problems: Problems,
    *,
    entry: datetime.date | None,
    exit: datetime.date | None,
    passport_expires_on: datetime.date | None,
    today: datetime.date,
    max_stay_days: int,
    max_validity_days: int,
) -> None:
    """Intended dates of a visa application: entry not in the past, departure not before
    entry, a stay of at most `max_stay_days` days (both ends included) ending within
    `max_validity_days` days from today, and a passport valid until the departure."""
    if entry is None:
        problems.add("intended_entry_on", _("This field is required."))
    elif entry < today:
        problems.add("intended_entry_on", _("The date of entry is in the past."))
    if exit is None:
        problems.add("intended_exit_on", _("This field is required."))
    if entry is None or exit is None:
        return
    if exit < entry:
        problems.add("intended_exit_on", _("The date of departure is before the date of entry."))
        return
    days = (exit - entry).days + 1
    if days > max_stay_days:
        problems.add(
            "intended_exit_on",
            _("A stay may last at most %(max)d days; these dates make %(days)d days.")
            % {"max": max_stay_days, "days": days},
        )
    last_day = today + datetime.timedelta(days=max_validity_days - 1)
    if exit > last_day and "intended_entry_on" not in problems:
        problems.add(
            "intended_exit_on",
            _("The stay must end within %(days)d days from today (the longest validity of a visa).")
            % {"days": max_validity_days},
        )
    if (
        passport_expires_on is not None
        and passport_expires_on < exit
        and "passport_expires_on" not in problems
    ):
        problems.add("passport_expires_on", _("The passport expires before the end of the stay."))
