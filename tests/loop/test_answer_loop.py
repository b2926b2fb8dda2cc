"""Issue 17, the answer half: answers kept as versions, official answers per agency, what the
public sees, the citizen's verdict and the reopening it causes."""

import importlib
import itertools
import os
from datetime import timedelta

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conclusions import services
from conclusions.models import AnswerFile, AnswerVersion, Assignment
from petitions import services as petition_services
from petitions.events import CitizenEvent, citizen_event
from petitions.models import CitizenVerdict, Petition, Reopening, VerdictWindow
from tests.conclusions.helpers import assign, draft_notice, handler_of, held_conference, leader_of

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def events():
    heard = []

    def listen(sender, kind, petition_ids, data, **_kwargs):
        heard.append((kind, petition_ids, data))

    citizen_event.connect(listen)
    yield heard
    citizen_event.disconnect(listen)


def issued_work(ward, clerk, *, opinions=2, agencies=("UBND",)):
    conference = held_conference(ward, opinions)
    notice = draft_notice(ward, clerk, conference=conference)
    for name in agencies:
        assign(notice, clerk, agency=ward.bodies[name], petitions=conference.petitions.all())
    services.notice_issue(notice=notice, by=leader_of(ward))
    return list(notice.assignments.order_by("pk"))


def answer(assignment, text, *, public_file=None):
    handler = handler_of(assignment.lead_agency)
    files = []
    if public_file is not None:
        upload = SimpleUploadedFile("ket-qua.pdf", PDF, content_type="application/pdf")
        files = [services.ReportedFile(file=upload, publishable=public_file)]
    services.assignment_report_done(assignment=assignment, by=handler, answer_to_citizen=text, files=files)
    return handler


def test_a_return_keeps_the_answer_and_the_next_report_is_a_new_version(
    ward, make_user, django_capture_on_commit_callbacks, events
):
    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk)
    handler = answer(assignment, "Lần đầu: sẽ sửa đường")
    services.assignment_return(assignment=assignment, by=clerk, reason="Thiếu thời gian cụ thể")
    answer(assignment, "Lần hai: sửa xong trước 30/11")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_accept(assignment=assignment, by=clerk)

    first, second = AnswerVersion.objects.filter(assignment=assignment).order_by("number")
    assert (first.number, first.text, first.status, first.return_reason) == (
        1,
        "Lần đầu: sẽ sửa đường",
        "returned",
        "Thiếu thời gian cụ thể",
    )
    assert first.reported_by == handler and first.decided_by == clerk
    assert (second.number, second.status, second.decided_by) == (2, "accepted", clerk)
    petition_ids = sorted(assignment.petitions.values_list("pk", flat=True))
    assert events == [
        (
            CitizenEvent.ANSWERED,
            petition_ids,
            {
                "assignment_id": assignment.pk,
                "answer_version_id": second.pk,
                "agency": ward.bodies["UBND"].name,
            },
        ),
        # Then the opinions it resolves are closed (petitions.services.petitions_mark_resolved).
        (CitizenEvent.CLOSED, petition_ids, {"reason": "resolved"}),
    ]
    # Both versions side by side on the assignment page, with the return's reason.
    client = Client()
    client.force_login(clerk)
    page = client.get(reverse("conclusions:assignment", args=[assignment.pk])).content.decode()
    assert page.count('data-testid="answer-version"') == 2
    assert "Lần đầu: sẽ sửa đường" in page and "Thiếu thời gian cụ thể" in page and "Lần hai" in page


def test_an_opinion_answered_by_two_agencies_shows_each_accepted_answer(ward, make_user):
    clerk = make_user("clerk")
    first, second = issued_work(ward, clerk, opinions=1, agencies=("UBND", "MTTQ"))
    answer(first, "UBND: đã lắp đèn")
    services.assignment_accept(assignment=first, by=clerk)
    petition = first.petitions.get()
    assert petition.resolved_on is None  # the other agency still works on it
    answer(second, "MTTQ: đã giám sát việc lắp đèn")
    services.assignment_accept(assignment=second, by=clerk)
    petition.refresh_from_db()
    assert petition.resolved_on == timezone.localdate()

    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    assert "UBND: đã lắp đèn" in page and "MTTQ: đã giám sát việc lắp đèn" in page
    assert ward.bodies["UBND"].name in page and ward.bodies["MTTQ"].name in page


