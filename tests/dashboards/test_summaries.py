"""The whole country's supervision figures summed from monthly summaries
(dashboards/summaries.py) are the live figures: every number, for whole-month periods and
for periods with partial months at either end; stale summaries are never used."""

import dataclasses
import itertools
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import OrgUnit
from dashboards import metrics, summaries
from dashboards.models import AgencyMonthFigures, MeetingFigures, MonthFigures
from dashboards.tasks import figures_refresh
from petitions.models import Category, Petition
from tests.conftest import login
from tests.dashboards.boards_data import assignment, build, days_ago, held_conference, issued_notice, today
from tests.dashboards.test_boards import assert_figures_match_lists
from tests.factories import OrgUnitFactory, UserFactory, petition_for, ward_with_bodies

pytestmark = pytest.mark.django_db


@pytest.fixture
def country(city):
    """Two provinces: the boards' city, and a second one with its own conference, opinions of
    another category, kind and channel, an open assignment overdue by 100 days and a draft's."""
    boards = build(city)
    province = OrgUnitFactory(name="Tỉnh Bắc Ninh", kind="province", symbol="BN")
    ward = ward_with_bodies(province, "Kinh Bắc")
    leader = UserFactory(agency=ward.bodies["UBND"], is_leader=True)
    conference = held_conference(ward, days_ago(100), participants=70)
    category = Category.objects.exclude(name="Khác").first()
    opinions = [
        petition_for(conference, received_on=days_ago(100), category=category, content=f"Đất đai {n}")
        for n in range(3)
    ]
    Petition.objects.filter(pk=opinions[0].pk).update(
        kind=Petition.Kind.PROPOSAL, channel=Petition.Channel.LETTER
    )
    Petition.objects.filter(pk=opinions[1].pk).update(outcome=Petition.Outcome.IN_AUTHORITY)
    notice = issued_notice(ward, leader, conference=conference)
    assignment(notice, ward.bodies["UBND"], days_ago(100), petitions=opinions[:2])
    draft = issued_notice(ward, leader)
    draft.status = draft.Status.DRAFT
    draft.save(update_fields=["status"])
    assignment(draft, ward.bodies["UBND"], days_ago(100))
    # A voter meeting: summed apart from the dialogues (its own subject), equal to live figures.
    held_conference(
        ward,
        days_ago(40),
        participants=55,
        meeting_type="voter_meeting",
        deputy_level="national_city",
        deputies="Nguyễn Văn A – Đại biểu Quốc hội",
    )
    boards.province = province
    return boards


@pytest.fixture
def admin(country):
    return UserFactory(is_superuser=True)


def comparable(figures: dict) -> dict:
    ranked = [
        (row["area"].pk, row["open"], row["overdue"], row["accepted"], round(row["share"], 9))
        for row in figures["by_area"]
    ]
    keys = ("conferences", "required", "opinions", "breakdowns", "trend", "assignments", "by_agency")
    return {**{key: figures[key] for key in keys}, "by_area": ranked}


def periods() -> list[metrics.Period]:
    this_month = metrics.Period.month_of(today())
    return [
        metrics.Period.year_of(today()),  # whole months only
        metrics.Period(date(today().year - 1, 1, 1), this_month.end),  # two years, whole months
        metrics.Period(days_ago(120), days_ago(3)),  # partial months at both ends
        metrics.Period(this_month.start + timedelta(days=1), this_month.end),  # no whole month
    ]


@pytest.mark.parametrize("basis", metrics.WORK_BASES)
def test_summaries_give_the_live_figures(admin, basis):
    assert summaries.refresh() > 0
    for period in periods():
        assert comparable(summaries.supervision_figures(admin, None, period, today(), basis)) == comparable(
            summaries.live_figures(admin, None, period, today(), basis)
        ), period


