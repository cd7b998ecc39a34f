"""Indicator definitions as data: the JSON shape of numerators and denominators, checked.

A record filter (an indicator's numerator, or its denominator for ratios) is a JSON object:

    {"source": "offences",            # offences | cases | seizures | networks | arrests
                                      #   | parties (persons involved in cases)
     "date": "recorded_on",           # the date that places a record in a period
     "aggregate": "count",            # count | count_distinct_case | sum_standard_quantity
                                      #   | sum_members_arrested (default count)
     "iccs_prefixes": ["0601"],       # offences: ICCS codes starting with one of these
     "national_category": "drug_offences",  # offences: a NationalCategory's ICCS set
     "substance": "cannabis_resin",   # seizures: amn.cases.choices.Substance
     "network_kind": "migration_smuggling", # networks: amn.cases.choices.NetworkKind
     "party_role": "victim",          # parties: amn.cases.choices.PartyRole
     "channel": "online"}             # certificate applications: online | counter

A denominator is null (the value is the numerator), a record filter (value = numerator ÷
denominator × scale), or {"population": "rgph_2024"} (a rate per `scale` inhabitants of
the 2024 census). What each source allows is in amn.indicators.sources.

The `counting` parameter (clearance rate): definitions count offences; with
counting=cases an offence filter without ICCS restriction counts the Case table instead (a
case is cleared when every offence is cleared, on the date of the last clearance:
amn.cases.services), and one with an ICCS restriction counts distinct cases.
"""

import dataclasses
from dataclasses import dataclass

from django.utils.translation import gettext as _

from amn.cases.choices import NetworkKind, PartyRole, Substance
from amn.certificates.choices import Channel
from amn.core.errors import DomainError
from amn.indicators.choices import Aggregate, Counting, Disaggregation, Source, UnitOfMeasure
from amn.indicators.sources import SOURCE_TABLES, SourceTable

POPULATION_CENSUS = "rgph_2024"
FILTER_KEYS = frozenset(
    {"iccs_prefixes", "national_category", "substance", "network_kind", "party_role", "channel"}
)


class IndicatorDefinitionError(DomainError):
    """An indicator's definition cannot be computed; the message names the problem."""


@dataclass(frozen=True)
class RecordFilter:
    """Which records of one table count, placed in periods by `date`, and how they add up."""

    source: str
    date: str
    aggregate: str = Aggregate.COUNT
    iccs_prefixes: tuple[str, ...] = ()
    national_category: str | None = None
    substance: str | None = None
    network_kind: str | None = None
    party_role: str | None = None
    channel: str | None = None

    @property
    def table(self) -> SourceTable:
        return SOURCE_TABLES[self.source]

    @property
    def restricts_iccs(self) -> bool:
        return bool(self.iccs_prefixes or self.national_category)

    @classmethod
    def parse(cls, data: object, *, where: str) -> "RecordFilter":
        """Check a JSON record filter (see the module docstring).

        Args:
            data: the decoded JSON; where: "numerator"/"denominator", for messages.
        Raises:
            IndicatorDefinitionError: naming the key and the value refused.
        """

        def refuse(message: str):
            raise IndicatorDefinitionError(f"{where}: {message}")

        if not isinstance(data, dict):
            refuse(_("a record filter is a JSON object"))
        unknown = set(data) - FILTER_KEYS - {"source", "date", "aggregate"}
        if unknown:
            refuse(_("unknown keys %(keys)s") % {"keys": ", ".join(sorted(unknown))})
        source = data.get("source")
        if source not in Source.values:
            refuse(_("unknown source %(value)r") % {"value": source})
        table = SOURCE_TABLES[source]
        if data.get("date") not in table.dates:
            refuse(
                _("%(source)s are counted by %(dates)s, not %(value)r")
                % {
                    "source": source,
                    "dates": ", ".join(sorted(table.dates)),
                    "value": data.get("date"),
                }
            )
        aggregate = data.get("aggregate", Aggregate.COUNT)
        if aggregate not in table.aggregates:
            refuse(
                _("%(source)s cannot be added up by %(value)r")
                % {"source": source, "value": aggregate}
            )
        for key in FILTER_KEYS & set(data):
            if key not in table.filters:
                refuse(
                    _("%(source)s cannot be filtered by %(key)s") % {"source": source, "key": key}
                )
        prefixes = data.get("iccs_prefixes", [])
        if not isinstance(prefixes, list) or not all(
            isinstance(p, str) and p.isascii() and p.isdigit() and 2 <= len(p) <= 6
            for p in prefixes
        ):
            refuse(_("iccs_prefixes is a list of ICCS codes (2 to 6 digits)"))
        category = data.get("national_category")
        if category is not None and (not isinstance(category, str) or not category):
            refuse(_("national_category is the code of a national category"))
        substance = data.get("substance")
        if substance is not None and substance not in Substance.values:
            refuse(_("unknown substance %(value)r") % {"value": substance})
        kind = data.get("network_kind")
        if kind is not None and kind not in NetworkKind.values:
            refuse(_("unknown network kind %(value)r") % {"value": kind})
        role = data.get("party_role")
        if role is not None and role not in PartyRole.values:
            refuse(_("unknown role %(value)r") % {"value": role})
        channel = data.get("channel")
        if channel is not None and channel not in Channel.values:
            refuse(_("unknown channel %(value)r") % {"value": channel})
        return cls(
            source=source,
            date=data["date"],
            aggregate=aggregate,
            iccs_prefixes=tuple(prefixes),
            national_category=category,
            substance=substance,
            network_kind=kind,
            party_role=role,
            channel=channel,
        )

    def counting_cases(self) -> "RecordFilter":
        """This filter counting cases instead of offences (see the module docstring)."""
        if self.source != Source.OFFENCES:
            return self
        if self.restricts_iccs:
            return dataclasses.replace(self, aggregate=Aggregate.COUNT_DISTINCT_CASE)
        return RecordFilter(source=Source.CASES, date=self.date)


