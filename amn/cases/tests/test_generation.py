"""amn.cases.generation and `amn generate-demo`: determinism, validity, the proportions of
the release on a small year, idempotency, command output."""

import datetime
import io
from collections import Counter
from decimal import Decimal

import pytest
from auditlog.context import disable_auditlog
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from django.test import override_settings
from django.utils import translation

from amn.audit.choices import AuditAction
from amn.audit.models import AuditEvent
from amn.cases.choices import CaseSource, Clearance, NetworkKind, Substance
from amn.cases.generation import (
    FIRST_YEAR,
    OFFENCE_MIX,
    RECORDING_UNIT_WEIGHTS,
    SOURCE_NAME,
    demo_year_generate,
    scaled_count,
)
from amn.cases.models import (
    Arrest,
    Case,
    CaseSequence,
    CriminalNetwork,
    NationalCategory,
    Offence,
    Seizure,
)
from amn.cases.quantities import standard_quantity
from amn.geo.models import Region

pytestmark = pytest.mark.django_db

CASES = 2000  # the module's generated year
SEED = 11


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """load-reference, load-demo and a generated year of CASES cases, built once for the
    module in a transaction rolled back at its end (each test runs in a savepoint)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                call_command("load-reference", stdout=io.StringIO())
                call_command("load-demo", stdout=io.StringIO())
            summary = demo_year_generate(actor=None, cases=CASES, year=2025, seed=SEED)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def generated(prefix: str = f"2025-{SEED}-{CASES}-"):
    return Case.objects.filter(source=CaseSource.GENERATED, source_key__startswith=prefix)


def snapshot(prefix: str) -> dict:
    """Every generated row of one (year, seed, cases), without the random UUIDs."""
    cases = generated(prefix)
    return {
        "cases": list(
            cases.order_by("reference").values_list(
                "reference",
                "source_key",
                "recording_unit__code",
                "commune__code",
                "occurred_on",
                "reported_on",
                "recorded_on",
                "cleared_on",
                "status",
            )
        ),
        "offences": list(
            Offence.objects.filter(case__in=cases)
            .order_by("case__reference", "iccs_id")
            .values_list(
                "case__reference", "iccs_id", "clearance", "cleared_on", "exceptional_reason"
            )
        ),
        "arrests": sorted(
            Arrest.objects.filter(case__in=cases).values_list("case__reference", "arrested_on")
        ),
        "seizures": sorted(
            Seizure.objects.filter(case__in=cases).values_list(
                "case__reference", "substance", "quantity", "quantity_unit", "standard_quantity"
            )
        ),
        "networks": sorted(
            (
                n.kind,
                n.unit.code,
                n.dismantled_on,
                n.members_arrested,
                n.reference,
                *sorted(n.cases.values_list("reference", flat=True)),
            )
            for n in CriminalNetwork.objects.filter(cases__in=cases).distinct()
        ),
    }


def forget(prefix: str, sequences: dict[int, int]) -> None:
    """Delete one generation's rows and put the reference counters back."""
    cases = generated(prefix)
    with disable_auditlog():
        Seizure.objects.filter(case__in=cases).delete()
        CriminalNetwork.objects.filter(cases__in=cases).delete()
        cases.delete()
    CaseSequence.objects.exclude(key__in=sequences).delete()
    for key, last in sequences.items():
        CaseSequence.objects.filter(key=key).update(last=last)


@pytest.mark.parametrize("defer_indexes", [False, True])
def test_the_same_seed_gives_the_same_rows(year, defer_indexes):
    sequences = dict(CaseSequence.objects.values_list("key", "last"))
    prefix = "2025-7-1200-"
    demo_year_generate(actor=None, cases=1200, year=2025, seed=7, batch_size=500)
    first = snapshot(prefix)
    forget(prefix, sequences)

    demo_year_generate(
        actor=None, cases=1200, year=2025, seed=7, batch_size=333, defer_indexes=defer_indexes
    )

    assert snapshot(prefix) == first
    assert len(first["cases"]) == 1200 and first["seizures"] and first["networks"]


class Interrupted(Exception):
    pass


