"""A synthetic year of criminal cases for demonstrations and benchmarks (`amn generate-demo`).

The year is calibrated on the DGSN's published 2025 figures (press coverage of the annual
review of 17 December 2025, kept in ../shared/data/dgsn/dgsn_published_figures.csv) and
scaled to the number of cases asked for:

- 779,008 criminal cases; 106,117 drug cases (13.6 %); 43,869 violent-crime cases (5.6 %);
  a clearance rate (معدل الزجر) of 95 %, lower for property crime;
- 134,126 persons arrested for drugs (1.26 per drug case);
- 170.796 t of cannabis resin, 731.558 kg of cocaine, 5.996 kg of heroin, 591,455
  psychotropic pills and 350,572 ecstasy pills seized;
- 105 illegal-migration networks and 1,112 violent-crime networks dismantled.

Where the release gives no figure (the rest of the offence mix, seasonality, cannabis herb
seized, delays) the values below are stated assumptions, not facts.

Cases fall on the communes in proportion to their RGPH 2024 population and are recorded by
the police units that serve the public (districts, provincial security areas, regional
commissariats, wilayas) seated in the commune, else in its province, else in its region
(else a neighbouring region's, NEIGHBOUR_REGION).

Everything is drawn from one `random.Random(seed)`, in an order that does not depend on the
database, so the same seed, year and size give the same rows — references included when
the year's reference counter starts at the same number; only the case ids differ (new
time-ordered UUIDs, amn.cases.bulk). Rows are written through amn.cases.bulk in batches:
memory stays bounded by one batch.
"""

import bisect
import datetime
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from amn.audit.choices import AuditAction
from amn.audit.services import audit_event_record
from amn.cases.bulk import (
    BulkCase,
    BulkOffence,
    BulkResult,
    BulkWriter,
    deferred_indexes,
    insert_rows,
)
from amn.cases.choices import (
    CaseSource,
    CaseStatus,
    Clearance,
    NetworkKind,
    QuantityUnit,
    Substance,
)
from amn.cases.models import Case, CriminalNetwork, IccsCategory, NationalCategory, Seizure
from amn.cases.quantities import standard_quantity
from amn.cases.references import NETWORK_PREFIX, format_reference, reserve_numbers
from amn.core.errors import DomainError
from amn.geo.models import Commune
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit

SOURCE_NAME = "generate-demo"
# The first year the generator accepts: it models today's police and census (RGPH 2024),
# so an earlier year is a typing error (1800 for 2018 …). 2001 is also the first date
# the shipped import mapping accepts (the City of Chicago portal starts in 2001).
FIRST_YEAR = 2001

# From this many cases on, a generation runs as one transaction with the indexes built at
# the end (see demo_year_generate).
LARGE_LOAD = 50_000

# The national year the figures describe (DGSN 2025); generated counts scale by N / this.
NATIONAL_CASES = 779_008


@dataclass(frozen=True)
class OffenceProfile:
    """One offence of the mix.

    share: percent of cases; clearance_rate: share of its cases cleared; extra_arrests: mean
    number of persons arrested beyond the first when cleared by arrest; proactive: found by
    the police rather than reported (drugs, migration, public order): occurred, recorded and
    cleared the same day; weapon_share: share of its cases that add an offence of carrying
    a weapon (ICCS 0901).
    """

    iccs_code: str
    share: float
    clearance_rate: float
    extra_arrests: float = 0.15
    proactive: bool = False
    weapon_share: float = 0.0


