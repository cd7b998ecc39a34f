"""A synthetic national personnel year for demonstrations and benchmarks.

`staff_year_generate(year=2025, staff=80_000, recruits=4_693, posts_offered=…, trained=…,
promoted=…)` writes `staff` staff members of whom exactly `recruits` were hired in `year`
(the others over the 35 years before the year before it, which has no hires), recruitment
competitions announced in `year` whose posts sum to exactly `posts_offered`, exactly
`promoted` distinct staff members promoted in `year` (one step up their ladder) and exactly
`trained` distinct staff members with a training completion in `year` (the recruits their
corps' initial course; a fifth of the others a second course). A small share of the
standing staff neither trained nor promoted leaves the service during the year
(LEAVER_SHARE). These are the rows amn.hr.selectors.hr_year_counts counts for the annual
report. Staff are posted in the national tree only (amn.orgunits.selectors.national_units).

Assumptions (indicative, not DGSN figures): the unit-type weights of the postings
(UNIT_TYPE_WEIGHTS), the grade pyramids (STANDING_GRADES, RECRUIT_GRADES), the share of the
administrative and technical corps (CIVIL_SHARE) and of women (WOMEN_SHARE), hiring dates
more frequent in recent years (the force grew from about 46,000 in 2007 to about 80,000).
Names are drawn from short lists of common Moroccan names: the staff members are fictitious.
Competitions are organised by the national headquarters (the first national unit of the
tree); staff are posted to active units, weighted by unit type.

Determinism: everything is drawn from one `random.Random` seeded with (year, seed) in an
order that does not depend on the database; staff numbers continue after the largest
"P" number stored. The same arguments on the same database give the same rows. A second
run with the same arguments finds its HrGeneration row and writes nothing; a run for a year
already generated with other counts is refused (the year's figures would add up).
Standing staff are hired before `year`: generating an earlier year as well would count
some of them as that year's recruits too.

Rows go through the fast path of amn.cases.bulk.insert_rows (executemany on SQLite, COPY
on PostgreSQL) in one transaction; one "bulk_load" audit event records the load.
"""

import bisect
import datetime
import random
import time
from dataclasses import asdict, dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import insert_rows
from amn.core.errors import DomainError
from amn.hr.choices import GRADE_CORPS, NEXT_GRADE, Corps, CourseKind, Grade, Sex
from amn.hr.models import (
    HrGeneration,
    Promotion,
    RecruitmentCompetition,
    StaffMember,
    TrainingCompletion,
    TrainingCourse,
)
from amn.orgunits.choices import UnitStatus
from amn.orgunits.selectors import national_units

STAFF_PREFIX = "P"
HIRING_YEARS = 35  # standing staff were hired over the 35 years before the year before
LEAVER_SHARE = 0.015  # of the standing staff, leaving during the year (retirement …)
SECOND_COURSE_SHARE = 0.2  # of the staff trained, completing a second course
CIVIL_SHARE = 0.08
WOMEN_SHARE = {Corps.UNIFORMED: 0.12, Corps.CIVIL: 0.40}
BATCH = 20_000

# Relative staff of a unit, by unit type (assumption); other types weigh DEFAULT_WEIGHT.
UNIT_TYPE_WEIGHTS = {
    "directorate-general": 30,
    "central-directorate": 15,
    "security-wilaya": 40,
    "prefecture-of-police": 25,
    "provincial-security-area": 20,
    "regional-commissariat": 10,
    "police-district": 6,
    "judicial-police": 8,
    "border-post": 6,
    "airport-police": 6,
    "police-school": 8,
    "training-institute": 8,
}
DEFAULT_WEIGHT = 3