def test_an_interrupted_generation_resumes_to_the_same_rows(year):
    sequences = dict(CaseSequence.objects.values_list("key", "last"))
    prefix = "2025-7-1200-"
    demo_year_generate(actor=None, cases=1200, year=2025, seed=7, batch_size=100)
    whole = snapshot(prefix)
    forget(prefix, sequences)
    cut = whole["cases"][399][0]  # the reference of the last case written before the stop

    def stop_after_400(done: int) -> None:
        if done == 400:
            raise Interrupted

    with pytest.raises(Interrupted):
        demo_year_generate(
            actor=None, cases=1200, year=2025, seed=7, batch_size=100, progress=stop_after_400
        )
    assert generated(prefix).count() == 400
    resumed = demo_year_generate(actor=None, cases=1200, year=2025, seed=7, batch_size=100)

    assert (resumed.cases.written, resumed.cases.already_present) == (800, 400)
    assert snapshot(prefix) == whole
    # A network had cases on both sides of the stop: its first cases were found again.
    assert any(min(network[5:]) <= cut < max(network[5:]) for network in whole["networks"])


def test_another_seed_gives_other_rows(year):
    demo_year_generate(actor=None, cases=300, year=2025, seed=8)
    demo_year_generate(actor=None, cases=300, year=2025, seed=9)

    eight, nine = snapshot("2025-8-300-"), snapshot("2025-9-300-")
    assert len(eight["cases"]) == len(nine["cases"]) == 300
    assert [row[2:] for row in eight["cases"]] != [row[2:] for row in nine["cases"]]


def test_every_generated_case_is_valid_and_dated_in_its_year(year):
    cases = generated()
    assert cases.count() == CASES == year.cases.written
    assert year.cases.in_inbox == 0
    assert not cases.filter(is_valid=False).exists()
    assert (
        not Offence.objects.filter(case__in=cases)
        .filter(Q(iccs__isnull=True) | Q(is_valid=False))
        .exists()
    )
    for occurred, reported, recorded, cleared in cases.values_list(
        "occurred_on", "reported_on", "recorded_on", "cleared_on"
    ):
        assert recorded.year == 2025
        assert occurred <= recorded and (reported is None or occurred <= reported <= recorded)
        assert cleared is None or recorded <= cleared <= datetime.date(2025, 12, 31)
    months = Counter(cases.values_list("recorded_on__month", flat=True))
    assert sorted(months) == list(range(1, 13))
    assert months[8] > months[2]  # summer peak, short February


def test_cleared_by_arrest_has_arrests_and_exceptional_a_reason(year):
    offences = Offence.objects.filter(case__in=generated())
    by_arrest = offences.filter(clearance=Clearance.BY_ARREST)
    assert by_arrest.exists()
    assert not by_arrest.filter(case__arrests__isnull=True).exists()
    assert not offences.filter(clearance=Clearance.EXCEPTIONAL, exceptional_reason="").exists()
    assert year.arrests == Arrest.objects.filter(case__in=generated()).count()
    assert year.offences == offences.count()


def category_share(code: str) -> float:
    """Share of generated cases with an offence in a national category (read from data)."""
    prefixes = NationalCategory.objects.get(code=code).iccs_codes.values_list("code", flat=True)
    condition = Q()
    for prefix in prefixes:
        condition |= Q(offences__iccs__code__startswith=prefix)
    return generated().filter(condition).distinct().count() / CASES


def test_offence_mix_follows_the_release(year):
    # Release: 106,117 drug cases and 43,869 violent-crime cases of 779,008 (13.6 %, 5.6 %);
    # bounds are about 3 standard deviations of a binomial share on 2,000 cases.
    assert 0.115 <= category_share("drug_offences") <= 0.158
    assert 0.040 <= category_share("violent_crime") <= 0.073
    assert 0.004 <= category_share("illegal_migration") <= 0.022
    assert 0.025 <= category_share("economic_financial_crime") <= 0.060
    assert sum(profile.share for profile in OFFENCE_MIX) == pytest.approx(100)


def test_clearance_is_about_95_percent_and_lower_for_property(year):
    cases = generated()
    overall = cases.filter(cleared_on__isnull=False).count() / CASES
    assert 0.93 <= overall <= 0.97  # release: معدل الزجر 95 %
    property_offences = Offence.objects.filter(case__in=cases, iccs__code__startswith="05")
    property_rate = (
        property_offences.exclude(clearance=Clearance.NOT_CLEARED).count()
        / property_offences.count()
    )
    assert property_rate < overall - 0.02


def test_cases_fall_on_regions_in_proportion_to_population(year):
    population = dict(Region.objects.values_list("code", "population_2024"))
    total = sum(population.values())
    counts = Counter(generated().values_list("commune__province__region__code", flat=True))
    for code, people in population.items():
        expected = CASES * people / total
        assert abs(counts[code] - expected) <= 4 * expected**0.5 + 2, code


