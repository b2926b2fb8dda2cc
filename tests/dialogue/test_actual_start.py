"""Issue 19, trap 7: the "mark held" form corrects when the conference actually began. Checked
(not in the future; date and time together), kept in history, and fixed once a notice is
issued (deadlines may count from that day)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from dialogue import services
from dialogue.forms import DATE_AND_TIME_TOGETHER
from dialogue.models import Conference
from tests.conftest import login
from tests.factories import conference_for

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_a_held_conferences_time_is_corrected_and_kept_in_history(ward, make_user):
    clerk = make_user("clerk")
    conference = conference_for(ward, status="held")  # planned 30/09/2026 14:00
    response = login(clerk).post(
        reverse("dialogue:hold", args=[conference.pk]),
        {
            "actual_date": "29/09/2026",
            "actual_time": "08:30",
            "participant_count": "90",
            "minutes": "Biên bản",
        },
    )
    assert response.status_code == 302
    conference.refresh_from_db()
    assert conference.starts_at == datetime(2026, 9, 29, 8, 30, tzinfo=HANOI)
    assert str(conference.held_on) == "2026-09-29"
    before = conference.history.order_by("-history_date")[1]
    assert before.starts_at == datetime(2026, 9, 30, 14, 0, tzinfo=HANOI) and before.participant_count is None
    assert conference.history.latest("history_date").history_user == clerk


def test_a_future_time_or_half_a_time_is_refused_beside_the_field(ward, make_user):
    client = login(make_user("clerk"))
    conference = conference_for(ward)
    tomorrow = timezone.localdate() + timedelta(days=1)
    url = reverse("dialogue:hold", args=[conference.pk])
    minutes = {"participant_count": "90", "minutes": "Biên bản"}
    page = client.post(url, {"actual_date": f"{tomorrow:%d/%m/%Y}", "actual_time": "08:00", **minutes})
    assert page.status_code == 200 and "chưa diễn ra" in str(page.context["form"].errors["actual_date"])
    page = client.post(url, {"actual_date": "29/09/2026", "actual_time": "", **minutes})
    assert page.context["form"].errors["actual_time"] == [str(DATE_AND_TIME_TOGETHER)]
    conference.refresh_from_db()
    assert conference.status == Conference.Status.PLANNED  # nothing half-saved


def test_the_time_is_fixed_once_a_notice_is_issued(ward, make_user):
    clerk = make_user("clerk")
    conference = conference_for(ward, status="concluded")
    page = login(clerk).get(reverse("dialogue:hold", args=[conference.pk]))
    assert "actual_date" not in page.context["form"].fields
    with pytest.raises(ValidationError) as refused:
        services.conference_record_minutes(
            conference=conference,
            by=clerk,
            participant_count=10,
            minutes="Biên bản",
            starts_at=datetime(2026, 9, 29, 8, 30, tzinfo=HANOI),
        )
    assert refused.value.message_dict == {"starts_at": [str(services.START_FIXED_AFTER_NOTICE)]}
