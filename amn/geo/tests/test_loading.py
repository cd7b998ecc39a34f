"""Loading the RGPH census geography: from the package, from a CSV folder, and refusing
malformed folders without writing anything."""

import csv
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amn.core.errors import ImportProblem
from amn.geo import loading
from amn.geo.choices import ProvinceType
from amn.geo.models import Arrondissement, Commune, Province, Region
from amn.geo.selectors import geography_stats
from amn.geo.services import geography_load

RGPH_2024 = {
    "regions": 12,
    "provinces": 83,
    "cercles": 213,
    "communes": 1503,
    "arrondissements": 41,
    "population_2024": 36_828_330,
}
NOTHING = dict.fromkeys(RGPH_2024, 0)
CASABLANCA_PREFECTURES_OF_ARRONDISSEMENTS = {
    "06.141.01.00": "Casablanca-Anfa",
    "06.141.01.10": "Al-Fida-Mers-Sultan",
    "06.141.01.20": "Aïn-Sebaâ-Hay Mohammadi",
    "06.141.01.30": "Hay-Hassani",
    "06.141.01.40": "Aïn-Chock",
    "06.141.01.50": "Sidi Bernoussi",
    "06.141.01.60": "Ben M'sick",
    "06.141.01.70": "Moulay Rachid",
}


def _stats() -> dict[str, int]:
    stats = geography_stats()
    return {key: stats[key] for key in RGPH_2024}


def _snapshot() -> dict[str, list[tuple]]:
    """Every stored value that a load writes, per level."""
    return {
        model.__name__: list(model.objects.order_by("code").values_list())
        for model in (Region, Province, Commune, Arrondissement)
    }


@pytest.fixture
def census_folder(shared_data, tmp_path) -> Path:
    """A writable copy of the five census CSVs, for corrupting one value or row."""
    folder = tmp_path / "morocco"
    folder.mkdir()
    for level in loading.LEVELS:
        shutil.copy(shared_data / "geo" / "morocco" / f"{level}.csv", folder)
    return folder


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def _set_value(path: Path, line: int, column: str, value: str) -> None:
    """Replace one value; `line` is the file's line number (the header is line 1)."""
    rows = _rows(path)
    rows[line - 1][rows[0].index(column)] = value
    _write(path, rows)


def test_package_load_gives_the_rgph_2024_geography(db):
    counts = geography_load(actor=None, tables=loading.read_package())

    assert counts == {level: RGPH_2024[level] for level in loading.LEVELS}
    assert _stats() == RGPH_2024
    tanger = Commune.objects.select_related("province__region").get(code="01.511.01.0")
    assert (tanger.name_fr, tanger.name_ar, tanger.population_2024) == ("Tanger", "طنجة", 1275428)
    assert tanger.province.code == "01.511"
    assert tanger.province.region.code == "01"
    assert Arrondissement.objects.filter(commune=tanger).count() == 4
    casablanca = Province.objects.filter(type=ProvinceType.PREFECTURE_OF_ARRONDISSEMENTS)
    assert dict(casablanca.values_list("code", "name_fr")) == (
        CASABLANCA_PREFECTURES_OF_ARRONDISSEMENTS
    )
    assert set(casablanca.values_list("region__code", flat=True)) == {"06"}
    assert set(Commune.objects.filter(population_2014=None).values_list("name_fr", flat=True)) == {
        "Mijik",
        "Lagouira",
        "Aghouinite",
        "Zoug",
    }


def test_loading_twice_updates_in_place(db):
    geography_load(actor=None, tables=loading.read_package())
    first = _snapshot()
    Commune.objects.filter(code="01.511.01.0").update(population_2024=1, name_fr="Tangier")

    counts = geography_load(actor=None, tables=loading.read_package())

    assert counts["communes"] == RGPH_2024["communes"]
    assert _stats() == RGPH_2024
    assert _snapshot() == first  # same primary keys, edited values restored, no duplicates


