"""Public pages: the application form (every error beside its field), duplicates and double
submits, rate limits (429), tracking without an account, and the download."""

import pytest
from django.core.cache import cache

from amn.certificates import rate_limits, services
from amn.certificates.models import CertificateApplication
from amn.certificates.tests.factories import fake_registry, result_no_record, result_with

pytestmark = pytest.mark.django_db

APPLY = "/certificates/apply/"
TRACK = "/certificates/track/"


def form_data(cworld, **changes) -> dict:
    data = {
        "cnie": "jb 123456",
        "given_name_ar": "يوسف",
        "family_name_ar": "العلوي",
        "given_name_lat": "Youssef",
        "family_name_lat": "Alaoui",
        "sex": "M",
        "birth_date_0": "17",
        "birth_date_1": "5",
        "birth_date_2": "1990",
        "birth_place": "Agadir — أكادير (09.001.01.01)",
        "father_given_name": "محمد",
        "mother_given_name": "فاطمة",
        "phone": "0612345678",
        "email": "",
        "purpose": "EMPLOYMENT",
        "delivery": "ELECTRONIC",
        "collection_unit": "",
        "consent": "on",
        "submission_key": "5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a11",
    }
    data.update(changes)
    return data


def test_form_is_arabic_first_with_a_fresh_submission_key(client, cworld):
    response = client.get(APPLY)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'lang="ar"' in content and 'dir="rtl"' in content
    assert 'name="submission_key"' in content
    assert "أكادير (09.001.01.01)" in content  # the birth-place list
    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    )


def test_valid_application_redirects_to_its_tracking_page(
    client, cworld, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(APPLY, form_data(cworld, email="y@example.ma"))

    application = CertificateApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/certificates/track/{application.pk}/"
    assert application.cnie == "JB123456"
    assert application.phone == "+212612345678"
    assert application.language == "ar"
    page = client.get(response["Location"])
    assert application.reference in page.content.decode()
    assert "1990" not in response["Location"]


def test_arabic_indic_digits_are_accepted_and_normalised(client, cworld):
    response = client.post(
        APPLY,
        form_data(
            cworld,
            cnie="jb ١٢٣٤٥٦",
            birth_date_0="١٧",
            birth_date_2="١٩٩٠",
            phone="٠٦١٢٣٤٥٦٧٨",
        ),
    )
    assert response.status_code == 302
    application = CertificateApplication.objects.get()
    assert application.cnie == "JB123456"
    assert application.phone == "+212612345678"
    assert str(application.birth_date) == "1990-05-17"


def test_year_only_birth_date(client, cworld):
    response = client.post(
        APPLY, form_data(cworld, birth_date_0="", birth_date_1="", birth_date_2="1958")
    )
    assert response.status_code == 302
    application = CertificateApplication.objects.get()
    assert (application.birth_date, application.birth_year) == (None, 1958)


def test_one_script_is_enough(client, cworld):
    response = client.post(APPLY, form_data(cworld, given_name_lat="", family_name_lat=""))
    assert response.status_code == 302
    response = client.post(
        APPLY,
        form_data(
            cworld,
            cnie="JB2",
            given_name_ar="",
            family_name_ar="",
            submission_key="5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a12",
        ),
    )
    assert response.status_code == 302
    assert CertificateApplication.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "fragment"),
    [
        ({"cnie": "123456"}, "cnie", "one or two letters"),
        ({"cnie": "ABC123"}, "cnie", "one or two letters"),
        ({"cnie": ""}, "cnie", "required"),
        ({"given_name_ar": "Youssef"}, "given_name_ar", "Arabic letters"),
        ({"family_name_lat": "العلوي"}, "family_name_lat", "Latin letters"),
        ({"family_name_lat": "Alaoui2"}, "family_name_lat", "no digits"),
        (
            {
                "family_name_ar": "",
                "family_name_lat": "",
                "given_name_ar": "",
                "given_name_lat": "",
            },
            "family_name_ar",
            "Arabic or Latin",
        ),
        ({"family_name_ar": ""}, "family_name_ar", "this script too"),
        ({"birth_date_0": "31", "birth_date_1": "2"}, "birth_date", "does not exist"),
        ({"birth_date_2": "2999"}, "birth_date", "future"),
        ({"birth_date_2": ""}, "birth_date", "year"),
        ({"birth_date_2": "90"}, "birth_date", "four digits"),
        ({"birth_date_1": ""}, "birth_date", "month too"),
        ({"birth_date_0": ""}, "birth_date", "day too"),
        ({"birth_date_2": "1850"}, "birth_date", "not plausible"),
        ({"birth_place": "Atlantis"}, "birth_place", "No commune"),
        ({"birth_place": ""}, "birth_place", "required"),
        ({"phone": "12345"}, "phone", "Moroccan phone"),
        ({"phone": "", "email": ""}, "phone", "phone number or an e-mail"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"purpose": "FUN"}, "purpose", "valid choice"),
        ({"delivery": ""}, "delivery", "required"),
        ({"delivery": "COLLECT"}, "collection_unit", "station"),
        ({"consent": ""}, "consent", "consent"),
        ({"father_given_name": "Ahmed 2"}, "father_given_name", "no digits"),
    ],
)
def test_each_bad_field_gets_its_error_beside_it(client, cworld, changes, field, fragment):
    client.cookies["django_language"] = "en"  # Django's own messages are translated too
    response = client.post(APPLY, form_data(cworld, **changes))

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert fragment.lower() in " ".join(errors[field]).lower()
    content = response.content.decode()
    assert f'id="id_{field}_error"' in content
    assert not CertificateApplication.objects.exists()


