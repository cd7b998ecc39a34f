"""The public submission API (POST /api/v1/certificates/applications) and its Idempotency-Key
(issue 7, item 4): a retry with the same key and body gets the first answer and creates
nothing (test_idempotency_concurrency.py: also when the retries run at the same time); the
same key with another body is refused; a missing or malformed key is refused; refused
values come back per field; the per-client and per-CNIE rate limits answer 429."""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from amn.certificates import services
from amn.certificates.choices import ApplicationStatus, EventKind
from amn.certificates.models import ApplicationEvent, CertificateApplication, SubmissionKey

URL = "/api/v1/certificates/applications"
KEY = "retry-key-0001"


def body(**changes) -> dict:
    """A valid application body (electronic delivery, born in Agadir), with `changes`."""
    values = {
        "cnie": "JB123456",
        "given_name_ar": "يوسف",
        "family_name_ar": "العلوي",
        "given_name_lat": "Youssef",
        "family_name_lat": "Alaoui",
        "sex": "M",
        "birth_date": "1990-05-17",
        "birth_place": "09.001.01.01",
        "father_given_name": "محمد",
        "mother_given_name": "فاطمة",
        "phone": "0612345678",
        "email": "",
        "purpose": "EMPLOYMENT",
        "delivery": "ELECTRONIC",
        "consent": True,
        "language": "en",  # of the messages too
    }
    values.update(changes)
    return values


def post(client, data, *, key=KEY, raw=None, **extra):
    """POST `data` (or the `raw` text) as JSON with the Idempotency-Key `key` (None: no
    header)."""
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(
        URL,
        raw if raw is not None else json.dumps(data),
        content_type="application/json",
        headers=headers,
        **extra,
    )


def check_tasks():
    return DBTaskResult.objects.filter(task_path="amn.certificates.tasks.certificate_check")


# ------------------------------------------------------------------ retries


@pytest.mark.django_db
def test_first_request_creates_and_queues_the_check_on_commit(
    client, cworld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, body())

    assert response.status_code == 201
    application = CertificateApplication.objects.get()
    assert response.json() == {
        "reference": application.reference,
        "status": "SUBMITTED",
        "created": True,
    }
    assert "Idempotent-Replayed" not in response
    assert application.cnie == "JB123456"
    assert application.phone == "+212612345678"
    assert str(application.birth_date) == "1990-05-17"
    assert application.submission_key is None
    stored = SubmissionKey.objects.get()
    assert (stored.key, stored.application, stored.created_new) == (KEY, application, True)
    # The digest covers the body as the schema reads it (defaults filled in).
    assert stored.body_digest == services.request_digest(body() | {"collection_unit": ""})
    assert len(callbacks) == 1
    assert [task.args_kwargs["args"] for task in check_tasks()] == [[str(application.pk)]]


@pytest.mark.django_db
def test_retry_with_the_same_key_and_body_gets_the_same_answer_and_creates_nothing(
    client, cworld, django_capture_on_commit_callbacks
):
    first = post(client, body())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retry = post(client, body())
        # Same fields in another order and spacing: the same request.
        reordered = post(client, None, raw=json.dumps(dict(reversed(body().items())), indent=2))

    for answer in (retry, reordered):
        assert answer.status_code == 201
        assert answer.json() == first.json()
        assert answer["Idempotent-Replayed"] == "true"
    assert CertificateApplication.objects.count() == 1
    assert SubmissionKey.objects.count() == 1
    assert ApplicationEvent.objects.filter(kind=EventKind.SUBMITTED).count() == 1
    assert callbacks == []  # nothing new to check


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_and_changes_nothing(client, cworld):
    first = post(client, body())

    for changed in (body(cnie="JB654321"), body(purpose="STUDIES"), body(email="y@example.ma")):
        response = post(client, changed)
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "idempotency_key_reused"
        assert "Idempotency-Key" in error["message"]

    application = CertificateApplication.objects.get()
    assert application.reference == first.json()["reference"]
    assert (application.cnie, application.purpose, application.email) == (
        "JB123456",
        "EMPLOYMENT",
        "",
    )


@pytest.mark.django_db
def test_a_lost_race_answers_from_the_winners_key(client, cworld, monkeypatch):
    """The database's unique key decides, not the lookup before the insert: a request that
    looked before the winner committed fails on the unique index and answers with the
    winner's answer."""
    first = post(client, body())
    real_replay = services.submission_replay
    lookups = []

    def too_early(**kwargs):
        lookups.append(kwargs)
        return None if len(lookups) <= 2 else real_replay(**kwargs)

    monkeypatch.setattr(services, "submission_replay", too_early)
    retry = post(client, body())
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert retry["Idempotent-Replayed"] == "true"
    assert CertificateApplication.objects.count() == 1
    assert SubmissionKey.objects.count() == 1


