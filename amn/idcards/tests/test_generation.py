"""amn.idcards.generation and `amn generate-demo --cnie N`: valid cards, the regional
distribution proportional to population, working days only, determinism per seed,
idempotency, the command's output and its refusals."""

import datetime
import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Sum

from amn.geo.models import Commune
from amn.idcards.choices import CardStatus
from amn.idcards.generation import NEIGHBOUR_REGION, cnie_year_generate
from amn.idcards.models import Card, CardLoad
from amn.idcards.numbers import REGION_PREFIX, card_expiry
from amn.idcards.selectors import cards_by_month_and_region
from amn.orgunits import demo as orgunits_demo
from amn.people.cnie import CNIE_PATTERN

pytestmark = pytest.mark.django_db

CARDS = 6000
SEED = 7


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker):
    """load-reference, the demo units and a generated year of CARDS cards, built once for
    the module in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load-reference", stdout=io.StringIO())
            orgunits_demo.load_demo()
            summary = cnie_year_generate(actor=None, cards=CARDS, year=2025, seed=SEED)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def _rows():
    return list(
        Card.objects.order_by("id").values_list(
            "id", "number", "family_name_latin", "given_name_ar", "sex", "birth_date",
            "commune_id", "unit_id", "issued_on", "expires_on",
        )
    )  # fmt: skip


def test_every_card_is_valid(generated):
    assert generated.written == CARDS == Card.objects.count()
    for card in Card.objects.select_related("region", "unit"):
        assert CNIE_PATTERN.fullmatch(card.number)
        assert card.number.startswith(REGION_PREFIX[card.region.code])
        assert card.issued_on.year == 2025 and card.issued_on.weekday() < 5
        assert card.status == CardStatus.ACTIVE
        assert card.expires_on > card.issued_on
        born, issued = card.birth_date, card.issued_on
        age = issued.year - born.year - ((issued.month, issued.day) < (born.month, born.day))
        assert 12 <= age <= 91
        assert card.expires_on == card_expiry(issued_on=issued, minor=age < 18)
        assert card.unit.serves_public
    assert Card.objects.values("number").distinct().count() == CARDS


def test_regions_get_cards_in_proportion_to_population(generated):
    population = dict(
        Commune.objects.values_list("province__region__code").annotate(p=Sum("population_2024"))
    )
    total = sum(population.values())
    counts = Counter(Card.objects.values_list("region__code", flat=True))
    for region, people in population.items():
        expected = CARDS * people / total
        assert abs(counts[region] - expected) < 4 * expected**0.5 + 5, region


def test_offices_of_the_region_or_a_neighbour_issue_the_cards(generated):
    for region, unit_region in Card.objects.values_list(
        "region__code", "unit__commune__province__region__code"
    ).distinct():
        assert unit_region in (region, NEIGHBOUR_REGION.get(region)), (region, unit_region)


def test_counts_by_month_and_region_add_up(generated):
    counts = cards_by_month_and_region(year=2025)
    assert sum(counts.values()) == CARDS
    months = Counter()
    for (month, _region), n in counts.items():
        months[month] += n
    assert set(months) == set(range(1, 13))
    assert months[6] > months[8]  # the June peak and the August lull of MONTH_WEIGHTS


def test_same_seed_same_cards_and_a_second_run_writes_nothing(generated):
    before = _rows()
    again = cnie_year_generate(actor=None, cards=CARDS, year=2025, seed=SEED)
    assert again.already_present and again.written == 0
    assert _rows() == before

    with transaction.atomic():
        Card.objects.all().delete()
        CardLoad.objects.all().delete()
        from amn.idcards.models import CardNumberCounter

        CardNumberCounter.objects.all().delete()
        cnie_year_generate(actor=None, cards=CARDS, year=2025, seed=SEED)
        assert _rows() == before
        transaction.set_rollback(True)


def test_another_seed_gives_other_cards(generated):
    with transaction.atomic():
        cnie_year_generate(actor=None, cards=500, year=2025, seed=SEED + 1)
        assert Card.objects.count() == CARDS + 500
        transaction.set_rollback(True)


def test_command(generated):
    out = io.StringIO()
    with transaction.atomic():
        call_command("generate-demo", "--cnie", "300", "--year", "2024", "--seed", "2", stdout=out)
        transaction.set_rollback(True)
    text = out.getvalue()
    assert "CNIE cards written: 300" in text
    assert "seconds:" in text


def test_command_refusals(generated):
    future = datetime.date.today().year + 1
    with pytest.raises(CommandError, match="has not begun"):
        call_command("generate-demo", "--cnie", "10", "--year", str(future))
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate-demo", "--cnie", "0")
    with pytest.raises(CommandError, match="--cnie N"):
        call_command("generate-demo")
