"""Data: give every person involved the copies of its case's recording date, recording
unit, commune and validity (added empty by 0003). Set-based: one UPDATE per field."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseParty = apps.get_model("cases", "CaseParty")
    case = Case.objects.filter(pk=OuterRef("case_id"))
    CaseParty.objects.update(
        recorded_on=Subquery(case.values("recorded_on")[:1]),
        recording_unit_id=Subquery(case.values("recording_unit_id")[:1]),
        commune_id=Subquery(case.values("commune_id")[:1]),
        is_valid=Subquery(case.values("is_valid")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_figure_covering_indexes")]

    # Backwards: the copies are left as they are; 0003's reversal drops them.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
