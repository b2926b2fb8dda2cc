import pytest
from django.db import connection
from django.db.models import Q
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils.translation import ngettext_lazy

from accounts.models import OrgUnit
from core import pagination
from core.pagination import (
    COUNT_PARAMETER,
    EXACT_LIMIT,
    CountWords,
    LargeListPaginator,
    ListPagination,
    fetch_search_page,
)
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    city = OrgUnitFactory(name="Thành phố", kind="city")
    for number in range(12):
        OrgUnitFactory(name=f"Phường {number}", kind="ward", parent=city)
    # The estimate comes from PostgreSQL's planner, which on a fresh table without statistics
    # guesses from its size on disk (sometimes fewer rows than two pages): the statistics make
    # it see the 13 rows, whatever the database's history.
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {OrgUnit._meta.db_table}")
    return OrgUnit.objects.order_by("pk")


def test_small_lists_are_counted_exactly(units):
    paginator = LargeListPaginator(units, 5, exact_limit=20)
    assert not paginator.is_estimated
    assert paginator.count == 13
    assert paginator.num_pages == 3
    assert [unit.name for unit in paginator.get_page(3)] == ["Phường 9", "Phường 10", "Phường 11"]


def test_large_lists_read_a_bounded_number_of_rows_and_estimate(units, django_assert_max_num_queries):
    paginator = LargeListPaginator(units, 5, exact_limit=4)
    with django_assert_max_num_queries(2):  # the bounded count, then EXPLAIN
        assert paginator.is_estimated
        assert paginator.count >= 5  # never less than what was seen
    page = paginator.get_page(2)
    assert [unit.name for unit in page] == ["Phường 4", "Phường 5", "Phường 6", "Phường 7", "Phường 8"]
    assert page.has_next()


def test_estimated_page_is_labelled_about(units, rf):
    from django.template.loader import render_to_string

    page = LargeListPaginator(units, 5, exact_limit=4).get_page(1)
    request = rf.get("/")
    html = render_to_string("includes/pagination.html", {"page": page}, request=request)
    assert "khoảng" in html
    exact = LargeListPaginator(units, 5).get_page(1)
    assert "Trang 1/3" in render_to_string("includes/pagination.html", {"page": exact}, request=request)


# --- a search's count comes after its page ------------------------------------------------

WORDS = CountWords(
    exact=ngettext_lazy("%(count)s ý kiến", "%(count)s ý kiến", "n"),
    more_than=ngettext_lazy("Hơn %(count)s ý kiến", "Hơn %(count)s ý kiến", "n"),
    about=ngettext_lazy("Khoảng %(count)s ý kiến", "Khoảng %(count)s ý kiến", "n"),
)


def count_queries(queries) -> list[str]:
    return [
        query["sql"]
        for query in queries.captured_queries
        if "COUNT(" in query["sql"] or "EXPLAIN" in query["sql"]
    ]


def test_deferred_count_of_a_short_result_is_exact_at_once(units):
    paginator = LargeListPaginator(units, 20, defer_count=True)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page(1)
        assert not paginator.count_pending
        assert paginator.count == 13 and not paginator.is_estimated
        assert not page.has_next() and not page.has_other_pages()
    assert len(row_queries(queries)) == 1 and not count_queries(queries)  # the rows told the count


def test_deferred_count_of_a_long_result_is_left_for_later(units):
    paginator = LargeListPaginator(units, 5, defer_count=True)
    with CaptureQueriesContext(connection) as queries:
        page = paginator.get_page("1")
        assert paginator.count_pending and paginator.more_than == 5
        assert page.has_next() and not page.has_previous() and page.next_page_number() == 2
        assert [page.start_index(), page.end_index()] == [1, 5]
        second = LargeListPaginator(units, 5, defer_count=True).get_page(2)
        assert second.previous_page_number() == 1 and second.next_page_number() == 3
        assert [unit.name for unit in second] == ["Phường 4", "Phường 5", "Phường 6", "Phường 7", "Phường 8"]
    assert len(row_queries(queries)) == 2 and not count_queries(queries)  # a row beyond each page
    last_paginator = LargeListPaginator(units, 5, defer_count=True)
    last = last_paginator.get_page(3)
    assert not last.has_next() and not last_paginator.count_pending and last_paginator.count == 13


