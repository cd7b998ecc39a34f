"""Writes of the geography registry."""

from django.db import transaction

from amn.audit.services import audit_event_record
from amn.core.text_search import search_fold
from amn.geo import loading
from amn.geo.models import Arrondissement, Cercle, Commune, Province, Region

COMMON = ("name_fr", "name_ar", "population_2024", "households_2024")


EXTRA = {Province: ("type",), Commune: ("slug", "type", "population_2014", "search_name")}


def _upsert(model, rows: list[dict], **parents: tuple[str, dict[str, int]]) -> dict[str, int]:
    """Insert or update `rows` by HCP code; return {code: primary key}.

    `parents` maps a foreign-key attribute to (column holding the parent code, {code: pk}).
    """
    columns = (*COMMON, *EXTRA.get(model, ()))
    objects = []
    for row in rows:
        values = {name: row[name] for name in columns}
        for attribute, (column, ids) in parents.items():
            values[f"{attribute}_id"] = ids[row[column]] if row[column] else None
        objects.append(model(code=row["code"], **values))
    model.objects.bulk_create(
        objects,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[*columns, *(f"{attribute}_id" for attribute in parents)],
    )
    return dict(model.objects.values_list("code", "pk"))


@transaction.atomic
def geography_load(*, actor, tables: dict[str, loading.Table]) -> dict[str, int]:
    """Load the five census tables in one transaction (all or nothing, idempotent).

    Args:
        actor: the User running the load, or None for the command line.
        tables: {level: Table} from loading.read_package() or loading.read_folder(DIR).
    Returns:
        {level: number of rows loaded}.
    Raises:
        ImportProblem: naming file, row and field of the first bad value; nothing is written.
    """
    parsed = loading.check(tables)
    for row in parsed["communes"]:
        row["search_name"] = f"{search_fold(row['name_fr'])} {search_fold(row['name_ar'])}"
    regions = _upsert(Region, parsed["regions"])
    provinces = _upsert(Province, parsed["provinces"], region=("region_code", regions))
    cercles = _upsert(Cercle, parsed["cercles"], province=("province_code", provinces))
    communes = _upsert(
        Commune,
        parsed["communes"],
        province=("province_code", provinces),
        cercle=("cercle_code", cercles),
    )
    _upsert(Arrondissement, parsed["arrondissements"], commune=("commune_code", communes))
    counts = {level: len(rows) for level, rows in parsed.items()}
    audit_event_record(
        actor=actor,
        action="bulk_load",
        target="geo.census",
        detail={"source": tables["regions"].source.split(":")[0], **counts},
    )
    return counts
