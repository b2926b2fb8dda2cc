from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import OrgUnit
from dialogue import services
from dialogue.models import Conference, ConferenceBasis
from tests.factories import conference_for, ward_with_bodies

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def plan(ward, user, **fields):
    arguments = {
        "by": user,
        "host_area": ward,
        "title": "Hội nghị đối thoại năm 2026",
        "basis": ConferenceBasis.objects.first(),
        "kind": Conference.Kind.SCHEDULED,
        "starts_at": datetime(2026, 9, 30, 14, tzinfo=HANOI),
        "place": "Hội trường UBND phường",
        "chairs": [services.Chair("Nguyễn Thị Thanh Hằng", "Bí thư Đảng ủy phường")],
    }
    return services.conference_plan(**{**arguments, **fields})


def test_plan_records_chairs_and_makes_them_searchable(ward, make_user):
    conference = plan(ward, make_user("clerk"))
    assert conference.status == Conference.Status.PLANNED
    assert [chair.full_name for chair in conference.chairs.all()] == ["Nguyễn Thị Thanh Hằng"]
    assert Conference.objects.search("thanh hang").get() == conference
    assert Conference.objects.search("bo de hoi truong").get() == conference  # area name and place


def test_hold_then_no_second_hold(ward, make_user):
    clerk = make_user("clerk")
    conference = plan(ward, clerk)
    held = services.conference_hold(
        conference=conference, by=clerk, participant_count=150, minutes="Biên bản"
    )
    assert held.status == Conference.Status.HELD and held.held_on.isoformat() == "2026-09-30"
    with pytest.raises(ValidationError) as caught:
        services.conference_hold(conference=held, by=clerk, participant_count=1, minutes="x")
    assert str(services.CANNOT_HOLD) in caught.value.messages


def test_a_future_conference_cannot_be_marked_held(ward, make_user):
    clerk = make_user("clerk")
    conference = plan(ward, clerk, starts_at=timezone.now() + timedelta(days=3))
    with pytest.raises(ValidationError) as caught:
        services.conference_hold(conference=conference, by=clerk, participant_count=10, minutes="x")
    assert str(services.CANNOT_HOLD_IN_FUTURE) in caught.value.messages


def test_cancel_needs_a_reason_and_a_planned_conference(ward, make_user):
    clerk = make_user("clerk")
    conference = plan(ward, clerk)
    with pytest.raises(ValidationError):
        services.conference_cancel(conference=conference, by=clerk, reason="  ")
    cancelled = services.conference_cancel(conference=conference, by=clerk, reason="Trùng lịch bầu cử")
    assert cancelled.status == Conference.Status.CANCELLED
    with pytest.raises(ValidationError):
        services.conference_update(conference=cancelled, by=clerk, title="Khác")
    held = conference_for(ward, status=Conference.Status.HELD)
    with pytest.raises(ValidationError):
        services.conference_cancel(conference=held, by=clerk, reason="Muộn rồi")


def test_history_records_the_user(ward, make_user):
    clerk = make_user("clerk")
    conference = plan(ward, clerk)
    services.conference_hold(conference=conference, by=clerk, participant_count=150, minutes="Biên bản")
    latest = conference.history.latest()
    assert latest.history_user == clerk and latest.status == Conference.Status.HELD


def test_compliance_counts_held_conferences_per_area_and_year(city, ward, other_ward):
    conference_for(ward, status=Conference.Status.HELD)
    conference_for(ward, status=Conference.Status.CANCELLED)
    conference_for(other_ward, status=Conference.Status.HELD, starts_at=datetime(2025, 5, 5, 8, tzinfo=HANOI))
    ended = ward_with_bodies(city, "Cũ")
    OrgUnit.objects.filter(pk=ended.pk).update(valid_to="2024-06-30")
    rows = {
        row.area.name: row for row in services.conference_compliance(areas=OrgUnit.objects.all(), year=2026)
    }
    assert set(rows) == {"Phường Bồ Đề", "Phường Cầu Giấy"}  # the city has no requirement; the old ward ended
    assert (rows["Phường Bồ Đề"].held, rows["Phường Bồ Đề"].met) == (1, True)
    assert (rows["Phường Cầu Giấy"].held, rows["Phường Cầu Giấy"].met) == (0, False)


@pytest.mark.django_db
def test_compliance_summary_counts_in_sql_and_lists_the_weakest(city, django_assert_max_num_queries):
    from accounts.models import OrgUnit
    from tests.factories import OrgUnitFactory

    wards = [OrgUnitFactory(name=f"Phường {n}", kind="ward", parent=city) for n in range(5)]
    every = services.conference_compliance(areas=OrgUnit.objects.all(), year=2026)
    with django_assert_max_num_queries(3):
        summary = services.compliance_summary(areas=OrgUnit.objects.all(), year=2026, lacking=2)
    assert summary.total == len(every) >= len(wards)
    assert summary.met == sum(row.met for row in every)
    assert [row.area for row in summary.lacking] == [row.area for row in every if not row.met][:2]


# --- voter meetings -----------------------------------------------------------------------------

VOTER_FIELDS = {
    "meeting_type": Conference.MeetingType.VOTER_MEETING,
    "deputy_level": Conference.DeputyLevel.DISTRICT,
    "deputies": "Trần Văn Nam – Đại biểu HĐND quận",
    "session": "Kỳ họp thứ 5",
    "session_timing": Conference.SessionTiming.AFTER,
    "forwarded_to": "Thường trực HĐND quận",
}


def test_a_voter_meeting_is_planned_with_its_deputies(ward, make_user):
    meeting = plan(ward, make_user("clerk"), **VOTER_FIELDS)
    assert meeting.is_voter_meeting and meeting.forwarded_to == "Thường trực HĐND quận"
    assert (
        Conference.objects.voter_meetings().get() == meeting and not Conference.objects.dialogues().exists()
    )


def test_a_voter_meeting_needs_its_level_and_deputies(ward, make_user):
    with pytest.raises(ValidationError) as error:
        plan(ward, make_user("clerk"), **{**VOTER_FIELDS, "deputy_level": "", "deputies": " "})
    assert set(error.value.message_dict) == {"deputy_level", "deputies"}
    assert not Conference.objects.exists()


def test_a_dialogue_keeps_no_deputies_and_a_meeting_turned_dialogue_drops_them(ward, make_user):
    clerk = make_user("clerk")
    dialogue = plan(ward, clerk, deputies="Ai đó", deputy_level="district")
    assert (dialogue.deputies, dialogue.deputy_level) == ("", "")
    meeting = plan(ward, clerk, **VOTER_FIELDS)
    services.conference_update(conference=meeting, by=clerk, meeting_type=Conference.MeetingType.DIALOGUE)
    meeting.refresh_from_db()
    assert (meeting.deputy_level, meeting.forwarded_to) == ("", "")


def test_compliance_counts_dialogues_not_voter_meetings(ward):
    conference_for(ward, status=Conference.Status.HELD, **VOTER_FIELDS)
    rows = services.conference_compliance(areas=OrgUnit.objects.filter(pk=ward.pk), year=2026)
    assert (rows[0].held, rows[0].met) == (0, False)
