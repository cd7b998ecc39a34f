"""Reads of the police-unit tree. Units themselves are public facts: no unit scoping here."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr

from amn.core.text_search import search_fold
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit, UnitEvent


def unit_events_in_year(*, year: int) -> QuerySet[UnitEvent]:
    """Every status change effective in `year` (calendar year), oldest first."""
    return (
        UnitEvent.objects.filter(effective_on__year=year)
        .select_related(
            "unit",
            "from_type",
            "to_type",
            "from_parent",
            "to_parent",
            "from_commune",
            "to_commune",
            "unit__commune",
        )
        .order_by("effective_on", "id")
    )


def with_parent_code(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """Annotate `parent_code` (str | None) in the same query: the parent's path is the
    unit's path minus its last step."""
    parent = OrgUnit.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - OrgUnit.steplen)
    )
    return units.annotate(parent_code=Subquery(parent.values("code")[:1]))


def station_list(*, city: str = "") -> QuerySet[OrgUnit]:
    """Active units that serve the public, optionally in communes whose Arabic or French name
    contains `city` once both are folded (case, accents, hamza: "Fes" finds Fès, "اكادير"
    finds أكادير); ordered by commune then unit code; `parent_code` annotated."""
    units = OrgUnit.objects.filter(status=UnitStatus.ACTIVE, serves_public=True)
    folded = search_fold(city)
    if folded:
        units = units.filter(commune__search_name__contains=folded)
    return with_parent_code(
        units.select_related("commune", "commune__province", "unit_type").order_by(
            "commune__name_fr", "code"
        )
    )


def unit_subtree(*, unit: OrgUnit) -> QuerySet[OrgUnit]:
    """The unit and every unit below it (materialised-path prefix)."""
    return OrgUnit.objects.filter(path__startswith=unit.path)


def national_units() -> QuerySet[OrgUnit]:
    """The units of the national tree: the first root of a national unit type (the
    directorate-general) and every unit below it. Trees imported with foreign incident
    records (amn import-incidents: US-CHI …) stay out. Empty when no such root exists."""
    root = OrgUnit.objects.filter(depth=1, unit_type__is_national=True).order_by("path").first()
    if root is None:
        return OrgUnit.objects.none()
    return OrgUnit.objects.filter(path__startswith=root.path)
