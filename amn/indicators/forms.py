"""The dashboard's period and unit choice (a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amn.indicators.choices import Counting


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
