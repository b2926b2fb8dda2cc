"""The data of the reports: the statistics report in the shape of seed 002 (per level: city,
district, ward/commune — conferences held, participants, opinions received and resolved) and the
periodic report the heads send to the Fatherland Front.

Every number uses the definitions of dashboards.metrics (the scope functions `conferences_in`,
`petitions_in`, `assignments_in`, the conditions `held_condition`, `opinion_conditions`,
`assignment_conditions` and the totals), so a report and the dashboard agree on the same data.
The one number metrics has no definition for, an accepted assignment done on time or late, is
defined here (`assignments_done_split`). Grouping (by level, by area below) is done in SQL:
one query per kind of row, never a loop over records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, Substr, TruncDate
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User
from conclusions.models import Assignment
from dashboards.metrics import (
    Period,
    assignment_conditions,
    assignment_totals,
    assignments_by_agency,
    assignments_in,
    conference_totals,
    conferences_in,
    held_condition,
    opinion_conditions,
    opinion_totals,
    petitions_in,
)
from dialogue.models import Conference, ConferenceChair
from petitions.models import Category

PATH_SEGMENT = 11  # ten digits and a dot (accounts.models.PATH_SEGMENT_WIDTH + 1)
# The district level was abolished on 01/07/2025: its row is shown for periods before that day
# (and whenever old records are counted).
DISTRICT_LEVEL_ENDED = date(2025, 7, 1)
OVERDUE_LIST_LIMIT = 100


@dataclass(frozen=True)
class Level:
    key: str
    label: str
    kinds: tuple[str, ...]


Kind = OrgUnit.Kind
LEVELS = (
    Level("city", _("Cấp thành phố, tỉnh"), (Kind.CITY, Kind.PROVINCE)),
    Level("district", _("Cấp quận, huyện, thị xã (trước 01/7/2025)"), (Kind.DISTRICT,)),
    Level(
        "commune",
        _("Cấp xã, phường, đặc khu, thị trấn"),
        (Kind.WARD, Kind.COMMUNE, Kind.TOWNSHIP, Kind.SPECIAL_ZONE),
    ),
)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


@dataclass
class Counts:
    conferences: int = 0
    participants: int = 0
    received: int = 0
    resolved: int = 0

    def add(self, other: Counts) -> None:
        self.conferences += other.conferences
        self.participants += other.participants
        self.received += other.received
        self.resolved += other.resolved

    @property
    def resolved_percent(self) -> float | None:
        """Resolved over received, in per cent with one decimal (None when nothing was received)."""
        return _percent(self.resolved, self.received)


@dataclass
class LevelRow(Counts):
    level: Level | None = None
    conferences_percent: float | None = None  # this level's share of all conferences held


@dataclass
class AreaRow(Counts):
    area: OrgUnit | None = None
    own: bool = False  # the records of the chosen area itself, not of an area below it


@dataclass
class StatisticsReport:
    area: OrgUnit
    period: Period
    levels: list[LevelRow]
    total: Counts
    children: list[AreaRow] = field(default_factory=list)


# --- scope ------------------------------------------------------------------------------


def _level_of(relation: str) -> Case:
    """The level key of the row's area, from OrgUnit.kind (levels are data, grouped here)."""
    return Case(
        *[When(**{f"{relation}__kind__in": level.kinds}, then=Value(level.key)) for level in LEVELS],
        default=Value("commune"),
        output_field=CharField(),
    )


def _held(user: User, area: OrgUnit, period: Period) -> QuerySet:
    return conferences_in(user, area).filter(held_condition(period))


def _received(user: User, area: OrgUnit, period: Period) -> QuerySet:
    """The rows metrics.opinion_totals counts (received in the period, merged ones included:
    the "received" condition itself leaves them out)."""
    return petitions_in(user, area).filter(received_on__gte=period.start, received_on__lte=period.end)


def _conference_counts() -> dict:
    return {"conferences": Count("pk"), "participants": Coalesce(Sum("participant_count"), 0)}


def _opinion_counts(today: date) -> dict:
    conditions = opinion_conditions(today)
    return {
        "received": Count("pk", filter=conditions["received"]),
        "resolved": Count("pk", filter=conditions["resolved"]),
    }


def _group(rows: QuerySet, key, aggregates: dict) -> dict:
    return {row.pop("key"): row for row in rows.annotate(key=key).values("key").annotate(**aggregates)}


# --- the statistics report ----------------------------------------------------------------


