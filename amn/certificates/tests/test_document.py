"""Tests of amn.certificates.document: the certificate in HTML and PDF, Arabic and French."""

import datetime
import io
import xml.etree.ElementTree as ET

import pypdf
import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext

from amn.cases.models import IccsCategory
from amn.certificates import document
from amn.certificates.choices import Delivery, Purpose, Statement
from amn.certificates.models import Certificate, CertificateApplication
from amn.certificates.services import holder_name
from amn.geo.choices import CommuneType, ProvinceType
from amn.geo.models import Commune, Province, Region
from amn.orgunits import reference as orgunits_reference
from amn.orgunits.models import UnitType
from amn.orgunits.services import unit_create
from amn.people.models import Person
from amn.seals import qr, signing

SERIAL = "2026-0042-000123"
NO_RECORD_TEXT = "No record: no conviction is on record for the holder."


def place_and_unit():
    orgunits_reference.load_reference(actor=None)
    region = Region.objects.create(
        code="06",
        name_fr="Casablanca-Settat",
        name_ar="الدار البيضاء-سطات",
        population_2024=1,
        households_2024=1,
    )
    province = Province.objects.create(
        code="06.141",
        name_fr="Casablanca",
        name_ar="الدار البيضاء",
        region=region,
        type=ProvinceType.PREFECTURE,
        population_2024=1,
        households_2024=1,
    )
    commune = Commune.objects.create(
        code="06.141.01.0",
        name_fr="Casablanca Anfa",
        name_ar="الدار البيضاء أنفا",
        province=province,
        slug="casablanca-anfa",
        type=CommuneType.URBAN,
        search_name="casablanca anfa",
        population_2024=1,
        households_2024=1,
    )
    unit = unit_create(
        actor=None,
        code="ws-casa",
        name_ar="ولاية أمن الدار البيضاء",
        name_fr="Wilaya de sûreté de Casablanca",
        name_en="Casablanca police prefecture",
        unit_type=UnitType.objects.get(code="security-wilaya"),
        parent=None,
        commune=None,
        effective_on=datetime.date(2020, 1, 1),
        decision_reference="test",
    )
    return commune, unit


def certificate_make(*, statement=Statement.NO_RECORD, birth_year=None, convictions=()):
    """A sealed certificate built the way amn.certificates.services issues one."""
    commune, unit = place_and_unit()
    person = None
    if statement == Statement.RECORD:
        person = Person.objects.create(
            family_name_ar="العلوي", given_name_ar="محمد", birth_year=1958, recorded_by=unit
        )
    identity = {
        "given_name_ar": "محمد",
        "family_name_ar": "العلوي",
        "given_name_lat": "Mohamed",
        "family_name_lat": "El Alaoui",
        "birth_date": None if birth_year else datetime.date(1988, 3, 14),
        "birth_year": birth_year,
        "birth_place": commune,
        "father_given_name": "عبد الله",
        "mother_given_name": "Fatima Zahra",
    }
    application = CertificateApplication.objects.create(
        reference="CR-2026-000001",
        cnie="BE123456",
        email="m@example.ma",
        purpose=Purpose.EMPLOYMENT,
        delivery=Delivery.ELECTRONIC,
        handling_unit=unit,
        consent_at=timezone.now(),
        **identity,
    )
    issued_at = timezone.make_aware(datetime.datetime(2026, 1, 17, 10, 30))
    certificate = Certificate(
        application=application,
        issuing_unit=unit,
        year=2026,
        sequence=123,
        serial=SERIAL,
        control_key=signing.control_key(SERIAL),
        language="ar",
        holder_cnie="BE123456",
        **{f"holder_{field}": value for field, value in identity.items()},
        statement=statement,
        person=person,
        convictions=list(convictions),
        issued_at=issued_at,
        valid_until=datetime.date(2026, 4, 17),
    )
    certificate.seal_payload = signing.seal_payload(
        {
            "serial": SERIAL,
            "issued_on": datetime.date(2026, 1, 17),
            "valid_until": certificate.valid_until,
            "statement": statement,
            "holder": signing.holder_digest(holder_name(certificate)),
        }
    )
    certificate.seal_key_id = "DEV"
    certificate.save()
    return certificate


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def in_language(language, text):
    """`text` translated into `language`, without its final full stop: pypdf reads a
    right-to-left line in visual order, so the text layer may hold a sentence's final full
    stop at the start of its line (seen with English msgids and Arabic sentences alike)."""
    with translation.override(language):
        return gettext(text).rstrip(".")


