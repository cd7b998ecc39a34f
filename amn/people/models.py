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
    birth_place = models.ForeignKey(
        "geo.Commune",
        verbose_name=_("place of birth"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    father_given_name = models.CharField(_("father's given name"), max_length=100, blank=True)
    mother_given_name = models.CharField(_("mother's given name"), max_length=100, blank=True)
    registry_id = models.CharField(
        _("registry identifier"),
        max_length=40,
        null=True,
        blank=True,
        unique=True,
        help_text=_("The `person_id` of the records registry this person was imported from."),
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


class PersonMatchKey(models.Model):
    """A blocking key of a person for identity matching (amn.people.matching): candidates for
    an applicant are the persons sharing one of the applicant's keys, found through the index
    on `key` — never by scanning the registry."""

    # No index of its own: the unique (person, key) index serves lookups by person.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="match_keys", db_index=False
    )
    key = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("match key")
        verbose_name_plural = _("match keys")
        indexes = [models.Index(fields=["key", "person"], name="people_matchkey_key_idx")]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="people_matchkey_unique")
        ]

    def __str__(self) -> str:
        return f"match key of person {self.person_id}"


class JudicialRecord(TimeStampedModel):
    """A conviction recorded against a person (the content of the criminal-record
    certificate): court, date of judgment, offence (ICCS), sentence, and the date from which
    it no longer appears on certificates (rehabilitation or expiry), if any."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="convictions"
    )
    court = models.CharField(_("court"), max_length=200)
    judgment_date = models.DateField(_("date of judgment"))
    offence = models.ForeignKey(
        "cases.IccsCategory",
        verbose_name=_("offence (ICCS)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sentence = models.CharField(_("sentence"), max_length=300)
    cleared_on = models.DateField(
        _("rehabilitation or expiry date"),
        null=True,
        blank=True,
        help_text=_("From this date the conviction no longer appears on certificates."),
    )

    class Meta:
        ordering = ["person", "-judgment_date", "id"]
        verbose_name = _("conviction")
        verbose_name_plural = _("convictions")
        constraints = [
            models.CheckConstraint(
                name="conviction_cleared_after_judgment",
                condition=Q(cleared_on__isnull=True) | Q(cleared_on__gte=models.F("judgment_date")),
            ),
        ]

    def __str__(self) -> str:
        return f"conviction {self.id}"
