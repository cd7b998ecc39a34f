"""Demo persons (fictitious), recorded by units in Fès and Agadir."""

import datetime

from amn.orgunits.models import OrgUnit
from amn.people.models import Person
from amn.people.services import person_create

# recording unit, CNIE, Arabic family/given, Latin family/given, sex, birth date or year
DEMO_PERSONS = (
    ("ws-fes-d1", "C100001", "العلوي", "سعيد", "Alaoui", "Said", "M", datetime.date(1988, 3, 14)),
    ("ws-fes-d1", "C100002", "بناني", "خديجة", "Bennani", "Khadija", "F", 1975),
    ("ws-agadir-d1", "J200001", "أمزيان", "إبراهيم", "Amazian", "Brahim", "M",
     datetime.date(1992, 7, 2)),
    ("ws-rabat-d1", "A300001", "التازي", "مريم", "Tazi", "Meryem", "F", datetime.date(2001, 1, 9)),
)


def load_demo() -> str:
    """Create the demo persons that do not exist yet (matched by CNIE number)."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={r[0] for r in DEMO_PERSONS})}
    created = 0
    for unit, cnie, fam_ar, giv_ar, fam, giv, sex, born in DEMO_PERSONS:
        if Person.objects.filter(cnie_number=cnie).exists():
            continue
        person_create(
            actor=None, recorded_by=units[unit], cnie_number=cnie, family_name_ar=fam_ar,
            given_name_ar=giv_ar, family_name_latin=fam, given_name_latin=giv, sex=sex,
            birth_date=born if isinstance(born, datetime.date) else None,
            birth_year=born if isinstance(born, int) else None,
        )
        created += 1
    return f"demo persons: {created} created"
