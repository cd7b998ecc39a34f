"""The FilterSets of the permit worklists, shared by the staff pages and the API.

Parameters (all optional): `unit` (code of a unit in the actor's scope: that unit and
every unit below it), `status`, `reason` / `kind` (residence) or `purpose` (visas),
`reference` (part of the reference), `submitted_from` / `submitted_to` (ISO dates,
inclusive, Africa/Casablanca days).
"""

import datetime

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.access.filters import UnitSubtreeFilter, scope_units
from amn.orgunits.models import OrgUnit
from amn.permits.choices import (
    ApplicationKind,
    ResidenceReason,
    ResidenceStatus,
    VisaPurpose,
    VisaStatus,
)
from amn.permits.forms import DATE_WIDGET
from amn.permits.models import ResidenceApplication, VisaApplication


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class _ApplicationFilter(django_filters.FilterSet):
    unit = UnitSubtreeFilter(
        label=_("Handling unit (and the units below it)"),
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        method="filter_unit",
        empty_label="—",
    )
    reference = django_filters.CharFilter(
        label=_("Reference"), field_name="reference", lookup_expr="icontains", max_length=24
    )
    submitted_from = django_filters.DateFilter(
        label=_("Submitted from"), method="filter_submitted_from", widget=DATE_WIDGET
    )
    submitted_to = django_filters.DateFilter(
        label=_("Submitted until"), method="filter_submitted_to", widget=DATE_WIDGET
    )

    def __init__(self, data=None, queryset=None, *, actor, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["unit"].queryset = scope_units(actor=actor)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(handling_unit__path__startswith=value.path)

    # Day boundaries are computed in Python (Africa/Casablanca from the tzdata package), not
    # by the database server, whose time-zone files may predate Morocco's 2026 change.
    def filter_submitted_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_submitted_to(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def applied(self) -> dict[str, str]:
        """The filters in use, as strings, for the audit trail (after `is_valid()`)."""
        return {
            name: value.code if isinstance(value, OrgUnit) else str(value)
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }


class ResidenceApplicationFilter(_ApplicationFilter):
    """Filters of the residence-permit worklist."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ResidenceStatus.choices, empty_label="—"
    )
    reason = django_filters.ChoiceFilter(
        label=_("Reason of stay"), choices=ResidenceReason.choices, empty_label="—"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Application"), choices=ApplicationKind.choices, empty_label="—"
    )

    class Meta:
        model = ResidenceApplication
        fields: list[str] = []


class VisaApplicationFilter(_ApplicationFilter):
    """Filters of the visa worklist."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=VisaStatus.choices, empty_label="—"
    )
    purpose = django_filters.ChoiceFilter(
        label=_("Purpose of the journey"), choices=VisaPurpose.choices, empty_label="—"
    )

    class Meta:
        model = VisaApplication
        fields: list[str] = []