# Percent of cases by ICCS code. Fixed by the release: drug offences 13.62 % (0601 + 0609)
# and violent crime 5.63 % (0401 carries 0.21 points fewer here because the cases of the
# violent-crime networks are robberies, see NETWORKS). The rest is an assumption shaped on
# the release's wording ("thousands" of cybercrime, financial-crime and money-laundering
# cases) and on police statistics of comparable countries.
OFFENCE_MIX = (
    # violent crime
    OffenceProfile("0101", 0.06, 0.93, 0.3),  # intentional homicide
    OffenceProfile("0102", 0.10, 0.90, 0.3),  # attempted intentional homicide
    OffenceProfile("02011", 1.45, 0.93, 0.2, weapon_share=0.05),  # assault
    OffenceProfile("020111", 0.75, 0.93, 0.25, weapon_share=0.15),  # serious assault
    OffenceProfile("020221", 0.10, 0.95, 0.4),  # kidnapping
    OffenceProfile("0204", 0.03, 0.97, 0.8, proactive=True),  # trafficking in persons
    OffenceProfile("0205", 0.10, 0.94, 0.2),  # coercion
    OffenceProfile("03011", 0.15, 0.90, 0.1),  # rape
    OffenceProfile("03012", 0.45, 0.92, 0.1),  # sexual assault
    OffenceProfile("0401", 2.08, 0.84, 0.4, weapon_share=0.2),  # robbery
    OffenceProfile("0409", 0.15, 0.86, 0.3),  # other violent acts against property
    # drugs
    OffenceProfile("0601", 13.40, 0.999, 0.27, proactive=True),
    OffenceProfile("0609", 0.22, 0.99, 0.1, proactive=True),
    # property
    OffenceProfile("0501", 2.00, 0.86),  # burglary
    OffenceProfile("05012", 6.00, 0.88),  # burglary of homes
    OffenceProfile("050211", 1.20, 0.80),  # theft of a motor vehicle
    OffenceProfile("05021", 0.60, 0.82),  # theft of vehicle parts
    OffenceProfile("050221", 7.00, 0.92),  # theft from a person
    OffenceProfile("050222", 2.00, 0.83),  # theft from a vehicle
    OffenceProfile("05023", 2.50, 0.93),  # theft of business property
    OffenceProfile("05029", 8.00, 0.93),  # other theft
    OffenceProfile("0504", 3.00, 0.93),  # property damage
    OffenceProfile("0509", 0.50, 0.90),
    # economic and financial crime, money laundering
    OffenceProfile("0701", 1.60, 0.93),  # fraud
    OffenceProfile("07019", 0.80, 0.88),  # identity theft and other fraud
    OffenceProfile("0702", 1.20, 0.95),  # forgery
    OffenceProfile("0703", 0.15, 0.99, 0.3, proactive=True),  # corruption
    OffenceProfile("0709", 0.45, 0.95),
    OffenceProfile("0704", 0.06, 0.99, 0.5, proactive=True),  # money laundering
    # cybercrime, illegal migration
    OffenceProfile("0903", 1.00, 0.80, 0.2),
    OffenceProfile("0805", 1.20, 0.995, 0.6, proactive=True),
    # other harm to persons
    OffenceProfile("0206", 0.40, 0.97),  # negligence
    OffenceProfile("0207", 0.50, 0.97),  # dangerous acts
    OffenceProfile("0208", 1.00, 0.94),  # threats, harassment
    OffenceProfile("0209", 3.50, 0.96),  # defamation, insult
    OffenceProfile("0211", 0.80, 0.95),  # violation of a home
    # public order and public safety
    OffenceProfile("0801", 12.30, 0.998, 0.1, proactive=True),  # drunkenness, disorder
    OffenceProfile("0802", 1.00, 0.99, 0.5, proactive=True),  # public indecency
    OffenceProfile("0602", 4.00, 0.998, 0.1, proactive=True),  # alcohol
    OffenceProfile("0806", 6.00, 0.99, 0.0, proactive=True),  # wanted persons, contempt
    OffenceProfile("0804", 1.00, 0.99, 0.2, proactive=True),  # contraband
    OffenceProfile("0809", 2.00, 0.98),
    OffenceProfile("0901", 3.00, 0.995, 0.1, proactive=True),  # carrying a weapon
    OffenceProfile("0907", 4.00, 0.99, 0.0, proactive=True),  # traffic offences
    OffenceProfile("0902", 0.50, 0.97),
    OffenceProfile("1102", 0.70, 0.94),  # acts against minors
    OffenceProfile("1109", 1.00, 0.95),
)

WEAPON_CODE = "0901"
# The national categories a calibration fixes (amn.cases.reference.NATIONAL_CATEGORIES).
DRUG_CATEGORY, VIOLENT_CATEGORY = "drug_offences", "violent_crime"

# Relative number of cases recorded per month (assumption: a summer peak of about +10 %,
# a low February), January first.
MONTH_WEIGHTS = (0.95, 0.88, 0.95, 0.97, 1.00, 1.03, 1.10, 1.12, 1.02, 0.99, 0.96, 1.02)

# Cleared cases that are cleared by exceptional means rather than by arrest (assumption),
# for offences reported by victims; proactive offences are cleared by arrest.
EXCEPTIONAL_SHARE = 0.015
EXCEPTIONAL_REASONS = (
    "Offender deceased",
    "Offender abroad: international arrest warrant issued",
    "Victim declined to pursue after the offender was identified",
    "Prosecution declined after the offender was identified",
)
# Delay from recording to clearance of a reported offence: the same day for this share,
# otherwise exponential with this mean in days (assumption).
SAME_DAY_CLEARANCE = 0.35
MEAN_CLEARANCE_DAYS = 12.0
# Delay from occurrence to recording of a reported offence (assumption).
SAME_DAY_RECORDING = 0.6
MEAN_RECORDING_DAYS = 4.0


@dataclass(frozen=True)
class SubstanceProfile:
    """Seizures of one substance.

    share: share of drug-case seizures; national_total: quantity seized in the national
    year, in the standard unit (kg, tablets); big_count and big_fraction: how many large
    seizures carry which share of the total (each on a case of its own); sigma: spread of
    the log-normal quantity of ordinary seizures.
    """

    substance: str
    share: float
    national_total: float
    big_count: int
    big_fraction: float
    sigma: float

    @property
    def counted(self) -> bool:
        return self.substance in (Substance.PSYCHOTROPIC_PILLS, Substance.ECSTASY)


