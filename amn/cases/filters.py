"""The one FilterSet of criminal cases, shared by the staff list pages and the API.

Parameters (all optional): `unit` (code of a unit in the actor's scope: that unit and
every unit below it), `recorded_from` / `recorded_to` (ISO dates, inclusive bounds of the
recording date), `iccs_section` (two-digit ICCS section code: cases with at least one
offence in that section), `status` (a CaseStatus value), `in_inbox` (true: cases waiting
in the validation inbox; false: cases counted in the figures), `reference` (part of the
reference number).
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from amn.access.filters import UnitSubtreeFilter, scope_units
from amn.cases.choices import CaseStatus
from amn.cases.models import Case, IccsCategory, Offence
from amn.core.localized_fields import localized
from amn.orgunits.models import OrgUnit

DATE = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


def iccs_sections() -> list[tuple[str, str]]:
    """The ICCS sections (level 1) as (code, "code label") in the active language."""
    return [
        (category.code, f"{category.code} {localized(category, 'label')}")
        for category in IccsCategory.objects.filter(level=1).order_by("code")
    ]


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list; `actor` limits the units one may choose (a unit outside
    one's scope is an invalid choice, not an empty result)."""

    unit = UnitSubtreeFilter(
        label=_("Unit (and the units below it)"),
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        method="filter_unit",
        empty_label="—",
    )
    recorded_from = django_filters.DateFilter(
        label=_("Recorded from"), field_name="recorded_on", lookup_expr="gte", widget=DATE
    )
    recorded_to = django_filters.DateFilter(
        label=_("Recorded until"), field_name="recorded_on", lookup_expr="lte", widget=DATE
    )
    iccs_section = django_filters.ChoiceFilter(
        label=_("ICCS section"), choices=[], method="filter_iccs_section", empty_label="—"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=CaseStatus.choices, empty_label="—"
    )
    in_inbox = django_filters.BooleanFilter(
        label=_("Validation"),
        method="filter_in_inbox",
        widget=forms.Select(
            choices=[
                ("", "—"),
                ("true", _("Waiting in the validation inbox")),
                ("false", _("Counted in the figures")),
            ]
        ),
    )
    reference = django_filters.CharFilter(
        label=_("Reference"), field_name="reference", lookup_expr="icontains", max_length=24
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, actor, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["unit"].queryset = scope_units(actor=actor)
        self.filters["iccs_section"].extra["choices"] = iccs_sections()

    def filter_unit(self, queryset, name, value):
        return queryset.filter(recording_unit__path__startswith=value.path)

    def filter_iccs_section(self, queryset, name, value):
        in_section = Offence.objects.filter(case=OuterRef("pk"), iccs__code__startswith=value)
        return queryset.filter(Exists(in_section))

    def filter_in_inbox(self, queryset, name, value):
        return queryset.filter(is_valid=not value)

    def applied(self) -> dict[str, str]:
        """The filters in use, as strings (unit code, ISO dates), for the audit trail.
        Call after checking `is_valid()`."""
        applied = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, ""):
                continue
            applied[name] = value.code if isinstance(value, OrgUnit) else str(value)
        return applied