@pytest.mark.django_db
def test_arabic_pdf_holds_names_as_written_serial_and_statement():
    certificate = certificate_make()
    pdf = document.certificate_pdf(certificate, language="ar")
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = pdf_text(pdf)
    for expected in [
        "محمد",
        "العلوي",
        "عبد الله",
        "المديرية العامة للأمن الوطني",
        "الدار البيضاء أنفا",
        "ولاية أمن الدار البيضاء",
        "Mohamed",
        "El Alaoui",  # a Latin run inside right-to-left text keeps its word order
        "Fatima Zahra",
        SERIAL,
        "BE123456",
        signing.format_control_key(certificate.control_key),
        in_language("ar", NO_RECORD_TEXT),
        in_language("ar", "Criminal-record certificate"),
        document.verification_url(),
    ]:
        assert expected in text, expected


@pytest.mark.django_db
def test_french_pdf_with_year_only_birth_date():
    certificate = certificate_make(birth_year=1958)
    text = pdf_text(document.certificate_pdf(certificate, language="fr"))
    for expected in [
        "Mohamed",
        "El Alaoui",
        "محمد",
        "العلوي",
        "Casablanca Anfa",
        "Wilaya de sûreté de Casablanca",
        "Direction Générale de la Sûreté Nationale",
        SERIAL,
        in_language("fr", NO_RECORD_TEXT),
        in_language("fr", "Year of birth"),
        "1958",
    ]:
        assert expected in text, expected
    # The year stays a year: no invented day or month.
    assert "1958-01-01" not in text
    assert in_language("fr", "Date of birth") not in text
    assert "janvier 1958" not in text


@pytest.mark.django_db
def test_record_statement_lists_convictions_with_offence_in_the_language():
    IccsCategory.objects.update_or_create(
        code="0501",
        defaults={
            "level": 2,
            "label_en": "Burglary",
            "label_fr": "Cambriolage",
            "label_ar": "السرقة بالكسر",
        },
    )
    conviction = {
        "court": "المحكمة الابتدائية بفاس",
        "judgment_date": "2019-05-02",
        "offence_code": "0501",
        "offence_label": "0501 Burglary",
        "sentence": "سنة حبسا نافذا",
    }
    latin_conviction = {
        "court": "Tribunal de première instance de Fès",
        "judgment_date": "2021-11-20",
        "offence_code": "0501",
        "offence_label": "0501 Burglary",
        "sentence": "6 mois avec sursis",
    }
    certificate = certificate_make(
        statement=Statement.RECORD, convictions=[conviction, latin_conviction]
    )
    arabic = pdf_text(document.certificate_pdf(certificate, language="ar"))
    for expected in [
        "المحكمة الابتدائية بفاس",
        "السرقة بالكسر",
        "سنة حبسا نافذا",
        "2019",
        "6 mois avec sursis",  # a Latin sentence keeps its order in an Arabic table
    ]:
        assert expected in arabic, expected
    assert in_language("ar", NO_RECORD_TEXT) not in arabic

    french_html = document.certificate_html(certificate, language="fr")
    assert "Cambriolage" in french_html
    assert "2 mai 2019" in french_html
    assert '<bdi dir="rtl">المحكمة الابتدائية بفاس</bdi>' in french_html
    assert '<bdi dir="ltr">6 mois avec sursis</bdi>' in french_html
    assert "no conviction" not in french_html


