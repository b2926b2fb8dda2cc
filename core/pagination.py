"""Pagination that stays fast over millions of rows.

Django's Paginator counts every matching row (SELECT COUNT(*)) on each page view: over two
million petitions for a national user that is the slowest part of the page. Here the count
is exact only while it is small: a bounded count (`SELECT COUNT(*) FROM (… LIMIT n)`) reads at
most EXACT_LIMIT + 1 rows; beyond that the page says "about N", N from PostgreSQL's planner
estimate (EXPLAIN), and the last page is not offered as a number. Pages beyond the count are
still reachable with "next" (the offset query is what it always was).

A list filtered by search text is not counted with the page at all (`defer_count`): the
trigram index that finds the words hands PostgreSQL every match before any LIMIT applies, so
even the bounded count reads them all (18 ms for "dat dai" over two million opinions, 50–80 ms
for "lan chiem" or "thoat nuoc", against 1–7 ms for the page itself). The page fetches one row more than it shows, which says whether a
next page exists; the count line says "more than 50" and asks for the count in a second
request (`ListPagination`: the same view and queryset with COUNT_PARAMETER, answered with the
count line alone). On the last page the count is known from the rows and shown at once.
"""

from __future__ import annotations

import base64
import binascii
import json
from contextlib import contextmanager
from typing import NamedTuple

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import EmptyPage, Page, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.db import OperationalError, connections, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext_lazy as _
from psycopg.errors import QueryCanceled
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.models import searches_text

EXACT_LIMIT = 500  # rows read at most by the exact count (a few ms over an index)
MAX_PAGE_NUMBER = 1_000_000  # more pages than any list has, far from the database's integer bounds
# Pages a web list opens by number; deeper ones are refused with a message to narrow the
# filters (TooDeepPage): 5,000 rows at 50 a page, each page a few ms over the indexes.
MAX_LIST_PAGE_NUMBER = 100
COUNT_PARAMETER = "_count"  # asks a list view for its count (see ListPagination)


class LargeListPaginator(Paginator):
    def __init__(
        self, object_list, per_page, exact_limit: int = EXACT_LIMIT, *, defer_count=False, search="", **kwargs
    ):
        super().__init__(object_list, per_page, **kwargs)
        self.exact_limit = exact_limit
        self.defer_count = defer_count
        self.search = search  # the text the list is searched for, if any (fetch_search_page)
        # Set by an uncounted page: the count seen from its rows (on the last page), or
        # a number the count is known to exceed (when there is a next page).
        self.count_from_rows: int | None = None
        self.more_than = 0
        self.max_page_number = MAX_LIST_PAGE_NUMBER

    @property
    def count_pending(self) -> bool:
        """Whether the count is still to be asked for: the count was deferred and the rows
        fetched did not reach the end of the list."""
        return self.defer_count and self.count_from_rows is None

    @cached_property
    def bounded_count(self) -> int:
        """The exact count, or exact_limit + 1 when there are more rows than that."""
        if self.count_from_rows is not None:
            return self.count_from_rows
        return self.object_list.order_by()[: self.exact_limit + 1].count()

    @property
    def is_estimated(self) -> bool:
        return self.bounded_count > self.exact_limit

    @cached_property
    def count(self) -> int:
        if not self.is_estimated:
            return self.bounded_count
        return max(self.exact_limit + 1, self._planner_estimate())

    def _planner_estimate(self) -> int:
        queryset = self.object_list.order_by()
        connection = connections[queryset.db]
        if connection.vendor != "postgresql":
            return queryset.count()
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])

    def get_page(self, number) -> Page:
        try:
            # A page past any list (?page=999…9) would reach the database as an OFFSET
            # bigger than a bigint: a server error. Clamped, it is simply past the end.
            number = min(max(int(number), 1), MAX_PAGE_NUMBER)
        except (TypeError, ValueError):
            number = 1
        if number > self.max_page_number:
            # OFFSET reads every row before the page (100–200 ms at page 2000 over millions):
            # nobody reads a list that deep, they narrow it.
            return TooDeepPage([], number, self, has_next=False)
        if not self.defer_count:
            return super().get_page(number)
        try:
            return self.page(number)
        except EmptyPage:
            # Past the end (an old link, a shorter list since): count after all, and show
            # the last page as Django's get_page does.
            self.defer_count = False
            return super().get_page(number)

    def page(self, number) -> Page:
        if not self.defer_count:
            return super().page(number)
        number = int(number)
        bottom = (number - 1) * self.per_page
        rows = fetch_search_page(self.object_list, bottom, bottom + self.per_page + 1, self.search)
        has_next = len(rows) > self.per_page
        del rows[self.per_page :]
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        if has_next:
            self.more_than = bottom + self.per_page
        else:
            self.count_from_rows = bottom + len(rows)
        return UncountedPage(rows, number, self, has_next=has_next)


