"""Demo persons (fictitious): four recorded by units in Fès, Agadir and Rabat, and a small
records registry for the criminal-record certificate demo.

The registry (DEMO_REGISTRY, 44 persons) has names in Arabic and Latin script (some in
one script only), year-only birth dates of older persons, homonyms that only the parents'
names and the birth place tell apart, and convictions — one cleared by rehabilitation,
one expired. It goes through the import's own path (amn.people.services.registry_import),
so its rows are checked like any import, and it needs the reference data (communes for
birth places, the ICCS table for offences): without them it is left out.
"""

import datetime
import json

from amn.orgunits.models import OrgUnit
from amn.people.models import Person
from amn.people.services import person_create, registry_import

# recording unit, CNIE, Arabic family/given, Latin family/given, sex, birth date or year
DEMO_PERSONS = (
    ("ws-fes-d1", "C100001", "العلوي", "سعيد", "Alaoui", "Said", "M", datetime.date(1988, 3, 14)),
    ("ws-fes-d1", "C100002", "بناني", "خديجة", "Bennani", "Khadija", "F", 1975),
    ("ws-agadir-d1", "J200001", "أمزيان", "إبراهيم", "Amazian", "Brahim", "M",
     datetime.date(1992, 7, 2)),
    ("ws-rabat-d1", "A300001", "التازي", "مريم", "Tazi", "Meryem", "F", datetime.date(2001, 1, 9)),
)  # fmt: skip

FES, CASABLANCA, MARRAKECH, AGADIR, OUJDA = (
    "03.231.01.0",
    "06.141.01.0",
    "07.351.01.0",
    "09.001.01.01",
    "02.411.01.23",
)
TANGER, MEKNES, RABAT, SALE, TAZA = (
    "01.511.01.0",
    "03.061.01.01",
    "04.421.01.0",
    "04.441.01.0",
    "03.561.01.11",
)
SEFROU, TIZNIT, NADOR, KENITRA, ERRACHIDIA, SETTAT = (
    "03.451.01.09",
    "09.581.01.07",
    "02.381.01.05",
    "04.281.01.01",
    "08.201.01.05",
    "06.461.01.15",
)

# Courts and sentences of the demo convictions (Arabic, as written in judgments).
TPI_FES = "المحكمة الابتدائية بفاس"
TPI_CASA = "المحكمة الابتدائية الزجرية بالدار البيضاء"
TPI_OUJDA = "المحكمة الابتدائية بوجدة"
TPI_AGADIR = "المحكمة الابتدائية بأكادير"
TPI_RABAT = "المحكمة الابتدائية بالرباط"
CA_MARRAKECH = "محكمة الاستئناف بمراكش"
SIX_MONTHS = "ستة أشهر حبسا نافذا"
ONE_YEAR_SUSPENDED = "سنة واحدة حبسا موقوف التنفيذ"
TWO_YEARS = "سنتان حبسا نافذا"
FINE = "غرامة نافذة قدرها 2000 درهم"
FIVE_YEARS = "خمس سنوات سجنا نافذا"

