"""The key scoping rule on the real demo data of `amn load-demo` (with the census geography).

Kept to one test: loading the geography costs over a second. Every other scoping test uses
the lighter `world` fixture built from the same demo tables.
"""

import pytest

from amn.accounts.models import User
from amn.people.models import Person


@pytest.mark.django_db
def test_demo_agadir_agent_cannot_read_a_fes_person_by_url_or_api(demo_data, client):
    fes_person = Person.objects.get(cnie_number="C100001", recorded_by__code="ws-fes-d1")
    agadir_agent = User.objects.get(username="agent.agadir", unit__code="ws-agadir-d1")
    fes_agent = User.objects.get(username="agent.fes", unit__code="ws-fes-d1")

    client.force_login(agadir_agent)
    assert client.get(f"/staff/people/{fes_person.id}/").status_code == 404
    api_response = client.get(f"/api/v1/people/{fes_person.id}")
    assert api_response.status_code == 404
    assert api_response.json()["error"]["code"] == "not_found"

    client.force_login(fes_agent)
    assert client.get(f"/staff/people/{fes_person.id}/").status_code == 200
    assert client.get(f"/api/v1/people/{fes_person.id}").status_code == 200
