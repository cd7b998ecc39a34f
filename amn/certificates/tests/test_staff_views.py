"""Back office: the permission matrix of the review queue and the application page, the
side-by-side view, decisions and four eyes through the pages and the API, revocation."""

import pytest

from amn.accounts.models import User
from amn.audit.models import AuditEvent
from amn.certificates import services
from amn.certificates.choices import ApplicationStatus
from amn.certificates.models import Certificate
from amn.certificates.tests.factories import (
    fake_registry,
    result_no_record,
    result_with,
    submit,
)

pytestmark = pytest.mark.django_db

QUEUE = "/staff/certificates/"


@pytest.fixture
def in_review(cworld, monkeypatch):
    """An application collected at ws-agadir-d1, in review with one candidate."""
    fake_registry(monkeypatch, result_with(cworld.convicted))
    application = submit(
        cworld, delivery="COLLECT", collection_unit=cworld.units["ws-agadir-d1"]
    ).application
    services.application_check_run(application_id=application.pk)
    return application


def _login(client, username):
    client.cookies["django_language"] = "en"
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize(
    ("username", "status", "sees"),
    [
        (None, 302, False),  # anonymous: staff login
        ("hr.agadir", 403, False),  # a role that does not review
        ("admin", 403, False),  # administrators decide nothing
        ("supervisor.rabat", 200, False),  # other unit
        ("agent.agadir", 200, True),  # own unit
        ("supervisor.agadir", 200, True),  # parent unit
    ],
)
def test_queue_permission_matrix(client, cworld, in_review, username, status, sees):
    if username:
        _login(client, username)
    response = client.get(QUEUE)
    assert response.status_code == status
    if status == 200:
        assert (in_review.reference in response.content.decode()) is sees
        page = client.get(f"/staff/certificates/applications/{in_review.pk}/")
        assert page.status_code == (200 if sees else 404)


def test_queue_filters_by_status_and_is_audited(client, cworld, in_review):
    _login(client, "agent.agadir")
    response = client.get(QUEUE, {"status": "AWAITING_CONFIRMATION"})
    assert in_review.reference not in response.content.decode()
    response = client.get(QUEUE, {"status": "IN_REVIEW"})
    assert in_review.reference in response.content.decode()
    assert (
        AuditEvent.objects.filter(
            target="certificates.certificateapplication", action="list"
        ).count()
        == 2
    )


def test_side_by_side_view_shows_agreement_and_audits_each_candidate(client, cworld, in_review):
    _login(client, "agent.agadir")
    response = client.get(f"/staff/certificates/applications/{in_review.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "يوسف" in content and "إبراهيم" in content  # applicant and candidate
    assert "(exact)" in content  # field-level agreement
    assert "given_name exact" in content  # the explanation of the score
    assert "المحكمة الابتدائية بأكادير" in content  # the candidate's conviction
    assert AuditEvent.objects.filter(
        target="people.person", target_id=str(cworld.convicted.pk), action="view"
    ).exists()
    assert AuditEvent.objects.filter(
        target="certificates.certificateapplication", target_id=str(in_review.pk), action="view"
    ).exists()
    assert response.context["decision_form"] is not None


def test_out_of_scope_application_is_a_404_and_audited_as_denied(client, cworld, in_review):
    _login(client, "supervisor.rabat")
    response = client.get(f"/staff/certificates/applications/{in_review.pk}/")
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action="denied", target_id=str(in_review.pk)).exists()
    assert not AuditEvent.objects.filter(target="people.person").exists()


def test_four_eyes_through_the_pages(client, cworld, in_review):
    url = f"/staff/certificates/applications/{in_review.pk}/"
    _login(client, "agent.agadir")
    response = client.post(url + "decide/", {"outcome": "RECORD_FOUND", "reason": "same"})
    assert response.status_code == 400  # no candidate chosen: error beside the field
    assert response.context["decision_form"].errors["person"]

    response = client.post(
        url + "decide/",
        {"outcome": "RECORD_FOUND", "person": str(cworld.convicted.pk), "reason": "same"},
    )
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.AWAITING_CONFIRMATION
    # The agent cannot confirm (no form, and the service refuses).
    page = client.get(url)
    assert page.context["confirm_form"] is None
    assert page.context["awaiting_other"]
    client.post(url + "confirm/", {"confirm": "yes", "reason": "me again"})
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.AWAITING_CONFIRMATION

    client.logout()
    _login(client, "supervisor.agadir")
    page = client.get(url)
    assert page.context["confirm_form"] is not None
    response = client.post(url + "confirm/", {"confirm": "yes", "reason": "Checked the file."})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == ApplicationStatus.ISSUED
    certificate = Certificate.objects.get(application=in_review)
    assert certificate.statement == "RECORD"

    page = client.get(f"/staff/certificates/issued/{certificate.pk}/")
    assert page.status_code == 200
    assert certificate.seal_payload in page.content.decode()
    pdf = client.get(f"/staff/certificates/issued/{certificate.pk}/pdf/?language=fr")
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")