# Share of ICCS 0601 cases that carry a seizure (assumption).
SEIZURE_RATE = 0.9
SUBSTANCES = (
    SubstanceProfile(Substance.CANNABIS_RESIN, 0.720, 170_796.0, 350, 0.80, 1.6),
    # Cannabis herb (kif) seized is not published: 25 t is an assumption.
    SubstanceProfile(Substance.CANNABIS_HERB, 0.106, 25_000.0, 100, 0.60, 1.5),
    SubstanceProfile(Substance.PSYCHOTROPIC_PILLS, 0.120, 591_455.0, 30, 0.50, 1.4),
    SubstanceProfile(Substance.ECSTASY, 0.030, 350_572.0, 15, 0.60, 1.4),
    SubstanceProfile(Substance.COCAINE, 0.020, 731.558, 20, 0.70, 1.3),
    SubstanceProfile(Substance.HEROIN, 0.004, 5.996, 0, 0.0, 1.0),
)
DRUG_CODE = "0601"


@dataclass(frozen=True)
class NetworkProfile:
    """Networks of one kind dismantled in the national year: their cases' offence, how
    many cases each links (inclusive range) and the mean number of persons arrested per
    case beyond the first."""

    kind: str
    national_count: int
    iccs_code: str
    cases_per_network: tuple[int, int]
    extra_arrests: float


NETWORKS = (
    # Members arrested per migration network are not published: two per case assumed.
    NetworkProfile(NetworkKind.MIGRATION_SMUGGLING, 105, "0805", (2, 5), 1.0),
    # The release's 1,112 networks "specialised in violent crime" (robbery gangs), with
    # 1,737 members arrested: about 1.5 per network, one per case.
    NetworkProfile(NetworkKind.OTHER, 1_112, "0401", (1, 2), 0.0),
)
# Persons arrested per large-seizure case beyond the first (assumption: couriers).
LARGE_SEIZURE_EXTRA_ARRESTS = 1.0

# Unit types that record cases, with the share each takes of its commune's cases when
# several sit there (a wilaya's own brigades record fewer cases than its districts).
RECORDING_UNIT_WEIGHTS = {
    "police-district": 4,
    "provincial-security-area": 4,
    "regional-commissariat": 4,
    "prefecture-of-police": 2,
    "security-wilaya": 1,
}
# Regions where the demo tree has no unit: their communes are recorded by the units of a
# neighbouring region (Drâa-Tafilalet → Marrakech-Safi, Guelmim-Oued Noun → Souss-Massa,
# Dakhla-Oued Ed-Dahab → Laâyoune-Sakia El Hamra).
NEIGHBOUR_REGION = {"08": "07", "10": "09", "12": "11"}


@dataclass
class GenerationSummary:
    """What a generation wrote: cases (BulkResult), offences and arrests written,
    seizures per substance as (count, total, standard unit), networks per kind."""

    cases: BulkResult
    offences: int = 0
    arrests: int = 0
    seizures: dict[str, tuple[int, Decimal, str]] = field(default_factory=dict)
    networks: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass(frozen=True)
class Calibration:
    """Exact figures a generated year must hold (amn.cases.release_year: the release's
    figures at a demo scale, less what other records of the year already hold).

    drug_cases, violent_cases: generated cases with an offence in the national category
    (codes of amn.cases.models.NationalCategory "drug_offences", "violent_crime");
    cannabis_resin_kg: the total the year's cannabis-resin seizures must reach (kg, records
    of other sources included: see cannabis_resin_complete); migration_networks: migration
    networks generated; cleared_percent: offences cleared ÷ offences recorded in the year
    × 100, with `offences_before` offences recorded and `cleared_before` cleared in the year
    by other records counted in.
    """

    drug_cases: int
    violent_cases: int
    cannabis_resin_kg: Decimal
    migration_networks: int
    cleared_percent: float
    offences_before: int = 0
    cleared_before: int = 0


def scaled_count(national: int, cases: int) -> int:
    """`national` scaled to `cases` out of NATIONAL_CASES, rounded half up; at least 1
    from 1,000 cases on, so that a small demo still shows each kind."""
    value = math.floor(national * cases / NATIONAL_CASES + 0.5)
    return max(value, 1) if cases >= 1000 and national else value


