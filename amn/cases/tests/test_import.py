"""`amn import-incidents`: mapping, idempotency, rejects, gzip and streaming, on small
hand-written files in the Chicago layout (the shipped `chicago` mapping) and one custom
mapping."""

import csv
import dataclasses
import datetime
import gzip
import io
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amn.audit.models import AuditEvent
from amn.cases import importing
from amn.cases import reference as cases_reference
from amn.cases.bulk import BulkResult
from amn.cases.choices import CaseSource, Clearance
from amn.cases.importing import IncompleteImport, incidents_import
from amn.cases.mappings import Mapping, load_mapping, shipped_mappings
from amn.cases.models import Arrest, Case, Offence
from amn.core.errors import ImportProblem
from amn.orgunits import reference as orgunits_reference
from amn.orgunits.choices import DatePrecision
from amn.orgunits.models import OrgUnit, UnitEvent

HEADER = [
    "Date",
    "Block",
    "Primary Type",
    "Description",
    "Location Description",
    "Arrest",
    "Domestic",
    "Community Area",
]
BATTERY = [
    "2022-03-10 07:30:00",
    "037XX W 13TH ST",
    "BATTERY",
    "AGGRAVATED - HANDGUN",
    "STREET",
    "true",
    "false",
    "29",
]
THEFT = [
    "2022-09-16 21:30:00",
    "026XX S KEDVALE AVE",
    "THEFT",
    "POCKET-PICKING",
    "SIDEWALK",
    "false",
    "false",
    "30",
]
HOMICIDE = [
    "2022-11-30 23:59:00",
    "002XX N ASHLAND AVE",
    "HOMICIDE",
    "RECKLESS HOMICIDE",
    "STREET",
    "false",
    "false",
    "",
]


@pytest.fixture
def loaded(db):
    """The ICCS table and the unit types, as `amn load-reference` loads them."""
    orgunits_reference.load_reference(actor=None)
    cases_reference.load_reference(actor=None)


def write_csv(folder: Path, rows: list[list[str]], *, name="incidents.csv", gz=False) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path = folder / name
    data = text.getvalue().encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def chicago_few_areas() -> Mapping:
    """The shipped chicago mapping with only the community areas the rows use (29, 30):
    creating the 77 units costs seconds on PostgreSQL, so only two tests do it."""
    mapping = load_mapping("chicago")
    places = {place: name for place, name in mapping.tree.places.items() if place in {"29", "30"}}
    return dataclasses.replace(mapping, tree=dataclasses.replace(mapping.tree, places=places))


def run(path: Path, tmp_path: Path, mapping: str | None = None, **options):
    return incidents_import(
        actor=None,
        path=path,
        mapping=load_mapping(mapping) if mapping else chicago_few_areas(),
        rejects_path=tmp_path / "rejects.csv",
        **options,
    )