# Current grades of the standing staff, relative weights per corps (assumption).
STANDING_GRADES = {
    Corps.UNIFORMED: (
        (Grade.GARDIEN_PAIX, 30), (Grade.BRIGADIER, 14), (Grade.BRIGADIER_CHEF, 8),
        (Grade.OFFICIER_PAIX, 5), (Grade.OFFICIER_PAIX_PRINCIPAL, 3), (Grade.COMMANDANT, 1.5),
        (Grade.INSPECTEUR, 14), (Grade.INSPECTEUR_PRINCIPAL, 8), (Grade.OFFICIER_POLICE, 5),
        (Grade.OFFICIER_POLICE_PRINCIPAL, 3.5), (Grade.COMMISSAIRE, 2),
        (Grade.COMMISSAIRE_PRINCIPAL, 1.2), (Grade.COMMISSAIRE_DIVISIONNAIRE, 0.5),
        (Grade.CONTROLEUR_GENERAL, 0.2),
    ),
    Corps.CIVIL: (
        (Grade.ADJOINT_ADMINISTRATIF, 35), (Grade.ADMINISTRATEUR, 25),
        (Grade.ADJOINT_TECHNIQUE, 15), (Grade.TECHNICIEN, 15), (Grade.INGENIEUR, 8),
        (Grade.INGENIEUR_EN_CHEF, 2),
    ),
}  # fmt: skip
# Grades recruited by competition, relative weight of their posts (assumption), and the
# competition's title (French, as the directorate announces them).
RECRUIT_GRADES = (
    (Grade.GARDIEN_PAIX, 55, "Concours de recrutement des gardiens de la paix"),
    (Grade.INSPECTEUR, 25, "Concours de recrutement des inspecteurs de police"),
    (Grade.OFFICIER_PAIX, 6, "Concours de recrutement des officiers de paix"),
    (Grade.OFFICIER_POLICE, 6, "Concours de recrutement des officiers de police"),
    (Grade.COMMISSAIRE, 2, "Concours de recrutement des commissaires de police"),
    (Grade.ADMINISTRATEUR, 3, "Concours de recrutement des administrateurs"),
    (Grade.TECHNICIEN, 2, "Concours de recrutement des techniciens"),
    (Grade.INGENIEUR, 1, "Concours de recrutement des ingénieurs d'État"),
)
# (title, kind, hours, weight among the courses of standing staff); initial courses go to
# the recruits of their corps.
COURSES = (
    ("Formation initiale des fonctionnaires de police", CourseKind.INITIAL, 1400, 0),
    ("Formation d'intégration des cadres administratifs et techniques", CourseKind.INITIAL, 120, 0),
    ("Droits de l'homme et déontologie policière", CourseKind.CONTINUING, 30, 20),
    ("Accueil du public et services numériques", CourseKind.CONTINUING, 24, 20),
    ("Constatation des accidents de la circulation", CourseKind.CONTINUING, 40, 12),
    ("Techniques d'intervention professionnelle", CourseKind.CONTINUING, 35, 18),
    ("Police scientifique et technique", CourseKind.SPECIALISED, 120, 8),
    ("Lutte contre la cybercriminalité", CourseKind.SPECIALISED, 80, 8),
    ("Sécurité des grands événements sportifs", CourseKind.SPECIALISED, 60, 10),
    ("Enquête financière et blanchiment de capitaux", CourseKind.SPECIALISED, 70, 4),
)  # fmt: skip
INITIAL_COURSE = {Corps.UNIFORMED: COURSES[0][0], Corps.CIVIL: COURSES[1][0]}

FAMILY_NAMES = (
    ("Alaoui", "العلوي"), ("Benkirane", "بنكيران"), ("Chafik", "شفيق"), ("Daoudi", "الداودي"),
    ("El Amrani", "العمراني"), ("Fikri", "فكري"), ("Ghazali", "الغزالي"), ("Hakimi", "حكيمي"),
    ("Idrissi", "الإدريسي"), ("Jabri", "الجابري"), ("Karimi", "الكريمي"), ("Lamrani", "اللمراني"),
    ("Mernissi", "المرنيسي"), ("Naji", "ناجي"), ("Ouali", "الوالي"), ("Rahmouni", "الرحموني"),
    ("Saidi", "السعيدي"), ("Tounsi", "التونسي"), ("Wahbi", "الوهبي"), ("Yacoubi", "اليعقوبي"),
    ("Zahraoui", "الزهراوي"), ("Bouzidi", "البوزيدي"), ("Cherkaoui", "الشرقاوي"),
    ("Eddahbi", "الذهبي"), ("Hilali", "الهلالي"), ("Moussaoui", "الموساوي"),
)  # fmt: skip
GIVEN_NAMES = {
    Sex.MALE: (
        ("Adil", "عادل"), ("Badr", "بدر"), ("Hicham", "هشام"), ("Jamal", "جمال"),
        ("Nabil", "نبيل"), ("Othmane", "عثمان"), ("Reda", "رضا"), ("Samir", "سمير"),
        ("Tarik", "طارق"), ("Yassine", "ياسين"), ("Zakaria", "زكرياء"), ("Ilyas", "إلياس"),
        ("Abdelali", "عبد العالي"), ("Mounir", "منير"), ("Soufiane", "سفيان"), ("Walid", "وليد"),
    ),
    Sex.FEMALE: (
        ("Btissam", "ابتسام"), ("Ghizlane", "غزلان"), ("Ikram", "إكرام"), ("Kawtar", "كوثر"),
        ("Loubna", "لبنى"), ("Malika", "مليكة"), ("Nouhaila", "نهيلة"), ("Rajae", "رجاء"),
        ("Sanaa", "سناء"), ("Wafae", "وفاء"), ("Yousra", "يسرى"), ("Zahra", "زهرة"),
    ),
}  # fmt: skip