def test_the_work_arising_is_ranked_by_area_from_the_summaries(admin):
    """The default view (work arising in the period) ranks the regional areas from the rows
    kept by the day the work arose (subject ARISING), whole months and days alike: only the
    totals and the ranking by agency read the assignments."""
    summaries.refresh()
    assert MonthFigures.objects.filter(subject=MonthFigures.Subject.ARISING, day__isnull=False).exists()
    for period in periods():
        with CaptureQueriesContext(connection) as queries:
            figures = summaries.supervision_figures(admin, None, period, today(), metrics.ARISING)
        reads = [
            query["sql"] for query in queries.captured_queries if "conclusions_assignment" in query["sql"]
        ]
        assert not any("SUBSTRING" in sql for sql in reads), period  # no live ranking by area
        assert len(reads) <= 3, period  # totals, the ranking by agency (and its late agencies)
        live = summaries.live_figures(admin, None, period, today(), metrics.ARISING)
        assert comparable(figures)["by_area"] == comparable(live)["by_area"], period
    year = summaries.supervision_figures(
        admin, None, metrics.Period.year_of(today()), today(), metrics.ARISING
    )
    assert year["by_area"] and sum(row["open"] + row["accepted"] for row in year["by_area"]) > 0


def test_whole_months_are_read_from_the_summaries_alone(admin):
    summaries.refresh()
    with CaptureQueriesContext(connection) as queries:
        figures = summaries.supervision_figures(admin, None, metrics.Period.year_of(today()), today())
    opinion_reads = [query for query in queries.captured_queries if "petitions_petition" in query["sql"]]
    assert opinion_reads == []  # opinions, conferences and the ranking by area: summed rows
    # 16: the ranking by agency takes a second query when fewer agencies are late than it shows;
    # the conferences the yearly requirement counts are one live count (over held conferences).
    assert len(queries.captured_queries) <= 16
    assert figures["computed_at"] == MonthFigures.objects.values_list("computed_at", flat=True).first()


def test_a_scope_of_whole_provinces_is_summed_from_their_rows_only(country):
    summaries.refresh()
    monitor = UserFactory(
        agency=OrgUnitFactory(parent=country.province, name="Ủy ban MTTQ tỉnh", kind="front"), is_monitor=True
    )
    assert summaries.summarised_scope(monitor, None) == [country.province.pk]
    period = metrics.Period.year_of(today())
    fast = summaries.supervision_figures(monitor, None, period, today())
    assert comparable(fast) == comparable(summaries.live_figures(monitor, None, period, today()))
    assert fast["opinions"]["received"] == 3
    assert (fast["conferences"]["voter_meetings"], fast["conferences"]["voter_participants"]) == (1, 55)


def test_a_ward_or_a_chosen_area_is_never_a_summarised_scope(country, admin):
    assert summaries.summarised_scope(country.users["monitor"], None) is None  # a ward's scope
    assert summaries.summarised_scope(admin, country.province) is None


def test_a_chosen_province_is_summed_from_its_own_rows_and_a_ward_live(country, admin):
    """A province chosen (a province's monitor's own page) is its regional row of the
    summaries; its ranking by area (its wards) is live. A ward is always live."""
    summaries.refresh()
    ward = country.users["monitor"].area
    assert summaries.summarised_area(admin, ward) is None
    assert summaries.summarised_area(country.users["monitor"], ward) is None
    assert summaries.summarised_area(admin, country.province) == [country.province.pk]
    assert summaries.summarised_area(country.users["monitor"], country.province) is None  # out of scope
    for area in (country.province, country.city):
        for period in periods():
            fast = summaries.supervision_figures(admin, area, period, today())
            assert comparable(fast) == comparable(summaries.live_figures(admin, area, period, today())), (
                area,
                period,
            )
    with CaptureQueriesContext(connection) as queries:
        summaries.supervision_figures(admin, country.province, metrics.Period.year_of(today()), today())
    assert not [query for query in queries.captured_queries if "petitions_petition" in query["sql"]]


