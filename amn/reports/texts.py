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
CLAUSES = {
    "event_officers_deployed": _("%(value)s police officers were assigned to secure major events"),
    "criminal_record_certificates_online_requests": _(
        "%(value)s online requests for the criminal-record certificate were processed"
    ),
    "mobile_units_in_service": _(
        "%(value)s mobile units brought identity-document services to remote areas"
    ),
    "mobile_units_people_served": _("%(value)s citizens were served by the mobile units"),
    "cnie_produced": _("%(value)s electronic national identity cards (CNIE) were produced"),
    "criminal_record_certificates_issued": _("%(value)s criminal-record certificates were issued"),
    "cases_recorded": _("%(value)s criminal cases were recorded"),
    "violent_crime_cases": _("violent crime accounted for %(value)s cases"),
    "clearance_rate": _("the clearance rate reached %(value)s"),
    "drug_cases": _("%(value)s drug cases were handled"),
    "cannabis_resin_seized_kg": _("%(value)s kg of cannabis resin were seized"),
    "cocaine_seized_kg": _("%(value)s kg of cocaine were seized"),
    "psychotropic_pills_seized": _("%(value)s psychotropic pills were seized"),
    "migration_networks_dismantled": _("%(value)s illegal-migration networks were dismantled"),
    "cybercrime_cases": _("%(value)s cybercrime cases were handled"),
    "economic_financial_crime_cases": _(
        "%(value)s economic and financial crime cases were handled"
    ),
    "money_laundering_cases": _("%(value)s money-laundering cases were handled"),
    "interpol_assembly_countries": _(
        "%(value)s countries took part in the Interpol General Assembly"
    ),
    "recruits_hired": _("%(value)s new police staff were hired"),
    "recruitment_posts_offered": _("competitions were held for %(value)s posts"),
    "staff_trained": _("%(value)s staff members took part in training programmes"),
    "staff_promoted": _("%(value)s staff members were promoted"),
    "open_days_visitors": _("the police open days welcomed %(value)s visitors"),
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
