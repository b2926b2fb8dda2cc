"""The data of the reports: the statistics report in the shape of seed 002 (dialogue
conferences per level — city, district, ward/commune — with participants and the opinions raised
at them, received, taken up and resolved; voter meetings per level of deputies; opinions received
outside meetings per channel; the areas below) and the periodic report the heads send to the
Fatherland Front.

Every number uses the definitions of dashboards.metrics (the scope functions `conferences_in`,
`petitions_in`, `assignments_in`, the conditions `held_condition`, `opinion_conditions`,
`assignment_conditions` and the totals), so a report and the dashboard agree on the same data.
Two numbers metrics has no definition for are defined here: an opinion taken up
(`acknowledged_condition`) and an accepted assignment done on time or late
(`assignments_done_split`). An area's statistics include the areas it replaced
(`OrgUnit.lineage_paths`). Grouping (by level, by channel, by area below) is done in SQL: one
query per kind of row, never a loop over records.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Substr, TruncDate
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
    whole_tree,
)
from dashboards.models import MeetingFigures
from dialogue.models import Conference, ConferenceChair
from petitions.models import Category, Petition

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
    acknowledged: int = 0
    resolved: int = 0

    def add(self, other: Counts) -> None:
        for name in COUNT_NAMES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def resolved_percent(self) -> float | None:
        """Resolved over received, in per cent with one decimal (None when nothing was received)."""
        return _percent(self.resolved, self.received)


COUNT_NAMES = ("conferences", "participants", "received", "acknowledged", "resolved")


@dataclass
class LevelRow(Counts):
    level: Level | None = None
    conferences_percent: float | None = None  # this level's share of all conferences held


@dataclass
class VoterRow(Counts):
    """Voter meetings (tiếp xúc cử tri) of one level of deputies: `conferences` counts meetings."""

    deputy_level: str = ""
    label: str = ""


@dataclass
class ChannelRow(Counts):
    """Opinions received outside meetings through one channel (letters, citizen reception,
    online), by the day received: no conferences or participants."""

    channel: str = ""
    label: str = ""


@dataclass
class AreaRow(Counts):
    area: OrgUnit | None = None
    own: bool = False  # the records of the chosen area itself, not of an area below it
    predecessor: bool = False  # an area the chosen one replaced: its records are the chosen one's


@dataclass
class StatisticsReport:
    area: OrgUnit
    period: Period
    levels: list[LevelRow]
    total: Counts
    children: list[AreaRow] = field(default_factory=list)
    voter_meetings: list[VoterRow] = field(default_factory=list)
    voter_total: Counts = field(default_factory=Counts)
    channels: list[ChannelRow] = field(default_factory=list)
    channel_total: Counts = field(default_factory=Counts)
    predecessors: list[OrgUnit] = field(default_factory=list)
    # held_meetings(): the rows the tables were summed from (the workbook's detail sheet too).
    meetings: list[dict] = field(default_factory=list, repr=False)
    # The summaries' time when the meetings' opinions were summed from them, else None (live).
    counted_at: datetime | None = None


# --- scope ------------------------------------------------------------------------------


VOTER_KEY = "voter:"


def _row_key(prefix: str = "") -> Case:
    """The report row a meeting (prefix "") or an opinion raised at one (prefix "conference__")
    falls in: "voter:<deputy level>" for a voter meeting, else the level of the host area."""
    return Case(
        When(
            **{f"{prefix}meeting_type": Conference.MeetingType.VOTER_MEETING},
            then=Concat(Value(VOTER_KEY), F(f"{prefix}deputy_level"), output_field=CharField()),
        ),
        *[When(**{f"{prefix}host_area__kind__in": level.kinds}, then=Value(level.key)) for level in LEVELS],
        default=Value("commune"),
        output_field=CharField(),
    )


def _under(relation: str, paths: tuple[str, ...]) -> Q:
    """The row's unit lies under one of `paths` (the area and the areas it replaced)."""
    lookup = f"{relation}__path__startswith" if relation else "path__startswith"
    condition = Q()
    for path in paths:
        condition |= Q(**{lookup: path})
    return condition


