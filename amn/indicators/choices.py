from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    """The record table an indicator counts (amn.indicators.sources describes each)."""

    OFFENCES = "offences", _("Offences")
    CASES = "cases", _("Criminal cases")
    SEIZURES = "seizures", _("Seizures")
    NETWORKS = "networks", _("Criminal networks dismantled")
    ARRESTS = "arrests", _("Arrests")
    PARTIES = "parties", _("Persons involved in cases")
    CNIE_CARDS = "cnie_cards", _("CNIE cards produced")
    CERTIFICATES = "certificates", _("Criminal-record certificates issued")
    CERTIFICATE_APPLICATIONS = (
        "certificate_applications",
        _("Criminal-record certificate applications"),
    )
    RESIDENCE_CARDS = "residence_cards", _("Residence cards issued")
    VISAS = "visas", _("Visas issued")
    MOBILE_UNIT_STOPS = "mobile_unit_stops", _("Mobile-unit stops held")
    STAFF_MEMBERS = "staff_members", _("Police staff")
    RECRUITMENT_COMPETITIONS = "recruitment_competitions", _("Recruitment competitions")
    PROMOTIONS = "promotions", _("Promotions")
    TRAINING_COMPLETIONS = "training_completions", _("Training completions")


class Aggregate(models.TextChoices):
    """How the records selected by a filter become one number."""

    COUNT = "count", _("Number of records")
    COUNT_DISTINCT_CASE = "count_distinct_case", _("Number of distinct cases")
    SUM_STANDARD_QUANTITY = "sum_standard_quantity", _("Total quantity in the standard unit")
    SUM_MEMBERS_ARRESTED = "sum_members_arrested", _("Total members arrested")
    SUM_PEOPLE_SERVED = "sum_people_served", _("Total people served")
    SUM_POSTS_OFFERED = "sum_posts_offered", _("Total posts offered")
    COUNT_DISTINCT_MOBILE_UNIT = "count_distinct_mobile_unit", _("Number of distinct mobile units")
    COUNT_DISTINCT_STAFF = "count_distinct_staff", _("Number of distinct staff members")


class UnitOfMeasure(models.TextChoices):
    CASES = "cases", _("cases")
    OFFENCES = "offences", _("offences")
    PERCENT = "percent", _("percent")
    KG = "kg", _("kilograms")
    TABLETS = "tablets", _("tablets")
    NETWORKS = "networks", _("networks")
    ARRESTS = "arrests", _("arrests")
    PERSONS = "persons", _("persons")
    PER_100K = "per_100000_inhabitants", _("per 100,000 inhabitants")
    CARDS = "cards", _("cards")
    CERTIFICATES = "certificates", _("certificates")
    REQUESTS = "requests", _("requests")
    DOCUMENTS = "documents", _("documents")
    MOBILE_UNITS = "mobile_units", _("mobile units")
    POSTS = "posts", _("posts")
    COUNTRIES = "countries", _("countries")
    VISITORS = "visitors", _("visitors")


class Disaggregation(models.TextChoices):
    """Ways to break a figure down (`amn stats --by`)."""

    REGION = "region", _("Region")
    PROVINCE = "province", _("Province or prefecture")
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    ICCS = "iccs", _("ICCS section")
    CATEGORY = "category", _("National category")
    SEX = "sex", _("Sex")
    AGE_GROUP = "age_group", _("Age group")
    NATIONALITY = "nationality", _("Nationality")


class Counting(models.TextChoices):
    """The counting unit of an indicator that lets the caller choose it (clearance rate)."""

    OFFENCES = "offences", _("offences")
    CASES = "cases", _("cases")


class IndicatorKind(models.TextChoices):
    """Where an indicator's figures come from (amn.indicators.yearly.Provenance)."""

    RECORDS = "records", _("Computed from records")
    ENTERED = "entered", _("Entered as a dated, attributed aggregate")


class ReportSection(models.TextChoices):
    """The sections of the annual report, in the order of the DGSN release."""

    INFRASTRUCTURE = "infrastructure", _("Police infrastructure")
    MAJOR_EVENTS = "major_events", _("Major events")
    DIGITAL_SERVICES = "digital_services", _("Digital public services")
    CRIME = "crime", _("Crime")
    COOPERATION = "cooperation", _("International cooperation")
    HUMAN_RESOURCES = "human_resources", _("Human resources")
    WELFARE = "welfare", _("Social welfare")
    COMMUNICATION = "communication", _("Communication")
    PLANS = "plans", _("Plans for next year")
