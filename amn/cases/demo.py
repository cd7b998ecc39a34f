"""Demo criminal cases (fictitious), recorded through amn.cases.services.case_record by demo
units in Fès, Agadir, Rabat and Casablanca. Two of them have problems and wait in the
validation inbox, so that the inbox and the correction form can be seen at work."""

import datetime
from decimal import Decimal

from amn.cases.choices import CaseStatus, Clearance, PartyRole, QuantityUnit, Substance
from amn.cases.models import Case
from amn.cases.services import CaseInput, OffenceInput, PartyInput, case_record, seizure_record
from amn.orgunits.models import OrgUnit

D = datetime.date
ARREST = Clearance.BY_ARREST
EXCEPTIONAL = Clearance.EXCEPTIONAL

# unit code, occurred, reported, recorded, status, narrative (its key: one demo case per
# unit, recording day and narrative), offences (ICCS code, clearance, cleared on, reason),
# persons (role, sex, age, nationality, arrested on), seizure (substance, quantity, unit)
DEMO_CASES = (
    (
        "ws-fes-d1",
        D(2025, 3, 8),
        D(2025, 3, 8),
        D(2025, 3, 9),
        CaseStatus.REFERRED,
        "Demo: street robbery of a phone near Bab Boujloud; the suspect was arrested the next day.",
        [("0401", ARREST, D(2025, 3, 9), "")],
        [
            (PartyRole.ARRESTED, "M", 24, "MA", D(2025, 3, 9)),
            (PartyRole.VICTIM, "F", 31, "MA", None),
        ],
        None,
    ),
    (
        "ws-fes-d1",
        D(2025, 6, 14),
        D(2025, 6, 14),
        D(2025, 6, 14),
        CaseStatus.REFERRED,
        "Demo: vehicle stopped at a checkpoint carrying cannabis resin (chira).",
        [("0601", ARREST, D(2025, 6, 14), "")],
        [(PartyRole.ARRESTED, "M", 37, "MA", D(2025, 6, 14))],
        (Substance.CANNABIS_RESIN, Decimal("42.500"), QuantityUnit.KG),
    ),
    (
        "ws-agadir-d1",
        D(2025, 8, 2),
        D(2025, 8, 3),
        D(2025, 8, 3),
        CaseStatus.OPEN,
        "Demo: burglary of a holiday flat; no suspect identified yet.",
        [("0501", Clearance.NOT_CLEARED, None, "")],
        [(PartyRole.VICTIM, "F", 45, "FR", None)],
        None,
    ),
    (
        "ws-rabat-d1",
        D(2025, 2, 20),
        D(2025, 4, 1),
        D(2025, 4, 2),
        CaseStatus.CLOSED,
        "Demo: online sale fraud; the identified offender died before he could be arrested.",
        [("0701", EXCEPTIONAL, D(2025, 5, 15), "Offender died before arrest")],
        [(PartyRole.VICTIM, "M", 52, "MA", None)],
        None,
    ),
    (
        "ws-casablanca-d1",
        D(2025, 10, 11),
        D(2025, 10, 11),
        D(2025, 10, 12),
        CaseStatus.OPEN,
        "Demo: fight in a market followed by the theft of a wallet.",
        [("0201", ARREST, D(2025, 10, 12), ""), ("0502", Clearance.NOT_CLEARED, None, "")],
        [
            (PartyRole.ARRESTED, "M", 19, "MA", D(2025, 10, 12)),
            (PartyRole.VICTIM, "M", 28, "SN", None),
            (PartyRole.WITNESS, "F", 40, "MA", None),
        ],
        None,
    ),
    # In the inbox: an offence recorded without its ICCS code.
    (
        "ws-fes-d1",
        D(2025, 11, 3),
        D(2025, 11, 3),
        D(2025, 11, 4),
        CaseStatus.OPEN,
        "Demo: shoplifting reported by a shop owner; the offence was not coded yet.",
        [(None, Clearance.NOT_CLEARED, None, "")],
        [(PartyRole.VICTIM, "M", 58, "MA", None)],
        None,
    ),
    # In the inbox: reported before it occurred, and cleared by arrest with no arrest recorded.
    (
        "ws-agadir-d1",
        D(2025, 9, 20),
        D(2025, 9, 12),
        D(2025, 9, 21),
        CaseStatus.OPEN,
        "Demo: theft from a parked car; the arrest was not entered with the case.",
        [("0502", ARREST, D(2025, 9, 21), "")],
        [(PartyRole.SUSPECT, "M", 27, "MA", None)],
        None,
    ),
)


def load_demo() -> str:
    """Record the demo cases not recorded yet; returns a summary line."""
    units = {
        unit.code: unit for unit in OrgUnit.objects.filter(code__in={row[0] for row in DEMO_CASES})
    }
    created = 0
    for (
        unit_code,
        occurred,
        reported,
        recorded,
        status,
        narrative,
        offences,
        persons,
        seized,
    ) in DEMO_CASES:
        unit = units.get(unit_code)
        if unit is None:
            continue
        if Case.objects.filter(
            recording_unit=unit, recorded_on=recorded, narrative=narrative
        ).exists():
            continue
        case = case_record(
            actor=None,
            data=CaseInput(
                recording_unit_id=unit.pk,
                commune_id=unit.commune_id,
                occurred_on=occurred,
                reported_on=reported,
                recorded_on=recorded,
                status=status,
                narrative=narrative,
                offences=[
                    OffenceInput(code, clearance, day, reason)
                    for code, clearance, day, reason in offences
                ],
                parties=[
                    PartyInput(
                        role=role,
                        sex=sex,
                        age_at_time=age,
                        nationality=country,
                        arrested_on=arrested,
                    )
                    for role, sex, age, country, arrested in persons
                ],
            ),
        )
        if seized is not None:
            substance, quantity, quantity_unit = seized
            seizure_record(
                actor=None,
                case=case,
                substance=substance,
                quantity=quantity,
                quantity_unit=quantity_unit,
                seized_on=recorded,
                seized_by_id=unit.pk,
                stored_at="Demo: evidence store of the recording unit",
            )
        created += 1
    in_inbox = Case.objects.filter(narrative__startswith="Demo:", is_valid=False).count()
    return f"demo cases: {created} created ({in_inbox} in the validation inbox)"
