"""The documents a residence-permit application needs, by reason of stay.

The table is data: one row per document, the reasons it applies to (an empty set: every
reason) and whether it applies to renewals only. It follows the public guidance on the
carte d'immatriculation under Law 02-03 and its Decree 2-09-607 (art. 14: a work contract
approved by the ministry in charge of employment; art. 15-17: proof matching the mention
"work", "study", "family reunification"); the directorate adjusts it to its current
instructions by editing REQUIRED_DOCUMENTS.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amn.permits.choices import ResidenceReason as R


@dataclass(frozen=True)
class RequiredDocument:
    """One document: `code` (stored on DocumentCheck), `label` (translated), `reasons`
    (empty: every reason), `renewal_only` (asked only when renewing a card)."""

    code: str
    label: str | Promise
    reasons: frozenset[str] = frozenset()
    renewal_only: bool = False


REQUIRED_DOCUMENTS: tuple[RequiredDocument, ...] = (
    RequiredDocument("application_form", _("Signed application form")),
    RequiredDocument("passport_copy", _("Copy of the passport (identity pages and entry stamp)")),
    RequiredDocument("photos", _("Recent identity photographs")),
    RequiredDocument("proof_of_address", _("Proof of address in Morocco (lease or certificate)")),
    RequiredDocument("previous_card", _("The residence card being renewed"), renewal_only=True),
    RequiredDocument(
        "work_contract",
        _("Work contract approved by the ministry in charge of employment"),
        frozenset({R.WORK}),
    ),
    RequiredDocument(
        "professional_registration",
        _("Trade or professional registration, for the self-employed"),
        frozenset({R.WORK}),
    ),
    RequiredDocument(
        "enrolment_certificate",
        _("Certificate of enrolment in a school or university in Morocco"),
        frozenset({R.STUDY}),
    ),
    RequiredDocument(
        "means_of_subsistence",
        _("Proof of means of subsistence (bank statement or grant)"),
        frozenset({R.STUDY, R.OTHER}),
    ),
    RequiredDocument(
        "family_link",
        _("Marriage certificate or family record book"),
        frozenset({R.FAMILY}),
    ),
    RequiredDocument(
        "family_member_id",
        _("Identity document of the family member living in Morocco"),
        frozenset({R.FAMILY}),
    ),
    RequiredDocument(
        "pension_proof",
        _("Proof of a retirement pension"),
        frozenset({R.RETIREMENT}),
    ),
    RequiredDocument(
        "funds_transfer",
        _("Certificate of regular transfer of funds to Morocco"),
        frozenset({R.RETIREMENT}),
    ),
    RequiredDocument(
        "reason_evidence",
        _("Document justifying the reason of stay"),
        frozenset({R.OTHER}),
    ),
)

_BY_CODE = {document.code: document for document in REQUIRED_DOCUMENTS}


def required_documents(*, reason: str, renewal: bool) -> list[RequiredDocument]:
    """The documents of an application for `reason` (a ResidenceReason value), in table
    order; `renewal` True adds the renewal-only rows."""
    return [
        document
        for document in REQUIRED_DOCUMENTS
        if (not document.reasons or reason in document.reasons)
        and (renewal or not document.renewal_only)
    ]


def document_label(code: str) -> str:
    """The translated label of a document code; the code itself when the table no longer
    holds it (documents checked under an earlier version of the table)."""
    document = _BY_CODE.get(code)
    return str(document.label) if document else code
