"""The partner verification API (POST /api/v1/cnie/verify): MATCH / NO_MATCH / CARD_INVALID
with the holder's consent, never the holder's data; refusals without a key (401), without
consent (403), for malformed input (422) and over the rate (429); every call logged and
shown to the citizen; consents granted and revoked online and at the counter."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from amn.core.errors import DomainError
from amn.idcards import services
from amn.idcards.choices import CardStatus, Channel, LossKind, VerificationResult
from amn.idcards.models import Consent, Partner, VerificationCall
from amn.idcards.selectors import citizen_verification_list
from amn.idcards.tests.builders import card_create

pytestmark = pytest.mark.django_db

URL = "/api/v1/cnie/verify"
BODY = {
    "cnie": "C654321",
    "family_name": "Bennani",
    "given_name": "Leila",
    "birth_date": "1994-04-18",
}


def _call(client, partner, body=None, key=None):
    return client.post(
        URL,
        body if body is not None else BODY,
        content_type="application/json",
        headers={"X-API-Key": key if key is not None else partner.api_key},
    )


@pytest.fixture
def consented(fes, partner):
    card = card_create(fes)
    Consent.objects.create(partner=partner, cnie_number=card.number, channel=Channel.COUNTER)
    return card


def _last_result(partner) -> str:
    return VerificationCall.objects.filter(partner=partner).order_by("-id").first().result


def test_match_answers_only_the_result(client, partner, consented):
    response = _call(client, partner)

    assert response.status_code == 200
    assert response.json() == {"result": "MATCH"}
    assert _last_result(partner) == VerificationResult.MATCH


@pytest.mark.parametrize(
    "variant",
    [
        {"family_name": "BENNANI", "given_name": "leila"},
        {"family_name": " Bennani ", "given_name": "Leïla"},
        {"family_name": "البناني", "given_name": "ليلى"},
        {"family_name": "بناني", "given_name": "ليلي"},  # article, alef maqsura written as ya
        {"cnie": "c 654321"},
        {"cnie": "C٦٥٤٣٢١", "birth_date": "١٩٩٤-٠٤-١٨"},
    ],
)
def test_match_after_normalising_case_accents_and_arabic_forms(client, partner, consented, variant):
    response = _call(client, partner, {**BODY, **variant})
    assert response.json() == {"result": "MATCH"}


@pytest.mark.parametrize(
    "variant",
    [
        {"family_name": "Bennouna"},
        {"given_name": "Laila Fatima"},
        {"birth_date": "1994-04-19"},
        {"family_name": "برادة"},
    ],
)
def test_no_match_for_another_identity(client, partner, consented, variant):
    response = _call(client, partner, {**BODY, **variant})

    assert response.status_code == 200
    assert response.json() == {"result": "NO_MATCH"}
    assert _last_result(partner) == VerificationResult.NO_MATCH


def test_no_match_for_a_number_without_card(client, partner):
    Consent.objects.create(partner=partner, cnie_number="C111111", channel=Channel.COUNTER)
    assert _call(client, partner, {**BODY, "cnie": "C111111"}).json() == {"result": "NO_MATCH"}


@pytest.mark.parametrize("status", [CardStatus.LOST, CardStatus.STOLEN, CardStatus.REPLACED])
def test_card_invalid_when_lost_stolen_or_replaced(client, partner, fes, status):
    card_create(fes, status=status)
    Consent.objects.create(partner=partner, cnie_number="C654321", channel=Channel.COUNTER)

    response = _call(client, partner)
    assert response.json() == {"result": "CARD_INVALID"}


def test_card_invalid_when_expired(client, partner, fes):
    card_create(fes, issued_on=datetime.date(2010, 1, 5))  # expired on 2020-01-04
    Consent.objects.create(partner=partner, cnie_number="C654321", channel=Channel.COUNTER)
    assert _call(client, partner).json() == {"result": "CARD_INVALID"}


def test_a_declaration_invalidates_the_card_at_once(client, partner, consented, fes_agent):
    assert _call(client, partner).json() == {"result": "MATCH"}
    services.card_declare_loss(actor=fes_agent, cnie_number="C654321", kind=LossKind.STOLEN)
    assert _call(client, partner).json() == {"result": "CARD_INVALID"}


def test_a_card_awaiting_collection_does_not_answer_for_the_number(client, partner, consented, fes):
    consented.status = CardStatus.LOST
    consented.save()
    card_create(fes, status=CardStatus.PRODUCED, issued_on=datetime.date.today())
    assert _call(client, partner).json() == {"result": "CARD_INVALID"}


def test_without_consent_the_call_is_refused_and_logged(client, partner, fes):
    card_create(fes)

    response = _call(client, partner)

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "no_consent"
    assert "result" not in response.json()
    assert _last_result(partner) == VerificationResult.NO_CONSENT


def test_a_revoked_consent_no_longer_allows_calls(client, partner, consented):
    consent = Consent.objects.get()
    consent.revoked_at = datetime.datetime.now(datetime.UTC)
    consent.save()
    assert _call(client, partner).status_code == 403


def test_consent_to_another_partner_does_not_count(client, partner, consented):
    other, key = services.partner_create(actor=None, name="Telecom Test", kind="telecom")
    response = _call(client, other, key=key)
    assert response.status_code == 403


@pytest.mark.parametrize("key", ["", "amn_000000000000_wrong", "garbage"])
def test_without_a_valid_key_the_call_is_refused(client, partner, consented, key):
    response = _call(client, partner, key=key)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert not VerificationCall.objects.exists()


def test_a_deactivated_partner_is_refused(client, partner, consented):
    Partner.objects.filter(pk=partner.pk).update(is_active=False)
    assert _call(client, partner).status_code == 401


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "cnie": "12345"}, "cnie"),
        ({**BODY, "cnie": "ABC12345"}, "cnie"),
        ({**BODY, "family_name": ""}, "family_name"),
        ({**BODY, "given_name": "--"}, "given_name"),
        ({**BODY, "birth_date": "18/04/1994"}, "birth_date"),
        ({**BODY, "birth_date": "1994"}, "birth_date"),
    ],
)
def test_malformed_input_is_refused_per_field_and_logged(client, partner, consented, body, field):
    response = _call(client, partner, body)

    assert response.status_code == 422
    assert field in response.json()["error"]["fields"]
    assert _last_result(partner) == VerificationResult.INVALID_REQUEST


def test_calls_over_the_partner_rate_are_refused(client, partner, consented):
    answers = [_call(client, partner).status_code for _ in range(7)]

    assert answers == [200] * 5 + [429] * 2
    assert (
        VerificationCall.objects.filter(
            partner=partner, result=VerificationResult.RATE_LIMITED
        ).count()
        == 2
    )


def test_the_citizen_sees_who_checked_their_identity(client, partner, consented, world):
    citizen = world.users["citizen@example.ma"]
    consented.account = citizen
    consented.save()
    _call(client, partner)
    _call(client, partner, {**BODY, "family_name": "X"})

    calls = citizen_verification_list(citizen=citizen)
    assert [(c.partner, c.result) for c in calls] == [
        (partner, VerificationResult.NO_MATCH),
        (partner, VerificationResult.MATCH),
    ]
    client.force_login(citizen)
    page = client.get("/cnie/identity/").content.decode()
    assert "Banque Test" in page
    assert citizen_verification_list(citizen=world.users["agent.fes"]) == []


# -- partners and consents ----------------------------------------------------------------


def test_partner_key_is_stored_as_a_digest_and_can_be_rotated(partner):
    stored = Partner.objects.get(pk=partner.pk)
    assert partner.api_key not in (stored.key_hash, stored.key_prefix)
    assert services.partner_for_key(partner.api_key) == stored

    new_key = services.partner_key_rotate(actor=None, partner_id=partner.pk)
    assert services.partner_for_key(partner.api_key) is None
    assert services.partner_for_key(new_key) == stored


def test_partner_creation_rules(world, partner):
    with pytest.raises(PermissionDenied):
        services.partner_create(actor=world.users["agent.fes"], name="X", kind="bank")
    with pytest.raises(DomainError, match="already registered"):
        services.partner_create(actor=None, name="Banque Test", kind="bank")
    with pytest.raises(DomainError, match="bank, a telecom"):
        services.partner_create(actor=None, name="Y", kind="casino")


def test_partner_create_command_prints_the_key_once(capsys):
    call_command("partner-create", "Opérateur Test", "--kind", "telecom")
    output = capsys.readouterr().out
    partner = Partner.objects.get(name="Opérateur Test")
    key = next(word for word in output.split() if word.startswith("amn_"))
    assert services.partner_for_key(key) == partner


def test_citizen_consents_only_for_their_own_card(world, fes, partner):
    citizen = world.users["citizen@example.ma"]
    card_create(fes, account=citizen)
    card_create(fes, number="C777777", family_name_latin="Other")

    consent = services.consent_grant(actor=citizen, partner_id=partner.pk, cnie_number="C654321")
    assert consent.channel == Channel.ONLINE and consent.account == citizen
    again = services.consent_grant(actor=citizen, partner_id=partner.pk, cnie_number="c654321")
    assert again.pk == consent.pk
    with pytest.raises(PermissionDenied):
        services.consent_grant(actor=citizen, partner_id=partner.pk, cnie_number="C777777")

    services.consent_revoke(actor=citizen, consent_id=consent.pk)
    with pytest.raises(DomainError, match="already revoked"):
        services.consent_revoke(actor=citizen, consent_id=consent.pk)


def test_consent_at_the_counter(world, fes, partner, fes_agent):
    card_create(fes)
    with pytest.raises(DomainError, match="No valid card"):
        services.consent_grant(actor=fes_agent, partner_id=partner.pk, cnie_number="C000009")
    with pytest.raises(PermissionDenied):
        services.consent_grant(
            actor=world.users["hr.rabat"], partner_id=partner.pk, cnie_number="C654321"
        )
    consent = services.consent_grant(actor=fes_agent, partner_id=partner.pk, cnie_number="C654321")
    assert (consent.channel, consent.recorded_by, consent.unit) == (
        Channel.COUNTER,
        fes_agent,
        fes,
    )
    with pytest.raises(PermissionDenied):
        services.consent_revoke(actor=world.users["citizen@example.ma"], consent_id=consent.pk)