def _held(user: User, area: OrgUnit, period: Period) -> QuerySet:
    """The dialogue conferences of the area (and everything below it) held in the period."""
    return conferences_in(user, area).dialogues().filter(held_condition(period))


def _received(user: User, area: OrgUnit, period: Period) -> QuerySet:
    """The rows metrics.opinion_totals counts (received in the period, merged ones included:
    the "received" condition itself leaves them out), for the periodic report."""
    return petitions_in(user, area).filter(received_on__gte=period.start, received_on__lte=period.end)


def _written(user: User, paths: tuple[str, ...], period: Period) -> QuerySet:
    """Opinions received outside meetings (letters, citizen reception, online) in the period."""
    return (
        Petition.objects.visible_to(user)
        .written()
        .filter(conference__isnull=True, received_on__gte=period.start, received_on__lte=period.end)
        .filter(_under("area", paths))
    )


def held_meetings(
    user: User, area: OrgUnit, paths: tuple[str, ...], period: Period, today: date, summarised: bool = False
) -> list[dict]:
    """Every dialogue and voter meeting held in the period (by the day held) in the areas
    (`paths`), one row each with the keys of the report's tables (`key`: its row of tables I
    and II, `child`: its area directly below `area` or the predecessor it lies under,
    `host_area_id` for the detail sheet), whether the user sees it (`visible`: only those are
    counted as meetings) and the counts of the opinions raised at or gathered for it that the
    user sees (`opinions`, None when it has none), whatever day they came in: what the city's
    review counts beside its conferences (seed 002). An opinion of a cancelled or never-held
    meeting, and a letter, are not among them. Two queries that every table sums, instead of
    a GROUP BY of the opinions (joined to their conference and its area) per table: a
    country's year is 12,607 meetings and 384,748 opinions. `summarised` (a user who sees
    every opinion, the summaries fresh: summaries.meeting_counts_time): the counts per meeting
    are read from the summaries (MeetingFigures), as of their refresh."""
    held = Conference.objects.filter(held_condition(period))
    if paths != (area.path,) or not whole_tree(user, area):  # the national unit's: every area
        held = held.filter(_under("host_area", paths))
    visible = (
        Value(True)
        if user.sees_everything
        else Exists(Conference.objects.visible_to(user).filter(pk=OuterRef("pk")))
    )
    meetings = list(
        held.annotate(key=_row_key(), child=_child_key(area, paths, "host_area"), visible=visible)
        .values("pk", "key", "child", "host_area_id", "meeting_type", "participant_count", "visible")
        .order_by()
    )
    if summarised:
        counted = MeetingFigures.objects.filter(conference__in=held.values("pk")).values(
            "conference", "received", "acknowledged", "resolved"
        )
    else:
        counted = (
            Petition.objects.visible_to(user)
            .filter(conference__in=held.values("pk"))
            .values("conference")
            .annotate(**opinion_counts(today))
            .order_by()
        )
    opinions = {row.pop("conference"): row for row in counted}
    for meeting in meetings:
        meeting["opinions"] = opinions.get(meeting["pk"])
    return meetings


def _sum_meetings(meetings: list[dict], field: str, dialogues_only: bool = False) -> dict:
    """The meetings' counts summed by `field`: conferences and participants of those the user
    sees, received, acknowledged and resolved of their opinions; a key is present when it has
    a meeting seen or an opinion (as a GROUP BY of either would give it)."""
    grouped: dict = {}
    for meeting in meetings:
        if dialogues_only and meeting["meeting_type"] != Conference.MeetingType.DIALOGUE:
            continue
        if meeting["visible"]:
            entry = grouped.setdefault(meeting[field], {})
            entry["conferences"] = entry.get("conferences", 0) + 1
            entry["participants"] = entry.get("participants", 0) + (meeting["participant_count"] or 0)
        if meeting["opinions"] is not None:
            entry = grouped.setdefault(meeting[field], {})
            for name, value in meeting["opinions"].items():
                entry[name] = entry.get(name, 0) + value
    return grouped


