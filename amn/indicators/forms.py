"""The dashboard's period and unit choice (a GET form) and the entry of an aggregate."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amn.core.localized_fields import localized
from amn.indicators.choices import Counting, IndicatorKind
from amn.indicators.models import Indicator


class FigureForm(forms.Form):
    """Year (among the years with records), unit code (empty: your unit, or the tree root
    for national roles) and, when the indicator offers it, the counting unit."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    unit = forms.CharField(label=_("Police unit code"), required=False, max_length=60)
    counting = forms.ChoiceField(
        label=_("Count"), required=False, choices=[("", _("default")), *Counting.choices]
    )

    def __init__(self, *args, years: tuple[int, int], offers_counting: bool, **kwargs):
        super().__init__(*args, **kwargs)
        first, last = years
        self.fields["year"].choices = [(year, year) for year in range(last, first - 1, -1)]
        self.fields["year"].initial = last
        if not offers_counting:
            del self.fields["counting"]


class PublicFigureForm(forms.Form):
    """The public statistics page's choice: a year among those with records and, for a
    breakdown by region, one public indicator that allows it."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    indicator = forms.ChoiceField(label=_("By region"), required=False)

    def __init__(self, *args, years: tuple[int, int], indicators: list[tuple[str, str]], **kw):
        super().__init__(*args, **kw)
        first, last = years
        self.fields["year"].choices = [(year, year) for year in range(last, first - 1, -1)]
        self.fields["year"].initial = last
        self.fields["indicator"].choices = [("", _("national totals only")), *indicators]


class IndicatorField(forms.ModelChoiceField):
    """An indicator shown by its name in the active language."""

    def label_from_instance(self, obj):
        return localized(obj, "name")


class AggregateEntryForm(forms.Form):
    """An entered figure: an indicator of kind "entered", its year and unit (empty: your
    unit), the value and the document it comes from (amn.indicators.services.
    aggregate_entry_record checks the rest)."""

    indicator = IndicatorField(
        label=_("Indicator"), queryset=Indicator.objects.filter(kind=IndicatorKind.ENTERED)
    )
    year = forms.IntegerField(label=_("Year"), min_value=1956, max_value=9999)
    unit = forms.CharField(label=_("Police unit code"), required=False, max_length=60)
    value = forms.DecimalField(label=_("Value"), min_value=0, max_digits=16, decimal_places=3)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("The document the figure is taken from: title, date, reference or address."),
    )
    source_date = forms.DateField(label=_("Date of the source"), help_text=_("YYYY-MM-DD"))