def demo_year_generate(
    *,
    actor,
    cases: int,
    year: int,
    seed: int = 0,
    batch_size: int = 10_000,
    defer_indexes: bool | None = None,
    progress: Callable[[int], None] | None = None,
    calibration: Calibration | None = None,
) -> GenerationSummary:
    """Generate and write a synthetic year of `cases` cases recorded in `year`.

    Writing the same (cases, year, seed) again writes nothing new: every case has the
    source key "<year>-<seed>-<cases>-<index, 7 digits>" under source name "generate-demo".

    Args:
        actor: the User running it (None from the command line), named in the audit event.
        cases: number of cases, > 0; year: year of recording (up to today's date when it
            is the current year); seed: the random seed.
        batch_size: cases per batch; progress: called with the number of cases handled
            after each batch.
        defer_indexes: write the whole year in one transaction and build the case tables'
            indexes once at the end (amn.cases.bulk.deferred_indexes); None: from
            LARGE_LOAD cases on. Otherwise each batch is a transaction of its own.
        calibration: exact figures to hold (Calibration); None: the offence mix, clearance
            rates and networks of the module's tables, scaled to `cases`.
    Returns:
        GenerationSummary.
    Raises:
        DomainError: no recording unit or commune (run load-reference and load-demo), no
            ICCS table, a year in the future or before FIRST_YEAR (2001), a count below 1,
            or a calibration the cases cannot hold (more drug and violent cases than cases).
    """
    started = time.perf_counter()
    if cases < 1:
        raise DomainError(_("The number of cases must be at least 1."))
    plan = YearPlan.build(cases=cases, year=year, seed=seed, calibration=calibration)
    if defer_indexes is None:
        defer_indexes = cases >= LARGE_LOAD
    if defer_indexes:
        with transaction.atomic(), deferred_indexes():
            summary = _write_year(plan, batch_size=batch_size, progress=progress)
    else:
        summary = _write_year(plan, batch_size=batch_size, progress=progress)
    summary.seconds = time.perf_counter() - started
    audit_event_record(
        actor=actor,
        action=AuditAction.BULK_LOAD,
        target="cases.case",
        detail={
            "generator": SOURCE_NAME,
            "year": year,
            "seed": seed,
            "cases_asked": cases,
            "cases_written": summary.cases.written,
            "already_present": summary.cases.already_present,
            "offences": summary.offences,
            "arrests": summary.arrests,
            "seizures": sum(total[0] for total in summary.seizures.values()),
            "networks": sum(summary.networks.values()),
        },
    )
    return summary


def cannabis_resin_complete(*, year: int, root: OrgUnit, total_kg: Decimal) -> Decimal:
    """Bring the cannabis resin seized in `year` by units of `root`'s subtree to exactly
    `total_kg` by changing this generator's largest seizures of the year (the random small
    seizures never sum to a round figure); the seizures of other sources are left alone.

    Counts what the indicator cannabis_resin_seized_kg counts: seizures dated in the year,
    by a unit of the subtree, not linked to a case waiting in the validation inbox.
    Returns:
        Decimal: the change made, in kg (0 when the total was already right).
    Raises:
        DomainError: the generated seizures cannot absorb the difference (none of the
            year, or other sources already seize more than `total_kg`).
    """
    seizures = Seizure.objects.filter(
        substance=Substance.CANNABIS_RESIN,
        seized_on__year=year,
        seized_by__path__startswith=root.path,
    ).filter(Q(case__isnull=True) | Q(case__is_valid=True))
    held = seizures.aggregate(total=Sum("standard_quantity"))["total"] or Decimal(0)
    missing = total_kg - held
    if not missing:
        return Decimal(0)
    generated = seizures.filter(case__source_name=SOURCE_NAME).order_by("-standard_quantity", "pk")
    left = missing
    for seizure in generated.iterator():
        # Each changed seizure keeps at least 1 kg; the first one takes any increase.
        quantity = max(Decimal(1), seizure.standard_quantity + left)
        left -= quantity - seizure.standard_quantity
        Seizure.objects.filter(pk=seizure.pk).update(
            quantity=quantity, quantity_unit=QuantityUnit.KG, standard_quantity=quantity
        )
        if not left:
            return missing
    raise DomainError(
        _("The generated cannabis-resin seizures of %(year)d cannot reach %(total)s kg.")
        % {"year": year, "total": total_kg}
    )


def _write_year(
    plan: "YearPlan", *, batch_size: int, progress: Callable[[int], None] | None
) -> GenerationSummary:
    """Write the plan's cases batch by batch, each batch with its seizures and the
    networks it completes, in one transaction (a savepoint inside an outer one)."""
    writer = BulkWriter(source=CaseSource.GENERATED, source_name=SOURCE_NAME)
    summary = GenerationSummary(cases=writer.result)
    seizure_totals: dict[str, list] = defaultdict(lambda: [0, Decimal(0), ""])
    networks = Counter()
    pending: dict[int, list[tuple[str, object, GeneratedCase]]] = defaultdict(list)
    done = 0
    for batch in _chunks(plan.generate(), batch_size):
        with transaction.atomic():
            ids = writer.write_batch([item.case for item in batch])
            seizures = []
            completed = []
            for item, case_id in zip(batch, ids, strict=True):
                if item.network is not None:
                    number, is_last = item.network
                    pending[number].append((item.case.source_key, case_id, item))
                    if is_last:
                        completed.append(number)
                if case_id is None:
                    continue
                summary.offences += len(item.case.offences)
                summary.arrests += len(item.case.arrests)
                for seizure in item.seizures:
                    seizures.append(seizure.row(case_id))
                    total = seizure_totals[seizure.substance]
                    total[0] += 1
                    total[1] += seizure.standard
                    total[2] = seizure.standard_unit
            insert_rows(Seizure, SEIZURE_COLUMNS, seizures)
            for kind in _write_networks(plan, [pending.pop(n) for n in completed]):
                networks[kind] += 1
        done += len(batch)
        if progress is not None:
            progress(done)
    summary.seizures = {name: tuple(total) for name, total in seizure_totals.items()}
    summary.networks = dict(networks)
    return summary


