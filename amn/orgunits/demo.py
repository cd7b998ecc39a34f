"""Demo facts: a slice of the national police tree and the 2025 changes named in the DGSN
release of 17 December 2025 (section "تحديث البنيات الشرطية").

Units standing before 2025 enter the registry with an unknown founding date (the release
does not give them); the release gives 2025 changes at year precision except the Ifrane
institute (December 2025).
"""

import datetime

from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.orgunits import services
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitType

RELEASE = "DGSN, bilan annuel 2025 (communiqué du 17 décembre 2025)"
INITIAL = "Demo: initial registry of units standing before 2025"
YEAR_2025 = datetime.date(2025, 1, 1)

# code, parent code, unit type, seat commune (HCP code), Arabic, French, English, serves public
UNITS_BEFORE_2025 = (
    ("dgsn", None, "directorate-general", "04.421.01.0", "المديرية العامة للأمن الوطني", "Direction générale de la sûreté nationale", "Directorate-General for National Security", False),
    ("dgsn-dpj", "dgsn", "central-directorate", "04.421.01.0", "مديرية الشرطة القضائية", "Direction de la police judiciaire", "Judicial Police Directorate", False),
    ("dgsn-training", "dgsn", "central-directorate", "04.421.01.0", "مديرية التكوين", "Direction de la formation", "Training Directorate", False),
    ("ws-rabat", "dgsn", "security-wilaya", "04.421.01.0", "ولاية أمن الرباط", "Wilaya de sûreté de Rabat", "Rabat Security Wilaya", True),
    ("ws-rabat-d1", "ws-rabat", "police-district", "04.421.01.0", "الدائرة الأولى للشرطة بالرباط", "1er arrondissement de police de Rabat", "Rabat 1st Police District", True),
    ("sp-sale", "ws-rabat", "provincial-security-area", "04.441.01.0", "الأمن الإقليمي بسلا", "Sûreté provinciale de Salé", "Salé Provincial Security Area", True),
    ("ws-casablanca", "dgsn", "security-wilaya", "06.141.01.0", "ولاية أمن الدار البيضاء", "Wilaya de sûreté de Casablanca", "Casablanca Security Wilaya", True),
    ("ws-casablanca-d1", "ws-casablanca", "police-district", "06.141.01.0", "الدائرة الأولى للشرطة بالدار البيضاء", "1er arrondissement de police de Casablanca", "Casablanca 1st Police District", True),
    ("sp-settat", "ws-casablanca", "provincial-security-area", "06.461.01.15", "المنطقة الإقليمية للأمن بسطات", "Sûreté provinciale de Settat", "Settat Provincial Security Area", True),
    ("ws-fes", "dgsn", "security-wilaya", "03.231.01.0", "ولاية أمن فاس", "Wilaya de sûreté de Fès", "Fès Security Wilaya", True),
    ("ws-fes-d1", "ws-fes", "police-district", "03.231.01.0", "الدائرة الأولى للشرطة بفاس", "1er arrondissement de police de Fès", "Fès 1st Police District", True),
    ("sp-taza", "ws-fes", "provincial-security-area", "03.561.01.11", "المنطقة الإقليمية للأمن بتازة", "Sûreté provinciale de Taza", "Taza Provincial Security Area", True),
    ("sp-sefrou", "ws-fes", "provincial-security-area", "03.451.01.09", "المنطقة الإقليمية للأمن بصفرو", "Sûreté provinciale de Sefrou", "Sefrou Provincial Security Area", True),
    ("ws-meknes", "dgsn", "security-wilaya", "03.061.01.01", "ولاية أمن مكناس", "Wilaya de sûreté de Meknès", "Meknès Security Wilaya", True),
    ("cr-ouislane", "ws-meknes", "regional-commissariat", "03.061.01.11", "المفوضية الجهوية للشرطة بويسلان", "Commissariat régional de Ouislane", "Ouislane Regional Commissariat", True),
    ("ws-marrakech", "dgsn", "security-wilaya", "07.351.01.0", "ولاية أمن مراكش", "Wilaya de sûreté de Marrakech", "Marrakech Security Wilaya", True),
    ("ws-marrakech-tourist", "ws-marrakech", "tourist-squad", "07.351.01.0", "الشرطة السياحية بمراكش", "Police touristique de Marrakech", "Marrakech Tourist Police", True),
    ("ws-agadir", "dgsn", "security-wilaya", "09.001.01.01", "ولاية أمن أكادير", "Wilaya de sûreté d'Agadir", "Agadir Security Wilaya", True),
    ("ws-agadir-d1", "ws-agadir", "police-district", "09.001.01.01", "الدائرة الأولى للشرطة بأكادير", "1er arrondissement de police d'Agadir", "Agadir 1st Police District", True),
    ("cr-tikiouine", "ws-agadir", "regional-commissariat", "09.001.01.01", "المفوضية الجهوية للشرطة بتيكيوين", "Commissariat régional de Tikiouine", "Tikiouine Regional Commissariat", True),
    ("cr-ait-melloul", "ws-agadir", "regional-commissariat", "09.273.01.05", "المفوضية الجهوية للشرطة بآيت ملول", "Commissariat régional d'Aït Melloul", "Aït Melloul Regional Commissariat", True),
    ("ws-beni-mellal", "dgsn", "security-wilaya", "05.091.01.01", "ولاية أمن بني ملال", "Wilaya de sûreté de Béni Mellal", "Béni Mellal Security Wilaya", True),
    ("sp-khouribga", "ws-beni-mellal", "provincial-security-area", "05.311.01.07", "المنطقة الإقليمية للأمن بخريبكة", "Sûreté provinciale de Khouribga", "Khouribga Provincial Security Area", True),
    ("sp-khouribga-d1", "sp-khouribga", "police-district", "05.311.01.07", "الدائرة الأولى للشرطة بخريبكة", "1er arrondissement de police de Khouribga", "Khouribga 1st Police District", True),
    ("ws-laayoune", "dgsn", "security-wilaya", "11.321.01.03", "ولاية أمن العيون", "Wilaya de sûreté de Laâyoune", "Laâyoune Security Wilaya", True),
    ("sp-smara", "ws-laayoune", "provincial-security-area", "11.221.01.01", "المنطقة الإقليمية للأمن بالسمارة", "Sûreté provinciale de Smara", "Smara Provincial Security Area", True),
    ("ws-tanger", "dgsn", "security-wilaya", "01.511.01.0", "ولاية أمن طنجة", "Wilaya de sûreté de Tanger", "Tanger Security Wilaya", True),
    ("ws-oujda", "dgsn", "security-wilaya", "02.411.01.23", "ولاية أمن وجدة", "Wilaya de sûreté d'Oujda", "Oujda Security Wilaya", True),
)

