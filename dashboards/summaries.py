"""Monthly summaries of the supervision figures, for the dashboards of the whole country.

The whole country's supervision dashboard aggregates two million opinions, a million
assignments and their links (about a second and a half computed, docs/DASHBOARDS.md). Its
figures are additive by month and by regional area (province, centrally-run city: the top
of the tree, or the children of a national unit, `OrgUnit.regional_depth`), so they are kept
ready in `MonthFigures`, one small row per area, month and subject, refreshed by Celery every
DASHBOARD_SUMMARY_MINUTES (`refresh()`, task `dashboards.tasks.figures_refresh`).

`supervision_figures(user, area, period, today)` answers from the summaries when they can
answer exactly the question asked, and computes everything else live with the same
functions (dashboards.metrics):

- the whole scope (area None) of a user whose scope is made of whole top-level areas (a
  superuser: the country), or a chosen national unit or province the summaries hold rows
  of (`summarised_area`), on PostgreSQL, with a refresh of today younger than
  DASHBOARD_SUMMARY_MAX_AGE: the summaries;
- stale summaries (the worker stopped) younger than DASHBOARD_SUMMARY_STALE_DAYS: the same,
  plus the days after the refresh's day computed live, and the figures say `stale` (the
  page warns, with the refresh's time);
- the period's whole months come from the summaries; its partial first and last months (a
  period from 15/03 to 20/09) are computed live for those days only and added;
- any other area (a ward, an old district) is computed live: a ward holds a
  ten-thousandth of the country's rows.

The figures that do not add up by month are always live: the required number of
conferences (two small queries) and the open assignments by deadline (one index-only
aggregate). The assignments are kept by deadline and by the day they arose
(`Assignment.arises_on`), one subject per view. The ranking by agency (tens of thousands of
agencies) is live (metrics.assignments_by_agency) except in the default view of every area
with fresh summaries and a whole month in the period: then each agency's whole months are
summed from `AgencyMonthFigures` (a row per agency and month the work arose in) and its
partial months counted live (`_by_agency_summed`).

The same refresh keeps each meeting's opinion counts (`MeetingFigures`) for the statistics
page of a user who sees every opinion (`meeting_counts_time`, dashboards.reports).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    F,
    FloatField,
    PositiveIntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf, Substr, TruncMonth
from django.utils import timezone

from accounts.models import PATH_SEGMENT_WIDTH, OrgUnit, User
from conclusions.models import Assignment, ConclusionNotice
from dashboards import metrics, reports
from dashboards.models import AgencyMonthFigures, MeetingFigures, MonthFigures
from dialogue.models import Conference
from petitions.models import Category, Petition

RANKING_ROWS = 30  # rows of each ranking table (by agency, by area)
# The kinds of the country's first division (OrgUnit.regional_depth): a chosen one is summed.
REGIONAL_KINDS = (OrgUnit.Kind.CITY, OrgUnit.Kind.PROVINCE)

OPINION_COLUMNS = (
    "received",
    "merged",
    "answered",
    "transferred",
    "rejected",
    "resolved",
    "resolved_received",
    "resolved_by_assignments",
    "resolved_late",
    "open",
    "overdue",
)


# --- refresh -------------------------------------------------------------------------------


def top_area(path_field: str, depth: int) -> Cast:
    """The id of the regional area of a unit (at `depth`, OrgUnit.regional_depth): that
    segment of its materialised path; for a unit above that level (the national unit itself),
    its first segment."""
    start = depth * (PATH_SEGMENT_WIDTH + 1) + 1
    segment = Coalesce(
        NullIf(Substr(path_field, start, PATH_SEGMENT_WIDTH), Value("")),
        Substr(path_field, 1, PATH_SEGMENT_WIDTH),
    )
    return Cast(segment, BigIntegerField())


def top_area_sql(path_column: str, depth: int) -> str:
    """top_area written in SQL, for the raw statement of the opinions."""
    start = depth * (PATH_SEGMENT_WIDTH + 1) + 1
    return (
        f"CAST(coalesce(nullif(substr({path_column}, {start}, {PATH_SEGMENT_WIDTH}), ''), "
        f"substr({path_column}, 1, {PATH_SEGMENT_WIDTH})) AS bigint)"
    )


def refresh(today: date | None = None) -> int:
    """Replace every summary row with figures computed now (in one transaction: dashboards
    read the previous rows until it commits). Returns the number of rows. PostgreSQL only
    (GROUPING SETS); elsewhere it writes nothing and the dashboards compute live."""
    if not available():
        return 0
    today = today or timezone.localdate()
    stamp = [today, timezone.now()]
    within_transaction = connection.in_atomic_block
    with transaction.atomic():
        MonthFigures.objects.all().delete()
        MeetingFigures.objects.all().delete()
        AgencyMonthFigures.objects.all().delete()
        depth = OrgUnit.regional_depth()
        rows = (
            _insert_conferences(stamp, depth)
            + _insert_assignments(today, stamp, depth)
            + _insert_opinions(today, stamp, depth)
        )
        _insert_meeting_opinions(today)
        _insert_agency_months(today)
        if within_transaction:  # a caller's transaction (a test): the planner's statistics only
            _analyze("ANALYZE")
    if not within_transaction:  # committed (the Celery task): the previous rows cleared too
        _analyze("VACUUM (ANALYZE)")
    return rows


SUMMARY_TABLES = (
    MonthFigures._meta.db_table,
    MeetingFigures._meta.db_table,
    AgencyMonthFigures._meta.db_table,
)


def _analyze(command: str) -> None:
    """The planner's statistics of the new rows, and (committed, outside any transaction)
    the previous rows cleared: every refresh leaves a whole table of dead rows behind it,
    whose index entries every bitmap scan of the dashboard still visits until a VACUUM
    (with ten refreshes unvacuumed, each sum of a period read 13,494 pages of the table for
    1,438 rows: 43–49 ms a statement, 6 ms after a VACUUM). Autovacuum would come later, or
    never where it is turned off: the refresh clears its own (1–2 s)."""
    with connection.cursor() as cursor:
        for table in SUMMARY_TABLES:
            cursor.execute(f"{command} {table}")


def available() -> bool:
    return connection.vendor == "postgresql"


COUNT_COLUMNS = [
    field.column for field in MonthFigures._meta.fields if isinstance(field, PositiveIntegerField)
]


# The order the rows are written in, and so (the table is only appended to between two
# VACUUMs) the order they lie in on disk: the months' rows together, month by month, then the
# days' rows day by day. A dashboard reads a range of months and at most two ranges of days:
# written in the grouping's order, those rows lay scattered over every page of the table
# (bitmap heap scans of 13,139 pages for 1,438 rows, 20–43 ms each, four reads a page).
PHYSICAL_ORDER = "ORDER BY GROUPING(day) DESC, month, day, top"


def _insert_by_month_and_day(
    inner_sql: str, params: list, subject: str, sums: dict[str, str], stamp: list
) -> int:
    """Write, from `inner_sql` (rows with columns top, month, day and counts), a row per area
    and month and a row per area and day (GROUPING SETS: one pass), summing `sums` (model
    column → SQL over the inner rows); the other counts are 0."""
    values = ", ".join(sums.get(column, "0") for column in COUNT_COLUMNS)
    sql = f"""
        INSERT INTO {MonthFigures._meta.db_table}
            (area_id, month, day, subject, dimension, value, {", ".join(COUNT_COLUMNS)}, as_of, computed_at)
        SELECT top, month, CASE WHEN GROUPING(day) = 0 THEN day END, %s, '', '', {values}, %s, %s
        FROM ({inner_sql}) AS inner_rows
        GROUP BY GROUPING SETS ((top, month), (top, month, day))
        {PHYSICAL_ORDER}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [subject, *stamp, *params])
        return cursor.rowcount


