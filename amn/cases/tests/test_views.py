"""Staff pages of criminal cases: the permission matrix, the scoped list and its filters,
the validation inbox and leaving it after a fix, the entry form's messages, and the
list's pinned query count."""

import re

import pytest
from django import forms
from django.urls import reverse

from amn.audit.models import AuditEvent
from amn.cases.choices import Clearance, Problem
from amn.cases.forms import QuickSelect, iccs_choices
from amn.cases.models import Case, Offence
from amn.cases.services import CaseInput, OffenceInput, case_record
from amn.cases.tests.scoped_cases import (
    AGADIR_BURGLARY,
    AGADIR_CASES,
    AGADIR_INBOX,
    ALL_CASES,
    FES_CASES,
    FES_DRUGS,
    FES_INBOX,
    FES_ROBBERY,
    INBOX_CASES,
    RABAT_ASSAULT,
)
from amn.geo.models import Commune, Province, Region

pytestmark = pytest.mark.django_db

STAFF_LOGIN = "/accounts/staff/login/"
NO_ACCESS = ("agent.fes", "hr.rabat", "planner.rabat")  # staff whose role reads no case


@pytest.fixture
def english(client):
    """Messages compared as text are compared in English (Arabic is the default)."""
    client.cookies["django_language"] = "en"


def _detail(case) -> str:
    return f"/staff/cases/{case.pk}/"


def _edit(case) -> str:
    return f"/staff/cases/{case.pk}/edit/"


def _listed(response, scoped_cases) -> set[str]:
    return {scoped_cases.key_of(case) for case in response.context["rows"]}


def test_urls(scoped_cases):
    case = scoped_cases.cases[FES_DRUGS]
    assert reverse("cases:list") == "/staff/cases/"
    assert reverse("cases:inbox") == "/staff/cases/inbox/"
    assert reverse("cases:create") == "/staff/cases/new/"
    assert reverse("cases:detail", args=[case.pk]) == _detail(case)
    assert reverse("cases:edit", args=[case.pk]) == _edit(case)


def _all_urls(scoped_cases) -> list[str]:
    case = scoped_cases.cases[FES_DRUGS]
    return ["/staff/cases/", "/staff/cases/inbox/", "/staff/cases/new/", _detail(case), _edit(case)]


def test_anonymous_is_sent_to_the_staff_login(scoped_cases, client):
    for url in _all_urls(scoped_cases):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"{STAFF_LOGIN}?next={url}"


@pytest.mark.parametrize("username", ["citizen@example.ma", *NO_ACCESS])
def test_citizens_and_staff_without_case_access_are_refused(world, scoped_cases, client, username):
    client.force_login(world.users[username])

    for url in _all_urls(scoped_cases):
        response = client.get(url)
        assert response.status_code == 403, url
        assert scoped_cases.cases[FES_DRUGS].reference not in response.content.decode()


@pytest.mark.parametrize(
    ("username", "listed"),
    [
        ("officer.fes", FES_CASES),  # a records officer at the Fès wilaya: its subtree
        ("analyst.fes", FES_CASES),  # an analyst at a wilaya is not national
        ("supervisor.rabat", {RABAT_ASSAULT}),
        ("admin", ALL_CASES),  # national roles
        ("analyst.hq", ALL_CASES),
        ("analyst.dpj", ALL_CASES),
    ],
)
def test_list_shows_only_cases_in_scope(world, scoped_cases, client, username, listed):
    client.force_login(world.users[username])

    response = client.get("/staff/cases/")

    assert response.status_code == 200
    assert _listed(response, scoped_cases) == listed
    body = response.content.decode()
    for key, case in scoped_cases.cases.items():
        assert (_detail(case) in body) is (key in listed)


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("officer.fes", FES_ROBBERY, 200),  # own unit (subtree)
        ("officer.fes", AGADIR_BURGLARY, 404),  # other unit
        ("officer.fes", RABAT_ASSAULT, 404),
        ("supervisor.rabat", RABAT_ASSAULT, 200),
        ("supervisor.rabat", FES_ROBBERY, 404),
        ("analyst.fes", FES_INBOX, 200),
        ("analyst.fes", AGADIR_INBOX, 404),
        ("admin", AGADIR_INBOX, 200),  # national roles
        ("analyst.hq", FES_ROBBERY, 200),
        ("analyst.hq", RABAT_ASSAULT, 200),
    ],
)
def test_case_page_matrix(world, scoped_cases, client, username, key, status):
    case = scoped_cases.cases[key]
    client.force_login(world.users[username])

    response = client.get(_detail(case))

    assert response.status_code == status
    assert (case.reference in response.content.decode()) is (status == 200)