def _chunks(items: Iterator, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write_networks(plan: "YearPlan", networks: list[list]) -> list[str]:
    """Write the networks whose last case is in this batch; returns their kinds.

    A network whose last case was already stored was written with it before: skipped.
    Cases stored by an earlier, interrupted run are found by their source key.
    """
    rows = []
    for members in networks:
        _key, last_id, last_item = members[-1]
        if last_id is None:
            continue
        missing = [key for key, case_id, _item in members if case_id is None]
        found = {}
        if missing:
            found = dict(
                Case.objects.filter(source_name=SOURCE_NAME, source_key__in=missing).values_list(
                    "source_key", "id"
                )
            )
        case_ids = [case_id or found[key] for key, case_id, _item in members]
        kind = plan.network_kinds[last_item.network_number]
        dismantled_on = max(item.case.offences[0].cleared_on for _k, _i, item in members)
        arrested = sum(len(item.case.arrests) for _k, _i, item in members)
        rows.append((kind, last_item.case.recording_unit_id, dismantled_on, arrested, case_ids))
    if not rows:
        return []
    by_year = defaultdict(list)
    for row in rows:
        by_year[row[2].year].append(row)
    objects, links = [], []
    for year, year_rows in sorted(by_year.items()):
        numbers = reserve_numbers(year=year, count=len(year_rows), kind=NETWORK_PREFIX)
        for number, (kind, unit_id, dismantled_on, arrested, case_ids) in zip(
            numbers, year_rows, strict=True
        ):
            objects.append(
                CriminalNetwork(
                    reference=format_reference(kind=NETWORK_PREFIX, year=year, number=number),
                    kind=kind,
                    unit_id=unit_id,
                    dismantled_on=dismantled_on,
                    members_arrested=arrested,
                )
            )
            links.append(case_ids)
    CriminalNetwork.objects.bulk_create(objects)
    through = CriminalNetwork.cases.through
    through.objects.bulk_create(
        through(criminalnetwork_id=network.pk, case_id=case_id)
        for network, case_ids in zip(objects, links, strict=True)
        for case_id in case_ids
    )
    return [network.kind for network in objects]


@dataclass
class PlannedSeizure:
    substance: str
    quantity: Decimal
    unit: str
    standard: Decimal
    standard_unit: str
    seized_on: datetime.date
    seized_by_id: int
    stored_at: str
    destroyed_on: datetime.date | None

    def row(self, case_id) -> tuple:
        """The values of SEIZURE_COLUMNS."""
        return (
            case_id,
            self.substance,
            self.quantity,
            self.unit,
            self.standard,
            self.seized_on,
            self.seized_by_id,
            self.stored_at,
            self.destroyed_on,
        )


SEIZURE_COLUMNS = (
    "case_id",
    "substance",
    "quantity",
    "quantity_unit",
    "standard_quantity",
    "seized_on",
    "seized_by_id",
    "stored_at",
    "destroyed_on",
)


@dataclass
class GeneratedCase:
    """One case with what hangs on it: seizures, and its place in a network
    (`network`: (network number, is the network's last case))."""

    case: BulkCase
    seizures: list[PlannedSeizure]
    network: tuple[int, bool] | None = None

    @property
    def network_number(self) -> int:
        return self.network[0]


@dataclass
class _Place:
    commune_id: int
    units: tuple[int, ...]
    unit_weights: tuple[float, ...]
    unit_codes: dict[int, str]


class YearPlan:
    """Everything drawn before the first case: geography, days, network and large-seizure
    slots. `generate()` then yields the cases in order of recording (once per plan: it
    draws from the plan's random generator)."""

    def __init__(self, *, cases: int, year: int, seed: int, calibration: Calibration | None):
        self.cases = cases
        self.year = year
        self.seed = seed
        self.calibration = calibration
        self.rng = random.Random(seed)  # noqa: S311 — synthetic data, not security
        self.first_day = datetime.date(year, 1, 1)
        self.last_day = min(datetime.date(year, 12, 31), datetime.date.today())
        self.network_kinds: list[str] = []

    @classmethod
    def build(
        cls, *, cases: int, year: int, seed: int, calibration: Calibration | None = None
    ) -> "YearPlan":
        """The plan of `cases` cases recorded in `year` (FIRST_YEAR to the current year),
        holding `calibration`'s figures when given.

        Raises:
            DomainError: a year outside that range, no ICCS table, no unit or commune.
        """
        if year > datetime.date.today().year:
            raise DomainError(
                _("Cannot generate the year %(year)d: it has not begun.") % {"year": year}
            )
        if year < FIRST_YEAR:
            raise DomainError(
                _("Cannot generate the year %(year)d: give a year from %(first)d to %(last)d.")
                % {"year": year, "first": FIRST_YEAR, "last": datetime.date.today().year}
            )
        plan = cls(cases=cases, year=year, seed=seed, calibration=calibration)
        plan._load_codes()
        plan._load_places()
        return plan

    def _load_codes(self) -> None:
        """Resolve every code of the mix to the longest code present in the ICCS table."""
        present = set(IccsCategory.objects.values_list("code", flat=True))
        if not present:
            raise DomainError(_("The ICCS table is empty: run `amn load-reference` first."))

        def resolve(code: str) -> str:
            for length in range(len(code), 1, -1):
                if code[:length] in present:
                    return code[:length]
            raise DomainError(_("ICCS code %(code)s is not in the table.") % {"code": code})

        self.code = {p.iccs_code: resolve(p.iccs_code) for p in OFFENCE_MIX}
        for code in (WEAPON_CODE, DRUG_CODE, *(n.iccs_code for n in NETWORKS)):
            self.code[code] = resolve(code)
        prefixes = defaultdict(list)
        for category, prefix in NationalCategory.objects.filter(
            code__in=(DRUG_CATEGORY, VIOLENT_CATEGORY)
        ).values_list("code", "iccs_codes__code"):
            if prefix:
                prefixes[category].append(prefix)

        def group(code: str) -> str:
            for category in (DRUG_CATEGORY, VIOLENT_CATEGORY):
                if any(code.startswith(prefix) for prefix in prefixes[category]):
                    return category
            return ""

        # The national category of each profile of the mix ("" for neither).
        self.group = [group(self.code[p.iccs_code]) for p in OFFENCE_MIX]

    def _load_places(self) -> None:
        """Communes (weight: RGPH 2024 population) and the units recording their cases."""
        communes = list(
            Commune.objects.order_by("code").values_list(
                "id", "population_2024", "province__code", "province__region__code"
            )
        )
        units = list(
            OrgUnit.objects.filter(
                serves_public=True,
                status=UnitStatus.ACTIVE,
                unit_type__code__in=RECORDING_UNIT_WEIGHTS,
                commune__isnull=False,
            )
            .order_by("path")
            .values_list(
                "id",
                "unit_type__code",
                "commune_id",
                "commune__province__code",
                "commune__province__region__code",
                "code",
            )
        )
        if not communes or not units:
            raise DomainError(
                _(
                    "No commune or no police unit serving the public: run `amn load-reference` "
                    "and `amn load-demo` first."
                )
            )
        by_commune, by_province, by_region = defaultdict(list), defaultdict(list), defaultdict(list)
        for unit in units:
            by_commune[unit[2]].append(unit)
            by_province[unit[3]].append(unit)
            by_region[unit[4]].append(unit)
        self.places: list[_Place] = []
        cumulative, total = [], 0
        for commune_id, population, province, region in communes:
            if not population:
                continue
            candidates = (
                by_commune.get(commune_id)
                or by_province.get(province)
                or by_region.get(region)
                or by_region.get(NEIGHBOUR_REGION.get(region, ""))
                or units
            )
            weights, running = [], 0
            for unit in candidates:
                running += RECORDING_UNIT_WEIGHTS[unit[1]]
                weights.append(running)
            self.places.append(
                _Place(
                    commune_id=commune_id,
                    units=tuple(unit[0] for unit in candidates),
                    unit_weights=tuple(weights),
                    unit_codes={unit[0]: unit[5] for unit in candidates},
                )
            )
            total += population
            cumulative.append(total)
        self.place_cumulative = cumulative

    def day_counts(self) -> list[tuple[datetime.date, int]]:
        """Cases per day (exact total): month weights, largest remainders, no randomness."""
        days = []
        day = self.first_day
        while day <= self.last_day:
            days.append(day)
            day += datetime.timedelta(days=1)
        weights = [MONTH_WEIGHTS[d.month - 1] for d in days]
        total = sum(weights)
        shares = [self.cases * w / total for w in weights]
        counts = [math.floor(s) for s in shares]
        short = self.cases - sum(counts)
        by_remainder = sorted(range(len(days)), key=lambda i: (counts[i] - shares[i], i))
        for i in by_remainder[:short]:
            counts[i] += 1
        return list(zip(days, counts, strict=True))

    def _slots(self) -> tuple[dict[int, tuple[int, bool]], dict[int, tuple]]:
        """Case indexes that belong to a network, and those that carry a large seizure."""
        rng = self.rng
        networks = []
        calibration = self.calibration
        for profile in NETWORKS:
            low, high = profile.cases_per_network
            count = scaled_count(profile.national_count, self.cases)
            if calibration is not None and profile.kind == NetworkKind.MIGRATION_SMUGGLING:
                count = calibration.migration_networks
            for _network in range(count):
                networks.append((profile, rng.randint(low, high)))
        rng.shuffle(networks)
        big = []
        for profile in SUBSTANCES:
            count = scaled_count(profile.big_count, self.cases)
            if not count:
                continue
            budget = profile.national_total * profile.big_fraction * self.cases / NATIONAL_CASES
            weights = [rng.lognormvariate(0.0, 1.0) for _seizure in range(count)]
            scale = budget / sum(weights)
            big.extend((profile, w * scale) for w in weights)
        network_slots = sum(size for _profile, size in networks)
        if network_slots + len(big) > self.cases // 2:
            networks, big, network_slots = [], [], 0
        chosen = rng.sample(range(self.cases), network_slots + len(big))
        members: dict[int, tuple[int, bool]] = {}
        ordered = iter(sorted(chosen[:network_slots]))
        for number, (profile, size) in enumerate(networks):
            self.network_kinds.append(profile.kind)
            for position in range(size):
                members[next(ordered)] = (number, position == size - 1)
        self._network_profiles = [profile for profile, _size in networks]
        large = dict(zip(chosen[network_slots:], big, strict=True))
        return members, large

    def _assign(
        self, network_members: dict, large_seizures: dict
    ) -> tuple[list[int], bytearray, bytearray]:
        """Each case's profile (index in OFFENCE_MIX), weapon offence (1/0) and clearance
        (1/0), decided before the first case is written so that the counts are exact.

        Profiles: network and large-seizure cases take theirs; the other cases get exact
        numbers per profile (largest remainders of the mix's shares, within the drug,
        violent and other groups when calibrated), in random order. Clearance: the offences
        left uncleared are, without calibration, their expected number under each profile's
        clearance rate, with calibration those that make the year's rate `cleared_percent`;
        they fall on cases drawn with weight 1 − clearance rate (network and large-seizure
        cases are cleared).
        """
        rng = self.rng
        mix = OFFENCE_MIX
        index_of = {p.iccs_code: i for i, p in enumerate(mix)}
        profiles = [-1] * self.cases
        for position, (number, _last) in network_members.items():
            profiles[position] = index_of[self._network_profiles[number].iccs_code]
        for position in large_seizures:
            profiles[position] = index_of[DRUG_CODE]
        free = [i for i, profile in enumerate(profiles) if profile < 0]
        calibration = self.calibration
        if calibration is None:
            counts = _largest_remainders(len(free), [p.share for p in mix])
        else:
            forced = Counter(self.group[p] for p in profiles if p >= 0)
            wanted = {
                DRUG_CATEGORY: calibration.drug_cases - forced[DRUG_CATEGORY],
                VIOLENT_CATEGORY: calibration.violent_cases - forced[VIOLENT_CATEGORY],
            }
            wanted[""] = len(free) - sum(wanted.values())
            if min(wanted.values()) < 0:
                raise DomainError(
                    _("The calibration asks for more drug and violent cases than cases.")
                )
            counts = [0] * len(mix)
            for group, total in wanted.items():
                members = [i for i, g in enumerate(self.group) if g == group]
                shares = _largest_remainders(total, [mix[i].share for i in members])
                for i, count in zip(members, shares, strict=True):
                    counts[i] = count
        drawn = [i for i, count in enumerate(counts) for _n in range(count)]
        rng.shuffle(drawn)
        for position, profile in zip(free, drawn, strict=True):
            profiles[position] = profile
        random_ = rng.random
        weapons = bytearray(1 if random_() < mix[p].weapon_share else 0 for p in profiles)
        cleared = bytearray(b"\x01") * self.cases
        offences = self.cases + sum(weapons)
        if calibration is None:
            uncleared = round(
                sum((1 - mix[profiles[i]].clearance_rate) * (1 + weapons[i]) for i in free)
            )
        else:
            total = offences + calibration.offences_before
            target = math.floor(calibration.cleared_percent * total / 100 + 0.5)
            uncleared = offences - (target - calibration.cleared_before)
        # Weighted sampling without replacement (Efraimidis–Spirakis): the largest keys.
        keys = {i: math.log(1 - random_()) / (1 - mix[profiles[i]].clearance_rate) for i in free}
        for i in sorted(free, key=keys.__getitem__, reverse=True):
            if uncleared <= 0:
                break
            if 1 + weapons[i] <= uncleared:
                cleared[i] = 0
                uncleared -= 1 + weapons[i]
        return profiles, weapons, cleared

    def generate(self) -> Iterator[GeneratedCase]:
        """Yield the year's cases in order of recording day."""
        rng = self.rng
        random_ = rng.random
        network_members, large_seizures = self._slots()
        profiles, weapons, cleared_flags = self._assign(network_members, large_seizures)
        network_places: dict[int, _Place] = {}
        mix = OFFENCE_MIX
        substances_cumulative = list(_cumulate(s.share for s in SUBSTANCES))
        substances_total = substances_cumulative[-1]
        small_means = {
            s.substance: s.national_total
            * (1 - s.big_fraction)
            / (NATIONAL_CASES * _share(DRUG_CODE) / 100 * SEIZURE_RATE * s.share / substances_total)
            for s in SUBSTANCES
        }
        places, place_cumulative = self.places, self.place_cumulative
        place_total = place_cumulative[-1]
        code = self.code
        by_code = {p.iccs_code: p for p in mix}
        last_day = self.last_day
        one_day = datetime.timedelta(days=1)
        prefix = f"{self.year}-{self.seed}-{self.cases}-"
        not_cleared, by_arrest = Clearance.NOT_CLEARED.value, Clearance.BY_ARREST.value
        exceptional = Clearance.EXCEPTIONAL.value
        referred, open_ = CaseStatus.REFERRED.value, CaseStatus.OPEN.value
        bisect_ = bisect.bisect
        index = 0
        for day, count in self.day_counts():
            for _case in range(count):
                network = network_members.get(index)
                large = large_seizures.get(index)
                if network is not None:
                    profile = by_code[self._network_profiles[network[0]].iccs_code]
                    place = network_places.get(network[0])
                    if place is None:
                        place = places[bisect_(place_cumulative, random_() * place_total)]
                        network_places[network[0]] = place
                    if network[1]:
                        network_places.pop(network[0])
                elif large is not None:
                    profile = by_code[DRUG_CODE]
                    place = places[bisect_(place_cumulative, random_() * place_total)]
                else:
                    profile = mix[profiles[index]]
                    place = places[bisect_(place_cumulative, random_() * place_total)]
                weights = place.unit_weights
                unit_id = place.units[bisect_(weights, random_() * weights[-1])]
                forced = network is not None or large is not None
                # Dates: occurrence, recording (this day), clearance.
                if profile.proactive:
                    occurred_on, reported_on = day, None
                else:
                    lag = (
                        0
                        if random_() < SAME_DAY_RECORDING
                        else 1 + int(rng.expovariate(1 / MEAN_RECORDING_DAYS))
                    )
                    occurred_on = day - lag * one_day
                    reported_on = day
                cleared = cleared_flags[index]
                clearance, cleared_on, reason, arrests = not_cleared, None, "", []
                if cleared:
                    if profile.proactive or random_() < SAME_DAY_CLEARANCE:
                        cleared_on = day
                    else:
                        delay = 1 + int(rng.expovariate(1 / MEAN_CLEARANCE_DAYS))
                        if day + delay * one_day > last_day:
                            delay = rng.randint(0, (last_day - day).days)
                        cleared_on = day + delay * one_day
                    if not profile.proactive and not forced and random_() < EXCEPTIONAL_SHARE:
                        clearance = exceptional
                        reason = EXCEPTIONAL_REASONS[int(random_() * len(EXCEPTIONAL_REASONS))]
                    else:
                        clearance = by_arrest
                        arrests.append(cleared_on)
                        if network is not None:
                            extra = self._network_profiles[network[0]].extra_arrests
                        elif large is not None:
                            extra = LARGE_SEIZURE_EXTRA_ARRESTS
                        else:
                            extra = profile.extra_arrests
                        keep = extra / (1 + extra)
                        while random_() < keep:
                            arrests.append(cleared_on)
                offences = [BulkOffence(code[profile.iccs_code], clearance, cleared_on, reason)]
                if weapons[index]:
                    offences.append(BulkOffence(code[WEAPON_CODE], clearance, cleared_on, reason))
                seizures = []
                if large is not None:
                    substance, amount = large
                    seizures.append(self._seizure(substance, amount, cleared_on, place, unit_id))
                elif profile.iccs_code == DRUG_CODE and random_() < SEIZURE_RATE:
                    substance = SUBSTANCES[
                        bisect_(substances_cumulative, random_() * substances_total)
                    ]
                    mean = small_means[substance.substance]
                    amount = rng.lognormvariate(
                        math.log(mean) - substance.sigma**2 / 2, substance.sigma
                    )
                    seizures.append(
                        self._seizure(substance, amount, cleared_on or day, place, unit_id)
                    )
                yield GeneratedCase(
                    case=BulkCase(
                        recording_unit_id=unit_id,
                        occurred_on=occurred_on,
                        recorded_on=day,
                        offences=offences,
                        source_key=f"{prefix}{index:07d}",
                        reported_on=reported_on,
                        commune_id=place.commune_id,
                        status=referred if cleared else open_,
                        arrests=arrests,
                    ),
                    seizures=seizures,
                    network=network,
                )
                index += 1

    def _seizure(
        self,
        profile: SubstanceProfile,
        amount: float,
        seized_on: datetime.date,
        place: _Place,
        unit_id: int,
    ) -> PlannedSeizure:
        """A seizure of `amount` (kg, or tablets), recorded in grams below one kilogram."""
        if profile.counted:
            quantity, unit = Decimal(max(1, round(amount))), QuantityUnit.TABLETS
        elif amount < 1:
            quantity, unit = Decimal(max(1, round(amount * 10_000))) / 10, QuantityUnit.G
        else:
            quantity, unit = Decimal(round(amount * 1000)) / 1000, QuantityUnit.KG
        standard, standard_unit = standard_quantity(profile.substance, quantity, unit)
        destroyed_on = None
        if amount >= 100 and not profile.counted:
            # Large seizures are destroyed on a court order some months later (assumption).
            day = seized_on + datetime.timedelta(days=self.rng.randint(60, 180))
            destroyed_on = day if day <= self.last_day else None
        return PlannedSeizure(
            substance=profile.substance,
            quantity=quantity,
            unit=unit,
            standard=standard,
            standard_unit=standard_unit,
            seized_on=seized_on,
            seized_by_id=unit_id,
            stored_at=f"Scellés judiciaires — {place.unit_codes[unit_id]}",
            destroyed_on=destroyed_on,
        )


def _cumulate(values) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


def _largest_remainders(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders, ties to the first),
    summing to `total`; all zeros when the weights are."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    raw = [total * w / whole for w in weights]
    parts = [math.floor(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (parts[i] - raw[i], i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _share(code: str) -> float:
    return sum(p.share for p in OFFENCE_MIX if p.iccs_code == code)
