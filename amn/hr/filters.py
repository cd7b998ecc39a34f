"""The FilterSet of the staff list, shared by the staff page (and any later API or export).

Parameters (all optional): `unit` (code of a unit in the actor's scope: that unit and every
unit below it), `corps`, `grade`, `in_service` ("yes": not left; "no": left).
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from amn.access.filters import UnitSubtreeFilter, scope_units
from amn.hr.choices import Corps, Grade
from amn.hr.models import StaffMember
from amn.orgunits.models import OrgUnit


class StaffMemberFilter(django_filters.FilterSet):
    """Filters of the staff list (see the module docstring); `actor` limits the units."""

    unit = UnitSubtreeFilter(
        label=_("Police unit (and the units below it)"),
        queryset=OrgUnit.objects.none(),
        to_field_name="code",
        method="filter_unit",
        empty_label="—",
    )
    corps = django_filters.ChoiceFilter(label=_("Corps"), choices=Corps.choices, empty_label="—")
    grade = django_filters.ChoiceFilter(label=_("Grade"), choices=Grade.choices, empty_label="—")
    in_service = django_filters.ChoiceFilter(
        label=_("In service"),
        choices=(("yes", _("In service")), ("no", _("Left the service"))),
        method="filter_in_service",
        empty_label="—",
    )

    class Meta:
        model = StaffMember
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, actor, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.filters["unit"].queryset = scope_units(actor=actor)

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path)

    def filter_in_service(self, queryset, name, value):
        return queryset.filter(left_on__isnull=value == "yes")

    def applied(self) -> dict[str, str]:
        """The filters in use, as strings, for the audit trail (after `is_valid()`)."""
        return {
            name: value.code if isinstance(value, OrgUnit) else str(value)
            for name, value in self.form.cleaned_data.items()
            if value not in (None, "")
        }
