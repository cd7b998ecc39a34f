"""Demo calendars: every office receiving the public opens 30-minute slots for 4 citizens
over its opening hours for the next three weeks, and every coming mobile-unit stop opens
30-minute slots for 6 citizens over its hours. Loading again adds only the days missing."""

import datetime

from django.utils import timezone

from amn.appointments.selectors import office_list
from amn.appointments.services import slots_generate

DEMO_DAYS = 21


def load_demo() -> str:
    """Open the demo slots that do not exist yet; returns a summary line."""
    today = timezone.localdate()
    last = today + datetime.timedelta(days=DEMO_DAYS - 1)
    created = 0
    for unit in office_list():
        created += slots_generate(
            actor=None, unit=unit, first_day=today, last_day=last, minutes=30, capacity=4
        )
    from amn.mobileunits.models import Stop

    stops = Stop.objects.filter(date__gte=today, date__lte=last).select_related(
        "tour__mobile_unit__police_unit"
    )
    for stop in stops:
        created += slots_generate(
            actor=None, stop=stop, first_day=stop.date, last_day=stop.date, minutes=30, capacity=6
        )
    return f"appointment slots: {created} created"
