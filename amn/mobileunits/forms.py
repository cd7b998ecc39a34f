"""Shapes of human input of the mobile-unit pages; business rules stay in services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amn.core.digits import ascii_digits
from amn.mobileunits.choices import TourStatus


class ArabicDigitsIntegerField(forms.IntegerField):
    """An integer typed with Western or Arabic-Indic digits (normalised before parsing)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value).strip()
        return super().to_python(value)


class StopResultsForm(forms.Form):
    """The outcome of one stop: three whole numbers, none negative."""

    applications_received = ArabicDigitsIntegerField(
        label=_("Applications received"), min_value=0, max_value=100_000
    )
    cards_delivered = ArabicDigitsIntegerField(
        label=_("Cards delivered"), min_value=0, max_value=100_000
    )
    people_served = ArabicDigitsIntegerField(
        label=_("People served"),
        min_value=0,
        max_value=100_000,
        help_text=_("Everyone who applied, collected a card or asked for information."),
    )


class TourFilterForm(forms.Form):
    """Filters of the tour list."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *list(TourStatus.choices)], required=False
    )


class UpcomingStopsForm(forms.Form):
    """Filters of the public list of upcoming stops: a region (HCP code)."""

    region = forms.ChoiceField(label=_("Region"), required=False)

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("All regions")), *list(regions)]
