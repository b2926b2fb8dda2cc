"""Supervision remarks: a monitor writes on a conference or an assignment, the area's leaders
are told and answer, the monitor is told; who may do what; history; the dashboard's list."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import Notification
from dashboards import services
from dashboards.models import SupervisionRemark
from tests.conftest import login
from tests.dashboards.boards_data import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def boards(city):
    return build(city)


def test_remark_on_a_conference_is_answered_by_the_area(boards):
    conference = boards.conferences["main"]
    monitor, leader = boards.users["monitor"], boards.users["leader"]
    response = login(monitor).post(
        reverse("dashboards:conference_remark", args=[conference.pk]),
        {"text": "Đề nghị báo cáo tiến độ trả lời ý kiến về rãnh thoát nước."},
    )
    assert response.status_code == 302
    remark = SupervisionRemark.objects.get()
    assert (remark.conference, remark.area, remark.author) == (conference, boards.ward, monitor)
    told = Notification.objects.filter(text__contains="Ý kiến giám sát")
    assert set(told.values_list("recipient__username", flat=True)) == {"lanhdao", "vanphong"}

    page = login(leader).get(reverse("dialogue:detail", args=[conference.pk]))
    assert "rãnh thoát nước" in page.text
    assert reverse("dashboards:remark_answer", args=[remark.pk]) in page.text  # may answer

    dashboard = login(monitor).get(reverse("dashboards:supervision"))
    assert dashboard.context["remarks"] == [remark]

    login(leader).post(
        reverse("dashboards:remark_answer", args=[remark.pk]),
        {"answer": "Phòng Kinh tế đã khảo sát, sẽ nạo vét trong tháng."},
    )
    remark.refresh_from_db()
    assert remark.answered_by == leader and remark.answered_at is not None
    assert Notification.objects.filter(recipient=monitor, text__contains="đã trả lời").exists()
    assert login(monitor).get(reverse("dashboards:supervision")).context["remarks"] == []
    assert [h.history_user for h in remark.history.order_by("history_date")] == [monitor, leader]


def test_remark_on_an_assignment_has_its_own_page(boards):
    work = boards.assignments["overdue_40"]
    url = reverse("dashboards:assignment_remarks", args=[work.pk])
    monitor = login(boards.users["monitor"])
    assert (
        monitor.post(url, {"text": "Việc đã quá hạn 40 ngày, đề nghị làm rõ trách nhiệm."}).status_code == 302
    )
    remark = SupervisionRemark.objects.get()
    # Answered by the area of the lead agency (the ward's office, so the ward's leaders).
    assert remark.area == boards.ward
    page = login(boards.users["clerk"]).get(url)
    assert "làm rõ trách nhiệm" in page.text and page.context["form"] is None
    assert page.context["remarks"] == [(remark, True)]
    login(boards.users["clerk"]).post(
        reverse("dashboards:remark_answer", args=[remark.pk]), {"answer": "Đã đôn đốc phòng."}
    )
    remark.refresh_from_db()
    assert remark.answer == "Đã đôn đốc phòng."


def test_who_may_write_and_answer(boards):
    conference = boards.conferences["main"]
    write = reverse("dashboards:conference_remark", args=[conference.pk])
    assert login(boards.users["leader"]).post(write, {"text": "x"}).status_code == 403
    assert login(boards.users["handler"]).post(write, {"text": "x"}).status_code == 403
    remark = services.remark_create(by=boards.users["monitor"], text="Cần báo cáo lại", conference=conference)
    answer = reverse("dashboards:remark_answer", args=[remark.pk])
    assert login(boards.users["monitor"]).post(answer, {"answer": "x"}).status_code == 403
    assert (
        login(boards.users["other_leader"]).post(answer, {"answer": "x"}).status_code == 404
    )  # out of scope
    # A monitor of another ward cannot even reach the conference.
    from tests.factories import UserFactory

    outsider = UserFactory(agency=boards.other.bodies["MTTQ"], is_monitor=True)
    assert login(outsider).post(write, {"text": "x"}).status_code == 404
    work_page = reverse("dashboards:assignment_remarks", args=[boards.assignments["overdue_3"].pk])
    assert login(outsider).get(work_page).status_code == 404
    assert login(boards.users["leader"]).post(work_page, {"text": "x"}).status_code == 403


def test_a_remark_is_answered_once(boards):
    remark = services.remark_create(
        by=boards.users["monitor"], text="Cần báo cáo lại", conference=boards.conferences["main"]
    )
    services.remark_answer(remark=remark, by=boards.users["leader"], answer="Đã báo cáo")
    with pytest.raises(ValidationError, match="đã được trả lời"):
        services.remark_answer(remark=remark, by=boards.users["clerk"], answer="Lần hai")
    with pytest.raises(ValidationError, match="Hãy ghi nội dung"):
        services.remark_create(by=boards.users["monitor"], text="  ", conference=boards.conferences["main"])


def test_conference_page_offers_the_form_to_monitors_only(boards):
    url = reverse("dialogue:detail", args=[boards.conferences["main"].pk])
    form_action = reverse("dashboards:conference_remark", args=[boards.conferences["main"].pk])
    assert form_action in login(boards.users["monitor"]).get(url).text
    leader_page = login(boards.users["leader"]).get(url).text
    assert form_action not in leader_page and 'id="giam-sat"' not in leader_page  # nothing to show yet
