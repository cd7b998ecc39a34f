"""Forms of the certificate service. They give input its shape and name the field of every
error (in the user's language); the exchange fields are parsed by amn.people.registry_io,
the one parser of person data, and business rules stay in services."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from amn.accounts.phones import phone_normalise
from amn.certificates.choices import DecisionOutcome, Delivery, Purpose
from amn.certificates.services import ORGANISATION_MAX_LENGTH, REASON_MAX_LENGTH
from amn.core.digits import ascii_digits
from amn.core.localized_fields import localized
from amn.core.text_input import clean_text
from amn.geo.models import Commune
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit
from amn.people import registry_io
from amn.people.identity import PartialDate

LTR = {"dir": "ltr"}
RTL = {"dir": "rtl", "lang": "ar"}
_DIGITS_ONLY = re.compile(r"\d{1,4}")


def _field_problem(parse, value, **kwargs):
    """Run a registry_io parser, turning its FieldProblem into a ValidationError."""
    try:
        return parse(value, **kwargs)
    except registry_io.FieldProblem as problem:
        raise ValidationError(str(problem)) from None


class PartialDateWidget(forms.MultiWidget):
    """Day (optional), month (optional, by name) and year, side by side."""

    template_name = "certificates/widgets/partial_date.html"

    def __init__(self, attrs=None):
        month_choices = [("", _("Month (optional)"))] + [(str(k), v) for k, v in MONTHS.items()]
        super().__init__(
            [
                forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "size": 2,
                        "maxlength": 2,
                        "dir": "ltr",
                        "autocomplete": "bday-day",
                    }
                ),
                forms.Select(choices=month_choices, attrs={"autocomplete": "bday-month"}),
                forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "size": 4,
                        "maxlength": 4,
                        "dir": "ltr",
                        "autocomplete": "bday-year",
                    }
                ),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, PartialDate):
            return [value.day or "", value.month or "", value.year]
        return ["", "", ""]


class PartialDateField(forms.MultiValueField):
    """A birth date known to the day or only to the year: cleans to a PartialDate (a year
    stays a year; day and month are never invented). Arabic-Indic digits are accepted."""

    widget = PartialDateWidget

    def __init__(self, **kwargs):
        fields = (
            forms.CharField(required=False, max_length=4),
            forms.CharField(required=False, max_length=2),
            forms.CharField(required=False, max_length=8),
        )
        super().__init__(fields=fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = (ascii_digits(part or "").strip() for part in data_list)
        if not year:
            raise ValidationError(_("Give at least the year of birth."))
        if not re.fullmatch(r"\d{4}", year):
            raise ValidationError(_("Give the year of birth with four digits, e.g. 1958."))
        if day and not month:
            raise ValidationError(_("Give the month too, or only the year."))
        if month and not day:
            raise ValidationError(_("Give the day too, or only the year."))
        if day and not _DIGITS_ONLY.fullmatch(day):
            raise ValidationError(_("Give the day as a number."))
        text = f"{year}-{int(month):02d}-{int(day):02d}" if day else year
        return _field_problem(registry_io.birth_date_parse, text)


class PublicUnitChoiceField(forms.ModelChoiceField):
    """A police station that serves the public, labelled in the active language."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


def public_stations():
    """Active units that serve the public, by code (the collection-station choices)."""
    return OrgUnit.objects.filter(status=UnitStatus.ACTIVE, serves_public=True).order_by("code")


def commune_options() -> list[str]:
    """Every commune as "Fès — فاس (03.231.01.0)", for the birth-place <datalist>."""
    return [
        f"{fr} — {ar} ({code})"
        for code, fr, ar in Commune.objects.order_by("name_fr", "code").values_list(
            "code", "name_fr", "name_ar"
        )
    ]


