"""A province's or the whole country's supervision figures are kept for a while (they
aggregate millions of rows at national scale); a ward's are always fresh."""

import uuid

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.dashboards.boards_data import build
from tests.dashboards.test_boards import period_params

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.DASHBOARD_CACHE_SECONDS = 600
    # A period no other test run uses: the cache (Redis) outlives the test database.
    return period_params(end=f"2099-{uuid.uuid4().int % 12 + 1:02d}-01")


def test_large_area_figures_are_cached_with_their_time(city, cached, django_assert_max_num_queries):
    boards = build(city)
    client = login(boards.users["city_monitor"])
    params = {**cached, "area": city.pk}
    first = client.get(reverse("dashboards:supervision"), params)
    held = first.context["conferences"]["held"].value
    assert "số liệu tính lúc" in first.content.decode()
    # The second view reads the figures from the cache: far fewer queries than computing them.
    with django_assert_max_num_queries(8):
        second = client.get(reverse("dashboards:supervision"), params)
    assert second.context["conferences"]["held"].value == held
    assert second.context["computed_at"] == first.context["computed_at"]


def test_ward_figures_are_always_fresh(city, cached):
    boards = build(city)
    ward = boards.users["leader"].area
    client = login(boards.users["city_monitor"])
    params = {**cached, "area": ward.pk}
    first = client.get(reverse("dashboards:supervision"), params)
    second = client.get(reverse("dashboards:supervision"), params)
    assert second.context["computed_at"] > first.context["computed_at"]