def test_case_page_read_is_audited_and_refusal_too(world, scoped_cases, client):
    fes, agadir = scoped_cases.cases[FES_DRUGS], scoped_cases.cases[AGADIR_BURGLARY]
    client.force_login(world.users["officer.fes"])

    client.get(_detail(fes))
    client.get(_detail(agadir))

    events = AuditEvent.objects.filter(target="cases.case", actor=world.users["officer.fes"])
    assert set(events.values_list("target_id", "action")) == {
        (str(fes.pk), "view"),
        (str(agadir.pk), "denied"),
    }


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("officer.fes", FES_INBOX, 200),
        ("officer.fes", AGADIR_INBOX, 404),  # a writer, but another unit
        ("supervisor.rabat", RABAT_ASSAULT, 200),
        ("supervisor.rabat", FES_DRUGS, 404),
        ("admin", AGADIR_INBOX, 200),
        ("analyst.hq", FES_DRUGS, 403),  # readers that do not write
        ("analyst.fes", FES_DRUGS, 403),
    ],
)
def test_correction_form_matrix(world, scoped_cases, client, username, key, status):
    client.force_login(world.users[username])

    assert client.get(_edit(scoped_cases.cases[key])).status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [("officer.fes", 200), ("supervisor.rabat", 200), ("admin", 200), ("analyst.hq", 403)],
)
def test_entry_form_matrix(world, scoped_cases, client, username, status):
    client.force_login(world.users[username])

    assert client.get("/staff/cases/new/").status_code == status


def test_readers_who_do_not_write_see_no_write_links(world, scoped_cases, client):
    case = scoped_cases.cases[FES_INBOX]
    client.force_login(world.users["analyst.hq"])

    body = client.get(_detail(case)).content.decode()

    assert _edit(case) not in body
    assert "/staff/cases/new/" not in client.get("/staff/cases/").content.decode()


@pytest.mark.parametrize(
    ("username", "inbox"),
    [
        ("officer.fes", {FES_INBOX}),
        ("supervisor.rabat", set()),
        ("admin", INBOX_CASES),
        ("analyst.hq", INBOX_CASES),
    ],
)
def test_inbox_lists_the_cases_with_problems_in_scope(world, scoped_cases, client, username, inbox):
    client.force_login(world.users[username])

    response = client.get("/staff/cases/inbox/")

    assert response.status_code == 200
    assert _listed(response, scoped_cases) == inbox


def test_inbox_and_case_page_name_the_problems(world, scoped_cases, client, english):
    case = scoped_cases.cases[AGADIR_INBOX]
    client.force_login(world.users["admin"])

    for url in ("/staff/cases/inbox/", _detail(case)):
        body = client.get(url).content.decode()
        assert str(Problem.DATES_OUT_OF_ORDER.label) in body
        assert str(Problem.CLEARED_WITHOUT_ARREST.label) in body
    assert "not counted in the figures" in client.get(_detail(case)).content.decode()
    valid = client.get(_detail(scoped_cases.cases[AGADIR_BURGLARY])).content.decode()
    assert "not counted in the figures" not in valid


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "20",
    }


def _edit_post(response) -> dict:
    """The correction form's data as the browser would send it unchanged."""
    data = {}
    entry = response.context["entry"]
    for form in (entry.form, *entry.offences.forms, *entry.parties.forms):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    data |= _management("offences", entry.offences.total_form_count(), len(entry.offences.initial))
    data |= _management("parties", entry.parties.total_form_count(), len(entry.parties.initial))
    return data


def test_fixing_a_case_takes_it_out_of_the_inbox(world, scoped_cases, client, english):
    case = scoped_cases.cases[FES_INBOX]
    client.force_login(world.users["officer.fes"])
    data = _edit_post(client.get(_edit(case)))
    assert data["offences-0-iccs"] == ""

    response = client.post(_edit(case), data | {"offences-0-iccs": "0502"}, follow=True)

    assert response.redirect_chain == [(_detail(case), 302)]
    assert "left the validation inbox" in response.content.decode()
    fixed = Case.objects.get(pk=case.pk)
    assert (fixed.is_valid, fixed.problems) == (True, [])
    assert list(Offence.objects.filter(case=case).values_list("iccs_id", "is_valid")) == [
        ("0502", True)
    ]
    assert fixed.parties.get().age_at_time == 58  # the person's row came back unchanged
    assert _listed(client.get("/staff/cases/inbox/"), scoped_cases) == set()


