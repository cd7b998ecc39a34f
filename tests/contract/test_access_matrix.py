"""The authorisation matrix (issue 7, item 2), generated from the URL resolver and the
OpenAPI document and checked against the policy of access_matrix.py, on the demo data.

Every endpoint is walked as: anonymous; citizen A (the demo citizen, owner of the citizen
records); citizen B; for staff endpoints a member of an allowed role in the unit that owns
the record, the same role in another unit, another role in the owning unit; and the two
national accounts (administrator and analyst at headquarters). Allowed: no 401/403/404, no
5xx, no bounce to a sign-in page. Refused: 401, 403, 404 or a bounce to a sign-in page, and
no identifier or name of the record anywhere in the answer. A list an actor may open must
not show a record outside the actor's scope. Unsafe methods are sent only by refused actors
(with a well-formed body), and must change nothing.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from amn.accounts.choices import Role
from tests.contract.access_matrix import API, PAGES, Entry, Rule

User = get_user_model()

SIGN_IN_PATHS = ("/accounts/staff/login/", "/accounts/login/", "/admin/login/")
REFUSED_STATUSES = (401, 403, 404)
DEMO_CITIZEN = "citizen@example.ma"

# ----------------------------------------------------------------- the endpoints


def url_patterns(patterns=None, namespace=""):
    """(key, route) of every named URL pattern of amn.urls, admin and API operations
    excepted (the admin site is one entry, "admin:index"; API operations are keyed by their
    operationId)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if inner == "admin":
                continue
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if getattr(pattern.callback, "__module__", "") == "ninja.operation":
                continue
            name = pattern.name or str(pattern.pattern)
            yield (f"{namespace}:{name}" if namespace else name), pattern


