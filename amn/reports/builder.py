"""The annual report as an object: sections of generated text with the figures inserted,
figure tables with notes, breakdowns by region and month, and the annex of definitions —
built once from one YearFigures (amn.indicators.yearly) and rendered to HTML, PDF and JSON
(amn.reports.rendering) without another query.

The words come from amn.reports.texts in the report's language; numbers from
amn.reports.numbers in that language and numbering system.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from amn.core.locale_format import format_date
from amn.core.localized_fields import localized
from amn.indicators.choices import ReportSection, UnitOfMeasure
from amn.indicators.engine import Figure
from amn.indicators.yearly import ENTERED, PUBLISHED, RECORDS, YearFigure, YearFigures
from amn.orgunits.presentation import event_summary
from amn.reports import texts
from amn.reports.numbers import NUMERALS, change_text, number_text, percent_text

LANGUAGES = ("ar", "fr", "en")
# Figures per region table: a table per figure makes the national PDF twice as long to lay
# out (~20 tables of 12 regions); four columns still fit an A4 page in Arabic.
REGION_TABLE_COLUMNS = 4
PERCENT = UnitOfMeasure.PERCENT.value
# Marks standing for the figure and its change inside a formatted template, split out
# afterwards into linked runs.
VALUE_MARK, CHANGE_MARK = "\x01", "\x02"
_MARKS = re.compile(f"([{VALUE_MARK}{CHANGE_MARK}])")


class ReportInputError(ValueError):
    """A report cannot be made as asked (language or numerals not offered); the message
    names the parameter and the values offered."""


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph: plain text, or a figure (`code` set) linked to its definition;
    `isolate` marks runs printed left to right inside any text (signed changes)."""

    text: str
    code: str = ""
    isolate: bool = False


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its runs in reading order."""

    segments: tuple[Segment, ...]

    @property
    def text(self) -> str:
        return "".join(segment.text for segment in self.segments)


@dataclass(frozen=True)
class BreakdownRow:
    """One region (or month) of a figure: label, formatted value, previous value and change;
    `hidden` when small-count suppression hides the public value."""

    key: str
    label: str
    value: str
    previous: str
    change: str
    hidden: bool = False


@dataclass(frozen=True)
class ReportFigure:
    """A figure as the report prints it.

    Attributes:
        figure: the YearFigure (raw values, for JSON).
        value, previous, change: formatted texts ("—" when undefined); unit: the unit of
            measure's name in the report's language ("" for percent).
        notes: provenance and publication notes, formatted.
        records_url: the list of records behind the figure ("" when the reader may not see
            it or the page does not exist).
        regions: breakdown rows by region; chart_regions, chart_months: the engine's cells
            a chart may show (suppressed cells left out).
    """

    figure: YearFigure
    value: str
    previous: str
    change: str
    unit: str
    notes: tuple[str, ...]
    records_url: str = ""
    regions: tuple[BreakdownRow, ...] = ()
    chart_regions: tuple[Figure, ...] = ()
    chart_months: tuple[Figure, ...] = ()

    @property
    def code(self) -> str:
        return self.figure.code

    @property
    def anchor(self) -> str:
        return f"def-{self.figure.code}"


@dataclass(frozen=True)
class RegionTableRow:
    """One region of a RegionTable: its key, its name and one cell per column (None when
    the column's figure has no cell for the region)."""

    key: str
    label: str
    cells: tuple[BreakdownRow | None, ...]


@dataclass(frozen=True)
class RegionTable:
    """Several figures of a section side by side by region: `columns` the figures (at most
    REGION_TABLE_COLUMNS), `rows` the regions in the engine's order."""

    columns: tuple[ReportFigure, ...]
    rows: tuple[RegionTableRow, ...]


@dataclass(frozen=True)
class EventLine:
    """A unit change as listed: its summary (amn.orgunits.presentation.event_summary) and
    apart, isolated in its own direction `reference_dir`, the decision it rests on."""

    text: str
    reference: str
    reference_dir: str


def _direction(text: str) -> str:
    """ "rtl" or "ltr" after the first strong character of `text` (Unicode bidi classes)."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def event_line(event) -> EventLine:
    """An EventLine of a UnitEvent, in the active language. The decision reference (often
    French inside an Arabic line) is set apart: WeasyPrint reorders Latin words inside a
    right-to-left line otherwise."""
    reference = f"[{event.decision_reference}]"
    text = event_summary(event).removesuffix(f" — {reference}")
    return EventLine(text, reference, _direction(event.decision_reference))


@dataclass(frozen=True)
class Section:
    """One section of the report: key (ReportSection value), title, paragraphs, the unit
    changes it lists (EventLine), its figures and their region tables."""

    key: str
    title: str
    paragraphs: tuple[Paragraph, ...]
    events: tuple[EventLine, ...]
    figures: tuple[ReportFigure, ...]
    region_tables: tuple[RegionTable, ...] = ()


@dataclass
class Report:
    """The whole report in one language.

    Attributes:
        year, unit (OrgUnit), unit_name, language, numerals, direction ("rtl"/"ltr").
        introduction: the opening paragraph; sections: in the release's order.
        figures: every ReportFigure, in catalogue order (the annex and the JSON).
        snapshot_checksum, published_at, scale: as in YearFigures; scale_text: the scale
            formatted ("" when None); published_on: published_at formatted ("" when None).
        has_data: at least one figure has a value.
        public: built for the public (suppressed small counts, no record links).
        charts: a cache the renderers fill (amn.reports.charts), keyed by format.
    """

    year: int
    unit: object
    unit_name: str
    language: str
    numerals: str
    direction: str
    introduction: Paragraph
    sections: tuple[Section, ...]
    figures: tuple[ReportFigure, ...]
    snapshot_checksum: str
    published_at: object
    published_on: str
    scale: float | None
    scale_text: str
    has_data: bool
    public: bool
    charts: dict = field(default_factory=dict, repr=False)

    @property
    def restated_count(self) -> int:
        return sum(1 for line in self.figures if line.figure.restated)


def check_language(language: str, numerals: str = "latn") -> None:
    """Raise ReportInputError for a language other than ar/fr/en or numerals other than
    latn/arab."""
    if language not in LANGUAGES:
        raise ReportInputError(
            _("language %(value)r is not offered: use one of %(offered)s")
            % {"value": language, "offered": ", ".join(LANGUAGES)}
        )
    if numerals not in NUMERALS:
        raise ReportInputError(
            _("numerals %(value)r are not offered: use one of %(offered)s")
            % {"value": numerals, "offered": ", ".join(NUMERALS)}
        )


class _Formatter:
    """Formats the values of one report (language and numerals fixed)."""

    def __init__(self, language: str, numerals: str):
        self.language, self.numerals = language, numerals

    def value(self, value, figure: YearFigure) -> str:
        if figure.unit_of_measure == PERCENT:
            return percent_text(
                value, decimals=figure.decimals, language=self.language, numerals=self.numerals
            )
        return number_text(
            value, decimals=figure.decimals, language=self.language, numerals=self.numerals
        )

    def number(self, value, decimals: int | None = 0) -> str:
        return number_text(value, decimals=decimals, language=self.language, numerals=self.numerals)

    def change(self, change) -> str:
        return change_text(change, language=self.language, numerals=self.numerals)

    def date(self, value) -> str:
        return format_date(value, language=self.language) if value else ""


def unit_label(unit_of_measure: str) -> str:
    """The unit of measure's name in the active language; "" for percent (the value carries
    "%"); the code itself for a unit the choices do not know."""
    if unit_of_measure == PERCENT:
        return ""
    try:
        return str(UnitOfMeasure(unit_of_measure).label)
    except ValueError:
        return unit_of_measure


def _segments(text: str, code: str, value: str, change: str) -> tuple[Segment, ...]:
    runs = []
    for part in _MARKS.split(text):
        if part == VALUE_MARK:
            runs.append(Segment(value, code))
        elif part == CHANGE_MARK:
            runs.append(Segment(change, code, isolate=True))
        elif part:
            runs.append(Segment(part))
    if runs and not runs[0].code:
        runs[0] = Segment(runs[0].text[:1].upper() + runs[0].text[1:])
    return tuple(runs)


def _sentence(line: ReportFigure, year: int) -> tuple[Segment, ...]:
    """The figure's sentence: its own clause (or the generic one), with the change when the
    previous year has a value; the "no records" clause when it has no value."""
    figure = line.figure
    if not figure.has_value:
        clause = str(texts.NO_RECORDS) % {"name": figure.name, "year": year}
        return (Segment(str(texts.SENTENCE) % {"clause": clause}),)
    template = texts.CLAUSES.get(figure.code, texts.GENERIC_CLAUSE)
    number = figure.value if isinstance(figure.value, int) else 0
    clause = (
        template % {"value": VALUE_MARK, "name": figure.name, "unit": line.unit, "count": number}
    ).rstrip()
    if figure.change is not None:
        clause = str(texts.CHANGE_CLAUSE) % {
            "clause": clause,
            "change": CHANGE_MARK,
            "previous_year": year - 1,
        }
    return _segments(str(texts.SENTENCE) % {"clause": clause}, figure.code, line.value, line.change)


def _notes(figure: YearFigure, fmt: _Formatter, published_at, year: int) -> tuple[str, ...]:
    notes = []
    provenance = figure.provenance
    if provenance is not None and provenance.kind == ENTERED:
        # Figures entered by the command line (the demo's) have nobody to name.
        template = texts.ENTERED_NOTE if provenance.entered_by else texts.ENTERED_NOTE_ANONYMOUS
        notes.append(
            str(template)
            % {
                "who": provenance.entered_by,
                "date": fmt.date(provenance.entered_on) or "—",
                "source": provenance.source or "—",
            }
        )
    elif provenance is not None and provenance.kind == PUBLISHED:
        notes.append(str(texts.PUBLISHED_NOTE) % {"source": provenance.source or "—"})
    previous = figure.previous_provenance
    if figure.previous_value is not None and previous is not None and previous.kind == PUBLISHED:
        notes.append(
            str(texts.PREVIOUS_PUBLISHED_NOTE)
            % {"year": year - 1, "source": previous.source or "—"}
        )
    if figure.restated:
        notes.append(
            str(texts.RESTATED_NOTE)
            % {
                "date": fmt.date(published_at) or "—",
                "value": fmt.value(figure.as_published, figure),
            }
        )
    elif figure.as_published is not None and published_at is not None:
        notes.append(str(texts.AS_PUBLISHED_NOTE) % {"date": fmt.date(published_at)})
    return tuple(notes)


def _records_url(code: str, year: int, unit_code: str) -> str:
    try:
        path = reverse("indicators:records", args=[code])
    except NoReverseMatch:  # the records page is not offered (yet)
        return ""
    return f"{path}?{urlencode({'year': year, 'unit': unit_code})}"


def _hidden(cell: Figure, threshold: int | None) -> bool:
    return threshold is not None and cell.value is not None and (cell.basis or 0) < threshold


def _line(
    figure: YearFigure,
    fmt: _Formatter,
    *,
    year: int,
    unit_code: str,
    published_at,
    records: bool,
    threshold: int | None,
) -> ReportFigure:
    regions = []
    for cell in figure.by_region:
        hidden = _hidden(cell, threshold)
        shown = f"<{threshold}" if hidden and cell.is_count else "—"
        regions.append(
            BreakdownRow(
                key=cell.key or "",
                label=cell.label,
                value=shown if hidden else fmt.value(cell.value, figure),
                previous=fmt.value(cell.previous_value, figure),
                change="—" if hidden else fmt.change(cell.change),
                hidden=hidden,
            )
        )
    # Only figures counted from records have records behind them (not entered ones).
    from_records = records and figure.provenance is not None and figure.provenance.kind == RECORDS
    return ReportFigure(
        figure=figure,
        value=fmt.value(figure.value, figure),
        previous=fmt.value(figure.previous_value, figure),
        change=fmt.change(figure.change),
        unit=unit_label(figure.unit_of_measure),
        notes=_notes(figure, fmt, published_at, year),
        records_url=_records_url(figure.code, year, unit_code) if from_records else "",
        regions=tuple(regions),
        chart_regions=tuple(c for c in figure.by_region if not _hidden(c, threshold)),
        chart_months=() if threshold is not None else figure.by_month,
    )


def _events_paragraph(lines, *, year, intro, none, fmt) -> Paragraph:
    """The sentence introducing a list of unit changes, or saying there is none."""
    if not lines:
        return Paragraph((Segment(str(none) % {"year": year}),))
    values = {"number": len(lines), "count": fmt.number(len(lines)), "year": year}
    return Paragraph((Segment(intro % values),))


def report_build(
    figures: YearFigures,
    *,
    language: str,
    numerals: str = "latn",
    events: Iterable = (),
    planned: Iterable = (),
    records_links: bool = False,
    suppression_threshold: int | None = None,
    public: bool = False,
) -> Report:
    """Build the report of `figures` in `language`.

    Args:
        figures: the year's figures for the unit subtree (amn.indicators.yearly), computed
            in `language` (names and definitions are read from them as they are).
        language: "ar", "fr" or "en"; numerals: "latn" (3.685.964) or "arab" (٣٬٦٨٥٬٩٦٤).
        events: the unit changes (amn.orgunits UnitEvent) of the year in the subtree;
            planned: those dated in the next year (the plans section).
        records_links: link each figure counted from records to the records behind it
            (staff in scope).
        suppression_threshold: hide region cells resting on fewer records (public
            reports; None: nothing hidden); month charts are then left out.
        public: built for the public.
    Returns:
        Report. No query is made (events must come with their related rows selected).
    Raises:
        ReportInputError: a language or numerals not offered.
    """
    check_language(language, numerals)
    fmt = _Formatter(language, numerals)
    year = figures.year
    with translation.override(language):
        lines = tuple(
            _line(
                figure,
                fmt,
                year=year,
                unit_code=figures.unit.code,
                published_at=figures.published_at,
                records=records_links,
                threshold=suppression_threshold,
            )
            for figure in figures.figures
        )
        unit_name = localized(figures.unit, "name", language)
        event_lines = tuple(event_line(event) for event in events)
        planned_lines = tuple(event_line(event) for event in planned)
        sections = tuple(
            _section(
                key,
                [line for line in lines if line.figure.section == key],
                year=year,
                fmt=fmt,
                events=event_lines,
                planned=planned_lines,
            )
            for key in texts.SECTIONS
        )
        has_data = figures.has_data
        introduction = str(texts.INTRODUCTION if has_data else texts.NO_DATA) % {
            "unit": unit_name,
            "year": year,
        }
        return Report(
            year=year,
            unit=figures.unit,
            unit_name=unit_name,
            language=language,
            numerals=numerals,
            direction="rtl" if translation.get_language_bidi() else "ltr",
            introduction=Paragraph((Segment(introduction),)),
            sections=sections,
            figures=lines,
            snapshot_checksum=figures.snapshot_checksum,
            published_at=figures.published_at,
            published_on=fmt.date(figures.published_at),
            scale=figures.scale,
            scale_text=fmt.number(figures.scale, None) if figures.scale is not None else "",
            has_data=has_data,
            public=public,
        )


def _section(key: str, lines: list[ReportFigure], *, year, fmt, events, planned) -> Section:
    title = str(texts.SECTION_TITLES.get(key, ReportSection(key).label)) % {"next_year": year + 1}
    paragraphs: list[Paragraph] = []
    listed: tuple[EventLine, ...] = ()
    if key == "infrastructure":
        paragraphs.append(
            _events_paragraph(
                events, year=year, intro=texts.EVENTS_INTRO, none=texts.NO_EVENTS, fmt=fmt
            )
        )
        listed = events
    elif key == "plans":
        paragraphs.append(
            _events_paragraph(
                planned, year=year + 1, intro=texts.PLANS_INTRO, none=texts.NO_PLANS, fmt=fmt
            )
        )
        listed = planned
    if lines:
        segments: list[Segment] = []
        for line in lines:
            if segments:
                segments.append(Segment(" "))
            segments += _sentence(line, year)
        paragraphs.append(Paragraph(tuple(segments)))
    elif key == "welfare":
        paragraphs.append(Paragraph((Segment(str(texts.WELFARE_EMPTY) % {"year": year}),)))
    elif not paragraphs:
        paragraphs.append(Paragraph((Segment(str(texts.SECTION_EMPTY) % {"year": year}),)))
    return Section(
        key=key,
        title=title,
        paragraphs=tuple(paragraphs),
        events=listed,
        figures=tuple(lines),
        region_tables=_region_tables(lines),
    )


def _region_tables(lines: list[ReportFigure]) -> tuple[RegionTable, ...]:
    """The section's figures with cells by region, REGION_TABLE_COLUMNS to a table."""
    regional = [line for line in lines if line.regions]
    tables = []
    for start in range(0, len(regional), REGION_TABLE_COLUMNS):
        columns = regional[start : start + REGION_TABLE_COLUMNS]
        labels: dict[str, str] = {}
        for line in columns:
            for row in line.regions:
                labels.setdefault(row.key, row.label)
        cells = [{row.key: row for row in line.regions} for line in columns]
        rows = tuple(
            RegionTableRow(key, label, tuple(by_key.get(key) for by_key in cells))
            for key, label in labels.items()
        )
        tables.append(RegionTable(columns=tuple(columns), rows=rows))
    return tuple(tables)
