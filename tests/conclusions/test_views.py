from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notification
from conclusions import services
from conclusions.models import Assignment, ConclusionNotice, ProgressUpdate
from tests.conclusions.helpers import draft_notice, handler_of, held_conference, leader_of, ready_notice
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_clerk_drafts_from_a_held_conference(ward, make_user):
    clerk = make_user("clerk")
    leader_of(ward)
    conference = held_conference(ward)
    client = login(clerk)
    form = client.get(reverse("conclusions:notice_create", args=[conference.pk]))
    assert form.status_code == 200 and "30/09/2026" in form.text  # the summary names the conference day
    response = client.post(
        reverse("conclusions:notice_create", args=[conference.pk]),
        {
            "issuing_body": ward.bodies["UBND"].pk,
            "summary": "Kết luận tại hội nghị đối thoại",
            "items_text": "1. Văn phòng tổng hợp ý kiến.\n\n2. UBND phường trả lời Nhân dân.\n\n3. MTTQ giám sát.",
            "recipients": "Như trên\nLưu: VT",
            "signer": form.context["form"].fields["signer"].queryset.first().pk,
            "sign_mode": "TM.",
            "signer_title": "CHỦ TỊCH",
        },
    )
    notice = ConclusionNotice.objects.get()
    assert response.status_code == 302
    assert [item.text for item in notice.items.all()] == [
        "Văn phòng tổng hợp ý kiến.",
        "UBND phường trả lời Nhân dân.",
        "MTTQ giám sát.",
    ]


def test_planned_conference_cannot_get_a_notice(ward, make_user):
    from tests.factories import conference_for

    conference = conference_for(ward)
    response = login(make_user("clerk")).get(
        reverse("conclusions:notice_create", args=[conference.pk]), follow=True
    )
    assert "chưa thể dự thảo" in response.text


def test_assignment_form_rejects_a_deadline_before_the_conference(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward)
    notice = draft_notice(ward, clerk, conference=conference)
    page = login(clerk).post(
        reverse("conclusions:assignment_add", args=[notice.pk]),
        {
            "item": notice.items.first().pk,
            "task": "Trả lời Nhân dân",
            "lead_agency": ward.bodies["UBND"].pk,
            "deadline_rule": "date",
            "deadline": "01/09/2026",
        },
    )
    assert page.status_code == 400
    assert "không được trước ngày hội nghị (30/09/2026)" in page.text
    assert not Assignment.objects.exists()


def test_issue_through_the_page_and_the_unhandled_warning(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=1)
    notice = draft_notice(ward, clerk, conference=conference)
    detail = login(clerk).get(reverse("conclusions:notice", args=[notice.pk]))
    assert "Còn 1 ý kiến cần xử lý" in detail.text
    leader = login(leader_of(ward))
    page = leader.post(reverse("conclusions:notice_issue", args=[notice.pk]), follow=True)
    assert "Hãy giao việc hoặc ghi hướng xử lý" in page.text
    services.assignment_add(
        notice=notice,
        by=clerk,
        item=notice.items.first(),
        task="Trả lời",
        lead_agency=ward.bodies["UBND"],
        petitions=list(conference.petitions.all()),
        deadline=services.DeadlineSpec(rule="working_days", days=10),
    )
    assert login(clerk).post(reverse("conclusions:notice_issue", args=[notice.pk])).status_code == 403
    page = leader.post(reverse("conclusions:notice_issue", args=[notice.pk]), follow=True)
    notice.refresh_from_db()
    assert notice.is_issued and f"Đã ban hành thông báo số {notice.number_label}" in page.text


def test_an_issued_notice_cannot_be_edited_through_any_page(ward, make_user):
    clerk = make_user("clerk")
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    client = login(clerk)
    assert client.get(reverse("conclusions:notice_edit", args=[notice.pk])).status_code == 403
    response = client.post(reverse("conclusions:notice_edit", args=[notice.pk]), {"summary": "Sửa"})
    assert response.status_code == 403
    assignment = notice.assignments.get()
    assert client.post(reverse("conclusions:assignment_remove", args=[assignment.pk])).status_code == 403
    assert client.post(reverse("conclusions:assignment_add", args=[notice.pk]), {}).status_code == 403
    notice.refresh_from_db()
    assert notice.summary != "Sửa" and notice.assignments.count() == 1


