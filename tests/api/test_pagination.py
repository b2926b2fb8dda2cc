"""The API's paging (core.pagination.ApiPagination): page numbers for the first pages, a keyset
cursor beyond, a clear 400 for a page too deep or a damaged cursor, a count that says when it
is an estimate, and the same query count at every page size."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conclusions.models import ConclusionNotice
from core.pagination import BAD_CURSOR, PAGE_TOO_DEEP, ApiPagination, keyset_after
from tests.api.conclusions_factories import issued_notice
from tests.conclusions.helpers import draft_notice, held_conference
from tests.conftest import login
from tests.factories import ConferenceFactory, PetitionFactory

PETITIONS = reverse("api:petition-list")
NOTICES = reverse("api:notice-list")


@pytest.fixture
def small_pages(monkeypatch):
    """Two rows a page, two pages by number: a cursor from the third page on."""
    monkeypatch.setattr(ApiPagination, "page_size", 2)
    monkeypatch.setattr(ApiPagination, "max_page_number", 2)


def walk(client, url, params=None) -> tuple[list[int], list[str]]:
    """Every row's id following `next` from the first page, and each `next` link."""
    found, links = [], []
    response = client.get(url, params or {})
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        found += [row["id"] for row in body["results"]]
        if not body["next"]:
            return found, links
        links.append(body["next"])
        response = client.get(body["next"])


def test_a_list_is_walked_by_page_number_then_by_cursor_without_gaps_or_repeats(small_pages, make_user, ward):
    conference = ConferenceFactory(host_area=ward)
    today = timezone.localdate()
    # Equal dates: the keyset must break ties on the id.
    days = [
        today,
        today,
        today - timedelta(days=1),
        today - timedelta(days=1),
        today,
        today - timedelta(days=3),
    ]
    petitions = [PetitionFactory(conference=conference, received_on=day) for day in days]
    expected = [p.pk for p in sorted(petitions, key=lambda p: (p.received_on, p.pk), reverse=True)]

    found, links = walk(login(make_user("clerk")), PETITIONS)

    assert found == expected
    assert "page=2" in links[0]
    assert all("cursor=" in link and "page=" not in link for link in links[1:])


def test_a_cursor_walks_notices_whose_ordering_date_is_empty(small_pages, ward, make_user):
    """Drafts have no issue date: going newest first they come before every issued notice."""
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=0)
    drafts = [draft_notice(ward, clerk, conference=conference) for _ in range(3)]
    issued = [issued_notice(ward, clerk) for _ in range(3)]
    ConclusionNotice.objects.filter(pk=issued[0].pk).update(issued_on=issued[1].issued_on)
    notices = ConclusionNotice.objects.filter(pk__in=[n.pk for n in drafts + issued])
    expected = [n.pk for n in sorted(notices, key=lambda n: n.pk, reverse=True) if n.issued_on is None] + [
        n.pk
        for n in sorted((n for n in notices if n.issued_on), key=lambda n: (n.issued_on, n.pk), reverse=True)
    ]

    found, _links = walk(login(clerk), NOTICES)

    assert found == expected


@pytest.mark.parametrize("ordering", [["issued_on", "pk"], ["-issued_on", "-pk"]])
def test_the_rows_after_each_row_are_the_rest_of_the_list_empty_dates_included(ward, make_user, ordering):
    """keyset_after bounds its first field (`<=` going down, `>=` going up) for the index to
    start there; going up the empty dates come last, after every row, and are kept."""
    clerk = make_user("clerk")
    conference = held_conference(ward, opinions=0)
    drafts = [draft_notice(ward, clerk, conference=conference) for _ in range(2)]
    issued = [issued_notice(ward, clerk) for _ in range(3)]
    ConclusionNotice.objects.filter(pk=issued[2].pk).update(issued_on=issued[0].issued_on - timedelta(days=5))
    notices = ConclusionNotice.objects.filter(pk__in=[n.pk for n in drafts + issued]).order_by(*ordering)
    in_order = list(notices)

    for index, row in enumerate(in_order):
        after = keyset_after(notices, ordering, [row.issued_on, row.pk])
        assert list(after) == in_order[index + 1 :]
    assert in_order[-1 if ordering[0] == "issued_on" else 0].issued_on is None


