"""Tests of amn.seals.signing: payload round trip, tamper detection, rotation, control keys."""

import base64
import datetime
import string

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from amn.seals import signing
from amn.seals.signing import ForgedPayload, open_payload, seal_payload

ISSUED = datetime.date(2025, 12, 17)
VALID_UNTIL = datetime.date(2026, 3, 17)


def claims(**overrides):
    values = {
        "serial": "2026-0042-000123",
        "issued_on": ISSUED,
        "valid_until": VALID_UNTIL,
        "statement": "NO_RECORD",
        "holder": signing.holder_digest("محمد العلوي|Mohamed El Alaoui"),
    }
    values.update(overrides)
    return values


@pytest.fixture
def two_keys(settings):
    """Two production keys K1 (old) and K2 (active)."""
    old, _public = signing.new_key_pair()
    new, _public = signing.new_key_pair()
    settings.AMN_SEAL_KEYS = {"K1": old, "K2": new}
    settings.AMN_SEAL_ACTIVE_KEY = "K2"
    settings.AMN_SEAL_CONTROL_SECRET = "a-control-secret-for-tests"
    return {"K1": old, "K2": new}


def test_round_trip_returns_the_claims_and_key_id():
    payload = seal_payload(claims())
    opened = open_payload(payload)
    assert opened == {**claims(), "key_id": "DEV"}
    assert payload.startswith("S1.DEV.")


def test_payload_is_short_and_qr_alphanumeric():
    payload = seal_payload(claims())
    assert len(payload) <= 155
    assert set(payload) <= set(string.ascii_uppercase + string.digits + ".")


def test_record_statement_and_surrounding_spaces():
    payload = seal_payload(claims(statement="RECORD"))
    assert open_payload(f"  {payload}\n")["statement"] == "RECORD"


def test_every_single_character_change_is_forged():
    payload = seal_payload(claims())
    alphabet = string.ascii_uppercase + "234567" + ".0189a"
    changed = 0
    for index, original in enumerate(payload):
        for replacement in alphabet:
            if replacement == original:
                continue
            tampered = payload[:index] + replacement + payload[index + 1 :]
            with pytest.raises(ForgedPayload):
                open_payload(tampered)
            changed += 1
    assert changed > 30 * len(payload)


def test_every_bit_flip_of_the_signed_bytes_is_forged():
    payload = seal_payload(claims())
    prefix, encoded = payload.rsplit(".", 1)
    raw = base64.b32decode(encoded + "=" * (-len(encoded) % 8))
    for index in range(len(raw)):
        for bit in range(8):
            flipped = bytearray(raw)
            flipped[index] ^= 1 << bit
            text = f"{prefix}.{base64.b32encode(bytes(flipped)).decode().rstrip('=')}"
            with pytest.raises(ForgedPayload) as caught:
                open_payload(text)
            assert caught.value.reason == "signature"


def test_truncated_extended_and_garbage_payloads_are_forged():
    payload = seal_payload(claims())
    for text in [
        payload[:-1],
        payload + "A",
        payload.lower(),
        "",
        "S1.DEV",
        "S2" + payload[2:],
        "S1.DEV.!!!!",
        "S1.DEV.AAAA",
        "hello world",
        payload.replace(".", ":"),
    ]:
        with pytest.raises(ForgedPayload):
            open_payload(text)


def test_forged_message_is_generic():
    with pytest.raises(ForgedPayload) as caught:
        open_payload("S1.NOPE." + "A" * 140)
    assert caught.value.reason == "key"
    assert "NOPE" not in str(caught.value)


def test_unknown_key_id_is_forged(two_keys):
    payload = seal_payload(claims())
    with pytest.raises(ForgedPayload) as caught:
        open_payload(payload.replace("S1.K2.", "S1.K3."))
    assert caught.value.reason == "key"


def test_swapping_to_another_configured_key_id_is_forged(two_keys):
    payload = seal_payload(claims())
    with pytest.raises(ForgedPayload) as caught:
        open_payload(payload.replace("S1.K2.", "S1.K1."))
    assert caught.value.reason == "signature"