def test_recording_the_arrest_fixes_a_clearance_without_arrest(world, scoped_cases, client):
    case = scoped_cases.cases[AGADIR_INBOX]
    client.force_login(world.users["admin"])
    data = _edit_post(client.get(_edit(case)))

    response = client.post(
        _edit(case), data | {"reported_on": "", "parties-0-arrested_on": "2025-09-21"}
    )

    assert response.status_code == 302
    fixed = Case.objects.get(pk=case.pk)
    assert fixed.is_valid
    assert fixed.arrests.get().arrested_on.isoformat() == "2025-09-21"


def _new_case(unit, **extra) -> dict:
    data = {
        "recording_unit": str(unit.pk),
        "occurred_on": "2025-04-01",
        "reported_on": "2025-04-01",
        "recorded_on": "2025-04-02",
        "status": "open",
        "narrative": "Bag snatched at the station",
        "offences-0-iccs": "0502",
        "offences-0-clearance": Clearance.NOT_CLEARED,
        "offences-1-clearance": Clearance.NOT_CLEARED,
        "offences-2-clearance": Clearance.NOT_CLEARED,
    }
    data |= _management("offences", 3) | _management("parties", 3)
    return data | extra


def test_a_complete_case_is_saved_and_counted(world, scoped_cases, client):
    client.force_login(world.users["officer.fes"])
    unit = world.units["ws-fes-d1"]

    response = client.post(
        "/staff/cases/new/",
        _new_case(
            unit,
            **{
                "parties-0-role": "victim",
                "parties-0-sex": "F",
                "parties-0-age_at_time": "33",
                "parties-0-nationality": "MA",
            },
        ),
    )

    case = Case.objects.get(narrative="Bag snatched at the station")
    assert response.status_code == 302
    assert response.url == _detail(case)
    assert case.is_valid
    assert case.recording_unit == unit
    assert list(case.offences.values_list("iccs_id", "recording_unit_id")) == [("0502", unit.pk)]
    assert list(case.parties.values_list("role", "sex", "age_at_time", "nationality")) == [
        ("victim", "F", 33, "MA")
    ]


def _summary(response) -> list[str]:
    """The error or problem summary at the top of the form, one text per line."""
    body = response.content.decode()
    block = re.search(r'class="(?:error|warning)-summary".*?</div>', body, re.S)
    assert block, "no summary on the page"
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", item)).strip()
        for item in re.findall(r"<li>(.*?)</li>", block.group(0), re.S)
    ]


def test_errors_name_the_field_and_the_row(world, scoped_cases, client, english):
    client.force_login(world.users["officer.fes"])
    data = _new_case(
        world.units["ws-fes-d1"],
        occurred_on="",
        **{
            "offences-1-iccs": "0401",
            "offences-1-clearance": Clearance.BY_ARREST,
            "parties-1-role": "suspect",
            "parties-1-age_at_time": "130",
            "parties-2-sex": "M",
        },
    )

    response = client.post("/staff/cases/new/", data)

    assert response.status_code == 200
    assert not Case.objects.filter(narrative="Bag snatched at the station").exists()
    assert _summary(response) == [
        "Occurred on: This field is required.",
        "Offence 2 · Cleared on: A cleared offence needs the date of its clearance.",
        "Person 2 · Age at the time: Ensure this value is less than or equal to 120.",
        "Person 3 · Role: This field is required.",
    ]
    body = response.content.decode()
    assert 'href="#id_offences-1-cleared_on"' in body
    assert 'id="id_offences-1-cleared_on"' in body