@pytest.mark.django_db
def test_service_refuses_a_malformed_key(cworld):
    from django.contrib.auth.models import AnonymousUser

    from amn.certificates.tests.factories import application_input
    from amn.core.errors import DomainError

    with pytest.raises(DomainError):
        services.application_submit_keyed(
            actor=AnonymousUser(), data=application_input(cworld), key="short", body_digest="0"
        )
    assert not CertificateApplication.objects.exists()


# ------------------------------------------------------------------ the key itself


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("key", "code"),
    [
        (None, "idempotency_key_missing"),
        ("", "idempotency_key_missing"),
        ("abc1234", "idempotency_key_invalid"),  # 7 characters
        ("k" * 129, "idempotency_key_invalid"),
        ("with space1", "idempotency_key_invalid"),
        ("semi;colon1", "idempotency_key_invalid"),
        ("مفتاح-12345678", "idempotency_key_invalid"),
        ("١٢٣٤٥٦٧٨٩", "idempotency_key_invalid"),  # Arabic-Indic digits are not ASCII
    ],
)
def test_a_missing_or_malformed_key_is_refused_with_400(client, cworld, key, code):
    response = post(client, body(), key=key)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == code
    assert "Idempotency-Key" in error["message"]
    assert not CertificateApplication.objects.exists()
    assert not SubmissionKey.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["a" * 8, "Z_-9" * 32])
def test_keys_of_8_and_128_characters_are_accepted(client, cworld, key):
    assert post(client, body(), key=key).status_code == 201


# ------------------------------------------------------------------ refused values


