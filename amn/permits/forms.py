"""Forms of the permit pages: the shape of what people type. The rules (dates, passport,
stay, documents) live in amn.permits.rules and the services, whose field errors the views
put next to these forms' fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amn.core.digits import ascii_digits
from amn.core.localized_fields import localized
from amn.permits.choices import (
    ApplicationKind,
    Decision,
    DocumentStatus,
    Entries,
    ResidenceReason,
    ResidenceRefusalReason,
    VisaPurpose,
    VisaRefusalReason,
)
from amn.permits.countries import MOROCCO, country_choices
from amn.permits.documents import document_label
from amn.permits.selectors import handling_unit_options

DATE_WIDGET = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")
LATIN = {"dir": "ltr", "autocomplete": "off"}


class AsciiDateField(forms.DateField):
    """A date typed as YYYY-MM-DD with Western or Arabic-Indic digits (normalised before
    parsing). Only the ISO form: the active language's own formats would read 04/05/1985 as
    5 April in English and 4 May in French."""

    widget = DATE_WIDGET
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Give a date that exists, as year-month-day: 1990-05-17."),
    }

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value).strip()
        return super().to_python(value)


class NationalityField(forms.ChoiceField):
    """A country by its name in the active language (ISO 3166-1 alpha-2 code submitted);
    Morocco is left out (Moroccans need neither a residence permit nor a visa)."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)

    def refresh_choices(self) -> None:
        """Countries named in the active language (called by ApplicantForm.__init__)."""
        self.choices = [("", "—"), *country_choices(exclude=frozenset({MOROCCO}))]


class HandlingUnitField(forms.ChoiceField):
    """A police unit that handles applications, by its name (its code submitted)."""

    def __init__(self, **kwargs):
        super().__init__(choices=(), **kwargs)

    def refresh_choices(self) -> None:
        """Units of amn.permits.selectors.handling_unit_options, named in the active language."""
        self.choices = [("", "—")] + [
            (unit.code, localized(unit, "name")) for unit in handling_unit_options()
        ]


class ApplicantForm(forms.Form):
    """Identity and contact shared by both application forms."""

    family_name = forms.CharField(
        label=_("Family name (as in the passport)"), max_length=100, widget=forms.TextInput(LATIN)
    )
    given_names = forms.CharField(
        label=_("Given names (as in the passport)"), max_length=100, widget=forms.TextInput(LATIN)
    )
    nationality = NationalityField(label=_("Nationality"))
    birth_date = AsciiDateField(label=_("Date of birth"))
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=30, widget=forms.TextInput(LATIN)
    )
    passport_expires_on = AsciiDateField(label=_("Passport expiry date"))
    email = forms.CharField(
        label=_("E-mail"),
        max_length=254,
        help_text=_("Decisions and reminders are sent to this address."),
        widget=forms.EmailInput({"dir": "ltr", "autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput({"dir": "ltr", "type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if hasattr(field, "refresh_choices"):
                field.refresh_choices()

    def add_service_errors(self, errors: dict[str, list[str]]) -> None:
        """Show the service's field errors (amn.permits.rules.InvalidInput.errors) next to
        their fields; errors of fields this form lacks go to the top of the form."""
        for name, messages in errors.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


class VisaApplicationForm(ApplicantForm):
    """The online visa application."""

    purpose = forms.ChoiceField(label=_("Purpose of the journey"), choices=VisaPurpose.choices)
    purpose_detail = forms.CharField(
        label=_("Purpose (details)"),
        max_length=300,
        required=False,
        help_text=_("Required when the purpose is “Other”."),
    )
    intended_entry_on = AsciiDateField(label=_("Intended date of entry"))
    intended_exit_on = AsciiDateField(label=_("Intended date of departure"))
    entries_requested = forms.ChoiceField(
        label=_("Entries requested"),
        choices=Entries.choices,
        initial=Entries.SINGLE,
        widget=forms.RadioSelect,
    )
    handling_unit = HandlingUnitField(
        label=_("Police service of your main place of stay"),
        help_text=_("It handles your application."),
    )


class ResidenceApplicationForm(ApplicantForm):
    """The residence-permit application (first card or renewal)."""

    kind = forms.ChoiceField(
        label=_("Application"),
        choices=ApplicationKind.choices,
        initial=ApplicationKind.FIRST,
        widget=forms.RadioSelect,
    )
    previous_card_number = forms.CharField(
        label=_("Number of the card to renew"),
        max_length=20,
        required=False,
        help_text=_("For a renewal only."),
        widget=forms.TextInput(LATIN),
    )
    address = forms.CharField(label=_("Address in Morocco"), max_length=200)
    reason = forms.ChoiceField(label=_("Reason of stay"), choices=ResidenceReason.choices)
    reason_detail = forms.CharField(
        label=_("Reason of stay (details)"),
        max_length=300,
        required=False,
        help_text=_("Required when the reason is “Other”."),
    )
    handling_unit = HandlingUnitField(
        label=_("Police service where you live"),
        help_text=_("You will bring your documents there."),
    )

    field_order = ["kind", "previous_card_number"]


class TrackForm(forms.Form):
    """Reference and passport number of the application to follow (sent by POST only)."""

    reference = forms.CharField(
        label=_("Reference"),
        max_length=24,
        help_text=_("For example TS-2026-000123 or EV-2026-000123."),
        widget=forms.TextInput(LATIN),
    )
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=30, widget=forms.TextInput(LATIN)
    )


class ChecklistForm(forms.Form):
    """One choice (received / missing / not checked yet) per required document."""

    def __init__(self, *args, checks, **kwargs):
        super().__init__(*args, **kwargs)
        for check in checks:
            self.fields[f"doc_{check.code}"] = forms.ChoiceField(
                label=document_label(check.code),
                choices=DocumentStatus.choices,
                initial=check.status,
            )

    def statuses(self) -> dict[str, str]:
        """{document code: status} from the cleaned data."""
        return {name.removeprefix("doc_"): value for name, value in self.cleaned_data.items()}


class DecisionForm(forms.Form):
    """Approve, or refuse with a reason from the list and a note."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    refusal_reason = forms.ChoiceField(
        label=_("Refusal reason"),
        choices=[("", "—"), *ResidenceRefusalReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("Note for the file"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Not shown to the applicant. Required when the reason is “Other”."),
    )


class CardIssueForm(forms.Form):
    """Issue date and, to shorten the standard validity, an expiry date."""

    issued_on = AsciiDateField(
        label=_("Issue date"), required=False, help_text=_("Today if empty.")
    )
    expires_on = AsciiDateField(
        label=_("Expiry date"),
        required=False,
        help_text=_("Empty: the standard validity for this reason of stay."),
    )


class VisaDecisionForm(forms.Form):
    """Issue the visa (validity period, entries, longest stay) or refuse it."""

    decision = forms.ChoiceField(
        label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect
    )
    valid_from = AsciiDateField(label=_("Valid from"), required=False)
    valid_until = AsciiDateField(label=_("Valid until"), required=False)
    entries = forms.ChoiceField(label=_("Entries"), choices=Entries.choices, required=False)
    max_stay_days = forms.IntegerField(
        label=_("Longest stay (days)"), min_value=1, max_value=365, required=False
    )
    refusal_reason = forms.ChoiceField(
        label=_("Refusal reason"), choices=[("", "—"), *VisaRefusalReason.choices], required=False
    )
    note = forms.CharField(
        label=_("Note for the file"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_("Not shown to the applicant. Required when the reason is “Other”."),
    )
