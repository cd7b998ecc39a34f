"""Shapes of human input for the appointment pages; rules stay in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amn.appointments.choices import BookingStatus

DATE = forms.DateInput(attrs={"type": "date", "dir": "ltr"}, format="%Y-%m-%d")


class CalendarGenerateForm(forms.Form):
    """Fill a range of days with slots at one office."""

    first_day = forms.DateField(label=_("First day"), widget=DATE)
    last_day = forms.DateField(label=_("Last day"), widget=DATE)
    minutes = forms.IntegerField(
        label=_("Minutes per slot"), min_value=5, max_value=480, initial=30
    )
    capacity = forms.IntegerField(
        label=_("Citizens per slot"), min_value=1, max_value=200, initial=4
    )


class SlotUpdateForm(forms.Form):
    """Change a slot's capacity, close or reopen it."""

    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=200, required=False)
    closed = forms.BooleanField(label=_("Closed to new bookings"), required=False)


class MarkForm(forms.Form):
    """The outcome of an appointment."""

    outcome = forms.ChoiceField(
        choices=[
            (BookingStatus.ATTENDED, BookingStatus.ATTENDED.label),
            (BookingStatus.NO_SHOW, BookingStatus.NO_SHOW.label),
        ]
    )
