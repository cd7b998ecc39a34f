"""Rate limits: per client and per identity, 429 with Retry-After, never a 5xx."""

import json

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from amn.core.ratelimits import (
    UNKNOWN_CLIENT,
    Ratelimited,
    client_ip,
    rate_limit,
    too_many_requests,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _request(ip="192.0.2.1", **post):
    request = RequestFactory().post("/x/", post, REMOTE_ADDR=ip)
    return request


def test_a_client_over_its_rate_is_refused_and_others_are_not():
    for _ in range(3):
        rate_limit(_request(), group="test.client", rate="3/m")
    with pytest.raises(Ratelimited):
        rate_limit(_request(), group="test.client", rate="3/m")
    rate_limit(_request(ip="192.0.2.2"), group="test.client", rate="3/m")


def test_an_identity_is_limited_whatever_the_client():
    def by_cnie(_group, request):
        return request.POST.get("cnie", "")

    for n in range(2):
        rate_limit(_request(ip=f"192.0.2.{n}", cnie="AB123"), group="t.id", rate="2/m", key=by_cnie)
    with pytest.raises(Ratelimited):
        rate_limit(_request(ip="192.0.2.99", cnie="AB123"), group="t.id", rate="2/m", key=by_cnie)
    rate_limit(_request(ip="192.0.2.99", cnie="CD456"), group="t.id", rate="2/m", key=by_cnie)
    rate_limit(_request(ip="192.0.2.99", cnie=""), group="t.id", rate="0/m", key=by_cnie)


def test_the_answer_is_429_with_retry_after_as_json_under_the_api():
    response = too_many_requests(RequestFactory().get("/api/v1/x"), Ratelimited())
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert json.loads(response.content)["error"]["code"] == "rate_limited"


@pytest.mark.parametrize(
    ("meta", "proxies", "expected"),
    [
        ({"REMOTE_ADDR": "192.0.2.7"}, 0, "192.0.2.7"),
        ({}, 0, UNKNOWN_CLIENT),
        ({"REMOTE_ADDR": ""}, 0, UNKNOWN_CLIENT),
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.9, 10.0.0.1"},
            0,
            "10.0.0.1",
        ),
        (
            {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 198.51.100.9"},
            1,
            "198.51.100.9",
        ),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "not-an-ip"}, 1, UNKNOWN_CLIENT),
    ],
)
def test_client_address_never_fails(settings, meta, proxies, expected):
    settings.AXES_IPWARE_PROXY_COUNT = proxies
    request = RequestFactory().get("/")
    request.META.pop("REMOTE_ADDR", None)
    request.META.update(meta)
    assert client_ip(request) == expected
