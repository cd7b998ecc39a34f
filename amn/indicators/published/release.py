"""Targets of a generated demo year, read from the release fixture of that year.

The fixture `dgsn_<year>_release.toml` (this folder) lists every figure of a release with
its indicator code, value, relation ("equal", "about", "more_than"), origin ("records" or
"entered") and, for records, whether a demo year at scale s holds round(value × s)
(`scaled = true`: counts and quantities) or the value itself (rates).

`amn generate-year` hands each app's hook (`<app>.release_year.generate`) the targets of
the year, and with --previous-year those of the year before, which no fixture describes:
PREVIOUS_YEAR holds the DGSN's published figures for it.
"""

import tomllib
from pathlib import Path

FOLDER = Path(__file__).parent

# The year before a release: the DGSN's own figures for 2024 (press coverage of the annual
# review of 25 December 2024, ../shared/data/dgsn/dgsn_published_figures.csv: al7or.com,
# "خلال 2024.. مديرية الحموشي تسجل 755 ألف قضية زجرية"). Violent-crime cases are not
# published for 2024: they are derived from the release's change (see previous_year_targets).
PREVIOUS_YEAR = {  # release year → (value, scaled) of the year before it
    2025: {
        "cases_recorded": (755_541, True),
        "drug_cases": (92_346, True),
        "cannabis_resin_seized_kg": (123_971, True),
        "clearance_rate": (95, False),
    }
}
DERIVED_FROM_CHANGE = ("violent_crime_cases",)


class UnknownRelease(LookupError):
    """No release fixture for the year asked."""


def release_years() -> list[int]:
    """The years that have a release fixture, in order."""
    return sorted(int(path.stem.split("_")[1]) for path in FOLDER.glob("dgsn_*_release.toml"))


def release_figures(year: int) -> list[dict]:
    """The figures of the release of `year`: dicts with "indicator", "value" (int), and
    "relation", "origin", "quote", optionally "scaled" (bool) and "change" (percent).

    Raises:
        UnknownRelease: no fixture for `year` (the message names the years there are).
    """
    path = FOLDER / f"dgsn_{year}_release.toml"
    if not path.exists():
        raise UnknownRelease(
            f"No release fixture for {year}; there are: "
            + ", ".join(str(y) for y in release_years())
        )
    with path.open("rb") as handle:
        return tomllib.load(handle)["figure"]


def scaled_value(value: float, scale: float) -> int:
    """round(value × scale) — the count a demo year at `scale` holds for a release count."""
    return round(value * scale)


def release_targets(year: int, scale: float) -> dict[str, float]:
    """Indicator code → the value a demo year at `scale` must hold: round(value × scale)
    for scaled figures, the value itself otherwise; records-origin figures only.

    Raises:
        UnknownRelease: no fixture for `year`.
    """
    return {
        figure["indicator"]: scaled_value(figure["value"], scale)
        if figure.get("scaled")
        else figure["value"]
        for figure in release_figures(year)
        if figure["origin"] == "records"
    }


def previous_year_targets(year: int, scale: float) -> dict[str, float]:
    """The targets of the year before the release of `year` (PREVIOUS_YEAR), at `scale`.

    A figure the release states only through its change (violent crime −10 %) is the
    release year's target divided by (1 + change/100), rounded: 43,869 × s / 0.9, so that
    the report's change comes out as the release's.
    Raises:
        UnknownRelease: no published figures for the year before `year`.
    """
    if year not in PREVIOUS_YEAR:
        raise UnknownRelease(f"No published figures for {year - 1}.")
    targets = {
        code: scaled_value(value, scale) if scaled else value
        for code, (value, scaled) in PREVIOUS_YEAR[year].items()
    }
    current = release_targets(year, scale)
    for figure in release_figures(year):
        if figure["indicator"] in DERIVED_FROM_CHANGE:
            code = figure["indicator"]
            targets[code] = round(current[code] / (1 + figure["change"] / 100))
    return targets
