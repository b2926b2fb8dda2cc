"""Issue 17 on the staff's and the public's pages: the promise ledger and the classified-only
area page, the supervision board of answers (scoped, every number a list), the reopening on
the clerk's, leader's and overdue pages, and the report-back section of the next conference."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conclusions import services
from conclusions.models import Assignment
from petitions.models import CitizenVerdict, Petition, Reopening
from tests.conclusions.helpers import assign, draft_notice, held_conference, leader_of
from tests.factories import UserFactory, conference_for, petition_for
from tests.loop.test_answer_loop import answer, answered_petition, give, issued_work

pytestmark = pytest.mark.django_db


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_area_page_lists_only_classified_opinions(ward, make_user):
    conference = held_conference(ward, 0)
    petition_for(conference, content="Chưa phân loại XYZ")
    original = petition_for(conference, content="Đã phân loại ABC", outcome="in_authority")
    petition_for(conference, content="Trùng do nhập nhầm QQQ", outcome="duplicate", duplicate_of=original)
    page = Client().get(reverse("public:area", args=[ward.pk])).content.decode()
    assert "Đã phân loại ABC" in page
    assert "Chưa phân loại XYZ" not in page and "Trùng do nhập nhầm QQQ" not in page


def test_the_promise_ledger_counts_kept_on_time_late_open_overdue_and_verdicts(
    ward, make_user, django_assert_max_num_queries
):
    clerk = make_user("clerk")
    today = timezone.localdate()
    kept, late, still_open, overdue = issued_work(ward, clerk, opinions=1, agencies=("UBND",) * 4)
    answer(kept, "Đúng hạn")
    services.assignment_accept(assignment=kept, by=clerk)
    answer(late, "Trễ hạn")
    services.assignment_accept(assignment=late, by=clerk)
    Assignment.objects.filter(pk=late.pk).update(deadline=today - timedelta(days=3))
    Assignment.objects.filter(pk=overdue.pk).update(deadline=today - timedelta(days=1))
    Assignment.objects.filter(pk=still_open.pk).update(deadline=today + timedelta(days=5))
    Assignment.objects.filter(pk=kept.pk).update(deadline=today + timedelta(days=5))
    petition = kept.petitions.get()
    Petition.objects.filter(pk=petition.pk).update(resolved_on=today)
    CitizenVerdict.objects.create(petition=petition, answered_on=today, verdict="resolved")

    url = reverse("public:area", args=[ward.pk])
    with django_assert_max_num_queries(12):
        page = Client().get(url).content.decode()
    assert 'data-testid="promise-ledger"' in page
    from public_pages.views import promise_ledger

    (row,) = promise_ledger(ward, today)
    assert (row["made"], row["kept_on_time"], row["kept_late"], row["open"], row["overdue"]) == (
        4,
        1,
        1,
        1,
        1,
    )
    assert dict(row["verdicts"])["Đã được giải quyết"] == 1

    # More conferences and promises: the same number of queries.
    issued_work(ward, clerk, opinions=3, agencies=("UBND", "MTTQ"))
    with django_assert_max_num_queries(12):
        Client().get(url)


def test_the_answers_board_is_scoped_and_every_number_is_a_list(
    ward, other_ward, make_user, django_assert_max_num_queries
):
    clerk = make_user("clerk")
    first = answered_petition(ward, clerk)
    second = answered_petition(ward, clerk)
    give(first, "resolved")
    give(second, "not_resolved")
    monitor = make_user("monitor", agency=ward.bodies["MTTQ"])
    client = logged_in(monitor)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("dashboards:answers_board")).content.decode()
    assert 'data-testid="board-reopened"' in page and second.tracking_code in page
    from dashboards import answers

    (agency_row,) = answers.by_agency(monitor)
    assert (agency_row["answered"].value, agency_row["resolved"].value, agency_row["not_resolved"].value) == (
        2,
        1,
        1,
    )
    assert agency_row["pending"].value == 1 and agency_row["confirmed_share"] == 50
    listed = client.get(agency_row["not_resolved"].url).content.decode()
    assert second.tracking_code in listed and first.tracking_code not in listed
    listed = client.get(agency_row["pending"].url).content.decode()
    assert second.tracking_code in listed and first.tracking_code not in listed

    for _ in range(3):
        give(answered_petition(ward, clerk), "no_opinion")
    with django_assert_max_num_queries(15):
        client.get(reverse("dashboards:answers_board"))

    outsider = UserFactory(agency=other_ward.bodies["MTTQ"], is_monitor=True)
    assert logged_in(outsider).get(reverse("dashboards:answers") + f"?area={ward.pk}").status_code == 404
    assert answers.by_agency(outsider) == []
    handler = UserFactory(agency=ward.bodies["UBND"], is_handler=True)
    assert logged_in(handler).get(reverse("dashboards:answers_board")).status_code == 403
    assert logged_in(monitor).get(reverse("dashboards:answers") + "?verdict=nope").status_code == 400


def test_a_reopening_shows_on_the_clerks_leaders_and_overdue_pages(ward, make_user):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    give(petition, "not_resolved", "Vẫn ngập")
    leader = leader_of(ward)
    for user in (clerk, leader):
        page = logged_in(user).get(reverse("home")).content.decode()
        assert 'data-testid="home-reopened"' in page and petition.tracking_code in page
    page = logged_in(leader).get(reverse("dashboards:overdue")).content.decode()
    assert 'data-testid="review-reopened"' in page and petition.tracking_code in page
    detail = logged_in(clerk).get(reverse("petitions:detail", args=[petition.pk])).content.decode()
    assert "Vẫn ngập" in detail and "Chưa được giải quyết" in detail and "Đã nạo vét cống" in detail
    Reopening.objects.update(status="kept", explanation="x")
    page = logged_in(clerk).get(reverse("home")).content.decode()
    assert 'data-testid="home-reopened"' not in page


def test_the_next_conference_reports_back_the_answers_and_verdicts(ward, make_user):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    give(petition, "not_resolved")
    Reopening.objects.update(status="kept", explanation="Đã giải thích")
    Petition.objects.filter(pk=petition.pk).update(resolved_on=timezone.localdate())
    upcoming = conference_for(ward, status="planned", starts_at=timezone.now() + timedelta(days=7))
    page = logged_in(clerk).get(reverse("dialogue:detail", args=[upcoming.pk])).content.decode()
    assert 'data-testid="report-back-answered"' in page
    assert petition.content[:40] in page and "Chưa được giải quyết" in page


def test_a_draft_notices_assignment_is_no_promise(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, 1)
    notice = draft_notice(ward, clerk, conference=conference)
    assign(notice, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all())
    from public_pages.views import promise_ledger

    assert promise_ledger(ward, timezone.localdate()) == []


def test_the_api_gives_the_public_answer_and_the_citizens_verdict_to_staff_in_scope(
    ward, other_ward, make_user
):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    give(petition, "not_resolved", "Vẫn ngập khi mưa")
    url = reverse("api:petition-detail", args=[petition.pk])
    data = logged_in(clerk).get(url).json()
    (official,) = data["public_answer"]
    assert official["agency"] == ward.bodies["UBND"].name and official["text"] == "Đã nạo vét cống"
    assert data["citizen_verdict"]["verdict"] == "not_resolved"
    assert data["citizen_verdict"]["comment"] == "Vẫn ngập khi mưa"
    assert data["citizen_verdict"]["reopening"] == "pending"
    assert logged_in(UserFactory(agency=other_ward.bodies["UBND"], is_clerk=True)).get(url).status_code == 404

    Petition.objects.filter(pk=petition.pk).update(kind="khieu_nai")
    data = logged_in(clerk).get(url).json()
    assert data["public_answer"][0]["text"] is None  # a complaint: only the outcome is public


def test_the_tracking_page_runs_the_same_queries_whatever_the_story(
    ward, make_user, django_assert_max_num_queries
):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    url = reverse("public:track")
    with django_assert_max_num_queries(16):
        Client(REMOTE_ADDR="10.99.0.1").get(url, {"ma": petition.tracking_code})
    # Two more agencies answer it, with extensions and a verdict: the same count.
    for agency in ("MTTQ", "ĐU"):
        extra = Assignment.objects.create(
            area=ward,
            task="Phối hợp",
            lead_agency=ward.bodies[agency],
            deadline_rule="date",
            deadline=timezone.localdate(),
            status="accepted",
        )
        extra.petitions.add(petition)
        extra.extensions.create(
            requested_by=clerk,
            requested_deadline=timezone.localdate(),
            reason="x",
            status="approved",
            decided_at=timezone.now(),
        )
    give(petition, "resolved")
    with django_assert_max_num_queries(16):
        page = Client(REMOTE_ADDR="10.99.0.2").get(url, {"ma": petition.tracking_code}).content.decode()
    assert page.count('data-step="extended"') == 2 and 'data-step="verdict"' in page


def test_answer_files_and_withholding_are_scoped_and_for_the_issuing_side(ward, other_ward, make_user):
    from conclusions.models import AnswerFile
    from tests.loop.test_answer_loop import issued_work

    clerk = make_user("clerk")
    (assignment,) = issued_work(ward, clerk, opinions=1)
    answer(assignment, "Đã sửa", public_file=True)
    answer_file = AnswerFile.objects.get()
    download = reverse("conclusions:answer_file", args=[answer_file.pk])
    withhold = reverse("conclusions:answer_file_withhold", args=[answer_file.pk])
    assert logged_in(clerk).get(download).status_code == 200
    outsider = UserFactory(agency=other_ward.bodies["UBND"], is_clerk=True)
    assert logged_in(outsider).get(download).status_code == 404
    assert logged_in(outsider).post(withhold, {"withhold-reason": "x"}).status_code == 404
    handler = UserFactory(agency=ward.bodies["UBND"], is_handler=True)
    assert logged_in(handler).post(withhold, {"withhold-reason": "x"}).status_code == 403
    assert logged_in(clerk).post(withhold, {"withhold-reason": "Lộ số điện thoại"}).status_code == 302
    answer_file.refresh_from_db()
    assert answer_file.withheld_reason == "Lộ số điện thoại" and answer_file.withheld_by == clerk
    assert answer_file.history.count() == 2  # created, withheld


def test_the_answer_list_runs_the_same_queries_at_two_sizes(ward, make_user, django_assert_max_num_queries):
    clerk = make_user("clerk")
    give(answered_petition(ward, clerk), "resolved")
    monitor = make_user("monitor", agency=ward.bodies["MTTQ"])
    client = logged_in(monitor)
    url = reverse("dashboards:answers")
    with django_assert_max_num_queries(14):
        assert "Đã được giải quyết" in client.get(url).content.decode()
    for verdict in ("not_resolved", "no_opinion", "resolved"):
        give(answered_petition(ward, clerk), verdict)
    with django_assert_max_num_queries(14):
        page = client.get(url + "?verdict=resolved").content.decode()
    assert page.count("Đã được giải quyết") >= 2
