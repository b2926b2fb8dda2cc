import threading
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from accounts.models import Notification
from conclusions import services
from conclusions.models import Assignment, ConclusionNotice
from dialogue.models import Conference
from petitions.models import Petition
from petitions.services import petition_set_outcome
from tests.conclusions.helpers import (
    assign,
    draft_notice,
    handler_of,
    held_conference,
    leader_of,
    party_term,
    ready_notice,
)

pytestmark = pytest.mark.django_db


def messages_of(caught) -> str:
    return " ".join(caught.value.messages)


def test_draft_has_numbered_items(ward, make_user):
    notice = draft_notice(ward, make_user("clerk"))
    assert [item.position for item in notice.items.all()] == [1, 2, 3, 4]
    assert notice.status == "draft" and notice.number is None and notice.area == ward


def test_deadline_rules_are_checked_when_assigning(ward, make_user):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk, conference=held_conference(ward))
    with pytest.raises(ValidationError) as caught:
        assign(notice, clerk, agency=ward.bodies["UBND"], on=date(2026, 9, 1))  # conference: 30/09/2026
    assert "không được trước ngày hội nghị (30/09/2026)" in messages_of(caught)
    with pytest.raises(ValidationError) as caught:
        assign(notice, clerk, agency=ward.bodies["UBND"], rule="working_days", days=None)
    assert str(services.DEADLINE_NEEDS_DAYS) in messages_of(caught)


def test_only_a_leader_issues(ward, make_user):
    clerk = make_user("clerk")
    notice = ready_notice(ward, clerk)
    with pytest.raises(ValidationError) as caught:
        services.notice_issue(notice=notice, by=clerk)
    assert str(services.ONLY_LEADERS_ISSUE) in messages_of(caught)


def test_unhandled_opinions_block_issue_and_are_listed(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=3)
    notice = draft_notice(ward, clerk, conference=conference)
    first, second, third = conference.petitions.order_by("position")
    assign(notice, clerk, agency=ward.bodies["UBND"], petitions=[first])
    petition_set_outcome(petition=second, by=clerk, outcome="transferred", transferred_to="UBND TP")
    assert services.notice_unhandled_opinions(notice) == [third]
    with pytest.raises(ValidationError) as caught:
        services.notice_issue(notice=notice, by=leader_of(ward))
    assert "#3" in messages_of(caught) and "Còn 1 ý kiến" in messages_of(caught)


def test_state_numbers_restart_each_year_per_body(ward, other_ward, make_user):
    clerk, leader = make_user("clerk"), leader_of(ward)
    labels = []
    for day in [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 2)]:
        notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader, issued_on=day)
        labels.append(notice.number_label)
    assert labels == ["01/TB-UBND", "02/TB-UBND", "01/TB-UBND"]
    other = services.notice_issue(
        notice=ready_notice(other_ward, clerk), by=leader, issued_on=date(2026, 1, 2)
    )
    assert other.number_label == "01/TB-UBND"  # another body has its own series


def test_party_numbers_need_a_term_and_follow_it(ward, make_user):
    clerk, leader = make_user("clerk"), leader_of(ward)
    notice = ready_notice(ward, clerk, body="ĐU")
    with pytest.raises(ValidationError) as caught:
        services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 3, 2))
    assert "nhiệm kỳ" in messages_of(caught)
    assert ConclusionNotice.objects.get(pk=notice.pk).status == "draft"  # nothing half-saved
    party_term(ward.bodies["ĐU"])
    first = services.notice_issue(notice=notice, by=leader, issued_on=date(2026, 3, 2))
    second = services.notice_issue(
        notice=ready_notice(ward, clerk, body="ĐU"), by=leader, issued_on=date(2027, 1, 5)
    )
    assert (first.number_label, second.number_label) == ("01-TB/ĐU", "02-TB/ĐU")  # a term spans years


