"""Reference data this app ships: the unit types of the national police (DGSN)."""

from amn.orgunits.models import UnitType

# (code, Arabic, French, English, is_national, is_specialised); order gives the rank.
# Arabic and French terms follow the DGSN release of 17 December 2025 and MISSION.md's glossary.
UNIT_TYPES = (
    ("directorate-general", "المديرية العامة للأمن الوطني", "Direction générale de la sûreté nationale", "Directorate-general", True, False),
    ("central-directorate", "مديرية مركزية", "Direction centrale", "Central directorate", True, False),
    ("security-wilaya", "ولاية الأمن", "Wilaya de sûreté", "Security wilaya", False, False),
    ("prefecture-of-police", "الأمن الجهوي", "Préfecture de police", "Prefecture of police", False, False),
    ("provincial-security-area", "منطقة إقليمية للأمن", "Sûreté provinciale", "Provincial security area", False, False),
    ("regional-commissariat", "مفوضية جهوية", "Commissariat régional", "Regional commissariat", False, False),
    ("police-district", "دائرة الشرطة", "Arrondissement de police", "Police district", False, False),
    ("traffic-accident-service", "مصلحة معاينة حوادث السير", "Service des accidents de la circulation", "Traffic-accident service", False, True),
    ("command-coordination-centre", "مركز القيادة والتنسيق", "Centre de commandement et de coordination", "Command and coordination centre", False, True),
    ("cctv-control-room", "قاعة التحكم في نظام المراقبة بالكاميرات", "Salle de contrôle de vidéosurveillance", "CCTV control room", False, True),
    ("motorcycle-squad", "فرقة متنقلة للدراجين", "Brigade motocycliste mobile", "Mobile motorcycle squad", False, True),
    ("tourist-squad", "فرقة سياحية", "Brigade touristique", "Tourist squad", False, True),
    ("judicial-police", "الشرطة القضائية", "Police judiciaire", "Judicial police", False, True),
    ("border-post", "مركز حدودي", "Poste frontière", "Border post", False, True),
    ("airport-police", "شرطة المطار", "Police de l'aéroport", "Airport police", False, True),
    ("police-school", "مدرسة التكوين الشرطي", "École de police", "Police training school", False, True),
    ("training-institute", "معهد التكوين الشرطي", "Institut de formation policière", "Police training institute", False, True),
)


def load_reference(*, actor) -> str:
    """Create or update every unit type (idempotent); returns a summary line."""
    for rank, (code, name_ar, name_fr, name_en, national, specialised) in enumerate(
        UNIT_TYPES, start=1
    ):
        UnitType.objects.update_or_create(
            code=code,
            defaults={"name_ar": name_ar, "name_fr": name_fr, "name_en": name_en,
                      "rank": rank, "is_national": national, "is_specialised": specialised},
        )
    return f"unit types: {len(UNIT_TYPES)}"