def statistics_report(*, user: User, area: OrgUnit, period: Period, today: date) -> StatisticsReport:
    """Per level and per area directly below `area` (each with everything below it). Five
    queries whatever the size of the area."""
    conferences = _group(_held(user, area, period), _level_of("host_area"), _conference_counts())
    opinions = _group(_received(user, area, period), _level_of("area"), _opinion_counts(today))
    total = Counts()
    levels = []
    for level in LEVELS:
        row = LevelRow(level=level, **conferences.get(level.key, {}), **opinions.get(level.key, {}))
        total.add(row)
        levels.append(row)
    for row in levels:
        row.conferences_percent = _percent(row.conferences, total.conferences)
    levels = [row for row in levels if _level_shown(row, period)]
    return StatisticsReport(
        area=area, period=period, levels=levels, total=total, children=child_rows(user, area, period, today)
    )


def _level_shown(row: LevelRow, period: Period) -> bool:
    if row.level.key != "district":
        return True
    return period.start < DISTRICT_LEVEL_ENDED or bool(row.conferences or row.received)


def child_rows(user: User, area: OrgUnit, period: Period, today: date) -> list[AreaRow]:
    """One row per area directly below `area`, counting everything below it, plus a row for
    the records of `area` itself when it has any. A child's subtree shares the first
    len(area.path) + 11 characters of its path, so one GROUP BY on that prefix does it."""
    length = len(area.path) + PATH_SEGMENT
    conferences = _group(
        _held(user, area, period), Substr("host_area__path", 1, length), _conference_counts()
    )
    opinions = _group(_received(user, area, period), Substr("area__path", 1, length), _opinion_counts(today))
    children = OrgUnit.objects.filter(parent=area, kind__in=OrgUnit.AREA_KINDS).order_by("name", "pk")
    rows = [
        AreaRow(area=child, **conferences.get(child.path, {}), **opinions.get(child.path, {}))
        for child in children
    ]
    # The area's own records: their path prefix is the area's path itself (shorter than `length`).
    own = AreaRow(area=area, own=True, **conferences.get(area.path, {}), **opinions.get(area.path, {}))
    if own.conferences or own.received or own.resolved:
        rows.insert(0, own)
    return rows


def area_count(user: User, area: OrgUnit) -> int:
    """How many areas the detail sheet of the workbook lists (decides sync or background)."""
    return OrgUnit.objects.visible_to(user).areas().filter(path__startswith=area.path).count()


def area_detail_rows(user: User, area: OrgUnit, period: Period, today: date) -> Iterator[AreaRow]:
    """Every area of the subtree in tree order with the records it hosts itself (not those of
    the areas below it), for the workbook's detail sheet: the rows add up to the total. Two
    grouped queries, then the areas streamed in chunks."""
    conferences = _group(_held(user, area, period), F("host_area_id"), _conference_counts())
    opinions = _group(_received(user, area, period), F("area_id"), _opinion_counts(today))
    areas = (
        OrgUnit.objects.visible_to(user)
        .areas()
        .filter(path__startswith=area.path)
        .select_related("parent")
        .order_by("path")
    )
    for unit in areas.iterator(chunk_size=1000):
        yield AreaRow(area=unit, **conferences.get(unit.pk, {}), **opinions.get(unit.pk, {}))


# --- the periodic report to the Fatherland Front -------------------------------------------


@dataclass
class CategoryRow:
    name: str
    received: int
    answered: int
    transferred: int
    rejected: int
    resolved: int
    open: int
    overdue: int


@dataclass
class PeriodicReport:
    area: OrgUnit
    issuer: OrgUnit | None
    period: Period
    conferences: list[Conference]
    conference_totals: dict
    opinion_totals: dict
    categories: list[CategoryRow]
    assignments: dict
    agencies: list[dict]
    overdue: list[Assignment]
    overdue_more: int
    remaining_problems: str = ""
    proposals: str = ""
    recipients: list[str] = field(default_factory=list)


def peoples_committee_of(area: OrgUnit) -> OrgUnit | None:
    """The area's People's Committee, the body that issues the report."""
    return OrgUnit.objects.filter(parent=area, kind=OrgUnit.Kind.PEOPLES_COMMITTEE).order_by("pk").first()


def default_recipients(area: OrgUnit) -> list[str]:
    bodies = {
        unit.kind: unit.name
        for unit in OrgUnit.objects.filter(
            parent=area, kind__in=[OrgUnit.Kind.FATHERLAND_FRONT, OrgUnit.Kind.PARTY_COMMITTEE]
        ).order_by("-pk")
    }
    lines = []
    if OrgUnit.Kind.FATHERLAND_FRONT in bodies:
        lines.append(f"Ban Thường trực {bodies[OrgUnit.Kind.FATHERLAND_FRONT]}")
    if OrgUnit.Kind.PARTY_COMMITTEE in bodies:
        lines.append(f"Thường trực {bodies[OrgUnit.Kind.PARTY_COMMITTEE]}")
    lines.append("Lưu: VT")
    return lines


