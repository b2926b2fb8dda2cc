"""Issue 20, failure 5: the public area page listed every opinion of every conference (709 KB
and 2 s after 1,000 opinions). Each conference shows its first opinions there; all of them are
on the conference's own pages, a page at a time, in a fixed number of queries."""

import pytest
from django.test import Client
from django.urls import reverse

from public_pages import views as public_views
from tests.conclusions.helpers import leader_of
from tests.petitions.written_helpers import clerk_of
from tests.public.test_public import _issued_conference

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(public_views, "OPINIONS_ON_AREA_PAGE", 3)
    monkeypatch.setattr(public_views, "OPINIONS_PER_PAGE", 4)


def opinion_rows(page: str) -> int:
    return page.count("31/12/2026")  # each listed opinion shows its agency's deadline once


@pytest.mark.parametrize("opinions", [5, 9])
def test_area_page_shows_a_bounded_number_per_conference(
    ward, small_pages, opinions, django_assert_max_num_queries
):
    conference = _issued_conference(ward, leader_of(ward), clerk_of(ward), opinions=opinions)
    _issued_conference(ward, leader_of(ward), clerk_of(ward), opinions=2)
    with django_assert_max_num_queries(9):  # as test_area_page_query_count_is_constant
        page = Client().get(reverse("public:area", args=[ward.pk])).content.decode()
    assert opinion_rows(page) == 3 + 2
    assert reverse("public:conference", args=[conference.pk]) in page
    assert f"Xem tất cả {opinions} ý kiến" in page


@pytest.mark.parametrize("opinions", [5, 9])
def test_conference_page_lists_every_opinion_page_by_page(
    ward, small_pages, opinions, django_assert_max_num_queries
):
    conference = _issued_conference(ward, leader_of(ward), clerk_of(ward), opinions=opinions)
    url = reverse("public:conference", args=[conference.pk])
    seen, number = 0, 1
    while True:
        with django_assert_max_num_queries(6):
            response = Client().get(url, {"page": number})
        assert response.status_code == 200
        seen += opinion_rows(response.content.decode())
        if not response.context["page"].has_next():
            break
        number += 1
    assert seen == opinions and number == -(-opinions // 4)