def _insert_conferences(stamp: list, depth: int) -> int:
    """Dialogue conferences held, by the host area's top-level area and the day held; voter
    meetings apart (their own subject, held and participants)."""
    return _insert_meetings(
        Conference.objects.dialogues(), MonthFigures.Subject.CONFERENCES, stamp, depth
    ) + (
        _insert_meetings(
            Conference.objects.voter_meetings(), MonthFigures.Subject.VOTER_MEETINGS, stamp, depth
        )
    )


def _insert_meetings(meetings: QuerySet, subject: str, stamp: list, depth: int) -> int:
    grouped = (
        meetings.held()
        .filter(held_on__isnull=False)
        .annotate(top=top_area("host_area__path", depth), month=TruncMonth("held_on"), day=F("held_on"))
        .values("top", "month", "day")
        .annotate(
            n_held=Count("pk"),
            n_scheduled=Count("pk", filter=Q(kind=Conference.Kind.SCHEDULED)),
            n_ad_hoc=Count("pk", filter=Q(kind=Conference.Kind.AD_HOC)),
            n_participants=Coalesce(Sum("participant_count"), 0),
        )
        .order_by()
    )
    sums = {name: f"sum(n_{name})" for name in ("held", "scheduled", "ad_hoc", "participants")}
    sql, params = grouped.query.sql_with_params()
    return _insert_by_month_and_day(sql, list(params), subject, sums, stamp)


