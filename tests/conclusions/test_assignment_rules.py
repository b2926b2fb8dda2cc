"""Assignments across areas, drafts and pending extensions (found in review)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conclusions import services
from conclusions.models import ExtensionRequest
from tests.conclusions.helpers import (
    assign,
    draft_notice,
    handler_of,
    held_conference,
    leader_of,
    ready_notice,
)
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_agency_sees_work_given_by_another_area(city, ward, make_user):
    from tests.factories import ward_with_bodies

    city_area = city
    city_committee = ward_with_bodies(city_area, "Thành phố")  # another area issues the notice
    handler = handler_of(ward.bodies["UBND"])
    clerk = UserFactory(agency=city_committee.bodies["UBND"], is_clerk=True)
    conference = held_conference(city_committee, opinions=0)
    notice = draft_notice(city_committee, clerk, conference=conference)
    assignment = assign(notice, clerk, agency=ward.bodies["UBND"])
    services.notice_issue(notice=notice, by=leader_of(city_committee))
    page = login(handler).get(reverse("conclusions:assignment", args=[assignment.pk]))
    assert page.status_code == 200
    assert assignment.task in login(handler).get(reverse("conclusions:assignments")).text


def test_another_draft_does_not_handle_an_opinion(ward, make_user):
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=1)
    other_draft = draft_notice(ward, clerk, conference=conference)
    assign(other_draft, clerk, agency=ward.bodies["UBND"], petitions=conference.petitions.all())
    notice = draft_notice(ward, clerk, conference=conference)
    assert len(services.notice_unhandled_opinions(notice)) == 1


def test_acceptance_closes_a_pending_extension(ward, make_user):
    clerk = make_user("clerk")
    handler = handler_of(ward.bodies["UBND"])
    leader = leader_of(ward)
    assignment = services.notice_issue(notice=ready_notice(ward, clerk), by=leader).assignments.get()
    request = services.extension_request(
        assignment=assignment, by=handler, requested_deadline=date(2027, 2, 1), reason="Chờ"
    )
    services.assignment_report_done(assignment=assignment, by=handler, answer_to_citizen="Đã trả lời")
    with pytest.raises(ValidationError):
        services.extension_decide(request=request, by=leader, approve=True)
    services.assignment_accept(assignment=assignment, by=clerk)
    request.refresh_from_db()
    assignment.refresh_from_db()
    assert request.status == ExtensionRequest.Status.REJECTED and assignment.deadline == date(2026, 12, 31)
