"""The person registry (minimal: identity attributes and the recording unit)."""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from amn.core.models import TimeStampedModel
from amn.people.choices import Sex


class Person(TimeStampedModel):
    """A person known to the police, addressed outside the back office by `id` (UUID) only.

    A birth date known only by its year stays a year: `birth_year` is set and `birth_date`
    is empty. `cnie_number` is the CNIE number, uppercase without spaces.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    family_name_ar = models.CharField(_("family name (Arabic)"), max_length=100, blank=True)
    given_name_ar = models.CharField(_("given name (Arabic)"), max_length=100, blank=True)
    family_name_latin = models.CharField(_("family name (Latin)"), max_length=100, blank=True)
    given_name_latin = models.CharField(_("given name (Latin)"), max_length=100, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    nationality = models.CharField(
        _("nationality"), max_length=2, default="MA", help_text=_("ISO 3166-1 alpha-2 code.")
    )
    cnie_number = models.CharField(
        _("CNIE number"), max_length=10, null=True, blank=True, unique=True
    )
    recorded_by = models.ForeignKey(
        "orgunits.OrgUnit",
        verbose_name=_("recording unit"),
        on_delete=models.PROTECT,
        related_name="persons",
    )

    class Meta:
        ordering = ["family_name_latin", "given_name_latin", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.CheckConstraint(
                name="birth_date_or_year",
                condition=Q(birth_date__isnull=True) | Q(birth_year__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"person {self.id}"