# One registry person: recording unit, person_id, CNIE, family/given (Arabic), family/given
# (Latin), sex, birth ("YYYY-MM-DD" or "YYYY"), birth place (commune code), father's and
# mother's given names, convictions (court, judgment date, ICCS code, sentence, cleared on).
DEMO_REGISTRY = (
    # Three namesakes "Mohamed El Amrani" born 1975: parents and birth place tell them apart.
    ("ws-fes-d1", "DEMO-0001", "F310245", "العمراني", "محمد", "El Amrani", "Mohamed", "M",
     "1975-04-12", FES, "أحمد", "فاطمة",
     [(TPI_FES, "1998-11-03", "0502", SIX_MONTHS, "")]),
    ("ws-casablanca-d1", "DEMO-0002", "BE402118", "العمراني", "محمد", "El Amrani", "Mohammed",
     "M", "1975-09-30", CASABLANCA, "إدريس", "زهرة", []),
    ("ws-fes-d1", "DEMO-0003", "", "العمراني", "محمد", "", "", "M", "1975", OUJDA,
     "عبد القادر", "رحمة", []),
    # Two "Fatima Zahra Bennani" born 1990, different mothers and places.
    ("ws-fes-d1", "DEMO-0004", "CD118907", "بناني", "فاطمة الزهراء", "Bennani", "Fatima Zahra",
     "F", "1990-02-17", FES, "عبد اللطيف", "خديجة", []),
    ("ws-rabat-d1", "DEMO-0005", "A612043", "بناني", "فاطمة الزهراء", "Bennani", "Fatima-Zahra",
     "F", "1990-06-05", RABAT, "محمد", "نزهة", []),
    # "Youssef Alaoui" twice, born 1988: one convicted in Meknès, one not.
    ("ws-fes-d1", "DEMO-0006", "D407719", "العلوي", "يوسف", "Alaoui", "Youssef", "M",
     "1988-08-21", MEKNES, "الحسن", "سعاد",
     [(TPI_FES, "2009-03-16", "0401", TWO_YEARS, ""),
      (TPI_FES, "2014-10-02", "0601", SIX_MONTHS, "")]),
    ("ws-rabat-d1", "DEMO-0007", "AB220561", "العلوي", "يوسف", "Alaoui", "Youcef", "M",
     "1988-12-01", SALE, "عبد الرحمن", "ليلى", []),
    # Older persons with only a year of birth.
    ("ws-fes-d1", "DEMO-0008", "C45120", "الفاسي", "عبد الله", "El Fassi", "Abdellah", "M",
     "1948", FES, "محمد", "عائشة", []),
    ("ws-agadir-d1", "DEMO-0009", "J61077", "أيت بها", "الحسين", "Ait Baha", "Lahcen", "M",
     "1952", TIZNIT, "إبراهيم", "تودة", []),
    ("ws-agadir-d1", "DEMO-0010", "", "أوعلي", "فاطمة", "Ouali", "Fatma", "F", "1955", AGADIR,
     "الحسين", "يامنة", []),
    ("ws-casablanca-d1", "DEMO-0011", "B98342", "الشرقاوي", "امحمد", "Cherkaoui", "M'hamed",
     "M", "1958", CASABLANCA, "بوشعيب", "الزوهرة",
     [(TPI_CASA, "1984-05-22", "0701", FINE, "1994-05-22")]),
    ("ws-rabat-d1", "DEMO-0012", "", "الزياني", "حليمة", "", "", "F", "1960", KENITRA,
     "العربي", "خدوج", []),
    ("ws-fes-d1", "DEMO-0013", "CB30211", "التازي", "إدريس", "Tazi", "Driss", "M", "1962", TAZA,
     "عبد السلام", "رقية", []),
    # Convictions: one cleared by rehabilitation, one expired, one still on record.
    ("ws-casablanca-d1", "DEMO-0014", "BK551230", "المنصوري", "رشيد", "Mansouri", "Rachid", "M",
     "1979-01-25", CASABLANCA, "مصطفى", "مليكة",
     [(TPI_CASA, "2003-07-09", "0502", ONE_YEAR_SUSPENDED, "2010-07-09")]),
    ("ws-fes-d1", "DEMO-0015", "Z442918", "بوزيان", "كريم", "Bouziane", "Karim", "M",
     "1984-03-03", OUJDA, "عبد الحق", "نعيمة",
     [(TPI_OUJDA, "2006-02-14", "0805", SIX_MONTHS, "2011-02-14"),
      (TPI_OUJDA, "2019-09-30", "0601", TWO_YEARS, "")]),
    ("ws-rabat-d1", "DEMO-0016", "A700512", "الحداد", "هشام", "Haddad", "Hicham", "M",
     "1991-11-11", RABAT, "عبد العزيز", "بشرى",
     [(TPI_RABAT, "2016-04-20", "0903", ONE_YEAR_SUSPENDED, "")]),
    ("ws-agadir-d1", "DEMO-0017", "JC90341", "السوسي", "عبد الرحيم", "Soussi", "Abderrahim",
     "M", "1970-06-18", AGADIR, "أحمد", "فاطمة",
     [(TPI_AGADIR, "1996-01-12", "0201", SIX_MONTHS, "2001-01-12"),
      (CA_MARRAKECH, "2008-05-27", "0102", FIVE_YEARS, "")]),
    ("ws-casablanca-d1", "DEMO-0018", "BH773105", "الركراكي", "سناء", "Regragui", "Sanaa", "F",
     "1993-07-07", CASABLANCA, "عبد الكريم", "حياة",
     [(TPI_CASA, "2018-12-04", "0701", FINE, "")]),
    # No record, various spellings and scripts.
    ("ws-fes-d1", "DEMO-0019", "C903322", "الإدريسي", "عمر", "El Idrissi", "Omar", "M",
     "1986-10-10", FES, "عبد الواحد", "لطيفة", []),
    ("ws-fes-d1", "DEMO-0020", "CD56123", "الكتاني", "زينب", "Kettani", "Zineb", "F",
     "1995-01-30", FES, "يونس", "سميرة", []),
    ("ws-rabat-d1", "DEMO-0021", "AE19076", "بنكيران", "حمزة", "Benkirane", "Hamza", "M",
     "1999-05-14", RABAT, "عبد الإله", "نادية", []),
    ("ws-casablanca-d1", "DEMO-0022", "BJ40987", "الخطيب", "مريم", "El Khatib", "Meriem", "F",
     "1997-09-09", CASABLANCA, "سعيد", "وفاء", []),
    ("ws-agadir-d1", "DEMO-0023", "JA33210", "أمزيان", "حسن", "Amazian", "Hassan", "M",
     "1981-04-04", TIZNIT, "محمد", "زهرة", []),
    ("ws-fes-d1", "DEMO-0024", "", "الجبلي", "عائشة", "Jebli", "Aicha", "F", "1968", SEFROU,
     "أحمد", "فاطمة", []),
    ("ws-rabat-d1", "DEMO-0025", "AD88120", "الريفي", "مصطفى", "Rifi", "Mustapha", "M",
     "1973-02-28", NADOR, "محند", "ميمونة", []),
    ("ws-rabat-d1", "DEMO-0026", "", "", "", "Ben Ali", "Sakina", "F", "1985-12-24", TANGER,
     "Abdelmalek", "Rachida", []),
    ("ws-casablanca-d1", "DEMO-0027", "BE10450", "ولد سيدي", "محمد الأمين", "Ould Sidi",
     "Mohamed Lamine", "M", "1977-08-15", CASABLANCA, "أحمد", "مريم", []),
    ("ws-fes-d1", "DEMO-0028", "CB77801", "الصقلي", "نادية", "Sekkali", "Nadia", "F",
     "1983-03-08", FES, "عبد الرزاق", "ثريا", []),
    ("ws-agadir-d1", "DEMO-0029", "JB55102", "آيت الحاج", "لحسن", "Ait El Haj", "Lahcen", "M",
     "1966", AGADIR, "عمر", "إيطو", []),
    ("ws-casablanca-d1", "DEMO-0030", "", "الشرقاوي", "سعيد", "Cherkaoui", "Said", "M",
     "1989-06-30", CASABLANCA, "امحمد", "حليمة", []),
    # Homonyms of the demo's Said Alaoui (C100001), born the same year.
    ("ws-rabat-d1", "DEMO-0031", "A815530", "العلوي", "سعيد", "Alaoui", "Said", "M",
     "1988-11-02", RABAT, "الطيب", "زينب", []),
    ("ws-fes-d1", "DEMO-0032", "", "العلوي", "سعيد", "Alaoui", "Saïd", "M", "1988", ERRACHIDIA,
     "حمو", "عائشة",
     [(TPI_FES, "2012-06-11", "0502", SIX_MONTHS, "")]),
    ("ws-casablanca-d1", "DEMO-0033", "BL60934", "الناصري", "أسماء", "Nassiri", "Asmae", "F",
     "2000-04-19", SALE, "خالد", "إلهام", []),
    ("ws-fes-d1", "DEMO-0034", "C612099", "العمراني", "خديجة", "El Amrani", "Khadija", "F",
     "1978-01-05", FES, "أحمد", "فاطمة", []),
    ("ws-rabat-d1", "DEMO-0035", "AA30219", "بن عبد الله", "عبد الصمد", "Ben Abdellah",
     "Abdessamad", "M", "1987-07-27", KENITRA, "عبد السلام", "حفيظة", []),
    ("ws-agadir-d1", "DEMO-0036", "JH12007", "بوعزة", "يوسف", "Bouazza", "Yousef", "M",
     "1994-10-21", AGADIR, "عبد الله", "خديجة",
     [(TPI_AGADIR, "2015-03-05", "0401", ONE_YEAR_SUSPENDED, "")]),
    ("ws-casablanca-d1", "DEMO-0037", "BK11872", "الفلاحي", "عبد القادر", "Fellahi",
     "Abdelkader", "M", "1957", SETTAT,
     "الجيلالي", "الباتول", []),
    ("ws-fes-d1", "DEMO-0038", "C700455", "الوزاني", "ليلى", "Ouazzani", "Leila", "F",
     "1992-08-13", MEKNES, "رضوان", "سلوى", []),
    ("ws-rabat-d1", "DEMO-0039", "AB90816", "العمراني", "محمد", "Amrani", "Mohamed", "M",
     "1975-04-12", RABAT, "عبد الله", "مينة", []),
    ("ws-casablanca-d1", "DEMO-0040", "", "", "", "Tahiri", "Imane", "F", "1980-05-02", "",
     "", "", []),
    ("ws-fes-d1", "DEMO-0041", "CD33412", "الحسني", "إلياس", "El Hassani", "Ilyas", "M",
     "2003-02-02", FES, "أنس", "هند", []),
    ("ws-agadir-d1", "DEMO-0042", "JE77120", "أخنوش", "مينة", "Akhannouch", "Mina", "F",
     "1964", TIZNIT, "الحسين", "فاضمة", []),
    ("ws-rabat-d1", "DEMO-0043", "AE50021", "الدكالي", "عبد الرحيم", "Doukkali", "Abderrahim",
     "M", "1982-09-17", SALE, "المعطي", "فاطنة",
     [(TPI_RABAT, "2007-01-23", "0201", SIX_MONTHS, "2012-01-23")]),
    ("ws-casablanca-d1", "DEMO-0044", "BE77433", "حجي", "ياسين", "Hajji", "Yassine", "M",
     "1996-03-21", CASABLANCA, "محمد", "فوزية", []),
)  # fmt: skip