def rejects(tmp_path: Path) -> list[dict[str, str]]:
    with (tmp_path / "rejects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def snapshot() -> dict:
    """Everything an import writes, to compare before and after a second import."""
    return {
        "cases": sorted(
            Case.objects.values_list(
                "reference",
                "source_key",
                "recording_unit__code",
                "occurred_on",
                "cleared_on",
                "narrative",
            )
        ),
        "offences": sorted(Offence.objects.values_list("case__reference", "iccs_id", "clearance")),
        "arrests": sorted(Arrest.objects.values_list("case__reference", "arrested_on")),
        "units": sorted(OrgUnit.objects.values_list("code", "path")),
        "unit_events": UnitEvent.objects.count(),
    }


def test_rows_become_cases_with_iccs_codes_clearance_and_units(loaded, tmp_path):
    report = run(write_csv(tmp_path, [BATTERY, THEFT, HOMICIDE]), tmp_path)

    assert (report.read, report.imported, report.already_present, report.skipped_total) == (
        3,
        3,
        0,
        0,
    )
    assert report.root_code == "US-CHI"
    battery = Case.objects.get(narrative__startswith="BATTERY")
    assert battery.source == CaseSource.IMPORT and battery.source_name == "chicago"
    assert battery.occurred_on == battery.recorded_on == datetime.date(2022, 3, 10)
    assert battery.recording_unit.code == "US-CHI-CA29"
    assert battery.narrative == "BATTERY / AGGRAVATED - HANDGUN — STREET, 037XX W 13TH ST"
    (offence,) = battery.offences.all()
    assert offence.iccs_id == "020111"  # aggravated battery with a handgun: serious assault
    assert offence.clearance == Clearance.BY_ARREST
    assert offence.cleared_on == battery.cleared_on == datetime.date(2022, 3, 10)
    assert list(battery.arrests.values_list("arrested_on", flat=True)) == [
        datetime.date(2022, 3, 10)
    ]
    assert battery.is_valid and battery.problems == []
    theft = Case.objects.get(narrative__startswith="THEFT")
    assert theft.offences.get().iccs_id == "050221"  # pocket-picking: theft from a person
    assert theft.offences.get().clearance == Clearance.NOT_CLEARED
    assert theft.cleared_on is None and not theft.arrests.exists()
    homicide = Case.objects.get(narrative__startswith="HOMICIDE")
    assert homicide.offences.get().iccs_id == "0103"  # reckless homicide: non-intentional
    assert homicide.recording_unit.code == "US-CHI"  # no community area: the root


def test_the_import_creates_the_community_area_tree(loaded, tmp_path):
    report = run(write_csv(tmp_path, [THEFT]), tmp_path, mapping="chicago")

    root = OrgUnit.objects.get(code="US-CHI")
    assert root.is_root() and root.unit_type.code == "security-wilaya"
    areas = OrgUnit.objects.get_children(root)
    assert areas.count() == 77 and report.units_created == 78
    rogers_park = areas.get(code="US-CHI-CA01")
    assert rogers_park.unit_type.code == "police-district"
    assert rogers_park.name_en == "Rogers Park (Chicago community area 1)"
    assert rogers_park.commune is None
    event = rogers_park.events.get()
    assert event.effective_on is None and event.date_precision == DatePrecision.UNKNOWN


def test_importing_the_same_file_twice_changes_nothing(loaded, tmp_path):
    path = write_csv(tmp_path, [BATTERY, THEFT, HOMICIDE, THEFT])
    run(path, tmp_path)
    before = snapshot()

    again = run(path, tmp_path)

    assert (again.read, again.imported, again.already_present, again.units_created) == (
        4,
        0,
        4,
        0,
    )
    assert snapshot() == before


def test_identical_rows_are_separate_cases_with_numbered_keys(loaded, tmp_path, monkeypatch):
    # One row per chunk: the occurrence count must carry over from one chunk to the next.
    monkeypatch.setattr(importing, "CHUNK_ROWS", 1)
    path = write_csv(tmp_path, [THEFT, BATTERY, THEFT, THEFT])

    report = run(path, tmp_path)

    assert report.imported == 4
    keys = sorted(
        Case.objects.filter(narrative__startswith="THEFT").values_list("source_key", flat=True)
    )
    assert [key.rsplit("#", 1)[1] for key in keys] == ["1", "2", "3"]
    assert len({key.rsplit("#", 1)[0] for key in keys}) == 1
    assert run(path, tmp_path).imported == 0


def test_the_key_depends_on_the_row_content_not_its_position(loaded, tmp_path):
    run(write_csv(tmp_path, [BATTERY, THEFT], name="first.csv"), tmp_path)

    report = run(write_csv(tmp_path, [THEFT, HOMICIDE, BATTERY], name="later.csv"), tmp_path)

    assert (report.imported, report.already_present) == (1, 2)
    assert Case.objects.count() == 3


def test_bad_rows_are_reported_per_row_and_not_imported(loaded, tmp_path):
    def variant(**changes):
        row = dict(zip(HEADER, THEFT, strict=True)) | changes
        return [row[column] for column in HEADER]

    rows = [
        THEFT,  # line 2, imported
        THEFT[:7],  # 3: a field missing
        variant(**{"Primary Type": "ALIEN ABDUCTION"}),  # 4
        variant(Date="2022-02-30 10:00:00"),  # 5: no 30 February
        variant(Date="2999-01-01 00:00:00"),  # 6: in the future
        variant(Date="1999-12-31 00:00:00"),  # 7: before the dataset began
        variant(Date=""),  # 8
        variant(**{"Community Area": "78"}),  # 9: Chicago has 77
        variant(Arrest="maybe"),  # 10
        variant(**{"Primary Type": "NON-CRIMINAL"}),  # 11
        variant(Block="001XX N\x00STATE ST"),  # 12: a NUL byte
    ]
    path = write_csv(tmp_path, rows)
    with path.open("ab") as handle:
        handle.write(b'2022-01-01 00:00:00,"bad "quote,THEFT,OVER $500,STREET,false,false,1\r\n')
        handle.write(b"2022-01-02 00:00:00,\xff\xfe,THEFT,OVER $500,STREET,false,false,1\r\n")

    report = run(path, tmp_path)

    assert report.read == 13 and report.imported == 1
    assert report.read == report.imported + report.already_present + report.skipped_total
    assert Case.objects.count() == Offence.objects.count() == 1
    found = [(int(r["line"]), r["reason"]) for r in rejects(tmp_path)]
    assert found == [
        (3, "malformed_row"),
        (4, "unknown_offence_type"),
        (5, "impossible_date"),
        (6, "impossible_date"),
        (7, "impossible_date"),
        (8, "missing_value"),
        (9, "unknown_place"),
        (10, "invalid_value"),
        (11, "not_an_offence"),
        (12, "malformed_row"),
        (13, "malformed_row"),
        (14, "malformed_row"),
    ]
    assert report.skipped == {
        "malformed_row": 4,
        "unknown_offence_type": 1,
        "impossible_date": 3,
        "missing_value": 1,
        "unknown_place": 1,
        "invalid_value": 1,
        "not_an_offence": 1,
    }
    first = rejects(tmp_path)[1]
    assert "ALIEN ABDUCTION" in first["detail"] and first["Block"] == THEFT[1]


def test_a_gzip_file_imports_like_the_plain_one(loaded, tmp_path):
    plain = write_csv(tmp_path, [BATTERY, THEFT], name="plain.csv")
    zipped = write_csv(tmp_path, [BATTERY, THEFT], name="incidents.csv.gz", gz=True)

    report = run(zipped, tmp_path)

    assert report.imported == 2
    assert run(plain, tmp_path).already_present == 2


def test_a_truncated_gzip_file_stops_the_import_with_a_clear_error(loaded, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "CHUNK_ROWS", 50)
    rows = [[THEFT[0], f"{i:05d} N STATE ST", *THEFT[2:]] for i in range(3000)]
    whole = write_csv(tmp_path, rows, name="whole.csv.gz", gz=True).read_bytes()
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])

    with pytest.raises(IncompleteImport, match="cannot be read further"):
        run(cut, tmp_path, batch_size=100)

    event = AuditEvent.objects.get(action="bulk_load")
    assert event.detail["completed"] is False
    written = Case.objects.count()
    assert 0 < written < 3000 and written % 100 == 0  # whole batches only


