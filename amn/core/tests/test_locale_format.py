import datetime

import pytest
from django.utils import translation

from amn.core.digits import ascii_digits
from amn.core.locale_format import format_date, format_number, format_percent
from amn.core.localized_fields import localized


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ar", "3.685.964"), ("fr", "3.685.964"), ("en", "3,685,964"), ("xx", "3.685.964")],
)
def test_number_grouping_follows_the_language(language, expected):
    assert format_number(3685964, language=language) == expected


def test_number_uses_the_active_language_by_default():
    with translation.override("en"):
        assert format_number(1575431) == "1,575,431"
    with translation.override("fr"):
        assert format_number(1575431) == "1.575.431"


def test_decimals_use_the_language_decimal_mark():
    assert format_number(95.456, decimals=1, language="fr") == "95,5"
    assert format_number(95.456, decimals=1, language="en") == "95.5"
    assert format_percent(95, language="en") == "95.0%"
    assert format_percent(95, language="ar").startswith("95,0")


def test_missing_values_show_a_dash():
    assert format_number(None) == "—"
    assert format_date(None) == "—"


def test_dates_use_moroccan_month_names_in_arabic():
    day = datetime.date(2025, 12, 17)
    assert "دجنبر" in format_date(day, language="ar")
    assert format_date(day, language="fr") == "17 décembre 2025"
    assert format_date(day, language="en") == "December 17, 2025"
    assert format_date(day, style="short", language="fr") == "17/12/2025"


def test_aware_datetime_is_shown_on_the_casablanca_day():
    late_evening_utc = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=datetime.UTC)
    # Morocco was on UTC+1 until 2026-09-20: 23:30 UTC on 31 December 2025 is 1 January.
    assert format_date(late_evening_utc, language="en") == "January 1, 2026"
    after_switch = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    # Permanent UTC+0 since 2026-09-20 (tzdb 2026c): still 30 November.
    assert format_date(after_switch, language="en") == "November 30, 2026"


def test_arabic_indic_digits_become_ascii():
    assert ascii_digits("٠٦١٢٣٤٥٦٧٨") == "0612345678"
    assert ascii_digits("۱۲۳") == "123"


class Named:
    name_ar = "الرباط"
    name_fr = "Rabat"
    name_en = ""


def test_localized_field_falls_back_to_arabic_then_french():
    assert localized(Named(), "name", language="fr") == "Rabat"
    assert localized(Named(), "name", language="ar") == "الرباط"
    assert localized(Named(), "name", language="en") == "الرباط"
