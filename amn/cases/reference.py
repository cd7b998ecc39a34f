"""Reference data this app ships: Amn's ICCS v1.0 table and the national categories."""

import csv
from pathlib import Path

from amn.cases.models import IccsCategory, NationalCategory

ICCS_TABLE = Path(__file__).with_name("iccs_v1.csv")

# The release's national categories as sets of ICCS codes (an offence belongs to a
# category when its code starts with one of these). UNODC counts 01–04 as violence
# against the person; Amn leaves out negligence, defamation and the like (0206–0219).
NATIONAL_CATEGORIES = (
    ("violent_crime", "الجرائم العنيفة", "Criminalité violente", "Violent crime",
     ("01", "0201", "0202", "0203", "0204", "0205", "03", "04")),
    ("drug_offences", "جرائم المخدرات", "Infractions liées aux stupéfiants", "Drug offences",
     ("0601", "0609")),
    ("illegal_migration", "الهجرة غير الشرعية", "Migration irrégulière", "Illegal migration",
     ("0805",)),
    ("cybercrime", "الجريمة المعلوماتية", "Cybercriminalité", "Cybercrime", ("0903",)),
    ("economic_financial_crime", "الجرائم الاقتصادية والمالية", "Criminalité économique et financière",
     "Economic and financial crime", ("0701", "0702", "0703", "0709")),
    ("money_laundering", "غسل الأموال", "Blanchiment de capitaux", "Money laundering", ("0704",)),
)


def load_reference(*, actor) -> str:
    """Load the ICCS table (parents first) and the national categories; idempotent.

    National categories are created with their ICCS codes once; an administrator's later
    edits of the codes are kept.
    """
    with ICCS_TABLE.open(encoding="utf-8", newline="") as handle:
        rows = sorted(csv.DictReader(handle), key=lambda row: (int(row["level"]), row["code"]))
    for row in rows:
        IccsCategory.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": int(row["level"]),
                "parent_id": row["parent_code"] or None,
                "label_en": row["label_en"],
                "label_fr": row["label_fr"],
                "label_ar": row["label_ar"],
            },
        )
    for code, name_ar, name_fr, name_en, iccs_codes in NATIONAL_CATEGORIES:
        category, created = NationalCategory.objects.update_or_create(
            code=code, defaults={"name_ar": name_ar, "name_fr": name_fr, "name_en": name_en}
        )
        if created:
            category.iccs_codes.set(iccs_codes)
    return f"ICCS categories: {len(rows)}; national categories: {len(NATIONAL_CATEGORIES)}"
