"""Writes of the criminal-record certificate service: submission, the background registry
check, review decisions (four eyes), issuance, revocation, verification and notification.

Every write runs in one transaction and leaves dated ApplicationEvent rows (who, when,
which unit, what); field changes are also recorded by django-auditlog (apps.py).
Background work (the check, notifications) is enqueued on commit.

Rules and their sources:
- Clean results are issued automatically and delivered electronically; anything else goes
  to people (issue 4, after France's online bulletin n°3).
- A decision that a registry record is the applicant's (RECORD_FOUND), or that overrides an
  automatic RECORD_FOUND, takes effect only once a supervisor other than the first decider
  confirms it (four eyes, issue 4).
- A certificate is valid three months from its issue date (issue 4).
- A newer certificate for the same CNIE supersedes the older ones.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from amn.access.scoping import unit_in_scope
from amn.accounts.choices import Role
from amn.certificates import numbering
from amn.certificates.choices import (
    OPEN_STATUSES,
    ApplicationStatus,
    CertificateStatus,
    DecisionOutcome,
    DecisionStep,
    Delivery,
    EventKind,
    Statement,
    VerificationMethod,
    VerificationResult,
)
from amn.certificates.models import (
    ApplicationEvent,
    Certificate,
    CertificateApplication,
    ReviewDecision,
    SubmissionKey,
    VerificationEvent,
)
from amn.certificates.rate_limits import client_digest
from amn.core.digits import ascii_digits
from amn.core.errors import DomainError
from amn.core.text_input import clean_text
from amn.people.identity import CheckOutcome, CheckResult, IdentityRecord, PartialDate
from amn.people.models import JudicialRecord, Person

logger = logging.getLogger(__name__)

VALIDITY_MONTHS = 3
# A NO_RECORD outcome is issued without a person when the best candidate's match
# probability is at most this: half the matcher's own NO_RECORD bound
# (amn.people.matching.check.POSSIBLE_MATCH_AT = 0.02), so a near-miss goes to a person.
AUTO_ISSUE_MAX_SCORE = 0.01
# Attempts of the background check before it waits for a person to retry it, and the
# delay before each retry (seconds): 1 min, 5 min, 15 min, 1 h.
MAX_CHECK_ATTEMPTS = 5
RETRY_DELAYS = (60, 300, 900, 3600)
REASON_MAX_LENGTH = 1000
ORGANISATION_MAX_LENGTH = 200

# Roles that take the first decision on an application in review, and roles that confirm
# (the second pair of eyes). Administrators run the system and decide nothing here.
REVIEWER_ROLES = frozenset({Role.FRONT_DESK_AGENT, Role.RECORDS_OFFICER, Role.SUPERVISOR})
CONFIRMER_ROLES = frozenset({Role.SUPERVISOR})


# ------------------------------------------------------------------ submission


@dataclass(frozen=True)
class ApplicationInput:
    """A citizen's application as cleaned by the form (see forms.ApplicationForm).

    `cnie` normalised; names as written (one script may be empty); `birth` exact or
    year-only; `birth_place` a geo.Commune; `phone` E.164 or ""; `collection_unit` an
    OrgUnit serving the public when `delivery` is COLLECT, else None; `language` "ar",
    "fr" or "en".
    """

    cnie: str
    given_name_ar: str
    family_name_ar: str
    given_name_lat: str
    family_name_lat: str
    birth: PartialDate
    birth_place: object
    purpose: str
    delivery: str
    consent: bool
    phone: str = ""
    email: str = ""
    sex: str = ""
    father_given_name: str = ""
    mother_given_name: str = ""
    collection_unit: object = None
    language: str = "ar"


@dataclass(frozen=True)
class Submission:
    """The result of application_submit: the application, and whether it was created now
    (False when an open application of the same CNIE, or the same form, already existed)."""

    application: CertificateApplication
    created: bool


def handling_unit_for(*, data: ApplicationInput):
    """The police unit that handles an application (its staff review it).

    The collection station when the certificate is collected; otherwise the unit serving
    the public nearest to the birth place: in the birth commune, else its province, else its
    region, the highest such unit (the wilaya or provincial area whose supervisors oversee
    the others); else the root of the tree (the directorate-general).
    Returns:
        OrgUnit.
    Raises:
        DomainError: the police-unit tree is empty.
    """
    from amn.orgunits.choices import UnitStatus
    from amn.orgunits.models import OrgUnit

    if data.delivery == Delivery.COLLECT and data.collection_unit is not None:
        return data.collection_unit
    public = OrgUnit.objects.filter(status=UnitStatus.ACTIVE, serves_public=True)
    commune = data.birth_place
    for scope in (
        {"commune": commune},
        {"commune__province_id": commune.province_id},
        {"commune__province__region_id": commune.province.region_id},
    ):
        unit = public.filter(**scope).order_by("depth", "code").first()
        if unit is not None:
            return unit
    root = OrgUnit.get_first_root_node()
    if root is None:
        raise DomainError(_("No police unit can handle this application."))
    return root


def _refuse_invalid(data: ApplicationInput) -> None:
    """The service's own check of the rules the form enforces field by field."""
    today = timezone.localdate()
    if not data.consent:
        raise DomainError(_("The check needs your explicit consent."))
    if not (data.family_name_ar or data.family_name_lat):
        raise DomainError(_("Give the family name in Arabic or Latin script."))
    if not (data.phone or data.email):
        raise DomainError(_("Give a phone number or an e-mail address."))
    if data.birth.year > today.year or (data.birth.is_exact and data.birth.as_date() > today):
        raise DomainError(_("A date of birth cannot be in the future."))
    if data.delivery == Delivery.COLLECT:
        unit = data.collection_unit
        if unit is None or not unit.serves_public:
            raise DomainError(_("Choose a police station that serves the public."))


