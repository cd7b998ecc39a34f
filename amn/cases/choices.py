from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Under investigation")
    REFERRED = "referred", _("Referred to the prosecutor")
    CLOSED = "closed", _("Closed")


class CaseSource(models.TextChoices):
    """Where a case record came from; imports keep their own key for idempotency."""

    MANUAL = "manual", _("Entered by staff")
    IMPORT = "import", _("Imported")
    GENERATED = "generated", _("Generated (synthetic demo data)")


class Clearance(models.TextChoices):
    """Clearance of one offence (the rule is stated in amn.cases.clearance)."""

    NOT_CLEARED = "not_cleared", _("Not cleared")
    BY_ARREST = "by_arrest", _("Cleared by arrest")
    EXCEPTIONAL = "exceptional", _("Cleared by exceptional means")


class PartyRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect")
    ARRESTED = "arrested", _("Arrested person")
    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")


class Substance(models.TextChoices):
    CANNABIS_RESIN = "cannabis_resin", _("Cannabis resin (chira)")
    CANNABIS_HERB = "cannabis_herb", _("Cannabis herb (kif)")
    COCAINE = "cocaine", _("Cocaine")
    HEROIN = "heroin", _("Heroin")
    PSYCHOTROPIC_PILLS = "psychotropic_pills", _("Psychotropic pills")
    ECSTASY = "ecstasy", _("Ecstasy")
    OTHER = "other", _("Other substance")


class QuantityUnit(models.TextChoices):
    KG = "kg", _("kilograms")
    G = "g", _("grams")
    T = "t", _("tonnes")
    TABLETS = "tablets", _("tablets")
    L = "l", _("litres")
    ML = "ml", _("millilitres")


class NetworkKind(models.TextChoices):
    MIGRATION_SMUGGLING = "migration_smuggling", _("Illegal migration and human smuggling")
    DRUG_TRAFFICKING = "drug_trafficking", _("Drug trafficking")
    FRAUD = "fraud", _("Fraud")
    CYBERCRIME = "cybercrime", _("Cybercrime")
    MONEY_LAUNDERING = "money_laundering", _("Money laundering")
    OTHER = "other", _("Other organised crime")


class Problem(models.TextChoices):
    """Why a record waits in the validation inbox, out of the figures."""

    MISSING_ICCS = "missing_iccs", _("An offence has no ICCS code")
    DATES_OUT_OF_ORDER = "dates_out_of_order", _("Dates out of order")
    CLEARED_WITHOUT_ARREST = "cleared_without_arrest", _("Cleared by arrest without an arrest")
    EXCEPTIONAL_WITHOUT_REASON = (
        "exceptional_without_reason",
        _("Cleared by exceptional means without a reason"),
    )
    CLEARED_BEFORE_OCCURRED = "cleared_before_occurred", _("Cleared before it occurred")
