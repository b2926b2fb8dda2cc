"""Holes found in review, each pinned by a test."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conclusions import services
from conclusions.models import ExtensionRequest
from dialogue import services as dialogue_services
from petitions.services import ALREADY_ASSIGNED, DUPLICATE_OF_ITSELF, petition_set_outcome
from tests.conclusions.helpers import (
    assign,
    draft_notice,
    handler_of,
    held_conference,
    leader_of,
    ready_notice,
)
from tests.conftest import login
from tests.factories import UserFactory, conference_for, petition_for

pytestmark = pytest.mark.django_db
SECRET_NAME = "Nguyễn Văn Bí Mật Zed"


def test_ward_admin_cannot_reach_unscoped_admin_pages(ward, other_ward, make_user, city):
    admin = login(make_user("admin"))
    assert admin.get("/quan-tri/authtoken/tokenproxy/").status_code == 403
    assert admin.get("/quan-tri/axes/accessattempt/").status_code == 403
    boss = UserFactory(agency=city, is_superuser=True)
    history = admin.get(reverse("admin:accounts_user_history", args=[boss.pk]))
    assert history.status_code == 404
    record = boss.history.latest()
    revert = admin.get(reverse("admin:accounts_user_simple_history", args=[boss.pk, record.history_id]))
    assert revert.status_code == 404
    # Their own ward's history is readable.
    assert admin.get(reverse("admin:accounts_orgunit_history", args=[ward.pk])).status_code == 200


def test_only_top_level_admins_change_shared_lists(ward, make_user, city):
    ward_admin = login(make_user("admin"))
    assert ward_admin.get(reverse("admin:core_calendaroverride_add")).status_code == 403
    assert ward_admin.get(reverse("admin:petitions_category_add")).status_code == 403
    city_admin = login(UserFactory(agency=city, is_sysadmin=True))
    assert city_admin.get(reverse("admin:core_calendaroverride_add")).status_code == 200


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


def test_a_denouncer_is_hidden_from_higher_levels(ward, city):
    petition = petition_for(conference_for(ward, status="held"), kind="to_cao", petitioner_name=SECRET_NAME)
    city_clerk = UserFactory(agency=city, is_clerk=True)
    page = login(city_clerk).get(reverse("petitions:detail", args=[petition.pk]))
    assert page.status_code == 200 and SECRET_NAME not in page.text


def test_a_held_conference_keeps_its_area(ward, other_ward, make_user, city):
    conference = conference_for(ward, status="held")
    with pytest.raises(ValidationError) as caught:
        dialogue_services.conference_update(
            conference=conference, by=make_user("clerk"), host_area=other_ward
        )
    assert "host_area" in caught.value.message_dict


def test_merging_a_duplicate_through_the_page(ward, make_user):
    conference = conference_for(ward, status="held")
    original, repeat = petition_for(conference), petition_for(conference)
    response = login(make_user("clerk")).post(
        reverse("petitions:detail", args=[repeat.pk]), {"outcome": "duplicate", "duplicate_of": original.pk}
    )
    assert response.status_code == 302
    repeat.refresh_from_db()
    assert repeat.duplicate_of == original
    with pytest.raises(ValidationError) as caught:
        petition_set_outcome(
            petition=original, by=make_user("clerk"), outcome="duplicate", duplicate_of=repeat
        )
    assert str(DUPLICATE_OF_ITSELF) in caught.value.messages


def test_an_assigned_opinion_keeps_its_outcome(ward, make_user):
    clerk = make_user("clerk")
    notice = services.notice_issue(notice=ready_notice(ward, clerk), by=leader_of(ward))
    petition = notice.conference.petitions.first()
    with pytest.raises(ValidationError) as caught:
        petition_set_outcome(petition=petition, by=clerk, outcome="rejected", rejection_reason="Đổi ý")
    assert str(ALREADY_ASSIGNED) in caught.value.messages


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


def test_uploaded_files_are_not_served_from_media(client, settings):
    assert client.get("/media/notices/2026/1-thong-bao.pdf").status_code == 404


def test_party_terms_are_entered_in_the_admin_within_scope(ward, other_ward, make_user):
    from conclusions.models import CommitteeTerm

    CommitteeTerm.objects.create(
        body=other_ward.bodies["ĐU"],
        name="2025 – 2030",
        starts_on=date(2025, 7, 1),
        ends_on=date(2030, 6, 30),
    )
    admin = login(make_user("admin"))
    page = admin.get(reverse("admin:conclusions_committeeterm_changelist"))
    assert page.status_code == 200 and "Cầu Giấy" not in page.text
    response = admin.post(
        reverse("admin:conclusions_committeeterm_add"),
        {
            "body": ward.bodies["ĐU"].pk,
            "name": "2025 – 2030",
            "starts_on": "01/07/2025",
            "ends_on": "30/06/2030",
        },
    )
    assert response.status_code == 302
    assert CommitteeTerm.objects.filter(body=ward.bodies["ĐU"]).exists()
    assert admin.get(reverse("admin:conclusions_reminderrule_add")).status_code == 403