def test_cases_are_recorded_by_units_that_serve_the_public(year):
    units = (
        generated().values_list("recording_unit__unit_type__code", "recording_unit__serves_public")
    ).distinct()
    assert {code for code, _serves in units} <= set(RECORDING_UNIT_WEIGHTS)
    assert all(serves for _code, serves in units)
    assert generated().values("recording_unit").distinct().count() >= 10


def test_seizures_carry_standard_quantities(year):
    seizures = Seizure.objects.filter(case__in=generated())
    assert seizures.filter(substance=Substance.CANNABIS_RESIN).exists()
    for substance, quantity, unit, standard in seizures.values_list(
        "substance", "quantity", "quantity_unit", "standard_quantity"
    ):
        assert standard == pytest.approx(standard_quantity(substance, quantity, unit)[0])
    assert not seizures.exclude(case__offences__iccs_id="0601").exists()
    resin = sum(
        seizures.filter(substance=Substance.CANNABIS_RESIN).values_list(
            "standard_quantity", flat=True
        ),
        Decimal(0),
    )
    # Release: 170.796 t for 779,008 cases, about 439 kg for 2,000; one large seizure
    # carries 80 % of it exactly, the small ones vary.
    assert 330 <= resin <= 560
    count, total, unit = year.seizures[Substance.CANNABIS_RESIN]
    assert (count, total, unit) == (
        seizures.filter(substance=Substance.CANNABIS_RESIN).count(),
        resin,
        "kg",
    )


def test_networks_scale_with_the_year(year):
    assert scaled_count(105, 779_008) == 105
    assert scaled_count(105, 800_000) == 108
    assert scaled_count(105, 300) == 0
    assert scaled_count(105, 1000) == 1  # a small demo still shows one
    networks = CriminalNetwork.objects.filter(cases__in=generated()).distinct()
    kinds = Counter(networks.values_list("kind", flat=True))
    assert kinds == {NetworkKind.MIGRATION_SMUGGLING: 1, NetworkKind.OTHER: 3}
    assert year.networks == dict(kinds)
    for network in networks:
        linked = network.cases.all()
        assert linked.exists()
        assert network.dismantled_on == max(linked.values_list("cleared_on", flat=True))
        assert network.members_arrested == Arrest.objects.filter(case__in=linked).count()


def test_generating_again_writes_nothing(year):
    seizures, networks = Seizure.objects.count(), CriminalNetwork.objects.count()

    again = demo_year_generate(actor=None, cases=CASES, year=2025, seed=SEED)

    assert (again.cases.written, again.cases.already_present) == (0, CASES)
    assert (again.seizures, again.networks) == ({}, {})
    assert (Seizure.objects.count(), CriminalNetwork.objects.count()) == (seizures, networks)


def test_a_generation_is_audited(year):
    event = AuditEvent.objects.filter(action=AuditAction.BULK_LOAD, target="cases.case").latest(
        "id"
    )
    assert event.detail["generator"] == SOURCE_NAME
    assert (event.detail["cases_written"], event.detail["seed"]) == (CASES, SEED)


def test_the_command_prints_what_it_wrote(year):
    out = io.StringIO()

    with translation.override("en"):
        call_command("generate-demo", "--cases", "500", "--year", "2025", "--seed", "3", stdout=out)

    lines = out.getvalue().splitlines()
    assert "cases written: 500" in lines
    assert any(line.startswith("offences: ") for line in lines)
    assert any(line.startswith("arrests: ") for line in lines)
    assert any(line.startswith("seizures of Cannabis resin (chira): ") for line in lines)
    assert generated("2025-3-500-").count() == 500


@translation.override("en")
def test_the_command_refuses_a_year_to_come_and_no_cases(year):
    with pytest.raises(CommandError, match=r"has not begun.* nothing was generated"):
        call_command(
            "generate-demo", "--cases", "10", "--year", str(datetime.date.today().year + 1)
        )
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate-demo", "--cases", "0", "--year", "2025")


@translation.override("en")
@pytest.mark.parametrize("asked", ["1800", "2000", "-5"])
def test_the_command_refuses_a_year_before_2001(year, asked):
    before = Case.objects.count()

    with pytest.raises(CommandError, match=rf"year {asked}: give a year from 2001 to \d{{4}}"):
        call_command("generate-demo", "--cases", "10", "--year", asked)

    assert Case.objects.count() == before
    assert not generated(f"{asked}-").exists()


def test_the_first_year_is_accepted(year):
    summary = demo_year_generate(actor=None, cases=20, year=FIRST_YEAR, seed=9)

    assert summary.cases.written == 20
    assert generated(f"{FIRST_YEAR}-9-20-").count() == 20