def test_issue_fixes_deadlines_across_tet_and_concludes_the_conference(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward)
    notice = draft_notice(ward, clerk, conference=conference)
    working = assign(
        notice,
        clerk,
        agency=ward.bodies["UBND"],
        petitions=conference.petitions.all(),
        rule="working_days",
        days=1,
    )
    calendar = assign(notice, clerk, agency=ward.bodies["MTTQ"], rule="calendar_days", days=30)
    services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 2, 13))
    working.refresh_from_db()
    calendar.refresh_from_db()
    assert working.deadline == date(2026, 2, 23) and working.deadline_from == date(2026, 2, 13)
    assert calendar.deadline == date(2026, 3, 16)  # 30 days is Sunday 15/03: moved to Monday
    conference.refresh_from_db()
    assert conference.status == Conference.Status.CONCLUDED
    assert set(conference.petitions.values_list("outcome", flat=True)) == {"in_authority"}


def test_an_issued_notice_never_changes(ward, make_user):
    clerk = make_user("clerk")
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    with pytest.raises(ValidationError):
        services.notice_draft_update(notice=notice, by=clerk, summary="Sửa lén")
    with pytest.raises(ValidationError):
        assign(notice, clerk, agency=ward.bodies["UBND"])
    with pytest.raises(ValidationError):
        services.notice_issue(notice=notice, by=leader_of(ward, username="leader2"))
    assert ConclusionNotice.objects.get(pk=notice.pk).summary != "Sửa lén"
    correction = services.notice_amend(notice=notice, by=clerk)
    assert correction.amends == notice and correction.status == "draft"
    assert list(notice.amendments.all()) == [correction]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_gapless_numbers(ward, make_user):
    clerk, leader = make_user("clerk"), leader_of(ward)
    notices = [ready_notice(ward, clerk, opinions=1) for _ in range(6)]
    barrier = threading.Barrier(len(notices))
    failures = []

    def issue(notice):
        try:
            barrier.wait()
            services.notice_issue(notice=notice, by=leader)
        except Exception as error:  # noqa: BLE001 — collected and asserted below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(notice,)) for notice in notices]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    numbers = sorted(
        ConclusionNotice.objects.filter(pk__in=[n.pk for n in notices]).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]


def test_the_assignment_workflow_to_the_closed_conference(ward, make_user):
    clerk = make_user("clerk")
    office = ward.bodies["UBND"]
    handler, outsider = handler_of(office), handler_of(ward.bodies["MTTQ"])
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    assignment = notice.assignments.get()
    assert Notification.objects.filter(recipient=handler).count() == 1

    with pytest.raises(ValidationError) as caught:
        services.assignment_progress(assignment=assignment, by=outsider, text="Không phải việc của tôi")
    assert str(services.NOT_YOUR_ASSIGNMENT) in messages_of(caught)
    services.assignment_progress(assignment=assignment, by=handler, text="Đã khảo sát hiện trường")
    with pytest.raises(ValidationError) as caught:
        services.assignment_report_done(assignment=assignment, by=handler, answer_to_citizen=" ")
    assert str(services.ANSWER_REQUIRED) in messages_of(caught)
    services.assignment_report_done(
        assignment=assignment, by=handler, answer_to_citizen="Kính gửi ông An ..."
    )
    with pytest.raises(ValidationError):
        services.assignment_return(assignment=assignment, by=clerk, reason="")
    services.assignment_return(assignment=assignment, by=clerk, reason="Thiếu số liệu")
    services.assignment_report_done(
        assignment=assignment, by=handler, answer_to_citizen="Kính gửi ông An, bổ sung ..."
    )
    services.assignment_accept(assignment=assignment, by=clerk)

    assignment.refresh_from_db()
    assert assignment.status == "accepted" and assignment.accepted_by == clerk
    conference = Conference.objects.get(pk=notice.conference_id)
    assert conference.status == Conference.Status.CLOSED
    assert not Petition.objects.filter(conference=conference).open().exists()
    assert all(p.resolved_on for p in Petition.objects.filter(conference=conference))
    statuses = list(assignment.history.order_by("history_date").values_list("status", flat=True))
    assert "returned" in statuses and statuses[-1] == "accepted"