def test_collection_station_must_serve_the_public(client, cworld):
    response = client.post(
        APPLY,
        form_data(
            cworld, delivery="COLLECT", collection_unit=str(cworld.units["ws-agadir-ccc"].pk)
        ),
    )
    assert "collection_unit" in response.context["form"].errors

    response = client.post(
        APPLY,
        form_data(cworld, delivery="COLLECT", collection_unit=str(cworld.units["ws-agadir-d1"].pk)),
    )
    assert response.status_code == 302


def test_errors_are_in_the_users_language(client, cworld):
    client.cookies["django_language"] = "fr"
    response = client.post(APPLY, form_data(cworld, cnie=""))
    assert 'lang="fr"' in response.content.decode()
    assert response.context["form"].errors["cnie"]


def test_double_submit_and_second_application_return_the_open_reference(client, cworld):
    first = client.post(APPLY, form_data(cworld))
    again = client.post(APPLY, form_data(cworld))  # same form (same key)
    other_form = client.post(
        APPLY, form_data(cworld, submission_key="5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a99")
    )

    application = CertificateApplication.objects.get()
    for response in (first, again, other_form):
        assert response["Location"] == f"/certificates/track/{application.pk}/"
    page = client.get(other_form["Location"])
    assert application.reference in page.content.decode()


def test_rate_limit_per_client_answers_429(client, cworld, monkeypatch):
    monkeypatch.setattr(rate_limits, "APPLY_RATE_PER_CLIENT", "2/h")
    cache.clear()
    client.post(APPLY, form_data(cworld, cnie=""))
    client.post(APPLY, form_data(cworld, cnie=""))
    response = client.post(APPLY, form_data(cworld))

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode() or response.templates
    assert not CertificateApplication.objects.exists()


def test_rate_limit_per_cnie_answers_429_from_any_client(client, cworld, monkeypatch):
    monkeypatch.setattr(rate_limits, "APPLY_RATE_PER_CNIE", "1/d")
    cache.clear()
    assert client.post(APPLY, form_data(cworld), REMOTE_ADDR="10.0.0.1").status_code == 302
    response = client.post(
        APPLY,
        form_data(cworld, submission_key="5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a77"),
        REMOTE_ADDR="10.0.0.2",
    )
    assert response.status_code == 429
    other = client.post(
        APPLY,
        form_data(cworld, cnie="JB9", submission_key="5f0f6a52-2b7b-4f0e-8d7f-5d2b1f9c0a78"),
        REMOTE_ADDR="10.0.0.2",
    )
    assert other.status_code == 302


# ------------------------------------------------------------------ tracking


def _apply(client, cworld, **changes):
    client.post(APPLY, form_data(cworld, **changes))
    return CertificateApplication.objects.get()


