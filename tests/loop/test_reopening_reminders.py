"""A reopening nobody reviews is chased by the reminder digests (conclusions/reminders.py),
by a rule kept as data: 5 working days after the citizen's "not resolved", then weekly."""

from datetime import date

import pytest

from accounts.models import Notification, Role, User
from conclusions.models import ReminderLog
from conclusions.reminders import reminders_sweep, rules_ensure
from petitions.models import Reopening
from tests.conclusions.helpers import leader_of
from tests.loop.test_answer_loop import answered_petition, give

pytestmark = pytest.mark.django_db


def test_an_unreviewed_reopening_is_chased_until_the_leader_decides(ward, make_user, mailoutbox, settings):
    settings.SITE_URL = "https://doithoai.example.vn"
    rules_ensure()
    clerk = make_user("clerk", email="clerk@example.vn")
    leader = leader_of(ward, email="leader@example.vn")
    petition = answered_petition(ward, clerk)
    give(petition, "not_resolved")
    reopening = Reopening.objects.get()
    # Opened on Thursday 01/10/2026: 5 working days later is Thursday 08/10/2026.
    Reopening.objects.filter(pk=reopening.pk).update(opened_on=date(2026, 10, 1))

    reminders_sweep(today=date(2026, 10, 7))
    assert not ReminderLog.objects.filter(subject_type="reopening").exists()
    reminders_sweep(today=date(2026, 10, 8))
    chased = set(ReminderLog.objects.filter(subject_type="reopening").values_list("recipient", flat=True))
    # The area's clerk and leaders (the one who issued the notice, and this one).
    staff = User.objects.filter(User.role_filter(Role.CLERK) | User.role_filter(Role.LEADER))
    assert chased == set(staff.values_list("pk", flat=True)) and {clerk.pk, leader.pk} <= chased
    leader_mail = next(message for message in mailoutbox if message.to == ["leader@example.vn"])
    assert petition.tracking_code in leader_mail.body
    assert f"https://doithoai.example.vn/ket-luan/mo-lai/{reopening.pk}/" in leader_mail.body
    assert Notification.objects.filter(recipient=leader, url__contains=f"/mo-lai/{reopening.pk}/").exists()

    reminders_sweep(today=date(2026, 10, 8))  # twice the same day: sent once
    assert ReminderLog.objects.filter(subject_type="reopening").count() == len(chased)
    reminders_sweep(today=date(2026, 10, 15))  # a week later, again
    assert ReminderLog.objects.filter(subject_type="reopening").count() == 2 * len(chased)

    Reopening.objects.filter(pk=reopening.pk).update(status="kept", explanation="Đã giải thích")
    reminders_sweep(today=date(2026, 10, 22))
    assert ReminderLog.objects.filter(subject_type="reopening").count() == 2 * len(chased)
