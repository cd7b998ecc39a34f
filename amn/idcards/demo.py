"""Demo CNIE service (fictitious people): applications at each step in Fès and Agadir, the
demo citizen's delivered card with a consent to one partner and two verification calls, a
card declared stolen with its replacement booked. Loaded once (skipped when the demo partner
exists); the partner's API key is printed in the summary line of that first load."""

import datetime

from django.utils import timezone

from amn.accounts.demo import DEMO_CITIZEN
from amn.accounts.models import User
from amn.appointments.selectors import slot_available_list
from amn.idcards import services
from amn.idcards.choices import ApplicationKind, LossKind
from amn.idcards.models import Partner
from amn.idcards.verification import VerificationRequest, identity_verify
from amn.orgunits.models import OrgUnit

D = datetime.date
DEMO_PARTNER = "Banque Atlas (demo)"

# office, agent, kind, Arabic family/given, Latin family/given, sex, birth date, step reached
# ("submitted", "booked", "enrolled", "in_production", "ready", "delivered"), guardian
DEMO_APPLICATIONS = (
    ("ws-fes-d1", "agent.fes", ApplicationKind.FIRST, "برادة", "يوسف", "Berrada", "Youssef", "M", D(1999, 11, 3), "booked", None),
    ("ws-fes-d1", "agent.fes", ApplicationKind.FIRST, "الشرايبي", "حمزة", "Chraibi", "Hamza", "M", D(2004, 2, 21), "enrolled", None),
    ("ws-fes-d1", "agent.fes", ApplicationKind.FIRST, "الإدريسي", "سلمى", "Idrissi", "Salma", "F", D(1987, 6, 30), "in_production", None),
    ("ws-fes-d1", "agent.fes", ApplicationKind.MINOR, "التازي", "عمر", "Tazi", "Omar", "M", D(2013, 9, 14), "ready", ("Tazi Ahmed", "C123456")),
    ("ws-agadir-d1", "agent.agadir", ApplicationKind.FIRST, "العمراني", "نادية", "Amrani", "Nadia", "F", D(1995, 1, 17), "submitted", None),
)
STEPS = ("submitted", "booked", "enrolled", "in_production", "ready", "delivered")
# The demo citizen's own card (account citizen@example.ma), and a card later stolen.
CITIZEN_IDENTITY = ("ws-fes-d1", "agent.fes", "العلمي", "فاطمة", "Alami", "Fatima", "F", D(1990, 5, 12))
STOLEN_IDENTITY = ("ws-agadir-d1", "agent.agadir", "الوزاني", "كريم", "Ouazzani", "Karim", "M", D(1983, 4, 8))


def _submit(actor, unit, kind, fam_ar, giv_ar, fam, giv, sex, born, guardian=None, **extra):
    data = services.PreApplication(
        kind=kind,
        family_name_ar=fam_ar,
        given_name_ar=giv_ar,
        family_name_latin=fam,
        given_name_latin=giv,
        sex=sex,
        birth_date=born,
        address="Demo address",
        unit_id=unit.pk,
        email=f"{giv.lower()}.{fam.lower()}@example.ma",
        guardian_name=guardian[0] if guardian else "",
        guardian_cnie=guardian[1] if guardian else "",
        language="fr",
        **extra,
    )
    application, _created = services.application_submit(actor=actor, data=data)
    return application


def _advance(application, agent, target: str) -> None:
    """Move `application` from submitted up to step `target`."""
    reached = STEPS.index(target)
    if reached >= STEPS.index("booked"):
        slot = slot_available_list(unit_id=application.unit_id).first()
        if slot is not None:
            services.application_book(actor=None, application_id=application.pk, slot_id=slot.pk)
    if reached >= STEPS.index("enrolled"):
        services.application_enrol(
            actor=agent, application_id=application.pk, photo_captured=True,
            fingerprints_captured=True,
        )
    if reached >= STEPS.index("in_production"):
        services.application_send_to_production(actor=agent, application_id=application.pk)
    if reached >= STEPS.index("ready"):
        services.application_mark_ready(actor=agent, application_id=application.pk)
    if reached >= STEPS.index("delivered"):
        services.application_deliver(actor=agent, application_id=application.pk)


def load_demo() -> str:
    """Create the demo CNIE records (once); returns a summary line."""
    if Partner.objects.filter(name=DEMO_PARTNER).exists():
        return "CNIE: already loaded"
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=("ws-fes-d1", "ws-agadir-d1"))}
    agents = {u.username: u for u in User.objects.filter(username__in=("agent.fes", "agent.agadir"))}
    if len(units) < 2 or len(agents) < 2:
        return "CNIE: skipped (demo units or agents missing)"
    for unit, agent, kind, fam_ar, giv_ar, fam, giv, sex, born, step, guardian in DEMO_APPLICATIONS:
        application = _submit(None, units[unit], kind, fam_ar, giv_ar, fam, giv, sex, born, guardian)
        _advance(application, agents[agent], step)

    citizen = User.objects.filter(email=DEMO_CITIZEN["email"]).first()
    unit, agent, fam_ar, giv_ar, fam, giv, sex, born = CITIZEN_IDENTITY
    own = _submit(citizen, units[unit], ApplicationKind.FIRST, fam_ar, giv_ar, fam, giv, sex, born)
    _advance(own, agents[agent], "delivered")
    own.refresh_from_db()

    partner, key = services.partner_create(actor=None, name=DEMO_PARTNER, kind="bank")
    services.consent_grant(actor=citizen, partner_id=partner.pk, cnie_number=own.cnie_number)
    for family in (fam, "Alaoui"):
        identity_verify(
            partner=partner,
            request=VerificationRequest(
                cnie=own.cnie_number, family_name=family, given_name=giv,
                birth_date=born.isoformat(),
            ),
        )

    unit, agent, fam_ar, giv_ar, fam, giv, sex, born = STOLEN_IDENTITY
    first = _submit(None, units[unit], ApplicationKind.FIRST, fam_ar, giv_ar, fam, giv, sex, born)
    _advance(first, agents[agent], "delivered")
    first.refresh_from_db()
    replacement = _submit(
        None, units[unit], ApplicationKind.REPLACEMENT, fam_ar, giv_ar, fam, giv, sex, born,
        cnie_number=first.cnie_number, loss_kind=LossKind.STOLEN,
        loss_circumstances="Demo: bag stolen at the market.",
    )
    _advance(replacement, agents[agent], "booked")
    today = timezone.localdate()
    return (
        f"CNIE: 8 applications, 1 partner ({DEMO_PARTNER}, API key {key} — shown once), "
        f"demo citizen's card {own.cnie_number} with consent, on {today.isoformat()}"
    )
