"""Demo certificate applications (fictitious people), run through the real services and the
real registry check against the demo registry of amn.people.demo:

- Salma Berrada, no record: checked and issued automatically, electronic delivery (her
  PDF downloads from the tracking page: reference below, born 1995-02-11);
- Mohamed El Amrani, born 1975 in Oujda (year only): a namesake is on the registry, so the
  request waits in the review queue of the 1st police district of Agadir (agent.agadir);
- Abderrahim Soussi: the registry person with a conviction; agent.agadir decided "record
  found", which waits for a supervisor's confirmation (supervisor.agadir, created here:
  the four-eyes rule needs a second person in Agadir);
- Nadia Berrada: submitted, check not run yet ("in progress" until `amn db_worker`).

Idempotent: an application whose CNIE already has one is left alone.
"""

import datetime
import logging

from django.contrib.auth.models import AnonymousUser

from amn.accounts.choices import Role
from amn.accounts.demo import DEMO_PASSWORD
from amn.accounts.models import User
from amn.accounts.services import staff_account_create
from amn.certificates import services
from amn.certificates.choices import ApplicationStatus, Delivery, Purpose
from amn.certificates.models import CertificateApplication
from amn.geo.models import Commune
from amn.orgunits.models import OrgUnit
from amn.people.identity import PartialDate

logger = logging.getLogger(__name__)

AGADIR_STATION = "ws-agadir-d1"
EXTRA_SUPERVISOR = ("supervisor.agadir", "ws-agadir", "Rachid", "Supervisor")

# CNIE, names (ar given, ar family, lat given, lat family), sex, birth, birth place code,
# father, mother, delivery, what happens next ("check", "decide", "none")
DEMO_APPLICATIONS = (
    ("AB998877", ("سلمى", "برادة", "Salma", "Berrada"), "F", PartialDate(1995, 2, 11),
     "04.421.01.0", "عبد الكريم", "نزهة", Delivery.ELECTRONIC, "check"),
    ("JB662201", ("محمد", "العمراني", "", ""), "M", PartialDate(1975), "02.411.01.23",
     "", "", Delivery.COLLECT, "check"),
    ("JC90341", ("عبد الرحيم", "السوسي", "Abderrahim", "Soussi"), "M",
     PartialDate(1970, 6, 18), "09.001.01.01", "أحمد", "فاطمة", Delivery.COLLECT, "decide"),
    ("AB998878", ("نادية", "برادة", "Nadia", "Berrada"), "F", PartialDate(1998, 9, 3),
     "04.421.01.0", "عبد الكريم", "نزهة", Delivery.ELECTRONIC, "none"),
)  # fmt: skip


def _supervisor_agadir(units) -> User:
    username, unit_code, first, last = EXTRA_SUPERVISOR
    user = User.objects.filter(username=username).first()
    if user is None:
        user = staff_account_create(
            actor=None,
            username=username,
            password=DEMO_PASSWORD,
            role=Role.SUPERVISOR,
            unit=units[unit_code],
            first_name=first,
            last_name=last,
        )
    return user


def load_demo() -> str:
    """Create the demo applications that do not exist yet; returns a summary line."""
    units = {u.code: u for u in OrgUnit.objects.filter(code__in={AGADIR_STATION, "ws-agadir"})}
    communes = {
        c.code: c
        for c in Commune.objects.select_related("province").filter(
            code__in={row[4] for row in DEMO_APPLICATIONS}
        )
    }
    if len(units) < 2 or len(communes) < len({row[4] for row in DEMO_APPLICATIONS}):
        return "certificate applications: skipped (load the reference data and demo units)"
    _supervisor_agadir(units)
    agent = User.objects.filter(username="agent.agadir").first()
    created = []
    for cnie, names, sex, birth, place, father, mother, delivery, then in DEMO_APPLICATIONS:
        if CertificateApplication.objects.filter(cnie=cnie).exists():
            continue
        submission = services.application_submit(
            actor=AnonymousUser(),
            data=services.ApplicationInput(
                cnie=cnie,
                given_name_ar=names[0],
                family_name_ar=names[1],
                given_name_lat=names[2],
                family_name_lat=names[3],
                sex=sex,
                birth=birth,
                birth_place=communes[place],
                father_given_name=father,
                mother_given_name=mother,
                phone="",
                email=f"{cnie.lower()}@example.ma",
                purpose=Purpose.EMPLOYMENT,
                delivery=delivery,
                collection_unit=units[AGADIR_STATION] if delivery == Delivery.COLLECT else None,
                consent=True,
                language="ar",
            ),
        )
        application = submission.application
        if then in ("check", "decide"):
            services.application_check_run(application_id=application.pk)
            application.refresh_from_db()
        if (
            then == "decide"
            and agent is not None
            and application.status == ApplicationStatus.IN_REVIEW
            and application.check_result.get("candidates")
        ):
            services.review_decide(
                actor=agent,
                application_id=application.pk,
                outcome="RECORD_FOUND",
                person_id=application.check_result["candidates"][0]["person_id"],
                reason="Same CNIE, names, birth date, birth place and parents.",
            )
            application.refresh_from_db()
        created.append(f"{application.reference} {application.status}")
    born = datetime.date(1995, 2, 11).isoformat()
    return (
        f"certificate applications: {len(created)} created"
        + (f" ({', '.join(created)}; Salma Berrada was born {born})" if created else "")
    )
