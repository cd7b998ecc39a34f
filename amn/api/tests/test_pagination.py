"""A page number beyond any list is refused with 422, never a 500 (integer overflow)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["99999999999999999999", "1000001", "0", "-1"])
def test_out_of_range_page_is_a_422(client, page):
    response = client.get(f"/api/v1/mobile-units/stops/upcoming?page={page}")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"


def test_a_real_page_is_served(client):
    assert client.get("/api/v1/mobile-units/stops/upcoming?page=1").status_code == 200