def test_stale_summaries_serve_labelled_with_the_days_after_them_live(country, admin, settings):
    summaries.refresh(today=today() - timedelta(days=1))  # yesterday's "overdue"
    assert not summaries.fresh(today())
    summaries.refresh()
    assert summaries.fresh(today())
    MonthFigures.objects.update(
        computed_at=timezone.now() - timedelta(minutes=settings.DASHBOARD_SUMMARY_MAX_AGE + 1)
    )
    assert not summaries.fresh(today())
    year = metrics.Period.year_of(today())
    # Stale (the worker stopped) but younger than DASHBOARD_SUMMARY_STALE_DAYS: the rows as
    # they were, labelled; nothing changed since, so they are the live figures.
    with CaptureQueriesContext(connection) as queries:
        stale = summaries.supervision_figures(admin, None, year, today())
    assert not [query for query in queries.captured_queries if "petitions_petition" in query["sql"]]
    assert stale["stale"] is True
    assert stale["computed_at"] == MonthFigures.objects.values_list("computed_at", flat=True).first()
    assert comparable(stale) == comparable(summaries.live_figures(admin, None, year, today()))
    # The days after the refresh's day hold records the rows do not: computed live, added.
    tomorrow = today() + timedelta(days=1)
    petition_for(country.conferences["main"], received_on=tomorrow)
    held_conference(country.users["monitor"].area, tomorrow, participants=12)
    period = metrics.Period(year.start, tomorrow)
    later = summaries.supervision_figures(admin, None, period, tomorrow)
    live = summaries.live_figures(admin, None, period, tomorrow)
    assert later["stale"] is True
    for key in ("conferences", "breakdowns", "trend"):
        assert later[key] == live[key], key
    assert later["opinions"]["received"] == live["opinions"]["received"] == stale["opinions"]["received"] + 1
    # Older than DASHBOARD_SUMMARY_STALE_DAYS (or the setting at 0): computed live.
    settings.DASHBOARD_SUMMARY_STALE_DAYS = 0
    with CaptureQueriesContext(connection) as queries:
        assert summaries.supervision_figures(admin, None, year, today())["stale"] is False
    assert any("petitions_petition" in query["sql"] for query in queries.captured_queries)


def test_the_page_says_when_stale_summaries_are_shown(admin, settings):
    summaries.refresh()
    client = login(admin)
    assert "data-figures-stale" not in client.get(reverse("dashboards:supervision")).content.decode()
    MonthFigures.objects.update(
        computed_at=timezone.now() - timedelta(minutes=settings.DASHBOARD_SUMMARY_MAX_AGE + 1)
    )
    settings.DASHBOARD_CACHE_SECONDS = 0
    page = client.get(reverse("dashboards:supervision"))
    assert page.context["figures_stale"] is True
    assert "data-figures-stale" in page.content.decode()


def test_a_refresh_replaces_every_row_and_sees_new_work(country, admin):
    figures_refresh()  # the beat's task
    before = MonthFigures.objects.count()
    period = metrics.Period.year_of(today())
    received = summaries.supervision_figures(admin, None, period, today())["opinions"]["received"]
    petition_for(country.conferences["main"], received_on=today())
    assert summaries.supervision_figures(admin, None, period, today())["opinions"]["received"] == received
    figures_refresh()
    assert summaries.supervision_figures(admin, None, period, today())["opinions"]["received"] == received + 1
    assert MonthFigures.objects.count() >= before


@pytest.mark.parametrize(
    ("start", "end", "whole", "edges"),
    [
        ("2026-01-01", "2026-12-31", ("2026-01-01", "2026-12-01"), []),
        ("2026-03-15", "2026-09-20", ("2026-04-01", "2026-08-01"), [("2026-03-15", "2026-03-31"), ("2026-09-01", "2026-09-20")]),
        ("2026-02-01", "2026-02-28", ("2026-02-01", "2026-02-01"), []),
        ("2026-02-02", "2026-03-31", ("2026-03-01", "2026-03-01"), [("2026-02-02", "2026-02-28")]),
        ("2026-02-02", "2026-02-27", None, [("2026-02-02", "2026-02-27")]),
        ("2026-01-31", "2026-02-01", None, [("2026-01-31", "2026-02-01")]),
    ],
)  # fmt: skip
def test_split_months(start, end, whole, edges):
    as_period = lambda pair: metrics.Period(date.fromisoformat(pair[0]), date.fromisoformat(pair[1]))  # noqa: E731
    got_whole, got_edges = summaries.split_months(as_period((start, end)))
    assert got_whole == (as_period(whole) if whole else None)
    assert got_edges == [as_period(edge) for edge in edges]


