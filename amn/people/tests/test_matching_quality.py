"""Matching quality on a small synthetic registry built from the real name spellings of the
shared data (amn.people.matching.evaluation; bench/matching.py runs the full-size version).

The registry is held in memory (same keys and scoring as the database path, which
test_matching_check covers) so that the test stays fast.
"""

from amn.people.identity import CheckOutcome
from amn.people.matching import evaluation


def test_quality_on_both_splits(shared_data):
    units = evaluation.NameUnits.read(shared_data)
    communes = evaluation.read_communes(shared_data)
    generator = evaluation.Generator(units, communes, seed=7)
    registry = generator.registry(6_000)
    queries = generator.queries(registry, 250)
    check = evaluation.memory_checker([record for record, _, _ in registry], communes)

    tallies = {"train": evaluation.Tally(), "held-out": evaluation.Tally()}
    for query in queries:
        tallies[query.split].record(query, check(query.applicant))

    for split, tally in tallies.items():
        figures = tally.figures()
        assert figures["matches"] > 80, split
        assert figures["recall"] >= 0.98, (split, figures)
        assert figures["automatic_precision"] >= 0.98, (split, figures)
        # Homonyms never get RECORD_FOUND for the wrong person …
        assert figures["record_found_precision"] >= 0.99, (split, figures)
        # … and automation is real: most applicants get an automatic outcome.
        assert figures["review_share"] <= 0.2, (split, figures)
        assert figures["confusion"]["homonym"][CheckOutcome.NO_RECORD.value] > 0, split


def test_the_splits_share_no_name_key(shared_data):
    units = evaluation.NameUnits.read(shared_data)
    assert units.keys("train") and units.keys("held-out")
    assert not units.keys("train") & units.keys("held-out")
