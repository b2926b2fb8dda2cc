"""Assignment.arises_on (conclusions.arising): the day the work arose — its notice's
conference's day, its notice's day of issue (a notice without a conference), or its own
deadline_from (no notice) — stored on the row by triggers, whatever makes the assignment or
later moves one of those days; and the migration's fill of rows already there."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from conclusions import services
from conclusions.arising import arises_on_fill
from conclusions.models import Assignment, _arising_condition
from dialogue.models import Conference
from petitions import services as petition_services
from petitions.models import Reopening
from tests.api.conclusions_factories import give
from tests.conclusions.helpers import draft_notice, held_conference, leader_of
from tests.loop.test_answer_loop import answered_petition
from tests.loop.test_answer_loop import give as give_verdict
from tests.petitions.written_helpers import letter

pytestmark = pytest.mark.django_db


def the_day_it_arose(assignment: Assignment) -> date | None:
    """The definition, read from the related rows (what the triggers must store)."""
    assignment = Assignment.objects.select_related("notice__conference").get(pk=assignment.pk)
    notice = assignment.notice
    if notice is None:
        return assignment.deadline_from
    return notice.conference.held_on if notice.conference_id else notice.issued_on


def stored(assignment: Assignment) -> date | None:
    return Assignment.objects.values_list("arises_on", flat=True).get(pk=assignment.pk)


def test_work_of_a_conferences_notice_arises_on_the_day_held_and_follows_it(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=1)
    Conference.objects.filter(pk=conference.pk).update(held_on=date(2026, 3, 14))
    notice = draft_notice(ward, clerk, conference=conference)
    work = give(notice, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all())

    assert stored(work) == date(2026, 3, 14) == the_day_it_arose(work)  # a draft's work too
    services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 3, 20))
    assert stored(work) == date(2026, 3, 14)

    conference.refresh_from_db()
    conference.held_on = date(2026, 3, 15)
    conference.save()
    assert stored(work) == date(2026, 3, 15) == the_day_it_arose(work)
    Conference.objects.filter(pk=conference.pk).update(held_on=None)
    assert stored(work) is None and the_day_it_arose(work) is None


def test_work_of_a_notice_without_conference_arises_when_it_is_issued(ward, make_user):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk)
    work = give(notice, clerk, agency=ward.bodies["UBND"])
    assert stored(work) is None  # a draft without a conference has no day yet

    services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 4, 2))
    assert stored(work) == date(2026, 4, 2) == the_day_it_arose(work)

    conference = held_conference(ward, opinions=0)
    Conference.objects.filter(pk=conference.pk).update(held_on=date(2026, 3, 30))
    notice.__class__.objects.filter(pk=notice.pk).update(conference=conference)
    assert stored(work) == date(2026, 3, 30) == the_day_it_arose(work)


def test_work_for_a_written_petition_arises_on_the_day_its_deadline_counts_from(ward, make_user):
    clerk = make_user("clerk")
    petition = petition_services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 9), complexity="normal"
    )
    work = services.petition_assignment_add(
        petition=petition, by=clerk, task="Giải quyết đơn", lead_agency=ward.bodies["UBND"]
    )
    assert work.deadline_from == date(2026, 2, 9)
    assert stored(work) == date(2026, 2, 9) == the_day_it_arose(work)

    # An ORM write of the day (not through the services) is followed too.
    Assignment.objects.filter(pk=work.pk).update(deadline_from=date(2026, 2, 10))
    assert stored(work) == date(2026, 2, 10)
    work.refresh_from_db()
    work.arises_on = date(2000, 1, 1)  # a stale value saved back with the row is corrected
    work.save()
    assert stored(work) == date(2026, 2, 10)


def test_work_given_again_for_a_reopened_opinion_arises_on_the_day_given(ward, make_user):
    clerk = make_user("clerk")
    petition = answered_petition(ward, clerk)
    give_verdict(petition, "not_resolved")
    work = services.reopening_reassign(
        reopening=Reopening.objects.get(),
        by=leader_of(ward),
        task="Nạo vét lại toàn tuyến",
        lead_agency=ward.bodies["UBND"],
        deadline=timezone.localdate() + timedelta(days=10),
    )
    assert work.notice_id is None
    assert stored(work) == timezone.localdate() == the_day_it_arose(work)


def test_work_created_or_moved_by_the_orm_alone(ward, make_user):
    clerk = make_user("clerk")
    notice = draft_notice(ward, clerk, conference=held_conference(ward, opinions=0))
    (work,) = Assignment.objects.bulk_create(
        [
            Assignment(
                notice=notice,
                area=ward,
                item=notice.items.first(),
                task="Việc nhập thẳng",
                lead_agency=ward.bodies["UBND"],
                deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
                deadline=date(2026, 12, 31),
            )
        ]
    )
    assert stored(work) == notice.conference.held_on == the_day_it_arose(work)

    alone = draft_notice(ward, clerk)
    services.notice_issue(notice=alone, by=leader_of(ward), issued_on=date(2026, 5, 6))
    Assignment.objects.filter(pk=work.pk).update(notice=alone)
    assert stored(work) == date(2026, 5, 6) == the_day_it_arose(work)
    Assignment.objects.filter(pk=work.pk).update(notice=None, deadline_from=date(2026, 1, 2))
    assert stored(work) == date(2026, 1, 2) == the_day_it_arose(work)


def test_the_migration_fills_the_rows_already_there(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=1)
    notice = draft_notice(ward, clerk, conference=conference)
    give(notice, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all())
    services.notice_issue(notice=notice, by=leader_of(ward), issued_on=date(2026, 3, 20))
    alone = draft_notice(ward, clerk)
    give(alone, clerk, agency=ward.bodies["MTTQ"])
    services.notice_issue(notice=alone, by=leader_of(ward), issued_on=date(2026, 4, 2))
    petition = petition_services.petition_accept(
        petition=letter(ward, clerk), by=clerk, accepted_on=date(2026, 2, 9), complexity="normal"
    )
    services.petition_assignment_add(
        petition=petition, by=clerk, task="Giải quyết", lead_agency=ward.bodies["UBND"]
    )
    rows = list(Assignment.objects.all())
    assert len(rows) == 3
    # Rows from before the column (null), and one wrong: the triggers do not fire on these.
    Assignment.objects.update(arises_on=None)
    Assignment.objects.filter(pk=rows[0].pk).update(arises_on=date(2000, 1, 1))
    assert all(stored(row) in (None, date(2000, 1, 1)) for row in rows)

    with connection.cursor() as cursor:
        arises_on_fill(cursor)

    days = {row.pk: stored(row) for row in rows}
    assert days == {row.pk: the_day_it_arose(row) for row in rows}
    assert date(2026, 2, 9) in days.values() and date(2026, 4, 2) in days.values()
    assert None not in days.values()


def test_arising_in_reads_the_column_and_selects_the_rows_of_the_join(ward, make_user):
    clerk = make_user("clerk")
    for held_on in (date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1)):
        conference = held_conference(ward, opinions=1)
        Conference.objects.filter(pk=conference.pk).update(held_on=held_on)
        give(draft_notice(ward, clerk, conference=conference), clerk, agency=ward.bodies["UBND"])
    alone = draft_notice(ward, clerk)
    give(alone, clerk, agency=ward.bodies["UBND"])
    services.notice_issue(notice=alone, by=leader_of(ward), issued_on=date(2026, 2, 14))

    february = Assignment.objects.arising_in(date(2026, 2, 1), date(2026, 2, 28))
    assert "arises_on" in str(february.query)
    joined = Assignment.objects.filter(
        _arising_condition("gte", date(2026, 2, 1)), _arising_condition("lte", date(2026, 2, 28))
    )
    assert set(february.values_list("pk", flat=True)) == set(joined.values_list("pk", flat=True))
    assert february.count() == 3