def test_scope_of_notices_and_assignments(ward, other_ward, make_user):
    clerk = make_user("clerk")
    theirs = services.notice_issue(notice=ready_notice(other_ward, clerk), by=leader_of(other_ward))
    client = login(clerk)
    assert client.get(reverse("conclusions:notice", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("conclusions:notice_pdf", args=[theirs.pk])).status_code == 404
    assert (
        client.get(reverse("conclusions:assignment", args=[theirs.assignments.get().pk])).status_code == 404
    )


def test_handler_inbox_reports_done_and_clerk_accepts(ward, make_user):
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    notice = ready_notice(ward, clerk)
    notice = services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 10, 1))
    assignment = notice.assignments.get()
    Assignment.objects.filter(pk=assignment.pk).update(deadline=date(2026, 11, 1))
    inbox = login(handler).get(reverse("conclusions:assignments"))
    assert "Quá hạn" in inbox.text and assignment.task in inbox.text

    handler_client = login(handler)
    url = reverse("conclusions:assignment_report", args=[assignment.pk])
    page = handler_client.post(url, {"answer_to_citizen": ""}, follow=True)
    assert str(services.ANSWER_REQUIRED) in page.text
    handler_client.post(url, {"answer_to_citizen": "Kính gửi ông An: phường đã sửa rãnh thoát nước."})
    assert (
        login(make_user("monitor"))
        .post(reverse("conclusions:assignment_accept", args=[assignment.pk]))
        .status_code
        == 403
    )
    login(clerk).post(reverse("conclusions:assignment_accept", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.status == "accepted"
    assert Notification.objects.filter(recipient=handler, text__startswith="Đã nghiệm thu").exists()


def test_evidence_files_are_checked(ward, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    assignment = notice.assignments.get()
    url = reverse("conclusions:assignment_progress", args=[assignment.pk])
    settings.UPLOAD_MAX_BYTES = 10
    page = login(handler).post(
        url,
        {"text": "Ảnh hiện trường", "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4 more than ten bytes")},
        follow=True,
    )
    assert "Tệp quá lớn" in page.text and not ProgressUpdate.objects.exists()
    settings.UPLOAD_MAX_BYTES = 1024
    login(handler).post(
        url, {"text": "Ảnh hiện trường", "evidence": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")}
    )
    update = ProgressUpdate.objects.get()
    assert login(clerk).get(reverse("conclusions:evidence", args=[update.pk])).status_code == 200
    # Issue 19, trap 7: the link names the file (every link used to read "Tệp kết quả").
    detail = login(clerk).get(reverse("conclusions:assignment", args=[assignment.pk])).text
    assert f"Tệp kết quả: {update.evidence_filename}" in detail and update.evidence_filename.endswith(".pdf")


def test_notifications_bell_and_reading(ward, make_user):
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    client = login(handler)
    home = client.get(reverse("home"))
    assert home.context["unread_notifications"] == 1
    client.post(reverse("accounts:notifications_read"))
    assert client.get(reverse("home")).context["unread_notifications"] == 0


@pytest.mark.parametrize("rows", [2, 12])
def test_assignment_list_queries_do_not_grow(ward, make_user, rows, django_assert_max_num_queries):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk, conference=held_conference(ward, opinions=0))
    for _ in range(rows):
        services.assignment_add(
            notice=notice,
            by=clerk,
            item=notice.items.first(),
            task="Việc",
            lead_agency=ward.bodies["UBND"],
            deadline=services.DeadlineSpec(rule="calendar_days", days=5),
        )
    services.notice_issue(notice=notice, by=leader_of(ward))
    client = login(make_user("leader"))
    with django_assert_max_num_queries(10):
        page = client.get(reverse("conclusions:assignments"), {"mine": "0"})
    assert len(page.context["rows"]) == rows
    # The rows read only the columns they show, and read them all (no query per row).
    notice.refresh_from_db()
    assert notice.number_label in page.text and ward.bodies["UBND"].name in page.text
    with django_assert_max_num_queries(16):
        client.get(reverse("conclusions:notice", args=[notice.pk]))


def test_extension_through_the_pages(ward, make_user):
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    leader = leader_of(ward)
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader)
    assignment = notice.assignments.get()
    page = login(handler).post(
        reverse("conclusions:extension_request", args=[assignment.pk]),
        {"requested_deadline": "31/01/2027", "reason": "Chờ ý kiến của Sở Xây dựng"},
        follow=True,
    )
    assert "Đã gửi đề nghị gia hạn." in page.text
    assert (
        login(clerk)
        .post(reverse("conclusions:extension_decide", args=[assignment.pk]), {"approve": "1"})
        .status_code
        == 403
    )
    page = login(leader).post(
        reverse("conclusions:extension_decide", args=[assignment.pk]),
        {"approve": "1", "note": "Đồng ý"},
        follow=True,
    )
    assert "Đã quyết định gia hạn." in page.text
    assignment.refresh_from_db()
    assert assignment.deadline == date(2027, 1, 31)


def test_a_double_submitted_issue_shows_the_issued_notice(ward, make_user):
    """Issue 20, failure 6: the second submit of a double click met the first one's issue and
    showed a red "cannot edit an issued notice" although the notice was issued once."""
    notice = ready_notice(ward, make_user("clerk"))
    leader = login(leader_of(ward))
    url = reverse("conclusions:notice_issue", args=[notice.pk])
    leader.post(url)
    second = leader.post(url, follow=True)
    notice.refresh_from_db()
    assert second.status_code == 200 and second.redirect_chain[-1][0] == reverse(
        "conclusions:notice", args=[notice.pk]
    )
    assert f"Thông báo đã được ban hành, số {notice.number_label}" in second.text
    assert str(services.ALREADY_ISSUED) not in second.text
    assert ConclusionNotice.objects.filter(pk=notice.pk, number=notice.number).count() == 1
