"""`amn import-registry` and `amn registry-check`: output, exit status, gzip."""

import gzip
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amn.people.identity import Candidate, CheckOutcome, CheckResult, FieldComparison
from amn.people.models import JudicialRecord, Person
from amn.people.tests.conftest import jsonl, person_line

pytestmark = pytest.mark.django_db


def _write(path, lines, *, zipped=False):
    text = "\n".join(lines) + "\n"
    if zipped:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("zipped", [False, True])
def test_import_registry_prints_the_counts(registry_world, tmp_path, zipped):
    conviction = {
        "court": "c",
        "judgment_date": "2001-02-03",
        "iccs_code": "0401",
        "sentence": "s",
    }
    path = _write(
        tmp_path / ("registry.jsonl.gz" if zipped else "registry.jsonl"),
        jsonl(person_line(1, convictions=[conviction]), person_line(2)),
        zipped=zipped,
    )

    out, _err = _run("import-registry", str(path), "--unit", "ws-fes-d1")

    assert "lines read: 2" in out
    assert "persons imported: 2" in out
    assert "convictions imported: 1" in out
    assert Person.objects.get(registry_id="P1").recorded_by.code == "ws-fes-d1"
    assert JudicialRecord.objects.filter(person__registry_id="P1").count() == 1


def test_import_registry_defaults_to_the_root_unit(registry_world, tmp_path):
    path = _write(tmp_path / "r.jsonl", jsonl(person_line(1)))

    _run("import-registry", str(path))

    assert Person.objects.get(registry_id="P1").recorded_by.code == "dgsn"


def test_import_registry_refuses_and_lists_every_bad_line(registry_world, tmp_path):
    path = _write(
        tmp_path / "r.jsonl",
        jsonl(person_line(1), person_line(2, sex="X"), "oops", person_line(1)),
    )

    with pytest.raises(CommandError, match="3 lines refused — nothing was imported"):
        _run("import-registry", str(path))

    assert not Person.objects.filter(registry_id__in=["P1", "P2"]).exists()


def test_import_registry_report_goes_to_stderr(registry_world, tmp_path, capsys):
    path = _write(tmp_path / "r.jsonl", jsonl(person_line(1), person_line(2, sex="X"), "oops"))
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import-registry", str(path), stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0].startswith("line 2, sex: ")
    assert lines[1].startswith("line 3, whole line: ")


def test_import_registry_unknown_unit_or_file(registry_world, tmp_path):
    path = _write(tmp_path / "r.jsonl", jsonl(person_line(1)))

    with pytest.raises(CommandError, match="No police unit"):
        _run("import-registry", str(path), "--unit", "nowhere")
    with pytest.raises(CommandError, match="No such file"):
        _run("import-registry", str(tmp_path / "missing.jsonl"))


def test_the_shipped_samples_import_and_check(registry_world, settings):
    """docs/samples: the registry imports whole into the test geography, and each applicant
    gets a result line."""
    samples = settings.REPO_DIR / "docs" / "samples"

    out, _err = _run("import-registry", str(samples / "registry-sample.jsonl"))
    assert "persons imported: 5" in out
    assert "convictions imported: 3" in out

    out, _err = _run("registry-check", str(samples / "applicants-sample.jsonl"))
    results = [json.loads(line) for line in out.splitlines()]
    assert [r["line"] for r in results] == [1, 2, 3, 4, 5]
    assert all(r["outcome"] in CheckOutcome.values for r in results)
    assert results[0]["candidates"][0]["person_id"] == "SAMPLE-0001"
    assert results[4]["outcome"] == "NO_RECORD"


# ---------------------------------------------------------------- registry-check


@pytest.fixture
def fake_matcher(monkeypatch):
    """registry_check answering one candidate per applicant, recording what it was given."""
    seen = []

    def fake(applicant, *, limit=5):
        seen.append((applicant, limit))
        return CheckResult(
            CheckOutcome.POSSIBLE_MATCH,
            0.5,
            [Candidate("R-1", 0.5, [FieldComparison("family_name", "exact", 4.0, "=")])],
        )

    monkeypatch.setattr("amn.people.matching.registry_check", fake)
    return seen


def test_registry_check_prints_one_json_line_per_applicant(registry_world, tmp_path, fake_matcher):
    path = _write(
        tmp_path / "a.jsonl",
        jsonl({"family_name_lat": "Alaoui", "birth_date": "1988"}, "", {"family_name_ar": "بناني"}),
    )

    out, _err = _run("registry-check", str(path), "--limit", "3")

    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["line"] for line in lines] == [1, 3]
    assert lines[0] == {
        "line": 1,
        "outcome": "POSSIBLE_MATCH",
        "score": 0.5,
        "candidates": [
            {
                "person_id": "R-1",
                "score": 0.5,
                "fields": [
                    {"field": "family_name", "agreement": "exact", "weight": 4.0, "detail": "="}
                ],
            }
        ],
    }
    assert [limit for _applicant, limit in fake_matcher] == [3, 3]
    assert str(fake_matcher[0][0].birth_date) == "1988"


def test_registry_check_reports_bad_lines_and_exits_non_zero(
    registry_world, tmp_path, fake_matcher
):
    path = _write(
        tmp_path / "a.jsonl",
        jsonl({"family_name_lat": "Alaoui", "cnie": "12"}, "nope", {"family_name_lat": "Tazi"}),
    )
    out = io.StringIO()

    with pytest.raises(CommandError, match="2 applicant lines refused"):
        call_command("registry-check", str(path), stdout=out, stderr=io.StringIO())

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["error"] == {"line": 1, "field": "cnie", "reason": lines[0]["error"]["reason"]}
    assert lines[0]["errors"][0]["field"] == "cnie"
    assert lines[1]["error"]["line"] == 2 and lines[1]["error"]["field"] is None
    assert lines[2]["outcome"] == "POSSIBLE_MATCH"
    assert len(fake_matcher) == 1  # refused lines are not checked


def test_registry_check_with_the_real_matcher_finds_an_imported_person(registry_world, tmp_path):
    registry = _write(
        tmp_path / "r.jsonl",
        jsonl(
            person_line(
                1,
                family_name_lat="Bennani",
                given_name_lat="Khadija",
                sex="F",
                family_name_ar="بناني",
                given_name_ar="خديجة",
                birth_date="1975",
                mother_given_name="Zohra",
            ),
        ),
    )
    _run("import-registry", str(registry))
    applicants = _write(
        tmp_path / "a.jsonl",
        jsonl(
            {
                "family_name_ar": "بناني",
                "given_name_ar": "خديجة",
                "birth_date": "1975",
                "father_given_name": "Ahmed",
                "mother_given_name": "زهرة",
                "sex": "F",
                "birth_place": "Fès",
            },
            {"family_name_lat": "Zerhouni", "given_name_lat": "Brahim", "birth_date": "1960-01-01"},
        ),
    )

    out, _err = _run("registry-check", str(applicants))

    found, absent = (json.loads(line) for line in out.splitlines())
    assert found["outcome"] in ("POSSIBLE_MATCH", "RECORD_FOUND")
    assert found["candidates"][0]["person_id"] == "P1"
    assert {f["field"] for f in found["candidates"][0]["fields"]} >= {"birth_date"}
    assert absent == {"line": 2, "outcome": "NO_RECORD", "score": absent["score"],
                      "candidates": absent["candidates"]}  # fmt: skip
    assert all(c["person_id"] != "P1" for c in absent["candidates"])