def test_rotation_old_payloads_open_while_the_old_key_is_configured(settings, two_keys):
    settings.AMN_SEAL_ACTIVE_KEY = "K1"
    old_payload = seal_payload(claims(serial="2025-0042-000001"))
    settings.AMN_SEAL_ACTIVE_KEY = "K2"
    new_payload = seal_payload(claims())
    assert new_payload.startswith("S1.K2.")
    assert open_payload(old_payload)["key_id"] == "K1"
    assert open_payload(new_payload)["key_id"] == "K2"

    settings.AMN_SEAL_KEYS = {"K2": two_keys["K2"]}
    with pytest.raises(ForgedPayload):
        open_payload(old_payload)
    assert open_payload(new_payload)["serial"] == "2026-0042-000123"


def test_development_key_payloads_do_not_open_with_production_keys(two_keys, settings):
    settings.AMN_SEAL_KEYS = {}
    dev_payload = seal_payload(claims())
    settings.AMN_SEAL_KEYS = two_keys
    with pytest.raises(ForgedPayload):
        open_payload(dev_payload)


def test_development_key_is_deterministic_per_secret_key(settings):
    first = seal_payload(claims())
    assert seal_payload(claims()) == first  # Ed25519 signatures are deterministic
    settings.SECRET_KEY = "another-secret-key-for-this-test-only"
    with pytest.raises(ForgedPayload):
        open_payload(first)


def test_standard_base64_key_material_is_accepted(settings):
    private, _public = signing.new_key_pair()
    raw = signing.decode_key_material(private)
    settings.AMN_SEAL_KEYS = {"STD": base64.b64encode(raw).decode()}
    settings.AMN_SEAL_ACTIVE_KEY = "STD"
    assert open_payload(seal_payload(claims()))["key_id"] == "STD"


@pytest.mark.parametrize(
    "bad",
    [
        {"serial": ""},
        {"serial": "X" * 41},
        {"statement": "MAYBE"},
        {"holder": "zz"},
        {"holder": "abcd"},
        {"issued_on": datetime.datetime(2025, 12, 17, 10, 0)},
        {"issued_on": "2025-12-17"},
        {"valid_until": datetime.date(1999, 12, 31)},
        {"extra": "not signed"},
    ],
)
def test_malformed_claims_are_refused(bad):
    with pytest.raises(ValueError):
        seal_payload(claims(**bad))


def test_missing_claim_is_refused():
    values = claims()
    del values["holder"]
    with pytest.raises(ValueError):
        seal_payload(values)


def test_holder_digest_folds_spelling_and_depends_on_the_name():
    assert signing.holder_digest("أحمد  Éric") == signing.holder_digest("احمد eric")
    assert signing.holder_digest("Mohamed Alaoui") != signing.holder_digest("Mohamed Alami")
    assert len(signing.holder_digest("x")) == 10


def test_control_key_shape_and_alphabet():
    key = signing.control_key("2026-0042-000123")
    assert len(key) == 8
    assert set(key) <= set(signing.CONTROL_KEY_ALPHABET)
    assert not set(key) & set("ILOU")
    assert signing.format_control_key(key) == f"{key[:4]}-{key[4:]}"


def test_control_keys_differ_between_serials_and_are_stable():
    keys = {signing.control_key(f"2026-0042-{n:06d}") for n in range(1, 2001)}
    assert len(keys) == 2000
    assert signing.control_key("2026-0042-000001") == signing.control_key(" 2026-0042-000001 ")


def test_control_key_depends_on_the_secret(settings):
    settings.AMN_SEAL_CONTROL_SECRET = "secret-one"
    first = signing.control_key("2026-0042-000123")
    settings.AMN_SEAL_CONTROL_SECRET = "secret-two"
    assert signing.control_key("2026-0042-000123") != first