def test_load_geo_command_reads_a_csv_folder_holding_the_package_data(db, shared_data):
    out = io.StringIO()

    call_command("load-geo", "--from", str(shared_data / "geo" / "morocco"), stdout=out)

    assert "communes: 1503" in out.getvalue().splitlines()
    assert _stats() == RGPH_2024
    assert Region.objects.get(code="01").name_fr == "Tanger-Tétouan-Al Hoceima"
    assert Commune.objects.get(code="01.511.01.0").name_fr == "Tanger"
    assert Province.objects.filter(type=ProvinceType.PREFECTURE_OF_ARRONDISSEMENTS).count() == 8
    from_folder = _snapshot()
    geography_load(actor=None, tables=loading.read_package())
    assert _snapshot() == from_folder


def _non_numeric_population(folder: Path) -> None:
    # Line 715 of communes.csv is Casablanca; a thousands-separated figure is not a count.
    _set_value(folder / "communes.csv", 715, "population_2024", "3 215 935")


def _arabic_indic_population(folder: Path) -> None:
    _set_value(folder / "communes.csv", 715, "population_2024", "٣٢١٥٩٣٥")


def _missing_column(folder: Path) -> None:
    rows = _rows(folder / "provinces.csv")
    index = rows[0].index("region_code")
    _write(folder / "provinces.csv", [row[:index] + row[index + 1 :] for row in rows])


def _missing_file(folder: Path) -> None:
    (folder / "arrondissements.csv").unlink()


def _truncated(folder: Path) -> None:
    _write(folder / "communes.csv", _rows(folder / "communes.csv")[:-100])


def _unknown_province(folder: Path) -> None:
    _set_value(folder / "communes.csv", 2, "province_code", "01.999")


def _duplicate_code(folder: Path) -> None:
    rows = _rows(folder / "communes.csv")
    _write(folder / "communes.csv", [*rows, rows[1]])  # line 1505 repeats line 2


def _too_many_values(folder: Path) -> None:
    rows = _rows(folder / "cercles.csv")
    rows[9].append("surplus")
    _write(folder / "cercles.csv", rows)


def _not_utf8(folder: Path) -> None:
    path = folder / "regions.csv"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1256", errors="replace"))


def _inflated_commune(folder: Path) -> None:
    _set_value(folder / "communes.csv", 2, "population_2024", "6275428")  # Tanger + 5,000,000


def _region_population(folder: Path) -> None:
    _set_value(folder / "regions.csv", 2, "population_2024", "1")


def _semicolons(folder: Path) -> None:
    path = folder / "regions.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")


def _empty_file(folder: Path) -> None:
    (folder / "cercles.csv").write_bytes(b"")


def _folder_in_place_of_a_file(folder: Path) -> None:
    (folder / "regions.csv").unlink()
    (folder / "regions.csv").mkdir()


def _long_name(folder: Path) -> None:
    _set_value(folder / "communes.csv", 2, "name_fr", "T" * 121)


def _nul_in_name(folder: Path) -> None:
    _set_value(folder / "regions.csv", 2, "name_ar", "طنجة\x00")


def _truncated_problem_row(folder: Path) -> int:
    """Line in regions.csv of the first region that lost communes in `_truncated`."""
    with (folder / "communes.csv").open(encoding="utf-8", newline="") as handle:
        kept = [row["region_code"] for row in csv.DictReader(handle)]
    with (folder / "regions.csv").open(encoding="utf-8", newline="") as handle:
        for line, region in enumerate(csv.DictReader(handle), start=2):
            if kept.count(region["code"]) != int(region["communes"]):
                return line
    raise AssertionError("the truncation left every region complete")


