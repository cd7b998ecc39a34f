from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user account may do; every role but CITIZEN is a staff role tied to a unit."""

    CITIZEN = "citizen", _("Citizen")
    FRONT_DESK_AGENT = "front_desk_agent", _("Front-desk agent")
    RECORDS_OFFICER = "records_officer", _("Records officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ANALYST = "analyst", _("Analyst")
    HR_OFFICER = "hr_officer", _("HR officer")
    EVENT_PLANNER = "event_planner", _("Event planner")
    ADMINISTRATOR = "administrator", _("Administrator")