def test_public_files_the_handler_allowed_and_the_clerk_did_not_withhold(ward, make_user):
    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk, opinions=1)
    answer(assignment, "Đã sửa", public_file=True)
    services.assignment_accept(assignment=assignment, by=clerk)
    petition = assignment.petitions.get()
    answer_file = AnswerFile.objects.get(version__assignment=assignment)
    url = reverse("public:answer_file", args=[answer_file.pk])
    assert Client().get(url, {"ma": petition.tracking_code}).status_code == 200
    assert Client().get(url, {"ma": "ABCDE-23456"}).status_code == 404

    with pytest.raises(ValidationError):
        services.answer_file_withhold(answer_file=answer_file, by=clerk, reason=" ")
    with pytest.raises(ValidationError):  # the handler is not the issuing side
        services.answer_file_withhold(answer_file=answer_file, by=handler_of(ward.bodies["UBND"]), reason="x")
    services.answer_file_withhold(answer_file=answer_file, by=clerk, reason="Có số CCCD của người dân")
    assert Client().get(url, {"ma": petition.tracking_code}).status_code == 404
    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    assert "ket-qua.pdf" not in page and "Đã sửa" in page


def test_a_complaints_answer_text_and_files_stay_private(ward, make_user):
    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk, opinions=1)
    Petition.objects.filter(assignments=assignment).update(kind=Petition.Kind.COMPLAINT)
    answer(assignment, "Quyết định giải quyết khiếu nại số 12", public_file=True)
    services.assignment_accept(assignment=assignment, by=clerk)
    petition = assignment.petitions.get()
    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    assert "Quyết định giải quyết khiếu nại số 12" not in page and "ket-qua.pdf" not in page
    assert "Đã có kết quả giải quyết" in page
    answer_file = AnswerFile.objects.get()
    url = reverse("public:answer_file", args=[answer_file.pk])
    assert Client().get(url, {"ma": petition.tracking_code}).status_code == 404


def answered_petition(ward, clerk):
    (assignment,) = issued_work(ward, clerk, opinions=1)
    answer(assignment, "Đã nạo vét cống")
    services.assignment_accept(assignment=assignment, by=clerk)
    return assignment.petitions.get()


_addresses = itertools.count(1)


def give(petition, verdict, comment="", ip=None):
    """A citizen's verdict from an address of its own (the lookup limit counts per address)."""
    ip = ip or f"10.17.{next(_addresses) % 250}.{os.getpid() % 250}"
    return Client(REMOTE_ADDR=ip).post(
        reverse("public:verdict"), {"ma": petition.tracking_code, "verdict": verdict, "comment": comment}
    )


def test_verdict_refused_with_a_message_when_unanswered_twice_or_late(ward, make_user):
    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk, opinions=1)
    unanswered = assignment.petitions.get()
    response = give(unanswered, "resolved")
    assert response.status_code == 400 and "chưa có kết quả trả lời chính thức" in response.content.decode()
    assert not CitizenVerdict.objects.exists()

    petition = answered_petition(ward, clerk)
    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    assert "Vấn đề của bạn đã được giải quyết chưa?" in page
    response = give(petition, "maybe")
    assert response.status_code == 400 and "Hãy chọn một trong các câu trả lời" in response.content.decode()
    assert give(petition, "resolved", "Cảm ơn").status_code == 302
    response = give(petition, "not_resolved")
    assert response.status_code == 400 and "đã đánh giá" in response.content.decode()
    assert list(CitizenVerdict.objects.values_list("verdict", flat=True)) == ["resolved"]

    # The window is data: 30 days by default, an admin may change it.
    late = answered_petition(ward, clerk)
    Petition.objects.filter(pk=late.pk).update(resolved_on=timezone.localdate() - timedelta(days=31))
    response = give(late, "not_resolved")
    assert response.status_code == 400 and "Đã hết thời hạn đánh giá (30 ngày" in response.content.decode()
    VerdictWindow.objects.create(days=60)
    assert give(late, "not_resolved").status_code == 302


def test_verdicts_are_rate_limited_like_the_lookup(ward, make_user, settings):
    from public_pages import views

    petition = answered_petition(ward, make_user("clerk"))
    for _ in range(views.TRACKING_LIMIT):
        Client(REMOTE_ADDR="198.51.100.4").get(reverse("public:track"), {"ma": petition.tracking_code})
    assert give(petition, "resolved", ip="198.51.100.4").status_code == 429
    assert not CitizenVerdict.objects.exists()