class ApplicationForm(forms.Form):
    """The citizen's application (issue 4, "Citizen service")."""

    cnie = forms.CharField(
        label=_("CNIE number"),
        max_length=20,
        help_text=_("One or two letters then digits, as printed on your card, e.g. BE123456."),
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "off", "spellcheck": "false"}),
    )
    given_name_ar = forms.CharField(
        label=_("Given name (Arabic script)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs=RTL),
    )
    family_name_ar = forms.CharField(
        label=_("Family name (Arabic script)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs=RTL),
    )
    given_name_lat = forms.CharField(
        label=_("Given name (Latin script)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs=LTR),
    )
    family_name_lat = forms.CharField(
        label=_("Family name (Latin script)"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs=LTR),
        help_text=_("Give your names in Arabic script, in Latin script, or both."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Not given")), ("M", _("Male")), ("F", _("Female"))],
    )
    birth_date = PartialDateField(
        label=_("Date of birth"),
        help_text=_("If only your year of birth is recorded, give the year alone."),
    )
    birth_place = forms.CharField(
        label=_("Place of birth (commune)"),
        max_length=250,
        widget=forms.TextInput(
            attrs={"list": "commune-options", "autocomplete": "off", "dir": "auto"}
        ),
        help_text=_("Type the commune's name and pick it from the list."),
    )
    father_given_name = forms.CharField(
        label=_("Father's given name"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    mother_given_name = forms.CharField(
        label=_("Mother's given name"),
        required=False,
        max_length=120,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("Your parents' names tell you apart from people with the same name."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        required=False,
        max_length=24,
        widget=forms.TextInput(attrs={**LTR, "inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={**LTR, "autocomplete": "email"}),
        help_text=_("A phone number or an e-mail address, to tell you when it is ready."),
    )
    purpose = forms.ChoiceField(label=_("Purpose"), choices=Purpose.choices)
    delivery = forms.ChoiceField(
        label=_("Delivery"), choices=Delivery.choices, widget=forms.RadioSelect
    )
    collection_unit = PublicUnitChoiceField(
        label=_("Police station for collection"),
        queryset=OrgUnit.objects.none(),
        required=False,
        empty_label=_("Choose a station"),
        help_text=_("Only when you collect the certificate."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my identity is checked against the records registry for this certificate."
        ),
        error_messages={"required": _("The check needs your explicit consent.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collection_unit"].queryset = public_stations()
        self.birth_place_commune = None

    def clean_cnie(self):
        return _field_problem(registry_io.cnie_parse, self.cleaned_data["cnie"])

    def _name(self, name, script):
        return _field_problem(registry_io.name_parse, self.cleaned_data[name], script=script)

    def clean_given_name_ar(self):
        return self._name("given_name_ar", "ar")

    def clean_family_name_ar(self):
        return self._name("family_name_ar", "ar")

    def clean_given_name_lat(self):
        return self._name("given_name_lat", "lat")

    def clean_family_name_lat(self):
        return self._name("family_name_lat", "lat")

    def clean_father_given_name(self):
        return self._name("father_given_name", "any")

    def clean_mother_given_name(self):
        return self._name("mother_given_name", "any")

    def clean_birth_place(self):
        text = clean_text(self.cleaned_data["birth_place"])
        pk, _code = _field_problem(registry_io.CommuneLookup().resolve, text)
        return Commune.objects.select_related("province").get(pk=pk)

    def clean_phone(self):
        raw = clean_text(self.cleaned_data["phone"])
        if not raw:
            return ""
        phone = phone_normalise(raw)
        if phone is None:
            raise ValidationError(_("Enter a Moroccan phone number such as 0612345678."))
        return phone

    def clean(self):
        data = super().clean()
        for given, family in (
            ("given_name_ar", "family_name_ar"),
            ("given_name_lat", "family_name_lat"),
        ):
            if data.get(given) and not data.get(family) and family not in self.errors:
                self.add_error(family, _("Give the family name in this script too."))
        if (
            not data.get("family_name_ar")
            and not data.get("family_name_lat")
            and "family_name_ar" not in self.errors
            and "family_name_lat" not in self.errors
        ):
            self.add_error("family_name_ar", _("Give your names in Arabic or Latin script."))
            self.add_error("family_name_lat", _("Give your names in Arabic or Latin script."))
        if not (data.get("phone") or data.get("email") or self.has_error("phone")) and (
            not self.has_error("email")
        ):
            self.add_error("phone", _("Give a phone number or an e-mail address."))
        if (
            data.get("delivery") == Delivery.COLLECT
            and not data.get("collection_unit")
            and not self.has_error("collection_unit")
        ):
            self.add_error("collection_unit", _("Choose the station where you collect it."))
        if data.get("delivery") == Delivery.ELECTRONIC:
            data["collection_unit"] = None
        return data


class ApplicationApiForm(ApplicationForm):
    """The application as the public API receives it (POST /api/v1/certificates/
    applications): the web form's fields and rules, with the birth date as one text
    ("YYYY-MM-DD", or "YYYY" when only the year is known), the collection station by its
    unit code, and no submission key (the API's Idempotency-Key header plays its part)."""

    birth_date = forms.CharField(label=_("Date of birth"), max_length=10)
    collection_unit = PublicUnitChoiceField(
        label=_("Police station for collection"),
        queryset=OrgUnit.objects.none(),
        required=False,
        to_field_name="code",
        error_messages={"invalid_choice": _("No police station serving the public has this code.")},
    )
    submission_key = None

    def clean_birth_date(self):
        born = _field_problem(registry_io.birth_date_parse, self.cleaned_data["birth_date"])
        if born is None:
            raise ValidationError(_("Give at least the year of birth."))
        return born


class TrackForm(forms.Form):
    """Find one's application without an account: the reference and the birth date."""

    reference = forms.CharField(
        label=_("Reference"),
        max_length=30,
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("As given when you applied, e.g. CR-2026-000123."),
    )
    birth_date = PartialDateField(
        label=_("Date of birth"),
        help_text=_("As given in the application (the year alone if you gave only the year)."),
    )


class VerifyForm(forms.Form):
    """Verify a certificate: the QR payload, or the serial number and control key."""

    payload = forms.CharField(
        label=_("Content of the QR code"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={**LTR, "rows": 3, "spellcheck": "false"}),
        help_text=_("Scan the QR code and paste what it reads, or the link it opens."),
    )
    serial = forms.CharField(
        label=_("Serial number"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "off"}),
    )
    control_key = forms.CharField(
        label=_("Control key"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={**LTR, "autocomplete": "off"}),
        help_text=_("The short key printed next to the serial number."),
    )
    organisation = forms.CharField(
        label=_("Your organisation (optional)"),
        required=False,
        max_length=ORGANISATION_MAX_LENGTH,
        help_text=_("Shown to the holder, who sees who verified the certificate."),
    )

    def clean_payload(self):
        return payload_from_text(self.cleaned_data["payload"])

    def clean(self):
        data = super().clean()
        if data.get("payload") or "payload" in self.errors:
            return data
        serial, key = clean_text(data.get("serial", "")), clean_text(data.get("control_key", ""))
        if not serial and not key:
            self.add_error(
                "payload", _("Paste the QR code's content, or type the serial and control key.")
            )
        elif not serial:
            self.add_error("serial", _("Give the serial number printed on the certificate."))
        elif not key:
            self.add_error("control_key", _("Give the control key printed beside the serial."))
        return data


_PAYLOAD_IN_URL = re.compile(r"[?&#]payload=([^&#\s]+)")


def payload_from_text(text: str) -> str:
    """The seal payload in pasted text: the text itself, or the `payload` parameter of a
    verification link ("https://…/certificates/verify/?payload=S1.…"); surrounding blanks
    dropped, nothing else changed (a changed byte must still read as forged)."""
    text = (text or "").strip()
    match = _PAYLOAD_IN_URL.search(text)
    return match.group(1) if match else text


class DecisionForm(forms.Form):
    """The first decision on an application in review."""

    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (DecisionOutcome.NO_RECORD, DecisionOutcome.NO_RECORD.label),
            (DecisionOutcome.RECORD_FOUND, DecisionOutcome.RECORD_FOUND.label),
        ],
        widget=forms.RadioSelect,
    )
    person = forms.ChoiceField(label=_("Candidate who is the applicant"), required=False)
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("None"))] + [
            (str(c["person"].pk), label) for c, label in candidates
        ]

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.RECORD_FOUND and not data.get("person"):
            self.add_error("person", _("Choose the candidate who is the applicant."))
        return data


class ConfirmForm(forms.Form):
    """The second person's decision (four eyes)."""

    confirm = forms.TypedChoiceField(
        label=_("Second decision"),
        choices=[("yes", _("Confirm the decision")), ("no", _("Do not confirm: back to review"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class RevokeForm(forms.Form):
    """Revocation of a certificate by a supervisor."""

    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