def test_deferred_pages_out_of_range(units):
    paginator = LargeListPaginator(units, 5, defer_count=True)
    assert paginator.get_page("abc").number == 1
    assert paginator.get_page(0).number == 1
    beyond = LargeListPaginator(units, 5, defer_count=True).get_page(9)  # counts, shows the last page
    assert beyond.number == 3 and len(beyond) == 3


def listing(rf, queryset, *, search="", exact_limit=EXACT_LIMIT, **params):
    return ListPagination(
        rf.get("/y-kien/", params), queryset, 5, words=WORDS, search=search, exact_limit=exact_limit
    )


def test_count_line_while_the_count_is_pending(units, rf):
    pending = listing(rf, units, search="phuong", q="phuong", page="2")
    assert pending.page.number == 2 and not pending.count_known
    assert pending.count_text == "Hơn 10 ý kiến"
    html = render_to_string("includes/list_count.html", {"listing": pending})
    assert 'aria-live="polite"' in html and 'hx-trigger="load"' in html
    assert 'hx-get="/y-kien/?q=phuong&amp;page=2&amp;_count=1"' in html  # same filters and page
    assert "Đếm kết quả" in html and "data-list-count" not in html  # a plain link without JavaScript
    nav = render_to_string("includes/pagination.html", {"page": pending.page}, request=rf.get("/"))
    assert "Trang 2<" in nav and "Trước" in nav and "Sau" in nav and "/3" not in nav


def test_count_line_when_known(units, rf):
    unsearched = listing(rf, units)
    assert unsearched.count_known and unsearched.count_text == "13 ý kiến"
    html = render_to_string("includes/list_count.html", {"listing": unsearched})
    assert 'data-list-count="13"' in html and "hx-get" not in html
    short = listing(rf, units.filter(name__startswith="Phường 1"), search="1", q="1")
    assert short.count_known and short.count_text == "3 ý kiến"  # Phường 1, 10, 11: one page


def test_count_request_answers_exact_then_estimated(units, rf):
    request = rf.get("/y-kien/", {"q": "phuong", COUNT_PARAMETER: "1"}, headers={"HX-Request": "true"})
    request.htmx = True  # what django_htmx's middleware sets
    exact = ListPagination(request, units, 5, words=WORDS, search="phuong")
    assert exact.is_count_request
    response = exact.count_response()
    assert 'data-list-count="13"' in response.text and "13 ý kiến" in response.text
    assert "HX-Request" in response["Vary"] and "<html" not in response.text
    estimated = ListPagination(request, units, 5, words=WORDS, search="phuong", exact_limit=4)
    with CaptureQueriesContext(connection) as queries:
        text = estimated.count_response().text
    assert len(queries) == 2  # the bounded count, then PostgreSQL's estimate (EXPLAIN)
    assert "Khoảng" in text and "hx-get" not in text


def test_count_parameter_without_htmx_shows_the_page_counted(units, rf):
    plain = listing(rf, units, search="phuong", q="phuong", **{COUNT_PARAMETER: "1"})
    plain.request.htmx = False
    assert not plain.is_count_request and plain.count_known and plain.count == 13


def row_queries(queries) -> list:
    """The queries that read rows (not the settings of a search's index lookup)."""
    return [
        query for query in queries if query["sql"].startswith("SELECT") and "set_config" not in query["sql"]
    ]


def newest_first(units):
    return units.order_by("-pk")