def test_decision_without_reason_is_an_error_beside_the_field(client, cworld, in_review):
    _login(client, "agent.agadir")
    response = client.post(
        f"/staff/certificates/applications/{in_review.pk}/decide/",
        {"outcome": "NO_RECORD", "reason": ""},
    )
    assert response.status_code == 400
    assert response.context["decision_form"].errors["reason"]
    assert 'id="id_reason_error"' in response.content.decode()


def test_revocation_by_a_supervisor_through_the_page(client, cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application
    services.application_check_run(application_id=application.pk)
    certificate = Certificate.objects.get(application=application)
    url = f"/staff/certificates/issued/{certificate.pk}/"

    _login(client, "supervisor.agadir")
    assert client.get(url).context["revoke_form"] is not None
    response = client.post(url + "revoke/", {"reason": ""})
    assert response.status_code == 400
    response = client.post(url + "revoke/", {"reason": "Obtained with a stolen card."})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.status == "REVOKED"
    assert client.get(url).context["live_status"] == "REVOKED"


def test_certificate_list_is_scoped_and_searchable(client, cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application
    services.application_check_run(application_id=application.pk)
    certificate = Certificate.objects.get(application=application)

    _login(client, "supervisor.agadir")
    response = client.get("/staff/certificates/issued/", {"serial": certificate.serial})
    assert certificate.serial in response.content.decode()
    client.logout()
    _login(client, "supervisor.rabat")
    response = client.get("/staff/certificates/issued/")
    assert certificate.serial not in response.content.decode()
    assert client.get(f"/staff/certificates/issued/{certificate.pk}/").status_code == 404


def test_staff_retry_of_a_stalled_check(client, cworld, monkeypatch):
    from amn.certificates.models import CertificateApplication

    application = submit(cworld, delivery="COLLECT", collection_unit=cworld.units["ws-agadir-d1"])
    application = application.application
    CertificateApplication.objects.filter(pk=application.pk).update(
        status=ApplicationStatus.CHECKING, check_attempts=services.MAX_CHECK_ATTEMPTS
    )
    _login(client, "agent.agadir")
    assert application.reference in client.get(QUEUE).content.decode()
    page = client.get(f"/staff/certificates/applications/{application.pk}/")
    assert page.context["stalled"]
    response = client.post(f"/staff/certificates/applications/{application.pk}/retry-check/")
    assert response.status_code == 302


# ------------------------------------------------------------------ API


def test_api_queue_and_decisions(client, cworld, in_review):
    _login(client, "agent.agadir")
    response = client.get("/api/v1/certificates/queue")
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["items"]] == [in_review.reference]

    response = client.post(
        f"/api/v1/certificates/applications/{in_review.pk}/decide",
        {"outcome": "RECORD_FOUND", "person_id": str(cworld.convicted.pk), "reason": "same"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["application_status"] == "AWAITING_CONFIRMATION"

    response = client.post(
        f"/api/v1/certificates/applications/{in_review.pk}/confirm",
        {"confirm": True, "reason": "me"},
        content_type="application/json",
    )
    assert response.status_code == 409  # not a supervisor, and the first decider
    client.logout()
    _login(client, "supervisor.agadir")
    response = client.post(
        f"/api/v1/certificates/applications/{in_review.pk}/confirm",
        {"confirm": True, "reason": "ok"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["application_status"] == "ISSUED"


def test_api_permission_matrix(client, cworld, in_review):
    assert client.get("/api/v1/certificates/queue").status_code == 401
    _login(client, "hr.agadir")
    assert client.get("/api/v1/certificates/queue").status_code == 403
    client.logout()
    _login(client, "supervisor.rabat")
    assert client.get("/api/v1/certificates/queue").json()["items"] == []
    response = client.post(
        f"/api/v1/certificates/applications/{in_review.pk}/decide",
        {"outcome": "NO_RECORD", "reason": "x"},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_queue_query_count_does_not_grow_with_the_rows(
    client, cworld, in_review, django_assert_num_queries, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, "agent.agadir")
    client.get(QUEUE)  # the session's first-request writes
    with CaptureQueriesContext(connection) as one:
        client.get(QUEUE)
    for cnie in ("JB2", "JB3", "JB4"):
        application = submit(
            cworld, cnie=cnie, delivery="COLLECT", collection_unit=cworld.units["ws-agadir-d1"]
        ).application
        services.application_check_run(application_id=application.pk)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(QUEUE)
    assert response.context["page"].paginator.count == 4


def test_filter_shows_review_links_to_reviewers_only(cworld):
    from amn.certificates.templatetags.certificate_access import may_review_certificates

    assert may_review_certificates(cworld.users["agent.agadir"])
    assert not may_review_certificates(cworld.users["hr.agadir"])
    assert not may_review_certificates(cworld.users["admin"])


def test_citizen_sees_their_own_applications(cworld):
    from amn.accounts.services import citizen_register
    from amn.certificates.selectors import citizen_applications

    citizen = citizen_register(
        password="amn-test-2025-x", first_name="F", last_name="C", email="f@example.ma"
    )
    mine = submit(cworld, actor=citizen).application
    submit(cworld, cnie="JB2")
    assert list(citizen_applications(user=citizen)) == [mine]
    assert not citizen_applications(user=cworld.users["agent.agadir"]).exists()