def api_operations():
    """{operationId: (method, path)} of the OpenAPI document."""
    from amn.api.urls import api

    return {
        operation["operationId"]: (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method, operation in operations.items()
    }


def test_every_endpoint_has_a_matrix_entry():
    """The control: an endpoint missing from access_matrix.py fails (and so does an entry
    left behind by an endpoint that no longer exists)."""
    page_keys = {key for key, _pattern in url_patterns()} | {"admin:index"}
    api_keys = set(api_operations())
    problems = [f"page without a matrix entry: {key}" for key in sorted(page_keys - set(PAGES))]
    problems += [f"API operation without a matrix entry: {k}" for k in sorted(api_keys - set(API))]
    problems += [f"matrix entry for no page: {key}" for key in sorted(set(PAGES) - page_keys)]
    problems += [f"matrix entry for no API operation: {k}" for k in sorted(set(API) - api_keys)]
    assert not problems, "\n".join(problems)


# ----------------------------------------------------------------- the records tried


@dataclass
class Target:
    """A demo record that belongs to someone else for most actors.

    kwargs: URL keyword arguments naming it. unit: the OrgUnit that owns it (None: not
    unit-scoped). ids: unique values (UUID, reference, CNIE…) never shown to an actor who may
    not see it, in any answer. names: values never shown in a refusal. make_owner: makes a
    client citizen A's session its owner. state: a snapshot of the record, compared before and
    after a refused write. query: added to GET requests of lists.
    """

    kwargs: dict
    unit: object = None
    ids: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    make_owner: Callable[[Client], None] | None = None
    state: Callable[[], object] | None = None
    query: str = ""


def _session_owner(key: str, record_id) -> Callable[[Client], None]:
    def make_owner(client: Client) -> None:
        session = client.session
        session[key] = [str(record_id)]
        session.save()

    return make_owner


def _fields(model, pk, *names):
    return lambda: tuple(model.objects.filter(pk=pk).values_list(*names).first() or ())


def person_target():
    from amn.people.models import Person

    person = Person.objects.select_related("recorded_by").get(cnie_number="C100001")
    return Target(
        {"person_id": person.pk},
        person.recorded_by,
        ids=[str(person.pk), person.cnie_number],
        names=[person.family_name_latin, person.family_name_ar],
    )


def case_target():
    from amn.cases.models import Case

    case = Case.objects.select_related("recording_unit").get(
        recording_unit__code="ws-fes-d1", narrative__contains="cannabis"
    )
    return Target(
        {"case_id": case.pk},
        case.recording_unit,
        ids=[str(case.pk), case.reference],
        names=[case.narrative],
        state=_fields(Case, case.pk, "updated_at"),
    )


def seizure_target():
    from amn.cases.models import Seizure

    seizure = Seizure.objects.select_related("seized_by").filter(seized_by__code="ws-fes-d1")[0]
    return Target(
        {"seizure_id": seizure.pk},
        seizure.seized_by,
        ids=[f"/staff/cases/seizures/{seizure.pk}/"],
        state=_fields(Seizure, seizure.pk, "stored_at", "destroyed_on"),
    )


def certificate_application_target():
    from amn.certificates.models import CertificateApplication

    application = CertificateApplication.objects.select_related("handling_unit").get(
        cnie="JB662201"
    )
    return Target(
        {"application_id": application.pk},
        application.handling_unit,
        ids=[str(application.pk), application.reference, application.cnie],
        state=_fields(CertificateApplication, application.pk, "status", "updated_at"),
    )


def certificate_target():
    from amn.certificates.models import Certificate

    certificate = Certificate.objects.select_related("issuing_unit").get(holder_cnie="AB998877")
    return Target(
        {"certificate_id": certificate.pk},
        certificate.issuing_unit,
        ids=[str(certificate.pk), certificate.serial, certificate.holder_cnie],
        state=_fields(Certificate, certificate.pk, "status", "revoked_at"),
    )


def certificate_tracked_target():
    from amn.certificates.models import CertificateApplication
    from amn.certificates.views import SESSION_KEY

    application = CertificateApplication.objects.get(cnie="AB998877")
    return Target(
        {"application_id": application.pk},
        ids=[application.reference, application.cnie],
        names=[application.family_name_lat, application.family_name_ar],
        make_owner=_session_owner(SESSION_KEY, application.pk),
    )


def _cnie_application(family_name_latin):
    from amn.idcards.models import CnieApplication

    return CnieApplication.objects.select_related("unit").get(family_name_latin=family_name_latin)


def cnie_application_target():
    from amn.idcards.models import CnieApplication

    application = _cnie_application("Chraibi")
    return Target(
        {"application_id": application.pk},
        application.unit,
        ids=[str(application.pk), application.reference],
        names=[application.family_name_ar],
        state=_fields(CnieApplication, application.pk, "status", "updated_at"),
    )


def cnie_tracked_target():
    from amn.appointments.models import Booking
    from amn.idcards.models import CnieApplication
    from amn.idcards.views import SESSION_KEY

    application = _cnie_application("Berrada")

    def state():
        return (
            _fields(CnieApplication, application.pk, "status", "updated_at")(),
            list(Booking.objects.filter(subject_id=application.pk).values_list("status")),
        )

    return Target(
        {"application_id": application.pk},
        ids=[application.reference],
        names=[application.family_name_ar],
        make_owner=_session_owner(SESSION_KEY, application.pk),
        state=state,
    )


def consent_target():
    from amn.idcards.models import Consent

    consent = Consent.objects.get(account__email=DEMO_CITIZEN, revoked_at__isnull=True)
    return Target(
        {"consent_id": consent.pk},
        ids=[consent.cnie_number],
        state=_fields(Consent, consent.pk, "revoked_at"),
    )


def booking_target():
    from amn.appointments.models import Booking

    booking = Booking.objects.select_related("slot__unit").filter(slot__unit__code="ws-fes-d1")[0]
    return Target(
        {"booking_id": booking.pk},
        booking.slot.unit,
        ids=[str(booking.pk)],
        state=_fields(Booking, booking.pk, "status", "updated_at"),
        query=f"day={booking.slot.day.isoformat()}",
    )


def slot_target():
    from amn.appointments.models import Slot

    slot = Slot.objects.select_related("unit").filter(unit__code="ws-fes-d1")[0]
    return Target(
        {"slot_id": slot.pk},
        slot.unit,
        ids=[str(slot.pk)],
        state=_fields(Slot, slot.pk, "capacity", "closed", "updated_at"),
    )


def residence_target():
    from amn.permits.models import ResidenceApplication

    application = ResidenceApplication.objects.select_related("handling_unit").get(
        passport_number="DEMO10001"
    )
    return Target(
        {"application_id": application.pk},
        application.handling_unit,
        ids=[str(application.pk), application.reference, application.passport_number],
        names=[f"{application.family_name} {application.given_names}"],
        state=_fields(ResidenceApplication, application.pk, "status", "updated_at"),
    )


def visa_target():
    from amn.permits.models import VisaApplication

    application = VisaApplication.objects.select_related("handling_unit").get(
        passport_number="DEMO20004"
    )
    return Target(
        {"application_id": application.pk},
        application.handling_unit,
        ids=[str(application.pk), application.reference, application.passport_number],
        names=[f"{application.family_name} {application.given_names}"],
        state=_fields(VisaApplication, application.pk, "status", "updated_at"),
    )


def tour_target():
    from amn.mobileunits.models import Tour

    tour = (
        Tour.objects.select_related("mobile_unit__police_unit")
        .filter(mobile_unit__code="mu-agadir-01")
        .order_by("-starts_on")[0]
    )
    return Target(
        {"tour_id": tour.pk},
        tour.mobile_unit.police_unit,
        ids=[str(tour.pk), tour.reference],
        state=_fields(Tour, tour.pk, "status", "updated_at"),
    )


def stop_target():
    from amn.mobileunits.models import Stop

    stop = (
        Stop.objects.select_related("tour__mobile_unit__police_unit")
        .filter(tour__mobile_unit__code="mu-agadir-01")
        .order_by("-date")[0]
    )
    return Target(
        {"stop_id": stop.pk},
        stop.tour.mobile_unit.police_unit,
        ids=[str(stop.pk)],
        state=_fields(Stop, stop.pk, "people_served", "updated_at"),
    )


def indicator_target():
    from amn.indicators.models import Indicator

    return Target({"code": Indicator.objects.order_by("pk")[0].code})


def staff_member_target():
    import datetime

    from amn.hr.models import StaffMember
    from amn.hr.services import staff_member_record
    from amn.orgunits.models import OrgUnit

    member = StaffMember.objects.filter(staff_number="P9000001").first()
    if member is None:
        member = staff_member_record(
            actor=None,
            staff_number="P9000001",
            family_name="Matrix",
            given_name="Target",
            sex="F",
            corps="uniformed",
            grade="gardien_paix",
            unit=OrgUnit.objects.get(code="ws-fes-d1"),
            hired_on=datetime.date(2020, 1, 6),
        )
    return Target(
        {"pk": member.pk},
        member.unit,
        ids=[member.staff_number],
        names=[f"{member.family_name} {member.given_name}"],
        state=_fields(StaffMember, member.pk, "grade", "updated_at"),
    )


def report_unit_target():
    from amn.orgunits.models import OrgUnit

    unit = OrgUnit.objects.get(code="ws-fes-d1")
    return Target({"year": 2025, "unit_code": unit.code}, unit)


def year_target():
    return Target({"year": 2025})


TARGETS = {
    "person": person_target,
    "case": case_target,
    "seizure": seizure_target,
    "certificate_application": certificate_application_target,
    "certificate": certificate_target,
    "certificate_tracked": certificate_tracked_target,
    "cnie_application": cnie_application_target,
    "cnie_tracked": cnie_tracked_target,
    "consent": consent_target,
    "booking": booking_target,
    "slot": slot_target,
    "residence": residence_target,
    "visa": visa_target,
    "tour": tour_target,
    "stop": stop_target,
    "indicator": indicator_target,
    "staff_member": staff_member_target,
    "report_unit": report_unit_target,
    "year": year_target,
}

# ----------------------------------------------------------------- the actors

# A staff role chosen for the "allowed role" actors (first allowed in this order), and for
# the "another role" actor (first refused in the second order).
ALLOWED_ROLE_ORDER = (
    Role.FRONT_DESK_AGENT,
    Role.RECORDS_OFFICER,
    Role.SUPERVISOR,
    Role.HR_OFFICER,
    Role.EVENT_PLANNER,
    Role.ANALYST,
    Role.ADMINISTRATOR,
)
REFUSED_ROLE_ORDER = (
    Role.HR_OFFICER,
    Role.EVENT_PLANNER,
    Role.FRONT_DESK_AGENT,
    Role.ANALYST,
    Role.RECORDS_OFFICER,
)
DEFAULT_UNIT = "ws-fes-d1"
OTHER_UNITS = ("ws-agadir-d1", "ws-fes-d1", "ws-rabat-d1")


@dataclass
class Actor:
    label: str
    user: object = None  # None: anonymous
    owner: bool = False  # citizen A on a record of theirs


def _staff_user(role, unit):
    from amn.accounts.services import staff_account_create

    username = f"matrix.{role}.{unit.code}"
    return User.objects.filter(username=username).first() or staff_account_create(
        actor=None, username=username, password=uuid.uuid4().hex, role=role, unit=unit
    )


def _citizen_b():
    from amn.accounts.services import citizen_register

    return User.objects.filter(email="citizen.b@example.ma").first() or citizen_register(
        password=uuid.uuid4().hex, first_name="B", last_name="Citizen", email="citizen.b@example.ma"
    )


def _other_unit(unit):
    from amn.orgunits.models import OrgUnit

    for code in OTHER_UNITS:
        other = OrgUnit.objects.get(code=code)
        if not (other.path.startswith(unit.path) or unit.path.startswith(other.path)):
            return other
    raise AssertionError(f"no unit outside {unit.code}")


def actors_for(entry: Entry, target: Target | None) -> list[Actor]:
    """The actors that walk `entry` (module docstring)."""
    from amn.orgunits.models import OrgUnit

    actors = [
        Actor("anonymous"),
        Actor("citizen A", User.objects.get(email=DEMO_CITIZEN), owner=True),
        Actor("citizen B", _citizen_b()),
        Actor("administrator (national)", User.objects.get(username="admin")),
        Actor("analyst at headquarters (national)", User.objects.get(username="analyst.hq")),
    ]
    unit = (target.unit if target else None) or OrgUnit.objects.get(code=DEFAULT_UNIT)
    if entry.rule.kind != "staff":
        actors.append(
            Actor(f"front-desk agent of {unit.code}", _staff_user(Role.FRONT_DESK_AGENT, unit))
        )
        return actors
    allowed = next(role for role in ALLOWED_ROLE_ORDER if role in entry.rule.roles)
    if allowed != Role.ADMINISTRATOR:
        other = _other_unit(unit)
        actors.append(Actor(f"{allowed} of {unit.code} (owning unit)", _staff_user(allowed, unit)))
        actors.append(
            Actor(f"{allowed} of {other.code} (another unit)", _staff_user(allowed, other))
        )
    refused = next((role for role in REFUSED_ROLE_ORDER if role not in entry.rule.roles), None)
    if refused is not None:
        actors.append(
            Actor(f"{refused} of {unit.code} (role not allowed)", _staff_user(refused, unit))
        )
    return actors


def in_scope(user, unit) -> bool:
    """The unit-tree rule, written out: national accounts see every unit, other staff their
    unit's subtree."""
    national = user.role == Role.ADMINISTRATOR or (
        user.role == Role.ANALYST and user.unit.unit_type.is_national
    )
    return national or unit.path.startswith(user.unit.path)


def may_use(rule: Rule, actor: Actor, target: Target | None) -> bool:
    """True when the matrix lets `actor` use an endpoint of `rule` that names `target` in
    its URL (None for an endpoint that names no record, such as a list)."""
    user = actor.user
    if rule.kind == "public":
        return True
    if user is None or rule.kind == "nobody":
        return False
    if rule.kind == "signed_in":
        return True
    if rule.kind == "citizen":
        return user.role == Role.CITIZEN
    if rule.kind == "owner":
        return actor.owner
    if rule.kind == "admin_site":
        return user.is_staff
    assert rule.kind == "staff", rule.kind
    if user.role not in rule.roles:
        return False
    return target is None or target.unit is None or in_scope(user, target.unit)


def sees(actor: Actor, target: Target | None) -> bool:
    """True when `actor` may see `target` in a list (in scope, or no unit scope)."""
    if target is None or target.unit is None or actor.user is None:
        return True
    return actor.user.role != Role.CITIZEN and in_scope(actor.user, target.unit)


# ----------------------------------------------------------------- the walk


def _client(actor: Actor, target: Target | None) -> Client:
    client = Client()
    if actor.user is not None:
        client.force_login(actor.user)
    if actor.owner and target is not None and target.make_owner is not None:
        target.make_owner(client)
    return client


def _answer_text(response) -> str:
    body = b"" if getattr(response, "streaming", False) else response.content
    return body.decode("utf-8", "replace") + " " + response.get("Location", "")


def _leaks(text: str, values: list[str]) -> list[str]:
    folded = text.casefold()
    return [value for value in values if value and str(value).casefold() in folded]


def _bounced_to_sign_in(response) -> bool:
    return response.status_code in (301, 302) and response.get("Location", "").startswith(
        SIGN_IN_PATHS
    )


def walk(key: str, entry: Entry, url: str, *, api: bool) -> list[str]:
    """Send `entry`'s requests to `url` as every actor; the problems found."""
    target = TARGETS[entry.target]() if entry.target else None
    # A record named in the URL is the one the access rule is about; otherwise the target
    # only has to stay out of the lists of actors outside its scope. An identifier the
    # request itself carries is no leak when the answer repeats it (e.g. ?next=).
    named = target if target is not None and _names_target(url, target) else None
    secret_ids = [value for value in (target.ids if target else []) if str(value) not in url]
    problems = []
    for actor in actors_for(entry, target):
        allowed = may_use(entry.rule, actor, named)
        for method in entry.methods:
            if method != "GET" and allowed:
                continue  # allowed writes are not performed
            client = _client(actor, target)
            before = target.state() if target and target.state and method != "GET" else None
            query = entry.query or (target.query if target else "")
            if method == "GET":
                response = client.get(url + (f"?{query}" if query else ""))
            elif api:
                response = client.generic(
                    method, url, data=_json(entry.body), content_type="application/json"
                )
            else:
                response = client.generic(method, url)
            status = response.status_code
            where = f"{key} {method} as {actor.label}: {status}"
            if status >= 500:
                problems.append(f"{where}: server error")
                continue
            text = _answer_text(response)
            if allowed:
                if status in REFUSED_STATUSES or _bounced_to_sign_in(response):
                    problems.append(f"{where}: refused, the matrix allows it")
                elif named is None and target is not None and method == "GET":
                    shown = _leaks(text, secret_ids)
                    if shown and not sees(actor, target):
                        problems.append(f"{where}: shows a record out of scope: {shown}")
                    if not shown and actor.label.endswith("(owning unit)"):
                        # Proves the check above can see the record when it is listed.
                        problems.append(f"{where}: the list does not show the record in scope")
                continue
            refused = status in REFUSED_STATUSES or _bounced_to_sign_in(response)
            if not refused and before is not None and status in (302, 303):
                # The service refused the write: a message and a redirect, nothing written.
                refused = target.state() == before
            if not refused:
                problems.append(f"{where}: allowed, the matrix refuses it")
            if target is not None:
                leaked = _leaks(text, secret_ids + target.names)
                if leaked:
                    problems.append(f"{where}: refusal shows the record: {leaked}")
                if before is not None and target.state() != before:
                    problems.append(f"{where}: the refused write changed the record")
    return problems


def _names_target(url: str, target: Target) -> bool:
    return any(str(value) in url for value in target.kwargs.values())


def _json(body: dict) -> str:
    import json

    return json.dumps(body)


def _page_url(key: str, entry: Entry) -> str:
    if key == "admin:index":
        return reverse("admin:index")
    patterns = dict(url_patterns())
    names = set(patterns[key].pattern.converters)
    target = TARGETS[entry.target]() if entry.target else None
    kwargs = {
        name: value for name, value in (target.kwargs if target else {}).items() if name in names
    }
    return reverse(key, kwargs=kwargs)


def _api_url(operation_id: str, entry: Entry) -> str:
    _method, path = api_operations()[operation_id]
    if entry.target:
        for name, value in TARGETS[entry.target]().kwargs.items():
            path = path.replace("{" + name + "}", str(value))
    return path


@pytest.mark.parametrize("key", sorted(PAGES))
def test_page_access(key, world):
    entry = PAGES[key]
    problems = walk(key, entry, _page_url(key, entry), api=False)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation_id", sorted(API))
def test_api_access(operation_id, world):
    entry = API[operation_id]
    method, _path = api_operations()[operation_id]
    assert method in entry.methods, f"{operation_id} is a {method}: list it in the entry's methods"
    problems = walk(operation_id, entry, _api_url(operation_id, entry), api=True)
    assert not problems, "\n".join(problems)