def test_a_case_needs_an_offence(world, scoped_cases, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.post(
        "/staff/cases/new/", _new_case(world.units["ws-fes-d1"], **{"offences-0-iccs": ""})
    )

    assert response.status_code == 200
    assert _summary(response) == ["Enter at least one offence."]


def test_dates_in_the_future_are_refused(world, scoped_cases, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.post(
        "/staff/cases/new/", _new_case(world.units["ws-fes-d1"], recorded_on="2999-01-01")
    )

    assert _summary(response) == ["Recorded on: This date is in the future."]
    assert not Case.objects.filter(narrative="Bag snatched at the station").exists()


def test_a_unit_outside_ones_subtree_cannot_be_chosen(world, scoped_cases, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/new/", _new_case(world.units["ws-agadir-d1"]))

    assert response.status_code == 200
    assert _summary(response)[0].startswith("Recording unit: Select a valid choice.")
    units = set(response.context["entry"].form.fields["recording_unit"].queryset)
    assert world.units["ws-fes-d1"] in units
    assert world.units["sp-taza"] in units
    assert world.units["ws-agadir-d1"] not in units


def test_problems_are_shown_on_their_rows_and_saved_only_when_confirmed(
    world, scoped_cases, client, english
):
    client.force_login(world.users["officer.fes"])
    data = _new_case(
        world.units["ws-fes-d1"],
        reported_on="2025-03-01",
        **{
            "offences-0-clearance": Clearance.BY_ARREST,
            "offences-0-cleared_on": "2025-04-02",
            "offences-1-clearance": Clearance.EXCEPTIONAL,
            "offences-1-cleared_on": "2025-04-02",
        },
    )

    response = client.post("/staff/cases/new/", data)

    assert response.status_code == 200
    assert _summary(response) == [
        "Reported on: Dates out of order: a case occurs, then is reported, then recorded.",
        f"Offence 1 · Clearance: {Problem.CLEARED_WITHOUT_ARREST.label}",
        f"Offence 2 · ICCS code: {Problem.MISSING_ICCS.label}",
        f"Offence 2 · Reason for exceptional clearance: {Problem.EXCEPTIONAL_WITHOUT_REASON.label}",
    ]
    assert not Case.objects.filter(narrative="Bag snatched at the station").exists()
    assert 'name="accept_problems"' in response.content.decode()

    response = client.post("/staff/cases/new/", data | {"accept_problems": "on"}, follow=True)

    case = Case.objects.get(narrative="Bag snatched at the station")
    assert not case.is_valid
    assert case.problems == [
        Problem.DATES_OUT_OF_ORDER,
        Problem.CLEARED_WITHOUT_ARREST,
        Problem.MISSING_ICCS,
        Problem.EXCEPTIONAL_WITHOUT_REASON,
    ]
    assert "waits in the validation inbox" in response.content.decode()


@pytest.fixture
def communes(db):
    region = Region.objects.create(
        code="03", name_fr="Fès-Meknès", name_ar="فاس مكناس", population_2024=1, households_2024=1
    )
    province = Province.objects.create(
        code="03.231",
        region=region,
        type="prefecture",
        name_fr="Fès",
        name_ar="فاس",
        population_2024=1,
        households_2024=1,
    )

    def commune(code, fr, ar):
        return Commune.objects.create(
            code=code,
            province=province,
            name_fr=fr,
            name_ar=ar,
            slug=code,
            type="urban",
            population_2024=1,
            households_2024=1,
            search_name=f"{fr.lower().replace('è', 'e')} {ar}",
        )

    return {
        "fes": commune("03.231.01.0", "Fès", "فاس"),
        "a": commune("03.231.02.0", "Ouled Tayeb", "أولاد الطيب"),
        "b": commune("03.231.03.0", "Ouled Tayeb", "أولاد الطيب"),
    }


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("FES", "fes"),  # folded French name
        ("فاس", "fes"),  # Arabic name
        ("Ouled Tayeb — أولاد الطيب (03.231.03.0)", "b"),  # picked from the list
        ("Ouled Tayeb", "Several communes are named"),
        ("Atlantis", "No commune is named"),
    ],
)
def test_commune_is_found_by_name(world, scoped_cases, communes, client, english, typed, expected):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/new/", _new_case(world.units["ws-fes-d1"], commune=typed))

    if expected in communes:
        assert response.status_code == 302
        case = Case.objects.get(narrative="Bag snatched at the station")
        assert case.commune == communes[expected]
        assert case.offences.get().commune == communes[expected]
    else:
        assert response.status_code == 200
        assert _summary(response)[0].startswith(f"Commune: {expected}")


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("iccs_section=06", {FES_DRUGS}),
        ("iccs_section=05", {AGADIR_BURGLARY, AGADIR_INBOX}),
        ("recorded_from=2025-01-01&recorded_to=2025-12-31", ALL_CASES - {AGADIR_BURGLARY}),
        ("recorded_to=2024-12-31", {AGADIR_BURGLARY}),
        ("iccs_section=05&recorded_from=2025-01-01", {AGADIR_INBOX}),
        ("unit=ws-agadir", AGADIR_CASES),
        ("unit=ws-fes-d1&in_inbox=true", {FES_INBOX}),
        ("in_inbox=false", ALL_CASES - INBOX_CASES),
        ("status=referred", set()),
        ("reference=CJ-2024", {AGADIR_BURGLARY}),
    ],
)
def test_list_filters(world, scoped_cases, client, query, listed):
    client.force_login(world.users["admin"])

    response = client.get(f"/staff/cases/?{query}")

    assert response.status_code == 200
    assert _listed(response, scoped_cases) == listed


