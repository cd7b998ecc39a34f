"""Expiry reminders: sent once per card (recorded), never for cards outside the window,
replaced, or whose holder already filed a renewal; a failed send is retried next run. The
same through `amn permits-remind` and the background task."""

import io
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from amn.core.errors import DomainError
from amn.permits import services
from amn.permits.models import ExpiryReminder, ResidenceCard
from amn.permits.tasks import expiry_reminders
from amn.permits.tests.factories import card_issued, days, renewal_input

pytestmark = pytest.mark.django_db


def _card(expires_in: int, passport: str, email: str = "holder@example.com"):
    return card_issued(expires_on=days(expires_in), passport_number=passport, email=email)


def test_each_card_is_reminded_once(world):
    soon = _card(30, "PASS00001", "soon@example.com")
    today_last = _card(1, "PASS00002", "last@example.com")
    _card(61, "PASS00003")  # outside the 60-day window
    summary = services.card_expiry_reminders_send(days=60)
    assert (summary.sent, summary.already_reminded, summary.renewal_filed, summary.failed) == (
        1 + 1,
        0,
        0,
        0,
    )
    assert sorted(message.to[0] for message in mail.outbox) == [
        "last@example.com",
        "soon@example.com",
    ]
    assert soon.number in next(m.body for m in mail.outbox if m.to == ["soon@example.com"])
    assert ExpiryReminder.objects.get(card=soon).days_left == 30
    assert ExpiryReminder.objects.get(card=today_last).days_left == 1

    again = services.card_expiry_reminders_send(days=60)
    assert (again.sent, again.already_reminded) == (0, 2)
    assert len(mail.outbox) == 2
    assert ExpiryReminder.objects.count() == 2


def test_a_wider_window_reminds_the_others_only(world):
    _card(30, "PASS00001")
    services.card_expiry_reminders_send(days=60)
    _card(80, "PASS00002")
    summary = services.card_expiry_reminders_send(days=90)
    assert (summary.sent, summary.already_reminded) == (1, 1)


def test_holders_who_filed_a_renewal_and_replaced_cards_are_not_reminded(world):
    renewing = _card(20, "PASS00001")
    services.residence_application_submit(actor=None, data=renewal_input(renewing))
    replaced = _card(25, "PASS00002")
    ResidenceCard.objects.filter(pk=replaced.pk).update(status="replaced")
    summary = services.card_expiry_reminders_send(days=60)
    assert (summary.sent, summary.renewal_filed) == (0, 1)
    assert mail.outbox == [] and not ExpiryReminder.objects.exists()


def test_a_failed_send_is_retried_on_the_next_run(world):
    card = _card(10, "PASS00001")
    with mock.patch(
        "amn.permits.notifications.send_mail", side_effect=ConnectionRefusedError("no smtp")
    ):
        summary = services.card_expiry_reminders_send(days=60)
    assert (summary.sent, summary.failed) == (0, 1)
    assert not ExpiryReminder.objects.exists()
    summary = services.card_expiry_reminders_send(days=60)
    assert summary.sent == 1 and ExpiryReminder.objects.get().card == card


def test_the_window_is_bounded(world):
    for days_ in (0, 366):
        with pytest.raises(DomainError):
            services.card_expiry_reminders_send(days=days_)


def test_the_command_is_idempotent(world):
    _card(45, "PASS00001")
    out = io.StringIO()
    call_command("permits-remind", stdout=out)
    assert "reminders sent: 1" in out.getvalue()
    out = io.StringIO()
    call_command("permits-remind", "--days", "60", stdout=out)
    text = out.getvalue()
    assert "reminders sent: 0" in text and "already reminded: 1" in text
    assert len(mail.outbox) == 1
    out = io.StringIO()
    call_command("permits-remind", "--days", "30", stdout=out)
    assert "reminders sent: 0" in out.getvalue()


def test_the_command_refuses_a_bad_window_and_reports_failures(world):
    with pytest.raises(CommandError):
        call_command("permits-remind", "--days", "0", stdout=io.StringIO())
    _card(5, "PASS00001")
    with (
        mock.patch("amn.permits.notifications.send_mail", side_effect=OSError("down")),
        pytest.raises(CommandError, match="retried"),
    ):
        call_command("permits-remind", stdout=io.StringIO())


def test_the_background_task(world):
    _card(15, "PASS00001")
    assert expiry_reminders.call(days=60) == {
        "days": 60,
        "sent": 1,
        "already_reminded": 0,
        "renewal_filed": 0,
        "failed": 0,
    }
    assert expiry_reminders.call(days=60)["already_reminded"] == 1