def test_not_resolved_reopens_and_the_leader_keeps_the_answer_with_an_explanation(
    ward, make_user, django_capture_on_commit_callbacks, events
):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    resolved_on = Petition.objects.get(pk=petition.pk).resolved_on
    assert give(petition, "not_resolved", "Cống vẫn tắc").status_code == 302
    reopening = Reopening.objects.get()
    petition.refresh_from_db()
    assert petition.resolved_on is None and reopening.status == "pending"
    assert Petition.objects.open().filter(pk=petition.pk).exists()

    with pytest.raises(ValidationError):  # a clerk does not decide
        petition_services.reopening_decide(reopening=reopening, by=clerk, status="kept", explanation="x")
    leader = leader_of(ward)
    with pytest.raises(ValidationError):
        petition_services.reopening_decide(reopening=reopening, by=leader, status="kept", explanation=" ")
    with django_capture_on_commit_callbacks(execute=True):
        petition_services.reopening_decide(
            reopening=reopening, by=leader, status="kept", explanation="Cống đã thông; tắc do mưa lớn."
        )
    petition.refresh_from_db()
    assert petition.resolved_on == resolved_on
    assert events[-1][0] == CitizenEvent.CLOSED and events[-1][1] == [petition.pk]
    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    assert "giữ nguyên kết quả" in page and "Cống đã thông; tắc do mưa lớn." in page
    assert "Cống vẫn tắc" not in page  # the comment is for the staff
    assert give(petition, "not_resolved").status_code == 400  # the same answer, judged once


def test_the_leader_reassigns_a_reopened_opinion_and_it_can_be_judged_again(ward, make_user):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    Petition.objects.filter(pk=petition.pk).update(resolved_on=timezone.localdate() - timedelta(days=3))
    give(petition, "not_resolved")
    reopening = Reopening.objects.get()
    leader = leader_of(ward)
    client = Client()
    client.force_login(leader)
    url = reverse("conclusions:reopening", args=[reopening.pk])
    response = client.post(url, {"decision": "reassign", "task": "", "lead_agency": "", "deadline": ""})
    assert response.status_code == 400
    response = client.post(
        url,
        {
            "decision": "reassign",
            "task": "Nạo vét lại toàn tuyến",
            "lead_agency": ward.bodies["UBND"].pk,
            "deadline": (timezone.localdate() + timedelta(days=10)).strftime("%d/%m/%Y"),
        },
    )
    assert response.status_code == 302
    reopening.refresh_from_db()
    new = Assignment.objects.get(task="Nạo vét lại toàn tuyến")
    assert reopening.status == "reassigned" and list(new.petitions.all()) == [petition]
    answer(new, "Đã nạo vét lại")
    services.assignment_accept(assignment=new, by=clerk)
    petition.refresh_from_db()
    assert petition.resolved_on == timezone.localdate()
    assert give(petition, "resolved").status_code == 302  # the new answer is judged anew
    assert CitizenVerdict.objects.count() == 2


def test_the_review_page_is_scoped_and_only_leaders_decide(ward, other_ward, make_user):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    give(petition, "not_resolved")
    url = reverse("conclusions:reopening", args=[Reopening.objects.get().pk])
    client = Client()
    client.force_login(leader_of(other_ward))
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    assert client.get(url).status_code == 200
    assert client.post(url, {"decision": "keep", "explanation": "x"}).status_code == 403


def test_existing_reports_become_version_1(ward, make_user):
    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk, opinions=1)
    Assignment.objects.filter(pk=assignment.pk).update(
        status="accepted",
        answer_to_citizen="Trả lời cũ",
        reported_at=timezone.now(),
        accepted_at=timezone.now(),
    )
    migration = importlib.import_module("conclusions.migrations.0014_existing_reports_become_version_1")
    migration.forwards(global_apps, None)
    migration.forwards(global_apps, None)  # run twice: nothing doubled
    version = AnswerVersion.objects.get(assignment=assignment)
    assert (version.number, version.text, version.status) == (1, "Trả lời cũ", "accepted")


def test_the_tracking_timeline_never_names_the_citizen(ward, make_user):
    petition = answered_petition(ward, make_user("clerk"))
    page = Client().get(reverse("public:track"), {"ma": petition.tracking_code}).content.decode()
    steps = [
        kind
        for kind in ("received", "classified", "assigned", "answered", "closed")
        if f'data-step="{kind}"' in page
    ]
    assert steps == ["received", "classified", "assigned", "answered", "closed"]
    assert petition.petitioner_name not in page
