"""Conclusions changes opinions and conferences only through their owners' services
(petitions.services, dialogue.services), so every change appears in their history, with the
person who made it: issuing the notice (opinions in the authority's hands, the conference
concluded) and accepting the last assignment (opinions resolved, the conference closed)."""

import pytest
from django.utils import timezone

from conclusions import services
from dialogue.models import Conference
from petitions.models import Petition
from tests.conclusions.helpers import handler_of, leader_of, ready_notice

pytestmark = pytest.mark.django_db


def _history(obj, field: str) -> list[tuple]:
    return list(obj.history.order_by("history_date", "history_id").values_list(field, "history_user"))


def test_issuing_and_accepting_are_in_the_opinions_and_conference_history(ward, make_user):
    clerk, leader = make_user("clerk"), leader_of(ward)
    handler = handler_of(ward.bodies["UBND"])
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader)
    conference = Conference.objects.get(pk=notice.conference_id)
    opinions = list(Petition.objects.filter(conference=conference).order_by("pk"))
    assert len(opinions) == 2

    assert _history(conference, "status")[-1] == (Conference.Status.CONCLUDED, leader.pk)
    for opinion in opinions:
        assert _history(opinion, "outcome")[-1] == (Petition.Outcome.IN_AUTHORITY, leader.pk)
        assert opinion.history.latest().outcome_decided_on == notice.issued_on

    assignment = notice.assignments.get()
    services.assignment_report_done(
        assignment=assignment, by=handler, answer_to_citizen="Kính gửi ông An ..."
    )
    services.assignment_accept(assignment=assignment, by=clerk)

    assert [status for status, _user in _history(conference, "status")][-3:] == [
        Conference.Status.HELD,
        Conference.Status.CONCLUDED,
        Conference.Status.CLOSED,
    ]
    assert _history(conference, "status")[-1][1] == clerk.pk
    for opinion in opinions:
        assert _history(opinion, "resolved_on")[-1] == (timezone.localdate(), clerk.pk)
        assert _history(opinion, "resolved_on")[-2][0] is None