STAFF_COLUMNS = (
    "created_at", "updated_at", "staff_number", "family_name", "given_name", "family_name_ar",
    "given_name_ar", "sex", "corps", "grade", "unit_id", "hired_on", "left_on",
)  # fmt: skip
PROMOTION_COLUMNS = (
    "created_at", "updated_at", "staff_id", "unit_id", "promoted_on", "from_grade", "to_grade",
    "corps",
)  # fmt: skip
COMPLETION_COLUMNS = (
    "created_at", "updated_at", "staff_id", "course_id", "unit_id", "completed_on",
)  # fmt: skip
COMPETITION_COLUMNS = (
    "created_at", "updated_at", "unit_id", "title", "corps", "grade", "announced_on",
    "posts_offered", "candidates",
)  # fmt: skip


@dataclass
class HrSummary:
    """What a generation wrote: the counts asked (staff, recruits, posts_offered, trained,
    promoted), the rows written beyond them (completions, competitions, leavers), whether
    the same load was already stored (`already_present`: nothing written), the seconds."""

    year: int
    seed: int
    staff: int
    recruits: int
    posts_offered: int
    trained: int
    promoted: int
    completions: int = 0
    competitions: int = 0
    leavers: int = 0
    already_present: bool = False
    seconds: float = 0.0


@dataclass
class _Member:
    number: str
    family: tuple[str, str]
    given: tuple[str, str]
    sex: str
    corps: str
    grade: str
    unit_id: int
    hired_on: datetime.date
    left_on: datetime.date | None = None


class _Draw:
    """Weighted choice from (value, weight) pairs with one random number."""

    def __init__(self, rng: random.Random, pairs):
        self.random = rng.random
        self.values = [value for value, _weight in pairs]
        self.cumulative, total = [], 0.0
        for _value, weight in pairs:
            total += weight
            self.cumulative.append(total)
        self.total = total

    def __call__(self):
        index = bisect.bisect(self.cumulative, self.random() * self.total)
        return self.values[min(index, len(self.values) - 1)]


