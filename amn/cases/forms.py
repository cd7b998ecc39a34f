"""The case entry form: the case, its offences and its persons involved (two formsets).

Forms give input its shape (types, ranges, a clearance date with a clearance) and name
the field and row of every error. Business rules stay in the services: a case with
problems (amn.cases.validation) is accepted, after the user confirms it, and waits in
the validation inbox.
"""

import datetime
import re
import uuid
from dataclasses import dataclass

from babel import Locale
from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from amn.access.scoping import is_national
from amn.cases import validation
from amn.cases.choices import (
    CaseStatus,
    Clearance,
    NetworkKind,
    PartyRole,
    Problem,
    QuantityUnit,
    Substance,
)
from amn.cases.models import Case, IccsCategory
from amn.cases.selectors import party_person_search
from amn.cases.services import CaseInput, NewPersonInput, OffenceInput, PartyInput
from amn.core.locale_format import babel_locale
from amn.core.localized_fields import localized
from amn.core.text_input import clean_text
from amn.core.text_search import search_fold
from amn.geo.models import Commune
from amn.orgunits.choices import UnitStatus
from amn.orgunits.models import OrgUnit
from amn.people.choices import Sex

DATE_WIDGET = {"type": "date", "dir": "ltr"}
# Babel territories that are not countries (European Union, Eurozone, UN, unknown, …).
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})
MAX_ROWS = 20
MAX_LINKED_CASES = 200


class QuickSelect(forms.Select):
    """A <select> rendered in Python rather than through one template include per
    <option>: the same markup as Django's Select, about four times faster per list. The
    entry form repeats long lists on every row (ICCS categories, countries); measured on
    the demo data, its page renders in about 0.1 s instead of 0.5 s."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # noqa: S308 (every part escaped by format_html)


def _attrs(attrs: dict) -> str:
    """HTML attributes as Django's attrs.html writes them (True: bare, False: left out)."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
            for key, value in attrs.items()
            if value is not False
        ),
    )


def _date_field(label, *, required=False, help_text=""):
    return forms.DateField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
    )


def _not_in_future(form: forms.Form, name: str) -> None:
    day = form.cleaned_data.get(name)
    if day is not None and day > timezone.localdate():
        form.add_error(name, _("This date is in the future."))


def recording_units(*, actor, current: OrgUnit | None = None):
    """Units `actor` may record a case for: the active units of their subtree (all active
    units for national roles), plus `current` (the unit of a case being corrected)."""
    units = OrgUnit.objects.filter(status=UnitStatus.ACTIVE)
    if not is_national(actor):
        units = units.filter(path__startswith=actor.unit.path)
    if current is not None:
        units = units | OrgUnit.objects.filter(pk=current.pk)
    return units.order_by("path")


class UnitChoiceField(forms.ModelChoiceField):
    """A police unit shown by its name in the active language."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


def iccs_choices() -> list:
    """ICCS categories for a <select>, grouped by section (<optgroup>), labelled in the
    active language: [("", "—"), ("01 Acts leading to death…", [("0101", "0101 …"), …]), …].
    """
    sections: dict[str, list] = {}
    labels: dict[str, str] = {}
    for category in IccsCategory.objects.order_by("code"):
        label = f"{category.code} {localized(category, 'label')}"
        section = category.code[:2]
        if category.level == 1:
            labels[section] = label
        sections.setdefault(section, []).append((category.code, label))
    return [("", "—")] + [(labels.get(s, s), options) for s, options in sections.items()]


def country_choices() -> list[tuple[str, str]]:
    """ISO 3166-1 alpha-2 codes named in the active language, Morocco first."""
    names = Locale.parse(babel_locale()).territories
    countries = sorted(
        (
            (code, name)
            for code, name in names.items()
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        ),
        key=lambda item: item[1],
    )
    return [("", "—"), ("MA", names["MA"])] + [c for c in countries if c[0] != "MA"]


def commune_label(commune: Commune) -> str:
    """How a commune is written in the commune field: "Fès — فاس (03.231.01.0)"."""
    return f"{commune.name_fr} — {commune.name_ar} ({commune.code})"


def commune_options() -> list[str]:
    """Every commune as commune_label writes it, for the field's <datalist>."""
    return [
        f"{fr} — {ar} ({code})"
        for code, fr, ar in Commune.objects.order_by("name_fr", "code").values_list(
            "code", "name_fr", "name_ar"
        )
    ]


