"""The one FilterSet of CNIE applications, shared by the staff worklist and the API.

Parameters (all optional): `status` (an ApplicationStatus value), `kind` (an
ApplicationKind value), `reference` (the reference as typed; exact match after
normalisation), `submitted_from` / `submitted_to` (ISO dates, inclusive, local days).
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.idcards.choices import ApplicationKind, ApplicationStatus
from amn.idcards.models import CnieApplication
from amn.idcards.numbers import normalise_reference

DATE = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def _day_start(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_default_timezone())


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the CNIE worklist."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ApplicationStatus.choices, empty_label="—"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=ApplicationKind.choices, empty_label="—"
    )
    reference = django_filters.CharFilter(label=_("Reference"), method="filter_reference")
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), method="filter_from", widget=DATE
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"), method="filter_to", widget=DATE
    )

    class Meta:
        model = CnieApplication
        fields = ["status", "kind"]

    def filter_reference(self, queryset, name, value):
        """The application of this reference (as typed, normalised)."""
        return queryset.filter(reference=normalise_reference(value)) if value else queryset

    def filter_from(self, queryset, name, value):
        """Submitted on or after local day `value`."""
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_to(self, queryset, name, value):
        """Submitted on or before local day `value`."""
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def applied(self) -> dict:
        """The filters applied, as JSON-safe values (for the audit event)."""
        return {
            key: str(value)
            for key, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