def demo_registry_objects() -> list[tuple[str, dict]]:
    """(recording unit code, exchange object) of each DEMO_REGISTRY person, in order."""
    fields = (
        "person_id", "cnie", "family_name_ar", "given_name_ar", "family_name_lat",
        "given_name_lat", "sex", "birth_date", "birth_place", "father_given_name",
        "mother_given_name",
    )  # fmt: skip
    objects = []
    for unit, *values, convictions in DEMO_REGISTRY:
        data = {name: value for name, value in zip(fields, values, strict=True) if value}
        if convictions:
            data["convictions"] = [
                {
                    "court": court,
                    "judgment_date": judged,
                    "iccs_code": code,
                    "sentence": sentence,
                    **({"cleared_on": cleared} if cleared else {}),
                }
                for court, judged, code, sentence, cleared in convictions
            ]
        objects.append((unit, data))
    return objects


def _registry_load() -> str:
    """Import the DEMO_REGISTRY persons not recorded yet, unit by unit."""
    from amn.cases.models import IccsCategory
    from amn.geo.models import Commune

    if not (Commune.objects.exists() and IccsCategory.objects.exists()):
        return "demo registry: skipped (load the reference data first)"
    present = set(
        Person.objects.filter(registry_id__startswith="DEMO-").values_list("registry_id", flat=True)
    )
    by_unit: dict[str, list[str]] = {}
    for unit, data in demo_registry_objects():
        if data["person_id"] not in present:
            by_unit.setdefault(unit, []).append(json.dumps(data, ensure_ascii=False))
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=by_unit)}
    imported = convictions = 0
    for code, lines in by_unit.items():
        report = registry_import(actor=None, lines=lines, recorded_by=units[code])
        if report.rejected:
            first = report.rejected[0]
            raise ValueError(f"demo registry line {first.line} {first.field}: {first.reason}")
        imported += report.imported
        convictions += report.convictions
    return f"demo registry: {imported} persons, {convictions} convictions imported"


def load_demo() -> str:
    """Create the demo persons that do not exist yet (the four by CNIE number, the
    registry by person_id); idempotent."""
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
        )  # fmt: skip
        created += 1
    return f"demo persons: {created} created; {_registry_load()}"
