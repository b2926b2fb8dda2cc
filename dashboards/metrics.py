"""The numbers of the dashboards and reports, defined once (see docs/DASHBOARDS.md).

Public API, kept stable because the reports (dashboards/reports.py) use it too:

- `Period(start, end)`: a closed date range; `Period.year_of(day)`, `Period.month_of(day)`.
- `conferences_in(user, area)`, `petitions_in(user, area)`, `assignments_in(user, area)`: the rows
  of an area and everything below it (area=None: the user's whole scope), always within
  `visible_to(user)`. An assignment belongs to the area of its lead agency.
- `conference_totals(user, area, period)` → held, scheduled, ad_hoc, participants of the dialogue
  conferences, and voter_meetings, voter_participants of the voter meetings (one query).
- `conferences_required(area_units, period)` → the number the ConferenceRequirement rules ask for;
  `conferences_counted(user, area, period)` → the held conferences those rules count.
- `opinion_conditions(today)` → {name: Q} for petitions; `opinion_totals(user, area, period, today)`
  → a dict with one count per name (three queries); `opinions_by(user, area, period, field)`
  and `opinion_breakdowns(user, area, period)` (the three fields in one query).
- `assignment_conditions(today)` → {name: Q}; `assignment_totals(...)`, `assignments_by_agency(...)`,
  `assignments_by_child_area(...)`.
- `review_rows(user, today)`, `review_by_agency(rows, today)`: the leader's overdue review.
- `monthly_trend(user, area, period, today)` → one row per month.

Every number is an aggregate computed in SQL (Count/Sum with `filter=`), one query per function,
never a Python loop over rows. The same conditions drive the list filters the numbers link to
(petitions.forms.PetitionFilter, conclusions.filters.AssignmentFilter,
dialogue.forms.ConferenceFilter), so a number always equals the count of its list.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, FloatField, Min, Q, QuerySet, Sum
from django.db.models.functions import Cast, Coalesce, Substr, TruncMonth

from accounts.models import PATH_SEGMENT_WIDTH, OrgUnit, User
from conclusions.filters import AGING_BUCKETS, DUE_SOON_DAYS, AssignmentFilter
from conclusions.models import Assignment
from dialogue.models import Conference
from dialogue.services import counted_by_requirement, requirements_in_force
from petitions.forms import PetitionFilter
from petitions.models import Petition

__all__ = [
    "AGING_BUCKETS",
    "DUE_SOON_DAYS",
    "OPINION_NAMES",
    "Period",
    "assignment_conditions",
    "assignment_totals",
    "assignments_by_agency",
    "assignments_by_child_area",
    "assignments_in",
    "conference_requirement",
    "conference_totals",
    "conferences_counted",
    "conferences_in",
    "conferences_required",
    "held_condition",
    "monthly_trend",
    "opinion_breakdowns",
    "opinion_conditions",
    "opinion_totals",
    "opinions_by",
    "petitions_in",
    "review_by_agency",
    "review_rows",
    "review_summary",
    "review_totals",
    "sees_area",
    "whole_tree",
    "with_agency_details",
]


@dataclass(frozen=True)
class Period:
    """A closed range of days [start, end]."""

    start: date
    end: date

    @classmethod
    def year_of(cls, day: date) -> Period:
        return cls(date(day.year, 1, 1), date(day.year, 12, 31))

    @classmethod
    def month_of(cls, day: date) -> Period:
        last = calendar.monthrange(day.year, day.month)[1]
        return cls(date(day.year, day.month, 1), date(day.year, day.month, last))

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def years(self) -> Decimal:
        """The period in years, for prorating yearly requirements: its days over 365 (a whole
        leap year counts 366/365, which rounds away)."""
        return Decimal(self.days) / Decimal(365)

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        first, months = date(self.start.year, self.start.month, 1), []
        while first <= self.end:
            months.append(first)
            first = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        return months


# --- scope -------------------------------------------------------------------------------


def whole_tree(user: User, area: OrgUnit) -> bool:
    """The area is the only top of the tree (the national unit) and the user works in it
    (`User.sees_everything` with one scope path): its subtree is every row, so its rows need
    no condition — a prefix test on the path of every row's unit is a join to every unit."""
    return (
        area.parent_id is None
        and not user.is_superuser
        and len(user.scope_paths) == 1
        and user.sees_everything
    )