_CODE_AT_END = re.compile(r"\(([0-9.]+)\)\s*$")


class CommuneField(forms.CharField):
    """A commune typed by name (French or Arabic, folded: "fes" finds Fès) or picked from
    the list ("Fès — فاس (03.231.01.0)"); cleans to a Commune or None when empty."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 250)
        super().__init__(**kwargs)

    def clean(self, value):
        text = clean_text(super().clean(value))
        if not text:
            return None
        code = _CODE_AT_END.search(text)
        if code:
            commune = Commune.objects.filter(code=code.group(1)).first()
            if commune is not None:
                return commune
        folded = search_fold(_CODE_AT_END.sub("", text))
        # search_name is "<folded French name> <folded Arabic name>".
        candidates = Commune.objects.filter(
            Q(search_name__startswith=f"{folded} ") | Q(search_name__endswith=f" {folded}")
        )
        matches = [
            commune
            for commune in candidates
            if folded in (search_fold(commune.name_fr), search_fold(commune.name_ar))
        ]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(
                _("No commune is named “%(name)s”: choose one from the list."),
                params={"name": text},
            )
        raise forms.ValidationError(
            _("Several communes are named “%(name)s”: choose one from the list."),
            params={"name": text},
        )


class CaseForm(forms.Form):
    """The case itself."""

    recording_unit = UnitChoiceField(
        label=_("Recording unit"), queryset=OrgUnit.objects.none(), widget=QuickSelect
    )
    commune = CommuneField(
        label=_("Commune"),
        required=False,
        help_text=_("Type a few letters of the name in French or Arabic, then pick it."),
        widget=forms.TextInput(
            attrs={"list": "commune-options", "autocomplete": "off", "dir": "auto"}
        ),
    )
    occurred_on = _date_field(_("Occurred on"), required=True)
    reported_on = _date_field(_("Reported on"))
    recorded_on = _date_field(_("Recorded on"), required=True)
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices, widget=QuickSelect)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    accept_problems = forms.BooleanField(
        label=_("Save it anyway: the case will wait in the validation inbox, out of the figures"),
        required=False,
    )

    def __init__(self, *args, actor, current_unit: OrgUnit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recording_unit"].queryset = recording_units(actor=actor, current=current_unit)

    def clean(self):
        data = super().clean()
        for name in ("occurred_on", "reported_on", "recorded_on"):
            _not_in_future(self, name)
        return data


class OffenceForm(forms.Form):
    """One offence: ICCS code and clearance (date, and reason for exceptional means)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    iccs = forms.ChoiceField(label=_("ICCS code"), required=False, widget=QuickSelect)
    clearance = forms.ChoiceField(
        label=_("Clearance"),
        choices=Clearance.choices,
        initial=Clearance.NOT_CLEARED,
        widget=QuickSelect,
    )
    cleared_on = _date_field(_("Cleared on"))
    exceptional_reason = forms.CharField(
        label=_("Reason for exceptional clearance"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )

    def __init__(self, *args, iccs_choices: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["iccs"].choices = iccs_choices

    def clean_exceptional_reason(self):
        return clean_text(self.cleaned_data["exceptional_reason"])

    def clean(self):
        data = super().clean()
        clearance, cleared_on = data.get("clearance"), data.get("cleared_on")
        if clearance and clearance != Clearance.NOT_CLEARED and cleared_on is None:
            self.add_error("cleared_on", _("A cleared offence needs the date of its clearance."))
        if clearance == Clearance.NOT_CLEARED and cleared_on is not None:
            self.add_error("cleared_on", _("An offence that is not cleared has no clearance date."))
        _not_in_future(self, "cleared_on")
        return data


NOT_LINKED = ""
NEW_PERSON = "new"


def person_label(person) -> str:
    """How a registry person is offered in a party row: names in Latin and Arabic script,
    CNIE number and birth (a date, or only the year when only the year is known)."""
    latin = " ".join(p for p in (person.family_name_latin.upper(), person.given_name_latin) if p)
    arabic = " ".join(p for p in (person.family_name_ar, person.given_name_ar) if p)
    parts = [part for part in (latin, arabic) if part]
    if person.cnie_number:
        parts.append(_("CNIE %(number)s") % {"number": person.cnie_number})
    if person.birth_date is not None:
        parts.append(_("born %(date)s") % {"date": person.birth_date.isoformat()})
    elif person.birth_year is not None:
        parts.append(_("born in %(year)d") % {"year": person.birth_year})
    return " · ".join(parts)


class PartyForm(forms.Form):
    """One person involved: role, sex, age at the time, nationality, arrest date, and the
    registry person: found by CNIE or name (`person_query` and the row's search button),
    picked in `person`, or created from the `new_*` fields."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", "—"), *PartyRole.choices], widget=QuickSelect
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Sex.choices], required=False, widget=QuickSelect
    )
    age_at_time = forms.IntegerField(
        label=_("Age at the time"),
        required=False,
        min_value=0,
        max_value=120,
        help_text=_("Left empty for a registry person: computed from the date of birth."),
    )
    nationality = forms.ChoiceField(label=_("Nationality"), required=False, widget=QuickSelect)
    arrested_on = _date_field(
        _("Arrested on"), help_text=_("The date of this person's arrest, if arrested.")
    )
    person_query = forms.CharField(
        label=_("Find in the registry"),
        required=False,
        max_length=100,
        help_text=_("A CNIE number, or names in Arabic or Latin letters; then “Search”."),
        widget=forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
    )
    person = forms.ChoiceField(label=_("Registry person"), required=False, widget=QuickSelect)
    new_family_name = forms.CharField(
        label=_("Family name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    new_given_name = forms.CharField(
        label=_("Given name"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    new_birth_date = _date_field(_("Date of birth"))
    new_birth_year = forms.IntegerField(
        label=_("Year of birth"),
        required=False,
        min_value=1900,
        max_value=2100,
        help_text=_("Only when the exact date is not known."),
    )
    new_cnie = forms.CharField(
        label=_("CNIE number"),
        required=False,
        max_length=16,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )

    NEW_PERSON_FIELDS = (
        "new_family_name",
        "new_given_name",
        "new_birth_date",
        "new_birth_year",
        "new_cnie",
    )

    def __init__(self, *args, countries: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = countries
        self.person_choices([])

    def basic_fields(self) -> list:
        """The bound fields of the person involved (hidden id and removal box included)."""
        names = ("id", "role", "sex", "age_at_time", "nationality", "arrested_on", "DELETE")
        return [self[name] for name in names if name in self.fields]

    def new_person_fields(self) -> list:
        """The bound fields describing a person to add to the registry."""
        return [self[name] for name in self.NEW_PERSON_FIELDS]

    def person_choices(self, persons: list[tuple[str, str]]) -> None:
        """Offer `persons` ((UUID text, label), …) besides "not linked" and "new"."""
        self.fields["person"].choices = [
            (NOT_LINKED, _("Not linked to the registry")),
            *persons,
            (NEW_PERSON, _("New registry person, from the fields below")),
        ]

    def clean_person_query(self) -> str:
        return clean_text(self.cleaned_data["person_query"])

    def clean_new_family_name(self) -> str:
        return clean_text(self.cleaned_data["new_family_name"])

    def clean_new_given_name(self) -> str:
        return clean_text(self.cleaned_data["new_given_name"])

    def clean_new_cnie(self) -> str:
        from amn.people.cnie import cnie_normalise

        text = clean_text(self.cleaned_data["new_cnie"])
        if not text:
            return ""
        cnie = cnie_normalise(text)
        if cnie is None:
            raise forms.ValidationError(
                _("A CNIE number is one or two letters followed by digits, e.g. BE123456.")
            )
        return cnie

    def clean(self):
        data = super().clean()
        _not_in_future(self, "arrested_on")
        _not_in_future(self, "new_birth_date")
        typed = [name for name in self.NEW_PERSON_FIELDS if data.get(name) not in (None, "")]
        if data.get("person") == NEW_PERSON:
            if not data.get("new_family_name"):
                self.add_error("new_family_name", _("Give the new person's family name."))
            if data.get("new_birth_date") and data.get("new_birth_year"):
                self.add_error(
                    "new_birth_year", _("Give the date of birth or only the year, not both.")
                )
        elif typed:
            self.add_error(
                "person",
                _(
                    "Choose “New registry person” to add the person typed below, "
                    "or empty those fields."
                ),
            )
        return data

    def party_input(self) -> PartyInput:
        """The row as amn.cases.services takes it (call after is_valid())."""
        row = self.cleaned_data
        new_person = None
        if row["person"] == NEW_PERSON:
            new_person = NewPersonInput(
                family_name=row["new_family_name"],
                given_name=row["new_given_name"],
                birth_date=row["new_birth_date"],
                birth_year=row["new_birth_year"],
                cnie_number=row["new_cnie"],
            )
        linked = row["person"] not in (NOT_LINKED, NEW_PERSON)
        return PartyInput(
            role=row["role"],
            person_id=uuid.UUID(row["person"]) if linked else None,
            sex=row["sex"],
            age_at_time=row["age_at_time"],
            nationality=row["nationality"],
            arrested_on=row["arrested_on"],
            new_person=new_person,
        )


class _RowsFormSet(forms.BaseFormSet):
    """Rows of a case: recorded rows (initial forms) and filled-in new rows are kept
    unless their "remove" box is ticked; untouched new rows are ignored."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this row")

    def live_forms(self) -> list[forms.Form]:
        """The rows to save, in page order (call after is_valid())."""
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]