def test_the_national_page_uses_the_summaries_and_its_numbers_equal_their_lists(admin):
    summaries.refresh()
    client = login(admin)
    params = {"start": days_ago(120).isoformat(), "end": (today() + timedelta(days=60)).isoformat()}
    page = client.get(reverse("dashboards:supervision"), params)
    assert page.status_code == 200
    assert page.context["area"] is None
    assert page.context["computed_at"] == MonthFigures.objects.values_list("computed_at", flat=True).first()
    names = ["conferences", "voter_meetings", "opinions", "breakdowns", "assignments", "by_agency", "by_area"]
    assert assert_figures_match_lists(client, page.context, [*names, "trend"]) > 40
    assert page.context["voter_meetings"]["meetings"].value == 1


@pytest.fixture
def nation(country):
    """The whole country as one unit (Kind.NATION) above the city and the province."""
    nation = OrgUnitFactory(name="Toàn quốc", kind=OrgUnit.Kind.NATION, symbol="TQ")
    for top in OrgUnit.objects.filter(parent=None).exclude(pk=nation.pk):
        top.parent = nation
        top.save()
    for unit in (country.city, country.province):
        unit.refresh_from_db()
    return nation


def test_under_a_national_unit_the_summaries_are_kept_per_province(country, nation, admin):
    assert OrgUnit.regional_depth() == 1
    summaries.refresh()
    assert set(MonthFigures.objects.values_list("area", flat=True)) == {country.city.pk, country.province.pk}
    national_front = OrgUnitFactory(
        parent=nation, name="Ủy ban Trung ương MTTQ Việt Nam", kind="fatherland_front"
    )
    national_monitor = UserFactory(agency=national_front, is_monitor=True)
    province_monitor = UserFactory(
        agency=OrgUnitFactory(parent=country.province, name="Ủy ban MTTQ tỉnh", kind="fatherland_front"),
        is_monitor=True,
    )
    assert summaries.summarised_scope(national_monitor, None) == []
    assert summaries.summarised_scope(province_monitor, None) == [country.province.pk]
    # Their own areas chosen (the page's default for the staff of an area) are summed too.
    assert summaries.summarised_area(national_monitor, nation) == []
    assert summaries.summarised_area(province_monitor, country.province) == [country.province.pk]
    for area in (nation, country.province):
        for period, basis in itertools.product(periods(), metrics.WORK_BASES):
            assert comparable(
                summaries.supervision_figures(national_monitor, area, period, today(), basis)
            ) == (comparable(summaries.live_figures(national_monitor, area, period, today(), basis))), (
                area,
                period,
                basis,
            )
    assert summaries.summarised_scope(country.users["monitor"], None) is None  # a ward's scope
    for user in (admin, national_monitor, province_monitor):
        for period, basis in itertools.product(periods(), metrics.WORK_BASES):
            assert comparable(
                summaries.supervision_figures(user, None, period, today(), basis)
            ) == comparable(summaries.live_figures(user, None, period, today(), basis)), (user, period, basis)
    ranked = summaries.supervision_figures(admin, None, metrics.Period.year_of(today()), today())["by_area"]
    assert {row["area"].pk for row in ranked} <= {country.city.pk, country.province.pk}
    assert len(ranked) == 2


def test_work_arising_read_from_the_stored_day_is_the_same_rows_as_the_join(country):
    """AssignmentQuerySet.arising_in (the stored `arises_on`, kept by triggers) selects
    exactly the rows of the join to each assignment's notice and conference it replaces."""
    from conclusions.models import Assignment, _arising_condition

    assert Assignment.objects.filter(notice__conference__isnull=False).exists()
    for period in [*periods(), metrics.Period(days_ago(400), today() + timedelta(days=400))]:
        joined = set(
            Assignment.objects.filter(
                _arising_condition("gte", period.start), _arising_condition("lte", period.end)
            ).values_list("pk", flat=True)
        )
        listed = Assignment.objects.arising_in(period.start, period.end)
        assert set(listed.values_list("pk", flat=True)) == joined, period
    assert joined