def _split(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` by largest remainders (sums to `total`)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (parts[i] - exact[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _check_counts(*, year, staff, recruits, posts_offered, trained, promoted) -> None:
    for name, value in (
        ("staff", staff),
        ("recruits", recruits),
        ("posts_offered", posts_offered),
        ("trained", trained),
        ("promoted", promoted),
    ):
        if not isinstance(value, int) or value < 0:
            raise DomainError(_("%(name)s must be a whole number ≥ 0.") % {"name": name})
    if staff < 1:
        raise DomainError(_("staff must be at least 1."))
    if recruits > staff:
        raise DomainError(
            _("recruits (%(r)d) cannot exceed staff (%(s)d).") % {"r": recruits, "s": staff}
        )
    if trained > staff:
        raise DomainError(
            _("trained (%(t)d) cannot exceed staff (%(s)d).") % {"t": trained, "s": staff}
        )
    if year > timezone.localdate().year or year < 1960:
        raise DomainError(_("Cannot generate the year %(year)d.") % {"year": year})


def staff_year_generate(
    *,
    year: int,
    staff: int,
    recruits: int,
    posts_offered: int,
    trained: int,
    promoted: int,
    seed: int = 0,
) -> HrSummary:
    """Generate and write a personnel year (see the module docstring).

    Args:
        year: the generated year (not after the current one; days up to today in it).
        staff: staff members written (standing staff plus recruits), ≥ 1.
        recruits: of them, hired in `year` (≤ staff).
        posts_offered: total posts of the competitions announced in `year`.
        trained: distinct staff members with ≥ 1 completion in `year` (≤ staff).
        promoted: distinct standing staff members promoted in `year`.
        seed: the random seed.
    Returns:
        HrSummary.
    Raises:
        DomainError: a count refused, a year not begun, no active unit, more promotions
            than standing staff below the top of their ladder, staff numbers exhausted, or
            the year already generated with other counts.
    """
    started = time.perf_counter()
    counts = {
        "year": year,
        "seed": seed,
        "staff": staff,
        "recruits": recruits,
        "posts_offered": posts_offered,
        "trained": trained,
        "promoted": promoted,
    }
    _check_counts(**{k: v for k, v in counts.items() if k != "seed"})
    stored = HrGeneration.objects.filter(year=year).values(*counts).first()
    if stored is not None:
        if stored != counts:
            raise DomainError(
                _(
                    "Personnel data of %(year)d was already generated with other counts; "
                    "start from an empty database to generate it again."
                )
                % {"year": year}
            )
        return HrSummary(**counts, already_present=True)
    summary = HrSummary(**counts)
    with transaction.atomic():
        _generate(summary)
        HrGeneration.objects.create(**counts)
    summary.seconds = time.perf_counter() - started
    audit_event_record(
        actor=None,
        action=AuditAction.BULK_LOAD,
        target="hr.staffmember",
        detail={
            "generator": "hr.generation.staff_year_generate",
            **{k: v for k, v in asdict(summary).items() if k != "already_present"},
            "seconds": round(summary.seconds, 1),
        },
    )
    return summary


def _units() -> tuple[list[tuple[int, float]], int]:
    """(unit id, weight) of the active units, and the id of the competitions' organiser."""
    rows = list(
        national_units()
        .filter(status=UnitStatus.ACTIVE)
        .order_by("path")
        .values_list("id", "unit_type__code", "unit_type__is_national")
    )
    if not rows:
        raise DomainError(
            _("No active police unit: run `amn load-reference` and `amn load-demo` first.")
        )
    organiser = next((unit_id for unit_id, _code, national in rows if national), rows[0][0])
    weights = [(unit_id, UNIT_TYPE_WEIGHTS.get(code, DEFAULT_WEIGHT)) for unit_id, code, _n in rows]
    return weights, organiser


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _generate(summary: HrSummary) -> None:
    year = summary.year
    rng = random.Random(f"hr|{year}|{summary.seed}")  # noqa: S311 — synthetic data
    random_ = rng.random
    first = datetime.date(year, 1, 1)
    last = min(datetime.date(year, 12, 31), timezone.localdate())
    year_days = _days(first, last)
    working_days = [day for day in year_days if day.weekday() < 5] or year_days
    unit_weights, organiser = _units()
    draw_unit = _Draw(rng, unit_weights)
    draw_grade = {corps: _Draw(rng, pairs) for corps, pairs in STANDING_GRADES.items()}
    draw_recruit_grade = _Draw(rng, [(grade, weight) for grade, weight, _t in RECRUIT_GRADES])
    # The year before is left without hires: its recruits are not generated, so its report
    # states the published figure (amn.indicators.yearly) rather than a random share of
    # the standing staff.
    hiring_years = [year - 1 - HIRING_YEARS + i for i in range(HIRING_YEARS)]
    draw_hiring_year = _Draw(rng, [(y, i + 10) for i, y in enumerate(hiring_years)])

    standing = summary.staff - summary.recruits
    members: list[_Member] = []
    for index in range(summary.staff):
        recruit = index >= standing
        if recruit:
            grade = draw_recruit_grade()
            corps = GRADE_CORPS[grade]
            hired_on = year_days[int(random_() * len(year_days))]
        else:
            corps = Corps.CIVIL if random_() < CIVIL_SHARE else Corps.UNIFORMED
            grade = draw_grade[corps]()
            hired_year = draw_hiring_year()
            hired_on = datetime.date(hired_year, 1, 1) + datetime.timedelta(
                days=int(random_() * 365)
            )
        sex = Sex.FEMALE if random_() < WOMEN_SHARE[corps] else Sex.MALE
        given = GIVEN_NAMES[sex]
        members.append(
            _Member(
                number="",
                family=FAMILY_NAMES[int(random_() * len(FAMILY_NAMES))],
                given=given[int(random_() * len(given))],
                sex=sex,
                corps=corps,
                grade=grade,
                unit_id=draw_unit(),
                hired_on=hired_on,
            )
        )
    # Staff numbers follow the hiring order, as the directorate gives them.
    members.sort(key=lambda m: m.hired_on)
    base = _first_free_number(summary.staff)
    for offset, member in enumerate(members):
        member.number = f"{STAFF_PREFIX}{base + offset:07d}"
    standing_indices = [i for i, m in enumerate(members) if m.hired_on < first]

    eligible = [i for i in standing_indices if members[i].grade in NEXT_GRADE]
    if summary.promoted > len(eligible):
        raise DomainError(
            _(
                "promoted (%(p)d) exceeds the standing staff below the top of their "
                "career path (%(e)d)."
            )
            % {"p": summary.promoted, "e": len(eligible)}
        )
    promotions = []  # (member index, day, from grade)
    for i in sorted(rng.sample(eligible, summary.promoted)):
        member = members[i]
        promotions.append((i, working_days[int(random_() * len(working_days))], member.grade))
        member.grade = NEXT_GRADE[member.grade]

    courses = _courses()
    draw_course = _Draw(rng, [(title, weight) for title, _k, _h, weight in COURSES if weight])
    completions = []  # (member index, course title, day)
    trained = sorted(rng.sample(range(summary.staff), summary.trained))
    for i in trained:
        member = members[i]
        start = max(first, member.hired_on)
        span = (last - start).days + 1
        title = INITIAL_COURSE[member.corps] if member.hired_on >= first else draw_course()
        completions.append((i, title, start + datetime.timedelta(days=int(random_() * span))))
        if member.hired_on < first and random_() < SECOND_COURSE_SHARE:
            second = draw_course()
            while second == title:
                second = draw_course()
            completions.append((i, second, start + datetime.timedelta(days=int(random_() * span))))

    busy = set(trained) | {i for i, _day, _grade in promotions}
    free = [i for i in standing_indices if i not in busy]
    leavers = rng.sample(free, min(round(LEAVER_SHARE * len(standing_indices)), len(free)))
    for i in leavers:
        members[i].left_on = year_days[int(random_() * len(year_days))]

    competitions = []
    weights = [weight for _grade, weight, _title in RECRUIT_GRADES]
    for (grade, _weight, title), posts in zip(
        RECRUIT_GRADES, _split(summary.posts_offered, weights), strict=True
    ):
        if posts:
            competitions.append(
                (
                    grade,
                    f"{title} {year}",
                    working_days[int(random_() * len(working_days))],
                    posts,
                    posts * (8 + int(random_() * 33)),
                )
            )

    _write(summary, members, promotions, completions, competitions, courses, organiser)
    summary.completions = len(completions)
    summary.competitions = len(competitions)
    summary.leavers = len(leavers)


def _first_free_number(count: int) -> int:
    """The first staff-number value after the largest stored "P" number, checked so that
    `count` numbers from it fit in 7 digits."""
    largest = (
        StaffMember.objects.filter(staff_number__startswith=STAFF_PREFIX)
        .order_by("-staff_number")
        .values_list("staff_number", flat=True)
        .first()
    )
    base = int(largest[1:]) + 1 if largest and largest[1:].isdigit() else 1
    if base + count - 1 > 9_999_999:
        raise DomainError(_("No staff numbers left for %(n)d staff members.") % {"n": count})
    return base


def _courses() -> dict[str, int]:
    """The course catalogue (created when missing): title → id."""
    for title, kind, hours, _weight in COURSES:
        TrainingCourse.objects.get_or_create(title=title, defaults={"kind": kind, "hours": hours})
    titles = [title for title, *_rest in COURSES]
    return dict(TrainingCourse.objects.filter(title__in=titles).values_list("title", "id"))


def _write(summary, members, promotions, completions, competitions, courses, organiser) -> None:
    now = timezone.now()
    as_text = connection.vendor == "sqlite"
    if as_text:  # stored as Django stores them on SQLite (ISO text)
        now = connection.ops.adapt_datetimefield_value(now)

    def day(value):
        return value.isoformat() if as_text and value is not None else value

    rows = [
        (
            now, now, m.number, m.family[0], m.given[0], m.family[1], m.given[1], str(m.sex),
            str(m.corps), str(m.grade), m.unit_id, day(m.hired_on), day(m.left_on),
        )
        for m in members
    ]  # fmt: skip
    for start in range(0, len(rows), BATCH):
        insert_rows(StaffMember, STAFF_COLUMNS, rows[start : start + BATCH])
    ids = dict(
        StaffMember.objects.filter(
            staff_number__gte=members[0].number, staff_number__lte=members[-1].number
        ).values_list("staff_number", "id")
    )
    insert_rows(
        Promotion,
        PROMOTION_COLUMNS,
        [
            (
                now, now, ids[members[i].number], members[i].unit_id, day(promoted_on),
                str(from_grade), str(members[i].grade), str(members[i].corps),
            )
            for i, promoted_on, from_grade in promotions
        ],
    )  # fmt: skip
    insert_rows(
        TrainingCompletion,
        COMPLETION_COLUMNS,
        [
            (now, now, ids[members[i].number], courses[title], members[i].unit_id, day(done))
            for i, title, done in completions
        ],
    )
    insert_rows(
        RecruitmentCompetition,
        COMPETITION_COLUMNS,
        [
            (
                now,
                now,
                organiser,
                title,
                str(GRADE_CORPS[grade]),
                str(grade),
                day(announced),
                posts,
                candidates,
            )
            for grade, title, announced, posts, candidates in competitions
        ],
    )