def test_the_command_prints_counts_rejects_and_the_root_code(loaded, tmp_path):
    path = write_csv(tmp_path, [BATTERY, THEFT, THEFT[:3]])
    out = io.StringIO()

    call_command(
        "import-incidents",
        str(path),
        "--mapping",
        "chicago",
        "--rejects",
        str(tmp_path / "r.csv"),
        stdout=out,
    )

    lines = out.getvalue().splitlines()
    for expected in (
        "read: 3",
        "imported: 2",
        "already present: 0",
        "skipped: 1",
        "  malformed row: 1",
        f"rejects: {tmp_path / 'r.csv'}",
        "org-unit tree: US-CHI (units created: 78)",
    ):
        assert expected in lines
    event = AuditEvent.objects.get(action="bulk_load", target="cases.case")
    assert event.detail["imported"] == 2 and event.detail["completed"] is True


def test_the_rejects_file_defaults_to_var_imports(loaded, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    path = write_csv(tmp_path, [THEFT], name="chicago-2022.csv.gz", gz=True)

    report = incidents_import(actor=None, path=path, mapping=chicago_few_areas())

    assert report.rejects_path == tmp_path / "var" / "imports" / "chicago-2022-rejects.csv"
    assert report.rejects_path.read_text().startswith("line,reason,detail,Date,")


def test_an_unknown_mapping_name_is_a_clear_error(loaded, tmp_path):
    with pytest.raises(ImportProblem, match=r"unknown mapping.*chicago"):
        load_mapping("new-york")
    path = write_csv(tmp_path, [THEFT])
    with pytest.raises(CommandError, match="unknown mapping"):
        call_command("import-incidents", str(path), "--mapping", "new-york")
    with pytest.raises(ImportProblem, match="mapping file not found"):
        load_mapping(str(tmp_path / "absent.toml"))
    assert "chicago" in shipped_mappings()
    assert not Case.objects.exists()


def test_a_file_without_the_mapped_columns_imports_nothing(loaded, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("When,What\n2022-01-01,THEFT\n")

    with pytest.raises(ImportProblem, match=r"missing: .*Arrest"):
        run(path, tmp_path)

    assert not OrgUnit.objects.exists() and not Case.objects.exists()


@pytest.mark.parametrize("gz", [False, True])
def test_a_header_without_rows_creates_nothing_and_says_so(loaded, tmp_path, gz):
    path = write_csv(tmp_path, [], name="header-only.csv.gz" if gz else "header-only.csv", gz=gz)

    with pytest.raises(ImportProblem, match="no rows after its header"):
        run(path, tmp_path, "chicago")
    with pytest.raises(CommandError, match="no rows after its header — nothing was imported"):
        call_command("import-incidents", str(path), "--mapping", "chicago")

    assert not OrgUnit.objects.exists() and not Case.objects.exists()
    assert not (tmp_path / "rejects.csv").exists()
    assert not AuditEvent.objects.exists()


def test_without_the_reference_data_nothing_is_imported(db, tmp_path):
    with pytest.raises(ImportProblem, match="ICCS codes not loaded"):
        run(write_csv(tmp_path, [THEFT]), tmp_path)
    assert not OrgUnit.objects.exists()


CUSTOM = """
[source]
name = "testville"
key_columns = ["when", "crime", "area"]

[columns]
occurred = "when"
offence = "crime"
arrest = "arrested"
place = "area"

[dates]
formats = ["%d/%m/%Y"]
recorded = "logged"
earliest = 2020-01-01

[arrest]
true = ["Y"]
false = ["N"]

[narrative]
template = "{crime} in {area}"

[places]
unit_type = "police-district"
unit_code = "TV-{place}"
name_en = "{name}"
name_fr = "{name}"
name_ar = "{name}"
missing = "reject"

[places.root]
code = "TV"
unit_type = "security-wilaya"
name_en = "Testville police"
name_fr = "Police de Testville"
name_ar = "شرطة تستفيل"

[places.names]
N = "North"
S = "South"

[offences]
burglary = "0501"
"car theft" = { iccs = "050211" }
"""


def test_a_mapping_given_by_path_with_its_own_columns(loaded, tmp_path):
    mapping = tmp_path / "testville.toml"
    mapping.write_text(CUSTOM, encoding="utf-8")
    path = tmp_path / "testville.csv"
    path.write_text(
        "when,logged,crime,arrested,area\n"
        "03/02/2023,05/02/2023,Burglary,Y,N\n"
        "04/02/2023,04/02/2023,Car  theft,N,S\n"
        "04/02/2023,04/02/2023,burglary,N,\n"
        "2023-02-04,04/02/2023,burglary,N,S\n"
    )

    report = run(path, tmp_path, mapping=str(mapping))

    assert report.imported == 2 and report.root_code == "TV"
    assert [r["reason"] for r in rejects(tmp_path)] == ["missing_value", "impossible_date"]
    burglary = Case.objects.get(source_name="testville", narrative="Burglary in N")
    assert burglary.occurred_on == datetime.date(2023, 2, 3)
    assert burglary.recorded_on == datetime.date(2023, 2, 5)
    assert burglary.recording_unit.code == "TV-N"
    assert burglary.offences.get().clearance == Clearance.BY_ARREST
    assert Offence.objects.get(case__narrative="Car  theft in S").iccs_id == "050211"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("[columns]", "[kolumns]"), "columns"),
        (('burglary = "0501"', 'burglary = "5X"'), "not an ICCS code"),
        (('true = ["Y"]', 'true = ["N"]'), "both arrest and no arrest"),
        (('unit_code = "TV-{place}"', 'unit_code = "TV"'), "share a code"),
        (("[offences]", "[offences"), "not valid TOML"),
    ],
)
def test_a_faulty_mapping_names_its_fault(tmp_path, change, message):
    mapping = tmp_path / "faulty.toml"
    mapping.write_text(CUSTOM.replace(*change), encoding="utf-8")
    with pytest.raises(ImportProblem, match=message):
        load_mapping(str(mapping))