def acknowledged_condition() -> Q:
    """ "Tiếp thu" (seed 002 writes "tiếp thu, giải quyết"): the opinion was taken up — answered
    at the meeting, taken on to be resolved here, or forwarded to the competent body — rather
    than declined, merged as a duplicate or still waiting to be classified."""
    outcome = Petition.Outcome
    return Q(outcome__in=(outcome.ANSWERED, outcome.IN_AUTHORITY, outcome.TRANSFERRED))


def opinion_counts(today: date) -> dict:
    conditions = opinion_conditions(today)
    return {
        "received": Count("pk", filter=conditions["received"]),
        "acknowledged": Count("pk", filter=acknowledged_condition()),
        "resolved": Count("pk", filter=conditions["resolved"]),
    }


def _group(rows: QuerySet, key, aggregates: dict) -> dict:
    return {row.pop("key"): row for row in rows.annotate(key=key).values("key").annotate(**aggregates)}


# --- the statistics report ----------------------------------------------------------------


def statistics_report(
    *, user: User, area: OrgUnit, period: Period, today: date, counted_at: datetime | None = None
) -> StatisticsReport:
    """Dialogues per level, voter meetings per level of deputies, opinions outside meetings per
    channel, and dialogues per area directly below `area`. The area's records include those of
    the areas it replaced (OrgUnit.successor). A constant number of queries whatever the size
    of the area (one more per generation of reform). `counted_at`: the time of the summaries
    that count the meetings' opinions (summaries.meeting_counts_time; the page only: the
    workbook and the issued report count live)."""
    paths = area.lineage_paths()
    meetings = held_meetings(user, area, paths, period, today, summarised=counted_at is not None)
    by_key = _sum_meetings(meetings, "key")

    def counts(key: str) -> dict:
        return by_key.get(key, {})

    applying = _levels_that_apply(paths, period)
    levels, total = [], Counts()
    for level in LEVELS:
        row = LevelRow(level=level, **counts(level.key))
        if level.key in applying or row.conferences or row.received:
            total.add(row)
            levels.append(row)
    for row in levels:
        row.conferences_percent = _percent(row.conferences, total.conferences)
    voter_rows, voter_total = _voter_rows(counts, period)
    channels, channel_total = channel_rows(user, paths, period, today)
    predecessors = (
        list(OrgUnit.objects.filter(path__in=paths[1:]).order_by("name", "pk")) if paths[1:] else []
    )
    return StatisticsReport(
        area=area,
        period=period,
        levels=levels,
        total=total,
        children=child_rows(area, predecessors, period, meetings),
        voter_meetings=voter_rows,
        voter_total=voter_total,
        channels=channels,
        channel_total=channel_total,
        predecessors=predecessors,
        meetings=meetings,
        counted_at=counted_at,
    )


def _levels_that_apply(paths: tuple[str, ...], period: Period) -> set[str]:
    """The levels of the areas of the report (the area, the areas below it and those it
    replaced) that existed during the period: a ward's report has no city or district row, a
    report for 2026 no district row. One query."""
    kinds = set(
        OrgUnit.objects.areas()
        .filter(_under("", paths))
        .existed_during(period.start, period.end)
        .order_by()  # the default ordering by path would make DISTINCT return every area
        .values_list("kind", flat=True)
        .distinct()
    )
    return {level.key for level in LEVELS if kinds & set(level.kinds)}


def _voter_rows(counts, period: Period) -> tuple[list[VoterRow], Counts]:
    """One row per level of deputies; district deputies only for a period that reaches before
    the district level ended (or when such meetings were recorded)."""
    rows, total = [], Counts()
    for level, label in Conference.DeputyLevel.choices:
        row = VoterRow(deputy_level=level, label=label, **counts(VOTER_KEY + level))
        district_gone = level == Conference.DeputyLevel.DISTRICT and period.start >= DISTRICT_LEVEL_ENDED
        if district_gone and not (row.conferences or row.received):
            continue
        total.add(row)
        rows.append(row)
    return rows, total


