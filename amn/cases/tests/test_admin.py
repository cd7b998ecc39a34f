import pytest

from amn.accounts.services import staff_account_create
from amn.cases.models import NationalCategory
from amn.cases.reference import load_reference
from amn.orgunits.models import UnitType
from amn.orgunits.reference import load_reference as load_unit_types
from amn.orgunits.services import unit_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    load_unit_types(actor=None)
    load_reference(actor=None)
    hq = unit_create(
        actor=None,
        code="hq",
        name_ar="م",
        name_fr="HQ",
        name_en="HQ",
        unit_type=UnitType.objects.get(code="directorate-general"),
        parent=None,
        commune=None,
        effective_on=None,
        date_precision="unknown",
        decision_reference="test",
    )
    admin = staff_account_create(
        actor=None, username="root", password="x-Pass-2025!", role="administrator", unit=hq
    )
    client.force_login(admin)
    return client


def test_an_administrator_edits_a_national_category(admin_client):
    cyber = NationalCategory.objects.get(code="cybercrime")
    url = f"/admin/cases/nationalcategory/{cyber.pk}/change/"

    response = admin_client.post(
        url,
        {
            "code": "cybercrime",
            "name_ar": cyber.name_ar,
            "name_fr": cyber.name_fr,
            "name_en": cyber.name_en,
            "iccs_codes": ["0903", "07019"],
        },
    )

    assert response.status_code == 302
    assert set(cyber.iccs_codes.values_list("code", flat=True)) == {"0903", "07019"}


def test_the_iccs_table_is_read_only_in_the_admin(admin_client):
    assert admin_client.get("/admin/cases/iccscategory/").status_code == 200
    assert admin_client.get("/admin/cases/iccscategory/0401/change/").status_code == 200
    assert admin_client.post("/admin/cases/iccscategory/0401/delete/").status_code == 403