UNITS_CREATED_2025 = (
    ("sp-settat-tas", "sp-settat", "traffic-accident-service", "06.461.01.15", "مصلحة معاينة حوادث السير بسطات", "Service des accidents de la circulation de Settat", "Settat Traffic-Accident Service"),
    ("sp-taza-tas", "sp-taza", "traffic-accident-service", "03.561.01.11", "مصلحة معاينة حوادث السير بتازة", "Service des accidents de la circulation de Taza", "Taza Traffic-Accident Service"),
    ("sp-sefrou-tas", "sp-sefrou", "traffic-accident-service", "03.451.01.09", "مصلحة معاينة حوادث السير بصفرو", "Service des accidents de la circulation de Sefrou", "Sefrou Traffic-Accident Service"),
    ("sp-smara-tas", "sp-smara", "traffic-accident-service", "11.221.01.01", "مصلحة معاينة حوادث السير بالسمارة", "Service des accidents de la circulation de Smara", "Smara Traffic-Accident Service"),
    ("ws-agadir-ccc", "ws-agadir", "command-coordination-centre", "09.001.01.01", "مركز القيادة والتنسيق بولاية أمن أكادير", "Centre de commandement et de coordination de la wilaya de sûreté d'Agadir", "Agadir Wilaya Command and Coordination Centre"),
    ("ws-marrakech-cctv", "ws-marrakech-tourist", "cctv-control-room", "07.351.01.0", "قاعة التحكم في نظام المراقبة بالكاميرات بمقر الشرطة السياحية بمراكش", "Salle de vidéosurveillance du siège de la police touristique de Marrakech", "Marrakech Tourist Police CCTV Control Room"),
    ("sp-taza-moto", "sp-taza", "motorcycle-squad", "03.561.01.11", "الفرقة المتنقلة للدراجين بتازة", "Brigade motocycliste mobile de Taza", "Taza Mobile Motorcycle Squad"),
    ("sp-sale-tourist", "sp-sale", "tourist-squad", "04.441.01.0", "الفرقة السياحية التابعة للأمن الإقليمي بسلا", "Brigade touristique de la sûreté provinciale de Salé", "Salé Provincial Security Tourist Squad"),
    ("school-marrakech", "dgsn-training", "police-school", "07.351.01.0", "مدرسة التكوين الشرطي بمراكش", "École de formation policière de Marrakech", "Marrakech Police Training School"),
)

