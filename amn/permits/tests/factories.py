"""Applications built through the services, for the permits tests.

Handling units: "ws-fes-d1" (Fès 1st district: agent.fes's own unit, inside officer.fes's
wilaya) and "ws-agadir" (Agadir wilaya: out of every Fès account's scope).
"""

import datetime

from django.utils import timezone

from amn.permits import services
from amn.permits.choices import ApplicationKind, DocumentStatus, Entries, VisaPurpose

FES = "ws-fes-d1"
AGADIR = "ws-agadir"


def today() -> datetime.date:
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def applicant(**overrides) -> dict:
    values = {
        "family_name": "Martin",
        "given_names": "Claire Anne",
        "nationality": "FR",
        "passport_number": "18AB12345",
        "passport_expires_on": days(3 * 365),
        "birth_date": datetime.date(1986, 5, 2),
        "email": "claire.martin@example.com",
        "phone": "+33 6 12 34 56 78",
        "handling_unit": FES,
    }
    values.update(overrides)
    return values


def residence_input(**overrides) -> services.ResidenceApplicationInput:
    values = {**applicant(), "address": "12 rue de la Liberté, Fès", "reason": "work"}
    values.update(overrides)
    return services.ResidenceApplicationInput(**values)


def visa_input(**overrides) -> services.VisaApplicationInput:
    values = {
        **applicant(),
        "purpose": VisaPurpose.TOURISM,
        "intended_entry_on": days(10),
        "intended_exit_on": days(19),
        "entries_requested": Entries.SINGLE,
    }
    values.update(overrides)
    return services.VisaApplicationInput(**values)


def residence_submitted(**overrides):
    application, created = services.residence_application_submit(
        actor=None, data=residence_input(**overrides)
    )
    assert created
    return application


def all_received(application):
    return services.document_checks_record(
        actor=None,
        application=application,
        statuses={check.code: DocumentStatus.RECEIVED for check in application.documents.all()},
    )


def residence_approved(**overrides):
    application = residence_submitted(**overrides)
    all_received(application)
    return services.residence_application_decide(actor=None, application=application, approve=True)


def card_issued(expires_on=None, **overrides):
    application = residence_approved(**overrides)
    return services.residence_card_issue(actor=None, application=application, expires_on=expires_on)


def renewal_input(card, **overrides) -> services.ResidenceApplicationInput:
    holder = card.application
    values = {
        "nationality": holder.nationality,
        "birth_date": holder.birth_date,
        "passport_number": holder.passport_number,
        "reason": holder.reason,
        "kind": ApplicationKind.RENEWAL,
        "previous_card_number": card.number,
    }
    return residence_input(**{**values, **overrides})


def visa_submitted(**overrides):
    application, created = services.visa_application_submit(
        actor=None, data=visa_input(**overrides)
    )
    assert created
    return application
