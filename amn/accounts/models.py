"""User accounts: staff (one role, one police unit) and citizens (e-mail or phone)."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amn.accounts.choices import Role
from amn.accounts.phones import phone_normalise


class User(AbstractUser):
    """An Amn account.

    Staff accounts carry a staff role and belong to exactly one org unit (database
    constraint); citizen accounts have no unit and sign in with e-mail or phone.
    `phone` is stored normalised to E.164 digits with a leading "+" (see phone_normalise).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices, default=Role.CITIZEN)
    unit = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("police unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=20, null=True, blank=True, unique=True)
    grade = models.CharField(_("grade"), max_length=80, blank=True)

    class Meta(AbstractUser.Meta):
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                name="staff_has_unit",
                condition=Q(role=Role.CITIZEN, unit__isnull=True)
                | (~Q(role=Role.CITIZEN) & Q(unit__isnull=False)),
            ),
        ]

    def clean(self):
        """Normalise the phone as sign-in does, so one number has one spelling (admin forms)."""
        super().clean()
        if self.phone:
            normalised = phone_normalise(self.phone)
            if normalised is None:
                raise ValidationError(
                    {"phone": _("Enter a Moroccan phone number such as 0612345678.")}
                )
            self.phone = normalised

    @property
    def is_staff_member(self) -> bool:
        """True for every role other than citizen."""
        return self.role != Role.CITIZEN
