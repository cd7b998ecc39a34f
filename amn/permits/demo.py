"""Demo residence-permit and visa applications (fictitious people), in every state:
received with a document missing, approved, refused, card issued, a card expiring within
60 days (so that `amn permits-remind` has someone to remind), a renewal in progress;
visas received, issued and refused. Dates are relative to the day the demo is loaded.
Idempotent: an application whose demo passport number is already recorded is skipped."""

import datetime

from django.utils import timezone

from amn.orgunits.models import OrgUnit
from amn.permits import services
from amn.permits.choices import (
    ApplicationKind,
    DocumentStatus,
    Entries,
    ResidenceReason,
    ResidenceRefusalReason,
    VisaPurpose,
    VisaRefusalReason,
)
from amn.permits.models import ResidenceApplication, VisaApplication

D = datetime.date

# passport, family name, given names, nationality, birth date, unit, reason, outcome, e-mail
# Outcomes: "submitted" (one document missing), "approved", "refused", "issued",
# "expiring" (issued, valid 40 more days), "renewing" (issued, valid 75 more days, and a
# renewal application received).
RESIDENCE = (
    ("DEMO10001", "Martin", "Claire", "FR", D(1986, 5, 2), "ws-fes", ResidenceReason.WORK, "submitted"),
    ("DEMO10002", "Diop", "Awa", "SN", D(2003, 1, 17), "ws-rabat-d1", ResidenceReason.STUDY, "approved"),
    ("DEMO10003", "García López", "Javier", "ES", D(1955, 9, 30), "ws-agadir", ResidenceReason.RETIREMENT, "issued"),
    ("DEMO10004", "Miller", "Sarah", "US", D(1990, 11, 8), "ws-casablanca", ResidenceReason.FAMILY, "refused"),
    ("DEMO10005", "Schneider", "Lukas", "DE", D(1982, 4, 21), "ws-agadir", ResidenceReason.WORK, "expiring"),
    ("DEMO10006", "Peeters", "Anke", "BE", D(1978, 7, 12), "ws-fes", ResidenceReason.WORK, "renewing"),
)

# passport, family name, given names, nationality, birth date, unit, purpose, entries,
# days until entry, length of stay (days), outcome ("submitted", "issued", "refused")
VISAS = (
    ("DEMO20001", "Smith", "Oliver", "GB", D(1994, 2, 14), "ws-marrakech", VisaPurpose.TOURISM, Entries.SINGLE, 20, 10, "submitted"),
    ("DEMO20002", "Wang", "Li", "CN", D(1980, 6, 3), "ws-casablanca", VisaPurpose.BUSINESS, Entries.MULTIPLE, 14, 21, "issued"),
    ("DEMO20003", "Okafor", "Chinedu", "NG", D(1999, 10, 25), "ws-rabat", VisaPurpose.EVENT, Entries.SINGLE, 30, 14, "refused"),
    ("DEMO20004", "Sato", "Yui", "JP", D(1988, 3, 9), "ws-agadir", VisaPurpose.TOURISM, Entries.MULTIPLE, 45, 25, "submitted"),
)  # fmt: skip


def _applicant(passport, family, given, nationality, born, unit) -> dict:
    today = timezone.localdate()
    return {
        "family_name": family,
        "given_names": given,
        "nationality": nationality,
        "passport_number": passport,
        "passport_expires_on": today.replace(year=today.year + 4, day=1),
        "birth_date": born,
        "email": f"{passport.lower()}@example.com",
        "handling_unit": unit,
    }


def _all_received(application) -> None:
    services.document_checks_record(
        actor=None,
        application=application,
        statuses={check.code: DocumentStatus.RECEIVED for check in application.documents.all()},
    )


def _residence(row) -> bool:
    passport, family, given, nationality, born, unit, reason, outcome = row
    if ResidenceApplication.objects.filter(passport_number=passport).exists():
        return False
    applicant = _applicant(passport, family, given, nationality, born, unit)
    application, _created = services.residence_application_submit(
        actor=None,
        data=services.ResidenceApplicationInput(
            **applicant, address="Demo: 12 rue de la Liberté", reason=reason
        ),
    )
    if outcome == "submitted":
        codes = [check.code for check in application.documents.all()]
        services.document_checks_record(
            actor=None,
            application=application,
            statuses={code: DocumentStatus.RECEIVED for code in codes[:-1]}
            | {codes[-1]: DocumentStatus.MISSING},
        )
        return True
    if outcome == "refused":
        services.residence_application_decide(
            actor=None,
            application=application,
            approve=False,
            refusal_reason=ResidenceRefusalReason.DOCUMENTS_MISSING,
            note="Demo: the family record book was not brought within the time given.",
        )
        return True
    _all_received(application)
    services.residence_application_decide(actor=None, application=application, approve=True)
    if outcome == "approved":
        return True
    today = timezone.localdate()
    expires_on = {
        "expiring": today + datetime.timedelta(days=40),
        "renewing": today + datetime.timedelta(days=75),
    }.get(outcome)
    card = services.residence_card_issue(actor=None, application=application, expires_on=expires_on)
    if outcome == "renewing":
        services.residence_application_submit(
            actor=None,
            data=services.ResidenceApplicationInput(
                **applicant,
                address="Demo: 12 rue de la Liberté",
                reason=reason,
                kind=ApplicationKind.RENEWAL,
                previous_card_number=card.number,
            ),
        )
    return True


def _visa(row) -> bool:
    passport, family, given, nationality, born, unit, purpose, entries, lead, days, outcome = row
    if VisaApplication.objects.filter(passport_number=passport).exists():
        return False
    entry = timezone.localdate() + datetime.timedelta(days=lead)
    exit_ = entry + datetime.timedelta(days=days - 1)
    application, _created = services.visa_application_submit(
        actor=None,
        data=services.VisaApplicationInput(
            **_applicant(passport, family, given, nationality, born, unit),
            purpose=purpose,
            entries_requested=entries,
            intended_entry_on=entry,
            intended_exit_on=exit_,
        ),
    )
    if outcome == "issued":
        services.visa_application_approve(
            actor=None,
            application=application,
            valid_from=entry,
            valid_until=exit_ + datetime.timedelta(days=30),
            entries=entries,
            max_stay_days=days,
        )
    elif outcome == "refused":
        services.visa_application_refuse(
            actor=None,
            application=application,
            refusal_reason=VisaRefusalReason.INCOMPLETE_APPLICATION,
            note="Demo: no proof of a match ticket or of accommodation.",
        )
    return True


def load_demo() -> str:
    """Record the demo applications not recorded yet; returns a summary line."""
    units = set(OrgUnit.objects.values_list("code", flat=True))
    residence = sum(_residence(row) for row in RESIDENCE if row[5] in units)
    visas = sum(_visa(row) for row in VISAS if row[5] in units)
    return f"demo permits: {residence} residence applications, {visas} visa applications created"
