"""The conclusions' JSON API: scoping, drafting and issuing notices, an issued notice that never
changes, the PDF, the assignees' and the issuer's actions on assignments, filters,
confidentiality and query counts."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.api import NO_ROLE, WRITE_NEEDS_EDITOR
from conclusions import services
from conclusions.api import (
    CONFERENCE_NOT_EDITABLE,
    CONFERENCE_NOT_HELD,
    DRAFTS_NOT_DELETED,
    ITEM_NOT_FOUND,
    NO_PENDING_EXTENSION,
    NOT_A_SIGNER,
    NOT_AN_ISSUING_BODY,
    NOT_ISSUED_YET,
    PDF_PENDING,
)
from conclusions.models import Assignment, ConclusionNotice, ExtensionRequest, ProgressUpdate
from conclusions.tasks import notices_render_pending
from core.uploads import FILE_CONTENT_MISMATCH, FILE_TYPE_NOT_ALLOWED
from dialogue.models import Conference
from petitions import services as petition_services
from petitions.models import CONFIDENTIAL_PETITIONER, Petition
from tests.api.conclusions_factories import give, issued_notice, set_deadline
from tests.conclusions.helpers import SEED_004_ITEMS, draft_notice, handler_of, held_conference, leader_of
from tests.conftest import login
from tests.factories import conference_for, petition_for
from tests.petitions.written_helpers import letter

pytestmark = pytest.mark.django_db

SECRET_NAME = "Nguyễn Văn Bí Mật Zed"
SECRET_PHONE = "0987000111"

NOTICES = reverse("api:notice-list")
ASSIGNMENTS = reverse("api:assignment-list")


def notice_url(notice, action=None):
    return reverse(f"api:notice-{action or 'detail'}", args=[notice.pk])


def assignment_url(assignment, action=None):
    return reverse(f"api:assignment-{action or 'detail'}", args=[assignment.pk])


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def today():
    return timezone.localdate()


@pytest.fixture
def clerk(make_user):
    return make_user("clerk")


@pytest.fixture
def leader(ward):
    return leader_of(ward)


@pytest.fixture
def handler(ward):
    return handler_of(ward.bodies["UBND"])


@pytest.fixture
def notice(ward, clerk, leader):
    """Issued, its one assignment (to the People's Committee) answering both opinions."""
    return issued_notice(ward, clerk, leader=leader)


@pytest.fixture
def assignment(notice):
    return notice.assignments.get()


def draft_payload(ward, conference, signer, **changes):
    return {
        "conference": conference.pk,
        "issuing_body": ward.bodies["UBND"].pk,
        "summary": "Kết luận tại hội nghị đối thoại với Nhân dân",
        "preamble": "Chủ trì hội nghị kết luận như sau:",
        "items": ["Văn phòng tổng hợp ý kiến.", "UBND phường trả lời Nhân dân."],
        "closing": "Đề nghị các cơ quan thực hiện.",
        "recipients": "Như trên\nLưu: VT",
        "signer": signer.pk,
        "sign_mode": "TM.",
        "signer_title": "CHỦ TỊCH",
        **changes,
    }


# --- scoping and roles -------------------------------------------------------------------


def test_notices_and_assignments_are_scoped_to_the_users_area(ward, other_ward, clerk, make_user):
    own = draft_notice(ward, clerk, conference=held_conference(ward))
    theirs = issued_notice(other_ward, make_user("clerk", agency=other_ward.bodies["UBND"]))
    client = login(clerk)

    assert ids(client.get(NOTICES)) == {own.pk}
    for url in (
        notice_url(theirs),
        notice_url(theirs, "pdf"),
        assignment_url(theirs.assignments.get()),
    ):
        assert client.get(url).status_code == 404
    assert ids(client.get(ASSIGNMENTS)) == set()

    detail = client.get(notice_url(own))
    assert detail.status_code == 200
    assert [(item["position"], item["text"]) for item in detail.json()["items"]] == list(
        enumerate(SEED_004_ITEMS, start=1)
    )
    assert detail.json()["area"]["id"] == ward.pk


def test_a_user_without_a_role_reads_nothing_and_anonymous_callers_get_401(make_user, assignment):
    client = login(make_user())

    for url in (NOTICES, ASSIGNMENTS):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json()["detail"] == str(NO_ROLE)
    progress = post(client, assignment_url(assignment, "progress"), {"text": "..."})
    assert progress.status_code == 403 and progress.json()["detail"] == str(NO_ROLE)
    assert Client().get(NOTICES).status_code == 401
    assert Client().post(assignment_url(assignment, "progress"), {"text": "..."}).status_code == 401


# --- drafting ----------------------------------------------------------------------------


def test_a_clerk_drafts_a_notice_and_assigns_its_items(ward, clerk, leader):
    conference = held_conference(ward, opinions=1)
    client = login(clerk)

    created = post(client, NOTICES, draft_payload(ward, conference, leader))

    assert created.status_code == 201, created.content
    notice = ConclusionNotice.objects.get()
    body = created.json()
    assert body["id"] == notice.pk and body["status"] == "draft" and body["number_label"] == ""
    assert [item["position"] for item in body["items"]] == [1, 2]
    assert body["pdf_pending"] is False
    assert body["pdf_url"] == f"http://testserver{notice_url(notice, 'pdf')}"
    assert (notice.area, notice.conference, notice.created_by) == (ward, conference, clerk)

    petition = conference.petitions.get()
    response = post(
        client,
        notice_url(notice, "assignments"),
        {
            "item": 2,
            "task": "Trả lời ý kiến về chiếu sáng ngõ 12",
            "lead_agency": ward.bodies["UBND"].pk,
            "coordinating_agencies": [ward.bodies["MTTQ"].pk],
            "responsible_person": leader.pk,
            "petitions": [petition.pk],
            "deadline_rule": "working_days",
            "deadline_days": 10,
        },
    )

    assert response.status_code == 201, response.content
    assignment = Assignment.objects.get()
    assert response.json()["id"] == assignment.pk
    assert response.json()["item"]["position"] == 2
    assert response.json()["petitions"][0]["id"] == petition.pk
    assert assignment.deadline is None and assignment.deadline_days == 10  # fixed at issue
    assert list(assignment.coordinating_agencies.all()) == [ward.bodies["MTTQ"]]
    listed = client.get(notice_url(notice)).json()["assignments"]
    assert [(row["id"], row["item"], row["deadline_rule"]) for row in listed] == [
        (assignment.pk, 2, "working_days")
    ]


def test_drafting_checks_the_conference_the_body_and_the_signer(ward, other_ward, clerk, leader):
    held = held_conference(ward)
    client = login(clerk)

    planned = post(client, NOTICES, draft_payload(ward, conference_for(ward), leader))
    foreign_conference = conference_for(other_ward, status="held")
    foreign = post(client, NOTICES, draft_payload(ward, foreign_conference, leader))
    front = post(client, NOTICES, draft_payload(ward, held, leader, issuing_body=ward.bodies["MTTQ"].pk))
    not_a_leader = post(client, NOTICES, draft_payload(ward, held, clerk))
    no_items = post(client, NOTICES, draft_payload(ward, held, leader, items=[]))

    assert planned.status_code == 400 and planned.json()["conference"] == [str(CONFERENCE_NOT_HELD)]
    assert foreign.json()["conference"] == [
        str(CONFERENCE_NOT_EDITABLE).format(pk_value=foreign_conference.pk)
    ]
    assert front.json() == {"issuing_body": [str(NOT_AN_ISSUING_BODY)]}
    assert not_a_leader.json() == {"signer": [str(NOT_A_SIGNER)]}
    assert no_items.status_code == 400 and "items" in no_items.json()
    assert not ConclusionNotice.objects.exists()


def test_assignment_input_is_checked_by_the_serializer_and_the_service(ward, clerk):
    notice = draft_notice(ward, clerk, conference=held_conference(ward))
    client = login(clerk)
    payload = {"item": 1, "task": "Trả lời", "lead_agency": ward.bodies["UBND"].pk, "deadline_rule": "date"}

    no_such_item = post(
        client, notice_url(notice, "assignments"), {**payload, "item": 9, "deadline": "2026-12-31"}
    )
    too_early = post(client, notice_url(notice, "assignments"), {**payload, "deadline": "2026-09-01"})
    no_date = post(client, notice_url(notice, "assignments"), payload)

    assert no_such_item.json() == {"item": [str(ITEM_NOT_FOUND).format(position=9)]}
    assert too_early.status_code == 400
    assert too_early.json() == {"deadline": ["Hạn xử lý không được trước ngày hội nghị (30/09/2026)."]}
    assert no_date.json() == {"deadline": [str(services.DEADLINE_NEEDS_DATE)]}
    assert not Assignment.objects.exists()


def test_a_draft_is_changed_with_patch_and_put(ward, clerk, leader):
    notice = draft_notice(ward, clerk, conference=held_conference(ward), signer=leader)
    client = login(clerk)

    patched = client.patch(
        notice_url(notice),
        {"summary": "Kết luận (sửa)", "items": ["Một mục."]},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    assert patched.json()["summary"] == "Kết luận (sửa)"
    assert [item["text"] for item in patched.json()["items"]] == ["Một mục."]

    put = client.put(
        notice_url(notice),
        {
            key: value
            for key, value in draft_payload(ward, notice.conference, leader).items()
            if key != "conference"
        },
        content_type="application/json",
    )
    assert put.status_code == 200, put.content
    notice.refresh_from_db()
    assert notice.summary == "Kết luận tại hội nghị đối thoại với Nhân dân" and notice.items.count() == 2


def test_a_draft_is_not_deleted_through_the_api(ward, clerk):
    notice = draft_notice(ward, clerk, conference=held_conference(ward))

    response = login(clerk).delete(notice_url(notice))

    assert response.status_code == 405
    assert response.json()["detail"] == str(DRAFTS_NOT_DELETED)
    assert ConclusionNotice.objects.filter(pk=notice.pk).exists()


@pytest.mark.parametrize("role", ["monitor", "handler"])
def test_only_clerks_and_leaders_draft(ward, make_user, leader, role):
    conference = held_conference(ward)
    draft = draft_notice(ward, leader, conference=conference)
    client = login(make_user(role))

    responses = [
        post(client, NOTICES, draft_payload(ward, conference, leader)),
        client.patch(notice_url(draft), {"summary": "Sửa"}, content_type="application/json"),
        post(client, notice_url(draft, "assignments"), {"item": 1}),
    ]

    assert [response.status_code for response in responses] == [403] * 3
    assert responses[0].json()["detail"] == str(WRITE_NEEDS_EDITOR)
    assert ConclusionNotice.objects.count() == 1


# --- issuing -----------------------------------------------------------------------------


def test_a_leader_issues_and_the_number_is_given(ward, clerk, leader):
    from tests.conclusions.helpers import ready_notice

    notice = ready_notice(ward, clerk)

    response = post(login(leader), notice_url(notice, "issue"))

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["number_label"], body["issued_on"]) == ("issued", "01/TB-UBND", str(today()))
    assert body["pdf_pending"] is True and body["pdf_url"] is None
    assert body["assignments"][0]["deadline"] == "2026-12-31"
    notice.conference.refresh_from_db()
    assert notice.conference.status == Conference.Status.CONCLUDED


def test_a_clerk_may_not_issue(ward, clerk):
    from tests.conclusions.helpers import ready_notice

    notice = ready_notice(ward, clerk)

    response = post(login(clerk), notice_url(notice, "issue"))

    assert response.status_code == 403
    assert response.json()["detail"] == str(services.ONLY_LEADERS_ISSUE)
    notice.refresh_from_db()
    assert notice.status == "draft" and notice.number is None


def test_issuing_with_opinions_left_is_refused_with_the_services_message(ward, clerk, leader):
    notice = draft_notice(ward, clerk, conference=held_conference(ward, opinions=1))

    response = post(login(leader), notice_url(notice, "issue"))

    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith("Còn 1 ý kiến cần xử lý") and "#1" in message
    assert ConclusionNotice.objects.get(pk=notice.pk).status == "draft"


def test_an_issued_notice_never_changes_through_the_api(ward, clerk, leader, notice):
    before = ConclusionNotice.objects.get(pk=notice.pk)
    items_before = list(notice.items.values_list("position", "text"))
    client = login(clerk)
    payload = draft_payload(ward, notice.conference, leader, summary="Sửa lén", items=["Mục mới"])
    del payload["conference"]

    responses = {
        "PATCH": client.patch(notice_url(notice), {"summary": "Sửa lén"}, content_type="application/json"),
        "PUT": client.put(notice_url(notice), payload, content_type="application/json"),
        "DELETE": client.delete(notice_url(notice)),
        "assign": post(
            client,
            notice_url(notice, "assignments"),
            {"item": 1, "task": "Thêm việc", "lead_agency": ward.bodies["UBND"].pk, "deadline_rule": "date"},
        ),
        "issue again": post(login(leader), notice_url(notice, "issue")),
    }

    for name, response in responses.items():
        assert response.status_code == 409, name
        assert response.json() == {"detail": str(services.ALREADY_ISSUED)}, name
    after = ConclusionNotice.objects.get(pk=notice.pk)
    assert (after.summary, after.updated_at, after.number_label) == (
        before.summary,
        before.updated_at,
        before.number_label,
    )
    assert list(after.items.values_list("position", "text")) == items_before
    assert after.assignments.count() == 1


def test_an_issued_notice_is_corrected_by_a_new_draft(clerk, notice):
    client = login(clerk)

    response = post(client, notice_url(notice, "amend"))

    assert response.status_code == 201, response.content
    correction = ConclusionNotice.objects.get(pk=response.json()["id"])
    assert response.json()["amends"] == notice.pk and correction.status == "draft"
    assert client.get(notice_url(notice)).json()["amendments"] == [correction.pk]
    again = post(client, notice_url(correction, "amend"))
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_notice_filters(ward, clerk, notice):
    draft = draft_notice(ward, clerk, conference=held_conference(ward), body="ĐU")
    client = login(clerk)

    assert ids(client.get(NOTICES, {"status": "issued"})) == {notice.pk}
    assert ids(client.get(NOTICES, {"status": "draft"})) == {draft.pk}
    assert ids(client.get(NOTICES, {"conference": notice.conference_id})) == {notice.pk}
    assert ids(client.get(NOTICES, {"issuing_body": ward.bodies["ĐU"].pk})) == {draft.pk}
    assert ids(client.get(NOTICES, {"year": today().year})) == {notice.pk}
    assert ids(client.get(NOTICES, {"year": today().year - 1})) == set()
    listed = client.get(NOTICES, {"status": "issued"}).json()["results"][0]
    assert (listed["assignment_count"], listed["pdf_pending"]) == (1, True)


# --- the PDF -----------------------------------------------------------------------------


def test_an_issued_notices_pdf_is_pending_until_rendered(clerk, notice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(clerk)

    pending = client.get(notice_url(notice, "pdf"))
    asking_for_pdf = client.get(notice_url(notice, "pdf"), HTTP_ACCEPT="application/pdf")

    assert pending.status_code == 409
    assert pending.json() == {"detail": str(PDF_PENDING)} and "PDF đang được tạo" in pending.json()["detail"]
    assert asking_for_pdf.status_code == 409 and asking_for_pdf["Content-Type"] == "application/json"

    assert notices_render_pending() == 1
    response = client.get(notice_url(notice, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "thong-bao-01-TB-UBND.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    detail = client.get(notice_url(notice)).json()
    assert detail["pdf_pending"] is False
    assert detail["pdf_url"] == f"http://testserver{notice_url(notice, 'pdf')}"


def test_a_drafts_pdf_is_rendered_on_request(ward, make_user, leader):
    notice = draft_notice(ward, leader, conference=held_conference(ward))

    response = login(make_user("monitor")).get(notice_url(notice, "pdf"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- assignments: the assignees --------------------------------------------------------------


def test_a_handler_reports_progress_and_done_and_a_clerk_accepts(
    make_user, clerk, handler, assignment, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = login(handler)

    progress = client.post(
        assignment_url(assignment, "progress"),
        {
            "text": "Đã khảo sát hiện trường",
            "evidence": SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 bien ban"),
        },
    )
    assert progress.status_code == 200, progress.content
    assert progress.json()["status"] == "in_progress"
    [update] = progress.json()["updates"]
    assert (update["text"], update["evidence_name"]) == ("Đã khảo sát hiện trường", "bien-ban.pdf")
    assert update["author"]["id"] == handler.pk

    missing = post(client, assignment_url(assignment, "report"), {"answer_to_citizen": "  "})
    assert missing.status_code == 400
    assert missing.json() == {"answer_to_citizen": [str(services.ANSWER_REQUIRED)]}

    reported = post(
        client, assignment_url(assignment, "report"), {"answer_to_citizen": "Kính gửi ông An: đã sửa rãnh."}
    )
    assert reported.status_code == 200, reported.content
    assert reported.json()["status"] == "reported_done"

    for user in (make_user("monitor"), handler):
        refused = post(login(user), assignment_url(assignment, "accept"))
        assert refused.status_code == 403
        assert refused.json()["detail"] == str(WRITE_NEEDS_EDITOR)
    accepted = post(login(clerk), assignment_url(assignment, "accept"))
    assert accepted.status_code == 200, accepted.content
    assignment.refresh_from_db()
    assert (assignment.status, assignment.accepted_by) == ("accepted", clerk)
    assert assignment.answer_to_citizen == "Kính gửi ông An: đã sửa rãnh."


@pytest.mark.parametrize(
    ("name", "content", "limit", "message"),
    [
        ("ket-qua.pdf", b"%PDF-1.4 more than ten bytes", 10, "Tệp quá lớn"),
        ("ket-qua.exe", b"MZ\x90\x00 program", 1024, str(FILE_TYPE_NOT_ALLOWED)),
        ("ket-qua.pdf", b"MZ\x90\x00 program", 1024, str(FILE_CONTENT_MISMATCH) % {"extension": "pdf"}),
    ],
)
def test_evidence_files_are_checked(handler, assignment, settings, tmp_path, name, content, limit, message):
    settings.MEDIA_ROOT = tmp_path
    settings.UPLOAD_MAX_BYTES = limit

    response = login(handler).post(
        assignment_url(assignment, "progress"), {"text": "Ảnh", "evidence": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 400
    [error] = response.json()["evidence"]
    assert error.startswith(message)
    assert not ProgressUpdate.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_another_agencys_handler_may_not_act(ward, other_ward, assignment):
    outsider = handler_of(ward.bodies["MTTQ"])
    client = login(outsider)
    later = (assignment.deadline + timedelta(days=30)).isoformat()

    responses = [
        post(client, assignment_url(assignment, "progress"), {"text": "Tôi báo cáo thay"}),
        post(client, assignment_url(assignment, "report"), {"answer_to_citizen": "Xong"}),
        post(client, assignment_url(assignment, "extension"), {"requested_deadline": later, "reason": "Bận"}),
    ]

    assert [response.status_code for response in responses] == [403] * 3
    assert {response.json()["detail"] for response in responses} == {str(services.NOT_YOUR_ASSIGNMENT)}
    far = post(
        login(handler_of(other_ward.bodies["UBND"])), assignment_url(assignment, "progress"), {"text": "."}
    )
    assert far.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "assigned" and not assignment.updates.exists()


def test_an_assignment_of_a_draft_is_not_worked_on(ward, clerk):
    notice = draft_notice(ward, clerk, conference=held_conference(ward))
    assignment = give(notice, clerk, agency=ward.bodies["UBND"])

    response = post(
        login(handler_of(ward.bodies["UBND"])), assignment_url(assignment, "progress"), {"text": "."}
    )

    assert response.status_code == 409
    assert response.json()["detail"] == str(NOT_ISSUED_YET)
    assert ids(login(clerk).get(ASSIGNMENTS)) == set()  # the list shows issued notices' work only


# --- assignments: the issuer's side and the leaders -------------------------------------------


def test_the_issuer_returns_reported_work_with_a_reason(clerk, handler, assignment):
    post(login(handler), assignment_url(assignment, "report"), {"answer_to_citizen": "Xong"})
    client = login(clerk)

    missing = post(client, assignment_url(assignment, "return"), {"reason": ""})
    returned = post(client, assignment_url(assignment, "return"), {"reason": "Chưa có biên bản nghiệm thu."})

    assert missing.status_code == 400
    assert missing.json() == {"reason": [str(services.RETURN_NEEDS_REASON)]}
    assert returned.status_code == 200, returned.content
    assert (returned.json()["status"], returned.json()["return_reason"]) == (
        "returned",
        "Chưa có biên bản nghiệm thu.",
    )


def test_an_extension_is_requested_and_a_leader_moves_the_deadline(clerk, leader, handler, assignment):
    old = assignment.deadline
    later = old + timedelta(days=30)
    handler_client = login(handler)

    too_early = post(
        handler_client,
        assignment_url(assignment, "extension"),
        {"requested_deadline": old.isoformat(), "reason": "Mưa"},
    )
    asked = post(
        handler_client,
        assignment_url(assignment, "extension"),
        {"requested_deadline": later.isoformat(), "reason": "Chờ kinh phí"},
    )

    assert too_early.status_code == 400 and list(too_early.json()) == ["requested_deadline"]
    assert asked.status_code == 200, asked.content
    assert [(row["status"], row["requested_deadline"]) for row in asked.json()["extensions"]] == [
        ("pending", later.isoformat())
    ]

    for user in (clerk, handler):
        refused = post(login(user), assignment_url(assignment, "decide-extension"), {"approve": True})
        assert refused.status_code == 403
        assert refused.json()["detail"] == str(services.ONLY_LEADERS_DECIDE)
    decided = post(
        login(leader), assignment_url(assignment, "decide-extension"), {"approve": True, "note": "Đồng ý."}
    )

    assert decided.status_code == 200, decided.content
    assert decided.json()["deadline"] == later.isoformat()
    assignment.refresh_from_db()
    request = ExtensionRequest.objects.get()
    assert assignment.deadline == later
    assert (request.status, request.previous_deadline, request.decided_by) == ("approved", old, leader)
    nothing_left = post(login(leader), assignment_url(assignment, "decide-extension"), {"approve": False})
    assert nothing_left.status_code == 400
    assert nothing_left.json() == {"non_field_errors": [str(NO_PENDING_EXTENSION)]}


# --- assignment lists ------------------------------------------------------------------------


def test_overdue_filter_and_days_overdue(ward, clerk):
    bodies = ward.bodies
    notice = issued_notice(ward, clerk, extra=[{"agency": bodies["MTTQ"]}, {"agency": bodies["ĐU"]}])
    late, future, done = notice.assignments.order_by("pk")
    set_deadline(late, today() - timedelta(days=5))
    set_deadline(future, today() + timedelta(days=5))
    set_deadline(done, today() - timedelta(days=9))
    Assignment.objects.filter(pk=done.pk).update(status=Assignment.Status.ACCEPTED)
    client = login(clerk)

    assert ids(client.get(ASSIGNMENTS, {"overdue": "true"})) == {late.pk}
    assert ids(client.get(ASSIGNMENTS, {"overdue": "false"})) == {future.pk, done.pk}
    assert ids(client.get(ASSIGNMENTS)) == {late.pk, future.pk, done.pk}
    rows = {row["id"]: row["days_overdue"] for row in client.get(ASSIGNMENTS).json()["results"]}
    assert rows == {late.pk: 5, future.pk: 0, done.pk: 0}
    assert client.get(assignment_url(late)).json()["days_overdue"] == 5
    assert ids(client.get(ASSIGNMENTS, {"status": "accepted"})) == {done.pk}
    assert ids(client.get(ASSIGNMENTS, {"lead_agency": bodies["MTTQ"].pk})) == {future.pk}


def test_mine_is_what_my_agency_leads_or_helps_with_or_i_answer_for(ward, clerk):
    bodies = ward.bodies
    handler = handler_of(bodies["MTTQ"])
    notice = issued_notice(
        ward,
        clerk,
        extra=[
            # Led by the Front with two helpers: listed once, not once per helper.
            {"agency": bodies["MTTQ"], "coordinating": [bodies["UBND"], bodies["ĐU"]]},
            {"agency": bodies["UBND"], "coordinating": [bodies["MTTQ"]]},
            {"agency": bodies["ĐU"], "responsible": handler},
        ],
    )
    others, led, helped, answered = notice.assignments.order_by("pk")
    client = login(handler)

    mine = client.get(ASSIGNMENTS, {"mine": "true"})

    assert ids(mine) == {led.pk, helped.pk, answered.pk}
    assert mine.json()["count"] == 3
    assert ids(client.get(ASSIGNMENTS)) == {others.pk, led.pk, helped.pk, answered.pk}
    assert ids(client.get(ASSIGNMENTS, {"mine": "false"})) == {others.pk, led.pk, helped.pk, answered.pk}


# --- confidentiality -----------------------------------------------------------------------


def test_a_denouncers_name_never_appears_in_an_assignment(ward, clerk, leader, make_user):
    conference = held_conference(ward, opinions=0)
    denunciation = petition_for(
        conference,
        kind=Petition.Kind.DENUNCIATION,
        content="Tố cáo cán bộ địa chính",
        petitioner_name=SECRET_NAME,
        petitioner_phone=SECRET_PHONE,
    )
    notice = draft_notice(ward, clerk, conference=conference)
    added = post(
        login(clerk),
        notice_url(notice, "assignments"),
        {
            "item": 1,
            "task": "Xác minh nội dung tố cáo",
            "lead_agency": ward.bodies["UBND"].pk,
            "petitions": [denunciation.pk],
            "deadline_rule": "date",
            "deadline": "2026-12-31",
        },
    )
    assert added.status_code == 201, added.content
    assignment = Assignment.objects.get()
    services.notice_issue(notice=notice, by=leader)

    responses = [added]
    for user in (clerk, leader, make_user("monitor"), handler_of(ward.bodies["UBND"])):
        client = login(user)
        responses += [
            client.get(assignment_url(assignment)),
            client.get(ASSIGNMENTS),
            client.get(ASSIGNMENTS, {"mine": "true"}),
            client.get(notice_url(notice)),
            client.get(NOTICES),
        ]

    for response in responses:
        assert response.status_code in (200, 201)
        text = response.content.decode()
        for secret in (SECRET_NAME, "Bí Mật", "Zed", SECRET_PHONE):
            assert secret not in text
    [shown] = responses[1].json()["petitions"]
    assert (shown["id"], shown["petitioner"]) == (denunciation.pk, str(CONFIDENTIAL_PETITIONER))


# --- schema and query counts ---------------------------------------------------------------


def test_the_schema_lists_the_conclusions_endpoints(clerk):
    paths = login(clerk).get(reverse("schema"), {"format": "json"}).json()["paths"]

    assert {
        "/api/v1/notices/",
        "/api/v1/notices/{id}/issue/",
        "/api/v1/notices/{id}/pdf/",
        "/api/v1/notices/{id}/assignments/",
        "/api/v1/assignments/{id}/progress/",
        "/api/v1/assignments/{id}/decide-extension/",
    } <= paths.keys()


@pytest.mark.parametrize("rows", [2, 12])
def test_assignment_list_queries_do_not_grow(ward, clerk, django_assert_max_num_queries, rows):
    bodies = ward.bodies
    handler = handler_of(bodies["MTTQ"])
    extra = [
        {"agency": bodies["MTTQ"], "coordinating": [bodies["UBND"]], "responsible": handler}
        for _ in range(rows - 1)
    ]
    issued_notice(ward, clerk, extra=extra)
    client = login(handler)

    with django_assert_max_num_queries(5):
        response = client.get(ASSIGNMENTS)
    with django_assert_max_num_queries(5):
        client.get(ASSIGNMENTS, {"mine": "true", "overdue": "false"})

    assert response.json()["count"] == rows


def test_a_list_row_shows_what_the_detail_shows_of_the_same_fields(ward, clerk):
    """The list reads only the columns its rows show (ASSIGNMENT_LIST_FIELDS): each value is
    still the row's own, the same as the detail (read in full) gives."""
    handler = handler_of(ward.bodies["MTTQ"])
    issued_notice(
        ward, clerk, extra=[{"agency": ward.bodies["MTTQ"], "coordinating": [], "responsible": handler}]
    )
    client = login(handler)

    rows = client.get(ASSIGNMENTS).json()["results"]

    assert rows and any(row["responsible_person"] for row in rows)
    for row in rows:
        detail = client.get(f"{ASSIGNMENTS}{row['id']}/").json()
        assert row == {key: detail[key] for key in row}
        assert row["notice"]["number_label"] and row["item"]["text"] and row["lead_agency"]["name"]


def written_assignment(ward, clerk, **fields):
    """A written petition (a letter), accepted and given to the ward's People's Committee: its
    assignment has no notice and started when it was made."""
    petition = petition_services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=today(), complexity="normal"
    )
    return services.petition_assignment_add(
        petition=petition, by=clerk, task="Giải quyết đơn", lead_agency=ward.bodies["UBND"], **fields
    )


def test_the_list_shows_written_petitions_work_but_not_drafts_and_only_in_scope(
    ward, other_ward, clerk, leader, make_user
):
    written = written_assignment(ward, clerk)
    issued = issued_notice(ward, clerk, leader=leader).assignments.get()
    draft = give(
        draft_notice(ward, clerk, conference=held_conference(ward)), clerk, agency=ward.bodies["UBND"]
    )
    theirs = written_assignment(other_ward, make_user("clerk", agency=other_ward.bodies["UBND"]))

    listed = ids(login(clerk).get(ASSIGNMENTS))

    assert written.pk in listed and issued.pk in listed
    assert draft.pk not in listed and theirs.pk not in listed
    row = next(r for r in login(clerk).get(ASSIGNMENTS).json()["results"] if r["id"] == written.pk)
    assert row["notice"] is None and row["item"] is None
    handler = handler_of(ward.bodies["UBND"])
    assert written.pk in ids(login(handler).get(ASSIGNMENTS, {"mine": "true"}))
    assert ids(login(handler_of(other_ward.bodies["UBND"])).get(ASSIGNMENTS)) == {theirs.pk}


@pytest.mark.parametrize("rows", [2, 12])
def test_assignment_list_with_written_petitions_queries_do_not_grow(
    ward, clerk, django_assert_max_num_queries, rows
):
    for _ in range(rows):
        written_assignment(ward, clerk)
    issued_notice(ward, clerk)
    client = login(clerk)

    with django_assert_max_num_queries(5):
        response = client.get(ASSIGNMENTS)

    assert response.json()["count"] == rows + 1


@pytest.mark.parametrize("rows", [2, 12])
def test_notice_list_and_detail_queries_do_not_grow(ward, clerk, django_assert_max_num_queries, rows):
    conference = held_conference(ward, opinions=0)
    notices = [draft_notice(ward, clerk, conference=conference) for _ in range(rows)]
    for _ in range(rows):
        give(notices[0], clerk, agency=ward.bodies["UBND"])
    client = login(clerk)

    with django_assert_max_num_queries(5):
        response = client.get(NOTICES)
    with django_assert_max_num_queries(8):
        detail = client.get(notice_url(notices[0]))

    assert response.json()["count"] == rows
    assert len(detail.json()["assignments"]) == rows


def test_an_assignment_detail_shows_its_deadline_rule_and_history(ward, clerk, handler, assignment):
    post(login(handler), assignment_url(assignment, "progress"), {"text": "Bước 1"})

    detail = login(clerk).get(assignment_url(assignment)).json()

    assert detail["deadline_rule"] == "date" and detail["deadline"] == "2026-12-31"
    assert detail["deadline_from"] == str(today())
    assert [update["text"] for update in detail["updates"]] == ["Bước 1"]
    assert detail["notice"]["number_label"] == "01/TB-UBND"
    assert detail["lead_agency"]["id"] == ward.bodies["UBND"].pk
    assert {petition["position"] for petition in detail["petitions"]} == {1, 2}
    assert date.fromisoformat(detail["deadline"]) > date(2026, 9, 30)