def conferences_in(user: User, area: OrgUnit | None) -> QuerySet:
    rows = Conference.objects.visible_to(user)
    return rows.filter(host_area__path__startswith=area.path) if area and not whole_tree(user, area) else rows


def petitions_in(user: User, area: OrgUnit | None) -> QuerySet:
    rows = Petition.objects.visible_to(user)
    return rows.filter(area__path__startswith=area.path) if area and not whole_tree(user, area) else rows


def assignments_in(user: User, area: OrgUnit | None) -> QuerySet:
    """Assignments whose lead agency lies in the area. For an area in the user's scope this is
    a subset of `visible_to` (an agency sees what it is given), so only the indexed subtree
    filter is applied; area=None is the whole scope, through `visible_to`."""
    if area is None or whole_tree(user, area):
        return Assignment.objects.visible_to(user)
    if not sees_area(user, area):
        return Assignment.objects.none()
    return Assignment.objects.filter(lead_agency__path__startswith=area.path)


def sees_area(user: User, area: OrgUnit) -> bool:
    """OrgUnit.objects.visible_to(user) contains `area`, decided without a query: the same
    path-prefix rule on the user's (cached) scope paths."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or any(area.path.startswith(path) for path in user.scope_paths)


# --- conferences ---------------------------------------------------------------------------


def held_condition(period: Period, prefix: str = "") -> Q:
    """Held in the period: a held status and the day it was held within the period."""
    return Q(
        **{
            f"{prefix}status__in": Conference.HELD_STATUSES,
            f"{prefix}held_on__gte": period.start,
            f"{prefix}held_on__lte": period.end,
        }
    )


def conference_totals(user: User, area: OrgUnit | None, period: Period) -> dict[str, int]:
    """Dialogue conferences: held, scheduled, ad_hoc (held ones by kind) and participants
    (their sum); voter meetings apart: voter_meetings and voter_participants. One query, over
    the held ones only (the index on status and day held)."""
    dialogue = Q(meeting_type=Conference.MeetingType.DIALOGUE)
    voters = Q(meeting_type=Conference.MeetingType.VOTER_MEETING)
    return (
        conferences_in(user, area)
        .filter(held_condition(period))
        .aggregate(
            held=Count("pk", filter=dialogue),
            scheduled=Count("pk", filter=dialogue & Q(kind=Conference.Kind.SCHEDULED)),
            ad_hoc=Count("pk", filter=dialogue & Q(kind=Conference.Kind.AD_HOC)),
            participants=Coalesce(Sum("participant_count", filter=dialogue), 0),
            voter_meetings=Count("pk", filter=voters),
            voter_participants=Coalesce(Sum("participant_count", filter=voters), 0),
        )
    )


def conference_requirement(user: User, area: OrgUnit | None, period: Period) -> dict[str, int]:
    """`required` (conferences_required) and `counted` (conferences_counted), reading the rules
    once: three queries."""
    requirements = requirements_in_force(period.start, period.end)
    return {
        "required": conferences_required(user, area, period, requirements),
        "counted": conferences_counted(user, area, period, requirements),
    }


def conferences_counted(user: User, area: OrgUnit | None, period: Period, requirements=None) -> int:
    """The held conferences that the yearly requirement counts (scheduled dialogues of the bases
    the rules in force during the period name: QĐ 2200, not ad hoc meetings), to set beside
    `conferences_required`. One count over the held ones (and one for the rules if not given)."""
    if requirements is None:
        requirements = requirements_in_force(period.start, period.end)
    if not requirements:
        return 0
    return (
        conferences_in(user, area)
        .filter(held_condition(period), counted_by_requirement(requirements))
        .count()
    )


def conferences_required(user: User, area: OrgUnit | None, period: Period, requirements=None) -> int:
    """What the ConferenceRequirement rules ask of the areas (the chosen one and every area below
    it, within the user's scope) that existed during the period: per_year × the period in
    years (days / 365), summed and rounded half up. A quarter asks a ward needing one a year
    for 0.25 conference; four such wards make one. The rules in force during the period (the
    latest version of each); two queries (the rules, the areas by kind)."""
    if requirements is None:
        requirements = requirements_in_force(period.start, period.end)
    rules = {kind: rule.per_year for kind, rule in requirements.items()}
    if not rules:
        return 0
    areas = OrgUnit.objects.visible_to(user).filter(kind__in=rules.keys())
    if area is not None:
        areas = areas.filter(path__startswith=area.path)
    areas = areas.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
    )
    per_year = sum(rules[row["kind"]] * row["n"] for row in areas.values("kind").annotate(n=Count("pk")))
    return int((per_year * period.years).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- opinions ------------------------------------------------------------------------------

# The names of opinion_conditions(), in the order the dashboard shows them.
OPINION_NAMES = (
    "received",
    "merged",
    "answered",
    "transferred",
    "rejected",
    "resolved",
    "resolved_on_time",
    "resolved_late",
    "open",
    "overdue",
)


def opinion_conditions(today: date) -> dict[str, Q]:
    """Conditions on Petition, one per number (the petition list's `state` filter uses the same):

    - received: not merged as a duplicate (outcome != duplicate); merged: outcome = duplicate;
    - answered (at the conference), transferred, rejected: that outcome;
    - resolved: answered at the conference, or `resolved_on` set (every assignment accepted);
    - resolved_on_time: answered at the conference, or resolved_on ≤ the latest deadline of its
      assignments; resolved_late: resolved_on after every deadline;
    - open: Petition.open_condition(); overdue: open, and one of its open assignments
      (Assignment.objects.open()) has a deadline before today.
    """
    return PetitionFilter.state_conditions(today)


def _received_in(user: User, area: OrgUnit | None, period: Period) -> QuerySet:
    return petitions_in(user, area).filter(received_on__gte=period.start, received_on__lte=period.end)


def opinion_totals(user: User, area: OrgUnit | None, period: Period, today: date) -> dict[str, int]:
    """Every opinion number for the opinions received in the period, in three queries: one
    aggregate for the conditions on the petition's own columns, and one count each for the two
    conditions that look at its assignments (overdue; resolved late), where the EXISTS stands
    in WHERE and PostgreSQL makes it one (anti-)semi-join instead of a subquery per row.
    Resolved on time = answered at the conference + resolved by assignments − resolved late."""
    conditions = opinion_conditions(today)
    received = _received_in(user, area, period)
    answered = conditions["answered"]
    by_assignments = Q(resolved_on__isnull=False) & ~answered
    plain = ("received", "merged", "answered", "transferred", "rejected", "resolved", "open")
    totals = received.aggregate(
        **{name: Count("pk", filter=conditions[name]) for name in plain},
        by_assignments=Count("pk", filter=by_assignments),
    )
    totals["resolved_late"] = received.filter(conditions["resolved_late"]).count()  # an anti-join
    totals["overdue"] = received.filter(conditions["overdue"]).count()
    totals["resolved_on_time"] = totals["answered"] + totals.pop("by_assignments") - totals["resolved_late"]
    return {name: totals[name] for name in OPINION_NAMES}


def opinions_by(user: User, area: OrgUnit | None, period: Period, field: str) -> list[dict]:
    """Opinions received in the period (merged duplicates left out) by `field` ("category",
    "kind", "channel"): [{"value", "count"}, plus "label" for a category], largest first.
    One query."""
    names = {"value": F(field), **({"label": F("category__name")} if field == "category" else {})}
    rows = (
        _received_in(user, area, period)
        .exclude(outcome=Petition.Outcome.DUPLICATE)
        .values(**names)
        .annotate(count=Count("pk"))
        .order_by("-count", "value")
    )
    return list(rows)


BREAKDOWN_FIELDS = ("category", "kind", "channel")


def opinion_breakdowns(user: User, area: OrgUnit | None, period: Period) -> dict[str, list[dict]]:
    """opinions_by() for category, kind and channel at once: one scan grouped by the three
    fields together (at most categories × kinds × channels small rows), summed per field."""
    rows = (
        _received_in(user, area, period)
        .exclude(outcome=Petition.Outcome.DUPLICATE)
        .values("category", "category__name", "kind", "channel")
        .annotate(count=Count("pk"))
        .order_by()
    )
    sums: dict[str, dict] = {field: {} for field in BREAKDOWN_FIELDS}
    for row in rows:
        for field in BREAKDOWN_FIELDS:
            entry = sums[field].setdefault(row[field], {"value": row[field], "count": 0})
            entry["count"] += row["count"]
            if field == "category":
                entry["label"] = row["category__name"]
    return {
        field: sorted(entries.values(), key=lambda entry: (-entry["count"], str(entry["value"])))
        for field, entries in sums.items()
    }


# --- assignments ---------------------------------------------------------------------------


def assignment_conditions(today: date) -> dict[str, Q]:
    """Conditions on an open assignment (Assignment.objects.open()), one per number:
    overdue (deadline < today), due_soon (today ≤ deadline ≤ today + 7 days) and the aging
    buckets of overdue ones: overdue_1_7, overdue_8_30, overdue_over_30 (days overdue =
    today − deadline, calendar days, as Assignment.days_overdue)."""
    return AssignmentFilter.show_conditions(today)


# Two views of a period's assignments (issue 19): the work that arose in it (from conferences
# held in it: what a monitor reviewing the period expects, the dashboard's default) or the work
# that fell due in it. The reports keep the second (their tables are "due in the period").
ARISING = "arising"
DUE = "due"
WORK_BASES = (ARISING, DUE)


def _in_period(rows: QuerySet, period: Period | None, basis: str = DUE) -> QuerySet:
    if period is None:
        return rows
    if basis == ARISING:
        return rows.arising_in(period.start, period.end)
    return rows.filter(deadline__gte=period.start, deadline__lte=period.end)


def _assignment_counts(today: date) -> dict:
    """Aggregates over a queryset of assignments already restricted to open ones."""
    conditions = assignment_conditions(today)
    counts = {name: Count("pk", filter=conditions[name]) for name in conditions}
    counts["open"] = Count("pk")
    counts["oldest_deadline"] = Min("deadline", filter=conditions["overdue"])
    return counts


def assignment_totals(
    user: User, area: OrgUnit | None, period: Period | None, today: date, basis: str = DUE
) -> dict:
    """Open assignments of the area due in the period (or, basis ARISING, that arose in it):
    open, overdue, due_soon, the aging buckets, the oldest overdue deadline. One query."""
    rows = _in_period(assignments_in(user, area), period, basis)
    return rows.open().aggregate(**_assignment_counts(today))


def _ranking(rows: QuerySet, keys: list[str], today: date, limit: int | None = None) -> list[dict]:
    """Follow-up per group (`keys`): open, overdue, accepted and the overdue share =
    overdue / (open + accepted): of the work due, the part that is late and still not done.
    Weakest (largest share) first, sorted and limited in SQL. One GROUP BY over the open
    assignments together with the accepted ones."""
    accepted = Q(status=Assignment.Status.ACCEPTED)
    overdue = assignment_conditions(today)["overdue"]
    ranked = (
        rows.open_or_accepted()
        .values(*keys)
        .annotate(
            open=Count("pk", filter=~accepted),
            overdue=Count("pk", filter=~accepted & overdue),
            accepted=Count("pk", filter=accepted),
        )
        .annotate(share=Cast("overdue", FloatField()) / Cast(F("open") + F("accepted"), FloatField()))
        .order_by("-share", "-overdue", "-open", *keys)
    )
    return list(ranked[:limit] if limit else ranked)


def assignments_by_agency(
    user: User,
    area: OrgUnit | None,
    period: Period | None,
    today: date,
    limit: int | None = None,
    basis: str = DUE,
) -> list[dict]:
    """By lead agency (keys lead_agency, lead_agency__name, lead_agency__area__name): open,
    overdue, accepted, share; weakest first, at most `limit` rows. Two or three queries: the
    ranking groups by the agency's id alone, read from the covering index (the whole country
    has tens of thousands of agencies: joining their names to every assignment first doubled
    its time), then the names of the agencies shown."""
    rows = _in_period(assignments_in(user, area), period, basis)
    ranked = None
    if limit:
        # Agencies with nothing overdue have a share of 0 and rank after every agency with
        # something overdue: when those fill the ranking, only their assignments need
        # counting (11,000 of 40,000 agencies over 18 months of the whole country: 200 → 130
        # ms). Otherwise the whole ranking, as before.
        late = rows.open().filter(assignment_conditions(today)["overdue"]).values("lead_agency")
        ranked = _ranking(rows.filter(lead_agency__in=late), ["lead_agency"], today, limit)
        if len(ranked) < limit:
            ranked = None
    if ranked is None:
        ranked = _ranking(rows, ["lead_agency"], today, limit)
    return with_agency_details(ranked)


def with_agency_details(ranked: list[dict]) -> list[dict]:
    """Add to each row of a ranking by agency its name and its area's (lead_agency__name,
    lead_agency__area__name): one query, for the rows shown."""
    names = {
        unit["pk"]: unit
        for unit in OrgUnit.objects.filter(pk__in=[row["lead_agency"] for row in ranked]).values(
            "pk", "name", "area__name"
        )
    }
    for row in ranked:
        unit = names.get(row["lead_agency"], {})
        row["lead_agency__name"], row["lead_agency__area__name"] = (
            unit.get("name", ""),
            unit.get("area__name"),
        )
    return ranked


def assignments_by_child_area(
    user: User, area: OrgUnit | None, period: Period | None, today: date, basis: str = DUE
) -> list[dict]:
    """By area one level below `area` (the lead agency's area lies in that child's subtree),
    plus a row (`own`: True) for the agencies of `area` itself. Weakest first. Two queries:
    one GROUP BY on the path prefix of the child level, one for the children."""
    # The whole scope is ranked by regional area (province, city: at OrgUnit.regional_depth).
    if area is not None:
        prefix_length = len(area.path) + PATH_SEGMENT_WIDTH + 1
    else:
        prefix_length = (OrgUnit.regional_depth() + 1) * (PATH_SEGMENT_WIDTH + 1)
    # Below the whole scope every agency lies under a regional area, so that segment of its
    # own path names it (one join fewer); below an area, the agency's area path is needed
    # to tell the area's own agencies (prefix = the area's path) from its children's.
    path = "lead_agency__area__path" if area else "lead_agency__path"
    rows = _in_period(assignments_in(user, area), period, basis).annotate(
        prefix=Substr(path, 1, prefix_length)
    )
    ranked = _ranking(rows, ["prefix"], today)
    units = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=[row["prefix"] for row in ranked])}
    result = []
    for row in ranked:
        own = area is not None and row["prefix"] == area.path
        unit = area if own else units.get(row["prefix"])
        if unit is not None:
            result.append({**row, "area": unit, "own": own})
    return result


def review_rows(user: User, today: date) -> QuerySet:
    """The leader's overdue review: open assignments of the user's scope (visible_to) that are
    overdue or due within DUE_SOON_DAYS."""
    due = Assignment.objects.open().filter(deadline__lte=today + timedelta(days=DUE_SOON_DAYS))
    # The scope's branches are narrowed to the open work due soon before they are gathered; a
    # scope of everything (a superuser's, the national unit's) is `due` itself.
    return due if user.sees_everything else Assignment.objects.visible_to(user, among=due)


def _review_counts(today: date) -> dict:
    conditions = assignment_conditions(today)
    names = ["overdue", "due_soon", *(name for name, _low, _high in AGING_BUCKETS)]
    return {name: Count("pk", filter=conditions[name]) for name in names}


def review_by_agency(rows: QuerySet, today: date, limit: int | None = None) -> list[dict]:
    """One GROUP BY over review rows: per lead agency (lead_agency, lead_agency__name) the
    counts overdue, due_soon and the aging buckets, and the oldest deadline; most overdue
    first (more items over 30 days, then 8–30, then 1–7, then due soon), sorted and limited in
    SQL (the whole country has tens of thousands of agencies)."""
    grouped = _review_groups(rows, today)
    return _with_agency_names(list(grouped[:limit] if limit else grouped))


def _review_groups(rows: QuerySet, today: date) -> QuerySet:
    return (
        rows.values("lead_agency")
        .annotate(**_review_counts(today), oldest=Min("deadline"))
        .order_by("-overdue_over_30", "-overdue_8_30", "-overdue_1_7", "-due_soon", "lead_agency")
    )


def _with_agency_names(groups: list[dict]) -> list[dict]:
    # The names of the agencies shown only, not joined into the grouping of all of them.
    names = dict(OrgUnit.objects.filter(pk__in=[g["lead_agency"] for g in groups]).values_list("pk", "name"))
    for group in groups:
        group["lead_agency__name"] = names.get(group["lead_agency"], "")
    return groups


def review_totals(rows: QuerySet, today: date) -> dict:
    """The same counts over every agency, and how many agencies: one aggregate."""
    return rows.aggregate(**_review_counts(today), agencies=Count("lead_agency", distinct=True))


def review_summary(user: User, rows: QuerySet, today: date, limit: int) -> tuple[list[dict], dict]:
    """review_by_agency(rows, today, limit) and review_totals(rows, today) at once. The rows of
    a scope are a UNION of four lookups (`review_rows`): gathered once, every agency's group
    is fetched (a province: a few hundred) and the totals summed from them, instead of
    gathering the UNION a second time for the aggregate (a province: 2 × 110 ms at load 8).
    The whole country's rows (`User.sees_everything`: the open-work index alone) have tens
    of thousands of agencies: grouped with a LIMIT and counted apart, as before."""
    if user.sees_everything:
        return review_by_agency(rows, today, limit=limit), review_totals(rows, today)
    groups = list(_review_groups(rows, today))
    names = ["overdue", "due_soon", *(name for name, _low, _high in AGING_BUCKETS)]
    totals = {name: sum(group[name] for group in groups) for name in names}
    totals["agencies"] = sum(1 for group in groups if group["lead_agency"] is not None)
    return _with_agency_names(groups[:limit]), totals


# --- trends --------------------------------------------------------------------------------


def monthly_trend(user: User, area: OrgUnit | None, period: Period, today: date) -> list[dict]:
    """One row per month of the period: conferences held and participants (by the day held),
    opinions received, answered at the conference and resolved (by the day received). Two
    queries."""
    held = (
        conferences_in(user, area)
        .dialogues()
        .filter(held_condition(period))
        .annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(held=Count("pk"), participants=Coalesce(Sum("participant_count"), 0))
    )
    conditions = opinion_conditions(today)
    opinions = (
        _received_in(user, area, period)
        .filter(conditions["received"])
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=conditions["answered"]),
            resolved=Count("pk", filter=conditions["resolved"]),
        )
    )
    by_month = {month: {"month": month} for month in period.months()}
    for row in [*held, *opinions]:
        month = row.pop("month")
        month = month.date() if hasattr(month, "date") else month
        by_month.setdefault(month, {"month": month}).update(row)
    empty = {"held": 0, "participants": 0, "received": 0, "answered": 0, "resolved": 0}
    return [{**empty, **by_month[month]} for month in sorted(by_month)]