MALFORMED = [
    pytest.param(
        _non_numeric_population,
        ("communes.csv", 715, "population_2024"),
        "'3 215 935' is not a whole number",
        id="non-numeric-population",
    ),
    pytest.param(
        _arabic_indic_population,
        ("communes.csv", 715, "population_2024"),
        "is not a whole number",
        id="arabic-indic-digits",
    ),
    pytest.param(
        _missing_column,
        ("provinces.csv", 1, "region_code"),
        "column missing from the header",
        id="missing-column",
    ),
    pytest.param(
        _missing_file,
        ("arrondissements.csv", None, None),
        "file not found",
        id="missing-file",
    ),
    pytest.param(
        _truncated,
        ("regions.csv", _truncated_problem_row, "communes"),
        "incomplete file?",
        id="truncated-communes",
    ),
    pytest.param(
        _unknown_province,
        ("communes.csv", 2, "province_code"),
        "'01.999' is not in provinces.csv",
        id="unknown-province",
    ),
    pytest.param(
        _duplicate_code,
        ("communes.csv", 1505, "code"),
        "'01.511.01.0' already on row 2",
        id="duplicate-code",
    ),
    pytest.param(
        _too_many_values,
        ("cercles.csv", 10, None),
        "more values than header columns",
        id="too-many-values",
    ),
    pytest.param(
        _inflated_commune,
        ("regions.csv", 2, "population_2024"),
        "states 4030222 but its communes in communes.csv add up to 9030222",
        id="commune-population-off-the-totals",
    ),
    pytest.param(
        _region_population,
        ("regions.csv", 2, "population_2024"),
        "states 1 but its provinces in provinces.csv add up to 4030222",
        id="region-population-off-the-totals",
    ),
    pytest.param(
        _long_name,
        ("communes.csv", 2, "name_fr"),
        "longer than 120 characters",
        id="name-too-long",
    ),
    pytest.param(
        _nul_in_name, ("regions.csv", 2, "name_ar"), "control characters", id="nul-in-name"
    ),
    pytest.param(
        _semicolons, ("regions.csv", 1, None), "not comma-separated", id="semicolon-separated"
    ),
    pytest.param(_empty_file, ("cercles.csv", None, None), "no header row", id="empty-file"),
    pytest.param(
        _folder_in_place_of_a_file,
        ("regions.csv", None, None),
        "not a regular file",
        id="folder-in-place-of-a-file",
    ),
    pytest.param(
        _not_utf8,
        ("regions.csv", None, None),
        "not UTF-8",
        id="not-utf8",
    ),
]


@pytest.mark.parametrize(("corrupt", "where", "reason"), MALFORMED)
def test_malformed_folder_is_refused_and_nothing_is_loaded(
    census_folder, db, corrupt, where, reason
):
    corrupt(census_folder)
    source, row, field = where
    if callable(row):
        row = row(census_folder)

    with pytest.raises(ImportProblem) as problem:
        geography_load(actor=None, tables=loading.read_folder(census_folder))
    assert (problem.value.source, problem.value.row, problem.value.field) == (source, row, field)
    assert reason in problem.value.reason

    with pytest.raises(CommandError) as refused:
        call_command("load-geo", "--from", str(census_folder), stdout=io.StringIO())
    named = source + (f", row {row}" if row else "") + (f", field {field!r}" if field else "")
    assert str(refused.value).startswith(f"{named}: ")
    assert str(refused.value).endswith("nothing was loaded.")
    assert _stats() == NOTHING


def test_refused_folder_leaves_loaded_data_unchanged(census_folder, db):
    geography_load(actor=None, tables=loading.read_package())
    before = _snapshot()
    # Valid edits in every table before the bad value, which sits in the last one.
    _set_value(census_folder / "regions.csv", 2, "name_fr", "Renamed region")
    _set_value(census_folder / "communes.csv", 2, "name_fr", "Renamed commune")
    _set_value(census_folder / "arrondissements.csv", 42, "households_2024", "n/a")

    with pytest.raises(
        CommandError, match=r"arrondissements\.csv, row 42, field 'households_2024'"
    ):
        call_command("load-geo", "--from", str(census_folder), stdout=io.StringIO())

    assert _snapshot() == before
    assert _stats() == RGPH_2024


def test_byte_order_mark_is_accepted(census_folder, db):
    path = census_folder / "regions.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    geography_load(actor=None, tables=loading.read_folder(census_folder))
    assert _stats() == RGPH_2024


def test_a_file_given_as_the_folder_is_refused(census_folder, db):
    with pytest.raises(CommandError, match=r"regions\.csv: not a folder — nothing was loaded"):
        call_command("load-geo", "--from", str(census_folder / "regions.csv"))
    assert _stats() == NOTHING


@pytest.mark.parametrize("figure", ["3000000000", "99999999999999999999"])
def test_out_of_range_count_is_refused_naming_file_row_and_field(census_folder, db, figure):
    _set_value(census_folder / "arrondissements.csv", 42, "population_2024", figure)

    with pytest.raises(ImportProblem) as problem:
        geography_load(actor=None, tables=loading.read_folder(census_folder))

    assert (problem.value.source, problem.value.row, problem.value.field) == (
        "arrondissements.csv",
        42,
        "population_2024",
    )
    assert _stats() == NOTHING