def channel_rows(
    user: User, paths: tuple[str, ...], period: Period, today: date
) -> tuple[list[ChannelRow], Counts]:
    """Opinions received outside meetings, one row per written channel. One query."""
    by_channel = _group(_written(user, paths, period), F("channel"), opinion_counts(today))
    rows, total = [], Counts()
    for channel in Petition.WRITTEN_CHANNELS:
        row = ChannelRow(channel=channel, label=channel.label, **by_channel.get(channel, {}))
        total.add(row)
        rows.append(row)
    return rows, total


def _child_key(area: OrgUnit, paths: tuple[str, ...], relation: str):
    """The row a record falls in: the predecessor it lies under, or else the child of `area`
    whose subtree holds it (its path prefix one segment longer than the area's)."""
    length = len(area.path) + PATH_SEGMENT
    predecessors = [When(**{f"{relation}__path__startswith": path}, then=Value(path)) for path in paths[1:]]
    prefix = Substr(f"{relation}__path", 1, length)
    return Case(*predecessors, default=prefix, output_field=CharField()) if predecessors else prefix


def child_rows(
    area: OrgUnit, predecessors: list[OrgUnit], period: Period, meetings: list[dict]
) -> list[AreaRow]:
    """Dialogues per area directly below `area` that existed during the period, each with
    everything below it; a row for the records of `area` itself when it has any; and one row
    per area it replaced. A child that no longer existed is listed only if it has records (so
    the rows still add up to the total). `meetings`: held_meetings() of the area."""
    by_child = _sum_meetings(meetings, "child", dialogues_only=True)

    def row(unit: OrgUnit, **flags) -> AreaRow:
        return AreaRow(area=unit, **by_child.get(unit.path, {}), **flags)

    existed = OrgUnit.objects.existed_during(period.start, period.end).filter(pk=OuterRef("pk"))
    children = (
        OrgUnit.objects.filter(parent=area, kind__in=OrgUnit.AREA_KINDS)
        .annotate(existed=Exists(existed))
        .order_by("name", "pk")
    )
    rows = [row(child) for child in children if child.existed or child.path in by_child]
    # The area's own records: their path prefix is the area's path itself (shorter than a child's).
    own = row(area, own=True)
    if own.conferences or own.received:
        rows.insert(0, own)
    rows.extend(row(unit, predecessor=True) for unit in predecessors)
    return rows


def area_count(user: User, area: OrgUnit) -> int:
    """How many areas the detail sheet of the workbook lists (decides sync or background)."""
    return OrgUnit.objects.visible_to(user).areas().filter(path__startswith=area.path).count()


def area_detail_rows(
    user: User, area: OrgUnit, period: Period, today: date, meetings: list[dict] | None = None
) -> Iterator[AreaRow]:
    """Every area of the report (the subtree and the areas it replaced) that existed during the
    period or has records in it, in tree order, with the dialogues it hosts itself (not those
    of the areas below it), for the workbook's detail sheet: the rows add up to the total.
    `meetings`: the report's held_meetings() (else two queries), then the areas streamed in
    chunks."""
    paths = area.lineage_paths()
    if meetings is None:
        meetings = held_meetings(user, area, paths, period, today)
    by_area = _sum_meetings(meetings, "host_area_id", dialogues_only=True)
    with_records = set(by_area)
    existing = OrgUnit.objects.existed_during(period.start, period.end).values("pk")
    areas = (
        OrgUnit.objects.visible_to(user)
        .areas()
        .filter(_under("", paths))
        .filter(Q(pk__in=existing) | Q(pk__in=with_records))
        .select_related("parent")
        .order_by("path")
    )
    for unit in areas.iterator(chunk_size=1000):
        yield AreaRow(area=unit, **by_area.get(unit.pk, {}))


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