@pytest.mark.django_db
def test_refused_values_come_back_each_under_its_field(client, cworld):
    response = post(
        client,
        body(
            cnie="12",
            given_name_lat="Y0ussef",
            birth_date="1990-02-30",
            birth_place="Atlantis",
            phone="12",
            delivery="COLLECT",
            collection_unit="",
            consent=False,
        ),
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    fields = error["fields"]
    assert set(fields) == {
        "cnie",
        "given_name_lat",
        "birth_date",
        "birth_place",
        "phone",
        "collection_unit",
        "consent",
    }
    assert "CNIE" in fields["cnie"]
    assert "digits" in fields["given_name_lat"]
    assert "does not exist" in fields["birth_date"]
    assert "commune" in fields["birth_place"]
    assert "consent" in fields["consent"]
    assert not CertificateApplication.objects.exists()
    assert not SubmissionKey.objects.exists()


@pytest.mark.django_db
def test_a_refused_request_stores_no_key_so_the_corrected_one_may_reuse_it(client, cworld):
    assert post(client, body(phone="", email="")).json()["error"]["fields"] == {
        "phone": "Give a phone number or an e-mail address."
    }
    assert post(client, body()).status_code == 201


@pytest.mark.django_db
def test_year_only_birth_date_arabic_indic_digits_and_a_collection_station(client, cworld):
    response = post(
        client,
        body(
            cnie="jb ١٢٣٤٥٦",
            birth_date="١٩٩٠",
            phone="٠٦١٢٣٤٥٦٧٨",
            delivery="COLLECT",
            collection_unit="ws-agadir-d1",
            language="fr",
        ),
    )
    assert response.status_code == 201
    application = CertificateApplication.objects.get()
    assert (application.cnie, application.birth_date, application.birth_year) == (
        "JB123456",
        None,
        1990,
    )
    assert application.collection_unit.code == "ws-agadir-d1"
    assert application.language == "fr"


@pytest.mark.django_db
def test_a_station_that_does_not_serve_the_public_is_refused(client, cworld):
    response = post(client, body(delivery="COLLECT", collection_unit="ws-agadir-ccc"))
    assert response.status_code == 422
    assert set(response.json()["error"]["fields"]) == {"collection_unit"}


@pytest.mark.django_db
def test_a_malformed_body_gets_the_schema_errors(client, cworld):
    response = post(client, body(purpose="BRIBE", consent="maybe"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert {tuple(problem["loc"])[-1] for problem in error["fields"]} == {"purpose", "consent"}
    assert post(client, None, raw="{not json").status_code in (400, 422)
    assert not CertificateApplication.objects.exists()


# ------------------------------------------------------------------ one open application


@pytest.mark.django_db
def test_the_same_person_with_a_new_key_gets_the_open_reference_and_its_retry_too(client, cworld):
    first = post(client, body(), key="first-key-1").json()
    second = post(client, body(email="y@example.ma"), key="second-key-2")
    assert second.status_code == 200
    assert second.json() == {
        "reference": first["reference"],
        "status": "ALREADY_OPEN",
        "created": False,
    }
    assert CertificateApplication.objects.count() == 1

    # Once the first application is closed, the retry of the second key still gets the
    # answer it got; a new key makes a new application.
    CertificateApplication.objects.update(status=ApplicationStatus.ISSUED)
    retry = post(client, body(email="y@example.ma"), key="second-key-2")
    assert (retry.status_code, retry.json()) == (200, second.json())
    new = post(client, body(), key="third-key-3")
    assert new.status_code == 201 and new.json()["reference"] != first["reference"]
    assert CertificateApplication.objects.count() == 2


# ------------------------------------------------------------------ rate limits


@pytest.mark.django_db
def test_429_past_the_per_client_rate(client, cworld, settings):
    settings.AMN_CERT_API_RATES = {"client": "3/m"}
    for n in range(3):
        assert post(client, body(cnie=f"JB10000{n}"), key=f"client-key-{n}").status_code == 201
    refused = post(client, body(cnie="JB100009"), key="client-key-9")
    assert refused.status_code == 429
    assert refused["Retry-After"]
    assert refused.json()["error"]["code"] == "rate_limited"
    assert CertificateApplication.objects.count() == 3
    other = post(client, body(cnie="JB100009"), key="client-key-9", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 201


@pytest.mark.django_db
def test_429_past_the_per_cnie_rate_from_any_client_but_retries_still_answer(
    client, cworld, settings
):
    settings.AMN_CERT_API_RATES = {"client": "100/m", "cnie": "2/m"}
    first = post(client, body(), key="cnie-key-1", REMOTE_ADDR="192.0.2.1")
    assert first.status_code == 201
    assert post(client, body(), key="cnie-key-2", REMOTE_ADDR="192.0.2.2").status_code == 200
    refused = post(client, body(), key="cnie-key-3", REMOTE_ADDR="192.0.2.3")
    assert refused.status_code == 429
    assert not SubmissionKey.objects.filter(key="cnie-key-3").exists()
    # A retry is answered from its key: it does not count against the CNIE.
    retry = post(client, body(), key="cnie-key-1", REMOTE_ADDR="192.0.2.4")
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert post(client, body(cnie="JB999999"), key="cnie-key-4").status_code == 201


@pytest.mark.django_db
def test_503_when_the_request_waited_too_long_in_the_queue(client, cworld, settings):
    import time

    settings.AMN_CERT_API_MAX_QUEUE_SECONDS = 2
    now = time.time()
    busy = post(client, body(), HTTP_X_REQUEST_START=f"t={now - 5:.3f}")
    assert busy.status_code == 503
    assert busy["Retry-After"] == "5"
    assert busy.json()["error"]["code"] == "busy"
    assert not CertificateApplication.objects.exists()
    assert not SubmissionKey.objects.exists()
    # In milliseconds (nginx's ${msec} × 1000, as some proxies send it), fresh: accepted.
    fresh = post(client, body(), HTTP_X_REQUEST_START=f"t={int(now * 1000)}")
    assert fresh.status_code == 201
    # No header, or an unreadable one: nothing to judge by, answered (here: the open one).
    unreadable = post(client, body(), key="other-key-1", HTTP_X_REQUEST_START="t=soon")
    assert unreadable.status_code == 200


def test_queue_seconds_reads_seconds_milliseconds_and_microseconds():
    from django.test import RequestFactory

    from amn.certificates.api import queue_seconds

    def waited(header):
        request = RequestFactory().post("/", HTTP_X_REQUEST_START=header)
        return queue_seconds(request, now=1_800_000_010.0)

    assert waited("t=1800000000.5") == pytest.approx(9.5)
    assert waited("1800000000500") == pytest.approx(9.5)
    assert waited("t=1800000000500000") == pytest.approx(9.5)
    for unreadable in ("", "t=", "t=nan", "t=-5", "t=inf", "yesterday"):
        assert waited(unreadable) is None
    assert queue_seconds(RequestFactory().post("/")) is None


@pytest.mark.django_db
def test_messages_are_in_the_bodys_language_arabic_by_default(client, cworld):
    from django.utils import translation

    arabic = post(client, body(cnie="12", language="ar"))
    french = post(client, body(cnie="12", language="fr"))
    assert arabic["Content-Language"] == "ar" and french["Content-Language"] == "fr"
    for answer, language in ((arabic, "ar"), (french, "fr")):
        with translation.override(language):
            expected = translation.gettext(
                "A CNIE number is one or two letters followed by digits, e.g. BE123456."
            )
        assert answer.json()["error"]["fields"]["cnie"] == expected


@pytest.mark.django_db
def test_the_api_ignores_a_signed_in_session(client, cworld):
    client.force_login(cworld.users["agent.agadir"])
    assert post(client, body()).status_code == 201
    assert CertificateApplication.objects.get().submitted_by is None