def test_the_statistics_page_of_a_user_seeing_everything_sums_the_meetings_from_the_summaries(
    country, nation, admin
):
    """MeetingFigures (per meeting: received, acknowledged, resolved) give the statistics
    report exactly the live figures; only the page uses them, for a user who sees every
    opinion, while the summaries are fresh, and it says so."""
    from dashboards import reports
    from dashboards.models import MeetingFigures

    period = metrics.Period.year_of(today())
    assert summaries.meeting_counts_time(admin, today()) is None  # no refresh yet
    summaries.refresh()
    assert MeetingFigures.objects.filter(received__gt=0).exists()
    counted_at = summaries.meeting_counts_time(admin, today())
    assert counted_at == MonthFigures.objects.values_list("computed_at", flat=True).first()
    for area in (nation, country.province, country.users["monitor"].area):
        for span in (period, metrics.Period(date(today().year - 1, 1, 1), today())):
            live = reports.statistics_report(user=admin, area=area, period=span, today=today())
            fast = reports.statistics_report(
                user=admin, area=area, period=span, today=today(), counted_at=counted_at
            )
            assert fast.total.received or area != nation
            assert dataclasses.replace(fast, counted_at=None) == live, (area, span)

    monitor = country.users["monitor"]  # a ward's: sees part of the country
    assert summaries.meeting_counts_time(monitor, today()) is None
    params = {
        "area": nation.pk,
        "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y"),
    }
    with CaptureQueriesContext(connection) as queries:
        page = login(admin).get(reverse("dashboards:statistics"), params)
    assert page.status_code == 200 and "data-counted-at" in page.content.decode()
    assert page.context["report"].counted_at == counted_at
    assert not any(
        '"petitions_petition"."conference_id" IN' in query["sql"] for query in queries.captured_queries
    )

    MonthFigures.objects.update(computed_at=timezone.now() - timedelta(days=1))  # stale: live again
    assert summaries.meeting_counts_time(admin, today()) is None
    assert (
        "data-counted-at" not in login(admin).get(reverse("dashboards:statistics"), params).content.decode()
    )


def test_a_refresh_writes_the_months_rows_together_then_the_days_in_order(admin):
    """The rows are written (so lie on disk, ids in the same order) months first, month by
    month, then day by day: a period's rows are a few pages of the table, not all of them."""
    summaries.refresh()
    for subject in MonthFigures.Subject.values:
        rows = MonthFigures.objects.filter(subject=subject).order_by("pk").values_list("month", "day")
        written = [(day is not None, month, day or month) for month, day in rows]
        assert written == sorted(written), subject
    opinions = MonthFigures.objects.filter(subject=MonthFigures.Subject.OPINIONS)
    assert opinions.filter(day__isnull=True).values("month").distinct().count() > 1
    assert opinions.filter(day__isnull=False).values("day").distinct().count() > 1


@pytest.mark.django_db(transaction=True)
def test_the_task_clears_the_rows_its_refresh_replaced():
    """Outside a transaction (the beat's task) a refresh VACUUMs its tables once committed:
    the rows it replaced no longer weigh on every read of the dashboards."""
    tables = [MonthFigures._meta.db_table, MeetingFigures._meta.db_table]

    def vacuums() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT relname, vacuum_count FROM pg_stat_user_tables WHERE relname = ANY(%s)", [tables]
            )
            return dict(cursor.fetchall())

    before = vacuums()
    figures_refresh()
    assert vacuums() == {table: before[table] + 1 for table in tables}


@pytest.mark.parametrize("rows_shown", [summaries.RANKING_ROWS, 1])
def test_the_ranking_by_agency_of_work_arising_is_summed_by_agency_and_month(admin, monkeypatch, rows_shown):
    """The default view's ranking by agency of a period with whole months sums a row per
    agency and month (AgencyMonthFigures) and counts its partial months live: the same rows
    in the same order as the live ranking (also cut to one row: the order decides); a period
    within one month is counted live."""
    monkeypatch.setattr(summaries, "RANKING_ROWS", rows_shown)
    summaries.refresh()
    assert AgencyMonthFigures.objects.values("month").distinct().count() > 1
    ranked = 0
    for period in periods():
        with CaptureQueriesContext(connection) as queries:
            figures = summaries.supervision_figures(admin, None, period, today(), metrics.ARISING)
        summed = any(AgencyMonthFigures._meta.db_table in query["sql"] for query in queries.captured_queries)
        assert summed == (summaries.split_months(period)[0] is not None), period
        live = summaries.live_figures(admin, None, period, today(), metrics.ARISING)
        assert figures["by_agency"] == live["by_agency"], period
        assert len(live["by_agency"]) <= rows_shown
        ranked += bool(live["by_agency"])
    assert ranked >= 3
