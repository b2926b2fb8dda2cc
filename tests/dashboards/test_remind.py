""" "Nhắc ngay" from the leader's overdue review: one notification and one digest per person
now, logged; refused for the same agency within the hour; only leaders and clerks."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification
from dashboards.models import AgencyReminder
from tests.conftest import login
from tests.dashboards.boards_data import build
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(city):
    return build(city)


def remind(client, agency, capture):
    with capture(execute=True):
        return client.post(reverse("dashboards:remind", args=[agency.pk]), follow=True)


def test_remind_now_sends_once_and_refuses_within_the_hour(boards, django_capture_on_commit_callbacks):
    leader = login(boards.users["leader"])
    page = remind(leader, boards.office, django_capture_on_commit_callbacks)
    assert page.status_code == 200
    log = AgencyReminder.objects.get()
    assert (log.agency, log.sent_by, log.item_count) == (boards.office, boards.users["leader"], 3)
    # Two handlers of the office, and the leader who is responsible for one item.
    assert log.recipient_count == 3
    notes = Notification.objects.filter(text__startswith="Nhắc ngay")
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["canbo", "canbo2", "lanhdao"]
    assert "3 việc quá hạn" in notes.get(recipient=boards.users["handler"]).text
    assert "1 việc quá hạn" in notes.get(recipient=boards.users["leader"]).text
    handler_mail = [m for m in mail.outbox if m.to == ["huy@example.vn"]]
    assert len(handler_mail) == 1
    body = handler_mail[0].body
    assert "quá hạn 40 ngày" in body and "quá hạn 3 ngày" in body
    assert "Cầu Giấy" not in body
    assert "Đã nhắc" in page.text

    again = remind(login(boards.users["clerk"]), boards.office, django_capture_on_commit_callbacks)
    assert "chỉ được nhắc ngay một lần trong một giờ" in again.text
    assert AgencyReminder.objects.count() == 1 and notes.count() == 3 and len(mail.outbox) == 2

    # An agency with nobody to tell is refused; once it has a handler it is reminded, not
    # held back by the other agency's reminder.
    committee = boards.ward.bodies["UBND"]
    refused = remind(leader, committee, django_capture_on_commit_callbacks)
    assert "chưa có cán bộ được giao xử lý" in refused.text
    UserFactory(agency=committee, is_handler=True, email="ubnd@example.vn")
    remind(leader, committee, django_capture_on_commit_callbacks)
    assert AgencyReminder.objects.count() == 2

    AgencyReminder.objects.filter(agency=boards.office).update(sent_at=timezone.now() - timedelta(minutes=61))
    remind(leader, boards.office, django_capture_on_commit_callbacks)
    assert AgencyReminder.objects.filter(agency=boards.office).count() == 2


def test_nothing_overdue_is_not_sent(boards, django_capture_on_commit_callbacks):
    from conclusions.models import Assignment

    Assignment.objects.filter(lead_agency=boards.office).update(status=Assignment.Status.ACCEPTED)
    page = remind(login(boards.users["leader"]), boards.office, django_capture_on_commit_callbacks)
    assert "không có việc quá hạn" in page.text
    assert not AgencyReminder.objects.exists() and not mail.outbox


def test_who_may_remind(boards, django_capture_on_commit_callbacks):
    url = reverse("dashboards:remind", args=[boards.office.pk])
    assert login(boards.users["monitor"]).post(url).status_code == 403
    assert login(boards.users["handler"]).post(url).status_code == 403
    assert login(boards.users["leader"]).get(url).status_code == 405
    # An agency the leader cannot see any work of is not found.
    other = reverse("dashboards:remind", args=[boards.other.bodies["UBND"].pk])
    assert login(boards.users["leader"]).post(other).status_code == 404
    assert not AgencyReminder.objects.exists()


def test_review_shows_the_button_to_leaders_and_clerks_only(boards):
    button = reverse("dashboards:remind", args=[boards.office.pk])
    assert button in login(boards.users["leader"]).get(reverse("dashboards:overdue")).text
    assert button not in login(boards.users["monitor"]).get(reverse("dashboards:overdue")).text
