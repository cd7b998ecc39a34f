"""The choice of a report in the back office."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportChoiceForm(forms.Form):
    """A year (2000–2100) and an optional unit code (empty: your unit, or the national root
    for national roles)."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    unit = forms.CharField(label=_("Police unit code"), max_length=40, required=False)
