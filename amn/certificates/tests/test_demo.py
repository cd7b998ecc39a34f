"""The demo applications go through the real registry check of the demo registry."""

import pytest

from amn.certificates import demo
from amn.certificates.choices import ApplicationStatus
from amn.certificates.models import CertificateApplication

pytestmark = pytest.mark.django_db


def test_demo_applications_reach_their_states_and_reloading_adds_nothing(demo_data):
    states = dict(CertificateApplication.objects.values_list("cnie", "status"))

    assert states == {
        "AB998877": ApplicationStatus.ISSUED,
        "JB662201": ApplicationStatus.IN_REVIEW,
        "JC90341": ApplicationStatus.AWAITING_CONFIRMATION,
        "AB998878": ApplicationStatus.SUBMITTED,
    }
    issued = CertificateApplication.objects.get(cnie="AB998877")
    assert issued.certificate.statement == "NO_RECORD"
    assert demo.load_demo() == "certificate applications: 0 created"
    assert CertificateApplication.objects.count() == 4
