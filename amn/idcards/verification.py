"""The identity verification service for partners (POST /api/v1/cnie/verify).

A partner sends a CNIE number with the family name, given name and birth date it was given;
with the holder's live consent Amn answers MATCH, NO_MATCH or CARD_INVALID (the card that
answers for the number is expired, lost, stolen or replaced) — never any data of the
holder. Every call is logged (VerificationCall), refusals included, so the citizen sees who
checked their identity. Calls are counted per partner in fixed one-minute windows in Django's
cache (amn.core.ratelimits); a call over the partner's `calls_per_minute` is
refused. The cache must be shared by every
web worker (a database or Redis cache in production) for the limit to hold across them.

Order of the checks: rate limit, then the request's fields, then the consent, then the
card: a partner without consent learns nothing, not even whether the number exists.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from amn.audit import context
from amn.core.digits import ascii_digits
from amn.core.ratelimits import rate_limited
from amn.core.text_input import clean_text
from amn.idcards.choices import CardStatus, VerificationResult
from amn.idcards.models import Consent, Partner, VerificationCall
from amn.idcards.names import name_form
from amn.idcards.services import current_card, identity_matches_card
from amn.people.cnie import cnie_normalise


class VerificationRefused(Exception):
    """A call refused before any answer: `status` (HTTP status), `code` (machine-readable)
    and `message` (safe to show the partner); `fields` lists per-field errors."""

    def __init__(self, *, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.fields = status, code, message, fields or {}


@dataclass(frozen=True)
class VerificationRequest:
    """The partner's body as received (strings, not yet validated)."""

    cnie: str
    family_name: str
    given_name: str
    birth_date: str


def _log(partner: Partner, number: str, result: str) -> None:
    request = context.current.get()
    VerificationCall.objects.create(
        partner=partner,
        cnie_number=number,
        result=result,
        ip_address=request.ip_address if request else None,
        request_id=request.request_id if request else "",
    )


def _within_rate(partner: Partner) -> bool:
    """Count this call in the partner's current window; False when over its limit."""
    return not rate_limited(
        None,
        group="idcards.verify.partner",
        rate=f"{partner.calls_per_minute}/m",
        key=lambda _group, _request: str(partner.pk),
    )


def _parse_birth_date(raw: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(ascii_digits(clean_text(raw)))
    except ValueError:
        return None


def identity_verify(*, partner: Partner, request: VerificationRequest) -> str:
    """Answer one partner call and log it.

    Returns:
        str: VerificationResult.MATCH, NO_MATCH or CARD_INVALID.
    Raises:
        VerificationRefused: 429 "rate_limited" (over the partner's calls per minute),
            422 "invalid" (a malformed CNIE number, an empty name, a birth date that is not
            YYYY-MM-DD), 403 "no_consent" (no live consent of the holder for this partner).
            Each refusal is logged too.
    """
    if not _within_rate(partner):
        _log(partner, cnie_normalise(request.cnie) or "", VerificationResult.RATE_LIMITED)
        raise VerificationRefused(
            status=429,
            code="rate_limited",
            message=_("Too many calls: at most %(n)d a minute.") % {"n": partner.calls_per_minute},
        )
    number = cnie_normalise(request.cnie)
    birth_date = _parse_birth_date(request.birth_date)
    fields = {}
    if number is None:
        fields["cnie"] = _("A CNIE number is one or two letters followed by digits, e.g. BE123456.")
    if not name_form(request.family_name or ""):
        fields["family_name"] = _("Give the family name.")
    if not name_form(request.given_name or ""):
        fields["given_name"] = _("Give the given name.")
    if birth_date is None:
        fields["birth_date"] = _("Give the date of birth as YYYY-MM-DD.")
    if fields:
        _log(partner, number or "", VerificationResult.INVALID_REQUEST)
        raise VerificationRefused(
            status=422, code="invalid", message=_("Invalid request."), fields=fields
        )
    if not Consent.objects.filter(
        partner=partner, cnie_number=number, revoked_at__isnull=True
    ).exists():
        _log(partner, number, VerificationResult.NO_CONSENT)
        raise VerificationRefused(
            status=403,
            code="no_consent",
            message=_("The card holder has not given you consent to verify this identity."),
        )
    card = current_card(number)
    if card is None:
        result = VerificationResult.NO_MATCH
    elif card.status != CardStatus.ACTIVE or card.expires_on < timezone.localdate():
        result = VerificationResult.CARD_INVALID
    elif identity_matches_card(
        card, family=request.family_name, given=request.given_name, birth_date=birth_date
    ):
        result = VerificationResult.MATCH
    else:
        result = VerificationResult.NO_MATCH
    _log(partner, number, result)
    return result
