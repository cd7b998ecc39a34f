"""The criminal-record certificate as a document: HTML for the screen, PDF for the holder.

`certificate_html()` and `certificate_pdf()` render one template,
``certificates/document/certificate.html``, in Arabic (right to left), French or English.
The PDF (WeasyPrint) carries the QR code as a PNG and embeds its fonts; its text layer holds
Arabic names in logical order, as written, so they can be searched and copied. Latin runs
inside Arabic text, and Arabic runs inside French text, are isolated in <bdi> elements with
an explicit direction (see Run): without that, WeasyPrint reorders adjacent Latin words
inside a right-to-left block.

The QR code carries the certificate's stored `seal_payload` (sealed at issue by
amn.certificates.services with amn.seals.signing); the control key is the stored one.
"""

import datetime
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from amn.cases.models import IccsCategory
from amn.certificates.choices import Statement
from amn.core.locale_format import format_date
from amn.core.localized_fields import localized
from amn.seals import qr, signing

TEMPLATE = "certificates/document/certificate.html"
STYLESHEET = "certificates/document.css"
LANGUAGES = ("ar", "fr", "en")
VERIFY_PATH_FALLBACK = "/certificates/verify/"
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"


@dataclass(frozen=True)
class Run:
    """A value printed in its own direction: `text` and `dir` ("rtl" or "ltr"), rendered as
    <bdi dir="…">. WeasyPrint does not guess the direction of a <bdi> without `dir` (it
    takes the paragraph's), so "6 mois avec sursis" in an Arabic table would print as
    "mois avec 6 sursis"."""

    text: str
    dir: str

    def __str__(self) -> str:
        return self.text


def text_run(text: str) -> Run:
    """`text` with the direction of its first strong character (Unicode bidi classes R/AL:
    right to left; L: left to right); left to right when it has none (digits, "—")."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return Run(text, "rtl")
        if kind == "L":
            return Run(text, "ltr")
    return Run(text, "ltr")


@dataclass(frozen=True)
class ConvictionLine:
    """One conviction as printed: court, judgment date (formatted), offence label in the
    document's language, sentence; each a Run."""

    court: Run
    date: Run
    offence: Run
    sentence: Run


def _offence_labels(codes: set[str], language: str) -> dict[str, str]:
    """ICCS labels in `language` for `codes` (reference data: one query)."""
    if not codes:
        return {}
    return {
        category.code: localized(category, "label", language)
        for category in IccsCategory.objects.filter(code__in=codes)
    }


def conviction_lines(certificate, language: str) -> list[ConvictionLine]:
    """The convictions stated by `certificate` (its `convictions` JSON list, in order), with
    the offence label of the ICCS table in `language`, or the stored label when the code is
    unknown."""
    entries = list(certificate.convictions or [])
    labels = _offence_labels({e.get("offence_code", "") for e in entries} - {""}, language)
    lines = []
    for entry in entries:
        try:
            judged = format_date(
                datetime.date.fromisoformat(entry.get("judgment_date", "")), language=language
            )
        except ValueError:
            judged = "—"
        lines.append(
            ConvictionLine(
                court=text_run(entry.get("court", "")),
                date=text_run(judged),
                offence=text_run(
                    labels.get(entry.get("offence_code", ""), entry.get("offence_label", ""))
                ),
                sentence=text_run(entry.get("sentence", "")),
            )
        )
    return lines


def verification_url() -> str:
    """Absolute URL of the public verification page: setting AMN_PUBLIC_BASE_URL (the site's
    public origin) + the path of certificates:verify (/certificates/verify/)."""
    try:
        path = reverse("certificates:verify")
    except NoReverseMatch:
        path = VERIFY_PATH_FALLBACK
    origin = str(getattr(settings, "AMN_PUBLIC_BASE_URL", "") or DEFAULT_PUBLIC_URL)
    return origin.rstrip("/") + path


def _language(language: str) -> str:
    code = (language or "").split("-")[0]
    if code not in LANGUAGES:
        raise ValueError(f"unsupported certificate language {language!r}")
    return code


def certificate_context(certificate, *, language: str, for_pdf: bool) -> dict:
    """Template context of the certificate document in `language`.

    Args:
        certificate: a Certificate (holder snapshot, statement, convictions, serial …).
        language: "ar", "fr" or "en".
        for_pdf: True embeds the QR as a PNG data URI and leaves out the stylesheet link
            (WeasyPrint gets the stylesheet directly); False gives an inline SVG QR.
    Returns:
        dict of display values, formatted in `language`.
    Raises:
        ValueError: the certificate has no seal payload (not issued through the services).
    """
    payload = certificate.seal_payload
    if not payload:
        raise ValueError("the certificate has no seal payload")
    with translation.override(language):
        qr_title = _("QR code to verify the certificate")
        context = {
            "language": language,
            "text_dir": "rtl" if language == "ar" else "ltr",
            "for_pdf": for_pdf,
            "serial": certificate.serial,
            "control_key": signing.format_control_key(certificate.control_key),
            "holder": certificate,
            "birth_date": (
                format_date(certificate.holder_birth_date, language=language)
                if certificate.holder_birth_date
                else ""
            ),
            "birth_year": certificate.holder_birth_year,
            "birth_place": text_run(localized(certificate.holder_birth_place, "name", language)),
            "father": text_run(certificate.holder_father_given_name),
            "mother": text_run(certificate.holder_mother_given_name),
            "no_record": certificate.statement == Statement.NO_RECORD,
            "convictions": conviction_lines(certificate, language),
            "issuing_unit": text_run(localized(certificate.issuing_unit, "name", language)),
            "issued_on": format_date(certificate.issued_at, language=language),
            "valid_until": format_date(certificate.valid_until, language=language),
            "verify_url": verification_url(),
            "payload": payload,
            "qr_title": qr_title,
        }
    if for_pdf:
        context["qr_png"] = qr.qr_png_data_uri(payload, scale=6)
    else:
        # Our own SVG markup (segno output of the payload), not user data.
        context["qr_svg"] = mark_safe(qr.qr_svg(payload, title=qr_title))  # noqa: S308
    return context


def certificate_html(certificate, *, language: str, for_pdf: bool = False) -> str:
    """The certificate as a standalone HTML document in `language` ("ar", "fr" or "en"),
    linking its stylesheet from static files, with an inline SVG QR code.

    Raises:
        ValueError: unsupported language, or the certificate has no seal payload.
    """
    language = _language(language)
    context = certificate_context(certificate, language=language, for_pdf=for_pdf)
    with translation.override(language):
        return render_to_string(TEMPLATE, context)


def certificate_pdf(certificate, *, language: str) -> bytes:
    """The certificate as a PDF (A4, fonts embedded) in `language` ("ar", "fr" or "en").

    Returns:
        bytes of the PDF. Its text layer contains the holder's names as written.
    Raises:
        ValueError: unsupported language, or the certificate has no seal payload.
    """
    import weasyprint  # imported here: loading it costs ~1 s, and only PDFs need it

    html = certificate_html(certificate, language=language, for_pdf=True)
    stylesheet = finders.find(STYLESHEET)
    document = weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR))
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=stylesheet)])