def test_every_code_of_the_chicago_mapping_is_in_amn_iccs_table():
    with cases_reference.ICCS_TABLE.open(encoding="utf-8", newline="") as handle:
        table = {row["code"] for row in csv.DictReader(handle)}
    codes = load_mapping("chicago").iccs_codes()
    assert codes and codes <= table, sorted(codes - table)


def test_the_importer_streams_the_file_into_bulk_write(loaded, tmp_path, monkeypatch):
    """bulk_write gets a lazy iterator, and reading the file costs a bounded amount of
    memory: far less than the same cases held in a list."""
    monkeypatch.setattr(importing, "CHUNK_ROWS", 100)
    rows = [
        [f"2022-01-{1 + i % 28:02d} 10:{i % 60:02d}:00", f"{i:05d} N STATE ST", *THEFT[2:]]
        for i in range(4000)
    ]
    path = write_csv(tmp_path, rows)
    seen = {}
    monkeypatch.setattr(importing, "bulk_write", lambda cases, **o: BulkResult())

    def drain(cases, **options):
        seen["type"] = type(cases)
        next(cases)
        seen["read_before_first"] = cases.gi_frame.f_locals["report"].read
        count = 1 + sum(1 for _case in cases)
        return BulkResult(written=count)

    def measured(writer) -> int:
        monkeypatch.setattr(importing, "bulk_write", writer)
        tracemalloc.start()
        try:
            run(path, tmp_path)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    run(path, tmp_path)  # creates the org-unit tree first, outside the measures
    streaming_peak = measured(drain)
    materialised_peak = measured(lambda cases, **o: BulkResult(written=len(list(cases))))

    assert issubclass(seen["type"], Iterator) and not issubclass(seen["type"], list | tuple)
    assert seen["read_before_first"] == 100  # one chunk read, not the file
    assert streaming_peak * 4 < materialised_peak, (streaming_peak, materialised_peak)


def test_postgresql_probes_stored_keys_through_the_index_whatever_its_statistics(loaded, tmp_path):
    """A re-import looks its keys up one index probe each: the plan held no index
    condition on source_key when the table's statistics predated the import's own rows,
    and each batch then compared every stored key with every key of the batch."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the plan of PostgreSQL's key lookup (SQLite uses its own)")
    path = write_csv(tmp_path, [BATTERY, THEFT, HOMICIDE])
    run(path, tmp_path)
    with CaptureQueriesContext(connection) as queries:
        run(path, tmp_path)
    lookup = next(q["sql"] for q in queries.captured_queries if "LATERAL" in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + lookup)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond" in plan and "source_key = wanted.value" in plan, plan
