"""A held conference keeps its area (found in review)."""

import pytest
from django.core.exceptions import ValidationError

from dialogue import services as dialogue_services
from tests.factories import conference_for

pytestmark = pytest.mark.django_db


def test_a_held_conference_keeps_its_area(ward, other_ward, make_user, city):
    conference = conference_for(ward, status="held")
    with pytest.raises(ValidationError) as caught:
        dialogue_services.conference_update(
            conference=conference, by=make_user("clerk"), host_area=other_ward
        )
    assert "host_area" in caught.value.message_dict