def held_conferences(user: User, area: OrgUnit, period: Period) -> list[Conference]:
    """Section I: the conferences held, oldest first, with their chairs (two queries)."""
    return list(
        _held(user, area, period)
        .select_related("host_area")
        .prefetch_related(Prefetch("chairs", queryset=ConferenceChair.objects.order_by("position", "pk")))
        .order_by("held_on", "pk")
    )


def opinions_by_category(user: User, area: OrgUnit, period: Period, today: date) -> list[CategoryRow]:
    """Section II: opinions received by category and how they were handled. One query."""
    conditions = opinion_conditions(today)
    names = ("received", "answered", "transferred", "rejected", "resolved", "open", "overdue")
    rows = (
        _received(user, area, period)
        .values("category")
        .annotate(**{name: Count("pk", filter=conditions[name]) for name in names})
        .filter(received__gt=0)
    )
    by_category = {row.pop("category"): row for row in rows}
    categories = Category.objects.filter(pk__in=by_category).order_by("position", "name")
    return [CategoryRow(name=category.name, **by_category[category.pk]) for category in categories]


def assignments_done_split(rows: QuerySet) -> dict[str, int]:
    """Accepted assignments done on time or late. Not in dashboards.metrics, so defined here:
    an assignment is done when its agency reported it done and the issuer accepted the report;
    it was done on time when the report (the day in Asia/Ho_Chi_Minh it was sent) came on or
    before the deadline in force, late otherwise. One query."""
    reported_on = TruncDate(Coalesce("reported_at", "accepted_at"))  # in the current time zone
    accepted = Q(status=Assignment.Status.ACCEPTED)
    return rows.annotate(reported_on=reported_on).aggregate(
        done_on_time=Count("pk", filter=accepted & Q(reported_on__lte=F("deadline"))),
        done_late=Count("pk", filter=accepted & Q(reported_on__gt=F("deadline"))),
    )


def assignment_summary(user: User, area: OrgUnit, period: Period, today: date) -> dict:
    """Section III: assignments whose deadline falls in the period (metrics' period rule):
    done on time, done late, still open, overdue. Two queries."""
    rows = assignments_in(user, area).filter(deadline__gte=period.start, deadline__lte=period.end)
    totals = assignment_totals(user, area, period, today)
    return {**assignments_done_split(rows), "open": totals["open"], "overdue": totals["overdue"]}


def overdue_assignments(user: User, area: OrgUnit, period: Period, today: date) -> tuple[list, int]:
    """Section III's list: open assignments overdue today, most overdue first, with their lead
    agency; at most OVERDUE_LIST_LIMIT, and how many more there are. Two queries."""
    rows = (
        assignments_in(user, area)
        .filter(deadline__gte=period.start, deadline__lte=period.end)
        .filter(pk__in=Assignment.objects.open().values("pk"))
        .filter(assignment_conditions(today)["overdue"])
    )
    listed = list(
        rows.select_related("lead_agency", "notice").order_by("deadline", "pk")[:OVERDUE_LIST_LIMIT]
    )
    more = rows.count() - len(listed) if len(listed) == OVERDUE_LIST_LIMIT else 0
    for assignment in listed:
        assignment.days_overdue_today = assignment.days_overdue(today)
    return listed, more


def periodic_report(
    *,
    user: User,
    area: OrgUnit,
    period: Period,
    today: date,
    remaining_problems: str = "",
    proposals: str = "",
    recipients: list[str] | None = None,
) -> PeriodicReport:
    overdue, overdue_more = overdue_assignments(user, area, period, today)
    return PeriodicReport(
        area=area,
        issuer=peoples_committee_of(area),
        period=period,
        conferences=held_conferences(user, area, period),
        conference_totals=conference_totals(user, area, period),
        opinion_totals=opinion_totals(user, area, period, today),
        categories=opinions_by_category(user, area, period, today),
        assignments=assignment_summary(user, area, period, today),
        agencies=[row for row in assignments_by_agency(user, area, period, today) if row["open"]],
        overdue=overdue,
        overdue_more=overdue_more,
        remaining_problems=remaining_problems,
        proposals=proposals,
        recipients=recipients or default_recipients(area),
    )