def _event(application, kind, *, actor=None, unit=None, note="", detail=None) -> None:
    ApplicationEvent.objects.create(
        application=application,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        unit=unit if unit is not None else getattr(actor, "unit", None),
        note=note[:500],
        detail=detail or {},
    )


def application_submit(
    *, actor, data: ApplicationInput, submission_key: uuid.UUID | None = None
) -> Submission:
    """Record a citizen's application and enqueue its registry check (on commit).

    Args:
        actor: the signed-in citizen, or an anonymous user (no account needed).
        data: the cleaned application.
        submission_key: the form's one-time key: submitting the same form twice returns the
            first application (idempotent double submit).
    Returns:
        Submission; `created` is False when the same form was already submitted, or when
        the same CNIE has an open application (its reference is given back instead of a
        duplicate).
    Raises:
        DomainError: no consent, no family name, no contact, a future birth date, or a
            collection station that does not serve the public.
    """
    _refuse_invalid(data)
    if submission_key is not None:
        existing = CertificateApplication.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return Submission(existing, False)
    open_one = _open_application(data.cnie)
    if open_one is not None:
        return Submission(open_one, False)
    try:
        with transaction.atomic():
            application = _application_create(actor=actor, data=data, key=submission_key)
    except IntegrityError:
        # A concurrent submission of the same form or CNIE won the race: give its reference.
        existing = (
            CertificateApplication.objects.filter(submission_key=submission_key).first()
            if submission_key is not None
            else None
        ) or _open_application(data.cnie)
        if existing is None:
            raise
        return Submission(existing, False)
    return Submission(application, True)


# Idempotency keys of the submission API: what a client may send (after the IETF draft
# "The Idempotency-Key HTTP Header Field", draft-ietf-httpapi-idempotency-key-header).
IDEMPOTENCY_KEY_MIN_LENGTH = 8
IDEMPOTENCY_KEY_MAX_LENGTH = 128
IDEMPOTENCY_KEY_ALPHABET = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
)
# Attempts of a keyed submission that lost a race (the same key or the same CNIE
# committed by a concurrent request): each attempt reads what the winner wrote, so the
# second one normally answers; a third covers a winner rolled back in between.
KEYED_SUBMIT_ATTEMPTS = 3


class IdempotencyKeyReused(DomainError):
    """An Idempotency-Key already used with a different request body: the first request's
    answer stands, and this one is refused (answered 422)."""


@dataclass(frozen=True)
class KeyedSubmission:
    """The answer to a keyed submission: the application; whether the key's first request
    created it (`created`, False when an open application of the same CNIE was found);
    whether this request is a retry answered from the stored key (`replayed`)."""

    application: CertificateApplication
    created: bool
    replayed: bool


def idempotency_key_valid(key: str | None) -> bool:
    """True when `key` is 8–128 characters among A–Z a–z 0–9 _ - (ASCII only)."""
    return (
        key is not None
        and IDEMPOTENCY_KEY_MIN_LENGTH <= len(key) <= IDEMPOTENCY_KEY_MAX_LENGTH
        and set(key) <= IDEMPOTENCY_KEY_ALPHABET
    )