OffenceFormSet = forms.formset_factory(
    OffenceForm,
    formset=_RowsFormSet,
    extra=2,
    min_num=1,
    validate_min=True,
    max_num=MAX_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS,
    can_delete=True,
)
PartyFormSet = forms.formset_factory(
    PartyForm,
    formset=_RowsFormSet,
    extra=3,
    max_num=MAX_ROWS,
    validate_max=True,
    absolute_max=MAX_ROWS,
    can_delete=True,
)


@dataclass(frozen=True)
class Notice:
    """An error or a problem, placed: `where` names the part and row ("Offence 2 ·
    Cleared on"), `field_id` is the id of the input to jump to."""

    where: str
    message: str
    field_id: str


# Which input each problem of an offence points at.
_OFFENCE_PROBLEM_FIELD = {
    Problem.MISSING_ICCS: "iccs",
    Problem.CLEARED_WITHOUT_ARREST: "clearance",
    Problem.EXCEPTIONAL_WITHOUT_REASON: "exceptional_reason",
    Problem.CLEARED_BEFORE_OCCURRED: "cleared_on",
}


class CaseEntry:
    """The case form and its two formsets, bound or not, for a new case or a correction.

    Args:
        data: request.POST, or None for an empty (or prefilled) form.
        actor: the User entering the case (limits the recording units).
        case: the case being corrected (prefills the form), or None for a new case.
        other_arrests: arrests of the case recorded without a person (imports): they
            count for the clearance rule.
    """

    def __init__(
        self,
        data=None,
        *,
        actor,
        case: Case | None = None,
        other_arrests: int = 0,
        search: str | None = None,
    ):
        self.case = case
        self.actor = actor
        self.other_arrests = other_arrests
        # A registry search for one person row (its prefix, "parties-2"): the form is shown
        # again with the persons found, and nothing is saved.
        self.search = search if data is not None else None
        self.found: list = []
        if self.search is not None:
            self.found = party_person_search(
                actor=actor, query=data.get(f"{self.search}-person_query", "")
            )
            if len(self.found) == 1:  # one answer: picked already
                data = data.copy()
                data[f"{self.search}-person"] = str(self.found[0].pk)
        initial, offences, parties = _initial(case) if case is not None else ({}, None, None)
        if case is None:
            initial = {"recorded_on": timezone.localdate(), "status": CaseStatus.OPEN}
            if actor.unit is not None and actor.unit.status == UnitStatus.ACTIVE:
                initial["recording_unit"] = actor.unit.pk
        self.form = CaseForm(
            data,
            actor=actor,
            current_unit=case.recording_unit if case is not None else None,
            initial=initial,
        )
        self.offences = OffenceFormSet(
            data,
            prefix="offences",
            initial=offences,
            form_kwargs={"iccs_choices": iccs_choices()},
            error_messages={"too_few_forms": _("Enter at least one offence.")},
        )
        self.parties = PartyFormSet(
            data,
            prefix="parties",
            initial=parties,
            form_kwargs={"countries": country_choices()},
        )
        if case is not None:
            self.offences.extra = self.parties.extra = 1
        self.warnings: list[Notice] = []
        self._offer_persons()

    def _offer_persons(self) -> None:
        """Each person row offers, besides "not linked" and "new": the registry person
        linked already or submitted (read through amn.people.selectors.access_person, so
        each read is audited; one outside the actor's units is offered only when it is the
        link recorded before), and, in the row searched, the persons found."""
        for form in self.parties.forms:
            current = str(form.initial.get("person") or "")
            submitted = form.data.get(form.add_prefix("person"), "") if form.is_bound else ""
            offered: dict[str, str] = {}
            for value in dict.fromkeys((current, submitted)):
                label = self._linked_label(value, recorded=value == current)
                if label:
                    offered[value] = label
            if form.prefix == self.search:
                for person in self.found:
                    offered.setdefault(str(person.pk), person_label(person))
            form.person_choices(list(offered.items()))

    def _linked_label(self, value: str, *, recorded: bool) -> str:
        from amn.people.selectors import access_person

        try:
            person_id = uuid.UUID(value)
        except ValueError:
            return ""
        try:
            person = access_person(actor=self.actor, person_id=person_id, reason="case party")
        except Http404:
            return (
                str(_("The registry person linked before (outside your units)")) if recorded else ""
            )
        return person_label(person)

    @property
    def searched_form(self):
        """The person row of the registry search, or None."""
        return next((f for f in self.parties.forms if f.prefix == self.search), None)

    def quiet(self) -> None:
        """Show the submitted values without errors (after a registry search)."""
        for form in [self.form, *self.offences.forms, *self.parties.forms]:
            form._errors = ErrorDict()
        for formset in (self.offences, self.parties):
            formset._non_form_errors = formset.error_class()

    def refuse(self, error) -> None:
        """Place a service's refusal: on its person row and field (RefusedValue.row and
        .field), else on the case form."""
        field = getattr(error, "field", None)
        row = getattr(error, "row", None)
        form = self.form
        if row is not None:
            live = self.parties.live_forms()
            if row < len(live):
                form = live[row]
        form.add_error(field if field in form.fields else None, str(error))

    def is_valid(self) -> bool:
        """True when every part is valid (shape only; problems are warnings)."""
        return all([self.form.is_valid(), self.offences.is_valid(), self.parties.is_valid()])

    def case_input(self) -> CaseInput:
        """The cleaned input as the services take it (call after is_valid())."""
        case = self.form.cleaned_data
        return CaseInput(
            recording_unit_id=case["recording_unit"].pk,
            commune_id=case["commune"].pk if case["commune"] else None,
            occurred_on=case["occurred_on"],
            reported_on=case["reported_on"],
            recorded_on=case["recorded_on"],
            narrative=case["narrative"],
            status=case["status"],
            offences=[
                OffenceInput(
                    iccs_code=row["iccs"] or None,
                    clearance=row["clearance"],
                    cleared_on=row["cleared_on"],
                    exceptional_reason=row["exceptional_reason"],
                )
                for row in (form.cleaned_data for form in self.offences.live_forms())
            ],
            parties=[form.party_input() for form in self.parties.live_forms()],
        )

    def offence_ids(self) -> list[int | None]:
        """Ids of the submitted offences (None for new rows), aligned with case_input()."""
        return [form.cleaned_data.get("id") for form in self.offences.live_forms()]

    def party_ids(self) -> list[int | None]:
        """Ids of the submitted persons (None for new rows), aligned with case_input()."""
        return [form.cleaned_data.get("id") for form in self.parties.live_forms()]

    def find_problems(self) -> list[Notice]:
        """The problems the case would be saved with (amn.cases.validation), each placed on
        its field and row; also kept in `self.warnings`. Call after is_valid()."""
        data = self.case_input()
        arrests = self.other_arrests + sum(1 for p in data.parties if p.arrested_on)
        dates = {
            "occurred_on": data.occurred_on,
            "reported_on": data.reported_on,
            "recorded_on": data.recorded_on,
        }
        notices = []
        problems = validation.case_problems(**dates, offences=[], arrest_count=arrests)
        if Problem.DATES_OUT_OF_ORDER in problems:
            name = "reported_on" if data.reported_on is not None else "recorded_on"
            self._note(
                notices,
                self.form[name].label,
                _("Dates out of order: a case occurs, then is reported, then recorded."),
                self.form[name],
            )
        for number, (form, offence) in enumerate(
            zip(self.offences.live_forms(), data.offences, strict=True), start=1
        ):
            facts = validation.OffenceFacts(
                offence.iccs_code, offence.clearance, offence.cleared_on, offence.exceptional_reason
            )
            for problem in validation.case_problems(
                **dates, offences=[facts], arrest_count=arrests
            ):
                name = _OFFENCE_PROBLEM_FIELD.get(problem)
                if name is None:
                    continue
                self._note(
                    notices,
                    _row_label(_("Offence %(number)s"), number, form[name].label),
                    Problem(problem).label,
                    form[name],
                )
        self.warnings = notices
        return notices

    def _note(self, notices: list[Notice], where, message, bound) -> None:
        """Add a problem to the summary and to its field (shown under the input)."""
        notices.append(Notice(str(where), str(message), bound.id_for_label))
        bound.problems = [*getattr(bound, "problems", []), str(message)]

    def errors(self) -> list[Notice]:
        """Every error of the form and its rows, in page order, for the error summary."""
        notices = [
            Notice(_where(self.form, name), message, _field_id(self.form, name))
            for name, messages in self.form.errors.items()
            for message in messages
        ]
        for formset, row_name in (
            (self.offences, _("Offence %(number)s")),
            (self.parties, _("Person %(number)s")),
        ):
            # A tampered or missing management form leaves the formset without rows.
            anchor = _field_id(formset.forms[0], "") if formset.forms else ""
            for message in formset.non_form_errors():
                notices.append(Notice("", message, anchor))
            for number, form in enumerate(formset.forms, start=1):
                if formset._should_delete_form(form):
                    continue
                for name, messages in form.errors.items():
                    label = form[name].label if name in form.fields else ""
                    for message in messages:
                        notices.append(
                            Notice(
                                _row_label(row_name, number, label),
                                message,
                                _field_id(form, name),
                            )
                        )
        return notices