def test_a_unit_outside_ones_scope_is_an_invalid_filter(world, scoped_cases, client, english):
    client.force_login(world.users["officer.fes"])

    response = client.get("/staff/cases/?unit=ws-agadir")

    assert response.status_code == 200
    assert _listed(response, scoped_cases) == set()
    assert "Select a valid choice" in response.content.decode()


def test_list_is_audited_with_its_filters(world, scoped_cases, client):
    client.force_login(world.users["admin"])

    client.get("/staff/cases/?iccs_section=06&recorded_from=2025-01-01")

    event = AuditEvent.objects.get(target="cases.case", action="list")
    assert event.detail == {
        "page": 1,
        "shown": 1,
        "inbox": False,
        "filters": {"iccs_section": "06", "recorded_from": "2025-01-01"},
    }


def test_list_query_count_does_not_grow_with_rows(
    world, scoped_cases, client, django_assert_num_queries
):
    """Session, user (with unit and unit type), the TOTP device (django-otp), the ICCS
    sections, the count, one page of cases with their units and communes, their offences,
    the audit event (lock the chain head, insert, move the head) and the unit choices of the
    filter form: eleven queries however many rows."""
    client.force_login(world.users["admin"])
    for n in range(30):
        case_record(
            actor=None,
            data=CaseInput(
                recording_unit_id=world.units[("ws-fes-d1", "ws-agadir-d1", "sp-sale")[n % 3]].pk,
                occurred_on=scoped_cases.cases[FES_DRUGS].recorded_on,
                recorded_on=scoped_cases.cases[FES_DRUGS].recorded_on,
                offences=[OffenceInput("0502"), OffenceInput("0201")],
            ),
        )

    with django_assert_num_queries(11):
        response = client.get("/staff/cases/?iccs_section=05")

    assert response.status_code == 200
    assert len(response.context["rows"]) == 30 + 2  # and the two Agadir cases of section 05


def test_pages_render_in_arabic_french_and_english(world, scoped_cases, client):
    client.force_login(world.users["officer.fes"])
    case = scoped_cases.cases[FES_ROBBERY]

    for language, direction in (("ar", "rtl"), ("fr", "ltr"), ("en", "ltr")):
        client.cookies["django_language"] = language
        for url in ("/staff/cases/", "/staff/cases/inbox/", _detail(case), "/staff/cases/new/"):
            body = client.get(url).content.decode()
            assert f'<html lang="{language}" dir="{direction}">' in body, url


def test_labels_point_at_their_inputs(world, scoped_cases, client):
    """Every visible input of the entry form has a <label for> (accessible names)."""
    client.force_login(world.users["officer.fes"])

    body = client.get("/staff/cases/new/").content.decode()

    inputs = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', body))
    hidden = set(re.findall(r'<input type="hidden"[^>]*\bid="([^"]+)"', body))
    labels = set(re.findall(r'<label for="([^"]+)"', body))
    assert inputs - hidden
    assert inputs - hidden <= labels


def test_quick_select_writes_the_markup_of_djangos_select(scoped_cases):
    choices = iccs_choices()
    attrs = {"id": "id_x", "aria-invalid": "true", "required": True, "disabled": False}
    assert len(choices) > 3  # grouped by section

    for value in ("0401", "", None):
        django_html = forms.Select(choices=choices, attrs=attrs).render("x", value)
        quick_html = QuickSelect(choices=choices, attrs=attrs).render("x", value)
        assert re.sub(r"\s+", "", quick_html) == re.sub(r"\s+", "", django_html)
    assert 'value="0401" selected' in QuickSelect(choices=choices).render("x", "0401")


@pytest.mark.parametrize(
    "body",
    [
        {"recorded_on": "2025-01-01"},
        {
            "offences-TOTAL_FORMS": "100000",
            "offences-INITIAL_FORMS": "0",
            "parties-TOTAL_FORMS": "abc",
            "parties-INITIAL_FORMS": "0",
        },
    ],
)
def test_entry_form_without_a_usable_management_form_is_refused_not_crashed(world, client, body):
    client.force_login(world.users["officer.fes"])

    response = client.post("/staff/cases/new/", body)

    assert response.status_code == 200
    assert response.context["entry"].errors()