def request_digest(body: dict) -> str:
    """SHA-256 (64 hex characters) of the canonical JSON of a request body (keys sorted, no
    blanks, UTF-8): two bodies with the same fields and values have the same digest,
    whatever their key order or spacing."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def submission_replay(*, key: str, body_digest: str) -> KeyedSubmission | None:
    """The stored answer of an Idempotency-Key, if a request with it already succeeded.

    Returns:
        KeyedSubmission (replayed=True), or None when the key is new.
    Raises:
        IdempotencyKeyReused: the key was used with a body of another digest.
    """
    stored = SubmissionKey.objects.select_related("application").filter(key=key).first()
    if stored is None:
        return None
    if not hmac.compare_digest(stored.body_digest, body_digest):
        raise IdempotencyKeyReused(
            _(
                "This Idempotency-Key was already used with a different request: send a new "
                "key for a new application, or the same request to retry."
            )
        )
    return KeyedSubmission(stored.application, stored.created_new, replayed=True)


def application_submit_keyed(
    *, actor, data: ApplicationInput, key: str, body_digest: str
) -> KeyedSubmission:
    """Record an application sent with an Idempotency-Key (the public API), at most once
    per key, and enqueue its registry check on commit.

    The key, the body's digest and the answer are stored in the transaction that creates
    the application (SubmissionKey, unique key). A retry with the same key and body gets
    the first answer back and creates nothing; a concurrent request with the same key
    cannot create a second application: its insert of the key fails on the unique index,
    its transaction (application included) rolls back and it answers with what the first
    one stored. The rule of application_submit still holds: while the same CNIE has an
    open application, that application is the answer (`created` False), and the key
    remembers it.

    Args:
        actor: the signed-in citizen, or an anonymous user.
        data: the cleaned application.
        key: the client's Idempotency-Key (idempotency_key_valid).
        body_digest: request_digest of the request body.
    Returns:
        KeyedSubmission.
    Raises:
        IdempotencyKeyReused: the key was used with another body.
        DomainError: as application_submit (no consent, no family name, no contact, a
            future birth date, a station that does not serve the public).
    """
    _refuse_invalid(data)
    if not idempotency_key_valid(key):
        raise DomainError(_("The Idempotency-Key is 8 to 128 letters, digits, _ or -."))
    for attempt in range(1, KEYED_SUBMIT_ATTEMPTS + 1):
        replay = submission_replay(key=key, body_digest=body_digest)
        if replay is not None:
            return replay
        try:
            with transaction.atomic():
                application = _open_application(data.cnie)
                created = application is None
                if created:
                    application = _application_create(actor=actor, data=data, key=None)
                SubmissionKey.objects.create(
                    key=key, body_digest=body_digest, application=application, created_new=created
                )
                return KeyedSubmission(application, created, replayed=False)
        except IntegrityError:
            # The same key, or the same CNIE, was committed by a concurrent request: the
            # next attempt reads it.
            if attempt == KEYED_SUBMIT_ATTEMPTS:
                raise


def _open_application(cnie: str) -> CertificateApplication | None:
    return CertificateApplication.objects.filter(cnie=cnie, status__in=OPEN_STATUSES).first()


def _application_create(*, actor, data: ApplicationInput, key) -> CertificateApplication:
    now = timezone.now()
    year = timezone.localdate(now).year
    handling_unit = handling_unit_for(data=data)
    application = CertificateApplication.objects.create(
        reference=numbering.next_application_reference(year=year),
        language=data.language if data.language in ("ar", "fr", "en") else "ar",
        cnie=data.cnie,
        given_name_ar=data.given_name_ar,
        family_name_ar=data.family_name_ar,
        given_name_lat=data.given_name_lat,
        family_name_lat=data.family_name_lat,
        sex=data.sex,
        birth_date=data.birth.as_date(),
        birth_year=None if data.birth.is_exact else data.birth.year,
        birth_place=data.birth_place,
        father_given_name=data.father_given_name,
        mother_given_name=data.mother_given_name,
        phone=data.phone,
        email=data.email,
        purpose=data.purpose,
        delivery=data.delivery,
        collection_unit=data.collection_unit if data.delivery == Delivery.COLLECT else None,
        handling_unit=handling_unit,
        consent_at=now,
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        submission_key=key,
    )
    _event(application, EventKind.SUBMITTED, unit=handling_unit)
    transaction.on_commit(lambda: _enqueue_check(application.pk))
    return application


def _enqueue_check(application_id, *, delay: int = 0) -> None:
    from amn.certificates.tasks import certificate_check

    task = certificate_check
    if delay:
        task = task.using(run_after=timezone.now() + datetime.timedelta(seconds=delay))
    task.enqueue(str(application_id))


# ------------------------------------------------------------------ background check


def application_identity(application: CertificateApplication) -> IdentityRecord:
    """The exchange record of an application, as the registry check reads it (birth place
    as the commune's code)."""
    if application.birth_date is not None:
        day = application.birth_date
        born = PartialDate(day.year, day.month, day.day)
    else:
        born = PartialDate(application.birth_year)
    return IdentityRecord(
        cnie=application.cnie,
        given_name_ar=application.given_name_ar,
        family_name_ar=application.family_name_ar,
        given_name_lat=application.given_name_lat,
        family_name_lat=application.family_name_lat,
        sex=application.sex,
        birth_date=born,
        birth_place=application.birth_place.code,
        father_given_name=application.father_given_name,
        mother_given_name=application.mother_given_name,
    )


def check_result_json(result: CheckResult) -> dict:
    """The JSON kept on the application: {"outcome", "score", "candidates": [{"person_id"
    (the Person's UUID), "score", "fields": [{"field", "agreement", "weight", "detail"}]}]}."""
    return {
        "outcome": str(result.outcome),
        "score": round(float(result.score), 4),
        "candidates": [
            {
                "person_id": _person_pk(candidate.person_id),
                "score": round(float(candidate.score), 4),
                "fields": [
                    {
                        "field": comparison.field,
                        "agreement": comparison.agreement,
                        "weight": round(float(comparison.weight), 3),
                        "detail": comparison.detail,
                    }
                    for comparison in candidate.fields
                ],
            }
            for candidate in result.candidates
        ],
    }


def _person_pk(person_id: str) -> str:
    """The Person UUID of a candidate id, which is the UUID or the registry identifier."""
    try:
        return str(uuid.UUID(str(person_id)))
    except ValueError:
        pk = Person.objects.filter(registry_id=str(person_id)).values_list("pk", flat=True)
        found = pk.first()
        return str(found) if found else str(person_id)


def is_clean(result: CheckResult) -> bool:
    """True when a check result may be issued without a person: NO_RECORD and a best
    candidate score of at most AUTO_ISSUE_MAX_SCORE."""
    return result.outcome == CheckOutcome.NO_RECORD and result.score <= AUTO_ISSUE_MAX_SCORE


def application_check_run(*, application_id) -> str:
    """Run the registry check of an application (called by the background task).

    Marks the application CHECKING and counts the attempt (committed first, so a crash
    still leaves a trace), runs amn.people.matching.registry_check, then in one
    transaction records the outcome and either issues the certificate (clean result) or
    sends the application to review. When the check raises, a CHECK_FAILED event is
    recorded (also when recording the outcome or issuing fails: that transaction is rolled
    back whole), a retry is enqueued after RETRY_DELAYS (up to MAX_CHECK_ATTEMPTS attempts;
    then staff retry it from the back office) and the error is raised again so that the
    task is marked failed. The applicant sees "in progress" throughout.
    Returns:
        str: "issued", "review", "skipped" (already checked).
    Raises:
        whatever registry_check raised.
    """
    from amn.people.matching import registry_check

    with transaction.atomic():
        application = _locked(application_id)
        if application is None or application.status not in (
            ApplicationStatus.SUBMITTED,
            ApplicationStatus.CHECKING,
        ):
            return "skipped"
        application.status = ApplicationStatus.CHECKING
        application.check_attempts += 1
        application.save(update_fields=["status", "check_attempts", "updated_at"])
        attempt = application.check_attempts
        _event(
            application,
            EventKind.CHECK_STARTED,
            unit=application.handling_unit,
            detail={"attempt": attempt},
        )
    try:
        result = registry_check(application_identity(application))
        return _check_record(application_id=application.pk, result=result)
    except Exception as error:
        _check_failed(application, attempt=attempt, error=error)
        raise


def _locked(application_id) -> CertificateApplication | None:
    return (
        CertificateApplication.objects.select_for_update()
        .select_related("handling_unit", "birth_place")
        .filter(pk=application_id)
        .first()
    )


def _check_failed(application, *, attempt: int, error: Exception) -> None:
    retry = attempt < MAX_CHECK_ATTEMPTS
    delay = RETRY_DELAYS[min(attempt - 1, len(RETRY_DELAYS) - 1)] if retry else 0
    # The exception's class only: its message may quote the applicant's data.
    logger.warning(
        "registry check of application %s failed (attempt %d): %s",
        application.pk,
        attempt,
        type(error).__name__,
    )
    with transaction.atomic():
        _event(
            application,
            EventKind.CHECK_FAILED,
            unit=application.handling_unit,
            detail={
                "attempt": attempt,
                "error": type(error).__name__,
                "retry_in_seconds": delay if retry else None,
            },
        )
        if retry:
            transaction.on_commit(lambda: _enqueue_check(application.pk, delay=delay))


def _check_record(*, application_id, result: CheckResult) -> str:
    with transaction.atomic():
        application = _locked(application_id)
        if application is None or application.status != ApplicationStatus.CHECKING:
            return "skipped"
        application.check_outcome = result.outcome
        application.check_score = round(float(result.score), 4)
        application.check_result = check_result_json(result)
        application.checked_at = timezone.now()
        application.save(
            update_fields=[
                "check_outcome",
                "check_score",
                "check_result",
                "checked_at",
                "updated_at",
            ]
        )
        _event(
            application,
            EventKind.CHECKED,
            unit=application.handling_unit,
            detail={
                "outcome": str(result.outcome),
                "score": application.check_score,
                "candidates": len(result.candidates),
            },
        )
        if is_clean(result):
            _issue(application=application, actor=None, person=None)
            return "issued"
        application.status = ApplicationStatus.IN_REVIEW
        application.save(update_fields=["status", "updated_at"])
        _event(application, EventKind.SENT_TO_REVIEW, unit=application.handling_unit)
        return "review"


def application_check_retry(*, actor, application_id) -> CertificateApplication:
    """Enqueue the check of an application again after its automatic retries ran out.

    Raises:
        DomainError: the actor is not a reviewer of the application's unit, or the
            application is not waiting for its check.
    """
    with transaction.atomic():
        application = _locked(application_id)
        _require_reviewer(actor, application)
        if application.status not in (ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING):
            raise DomainError(_("This application is not waiting for its check."))
        _event(application, EventKind.CHECK_STARTED, actor=actor, note=_("Retried by staff."))
        transaction.on_commit(lambda: _enqueue_check(application.pk))
    return application


def applications_resume_checks() -> int:
    """Enqueue the check of every application still SUBMITTED or CHECKING whose automatic
    retries are not exhausted (after a crash of the queue, say); returns how many.
    A check that already ran is skipped by application_check_run, so this is safe."""
    pending = CertificateApplication.objects.filter(
        status__in=(ApplicationStatus.SUBMITTED, ApplicationStatus.CHECKING),
        check_attempts__lt=MAX_CHECK_ATTEMPTS,
    ).values_list("pk", flat=True)
    count = 0
    for pk in pending:
        _enqueue_check(pk)
        count += 1
    return count


# ------------------------------------------------------------------ review


def _require_reviewer(actor, application, *, roles=REVIEWER_ROLES) -> None:
    if application is None or not (
        getattr(actor, "is_authenticated", False)
        and actor.is_active
        and actor.role in roles
        and actor.unit_id is not None
        and unit_in_scope(actor, application.handling_unit)
    ):
        raise DomainError(_("This application is not in your review queue."))


def _reason(reason: str) -> str:
    text = clean_text(reason)
    if not text:
        raise DomainError(_("Give the reason for the decision."))
    if len(text) > REASON_MAX_LENGTH:
        raise DomainError(_("A reason of at most 1000 characters, please."))
    return text


def _candidate_ids(application) -> set[str]:
    return {c["person_id"] for c in (application.check_result or {}).get("candidates", [])}


def review_decide(
    *, actor, application_id, outcome: str, reason: str, person_id: str | None = None
) -> ReviewDecision:
    """The first decision on an application in review.

    Args:
        actor: a reviewer (front-desk agent, records officer or supervisor) whose unit
            subtree holds the application's handling unit.
        outcome: DecisionOutcome.NO_RECORD (the applicant is none of the candidates) or
            DecisionOutcome.RECORD_FOUND (the applicant is candidate `person_id`).
        reason: why (required, ≤ 1000 characters).
        person_id: the UUID of the candidate for RECORD_FOUND.
    Returns:
        ReviewDecision. NO_RECORD on a check that did not say RECORD_FOUND issues the
        certificate at once; RECORD_FOUND, or NO_RECORD against an automatic RECORD_FOUND,
        waits for a supervisor's confirmation (AWAITING_CONFIRMATION).
    Raises:
        DomainError: out of scope or wrong role, not in review, no reason, or a person
            who is not one of the check's candidates.
    """
    with transaction.atomic():
        application = _locked(application_id)
        _require_reviewer(actor, application)
        if application.status != ApplicationStatus.IN_REVIEW:
            raise DomainError(_("This application is not waiting for a decision."))
        text = _reason(reason)
        person = None
        if outcome == DecisionOutcome.RECORD_FOUND:
            if not person_id or str(person_id) not in _candidate_ids(application):
                raise DomainError(_("Choose the candidate who is the applicant."))
            person = Person.objects.get(pk=person_id)
        elif outcome != DecisionOutcome.NO_RECORD:
            raise DomainError(_("Decide “no record” or “record found”."))
        decision = ReviewDecision.objects.create(
            application=application,
            step=DecisionStep.FIRST,
            outcome=outcome,
            person=person,
            reason=text,
            decided_by=actor,
            unit=actor.unit,
        )
        _event(
            application,
            EventKind.DECIDED,
            actor=actor,
            note=text,
            detail={"outcome": outcome, "decision": str(decision.pk)},
        )
        needs_confirmation = (
            outcome == DecisionOutcome.RECORD_FOUND
            or application.check_outcome == CheckOutcome.RECORD_FOUND
        )
        if needs_confirmation:
            application.status = ApplicationStatus.AWAITING_CONFIRMATION
            application.save(update_fields=["status", "updated_at"])
        else:
            _issue(application=application, actor=actor, person=None)
    return decision


def review_confirm(*, actor, application_id, confirm: bool, reason: str) -> ReviewDecision:
    """The second person's decision (four eyes) on a decision awaiting confirmation.

    Args:
        actor: a supervisor of the application's unit subtree, not the first decider.
        confirm: True issues the certificate as the first decision said (with the
            registry person's convictions not yet cleared, for RECORD_FOUND); False
            sends the application back to review.
        reason: why (required, ≤ 1000 characters).
    Returns:
        ReviewDecision (step CONFIRMATION).
    Raises:
        DomainError: not a supervisor of the unit, the same person as the first decider,
            nothing awaiting confirmation, or no reason.
    """
    with transaction.atomic():
        application = _locked(application_id)
        _require_reviewer(actor, application, roles=CONFIRMER_ROLES)
        if application.status != ApplicationStatus.AWAITING_CONFIRMATION:
            raise DomainError(_("No decision on this application awaits confirmation."))
        first = (
            application.decisions.filter(step=DecisionStep.FIRST)
            .select_related("person")
            .order_by("-decided_at", "-id")
            .first()
        )
        if first is None:
            raise DomainError(_("No decision on this application awaits confirmation."))
        if first.decided_by_id == actor.pk:
            raise DomainError(_("A second person must confirm: you took the first decision."))
        text = _reason(reason)
        decision = ReviewDecision.objects.create(
            application=application,
            step=DecisionStep.CONFIRMATION,
            outcome=DecisionOutcome.CONFIRMED if confirm else DecisionOutcome.NOT_CONFIRMED,
            person=first.person,
            confirms=first,
            reason=text,
            decided_by=actor,
            unit=actor.unit,
        )
        if confirm:
            _event(application, EventKind.CONFIRMED, actor=actor, note=text)
            person = first.person if first.outcome == DecisionOutcome.RECORD_FOUND else None
            _issue(application=application, actor=actor, person=person)
        else:
            application.status = ApplicationStatus.IN_REVIEW
            application.save(update_fields=["status", "updated_at"])
            _event(application, EventKind.RETURNED, actor=actor, note=text)
    return decision


# ------------------------------------------------------------------ issuance


def holder_name(certificate_or_application) -> str:
    """The holder's full name as printed and sealed: the Arabic-script name when given,
    else the Latin-script one ("given family")."""
    obj = certificate_or_application
    prefix = "holder_" if isinstance(obj, Certificate) else ""
    arabic = " ".join(
        part
        for part in (
            getattr(obj, f"{prefix}given_name_ar"),
            getattr(obj, f"{prefix}family_name_ar"),
        )
        if part
    )
    if getattr(obj, f"{prefix}family_name_ar"):
        return arabic
    return " ".join(
        part
        for part in (
            getattr(obj, f"{prefix}given_name_lat"),
            getattr(obj, f"{prefix}family_name_lat"),
        )
        if part
    )


def convictions_stated(person: Person, *, on: datetime.date) -> list[dict]:
    """The convictions of `person` a certificate issued on `on` states: those not cleared
    (rehabilitation or expiry) by that day, oldest first, each {"court", "judgment_date"
    (ISO), "offence_code", "offence_label", "sentence"}."""
    rows = (
        JudicialRecord.objects.filter(person=person)
        .exclude(cleared_on__lte=on)
        .select_related("offence")
        .order_by("judgment_date", "id")
    )
    return [
        {
            "court": row.court,
            "judgment_date": row.judgment_date.isoformat(),
            "offence_code": row.offence.code,
            "offence_label": str(row.offence),
            "sentence": row.sentence,
        }
        for row in rows
    ]


def _issue(*, application, actor, person) -> Certificate:
    """Issue the certificate of `application` (inside the caller's transaction): draw the
    serial under the counter lock, state the convictions of `person` (None: no record),
    seal the QR payload, supersede older certificates of the same CNIE, mark the
    application ISSUED and enqueue the notification on commit."""
    from amn.seals import signing

    now = timezone.now()
    issued_on = timezone.localdate(now)
    unit = application.handling_unit
    sequence, serial = numbering.next_certificate_serial(unit=unit, year=issued_on.year)
    convictions = convictions_stated(person, on=issued_on) if person is not None else []
    statement = Statement.RECORD if convictions else Statement.NO_RECORD
    valid_until = numbering.add_months(issued_on, VALIDITY_MONTHS)
    certificate = Certificate(
        application=application,
        issuing_unit=unit,
        year=issued_on.year,
        sequence=sequence,
        serial=serial,
        control_key=signing.control_key(serial),
        language=application.language,
        holder_cnie=application.cnie,
        holder_given_name_ar=application.given_name_ar,
        holder_family_name_ar=application.family_name_ar,
        holder_given_name_lat=application.given_name_lat,
        holder_family_name_lat=application.family_name_lat,
        holder_birth_date=application.birth_date,
        holder_birth_year=application.birth_year,
        holder_birth_place=application.birth_place,
        holder_father_given_name=application.father_given_name,
        holder_mother_given_name=application.mother_given_name,
        statement=statement,
        person=person,
        convictions=convictions,
        issued_at=now,
        issued_on=issued_on,
        valid_until=valid_until,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
    )
    certificate.seal_payload = signing.seal_payload(
        {
            "serial": serial,
            "issued_on": issued_on,
            "valid_until": valid_until,
            "statement": str(statement),
            "holder": signing.holder_digest(holder_name(certificate)),
        }
    )
    certificate.seal_key_id = certificate.seal_payload.split(".")[1]
    certificate.save()
    older = Certificate.objects.filter(
        holder_cnie=application.cnie, superseded_by__isnull=True
    ).exclude(pk=certificate.pk)
    for previous in older.select_for_update():
        previous.superseded_by = certificate
        previous.save(update_fields=["superseded_by", "updated_at"])
    application.status = ApplicationStatus.ISSUED
    application.save(update_fields=["status", "updated_at"])
    _event(
        application,
        EventKind.ISSUED,
        actor=actor,
        unit=unit,
        detail={"serial": serial, "statement": str(statement), "automatic": actor is None},
    )
    transaction.on_commit(lambda: _enqueue_notify(application.pk))
    return certificate


def _enqueue_notify(application_id) -> None:
    from amn.certificates.tasks import certificate_notify

    certificate_notify.enqueue(str(application_id))


def tracking_url() -> str:
    """Absolute URL of the public tracking page (setting AMN_PUBLIC_BASE_URL, default
    http://127.0.0.1:8000, read at each call)."""
    base = getattr(settings, "AMN_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("certificates:track")


def application_notify(*, application_id) -> list[str]:
    """Tell the applicant that the certificate is issued (e-mail and/or SMS, in the
    application's language) and record a NOTIFIED event. Certificates that state a record
    are never sent: the applicant collects them at the station (the handling unit when
    electronic delivery was asked).

    Returns:
        list of the channels used.
    Raises:
        whatever the e-mail or SMS backend raises (the task records it and fails).
    """
    from amn.certificates import notifications
    from amn.core.localized_fields import localized

    application = (
        CertificateApplication.objects.select_related(
            "certificate", "collection_unit", "handling_unit"
        )
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.status != ApplicationStatus.ISSUED:
        return []
    certificate = application.certificate
    station = None
    if application.delivery == Delivery.COLLECT:
        station = application.collection_unit
    elif certificate.statement == Statement.RECORD:
        station = application.handling_unit
    with override(application.language):
        collect_at = localized(station, "name") if station is not None else ""
    channels = notifications.notify_issued(
        reference=application.reference,
        language=application.language,
        email=application.email,
        phone=application.phone,
        tracking_url=tracking_url(),
        collect_at=collect_at,
    )
    _event(application, EventKind.NOTIFIED, detail={"channels": channels})
    return channels


def electronic_copy_allowed(certificate: Certificate) -> bool:
    """Whether the holder may download the certificate from the tracking page: only a
    valid "no record" certificate (certificates stating a record go through the station,
    a controlled channel, as France's bulletin n°3 practice)."""
    return (
        certificate.statement == Statement.NO_RECORD
        and certificate.status == CertificateStatus.VALID
    )


# ------------------------------------------------------------------ revocation


def certificate_revoke(*, actor, certificate_id, reason: str) -> Certificate:
    """Revoke a certificate (it then verifies as REVOKED).

    Args:
        actor: a supervisor whose unit subtree holds the issuing unit.
        reason: why (required, ≤ 1000 characters).
    Raises:
        DomainError: not a supervisor of the unit, already revoked, or no reason.
    """
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update()
            .select_related("issuing_unit", "application")
            .filter(pk=certificate_id)
            .first()
        )
        if certificate is None or not (
            getattr(actor, "is_authenticated", False)
            and actor.is_active
            and actor.role in CONFIRMER_ROLES
            and unit_in_scope(actor, certificate.issuing_unit)
        ):
            raise DomainError(_("Only a supervisor of the issuing unit revokes a certificate."))
        if certificate.status == CertificateStatus.REVOKED:
            raise DomainError(_("This certificate is already revoked."))
        text = _reason(reason)
        certificate.status = CertificateStatus.REVOKED
        certificate.revoked_reason = text
        certificate.revoked_by = actor
        certificate.revoked_at = timezone.now()
        certificate.save(
            update_fields=["status", "revoked_reason", "revoked_by", "revoked_at", "updated_at"]
        )
        _event(
            certificate.application,
            EventKind.REVOKED,
            actor=actor,
            note=text,
            detail={"serial": certificate.serial},
        )
    return certificate


# ------------------------------------------------------------------ verification


@dataclass(frozen=True)
class VerificationAnswer:
    """What a verifier is told: the status, and — only when the certificate was
    identified — the holder's name, issue date, last day of validity and statement."""

    status: str
    holder_name: str = ""
    issued_on: datetime.date | None = None
    valid_until: datetime.date | None = None
    statement: str = ""

    def as_dict(self) -> dict:
        """{"status"} plus, when identified, "holder_name", "issued_on", "valid_until"
        (ISO dates) and "statement" ("NO_RECORD" | "RECORD")."""
        out = {"status": self.status}
        if self.issued_on is not None:
            out.update(
                holder_name=self.holder_name,
                issued_on=self.issued_on.isoformat(),
                valid_until=self.valid_until.isoformat(),
                statement=self.statement,
            )
        return out


def live_status(certificate: Certificate, *, today: datetime.date | None = None) -> str:
    """The status of a certificate now: REVOKED, else SUPERSEDED (a newer certificate of
    the same CNIE exists), else EXPIRED (after its last day of validity), else VALID."""
    today = today or timezone.localdate()
    if certificate.status == CertificateStatus.REVOKED:
        return VerificationResult.REVOKED
    if certificate.superseded_by_id is not None:
        return VerificationResult.SUPERSEDED
    if today > certificate.valid_until:
        return VerificationResult.EXPIRED
    return VerificationResult.VALID


def normalise_serial(text: str) -> str:
    """A typed serial in canonical form: ASCII digits, no spaces; other dashes read as "-"."""
    cleaned = ascii_digits(clean_text(text or "")).upper()
    for dash in "\u2010\u2011\u2012\u2013\u2014\u2212\u0640 ":
        cleaned = cleaned.replace(dash, "-" if dash != " " else "")
    return cleaned


def certificate_verify(
    *,
    payload: str | None = None,
    serial: str | None = None,
    control_key: str | None = None,
    organisation: str = "",
    client_ip: str | None = None,
) -> VerificationAnswer:
    """Verify a certificate from its QR payload, or from its serial and control key, and
    log the verification (VerificationEvent; the client IP kept only as a keyed digest).

    A payload that does not open (any byte changed, unknown key) is FORGED; a genuine
    payload whose claims differ from the stored certificate is FORGED too; a genuine payload
    of a serial we never issued, and a serial with a wrong control key, are UNKNOWN (a wrong
    key does not confirm that the serial exists). Otherwise the live status (live_status).
    Returns:
        VerificationAnswer.
    """
    from amn.seals import signing

    certificate = None
    if payload is not None:
        method = VerificationMethod.QR
        try:
            claims = signing.open_payload(payload)
        except signing.ForgedPayload:
            result = VerificationResult.FORGED
        else:
            certificate = (
                Certificate.objects.filter(serial=claims["serial"])
                .select_related("superseded_by")
                .first()
            )
            if certificate is None:
                result = VerificationResult.UNKNOWN
            elif not _claims_match(certificate, claims):
                result, certificate = VerificationResult.FORGED, None
            else:
                result = live_status(certificate)
    else:
        method = VerificationMethod.SERIAL
        canonical = normalise_serial(serial or "")
        certificate = Certificate.objects.filter(serial=canonical).first() if canonical else None
        if certificate is None or not signing.control_key_matches(canonical, control_key or ""):
            result, certificate = VerificationResult.UNKNOWN, None
        else:
            result = live_status(certificate)
    VerificationEvent.objects.create(
        certificate=certificate,
        method=method,
        result=result,
        verifier_organisation=clean_text(organisation)[:ORGANISATION_MAX_LENGTH],
        client_digest=client_digest(client_ip) if client_ip else "",
    )
    if certificate is None:
        return VerificationAnswer(status=str(result))
    return VerificationAnswer(
        status=str(result),
        holder_name=holder_name(certificate),
        issued_on=timezone.localdate(certificate.issued_at),
        valid_until=certificate.valid_until,
        statement=str(certificate.statement),
    )


def _claims_match(certificate: Certificate, claims: dict) -> bool:
    from amn.seals import signing

    return (
        claims["issued_on"] == timezone.localdate(certificate.issued_at)
        and claims["valid_until"] == certificate.valid_until
        and claims["statement"] == certificate.statement
        and claims["holder"] == signing.holder_digest(holder_name(certificate))
    )
