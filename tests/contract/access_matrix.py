"""The authorisation matrix (issue 7, item 2): who may use every page and API operation.

This file is the written policy; tests/contract/test_access_matrix.py checks the running
application against it. Every URL name of the resolver (amn.urls) and every operationId of
the OpenAPI document must have an entry here: a new endpoint without one fails the test.

An entry says who may call the endpoint (its `Rule`), with which methods, and — for an
endpoint that names a record (a UUID in the URL) or lists records — which demo record to
try it on (`target`, a key of TARGETS in test_access_matrix.py): the record belongs to a
unit (or a citizen), and every other actor must be refused without any of its fields in
the answer. The role sets below are written out on purpose, not imported from the apps:
widening an app's roles must be a visible change of this policy.
"""

from dataclasses import dataclass, field

from amn.accounts.choices import Role

ALL_STAFF = frozenset(Role.values) - {Role.CITIZEN}

# Who reads and writes what (least privilege; unit scope applies on top for staff).
PERSON_READERS = ALL_STAFF - {Role.HR_OFFICER, Role.EVENT_PLANNER}
CASE_READERS = frozenset({Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR})
CASE_WRITERS = frozenset({Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
FIGURE_READERS = CASE_READERS
HR_READERS = frozenset({Role.HR_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR})
CERTIFICATE_REVIEWERS = frozenset({Role.FRONT_DESK_AGENT, Role.RECORDS_OFFICER, Role.SUPERVISOR})
CNIE_PROCESSORS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})
CNIE_READERS = CNIE_PROCESSORS | {Role.ANALYST}
CALENDAR_MANAGERS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})
CALENDAR_READERS = CALENDAR_MANAGERS | {Role.ANALYST}
PERMIT_READERS = frozenset(
    {Role.FRONT_DESK_AGENT, Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ANALYST, Role.ADMINISTRATOR}
)
PERMIT_DECIDERS = frozenset({Role.RECORDS_OFFICER, Role.SUPERVISOR, Role.ADMINISTRATOR})
FLEET_READERS = ALL_STAFF - {Role.HR_OFFICER, Role.EVENT_PLANNER}
FLEET_WRITERS = frozenset({Role.FRONT_DESK_AGENT, Role.SUPERVISOR, Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint.

    kind: "public" (anyone), "signed_in" (any account), "citizen" (citizen accounts, staff
    refused), "owner" (only the citizen or the visitor session that owns the target
    record), "staff" (staff of `roles`; with a target, only when the record's unit is in
    the actor's unit subtree or the actor is national), "admin_site" (Django admin users),
    "nobody" (a URL that answers 404 to everyone).
    """

    kind: str
    roles: frozenset = frozenset()


PUBLIC = Rule("public")
SIGNED_IN = Rule("signed_in")
CITIZEN = Rule("citizen")
OWNER = Rule("owner")
ADMIN_SITE = Rule("admin_site")
NOBODY = Rule("nobody")


def staff(roles) -> Rule:
    """Staff members whose role is in `roles`, within their unit scope."""
    return Rule("staff", frozenset(roles))


@dataclass(frozen=True)
class Entry:
    """One endpoint of the matrix.

    methods: what the test sends — "GET" is tried by every actor; unsafe methods only by
    actors the rule refuses (allowed writes are not performed).
    target: a TARGETS key: the record named in the URL, or shown in a list, that belongs
    to someone else for most actors.
    body: for unsafe API operations, a well-formed JSON body (so that a refusal is the
    authorisation's, not the validation's), given the target.
    query: a query string added to GET requests.
    """

    rule: Rule
    methods: tuple[str, ...] = ("GET",)
    target: str | None = None
    body: dict = field(default_factory=dict)
    query: str = ""


GET, POST = ("GET",), ("POST",)
REVIEWERS = staff(CERTIFICATE_REVIEWERS)
CERT_APPLICATION = "certificate_application"

# --- pages, by URL name (namespace:name) -------------------------------------------------

PAGES: dict[str, Entry] = {
    # portal
    "portal:home": Entry(PUBLIC),
    "portal:about": Entry(PUBLIC),
    "statistics:index": Entry(PUBLIC),
    "portal:stations": Entry(PUBLIC),
    "portal:my-requests": Entry(SIGNED_IN),
    "set_language": Entry(PUBLIC, POST),
    # accounts
    "accounts:staff-login": Entry(PUBLIC),
    "accounts:citizen-login": Entry(PUBLIC),
    "accounts:citizen-register": Entry(PUBLIC),
    # the second sign-in step: citizens and verified staff are sent on (no data shown)
    "accounts:staff-otp": Entry(SIGNED_IN),
    "accounts:logout": Entry(PUBLIC, POST),
    # criminal-record certificates: public service, tracking by proven session
    "certificates:index": Entry(PUBLIC),
    "certificates:apply": Entry(PUBLIC),
    "certificates:track": Entry(PUBLIC),
    "certificates:verify": Entry(PUBLIC),
    "certificates:track-detail": Entry(OWNER, target="certificate_tracked"),
    "certificates:download": Entry(OWNER, target="certificate_tracked"),
    # certificates: back office
    "certificates-staff:queue": Entry(REVIEWERS, target=CERT_APPLICATION),
    "certificates-staff:application": Entry(REVIEWERS, target=CERT_APPLICATION),
    "certificates-staff:decide": Entry(REVIEWERS, POST, target=CERT_APPLICATION),
    "certificates-staff:confirm": Entry(REVIEWERS, POST, target=CERT_APPLICATION),
    "certificates-staff:retry-check": Entry(REVIEWERS, POST, target=CERT_APPLICATION),
    "certificates-staff:certificates": Entry(REVIEWERS, target="certificate"),
    "certificates-staff:certificate": Entry(REVIEWERS, target="certificate"),
    "certificates-staff:certificate-pdf": Entry(REVIEWERS, target="certificate"),
    "certificates-staff:revoke": Entry(REVIEWERS, POST, target="certificate"),
    # CNIE: public pre-application and tracking, the citizen's identity page
    "idcards:index": Entry(PUBLIC),
    "idcards:apply": Entry(PUBLIC),
    "idcards:track": Entry(PUBLIC),
    "idcards:application": Entry(OWNER, target="cnie_tracked"),
    "idcards:appointment": Entry(OWNER, target="cnie_tracked"),
    "idcards:appointment-cancel": Entry(OWNER, POST, target="cnie_tracked"),
    "idcards:withdraw": Entry(OWNER, POST, target="cnie_tracked"),
    "idcards:identity": Entry(CITIZEN),
    "idcards:consent-grant": Entry(CITIZEN, POST),
    "idcards:consent-revoke": Entry(OWNER, POST, target="consent"),
    # CNIE: back office
    "idcards-staff:worklist": Entry(staff(CNIE_READERS), target="cnie_application"),
    "idcards-staff:detail": Entry(staff(CNIE_READERS), target="cnie_application"),
    "idcards-staff:step": Entry(staff(CNIE_PROCESSORS), POST, target="cnie_application"),
    "idcards-staff:declare-loss": Entry(staff(CNIE_PROCESSORS)),
    "idcards-staff:consent-new": Entry(staff(CNIE_PROCESSORS)),
    # appointments
    "appointments:offices": Entry(PUBLIC),
    "appointments-staff:calendar": Entry(staff(CALENDAR_READERS)),
    "appointments-staff:day": Entry(staff(CALENDAR_READERS), target="booking"),
    "appointments-staff:generate": Entry(staff(CALENDAR_MANAGERS), POST),
    "appointments-staff:slot-update": Entry(staff(CALENDAR_MANAGERS), POST, target="slot"),
    "appointments-staff:mark": Entry(staff(CALENDAR_MANAGERS), POST, target="booking"),
    # residence permits and visas
    "permits:index": Entry(PUBLIC),
    "permits:visa-apply": Entry(PUBLIC),
    "permits:residence-apply": Entry(PUBLIC),
    "permits:submitted": Entry(PUBLIC),
    "permits:track": Entry(PUBLIC),
    "permits-staff:residence-list": Entry(staff(PERMIT_READERS), target="residence"),
    "permits-staff:residence": Entry(staff(PERMIT_READERS), target="residence"),
    "permits-staff:visa-list": Entry(staff(PERMIT_READERS), target="visa"),
    "permits-staff:visa": Entry(staff(PERMIT_READERS), target="visa"),
    "permits-staff:expiring": Entry(staff(PERMIT_READERS)),
    # mobile units
    "mobileunits:upcoming": Entry(PUBLIC),
    "mobileunits-staff:fleet": Entry(staff(FLEET_READERS)),
    "mobileunits-staff:tours": Entry(staff(FLEET_READERS), target="tour"),
    "mobileunits-staff:tour": Entry(staff(FLEET_READERS), target="tour"),
    "mobileunits-staff:tour-close": Entry(staff(FLEET_WRITERS), POST, target="tour"),
    "mobileunits-staff:stop-results": Entry(staff(FLEET_WRITERS), target="stop"),
    # criminal cases
    "cases:list": Entry(staff(CASE_READERS), target="case"),
    "cases:inbox": Entry(staff(CASE_READERS)),
    "cases:create": Entry(staff(CASE_WRITERS)),
    "cases:detail": Entry(staff(CASE_READERS), target="case"),
    "cases:edit": Entry(staff(CASE_WRITERS), target="case"),
    "cases:seizures": Entry(staff(CASE_READERS), target="seizure"),
    "cases:seizure-create": Entry(staff(CASE_WRITERS)),
    "cases:seizure-custody": Entry(staff(CASE_WRITERS), target="seizure"),
    "cases:networks": Entry(staff(CASE_READERS)),
    "cases:network-create": Entry(staff(CASE_WRITERS)),
    # indicators
    "indicators:index": Entry(staff(FIGURE_READERS)),
    "indicators:entries": Entry(staff({Role.ADMINISTRATOR, Role.ANALYST})),
    "indicators:dashboard": Entry(staff(FIGURE_READERS), target="indicator"),
    "indicators:records": Entry(staff(FIGURE_READERS), target="indicator", query="year=2025"),
    # human resources
    "hr:staff-list": Entry(staff(HR_READERS), target="staff_member"),
    "hr:staff-detail": Entry(staff(HR_READERS), target="staff_member"),
    # annual report
    "reports:index": Entry(staff(FIGURE_READERS)),
    "reports:report": Entry(staff(FIGURE_READERS), target="report_unit"),
    "reports:pdf": Entry(staff(FIGURE_READERS), target="report_unit"),
    "reports:json": Entry(staff(FIGURE_READERS), target="report_unit"),
    "reports:publish": Entry(
        staff({Role.ADMINISTRATOR, Role.ANALYST}), POST, target="report_unit"
    ),
    "reports_public:latest": Entry(PUBLIC),
    "reports_public:report": Entry(PUBLIC, target="year"),
    "reports_public:pdf": Entry(PUBLIC, target="year"),
    "reports_public:json": Entry(PUBLIC, target="year"),
    # back office shell and person registry
    "backoffice:dashboard": Entry(staff(ALL_STAFF)),
    "backoffice:people": Entry(staff(PERSON_READERS), target="person"),
    "backoffice:person-detail": Entry(staff(PERSON_READERS), target="person"),
    # the API's own pages (its operations are below, by operationId)
    "api:openapi-json": Entry(PUBLIC),
    "api:openapi-view": Entry(PUBLIC),
    "api:api-root": Entry(NOBODY),  # django-ninja's mount point: 404
    # Django's admin site: one entry for every admin URL
    "admin:index": Entry(ADMIN_SITE),
}  # fmt: skip

# --- API operations, by OpenAPI operationId ----------------------------------------------

API: dict[str, Entry] = {
    "amn_orgunits_api_stations": Entry(PUBLIC),
    "amn_orgunits_api_history": Entry(PUBLIC, target="year"),
    "amn_people_api_person_check": Entry(
        staff(PERSON_READERS), POST, body={"family_name_lat": "Alaoui", "given_name_lat": "Said"}
    ),
    "amn_people_api_person_get": Entry(staff(PERSON_READERS), target="person"),
    "amn_indicators_api_indicators": Entry(staff(FIGURE_READERS)),
    "amn_indicators_api_values": Entry(staff(FIGURE_READERS), query="year=2025"),
    "amn_indicators_api_public_indicators": Entry(PUBLIC),
    "amn_indicators_api_public_values": Entry(PUBLIC, query="year=2025"),
    "amn_reports_api_report": Entry(PUBLIC, target="year"),
    "amn_cases_api_case_list_endpoint": Entry(staff(CASE_READERS), target="case"),
    "amn_cases_api_case_get": Entry(staff(CASE_READERS), target="case"),
    "amn_certificates_api_application_submit": Entry(PUBLIC, POST),
    "amn_certificates_api_verify": Entry(PUBLIC, POST),
    "amn_certificates_api_queue": Entry(REVIEWERS, target=CERT_APPLICATION),
    "amn_certificates_api_decide": Entry(
        REVIEWERS, POST, target=CERT_APPLICATION,
        body={"outcome": "NO_RECORD", "reason": "matrix"},
    ),
    "amn_certificates_api_confirm": Entry(
        REVIEWERS, POST, target=CERT_APPLICATION,
        body={"confirm": True, "reason": "matrix"},
    ),
    "amn_idcards_api_application_create": Entry(PUBLIC, POST),
    "amn_idcards_api_application_appointment": Entry(PUBLIC, POST),
    "amn_idcards_api_application_track": Entry(PUBLIC, POST),
    "amn_idcards_api_verify": Entry(PUBLIC, POST),
    "amn_idcards_api_application_list": Entry(staff(CNIE_READERS), target="cnie_application"),
    "amn_idcards_api_application_get": Entry(staff(CNIE_READERS), target="cnie_application"),
    "amn_idcards_api_application_step": Entry(
        staff(CNIE_PROCESSORS), POST, target="cnie_application", body={"action": "produce"}
    ),
    "amn_appointments_api_office_list": Entry(PUBLIC),
    "amn_appointments_api_slot_list": Entry(PUBLIC, query="unit=1"),
    "amn_appointments_api_booking_mark": Entry(
        staff(CALENDAR_MANAGERS), POST, target="booking", body={"outcome": "attended"}
    ),
    "amn_permits_api_residence_list_endpoint": Entry(staff(PERMIT_READERS), target="residence"),
    "amn_permits_api_residence_get": Entry(staff(PERMIT_READERS), target="residence"),
    "amn_permits_api_residence_decide": Entry(
        staff(PERMIT_DECIDERS), POST, target="residence",
        body={"decision": "refuse", "refusal_reason": "other", "note": "matrix"},
    ),
    "amn_permits_api_visa_list_endpoint": Entry(staff(PERMIT_READERS), target="visa"),
    "amn_permits_api_visa_get": Entry(staff(PERMIT_READERS), target="visa"),
    "amn_permits_api_visa_decide": Entry(
        staff(PERMIT_DECIDERS), POST, target="visa",
        body={"decision": "refuse", "refusal_reason": "other", "note": "matrix"},
    ),
    "amn_permits_api_visa_apply": Entry(PUBLIC, POST),
    "amn_mobileunits_api_upcoming_stops": Entry(PUBLIC),
    "amn_mobileunits_api_unit_list": Entry(staff(FLEET_READERS)),
    "amn_mobileunits_api_tour_list": Entry(staff(FLEET_READERS), target="tour"),
    "amn_mobileunits_api_tour_get": Entry(staff(FLEET_READERS), target="tour"),
    "amn_mobileunits_api_stop_results": Entry(
        staff(FLEET_WRITERS), POST, target="stop",
        body={"applications_received": 1, "cards_delivered": 1, "people_served": 2},
    ),
    "amn_mobileunits_api_year_counts": Entry(staff(FLEET_READERS), target="year"),
}  # fmt: skip