def used_the_index_lookup(queries) -> bool:
    return any("set_config" in query["sql"] and "enable_indexscan" in str(query) for query in queries)


def test_common_words_fill_the_first_page_among_the_newest_rows(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(newest_first(units), 0, 3)
    assert rows == list(newest_first(units)[:3])
    assert not used_the_index_lookup(queries)
    assert len(row_queries(queries)) == 2  # the window's boundary, the page


def test_rare_words_are_looked_up_through_the_search_index(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    rare = newest_first(units).filter(name__in=["Thành phố", "Phường 0"])  # the oldest two
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(rare, 0, 3)
    assert [unit.name for unit in rows] == ["Phường 0", "Thành phố"]
    assert used_the_index_lookup(queries)


def test_later_pages_and_small_tables_skip_the_window(units, monkeypatch):
    expected = list(newest_first(units))
    with CaptureQueriesContext(connection) as queries:
        first = fetch_search_page(newest_first(units), 0, 3)
    assert first == expected[:3]
    assert len(row_queries(queries)) == 2 and not used_the_index_lookup(queries)  # 13 < 10,000
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    with CaptureQueriesContext(connection) as queries:
        second = fetch_search_page(newest_first(units), 3, 6)
    assert second == expected[3:6]
    assert used_the_index_lookup(queries)


def test_a_slow_index_lookup_gives_way_to_the_newest_first_walk(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "INDEX_SEARCH_MS", 1)
    slow = newest_first(units).extra(where=["pg_sleep(0.01)::text = ''"])  # 10 ms a row
    rows = fetch_search_page(slow.filter(name="Phường 0"), 0, 3)
    assert [unit.name for unit in rows] == ["Phường 0"]


def test_the_lookup_settings_end_with_the_lookup_in_a_callers_transaction(units, monkeypatch):
    # The test runs in a transaction, as a view in ATOMIC_REQUESTS or a task would: SET LOCAL
    # alone would keep the 500 ms limit and the scan choices for every later query of it.
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    assert connection.in_atomic_block
    fetch_search_page(newest_first(units).filter(name__in=["Thành phố", "Phường 0"]), 0, 3)
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('statement_timeout'), current_setting('enable_indexscan')")
        assert cursor.fetchone() == ("0", "on")


def test_a_small_scope_is_its_own_window_and_its_rows_are_the_answer(units, monkeypatch):
    # Two wards' worth of rows before the search, under a window of five: every row of the
    # scope is looked at through its own filter, and the rows found are all there are, even
    # fewer than a page (no index lookup after).
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    scope = newest_first(units).filter(name__in=["Phường 1", "Phường 2", "Thành phố"])
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(scope.search("phuong 1"), 0, 3, "phuong 1")
    assert [unit.name for unit in rows] == ["Phường 1"]
    assert len(row_queries(queries)) == 2 and not used_the_index_lookup(queries)


def test_the_window_is_cut_from_the_list_before_its_search(units):
    searched = newest_first(units).filter(kind="ward").search("phuong 1")
    unsearched = pagination._unsearched(searched)
    assert set(unsearched) == set(units.filter(kind="ward"))
    # A search written some other way cannot be taken out: the whole table is the window's list.
    nested = newest_first(units).filter(Q(search_text__contains="phuong") | Q(kind="city"))
    assert pagination._unsearched(nested).count() == OrgUnit.objects.count() == 13


def test_the_lookup_puts_back_a_setting_the_caller_had_changed(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = '30s'")
        fetch_search_page(newest_first(units).filter(name__in=["Thành phố", "Phường 0"]), 0, 3)
        cursor.execute("SELECT current_setting('statement_timeout')")
        assert cursor.fetchone() == ("30s",)


def test_a_slow_window_gives_way_to_the_index_lookup(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SEARCH_MS", 1)
    slow = newest_first(units).extra(where=["pg_sleep(0.01)::text = ''"])  # 10 ms a row
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(slow.filter(name__startswith="Phường 1"), 0, 3)
    assert [unit.name for unit in rows] == ["Phường 11", "Phường 10", "Phường 1"]
    assert used_the_index_lookup(queries)


def test_later_pages_of_a_small_scope_are_read_from_the_scope(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    scope = newest_first(units).filter(name__in=["Phường 1", "Phường 2", "Phường 3", "Thành phố"])
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(scope.search("phuong"), 2, 4, "phuong")
    assert [unit.name for unit in rows] == ["Phường 1"]
    assert not used_the_index_lookup(queries)


def walked_newest_first(queries) -> bool:
    """Whether a statement ran under the walk's settings after the window (bitmap scans off
    and the index lookup's time limit)."""
    limit = str(pagination.INDEX_SEARCH_MS)
    return any(
        "set_config" in query["sql"] and "enable_bitmapscan" in str(query) and f"'{limit}'" in str(query)
        for query in queries
    )


def test_a_later_page_of_common_words_is_walked_to_not_looked_up(units, monkeypatch):
    # Every row matches: the window's six rows hold six matches, so the walk reaches page 2
    # within a few rows. The index lookup would fetch every match to sort them (common words
    # over two million opinions: over 500 ms, cut).
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SAMPLE_MATCHES", 2)
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(newest_first(units), 3, 6)
    assert rows == list(newest_first(units))[3:6]
    assert walked_newest_first(queries) and not used_the_index_lookup(queries)


@pytest.mark.parametrize(("bottom", "top"), [(6, 9), (7, 10), (10, 13), (5, 8), (3, 6)])
def test_a_later_page_past_the_window_is_walked_to_from_its_end(units, monkeypatch, bottom, top):
    # The window (the six newest rows) holds six matches: a page after them is walked to over
    # the older rows only, skipping six fewer; a page that starts inside it, from the newest.
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SAMPLE_MATCHES", 2)
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(newest_first(units), bottom, top)
    assert rows == list(newest_first(units))[bottom:top]
    keys = row_queries(queries)[-2]["sql"]  # page_after_offset: the keys, then their rows
    assert ("NOT" in keys) == (bottom >= 6)
    if bottom > 6:
        assert f"OFFSET {bottom - 6}" in keys


def test_a_later_page_of_rare_words_is_still_looked_up(units, monkeypatch):
    # No match among the window's rows: nothing says the walk would be short.
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SAMPLE_MATCHES", 2)
    rare = newest_first(units).filter(name__in=["Thành phố", "Phường 0"])  # the oldest two
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(rare, 1, 3)
    assert [unit.name for unit in rows] == ["Thành phố"]
    assert used_the_index_lookup(queries) and not walked_newest_first(queries)


def test_too_few_matches_in_the_window_do_not_decide_the_walk(units, monkeypatch):
    # Six matches are a sample too small to tell how common the words are (the default asks
    # for WINDOW_SAMPLE_MATCHES): the index lookup answers, as before.
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SAMPLE_MATCHES", 7)
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(newest_first(units), 3, 6)
    assert rows == list(newest_first(units))[3:6]
    assert used_the_index_lookup(queries) and not walked_newest_first(queries)


def test_a_slow_walk_to_a_later_page_gives_way_to_the_index_lookup(units, monkeypatch):
    monkeypatch.setattr(pagination, "SEARCH_WINDOW_ROWS", 5)
    monkeypatch.setattr(pagination, "WINDOW_SAMPLE_MATCHES", 2)
    monkeypatch.setattr(pagination, "INDEX_SEARCH_MS", 1)
    slow = newest_first(units).extra(where=["pg_sleep(0.002)::text = ''"])  # 2 ms a row
    with CaptureQueriesContext(connection) as queries:
        rows = fetch_search_page(slow, 3, 6)
    assert rows == list(newest_first(units))[3:6]
    assert walked_newest_first(queries) and used_the_index_lookup(queries)
