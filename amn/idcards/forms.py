"""Shapes of human input for the CNIE pages; business rules stay in amn.idcards.services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amn.appointments.selectors import office_list
from amn.core.digits import ascii_digits
from amn.core.localized_fields import localized
from amn.idcards.choices import ApplicationKind, LossKind
from amn.idcards.services import NAME_SCRIPTS, PreApplication
from amn.people.choices import Sex
from amn.people.registry_io import FieldProblem, name_parse

STOP_DAYS_AHEAD = 60


class AsciiDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (or picked), Arabic-Indic digits accepted. Only the ISO
    form: the active language's own formats would read 04/05/2006 as 5 April in English
    and 4 May in French."""

    widget = forms.DateInput(attrs={"type": "date"})
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Give a date that exists, as year-month-day: 1990-05-17."),
    }

    def to_python(self, value):
        return super().to_python(ascii_digits(value) if isinstance(value, str) else value)


def place_choices() -> list:
    """Choices of the place field: offices ("unit:<id>") grouped under their heading, then
    the coming mobile-unit stops ("stop:<uuid>") when there are any."""
    offices = [
        (
            f"unit:{unit.pk}",
            f"{localized(unit, 'name')} — {localized(unit.commune, 'name')}"
            if unit.commune
            else localized(unit, "name"),
        )
        for unit in office_list()
    ]
    choices = [("", _("Choose…")), (_("Offices"), offices)]
    stops = upcoming_stops()
    if stops:
        choices.append((_("Mobile-unit stops"), stops))
    return choices


def upcoming_stops() -> list[tuple[str, str]]:
    """(value, label) of the mobile-unit stops of the next STOP_DAYS_AHEAD days."""
    from amn.mobileunits.models import Stop

    today = timezone.localdate()
    stops = (
        Stop.objects.filter(date__gte=today, date__lte=today + datetime.timedelta(STOP_DAYS_AHEAD))
        .select_related("commune")
        .order_by("date", "starts_at")
    )
    return [
        (
            f"stop:{stop.pk}",
            f"{localized(stop.commune, 'name')} — {stop.date.isoformat()} "
            f"{stop.starts_at:%H:%M}–{stop.ends_at:%H:%M}",
        )
        for stop in stops
    ]


class PreApplicationForm(forms.Form):
    """The online pre-application (identity, address, place, contact; the fields of the
    kind chosen)."""

    kind = forms.ChoiceField(label=_("Kind of application"), choices=ApplicationKind.choices)
    family_name_ar = forms.CharField(label=_("Family name (Arabic)"), max_length=100)
    given_name_ar = forms.CharField(label=_("Given name (Arabic)"), max_length=100)
    family_name_latin = forms.CharField(label=_("Family name (Latin)"), max_length=100)
    given_name_latin = forms.CharField(label=_("Given name (Latin)"), max_length=100)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    birth_date = AsciiDateField(label=_("Date of birth"))
    birth_place = forms.CharField(label=_("Place of birth"), max_length=120, required=False)
    address = forms.CharField(label=_("Address"), max_length=250)
    place = forms.ChoiceField(label=_("Office or mobile-unit stop"))
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("For SMS notices, e.g. 0612345678."),
    )
    cnie_number = forms.CharField(
        label=_("Number of your current card"),
        max_length=20,
        required=False,
        help_text=_("For a renewal, a replacement or a change of data, e.g. BE123456."),
    )
    loss_kind = forms.ChoiceField(
        label=_("The card was"),
        choices=[("", "—"), *LossKind.choices],
        required=False,
        help_text=_("For a replacement: the card is invalidated as soon as you submit."),
    )
    loss_circumstances = forms.CharField(
        label=_("Circumstances of the loss or theft"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    guardian_name = forms.CharField(
        label=_("Parent or guardian (full name)"),
        max_length=200,
        required=False,
        help_text=_("For a minor's card."),
    )
    guardian_cnie = forms.CharField(
        label=_("CNIE number of the parent or guardian"), max_length=20, required=False
    )
    change_details = forms.CharField(
        label=_("Data to change"),
        max_length=300,
        required=False,
        help_text=_("For a change of data: new address, marriage, …"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = place_choices()

    def _name(self, field: str) -> str:
        """The name in `field` as amn.people.registry_io.name_parse cleans it (letters of
        the field's script, spaces, hyphens, apostrophes); its problem beside the field."""
        try:
            return name_parse(self.cleaned_data[field], script=NAME_SCRIPTS[field])
        except FieldProblem as problem:
            raise forms.ValidationError(str(problem)) from None

    def clean_family_name_ar(self):
        return self._name("family_name_ar")

    def clean_given_name_ar(self):
        return self._name("given_name_ar")

    def clean_family_name_latin(self):
        return self._name("family_name_latin")

    def clean_given_name_latin(self):
        return self._name("given_name_latin")

    def pre_application(self, *, language: str) -> PreApplication:
        """The cleaned form as the service's input."""
        data = self.cleaned_data
        place_kind, _sep, place_id = data["place"].partition(":")
        return PreApplication(
            kind=data["kind"],
            family_name_latin=data["family_name_latin"],
            given_name_latin=data["given_name_latin"],
            family_name_ar=data["family_name_ar"],
            given_name_ar=data["given_name_ar"],
            sex=data["sex"],
            birth_date=data["birth_date"],
            birth_place=data["birth_place"],
            address=data["address"],
            unit_id=int(place_id) if place_kind == "unit" else None,
            stop_id=place_id if place_kind == "stop" else None,
            email=data["email"],
            phone=data["phone"],
            cnie_number=data["cnie_number"],
            loss_kind=data["loss_kind"],
            loss_circumstances=data["loss_circumstances"],
            guardian_name=data["guardian_name"],
            guardian_cnie=data["guardian_cnie"],
            change_details=data["change_details"],
            language=language,
        )


class TrackForm(forms.Form):
    """Reference and date of birth: the keys of the public tracking page."""

    reference = forms.CharField(
        label=_("Reference"),
        max_length=30,
        help_text=_("As in your receipt, e.g. CN-2026-7KQ4M2XD."),
    )
    birth_date = AsciiDateField(label=_("Date of birth"))


class SlotChoiceForm(forms.Form):
    """The slot chosen for an appointment (its id)."""

    slot = forms.UUIDField(widget=forms.HiddenInput)


class EnrolmentForm(forms.Form):
    """The agent confirms that the capture stations took the photo and the fingerprints."""

    photo_captured = forms.BooleanField(label=_("Photo captured"), required=False)
    fingerprints_captured = forms.BooleanField(label=_("Fingerprints captured"), required=False)


class LossDeclarationForm(forms.Form):
    """A loss or theft declared at a counter."""

    cnie_number = forms.CharField(label=_("CNIE number"), max_length=20)
    kind = forms.ChoiceField(label=_("The card was"), choices=LossKind.choices)
    circumstances = forms.CharField(
        label=_("Circumstances"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ConsentForm(forms.Form):
    """A consent to a partner: the card number (at a counter) and the partner."""

    cnie_number = forms.CharField(label=_("CNIE number"), max_length=20)
    partner = forms.UUIDField(label=_("Partner"))

    def __init__(self, *args, partners=(), fixed_numbers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].widget = forms.Select(
            choices=[(str(p.pk), f"{p.name} ({p.get_kind_display()})") for p in partners]
        )
        if fixed_numbers is not None:
            self.fields["cnie_number"].widget = forms.Select(
                choices=[(number, number) for number in sorted(fixed_numbers)]
            )
