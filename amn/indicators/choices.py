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


class Aggregate(models.TextChoices):
    """How the records selected by a filter become one number."""

    COUNT = "count", _("Number of records")
    COUNT_DISTINCT_CASE = "count_distinct_case", _("Number of distinct cases")
    SUM_STANDARD_QUANTITY = "sum_standard_quantity", _("Total quantity in the standard unit")
    SUM_MEMBERS_ARRESTED = "sum_members_arrested", _("Total members arrested")


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
