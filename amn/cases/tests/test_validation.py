import datetime

from amn.cases.choices import Clearance, Problem
from amn.cases.validation import OffenceFacts, case_problems

DAY = datetime.date(2025, 3, 10)
LATER = datetime.date(2025, 3, 12)


def _problems(offences, *, occurred=DAY, reported=DAY, recorded=LATER, arrests=0):
    return case_problems(
        occurred_on=occurred,
        reported_on=reported,
        recorded_on=recorded,
        offences=offences,
        arrest_count=arrests,
    )


def test_a_complete_case_has_no_problem():
    cleared = OffenceFacts("0401", Clearance.BY_ARREST, LATER)
    assert _problems([cleared], arrests=1) == []


def test_each_problem_is_named_once():
    offences = [
        OffenceFacts(None, Clearance.NOT_CLEARED, None),
        OffenceFacts("", Clearance.NOT_CLEARED, None),
        OffenceFacts("0502", Clearance.BY_ARREST, LATER),
        OffenceFacts("0701", Clearance.EXCEPTIONAL, LATER, exceptional_reason="  "),
        OffenceFacts("0701", Clearance.EXCEPTIONAL, datetime.date(2025, 1, 1), "offender died"),
    ]
    assert _problems(offences, recorded=datetime.date(2025, 3, 1)) == [
        Problem.DATES_OUT_OF_ORDER,
        Problem.MISSING_ICCS,
        Problem.CLEARED_WITHOUT_ARREST,
        Problem.EXCEPTIONAL_WITHOUT_REASON,
        Problem.CLEARED_BEFORE_OCCURRED,
    ]


def test_unknown_report_date_is_not_a_problem():
    assert _problems([OffenceFacts("0502", Clearance.NOT_CLEARED, None)], reported=None) == []


def test_report_before_occurrence_is_out_of_order():
    offences = [OffenceFacts("0502", Clearance.NOT_CLEARED, None)]
    assert _problems(offences, reported=datetime.date(2025, 3, 9)) == [Problem.DATES_OUT_OF_ORDER]


def test_a_case_is_cleared_when_all_its_offences_are_on_the_last_date():
    from amn.cases.validation import case_cleared_on

    first = OffenceFacts("0401", Clearance.BY_ARREST, DAY)
    second = OffenceFacts("0502", Clearance.EXCEPTIONAL, LATER, "offender died")
    open_one = OffenceFacts("0502", Clearance.NOT_CLEARED, None)
    assert case_cleared_on([first, second]) == LATER
    assert case_cleared_on([first, open_one]) is None
    assert case_cleared_on([]) is None