UPGRADED_2025 = {
    "cr-tikiouine": ("المنطقة الإقليمية للأمن بتيكيوين", "Sûreté provinciale de Tikiouine", "Tikiouine Provincial Security Area"),
    "cr-ouislane": ("المنطقة الإقليمية للأمن بويسلان", "Sûreté provinciale de Ouislane", "Ouislane Provincial Security Area"),
    "cr-ait-melloul": ("المنطقة الإقليمية للأمن بآيت ملول", "Sûreté provinciale d'Aït Melloul", "Aït Melloul Provincial Security Area"),
}


def load_demo() -> str:
    """Create the demo units and their 2025 history (idempotent: skips what exists)."""
    if OrgUnit.objects.filter(code="dgsn").exists():
        return "police units: already loaded"
    types = {t.code: t for t in UnitType.objects.all()}
    if not types:
        raise DomainError("No unit types: run `amn load-reference` first.")
    communes = {c.code: c for c in Commune.objects.filter(
        code__in={row[3] for row in (*UNITS_BEFORE_2025, *UNITS_CREATED_2025)} | {"03.271.01.03"}
    )}
    units: dict[str, OrgUnit] = {}

    def create(code, parent, unit_type, commune, ar, fr, en, serves_public, when, precision,
               reference):
        units[code] = services.unit_create(
            actor=None, code=code, name_ar=ar, name_fr=fr, name_en=en,
            unit_type=types[unit_type], parent=units.get(parent),
            commune=communes[commune], effective_on=when, date_precision=precision,
            decision_reference=reference, serves_public=serves_public,
        )

    for row in UNITS_BEFORE_2025:
        create(*row, None, DatePrecision.UNKNOWN, INITIAL)
    for row in UNITS_CREATED_2025:
        create(*row, False, YEAR_2025, DatePrecision.YEAR, RELEASE)
    create("issh-ifrane", "dgsn-training", "training-institute", "03.271.01.03",
           "المعهد العالي للعلوم الأمنية بإفران", "Institut supérieur des sciences de sécurité d'Ifrane",
           "Higher Institute of Security Sciences, Ifrane", False,
           datetime.date(2025, 12, 1), DatePrecision.MONTH, RELEASE)
    for code, (ar, fr, en) in UPGRADED_2025.items():
        services.unit_upgrade(actor=None, unit=units[code],
                              to_type=types["provincial-security-area"],
                              new_names={"name_ar": ar, "name_fr": fr, "name_en": en},
                              effective_on=YEAR_2025, date_precision=DatePrecision.YEAR,
                              decision_reference=RELEASE)
    khouribga_d1 = units["sp-khouribga-d1"]
    services.unit_move(
        actor=None, unit=khouribga_d1, new_commune=khouribga_d1.commune,
        effective_on=YEAR_2025, date_precision=DatePrecision.YEAR, decision_reference=RELEASE,
        note_ar="تدشين المقر الجديد للدائرة الأولى للشرطة بخريبكة",
        note_fr="Inauguration du nouveau siège du 1er arrondissement de police de Khouribga",
        note_en="New headquarters of the Khouribga 1st police district inaugurated",
    )
    return f"police units: {OrgUnit.objects.count()}"