def test_unknown_offence_code_keeps_the_stored_label(db):
    lines = document.conviction_lines(
        Certificate(
            convictions=[
                {
                    "court": "X",
                    "judgment_date": "bad",
                    "offence_code": "9999",
                    "offence_label": "stored label",
                    "sentence": "s",
                }
            ]
        ),
        "fr",
    )
    assert [(str(run), run.dir) for run in vars(lines[0]).values()] == [
        ("X", "ltr"),
        ("—", "ltr"),
        ("stored label", "ltr"),
        ("s", "ltr"),
    ]


def test_runs_take_the_direction_of_their_first_strong_character():
    assert document.text_run("6 mois avec sursis").dir == "ltr"
    assert document.text_run("6 أشهر موقوفة التنفيذ").dir == "rtl"
    assert document.text_run("عبد الله Jr").dir == "rtl"
    assert document.text_run("2019").dir == "ltr"
    assert str(document.text_run("Fès")) == "Fès"


@pytest.mark.django_db
def test_html_is_rtl_for_arabic_with_isolated_latin_runs_and_svg_qr():
    certificate = certificate_make()
    html = document.certificate_html(certificate, language="ar")
    assert '<html lang="ar" dir="rtl">' in html
    assert f'<bdi dir="ltr">{SERIAL}</bdi>' in html
    assert '<bdi dir="ltr">El Alaoui</bdi>' in html
    assert '<bdi dir="rtl">العلوي</bdi>' in html
    assert "/static/certificates/document.css" in html
    assert "style=" not in html
    assert "<script" not in html
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    ET.fromstring(svg)  # noqa: S314 (our own output) - well-formed
    assert qr.make_qr(certificate.seal_payload).version <= 7
    assert "data:image/png" not in html


@pytest.mark.django_db
def test_pdf_html_embeds_png_qr_and_no_stylesheet_link():
    certificate = certificate_make()
    html = document.certificate_html(certificate, language="fr", for_pdf=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert 'src="data:image/png;base64,' in html
    assert "<svg" not in html
    assert "<link" not in html


@pytest.mark.django_db
def test_english_and_bad_language():
    certificate = certificate_make()
    html = document.certificate_html(certificate, language="en")
    assert '<html lang="en" dir="ltr">' in html
    assert "March 14, 1988" in html
    with pytest.raises(ValueError):
        document.certificate_html(certificate, language="de")


@pytest.mark.django_db
def test_unsealed_certificate_is_refused():
    certificate = certificate_make()
    certificate.seal_payload = ""
    with pytest.raises(ValueError):
        document.certificate_html(certificate, language="ar")


def test_certificate_issued_by_the_service_renders_and_its_qr_opens(
    cworld, db, monkeypatch, django_capture_on_commit_callbacks
):
    from amn.certificates import services
    from amn.certificates.tests.factories import fake_registry, result_no_record, submit

    fake_registry(monkeypatch, result_no_record())
    application = submit(cworld).application
    with django_capture_on_commit_callbacks(execute=True):
        assert services.application_check_run(application_id=application.pk) == "issued"
    certificate = Certificate.objects.get(application=application)

    text = pdf_text(document.certificate_pdf(certificate, language="ar"))
    for expected in ["يوسف", "العلوي", "Youssef", "Alaoui", certificate.serial, "JB123456"]:
        assert expected in text, expected
    html = document.certificate_html(certificate, language="fr")
    assert signing.format_control_key(certificate.control_key) in html
    assert signing.open_payload(certificate.seal_payload)["serial"] == certificate.serial


def test_verification_url_uses_the_public_base_url(settings):
    settings.AMN_PUBLIC_BASE_URL = "https://amn.example.ma/"
    assert document.verification_url() == "https://amn.example.ma/certificates/verify/"