@pytest.mark.parametrize("page", ["3", "2000", str(10**30)])
def test_a_page_number_too_deep_is_refused_with_a_message(small_pages, make_user, ward, page):
    response = login(make_user("clerk")).get(PETITIONS, {"page": page})

    assert response.status_code == 400
    assert response.json()["page"] == [str(PAGE_TOO_DEEP % {"page": page, "max": 2})]


@pytest.mark.parametrize("page", ["0", "-1", "abc"])
def test_a_page_number_that_is_no_page_is_refused(make_user, ward, page):
    response = login(make_user("clerk")).get(PETITIONS, {"page": page})

    assert response.status_code == 400
    assert "page" in response.json()


@pytest.mark.parametrize("cursor", ["abc", "W10", "WzEsMiwzXQ", "!!", "eyJhIjoxfQ"])
def test_a_damaged_cursor_is_refused_with_a_message(make_user, ward, cursor):
    response = login(make_user("clerk")).get(PETITIONS, {"cursor": cursor})

    assert response.status_code == 400
    assert response.json()["cursor"] == [str(BAD_CURSOR)]


def test_the_count_is_exact_and_says_so_on_a_small_list(small_pages, make_user, ward):
    conference = ConferenceFactory(host_area=ward)
    PetitionFactory.create_batch(5, conference=conference, content="Đề nghị sửa chữa tuyến đường ngõ")
    client = login(make_user("clerk"))

    first = client.get(PETITIONS).json()
    searched = client.get(PETITIONS, {"q": "duong"}).json()

    assert (first["count"], first["count_is_estimate"]) == (5, False)
    assert first["previous"] is None
    # A search is not counted (its count is the planner's estimate, at least the rows seen).
    assert searched["count_is_estimate"] is True and searched["count"] >= 3


@pytest.mark.parametrize("rows", [3, 30])
def test_a_cursor_page_keeps_its_query_count(
    make_user, ward, django_assert_max_num_queries, rows, monkeypatch
):
    monkeypatch.setattr(ApiPagination, "max_page_number", 1)
    monkeypatch.setattr(ApiPagination, "page_size", rows // 3)
    conference = ConferenceFactory(host_area=ward)
    PetitionFactory.create_batch(rows, conference=conference)
    client = login(make_user("clerk"))
    cursor_link = client.get(PETITIONS).json()["next"]

    with django_assert_max_num_queries(6):
        response = client.get(cursor_link)

    assert len(response.json()["results"]) == rows // 3


@pytest.mark.parametrize("rows", [6, 60])
def test_a_numbered_page_skips_the_rows_before_it_as_keys_only(
    make_user, ward, django_assert_max_num_queries, rows, monkeypatch
):
    # OFFSET reads every row before the page; with the rows' joins it joined each of them
    # (API assignments page 10 over a million: 1,514 rows joined five ways for 51).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(ApiPagination, "page_size", rows // 3)
    conference = ConferenceFactory(host_area=ward)
    petitions = PetitionFactory.create_batch(rows, conference=conference)
    expected = [p.pk for p in sorted(petitions, key=lambda p: (p.received_on, p.pk), reverse=True)]
    client = login(make_user("clerk"))

    with django_assert_max_num_queries(8), CaptureQueriesContext(connection) as queries:
        response = client.get(PETITIONS, {"page": 2})

    assert [row["id"] for row in response.json()["results"]] == expected[rows // 3 : 2 * rows // 3]
    offsets = [query["sql"] for query in queries.captured_queries if "OFFSET" in query["sql"]]
    assert len(offsets) == 1 and offsets[0].startswith('SELECT "petitions_petition"."id" AS "pk" FROM')
    assert "JOIN" not in offsets[0]
