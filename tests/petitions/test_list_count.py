"""The opinion list searched: the page comes without a COUNT, and the count, asked for by htmx
with the same filters, is scoped exactly like the list (core.pagination.ListPagination)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.pagination import COUNT_PARAMETER
from tests.conftest import login
from tests.factories import conference_for, petition_for

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def drains(ward, other_ward, monkeypatch):
    """Three drainage opinions in the ward (a page of two), one elsewhere, one on another subject."""
    monkeypatch.setattr("petitions.views.PAGE_SIZE", 2)
    conference = conference_for(ward, status="held")
    for number in range(3):
        petition_for(conference, content=f"Cải tạo hệ thống thoát nước ngõ {number}")
    petition_for(conference, content="Chiếu sáng ngõ 5")
    petition_for(conference_for(other_ward, status="held"), content="Thoát nước phố Cầu Giấy")
    return conference


def petition_counts(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(" in q["sql"] and "petitions_petition" in q["sql"]
    ]


def test_search_page_has_no_count_query(drains, make_user):
    client = login(make_user("clerk"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("petitions:list"), {"q": "thoat nuoc"})
    assert page.status_code == 200 and not petition_counts(queries)
    assert len(page.context["page"].object_list) == 2
    assert "Hơn 2 ý kiến" in page.text and "data-list-count" not in page.text
    assert f"{COUNT_PARAMETER}=1" in page.text and 'hx-trigger="load"' in page.text
    assert "Trang 1<" in page.text and 'page=2"' in page.text  # next without a page total


def test_count_request_answers_with_the_scoped_count(drains, make_user):
    client = login(make_user("clerk"))
    fragment = client.get(reverse("petitions:list"), {"q": "thoat nuoc", COUNT_PARAMETER: "1"}, headers=HTMX)
    assert fragment.status_code == 200
    # The ward's three, not the one of the other ward the clerk cannot see, nor the lighting one.
    assert 'data-list-count="3"' in fragment.text and "3 ý kiến" in fragment.text
    assert "<html" not in fragment.text and "HX-Request" in fragment["Vary"]
    filtered = client.get(
        reverse("petitions:list"), {"q": "ngo", "kind": "kien_nghi", COUNT_PARAMETER: "1"}, headers=HTMX
    )
    assert 'data-list-count="4"' in filtered.text  # the other filters apply too


def test_the_count_answer_gives_the_pagination_its_page_total(drains, make_user):
    client = login(make_user("clerk"))
    first = client.get(reverse("petitions:list"), {"q": "thoat nuoc", COUNT_PARAMETER: "1"}, headers=HTMX)
    # Out of band: htmx puts it in place of the page's "Trang 1" (includes/pagination.html).
    assert 'id="list-page-label" hx-swap-oob="true">Trang 1/2</span>' in first.text
    page = client.get(reverse("petitions:list"), {"q": "thoat nuoc"})
    assert 'id="list-page-label">Trang 1</span>' in page.text


def test_without_javascript_the_count_link_shows_the_page_counted(drains, make_user):
    page = login(make_user("clerk")).get(reverse("petitions:list"), {"q": "thoat nuoc", COUNT_PARAMETER: "1"})
    assert page.status_code == 200 and "<html" in page.text
    assert 'data-list-count="3"' in page.text and "Trang 1/2" in page.text


def test_a_short_search_result_is_counted_at_once(drains, make_user):
    page = login(make_user("clerk")).get(reverse("petitions:list"), {"q": "chieu sang"})
    assert 'data-list-count="1"' in page.text and "hx-get" not in page.text


def test_unsearched_list_keeps_its_count(drains, make_user):
    page = login(make_user("clerk")).get(reverse("petitions:list"))
    assert 'data-list-count="4"' in page.text and "Trang 1/2" in page.text


@pytest.mark.parametrize("rows", [3, 12])
def test_count_request_queries_do_not_grow(drains, make_user, rows, django_assert_max_num_queries):
    for number in range(rows):
        petition_for(drains, content=f"Khơi thông thoát nước tổ {number}")
    client = login(make_user("clerk"))
    with django_assert_max_num_queries(4):  # session, user, the scope's former units, the bounded count
        fragment = client.get(
            reverse("petitions:list"), {"q": "thoat nuoc", COUNT_PARAMETER: "1"}, headers=HTMX
        )
    assert f'data-list-count="{rows + 3}"' in fragment.text