def test_control_key_survives_signing_key_rotation(settings, two_keys):
    before = signing.control_key("2026-0042-000123")
    settings.AMN_SEAL_ACTIVE_KEY = "K1"
    settings.AMN_SEAL_KEYS = {"K1": two_keys["K1"]}
    assert signing.control_key("2026-0042-000123") == before


def test_control_key_matches_is_lenient_on_presentation_only():
    serial = "2026-0042-000123"
    key = signing.control_key(serial)
    typed = f" {key[:4].lower()} - {key[4:]} ".replace("0", "o").replace("1", "l")
    assert signing.control_key_matches(serial, key)
    assert signing.control_key_matches(serial, typed)
    assert signing.control_key_matches(serial.lower(), signing.format_control_key(key))
    wrong = key[:-1] + ("0" if key[-1] != "0" else "1")
    assert not signing.control_key_matches(serial, wrong)
    assert not signing.control_key_matches("2026-0042-000124", key)
    assert not signing.control_key_matches(serial, "")
    assert not signing.control_key_matches(serial, key + "0")
    assert not signing.control_key_matches(serial, "٧٨٩")


def test_control_key_matches_accepts_arabic_indic_digits():
    serial = "2026-0042-000123"
    key = signing.control_key(serial)
    arabic = key.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert signing.control_key_matches(serial, arabic)


def test_misconfigured_keys_raise_and_fail_the_checks(settings):
    settings.AMN_SEAL_KEYS = {"K1": "not-a-key"}
    settings.AMN_SEAL_ACTIVE_KEY = "K1"
    with pytest.raises(ImproperlyConfigured):
        seal_payload(claims())
    assert [
        m.id for m in checks.run_checks(tags=[checks.Tags.security]) if m.id.startswith("seals.")
    ] == ["seals.E001"]

    private, _public = signing.new_key_pair()
    settings.AMN_SEAL_KEYS = {"K1": private}
    settings.AMN_SEAL_ACTIVE_KEY = "K9"
    with pytest.raises(ImproperlyConfigured):
        seal_payload(claims())
    assert "seals.E002" in [m.id for m in checks.run_checks(tags=[checks.Tags.security])]

    settings.AMN_SEAL_KEYS = {"k 1": private}
    with pytest.raises(ImproperlyConfigured):
        signing.signing_keys()


def seal_check_ids(include_deployment_checks):
    return sorted(
        message.id
        for message in checks.run_checks(include_deployment_checks=include_deployment_checks)
        if message.id.startswith("seals.")
    )


def test_deploy_check_flags_the_development_key_and_secret(settings):
    settings.AMN_SEAL_KEYS = {}
    settings.AMN_SEAL_CONTROL_SECRET = ""
    assert seal_check_ids(include_deployment_checks=False) == []
    assert seal_check_ids(include_deployment_checks=True) == ["seals.W001", "seals.W002"]


def test_deploy_check_is_clean_with_configured_keys(settings, two_keys):
    assert seal_check_ids(include_deployment_checks=True) == []


def test_keygen_prints_usable_settings(settings, capsys):
    settings.AMN_SEAL_KEYS = {}
    settings.AMN_SEAL_CONTROL_SECRET = ""
    call_command("seal-keygen", "--key-id", "k2026")
    lines = dict(
        line.split("=", 1)
        for line in capsys.readouterr().out.splitlines()
        if "=" in line[:30] and not line.startswith("#")
    )
    assert lines["AMN_SEAL_ACTIVE_KEY"] == "K2026"
    key_id, private = lines["AMN_SEAL_KEYS"].split("=", 1)
    assert key_id == "K2026"
    assert "$" not in lines["AMN_SEAL_CONTROL_SECRET"]
    settings.AMN_SEAL_KEYS = {key_id: private}
    settings.AMN_SEAL_ACTIVE_KEY = key_id
    assert open_payload(seal_payload(claims()))["key_id"] == "K2026"


def test_keygen_refuses_bad_or_taken_key_ids(two_keys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("seal-keygen", "--key-id", "TOO-LONG-ID")
    with pytest.raises(CommandError):
        call_command("seal-keygen", "--key-id", "K1")
