"""An opinion's outcome and its denouncer's identity (found in review)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conclusions import services
from petitions.services import ALREADY_ASSIGNED, DUPLICATE_OF_ITSELF, petition_set_outcome
from tests.conclusions.helpers import (
    leader_of,
    ready_notice,
)
from tests.conftest import login
from tests.factories import UserFactory, conference_for, petition_for

pytestmark = pytest.mark.django_db
SECRET_NAME = "Nguyễn Văn Bí Mật Zed"


def test_a_denouncer_is_hidden_from_higher_levels(ward, city):
    petition = petition_for(conference_for(ward, status="held"), kind="to_cao", petitioner_name=SECRET_NAME)
    city_clerk = UserFactory(agency=city, is_clerk=True)
    page = login(city_clerk).get(reverse("petitions:detail", args=[petition.pk]))
    assert page.status_code == 200 and SECRET_NAME not in page.text


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