def _insert_assignments(today: date, stamp: list, depth: int) -> int:
    """Open and accepted assignments by their lead agency's top-level area, with the
    conditions of metrics.assignments_by_child_area: by deadline (subject ASSIGNMENTS, the
    `due` view) and by the day the work arose (subject ARISING, `Assignment.arises_on`: the
    dashboards' default view)."""
    accepted = Q(status=Assignment.Status.ACCEPTED)
    overdue = metrics.assignment_conditions(today)["overdue"]
    written = 0
    for day_field, subject in (
        ("deadline", MonthFigures.Subject.ASSIGNMENTS),
        ("arises_on", MonthFigures.Subject.ARISING),
    ):
        rows = Assignment.objects.filter(**{f"{day_field}__isnull": False})
        grouped = (
            rows.open_or_accepted()
            .annotate(top=top_area("lead_agency__path", depth), month=TruncMonth(day_field), day=F(day_field))
            .values("top", "month", "day")
            .annotate(
                n_open=Count("pk", filter=~accepted),
                n_overdue=Count("pk", filter=~accepted & overdue),
                n_accepted=Count("pk", filter=accepted),
            )
            .order_by()
        )
        sums = {f"assignments_{name}": f"sum(n_{name})" for name in ("open", "overdue", "accepted")}
        sql, params = grouped.query.sql_with_params()
        written += _insert_by_month_and_day(sql, list(params), subject, sums, stamp)
    return written


def _agency_counts(rows: QuerySet, today: date, *keys: str) -> QuerySet:
    """Open, overdue and accepted assignments per `keys`, with the conditions of
    metrics.assignments_by_agency (its ranking: the open work together with the accepted)."""
    accepted = Q(status=Assignment.Status.ACCEPTED)
    overdue = metrics.assignment_conditions(today)["overdue"]
    return (
        rows.open_or_accepted()
        .values(*keys)
        .annotate(
            n_open=Count("pk", filter=~accepted),
            n_overdue=Count("pk", filter=~accepted & overdue),
            n_accepted=Count("pk", filter=accepted),
        )
        .order_by()
    )


def _insert_agency_months(today: date) -> int:
    """Each lead agency's work by the month it arose (AgencyMonthFigures), written month by
    month (a period's rows lie together)."""
    rows = Assignment.objects.filter(arises_on__isnull=False).annotate(month=TruncMonth("arises_on"))
    sql, params = _agency_counts(rows, today, "lead_agency", "month").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AgencyMonthFigures._meta.db_table} (agency_id, month, open, overdue, accepted) "
            f"SELECT lead_agency, month, n_open, n_overdue, n_accepted FROM ({sql}) AS counted "
            "ORDER BY month, lead_agency",
            params,
        )
        return cursor.rowcount


def _insert_meeting_opinions(today: date) -> int:
    """Every meeting's opinions as the statistics report counts them (reports.held_meetings):
    one GROUP BY conference over the opinions' covering index."""
    grouped = (
        Petition.objects.filter(conference__isnull=False)
        .values("conference")
        .annotate(**reports.opinion_counts(today))
        .order_by()
    )
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {MeetingFigures._meta.db_table} (conference_id, received, acknowledged, resolved) "
            f"SELECT * FROM ({sql}) AS counted",
            params,
        )
        return cursor.rowcount


