"""Sign-in attempts are rate-limited per identity, whatever the client address."""

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db


def test_staff_sign_in_attempts_are_rate_limited_per_identity(world, client):
    cache.clear()
    for n in range(10):
        client.post(
            "/accounts/staff/login/",
            {"username": "agent.fes", "password": "wrong"},
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    response = client.post(
        "/accounts/staff/login/",
        {"username": "AGENT.FES ", "password": "wrong"},
        REMOTE_ADDR="198.51.100.200",
    )
    assert response.status_code == 429
    assert "429.html" in [t.name for t in response.templates]
