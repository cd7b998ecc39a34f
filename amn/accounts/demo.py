"""Demo accounts: one per role, posted so that unit scoping can be seen at work."""

from amn.accounts.choices import Role
from amn.accounts.models import User
from amn.accounts.services import citizen_register, staff_account_create
from amn.orgunits.models import OrgUnit

DEMO_PASSWORD = "amn-demo-2025"  # noqa: S105 — printed by `make demo`; demo data only

# username, role, unit code, first name, last name
DEMO_STAFF = (
    ("admin", Role.ADMINISTRATOR, "dgsn", "Amina", "Administrator"),
    ("analyst.hq", Role.ANALYST, "dgsn", "Youssef", "Analyst"),
    ("agent.agadir", Role.FRONT_DESK_AGENT, "ws-agadir-d1", "Hicham", "Agent"),
    ("agent.fes", Role.FRONT_DESK_AGENT, "ws-fes-d1", "Salma", "Agent"),
    ("officer.fes", Role.RECORDS_OFFICER, "ws-fes", "Karim", "Officer"),
    ("supervisor.rabat", Role.SUPERVISOR, "ws-rabat", "Nadia", "Supervisor"),
    ("hr.rabat", Role.HR_OFFICER, "ws-rabat", "Omar", "HR"),
    ("planner.rabat", Role.EVENT_PLANNER, "ws-rabat", "Leila", "Planner"),
)
DEMO_CITIZEN = {"email": "citizen@example.ma", "phone": "0612345678"}


def load_demo() -> str:
    """Create the demo accounts that do not exist yet; returns a summary line."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={r[2] for r in DEMO_STAFF})}
    created = 0
    for username, role, unit_code, first, last in DEMO_STAFF:
        if not User.objects.filter(username=username).exists():
            staff_account_create(actor=None, username=username, password=DEMO_PASSWORD,
                                 role=role, unit=units[unit_code], first_name=first,
                                 last_name=last)
            created += 1
    if not User.objects.filter(email=DEMO_CITIZEN["email"]).exists():
        citizen_register(password=DEMO_PASSWORD, first_name="Fatima", last_name="Citizen",
                         **DEMO_CITIZEN)
        created += 1
    return f"demo accounts: {created} created"