def _insert_opinions(today: date, stamp: list, depth: int) -> int:
    """Opinions by the top-level area of their area and the day received: rows per month (a
    total, and one per category, kind and channel) and per day (a total), in one scan
    (GROUPING SETS), written by the database itself. The conditions are those of
    metrics.opinion_conditions, written here over two per-petition aggregates of its
    assignments (the latest deadline: resolved late when resolved after it, or without any;
    the earliest deadline among open assignments: overdue when before today).
    tests/dashboards/test_summaries.py checks every number against the live functions."""
    link = Assignment.petitions.through._meta.db_table
    outcome = Petition.Outcome
    counts = {
        "received": "NOT merged",
        "merged": "merged",
        "answered": "answered",
        "transferred": "transferred",
        "rejected": "rejected",
        "resolved": "resolved",
        "resolved_received": "resolved AND NOT merged",
        "resolved_by_assignments": "resolved_by_assignments",
        "resolved_late": "resolved_by_assignments AND NOT kept_in_time",
        "open": "open",
        "overdue": "open AND late",
    }
    values = ", ".join(
        f"count(*) FILTER (WHERE {counts[column]})" if column in counts else "0" for column in COUNT_COLUMNS
    )
    sql = f"""
        WITH links AS (
            SELECT link.petition_id,
                   max(a.deadline) AS latest_deadline,
                   min(a.deadline) FILTER (
                       WHERE a.status <> %(accepted)s
                         AND (a.notice_id IS NULL OR a.notice_id NOT IN (
                             SELECT id FROM {ConclusionNotice._meta.db_table} WHERE status = %(draft)s))
                   ) AS earliest_open_deadline
            FROM {link} link JOIN {Assignment._meta.db_table} a ON a.id = link.assignment_id
            GROUP BY link.petition_id
        ),
        opinions AS (
            SELECT {top_area_sql("area.path", depth)} AS top,
                   date_trunc('month', p.received_on)::date AS month,
                   p.received_on AS day,
                   p.category_id, p.kind, p.channel,
                   p.outcome = %(duplicate)s AS merged,
                   p.outcome = %(answered)s AS answered,
                   p.outcome = %(transferred)s AS transferred,
                   p.outcome = %(rejected)s AS rejected,
                   (p.outcome = %(answered)s OR p.resolved_on IS NOT NULL) AS resolved,
                   (p.resolved_on IS NOT NULL AND p.outcome <> %(answered)s) AS resolved_by_assignments,
                   coalesce(links.latest_deadline >= p.resolved_on, false) AS kept_in_time,
                   (p.outcome IN (%(pending)s, %(in_authority)s) AND p.resolved_on IS NULL) AS open,
                   coalesce(links.earliest_open_deadline < %(today)s, false) AS late
            FROM {Petition._meta.db_table} p
            JOIN {OrgUnit._meta.db_table} area ON area.id = p.area_id
            LEFT JOIN links ON links.petition_id = p.id
        )
        INSERT INTO {MonthFigures._meta.db_table}
            (area_id, month, day, subject, dimension, value, {", ".join(COUNT_COLUMNS)}, as_of, computed_at)
        SELECT top, month, CASE WHEN GROUPING(day) = 0 THEN day END, %(subject)s,
               CASE WHEN GROUPING(category_id) = 0 THEN 'category'
                    WHEN GROUPING(kind) = 0 THEN 'kind'
                    WHEN GROUPING(channel) = 0 THEN 'channel' ELSE '' END,
               coalesce(CASE WHEN GROUPING(category_id) = 0 THEN category_id::text
                             WHEN GROUPING(kind) = 0 THEN kind
                             WHEN GROUPING(channel) = 0 THEN channel END, ''),
               {values}, %(as_of)s, %(computed_at)s
        FROM opinions
        GROUP BY GROUPING SETS ((top, month), (top, month, category_id), (top, month, kind),
                                (top, month, channel), (top, month, day))
        {PHYSICAL_ORDER}
    """
    params = {
        "accepted": Assignment.Status.ACCEPTED,
        "draft": ConclusionNotice.Status.DRAFT,
        "duplicate": outcome.DUPLICATE,
        "answered": outcome.ANSWERED,
        "transferred": outcome.TRANSFERRED,
        "rejected": outcome.REJECTED,
        "pending": outcome.PENDING,
        "in_authority": outcome.IN_AUTHORITY,
        "today": today,
        "subject": MonthFigures.Subject.OPINIONS,
        "as_of": stamp[0],
        "computed_at": stamp[1],
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# --- reading -------------------------------------------------------------------------------


def supervision_figures(
    user: User, area: OrgUnit | None, period: metrics.Period, today: date, basis: str = metrics.DUE
) -> dict:
    """Every figure of the supervision dashboard (the keys of `live_figures`), from the
    summaries where they answer (see the module's docstring), else computed live. The
    summaries hold assignments by deadline and by the day they arose, so both views rank the
    regional areas from them."""
    tops = summarised_scope(user, area) if area is None else summarised_area(user, area)
    latest = last_refresh(tops) if tops is not None else None
    if latest is None or not (is_fresh(latest, today) or usable_when_stale(latest, today)):
        return live_figures(user, area, period, today, basis)
    whole, edges = split_months(period)
    rows = MonthFigures.objects.filter(_days_of(whole, edges))
    if tops:
        rows = rows.filter(area__in=tops)
    stale = not is_fresh(latest, today)
    breakdowns = _breakdowns(rows)  # whole months' rows; the days at either end, live:
    for edge in edges:
        if stale:  # the days after the refresh are added below, with the rest of their figures
            edge = metrics.Period(edge.start, min(edge.end, latest["as_of"]))
        if edge.start <= edge.end:
            _add_breakdowns(breakdowns, metrics.opinion_breakdowns(user, area, edge))
    conferences, opinions, trend = _conference_totals(rows), _opinion_totals(rows), _trend(rows, period)
    if stale:
        # The worker stopped: the summaries' rows as they were at their refresh, plus the days
        # after it (none of their records are in the rows) computed live, a bounded amount.
        recent = _days_after(latest["as_of"], period, today)
        if recent is not None:
            _add_recent(user, area, recent, today, conferences, opinions, breakdowns, trend)
    if area is not None and tops:
        # By regional area only: the areas below a chosen province are ranked live.
        by_area = metrics.assignments_by_child_area(user, area, period, today, basis)[:RANKING_ROWS]
    else:
        subject = (
            MonthFigures.Subject.ARISING if basis == metrics.ARISING else MonthFigures.Subject.ASSIGNMENTS
        )
        by_area = _by_top_area(rows, own=area, subject=subject)[:RANKING_ROWS]
    return {
        "conferences": conferences,
        **metrics.conference_requirement(user, area, period),
        "opinions": opinions,
        "breakdowns": breakdowns,
        "trend": trend,
        "assignments": metrics.assignment_totals(user, area, period, today, basis),
        "by_agency": (
            _by_agency_summed(user, area, whole, edges, today)
            if basis == metrics.ARISING and tops == [] and whole is not None and not stale
            else metrics.assignments_by_agency(user, area, period, today, limit=RANKING_ROWS, basis=basis)
        ),
        "by_area": by_area,
        "computed_at": latest["computed_at"],
        "stale": stale,
    }


def _by_agency_summed(
    user: User, area: OrgUnit | None, whole: metrics.Period, edges: list[metrics.Period], today: date
) -> list[dict]:
    """metrics.assignments_by_agency of the work arising in the period, for a scope of every
    area: the whole months' counts summed from AgencyMonthFigures (fresh: as of today) and
    the partial months' counted live, added per agency, ranked and limited in one statement.
    Then the names of the agencies shown."""
    parts = [
        AgencyMonthFigures.objects.filter(month__gte=whole.start, month__lte=whole.end)
        .values_list("agency", "open", "overdue", "accepted")
        .order_by()
        .query.sql_with_params()
    ]
    for edge in edges:
        rows = metrics.assignments_in(user, area).arising_in(edge.start, edge.end)
        parts.append(
            _agency_counts(rows, today, "lead_agency")
            .values_list("lead_agency", "n_open", "n_overdue", "n_accepted")
            .query.sql_with_params()
        )
    union = " UNION ALL ".join(f"({sql})" for sql, _params in parts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT agency, sum(open), sum(overdue), sum(accepted),
                   CAST(sum(overdue) AS double precision)
                   / CAST(sum(open) + sum(accepted) AS double precision) AS share
            FROM (
                SELECT agency, CAST(open AS integer) AS open, CAST(overdue AS integer) AS overdue,
                       CAST(accepted AS integer) AS accepted
                FROM ({union}) AS counted (agency, open, overdue, accepted)
            ) AS counted
            GROUP BY agency
            HAVING sum(open) + sum(accepted) > 0
            ORDER BY share DESC, 3 DESC, 2 DESC, agency
            LIMIT %s
            """,
            [param for _sql, params in parts for param in params] + [RANKING_ROWS],
        )
        names = ("lead_agency", "open", "overdue", "accepted", "share")
        ranked = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return metrics.with_agency_details(ranked)


def _days_after(as_of: date, period: metrics.Period, today: date) -> metrics.Period | None:
    """The days of the period after the day of the last refresh, up to today."""
    start, end = max(as_of + timedelta(days=1), period.start), min(period.end, today)
    return metrics.Period(start, end) if start <= end else None


def _add_recent(
    user: User,
    area: OrgUnit | None,
    recent: metrics.Period,
    today: date,
    conferences: dict,
    opinions: dict,
    breakdowns: dict,
    trend: list[dict],
) -> None:
    """Add the live figures of `recent` (days the summaries do not hold) to those summed."""
    for name, value in metrics.conference_totals(user, area, recent).items():
        conferences[name] += value
    for name, value in metrics.opinion_totals(user, area, recent, today).items():
        opinions[name] += value
    _add_breakdowns(breakdowns, metrics.opinion_breakdowns(user, area, recent))
    by_month = {row["month"]: row for row in trend}
    for row in metrics.monthly_trend(user, area, recent, today):
        for name in TREND_COLUMNS:
            by_month[row["month"]][name] += row[name]


def _days_of(whole: metrics.Period | None, edges: list[metrics.Period]) -> Q:
    """The rows that count the period once: months' rows for its whole months, days' rows for
    the days of its partial months."""
    condition = Q(pk__in=[])
    if whole is not None:
        condition |= Q(day__isnull=True, month__gte=whole.start, month__lte=whole.end)
    for edge in edges:
        condition |= Q(day__gte=edge.start, day__lte=edge.end)
    return condition


def live_figures(
    user: User, area: OrgUnit | None, period: metrics.Period, today: date, basis: str = metrics.DUE
) -> dict:
    return {
        "conferences": metrics.conference_totals(user, area, period),
        **metrics.conference_requirement(user, area, period),
        "opinions": metrics.opinion_totals(user, area, period, today),
        "breakdowns": metrics.opinion_breakdowns(user, area, period),
        "trend": metrics.monthly_trend(user, area, period, today),
        "assignments": metrics.assignment_totals(user, area, period, today, basis),
        "by_agency": metrics.assignments_by_agency(
            user, area, period, today, limit=RANKING_ROWS, basis=basis
        ),
        "by_area": metrics.assignments_by_child_area(user, area, period, today, basis)[:RANKING_ROWS],
        "computed_at": timezone.now(),
        "stale": False,
    }


def summarised_scope(user: User, area: OrgUnit | None) -> list[int] | None:
    """The top-level areas to sum for this question ([] = all of them), or None when the
    summaries cannot answer it: a chosen area, or a scope that is not made of whole
    top-level areas (a ward's clerk, an agency)."""
    if area is not None or not available():
        return None
    if user.is_superuser:
        return []
    paths = user.scope_paths
    # Deeper than two segments is below any regional area (a ward): no query to know it.
    if not paths or any(len(path) > 2 * (PATH_SEGMENT_WIDTH + 1) for path in paths):
        return None
    depth = OrgUnit.regional_depth()
    regional = (depth + 1) * (PATH_SEGMENT_WIDTH + 1)
    if any(len(path) > regional for path in paths):
        return None
    if any(len(path) < regional for path in paths):  # the national unit: every area
        return []
    return [int(path[regional - PATH_SEGMENT_WIDTH - 1 : regional - 1]) for path in paths]


def summarised_area(user: User, area: OrgUnit) -> list[int] | None:
    """The top-level areas to sum for a chosen area ([] = all of them), or None when the
    summaries cannot answer: an area below the regional level (a ward, an old district).
    The national unit (the top of the tree) holds every row; a province or centrally-run
    city at the top or just below it is its own rows' area, when the summaries hold rows of
    it (`last_refresh` asks: none, and it is computed live). No query. The area lies in the
    user's scope (the view found it through `visible_to`), so its whole subtree is visible:
    what `metrics.petitions_in(user, area)` counts live."""
    if not available() or area.depth > 1 or not metrics.sees_area(user, area):
        return None
    if area.kind == OrgUnit.Kind.NATION:
        return [] if area.parent_id is None else None
    return [area.pk] if area.kind in REGIONAL_KINDS else None


def last_refresh(tops: list[int] | None = None) -> dict | None:
    """The day (`as_of`) and time (`computed_at`) of the rows' refresh (of the areas `tops`,
    when given: a refresh writes every row with the same stamp), None without rows."""
    rows = MonthFigures.objects.filter(area__in=tops) if tops else MonthFigures.objects.all()
    # The newest row (a refresh writes every row with the same stamp): read backwards from
    # the end of the primary key, past no dead row of an earlier refresh (their ids are lower;
    # from the start of the key, 13 ms through the dead entries of refreshes not yet vacuumed).
    return rows.order_by("-pk").values("as_of", "computed_at").first()


def is_fresh(latest: dict, today: date) -> bool:
    return latest["as_of"] == today and timezone.now() - latest["computed_at"] <= timedelta(
        minutes=settings.DASHBOARD_SUMMARY_MAX_AGE
    )


def meeting_counts_time(user: User, today: date):
    """When the statistics page may sum the meetings' opinions from the summaries
    (MeetingFigures): the time of a fresh refresh, for a user who sees every opinion
    (`User.sees_everything`: the national unit's staff, a superuser), so the counts are the
    live ones as of that time; else None (counted live)."""
    if not (available() and user.sees_everything):
        return None
    latest = last_refresh()
    return latest["computed_at"] if latest is not None and is_fresh(latest, today) else None


def fresh(today: date) -> bool:
    """A refresh of today, younger than DASHBOARD_SUMMARY_MAX_AGE."""
    latest = last_refresh()
    return latest is not None and is_fresh(latest, today)


def usable_when_stale(latest: dict, today: date) -> bool:
    """Stale summaries (the worker or the beat stopped) younger than DASHBOARD_SUMMARY_STALE_DAYS
    still serve, labelled with their time (the page says they are not up to date), with the
    days after them computed live: the whole country computed live takes seconds. Older ones,
    or with the setting at 0, are not used: everything is computed live."""
    days = settings.DASHBOARD_SUMMARY_STALE_DAYS
    return days > 0 and (today - latest["as_of"]).days < days


def split_months(period: metrics.Period) -> tuple[metrics.Period | None, list[metrics.Period]]:
    """The period's whole months (a Period from the first day of the first whole month to the
    first day of the last), and its partial months at either end as Periods of days."""
    first = (
        period.start if period.start.day == 1 else metrics.Period.month_of(period.start).end + timedelta(1)
    )
    last_month = metrics.Period.month_of(period.end)
    last = last_month.start if period.end == last_month.end else last_month.start - timedelta(days=1)
    last = last.replace(day=1)
    if first > last:
        return None, [period]
    edges = []
    if period.start < first:
        edges.append(metrics.Period(period.start, first - timedelta(days=1)))
    last_end = metrics.Period.month_of(last).end
    if last_end < period.end:
        edges.append(metrics.Period(last_end + timedelta(days=1), period.end))
    return metrics.Period(first, last), edges


def _sum(rows: QuerySet, subject: str, columns: Iterable[str]) -> dict[str, int]:
    totals = rows.filter(subject=subject, dimension="").aggregate(
        **{column: Coalesce(Sum(column), 0) for column in columns}
    )
    return totals


def _conference_totals(rows: QuerySet) -> dict[str, int]:
    """metrics.conference_totals from the rows: the dialogues' and the voter meetings' in one
    query."""
    dialogues = Q(subject=MonthFigures.Subject.CONFERENCES)
    voters = Q(subject=MonthFigures.Subject.VOTER_MEETINGS)
    # The voter meetings' sums first: an alias named like a column hides the column after it.
    return rows.filter(dialogues | voters, dimension="").aggregate(
        voter_meetings=Coalesce(Sum("held", filter=voters), 0),
        voter_participants=Coalesce(Sum("participants", filter=voters), 0),
        **{column: Coalesce(Sum(column, filter=dialogues), 0) for column in ("held", "scheduled", "ad_hoc")},
        participants=Coalesce(Sum("participants", filter=dialogues), 0),
    )


def _opinion_totals(rows: QuerySet) -> dict[str, int]:
    totals = _sum(rows, MonthFigures.Subject.OPINIONS, OPINION_COLUMNS)
    return _opinion_names(totals)


def _opinion_names(totals: dict[str, int]) -> dict[str, int]:
    """The numbers of metrics.opinion_totals from the stored columns."""
    numbers = {name: totals[name] for name in metrics.OPINION_NAMES if name in totals}
    numbers["resolved_on_time"] = (
        totals["answered"] + totals["resolved_by_assignments"] - totals["resolved_late"]
    )
    return {name: numbers[name] for name in metrics.OPINION_NAMES}


def _breakdowns(rows: QuerySet) -> dict[str, list[dict]]:
    """Opinions received (merged duplicates left out) by category, kind and channel."""
    grouped = (
        rows.filter(subject=MonthFigures.Subject.OPINIONS)
        .exclude(dimension="")
        .values("dimension", "value")
        .annotate(count=Sum("received"))
        .filter(count__gt=0)
        .order_by()
    )
    breakdowns: dict[str, dict] = {field: {} for field in metrics.BREAKDOWN_FIELDS}
    for row in grouped:
        value = row["value"] or None
        if row["dimension"] == "category" and value is not None:
            value = int(value)
        breakdowns[row["dimension"]][value] = {"value": value, "count": row["count"]}
    _label_categories(breakdowns["category"])
    return {field: _largest_first(entries) for field, entries in breakdowns.items()}


def _label_categories(entries: dict) -> None:
    names = dict(Category.objects.filter(pk__in=[key for key in entries if key]).values_list("pk", "name"))
    for key, entry in entries.items():
        entry["label"] = names.get(key)


def _largest_first(entries: dict) -> list[dict]:
    return sorted(entries.values(), key=lambda entry: (-entry["count"], str(entry["value"])))


TREND_COLUMNS = {
    "held": "held",
    "participants": "participants",
    "received": "received",
    "answered": "answered",
    "resolved": "resolved_received",
}


def _trend(rows: QuerySet, period: metrics.Period) -> list[dict]:
    """One row per month of the period (metrics.monthly_trend): whole months from their rows,
    partial ones from their days'."""
    grouped = (
        rows.filter(dimension="")
        .exclude(subject=MonthFigures.Subject.VOTER_MEETINGS)  # the trend counts dialogues
        .values("month")
        .annotate(**{name: Coalesce(Sum(column), 0) for name, column in TREND_COLUMNS.items()})
        .order_by()
    )
    by_month = {row["month"]: row for row in grouped}
    empty = dict.fromkeys(TREND_COLUMNS, 0)
    return [{**empty, **by_month.get(month, {}), "month": month} for month in period.months()]


def _by_top_area(
    rows: QuerySet, own: OrgUnit | None = None, subject: str = MonthFigures.Subject.ASSIGNMENTS
) -> list[dict]:
    """Open, overdue and accepted assignments per top-level area with their overdue share,
    weakest first, in the order of metrics._ranking (share, overdue, open, key). The row of
    `own` (the national unit chosen: its own agencies' work) is marked as the area's own, as
    metrics.assignments_by_child_area marks it."""
    grouped = (
        rows.filter(subject=subject, dimension="")
        .values("area", prefix=F("area__path"))
        .annotate(
            open=Sum("assignments_open"),
            overdue=Sum("assignments_overdue"),
            accepted=Sum("assignments_accepted"),
        )
        .filter(Q(open__gt=0) | Q(accepted__gt=0))
        .annotate(share=Cast("overdue", FloatField()) / Cast(F("open") + F("accepted"), FloatField()))
        .order_by("-share", "-overdue", "-open", "prefix")
    )
    ranked = list(grouped)
    units = OrgUnit.objects.in_bulk([row["area"] for row in ranked])
    return [
        {**row, "area": units[row["area"]], "own": own is not None and row["area"] == own.pk}
        for row in ranked
        if row["area"] in units
    ]


def _add_breakdowns(breakdowns: dict[str, list[dict]], more: dict[str, list[dict]]) -> None:
    """Add the live breakdowns of a partial month to those summed from whole months."""
    for field, entries in more.items():
        merged = {entry["value"]: dict(entry) for entry in breakdowns[field]}
        for entry in entries:
            merged.setdefault(entry["value"], {**entry, "count": 0})["count"] += entry["count"]
        breakdowns[field] = _largest_first(merged)
