"""`amn report`: writes the report of a unit subtree; bad input is refused with a message
naming what is wrong, and a non-zero exit status."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def report(*args):
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def test_json_of_a_unit_subtree(stats_world, tmp_path):
    path = tmp_path / "fes.json"
    out = report("2025", "--unit", "ws-fes", "--lang", "fr", "--format", "json", "-o", str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["year"], data["org_unit"], data["language"]) == (2025, "ws-fes", "fr")
    assert str(path) in out
    cases = next(f for f in data["figures"] if f["indicator"] == "cases_recorded")
    assert (cases["value"], cases["previous_value"]) == (4, 2)


def test_default_unit_is_the_national_root_and_arabic_indic_numerals(stats_world, tmp_path):
    path = tmp_path / "dg.html"
    report("2025", "--lang", "ar", "--format", "html", "-o", str(path), "--numerals", "arab")
    html = path.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<style>" in html  # standalone file
    assert '<p class="report-kicker">dg' in html
    assert "٦" in html  # 6 cases recorded in 2025 under dg (C1–C5, C8)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["1900", "--lang", "en", "--format", "json"], "No report for 1900"),
        (["20x5", "--lang", "en", "--format", "json"], "year '20x5' is not a year"),
        (["2025", "--unit", "zz-none", "--lang", "en", "--format", "json"], "zz-none"),
        (["2025", "--lang", "de", "--format", "json"], "language 'de' is not offered"),
        (["2025", "--lang", "en", "--format", "docx"], "format 'docx' is not offered"),
        (["2025", "--lang", "en", "--format", "json", "--numerals", "x"], "numerals 'x'"),
    ],
)
def test_bad_input_is_refused_with_its_reason(stats_world, tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        report(*args, "-o", str(tmp_path / "out"))


def test_missing_output_folder_is_refused(stats_world, tmp_path):
    with pytest.raises(CommandError, match=r"output folder .* does not exist"):
        report("2025", "--lang", "en", "--format", "json", "-o", str(tmp_path / "no" / "x"))


def test_the_command_line_exits_non_zero_with_the_message(tmp_path):
    manage = Path(settings.BASE_DIR) / "manage.py"
    arguments = ["report", "2025", "--lang", "de", "--format", "json", "-o", tmp_path / "x"]
    done = subprocess.run(  # noqa: S603 — our own manage.py, fixed arguments
        [sys.executable, manage, *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0
    assert "language 'de' is not offered: use one of ar, fr, en" in done.stderr