def test_tracking_needs_reference_and_birth_date_and_keeps_them_out_of_urls(client, cworld):
    application = _apply(client, cworld)
    stranger = client.__class__()
    stranger.cookies["django_language"] = "en"

    # Another browser cannot open the tracking page by its URL.
    assert stranger.get(f"/certificates/track/{application.pk}/").status_code == 404
    wrong = stranger.post(
        TRACK,
        {
            "reference": application.reference,
            "birth_date_0": "18",
            "birth_date_1": "5",
            "birth_date_2": "1990",
        },
    )
    assert wrong.status_code == 400
    assert "No application matches" in wrong.content.decode()

    right = stranger.post(
        TRACK,
        {
            "reference": application.reference.lower(),
            "birth_date_0": "17",
            "birth_date_1": "5",
            "birth_date_2": "1990",
        },
    )
    assert right.status_code == 302
    assert "1990" not in right["Location"]
    page = stranger.get(right["Location"])
    assert page.status_code == 200
    assert page.context["in_progress"]
    assert 'id="status-note"' in page.content.decode()
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_year_only_applicant_tracks_with_the_year(client, cworld):
    application = _apply(client, cworld, birth_date_0="", birth_date_1="", birth_date_2="1958")
    stranger = client.__class__()
    full = stranger.post(
        TRACK,
        {
            "reference": application.reference,
            "birth_date_0": "1",
            "birth_date_1": "1",
            "birth_date_2": "1958",
        },
    )
    assert full.status_code == 400  # never turn 1958 into 1958-01-01
    year = stranger.post(TRACK, {"reference": application.reference, "birth_date_2": "1958"})
    assert year.status_code == 302


def test_tracking_lookups_are_rate_limited(client, cworld, monkeypatch):
    monkeypatch.setattr(rate_limits, "LOOKUP_RATE_PER_CLIENT", "3/h")
    cache.clear()
    for _ in range(3):
        client.post(TRACK, {"reference": "CR-2026-000001", "birth_date_2": "1990"})
    response = client.post(TRACK, {"reference": "CR-2026-000001", "birth_date_2": "1990"})
    assert response.status_code == 429


def test_issued_no_record_certificate_downloads_as_pdf(client, cworld, monkeypatch):
    fake_registry(monkeypatch, result_no_record())
    application = _apply(client, cworld)
    services.application_check_run(application_id=application.pk)

    page = client.get(f"/certificates/track/{application.pk}/")
    assert page.context["downloadable"]
    assert page.context["live_status"] == "VALID"
    response = client.get(f"/certificates/track/{application.pk}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert (
        client.__class__().get(f"/certificates/track/{application.pk}/certificate.pdf").status_code
        == 404
    )


def test_record_certificate_is_not_downloadable_but_collected(client, cworld, monkeypatch):
    fake_registry(monkeypatch, result_with(cworld.convicted))
    application = _apply(client, cworld)
    services.application_check_run(application_id=application.pk)
    services.review_decide(
        actor=cworld.users["supervisor.agadir"],  # the wilaya handles electronic requests
        application_id=application.pk,
        outcome="RECORD_FOUND",
        person_id=str(cworld.convicted.pk),
        reason="same",
    )
    services.review_confirm(
        actor=cworld.users["supervisor2.agadir"],
        application_id=application.pk,
        confirm=True,
        reason="agreed",
    )

    page = client.get(f"/certificates/track/{application.pk}/")
    assert not page.context["downloadable"]
    assert page.context["station"] == cworld.units["ws-agadir"]
    response = client.get(f"/certificates/track/{application.pk}/certificate.pdf")
    assert response.status_code == 404


def test_status_steps_follow_the_application(client, cworld, monkeypatch):
    client.cookies["django_language"] = "en"
    application = _apply(client, cworld)
    url = f"/certificates/track/{application.pk}/"

    def states():
        steps = client.get(url).context["steps"]
        return [(str(s["label"]), s["done"], s["current"]) for s in steps]

    assert states() == [
        ("Application received", True, False),
        ("Identity check", False, True),
        ("Certificate issued", False, False),
    ]
    fake_registry(monkeypatch, result_with(cworld.convicted))
    services.application_check_run(application_id=application.pk)
    assert states()[1:3] == [
        ("Identity check", True, False),
        ("Examination by an officer", False, True),
    ]
    services.review_decide(
        actor=cworld.users["supervisor.agadir"],
        application_id=application.pk,
        outcome="NO_RECORD",
        reason="not him",
    )
    assert all(done for _label, done, _current in states())
    assert len(states()) == 4


def test_automatic_issue_skips_the_examination_step(client, cworld, monkeypatch):
    client.cookies["django_language"] = "en"
    fake_registry(monkeypatch, result_no_record())
    application = _apply(client, cworld)
    services.application_check_run(application_id=application.pk)
    steps = client.get(f"/certificates/track/{application.pk}/").context["steps"]
    assert [str(s["label"]) for s in steps] == [
        "Application received",
        "Identity check",
        "Certificate issued",
    ]
    assert all(s["done"] for s in steps)
