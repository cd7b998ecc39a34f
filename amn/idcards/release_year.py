"""The CNIE cards of a generated demo year calibrated on a release (`amn generate-year`,
hook of amn.core.app_hooks): cnie_produced cards issued in the year in the national tree,
cards of the year already recorded (the demo's, live ones) counted in
(amn.idcards.generation writes the rest)."""

from django.db.models import Sum

from amn.cases.release_year import national_root
from amn.core.errors import DomainError
from amn.idcards.generation import cnie_year_generate
from amn.idcards.models import Card, CardLoad

PRODUCED = "cnie_produced"


def generate(*, year: int, scale: float, seed: int, targets: dict[str, float]) -> str:
    """Generate the year's cards holding targets["cnie_produced"] (a scaled count).

    Returns:
        a one-line summary naming the scale, or why nothing was generated.
    Raises:
        DomainError: records of the year already exceed the target; the generator refuses.
    """
    if PRODUCED not in targets:
        return f"CNIE {year}: no target, nothing generated"
    root = national_root()
    issued = Card.objects.filter(issued_on__year=year, unit__path__startswith=root.path).count()
    generated = CardLoad.objects.filter(year=year).aggregate(n=Sum("written"))["n"] or 0
    cards = int(targets[PRODUCED]) - (issued - generated)
    if cards < 1:
        raise DomainError(
            f"The {year} records already hold {issued - generated} CNIE cards, the target "
            f"is {int(targets[PRODUCED])}; choose a larger scale."
        )
    summary = cnie_year_generate(actor=None, cards=cards, year=year, seed=seed)
    state = "already present" if summary.already_present else "written"
    return f"CNIE {year} at scale {scale:g}: {cards} cards {state}"