def test_extensions_keep_the_old_deadline_in_history(ward, make_user):
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    leader = leader_of(ward)
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader)
    assignment = notice.assignments.get()
    with pytest.raises(ValidationError) as caught:
        services.extension_request(
            assignment=assignment,
            by=handler,
            requested_deadline=date(2026, 12, 1),
            reason="Cần thêm thời gian",
        )
    assert "phải sau hạn hiện tại (31/12/2026)" in messages_of(caught)
    request = services.extension_request(
        assignment=assignment, by=handler, requested_deadline=date(2027, 1, 31), reason="Chờ ý kiến của Sở"
    )
    with pytest.raises(ValidationError):
        services.extension_decide(request=request, by=clerk, approve=True)
    services.extension_decide(request=request, by=leader, approve=True, note="Đồng ý")
    assignment.refresh_from_db()
    request.refresh_from_db()
    assert assignment.deadline == date(2027, 1, 31) and request.previous_deadline == date(2026, 12, 31)
    assert date(2026, 12, 31) in set(assignment.history.values_list("deadline", flat=True))
    # The label names the extension that gave the current deadline, then the first rule.
    assert assignment.deadline_rule_text.startswith(f"Gia hạn đến 31/01/2027 ({leader} đồng ý ngày ")
    assert "trước đó: " in assignment.deadline_rule_text
    second = services.extension_request(
        assignment=assignment, by=handler, requested_deadline=date(2027, 3, 1), reason="Lần 2"
    )
    services.extension_decide(request=second, by=leader, approve=False, note="Không")
    assignment.refresh_from_db()
    assert assignment.deadline == date(2027, 1, 31)


def test_overdue_is_derived_from_the_deadline(ward, make_user):
    clerk = make_user("clerk")
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    assignment = notice.assignments.get()
    assert assignment.days_overdue(date(2026, 12, 31)) == 0
    assert assignment.days_overdue(date(2027, 1, 3)) == 3
    assert list(Assignment.objects.overdue(date(2027, 1, 3))) == [assignment]
    assert not Assignment.objects.overdue(date(2026, 12, 30)).exists()


def test_issue_succeeds_when_the_broker_is_down(ward, make_user, django_capture_on_commit_callbacks):
    from config.celery import app

    clerk = make_user("clerk")
    notice = ready_notice(ward, clerk)

    def use_broker(url):
        # The app caches its connection pools: drop them so the next publish dials `url`.
        app.conf.broker_url = url
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            issued = services.notice_issue(notice=notice, by=leader_of(ward))
        assert services.queue_notice_pdf(issued.pk) is False
    finally:
        use_broker(original)
    issued.refresh_from_db()
    assert issued.status == "issued" and issued.pdf_sha256 == ""  # shown as "PDF pending"


def test_migration_labels_deadlines_extended_before_the_fix(ward, make_user):
    """conclusions 0009: an assignment extended by the old code (deadline moved, label left as
    the first rule's) gets the extension's label."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("conclusions.migrations.0009_extended_deadline_labels")
    clerk, leader = make_user("clerk"), leader_of(ward)
    assignment = services.notice_issue(notice=ready_notice(ward, clerk), by=leader).assignments.get()
    first_rule = assignment.deadline_rule_text
    request = services.extension_request(
        assignment=assignment,
        by=handler_of(ward.bodies["UBND"]),
        requested_deadline=date(2027, 1, 31),
        reason="x",
    )
    services.extension_decide(request=request, by=leader, approve=True)
    Assignment.objects.filter(pk=assignment.pk).update(deadline_basis="")  # as the old code left it
    migration.label_extended_deadlines(apps, None)
    assignment.refresh_from_db()
    assert assignment.deadline_rule_text.startswith(f"Gia hạn đến 31/01/2027 ({leader} đồng ý ngày ")
    assert assignment.deadline_rule_text.endswith(f"trước đó: {first_rule}")
