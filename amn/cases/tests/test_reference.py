import pytest

from amn.cases.models import IccsCategory, NationalCategory
from amn.cases.reference import load_reference

pytestmark = pytest.mark.django_db


def test_iccs_table_has_the_sections_and_divisions_of_version_1():
    load_reference(actor=None)
    assert IccsCategory.objects.filter(level=1).count() == 11
    assert IccsCategory.objects.filter(level=2).count() == 63
    robbery = IccsCategory.objects.get(code="0401")
    assert (robbery.parent_id, robbery.label_en) == ("04", "Robbery")
    assert robbery.label_ar and robbery.label_fr
    for category in IccsCategory.objects.exclude(level=1):
        assert category.code.startswith(category.parent_id)
        assert category.level == category.parent.level + 1


def test_national_categories_are_sets_of_iccs_codes():
    load_reference(actor=None)
    codes = {
        category.code: sorted(category.iccs_codes.values_list("code", flat=True))
        for category in NationalCategory.objects.all()
    }
    assert codes["drug_offences"] == ["0601", "0609"]
    assert codes["illegal_migration"] == ["0805"]  # ICCS v1.0: acts related to migration
    assert codes["money_laundering"] == ["0704"]
    assert any("0401".startswith(prefix) for prefix in codes["violent_crime"])  # robbery


def test_reloading_keeps_an_administrators_edit_of_a_category():
    load_reference(actor=None)
    cyber = NationalCategory.objects.get(code="cybercrime")
    cyber.iccs_codes.add("07019")  # identity theft committed online, say

    load_reference(actor=None)

    assert set(cyber.iccs_codes.values_list("code", flat=True)) == {"0903", "07019"}
    assert IccsCategory.objects.count() == 98
