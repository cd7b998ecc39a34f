"""Moroccan phone numbers."""

import pytest

from amn.accounts.phones import phone_normalise


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("0612345678", "+212612345678"),
        ("0712345678", "+212712345678"),
        ("0522123456", "+212522123456"),  # landline
        ("+212612345678", "+212612345678"),
        ("00212612345678", "+212612345678"),
        ("+212 612-345-678", "+212612345678"),
        ("06.12.34.56.78", "+212612345678"),
        ("(06) 12 34 56 78", "+212612345678"),
        (" 0612345678 ", "+212612345678"),
        ("٠٦١٢٣٤٥٦٧٨", "+212612345678"),  # Arabic-Indic digits
        ("۰۶۱۲۳۴۵۶۷۸", "+212612345678"),  # Persian digits
        ("+٢١٢٦١٢٣٤٥٦٧٨", "+212612345678"),
    ],
)
def test_valid_numbers_are_normalised(raw, normalised):
    assert phone_normalise(raw) == normalised


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "612345678",  # no trunk prefix
        "0812345678",  # 8 is not a Moroccan mobile/landline lead digit
        "061234567",  # too short
        "06123456789",  # too long
        "+33612345678",  # France
        "0612345678x",
        "abc",
        "+212+612345678",
        "٠٦١٢٣٤٥٦٧",  # Arabic-Indic, too short
    ],
)
def test_invalid_numbers_give_none(raw):
    assert phone_normalise(raw) is None