@dataclass(frozen=True)
class Population:
    """Denominator of a rate per inhabitants: the census population covered."""

    census: str = POPULATION_CENSUS


@dataclass(frozen=True)
class Definition:
    """An indicator ready for the engine (built from an Indicator by `definition_of`)."""

    code: str
    numerator: RecordFilter
    denominator: RecordFilter | Population | None
    scale: int
    decimals: int
    unit_of_measure: str
    disaggregations: frozenset[str]
    counting: str | None  # the counting unit in force, when the indicator offers the choice

    @property
    def is_count(self) -> bool:
        """True when the value is a number of records (suppressed as "<N" in public)."""
        from amn.indicators.engine import COUNTING_AGGREGATES

        return self.denominator is None and self.numerator.aggregate in COUNTING_AGGREGATES

    def with_counting(self, counting: str | None) -> "Definition":
        """The definition counting `counting` (None: the indicator's default).

        Raises:
            IndicatorDefinitionError: the indicator offers no choice, or an unknown value.
        """
        if counting is None or counting == self.counting:
            return self
        if self.counting is None:
            raise IndicatorDefinitionError(
                _("Indicator %(code)s has no choice of counting unit.") % {"code": self.code}
            )
        if counting not in Counting.values:
            raise IndicatorDefinitionError(
                _("Count offences or cases, not %(value)r.") % {"value": counting}
            )
        if counting == Counting.OFFENCES:
            raise IndicatorDefinitionError(
                _("Indicator %(code)s is defined in cases.") % {"code": self.code}
            )
        numerator = self.numerator.counting_cases()
        denominator = self.denominator
        if isinstance(denominator, RecordFilter):
            denominator = denominator.counting_cases()
        return dataclasses.replace(
            self,
            numerator=numerator,
            denominator=denominator,
            counting=counting,
            disaggregations=_allowed(self.disaggregations, numerator, denominator),
        )


def _allowed(wanted, numerator: RecordFilter, denominator) -> frozenset[str]:
    allowed = numerator.table.disaggregations
    if isinstance(denominator, RecordFilter):
        allowed &= denominator.table.disaggregations
    return frozenset(wanted) & allowed


def definition_of(indicator) -> Definition:
    """Check an Indicator's data and return its Definition, counting its default unit.

    Raises:
        IndicatorDefinitionError: the first problem found, prefixed with the indicator code.
    """
    code = indicator.code
    try:
        if not code or not (code.isascii() and code.replace("_", "").isalnum() and code.islower()):
            raise IndicatorDefinitionError(
                _("the code is snake_case: lower-case letters, digits, _")
            )
        numerator = RecordFilter.parse(indicator.numerator, where="numerator")
        denominator: RecordFilter | Population | None
        if indicator.denominator is None:
            denominator = None
        elif indicator.denominator == {"population": POPULATION_CENSUS}:
            denominator = Population()
        else:
            denominator = RecordFilter.parse(indicator.denominator, where="denominator")
        if indicator.unit_of_measure not in UnitOfMeasure.values:
            raise IndicatorDefinitionError(
                _("unknown unit of measure %(value)r") % {"value": indicator.unit_of_measure}
            )
        if not isinstance(indicator.scale, int) or indicator.scale < 1:
            raise IndicatorDefinitionError(_("the scale is a positive whole number"))
        wanted = indicator.disaggregations or []
        unknown = set(wanted) - set(Disaggregation.values)
        if unknown:
            raise IndicatorDefinitionError(
                _("unknown disaggregations %(keys)s") % {"keys": ", ".join(sorted(unknown))}
            )
        allowed = _allowed(wanted, numerator, denominator)
        if allowed != set(wanted):
            raise IndicatorDefinitionError(
                _("the records counted cannot be broken down by %(keys)s")
                % {"keys": ", ".join(sorted(set(wanted) - allowed))}
            )
        parameters = indicator.parameters or {}
        if set(parameters) - {"counting"}:
            raise IndicatorDefinitionError(_("the only parameter is counting"))
        counting = parameters.get("counting")
        if counting is not None and (
            counting != Counting.OFFENCES or numerator.source != Source.OFFENCES
        ):
            raise IndicatorDefinitionError(
                _("a counting choice needs a definition in offences, counting offences by default")
            )
    except IndicatorDefinitionError as error:
        raise IndicatorDefinitionError(f"{code}: {error}") from None
    return Definition(
        code=code,
        numerator=numerator,
        denominator=denominator,
        scale=indicator.scale,
        decimals=indicator.decimals,
        unit_of_measure=indicator.unit_of_measure,
        disaggregations=allowed,
        counting=counting,
    )
