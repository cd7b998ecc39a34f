"""The unit filter of every staff worklist (django-filter): a unit of the actor's scope,
chosen by its code, standing for that unit and every unit below it."""

import django_filters

from amn.access.scoping import is_national
from amn.core.localized_fields import localized
from amn.orgunits.models import OrgUnit


def scope_units(*, actor):
    """Units `actor` may filter on: their subtree, or every unit for national roles (closed
    units included: their records stay on record). Ordered by tree path."""
    units = OrgUnit.objects.order_by("path")
    if is_national(actor):
        return units
    if getattr(actor, "unit", None) is None:
        return units.none()
    return units.filter(path__startswith=actor.unit.path)


class UnitField(django_filters.fields.ModelChoiceField):
    """A unit shown by its name in the active language, submitted by its code."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """A unit chosen by its code; the FilterSet's method filters on that unit's subtree.
    Its queryset is set per actor with scope_units (a unit outside the scope is an invalid
    choice, not an empty result)."""

    field_class = UnitField
