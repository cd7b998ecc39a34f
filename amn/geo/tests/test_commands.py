"""`amn geo-stats` prints the counts of the loaded geography."""

import io

from django.core.management import call_command

from amn.geo import loading
from amn.geo.services import geography_load


def _geo_stats() -> dict[str, str]:
    out = io.StringIO()
    call_command("geo-stats", stdout=out)
    return dict(line.rsplit(maxsplit=1) for line in out.getvalue().splitlines())


def test_geo_stats_prints_counts_and_national_population(db):
    assert _geo_stats()["regions"] == "0"

    geography_load(actor=None, tables=loading.read_package())

    assert {label.strip(): value for label, value in _geo_stats().items()} == {
        "regions": "12",
        "provinces and prefectures": "83",
        "cercles": "213",
        "communes": "1,503",
        "arrondissements": "41",
        "population (RGPH 2024)": "36,828,330",
        "households (RGPH 2024)": "9,275,038",
    }
