"""Writes of user accounts."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.phones import phone_normalise
from amn.core.errors import DomainError
from amn.core.text_input import clean_text


def _insert_account(user: User, password: str, *, taken: str) -> User:
    """Hash `password` and insert `user`; a unique-index clash (a concurrent request took
    the same username, e-mail or phone first) becomes DomainError(`taken`)."""
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise DomainError(taken) from None
    return user


@transaction.atomic
def staff_account_create(
    *,
    actor,
    username: str,
    password: str,
    role: str,
    unit,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> User:
    """Create a staff account with one role and one police unit.

    Administrators also get Django's admin site (is_staff, is_superuser); other roles work
    in the back office only.

    Raises:
        DomainError: citizen role, missing unit, or a username already taken.
    """
    if role == Role.CITIZEN or role not in Role.values:
        raise DomainError(_("Choose a staff role."))
    if unit is None:
        raise DomainError(_("A staff account belongs to one police unit."))
    if User.objects.filter(username=username).exists():
        raise DomainError(_("This username is already taken."))
    administrator = role == Role.ADMINISTRATOR
    user = User(
        username=username,
        role=role,
        unit=unit,
        first_name=first_name,
        last_name=last_name,
        email=email or "",
        is_staff=administrator,
        is_superuser=administrator,
    )
    return _insert_account(user, password, taken=_("This username is already taken."))


EMAIL_MAX_LENGTH = 150  # the e-mail becomes the username, which Django caps at 150


@transaction.atomic
def citizen_register(
    *, email: str = "", phone: str = "", password: str, first_name: str = "", last_name: str = ""
) -> User:
    """Create a citizen account identified by e-mail and/or a Moroccan phone number.

    Returns:
        User with role CITIZEN; its username is the e-mail, else the normalised phone.
    Raises:
        DomainError: a missing name (after dropping invisible characters), neither
            identifier, an invalid phone, an e-mail over 150 characters, an identifier
            already in use (also when a concurrent request took it first), or a password
            the validators refuse (messages joined).
    """
    first_name, last_name = clean_text(first_name), clean_text(last_name)
    if not first_name or not last_name:
        raise DomainError(_("Give your given name and family name."))
    email = (email or "").strip().lower()
    normalised_phone = phone_normalise(phone) if phone else None
    if phone and not normalised_phone:
        raise DomainError(_("Enter a Moroccan phone number such as 0612345678."))
    if len(email) > EMAIL_MAX_LENGTH:
        raise DomainError(_("An e-mail address of at most 150 characters, please."))
    if not email and not normalised_phone:
        raise DomainError(_("Give an e-mail address or a phone number."))
    if email and User.objects.filter(email__iexact=email).exists():
        raise DomainError(_("An account already uses this e-mail address."))
    if normalised_phone and User.objects.filter(phone=normalised_phone).exists():
        raise DomainError(_("An account already uses this phone number."))
    user = User(
        username=email or normalised_phone,
        email=email,
        phone=normalised_phone,
        role=Role.CITIZEN,
        first_name=first_name,
        last_name=last_name,
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from None
    return _insert_account(
        user, password, taken=_("An account already uses this e-mail address or phone number.")
    )