def _row_label(row_name, number: int, field_label) -> str:
    """ "Offence 2 · Cleared on"."""
    row = row_name % {"number": number}
    return f"{row} · {field_label}" if field_label else str(row)


def _where(form: forms.Form, name: str) -> str:
    return str(form[name].label) if name in form.fields else ""


def _field_id(form: forms.Form, name: str) -> str:
    """The id of input `name`, or of the form's first visible input for errors that
    concern the whole form or row."""
    if name in form.fields and not form.fields[name].widget.is_hidden:
        return form[name].id_for_label
    return form.visible_fields()[0].id_for_label


def _initial(case: Case) -> tuple[dict, list[dict], list[dict]]:
    """The form's initial values from a recorded case (offences and persons in order)."""
    first_arrest: dict[int, datetime.date] = {}
    for arrest in case.arrests.all():
        if arrest.party_id is not None:
            first_arrest.setdefault(arrest.party_id, arrest.arrested_on)
    initial = {
        "recording_unit": case.recording_unit_id,
        "commune": commune_label(case.commune) if case.commune else "",
        "occurred_on": case.occurred_on,
        "reported_on": case.reported_on,
        "recorded_on": case.recorded_on,
        "status": case.status,
        "narrative": case.narrative,
    }
    offences = [
        {
            "id": o.pk,
            "iccs": o.iccs_id or "",
            "clearance": o.clearance,
            "cleared_on": o.cleared_on,
            "exceptional_reason": o.exceptional_reason,
        }
        for o in case.offences.all()
    ]
    parties = [
        {
            "id": p.pk,
            "role": p.role,
            "sex": p.sex,
            "age_at_time": p.age_at_time,
            "nationality": p.nationality,
            "arrested_on": first_arrest.get(p.pk),
            "person": str(p.person_id) if p.person_id else NOT_LINKED,
        }
        for p in case.parties.all()
    ]
    return initial, offences, parties