# A search's first page is looked for among the newest rows of the table first (see
# fetch_search_page); a term found fewer times there is looked up through the search index.
SEARCH_WINDOW_ROWS = 10_000
# The index lookup of a term with very many old matches is given up after this long, for the
# plain newest-first walk (which then finds them quickly).
INDEX_SEARCH_MS = 500
# The window (its boundary, then its walk) takes a few ms; one that takes longer than this (a
# combination of filters no index serves) is given up for the index lookup.
WINDOW_SEARCH_MS = 200
# A later page is walked to, newest first, when the window's matches say that the walk reads
# at most this many rows (their share among the window's rows: "dat dai" page 10, 501 rows,
# ~190 matches in the window: ~26,000 rows, 36 ms) — and when the window holds at least
# WINDOW_SAMPLE_MATCHES matches, fewer being too few to tell how common the words are.
WALK_SEARCH_ROWS = 100_000
WINDOW_SAMPLE_MATCHES = 20


def fetch_search_page(queryset: QuerySet, bottom: int, top: int, search: str = "") -> list:
    """Rows [bottom:top] of a text search ordered newest first, fast whether its words are
    common or rare. PostgreSQL has two ways and cannot tell which one fits (its estimates for
    several LIKE words are off by 10×):

    - walk the date index newest first and test each row: for common words ("dat dai": 38,000
      matches in two million) the page is full after a few thousand rows (2–10 ms), but for
      rare ones it reads the whole table to find nothing ("den duong": 1.5–6 s);
    - fetch every match through the search index and sort them: a few ms for rare words,
      seconds for common ones.

    So the first page is first looked for among the newest SEARCH_WINDOW_ROWS rows of the
    list before its search, i.e. of its scope and filters (a bounded walk of the date index,
    bitmap scans off so that the planner does not AND the search index in: a few ms whatever
    the words): if the page fills there, it holds the newest matches of all; if the whole
    list is smaller than that (one ward), its rows are all looked at and hold every match.
    Otherwise (rare words) the search index answers, narrowed to the words of the `search`
    text when the table has a word index (core.models.SearchQuerySet.narrowed_by_words:
    "den duong", 610 matches of two million, none recent: 83 → 11 ms; a word no row holds
    finds nothing at once); should that take over INDEX_SEARCH_MS (words found very often,
    but long ago), the plain walk does. Later
    pages do not take their rows from the window (unless it is the whole list), but it tells
    how common the words are: its matches (up to the page's last row) among its rows say how
    far the newest-first walk must read to reach the page. When that is at most
    WALK_SEARCH_ROWS rows, the walk answers (within INDEX_SEARCH_MS; the index after it):
    for common words the index lookup fetches tens of thousands of matches to sort them ("dat
    dai" page 10: over 500 ms, cut, then the walk: 36 ms). When the window's matches all come
    before the page, the walk starts where the window ends, not at the newest row. The time
    limits only choose the way, never what is found; neither way starts parallel workers (one
    takes ~10 ms to start, longer than either)."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset[bottom:top])
    rows, window, matches = None, None, 0
    try:
        # The walk of the window, not an index lookup ANDed with it (65 ms for "thoat nuoc",
        # which the planner takes for the cheaper); within a time limit, for a filter that no
        # index serves well.
        with planner_settings(
            queryset.db,
            statement_timeout=WINDOW_SEARCH_MS,
            enable_bitmapscan="off",
            max_parallel_workers_per_gather=0,
        ):
            window = _newest_rows_window(queryset)
            if window is WHOLE_LIST:  # any page: the list's own rows hold every match
                rows = list(queryset[bottom:top])
            elif window is not None and bottom == 0:
                rows = list(queryset.filter(window)[:top])
            elif window is not None:
                matches = len(queryset.filter(window).values_list("pk", flat=True)[:top])
    except OperationalError as error:
        if not isinstance(error.__cause__, QueryCanceled):
            raise
    # A full first page holds the newest matches; the whole list looked at holds all of them.
    if rows is not None and (len(rows) == top or window is WHOLE_LIST):
        return rows
    if matches >= WINDOW_SAMPLE_MATCHES and top * SEARCH_WINDOW_ROWS <= matches * WALK_SEARCH_ROWS:
        try:
            with planner_settings(
                queryset.db,
                statement_timeout=INDEX_SEARCH_MS,
                enable_bitmapscan="off",  # the walk, as the window's
                max_parallel_workers_per_gather=0,
            ):
                if matches <= bottom:
                    # The window holds the list's first `matches` matches, all of them before
                    # the page: the walk goes on from the window's end, not over its rows
                    # again ("dat dai" page 10: ~190 matches among its 10,000 rows).
                    return page_after_offset(queryset.filter(~window), bottom - matches, top - matches)
                return page_after_offset(queryset, bottom, top)
        except OperationalError as error:
            if not isinstance(error.__cause__, QueryCanceled):
                raise
    narrowed = queryset.narrowed_by_words(search) if hasattr(queryset, "narrowed_by_words") else queryset
    if narrowed.query.is_empty():  # a word that no row holds
        return []
    try:
        with planner_settings(
            queryset.db,
            statement_timeout=INDEX_SEARCH_MS,
            enable_indexscan="off",  # leaves the search index's bitmap
            max_parallel_workers_per_gather=0,
        ):
            return list(_rows_of_keys(queryset, narrowed.values("pk")[bottom:top]))
    except OperationalError as error:
        if not isinstance(error.__cause__, QueryCanceled):
            raise
    return list(queryset[bottom:top])


@contextmanager
def planner_settings(using: str, **settings):
    """PostgreSQL settings for the statements inside only (reads: the block is rolled back).
    SET LOCAL lasts to the end of the transaction, not of a savepoint, so inside a caller's
    transaction a statement timeout would cut the caller's later queries; rolling the
    savepoint back puts every setting back as it was before."""
    connection = connections[using]
    names = list(settings)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        pairs = [value for name in names for value in (name, str(settings[name]))]
        cursor.execute("SELECT " + ", ".join(["set_config(%s, %s, true)"] * len(names)), pairs)
        yield
        transaction.set_rollback(True, using=using)


def _rows_of_keys(queryset: QuerySet, keys: QuerySet) -> QuerySet:
    """The rows of `queryset` whose keys the subquery `keys` gives (a page of it, narrowed),
    in one statement: PostgreSQL joins a page's rows (select_related) before it sorts them,
    so every match of the index lookup was joined to keep 51 ("den duong": 610 rows joined
    three ways, 4,265 of 4,875 buffers; keys first: 1,116 buffers). The search's conditions
    are left to the subquery: here the trigram index would serve them again."""
    rows = queryset.all()
    where = rows.query.where
    if where.connector == "AND" and not where.negated:
        where.children = [
            condition for condition in where.children if not searches_text(condition, queryset.model)
        ]
    return rows.filter(pk__in=keys)


WHOLE_LIST = Q()  # _newest_rows_window: every row of the list is in the window


def _newest_rows_window(queryset: QuerySet) -> Q | None:
    """The rows of the list at least as new as its SEARCH_WINDOW_ROWS-th newest before the
    search (by its first ordering, a descending date: "-received_on"): WHOLE_LIST when it has
    fewer rows than that (one ward's opinions: its rows are then looked at all, through its
    own index, and the first page is what they hold), None when the list is not ordered
    newest first. The list before the search is its filters and scope without the conditions
    on `search_text`; the boundary comes from the index of the scope or filter (a few ms)."""
    ordering = queryset.query.order_by
    if not ordering or not str(ordering[0]).startswith("-"):
        return None
    field = str(ordering[0])[1:]
    newest = _unsearched(queryset).order_by(f"-{field}").values_list(field, flat=True)
    boundary = list(newest[SEARCH_WINDOW_ROWS : SEARCH_WINDOW_ROWS + 1])
    return Q(**{f"{field}__gte": boundary[0]}) if boundary else WHOLE_LIST


def _unsearched(queryset: QuerySet) -> QuerySet:
    """The list without its text-search conditions (LIKE on `search_text`, added by
    SearchQuerySet.search at the top of the query's conditions). When there are none to take
    out (a search written some other way), the whole table: a window over the search itself
    would walk all of it for a rare word."""
    unsearched = queryset.all()
    where = unsearched.query.where
    kept = [condition for condition in where.children if not searches_text(condition, queryset.model)]
    if where.connector != "AND" or where.negated or len(kept) == len(where.children):
        return queryset.model._default_manager.all()
    where.children = kept
    return unsearched


class UncountedPage(Page):
    """A page of a list that was not counted: one row fetched beyond it told whether a next
    page exists. Django's Page asks the paginator's page total for that, which would count."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + 1 if self.object_list else 0

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class TooDeepPage(UncountedPage):
    """A page number beyond MAX_LIST_PAGE_NUMBER: no rows, a link back to the last page that
    opens, and the message of includes/pagination.html."""

    too_deep = True

    def has_previous(self) -> bool:
        return True

    def previous_page_number(self) -> int:
        return self.paginator.max_page_number

    def has_other_pages(self) -> bool:
        return True


class CountWords(NamedTuple):
    """How a list says its count: three `ngettext_(…, "n")` texts with `%(count)s`,
    e.g. "%(count)s ý kiến", "Hơn %(count)s ý kiến", "Khoảng %(count)s ý kiến"."""

    exact: Promise
    more_than: Promise
    about: Promise


def _say(text: Promise, number: int) -> str:
    # "n" picks the plural form, "count" is the number as the language groups it (2.000.000).
    return text % {"n": number, "count": number_format(number, force_grouping=True)}


class ListPagination:
    """A list page and the line that counts it ("437 ý kiến"). A list filtered by `search`
    text is not counted with the page: the line says "Hơn 50 ý kiến" and htmx asks the same
    view, with the same filters and COUNT_PARAMETER, for the count line alone
    (templates/includes/list_count.html); the view answers that request with
    `count_response()` before doing anything else of the page. Without JavaScript the same
    link shows the whole page, counted."""

    def __init__(
        self,
        request: HttpRequest,
        queryset,
        per_page: int,
        *,
        words: CountWords,
        search: str = "",
        exact_limit: int = EXACT_LIMIT,
    ):
        self.request = request
        self.words = words
        self.count_asked = COUNT_PARAMETER in request.GET
        self.paginator = LargeListPaginator(
            queryset, per_page, exact_limit, defer_count=bool(search) and not self.count_asked, search=search
        )

    @property
    def is_count_request(self) -> bool:
        """htmx asking for the count line (a plain request with the parameter gets the page)."""
        return self.count_asked and bool(getattr(self.request, "htmx", False))

    def count_response(self) -> HttpResponse:
        # Without the request: the page's context processors (menu, unread notifications)
        # would query for nothing the count line shows.
        context = {"listing": self, "page_label_number": self.page_number}
        response = HttpResponse(render_to_string("includes/list_count_text.html", context))
        patch_vary_headers(response, ("HX-Request",))  # one URL, the page or the fragment
        return response

    @property
    def page_number(self) -> int:
        """The page the request asks for (the count request keeps the page's parameter)."""
        try:
            return max(int(self.request.GET.get("page", 1)), 1)
        except (TypeError, ValueError):
            return 1

    @cached_property
    def page(self) -> Page:
        return self.paginator.get_page(self.request.GET.get("page"))

    # What templates/includes/list_count.html shows.

    @property
    def count_known(self) -> bool:
        if self.paginator.defer_count:
            self.page  # noqa: B018 (the rows fetched may tell the count)
        return not self.paginator.count_pending

    @property
    def count(self) -> int:
        return self.paginator.count

    @property
    def count_text(self) -> str:
        if not self.count_known:
            return _say(self.words.more_than, self.paginator.more_than)
        if self.paginator.is_estimated:
            return _say(self.words.about, self.paginator.count)
        return _say(self.words.exact, self.paginator.count)

    @property
    def count_url(self) -> str:
        """This page of the list with the same filters, counted (the answer to htmx also gives
        the pagination its page total; without JavaScript the link shows this page counted)."""
        query = self.request.GET.copy()
        query[COUNT_PARAMETER] = "1"
        return f"{self.request.path}?{query.urlencode()}"


# --- the JSON API ------------------------------------------------------------------------
# The API's lists are paged as the web lists are counted: never a full COUNT(*) (DRF's
# PageNumberPagination runs one on every page: 161 ms of a 220 ms search over two million
# opinions), the first pages by number, deeper ones by a keyset cursor (OFFSET reads and
# throws away every row before the page: 1 s at page 2000).

API_PAGE_SIZE = 50
# Pages reachable by ?page=N; deeper ones through `next` (a keyset cursor). OFFSET reads every
# row before the page: at page 100 (4,950 rows) the notices and assignments took 300–460 ms,
# at page 10 (450 rows) what page 1 takes; the cursor reads the page's rows only.
API_MAX_PAGE_NUMBER = 10
CURSOR_PARAMETER = "cursor"
PAGE_TOO_DEEP = _(
    "Trang %(page)s quá sâu: chỉ mở được trang 1–%(max)s theo số trang. Hãy đi tiếp bằng liên kết "
    "`next` (con trỏ) hoặc thu hẹp bộ lọc."
)
BAD_PAGE = _("Số trang không hợp lệ: hãy dùng một số nguyên từ 1.")
BAD_CURSOR = _("Con trỏ trang không hợp lệ: hãy dùng nguyên liên kết `next` của trang trước.")


def filtered_listing(
    request: HttpRequest,
    filter_class,
    visible: QuerySet,
    *,
    rows,
    ordering: tuple[str, ...],
    per_page: int,
    words,
) -> tuple:
    """The shape every filtered list page shares: `filter_class` bound to the query string
    (unbound without one: the whole `visible` list), its rows narrowed by `rows` (their
    select_related/only), ordered and paged by ListPagination with the search box's text.
    Returns (filterset, listing); the view answers `listing.is_count_request` first."""
    filterset = filter_class(request.GET or None, queryset=visible, user=request.user)
    queryset = rows(filterset.qs if filterset.is_bound else visible).order_by(*ordering)
    search = filterset.form.cleaned_data.get("q", "") if filterset.is_valid() else ""
    listing = ListPagination(request, queryset, per_page, words=words, search=search)
    return filterset, listing


def page_after_offset(queryset: QuerySet, bottom: int, top: int) -> list:
    """Rows [bottom:top] of an ordered list, the rows before the page skipped as keys only:
    OFFSET reads every row before the page, and with the rows' joins (select_related) it
    joins each of them too, to throw them away. The keys come from the list's ordering index
    alone; the page's rows are then read by key, in the list's order (API assignments page
    10: 1,514 rows joined five ways, 15,595 buffers, for 51)."""
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    return list(queryset.filter(pk__in=keys)) if keys else []


def keyset_after(queryset: QuerySet, ordering: list[str], values: list) -> QuerySet:
    """The rows after the one whose ordering fields hold `values`, for an ordering such as
    ["-issued_on", "-pk"] whose last field is unique. PostgreSQL puts NULLs last going up,
    first going down; a row's successors are built field by field: equal on the fields before,
    strictly after on this one.

    The first field's bound (not after the row's value on it: `<=` going down, `>=` going up)
    is implied by that OR, but PostgreSQL takes only a plain bound as where the ordering index
    starts; without it the walk began at the list's first row and tested every row before the
    cursor (opinions 'dat dai' after page 10: 26,421 rows read and dropped, 13 ms)."""
    after = Q(pk__in=[])
    equal = Q()
    bound = Q()
    first, first_value = ordering[0].lstrip("-"), values[0]
    first_nullable = queryset.model._meta.pk.name != first and _model_field(queryset.model, first).null
    if first_value is not None:
        if ordering[0].startswith("-"):  # NULLs come first going down: before the row anyway
            bound = Q(**{f"{first}__lte": first_value})
        elif not first_nullable:  # going up NULLs come last, after the row: no bound then
            bound = Q(**{f"{first}__gte": first_value})
    for field, value in zip(ordering, values, strict=True):
        descending = field.startswith("-")
        name = field.lstrip("-")
        nullable = queryset.model._meta.pk.name != name and _model_field(queryset.model, name).null
        if value is None:
            # NULLs first going down: every non-NULL value is after; going up nothing is.
            strictly = Q(**{f"{name}__isnull": False}) if descending else Q(pk__in=[])
            same = Q(**{f"{name}__isnull": True})
        else:
            strictly = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
            if nullable and not descending:
                strictly |= Q(**{f"{name}__isnull": True})
            same = Q(**{name: value})
        after |= equal & strictly
        equal &= same
    return queryset.filter(bound, after)


def _model_field(model, name: str):
    return model._meta.pk if name == "pk" else model._meta.get_field(name)


def _ordering_values(row, ordering: list[str]) -> list:
    values = []
    for field in ordering:
        value = getattr(row, field.lstrip("-"))
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    return values


class ApiPagination(BasePagination):
    """`?page=N` for the first API_MAX_PAGE_NUMBER pages, a keyset `?cursor=…` beyond (the
    `next` link switches to it by itself); a deeper page number is refused (400) with a message
    saying so. Each page fetches one row more than it shows, which says whether `next` exists.

    `count` is exact up to EXACT_LIMIT rows and on the last page; otherwise it is PostgreSQL's
    estimate and `count_is_estimate` is true (as "Khoảng …" on the web lists). A list searched
    with `q` is never counted: its rows come from `fetch_search_page`, its count from the estimate.

    The view's queryset must be ordered with a unique last field (e.g. ["-received_on", "-pk"]).
    """

    page_size = API_PAGE_SIZE
    max_page_number = API_MAX_PAGE_NUMBER
    search_parameter = "q"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.queryset = queryset
        self.ordering = [str(field) for field in queryset.query.order_by]
        self.search = request.query_params.get(self.search_parameter, "").strip()
        cursor = request.query_params.get(CURSOR_PARAMETER)
        if cursor is not None:
            self.page_number = None
            rows = list(keyset_after(queryset, self.ordering, self._decode(cursor))[: self.page_size + 1])
        else:
            self.page_number = self._page_number()
            bottom = (self.page_number - 1) * self.page_size
            top = bottom + self.page_size + 1
            if self.search:
                rows = fetch_search_page(queryset, bottom, top, self.search)
            elif bottom:
                rows = page_after_offset(queryset, bottom, top)
            else:
                rows = list(queryset[bottom:top])
        self.has_next = len(rows) > self.page_size
        self.rows = rows[: self.page_size]
        return self.rows

    def _page_number(self) -> int:
        raw = self.request.query_params.get("page", "1")
        try:
            number = int(raw)
        except (TypeError, ValueError):
            raise ValidationError({"page": [BAD_PAGE]}) from None
        if number < 1:
            raise ValidationError({"page": [BAD_PAGE]})
        if number > self.max_page_number:
            raise ValidationError({"page": [PAGE_TOO_DEEP % {"page": raw, "max": self.max_page_number}]})
        return number

    def _decode(self, cursor: str) -> list:
        try:
            values = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode())
            if not isinstance(values, list) or len(values) != len(self.ordering):
                raise ValueError(cursor)
            return [self._parse(field, value) for field, value in zip(self.ordering, values, strict=True)]
        except (ValueError, TypeError, UnicodeError, binascii.Error, ValidationError, DjangoValidationError):
            raise ValidationError({CURSOR_PARAMETER: [BAD_CURSOR]}) from None

    def _parse(self, field: str, value):
        if value is None:
            return None
        return _model_field(self.queryset.model, field.lstrip("-")).to_python(value)

    def _encode(self, row) -> str:
        raw = json.dumps(_ordering_values(row, self.ordering), cls=DjangoJSONEncoder).encode()
        return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")

    # --- links and count ------------------------------------------------------------------

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        if self.page_number is not None and self.page_number < self.max_page_number:
            return replace_query_param(url, "page", self.page_number + 1)
        url = remove_query_param(url, "page")
        return replace_query_param(url, CURSOR_PARAMETER, self._encode(self.rows[-1]))

    def get_previous_link(self) -> str | None:
        # A cursor goes forward only (an API client walking a list goes from the start).
        if not self.page_number or self.page_number == 1:
            return None
        url = self.request.build_absolute_uri()
        if self.page_number == 2:
            return remove_query_param(url, "page")
        return replace_query_param(url, "page", self.page_number - 1)

    def count(self) -> tuple[int, bool]:
        """(count, whether it is an estimate)."""
        if self.page_number is not None and not self.has_next:
            return (self.page_number - 1) * self.page_size + len(self.rows), False
        paginator = LargeListPaginator(self.queryset, self.page_size)
        if self.search:  # even a bounded count reads every match of a search (see above)
            seen = (self.page_number or 1) * self.page_size + 1
            return max(seen, paginator._planner_estimate()), True
        return paginator.count, paginator.is_estimated

    def get_paginated_response(self, data):
        count, estimated = self.count()
        return Response(
            {
                "count": count,
                "count_is_estimate": estimated,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["count", "count_is_estimate", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "description": "Exact up to 500 rows and on the last page; otherwise PostgreSQL's "
                    "estimate (count_is_estimate). A search (q) is always estimated unless on its last page.",
                },
                "count_is_estimate": {"type": "boolean"},
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": f"Page number, 1–{self.max_page_number}; deeper pages through `next` (cursor).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_number},
            },
            {
                "name": CURSOR_PARAMETER,
                "required": False,
                "in": "query",
                "description": "Opaque keyset cursor from a `next` link.",
                "schema": {"type": "string"},
            },
        ]
