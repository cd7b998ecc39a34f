"""The words of the annual report, per section, as translatable templates (gettext,
%-placeholders; the ar/fr catalogues hold the translations).

The sections and their order are those of the DGSN annual review of 17 December 2025
(../shared/seed/000_d09eb0b32825cc0c.txt): infrastructure, major events, digital services,
crime, international cooperation, human resources, social welfare, communication, plans
for the next year. Their keys are amn.indicators.choices.ReportSection values.

A sentence is written for each figure of a section: the indicator's own clause when one is
written below (the release's phrasing), the generic clause otherwise, and the "no records"
clause when the figure has no value — never a 0 that would read as a fact. Placeholders:
%(value)s the formatted figure, %(name)s the indicator's name, %(unit)s its unit of measure.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from amn.indicators.choices import ReportSection

SECTIONS = tuple(ReportSection.values)


SECTION_TITLES = {
    "infrastructure": _("Modernising police infrastructure"),
    "major_events": _("Preparing for major sporting events"),
    "digital_services": _("Raising the quality of digital public services"),
    "crime": _("Crime statistics"),
    "cooperation": _("International security cooperation"),
    "human_resources": _("Managing the careers of police staff"),
    "welfare": _("Social and health welfare"),
    "communication": _("Security communication"),
    "plans": _("Plans for %(next_year)s"),
}

# Clauses naming one indicator (no final full stop: the change and the stop are added).
# Counts agree with their number (Arabic has six plural forms): ngettext on "count", the
# same English text for one and many (figures are written in digits).
CLAUSES = {
    "event_officers_deployed": ngettext_lazy(
        "%(value)s police officers were assigned to secure major events",
        "%(value)s police officers were assigned to secure major events",
        "count",
    ),
    "criminal_record_certificates_online_requests": ngettext_lazy(
        "%(value)s online requests for the criminal-record certificate were processed",
        "%(value)s online requests for the criminal-record certificate were processed",
        "count",
    ),
    "mobile_units_in_service": ngettext_lazy(
        "%(value)s mobile units brought identity-document services to remote areas",
        "%(value)s mobile units brought identity-document services to remote areas",
        "count",
    ),
    "mobile_units_people_served": ngettext_lazy(
        "%(value)s citizens were served by the mobile units",
        "%(value)s citizens were served by the mobile units",
        "count",
    ),
    "cnie_produced": ngettext_lazy(
        "%(value)s electronic national identity cards (CNIE) were produced",
        "%(value)s electronic national identity cards (CNIE) were produced",
        "count",
    ),
    "criminal_record_certificates_issued": ngettext_lazy(
        "%(value)s criminal-record certificates were issued",
        "%(value)s criminal-record certificates were issued",
        "count",
    ),
    "cases_recorded": ngettext_lazy(
        "%(value)s criminal cases were recorded",
        "%(value)s criminal cases were recorded",
        "count",
    ),
    "violent_crime_cases": ngettext_lazy(
        "violent crime accounted for %(value)s cases",
        "violent crime accounted for %(value)s cases",
        "count",
    ),
    "clearance_rate": _("the clearance rate reached %(value)s"),
    "drug_cases": ngettext_lazy(
        "%(value)s drug cases were handled",
        "%(value)s drug cases were handled",
        "count",
    ),
    "cannabis_resin_seized_kg": _("%(value)s kg of cannabis resin were seized"),
    "cocaine_seized_kg": _("%(value)s kg of cocaine were seized"),
    "psychotropic_pills_seized": ngettext_lazy(
        "%(value)s psychotropic pills were seized",
        "%(value)s psychotropic pills were seized",
        "count",
    ),
    "migration_networks_dismantled": ngettext_lazy(
        "%(value)s illegal-migration networks were dismantled",
        "%(value)s illegal-migration networks were dismantled",
        "count",
    ),
    "cybercrime_cases": ngettext_lazy(
        "%(value)s cybercrime cases were handled",
        "%(value)s cybercrime cases were handled",
        "count",
    ),
    "economic_financial_crime_cases": ngettext_lazy(
        "%(value)s economic and financial crime cases were handled",
        "%(value)s economic and financial crime cases were handled",
        "count",
    ),
    "money_laundering_cases": ngettext_lazy(
        "%(value)s money-laundering cases were handled",
        "%(value)s money-laundering cases were handled",
        "count",
    ),
    "interpol_assembly_countries": ngettext_lazy(
        "%(value)s countries took part in the Interpol General Assembly",
        "%(value)s countries took part in the Interpol General Assembly",
        "count",
    ),
    "recruits_hired": ngettext_lazy(
        "%(value)s new police staff were hired",
        "%(value)s new police staff were hired",
        "count",
    ),
    "recruitment_posts_offered": ngettext_lazy(
        "competitions were held for %(value)s posts",
        "competitions were held for %(value)s posts",
        "count",
    ),
    "staff_trained": ngettext_lazy(
        "%(value)s staff members took part in training programmes",
        "%(value)s staff members took part in training programmes",
        "count",
    ),
    "staff_promoted": ngettext_lazy(
        "%(value)s staff members were promoted",
        "%(value)s staff members were promoted",
        "count",
    ),
    "open_days_visitors": ngettext_lazy(
        "the police open days welcomed %(value)s visitors",
        "the police open days welcomed %(value)s visitors",
        "count",
    ),
}
GENERIC_CLAUSE = _("%(name)s: %(value)s %(unit)s")
CHANGE_CLAUSE = _("%(clause)s (%(change)s compared with %(previous_year)s)")
NO_RECORDS = _("%(name)s: no records for %(year)s")
SENTENCE = _("%(clause)s.")

INTRODUCTION = _(
    "%(unit)s presents its annual results for %(year)s, drawn from its own records, "
    "following the main areas of its work."
)
NO_DATA = _("No figures are recorded for %(year)s in this unit's records: this report states none.")
SECTION_EMPTY = _("No figures of this section are recorded for %(year)s.")
WELFARE_EMPTY = _(
    "The social-welfare programmes for police staff (financial and social aid, health "
    "coverage, summer camps) have no figures recorded for %(year)s."
)
# Plural forms chosen by "number" (the count), which "count" prints formatted.
EVENTS_INTRO = ngettext_lazy(
    "%(count)s change of police units took effect in %(year)s:",
    "%(count)s changes of police units took effect in %(year)s:",
    "number",
)
NO_EVENTS = _("No change of police units is recorded for %(year)s.")
PLANS_INTRO = ngettext_lazy(
    "%(count)s change of police units is scheduled for %(year)s:",
    "%(count)s changes of police units are scheduled for %(year)s:",
    "number",
)
NO_PLANS = _("No change of police units is scheduled yet for %(year)s in the records.")

# Notes beside a figure: where it and its previous value come from, its published version.
ENTERED_NOTE = _("entered by %(who)s on %(date)s from %(source)s")
ENTERED_NOTE_ANONYMOUS = _("entered on %(date)s from %(source)s")
PUBLISHED_NOTE = _("as published: %(source)s")
PREVIOUS_PUBLISHED_NOTE = _("%(year)s as published: %(source)s")
RESTATED_NOTE = _("restated; as published on %(date)s: %(value)s")
AS_PUBLISHED_NOTE = _("as published on %(date)s")