# -- seizures and criminal networks ---------------------------------------------------------

_REFERENCE_SEPARATORS = re.compile(r"[\s,;،]+")


def _references(text: str) -> list[str]:
    """Case references typed in a field, separated by spaces, commas, semicolons or new
    lines (Arabic comma included), upper-cased, each once, in the order typed."""
    parts = (part.upper() for part in _REFERENCE_SEPARATORS.split(clean_text(text or "")))
    return list(dict.fromkeys(part for part in parts if part))


class SeizureForm(forms.Form):
    """A drug seizure and its custody chain. Shape only: the rules (positive quantity, a
    unit that fits the substance, no destruction before the seizure, units and cases in
    scope) are amn.cases.services.seizure_record's, whose refusals land on their field."""

    case = forms.CharField(
        label=_("Case reference"),
        required=False,
        max_length=24,
        help_text=_("The case the seizure belongs to (e.g. CJ-2025-000123), if any."),
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    substance = forms.ChoiceField(
        label=_("Substance"), choices=[("", "—"), *Substance.choices], widget=QuickSelect
    )
    quantity = forms.DecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=3,
        widget=forms.NumberInput(attrs={"step": "any", "dir": "ltr"}),
    )
    quantity_unit = forms.ChoiceField(
        label=_("Unit"), choices=[("", "—"), *QuantityUnit.choices], widget=QuickSelect
    )
    seized_on = _date_field(_("Seized on"), required=True)
    seized_by = UnitChoiceField(
        label=_("Seized by"), queryset=OrgUnit.objects.none(), widget=QuickSelect
    )
    stored_at = forms.CharField(
        label=_("Stored at"),
        required=False,
        max_length=200,
        help_text=_("Where the seized goods are kept (store, court registry …)."),
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    destroyed_on = _date_field(_("Destroyed on"))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seized_by"].queryset = recording_units(actor=actor)

    def clean_case(self) -> str:
        references = _references(self.cleaned_data["case"])
        if len(references) > 1:
            raise forms.ValidationError(_("Give one case reference."))
        return references[0] if references else ""

    def clean_stored_at(self) -> str:
        return clean_text(self.cleaned_data["stored_at"])


class CustodyForm(forms.Form):
    """The later links of a seizure's custody chain: where it is kept, when destroyed."""

    stored_at = SeizureForm.base_fields["stored_at"]
    destroyed_on = _date_field(_("Destroyed on"))

    def clean_stored_at(self) -> str:
        return clean_text(self.cleaned_data["stored_at"])


class NetworkForm(forms.Form):
    """A dismantled criminal network. Shape only: the rules (members arrested not
    negative, a date not to come, unit and linked cases in scope) are
    amn.cases.services.network_record's."""

    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", "—"), *NetworkKind.choices], widget=QuickSelect
    )
    unit = UnitChoiceField(
        label=_("Dismantled by"), queryset=OrgUnit.objects.none(), widget=QuickSelect
    )
    dismantled_on = _date_field(_("Dismantled on"), required=True)
    members_arrested = forms.IntegerField(
        label=_("Members arrested"),
        max_value=100_000,
        widget=forms.NumberInput(attrs={"dir": "ltr"}),
    )
    cases = forms.CharField(
        label=_("Linked cases"),
        required=False,
        max_length=2000,
        help_text=_("References of the network's cases, separated by spaces or commas."),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "ltr"}),
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = recording_units(actor=actor)

    def clean_cases(self) -> list[str]:
        references = _references(self.cleaned_data["cases"])
        if len(references) > MAX_LINKED_CASES:
            raise forms.ValidationError(
                _("Link at most %(n)d cases here.") % {"n": MAX_LINKED_CASES}
            )
        return references
