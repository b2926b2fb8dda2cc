"""Deadline reminders and escalation: one sweep a working day (Celery beat, or
`manage.py send_reminders`), every reminder sent exactly once. See docs/REMINDERS.md.

A sweep has two phases:

1. **Decide and claim**, in one transaction. Items sharing a reference date (an assignment's
   deadline, the day a conference was held) share their latest due rule per track
   (`ReminderRule.TRACKS`), so the distinct dates are read first and the due rules computed
   for them on a calendar loaded once. One query per kind of item then returns only the items
   whose latest due rule has no log row yet (or whose claim was released), page by page; the
   recipients are looked up in batches; and one `ReminderLog` row per (item, rule, deadline,
   occurrence, recipient) is inserted with ON CONFLICT DO NOTHING, marked with this sweep's id.
   The rows that carry the id afterwards are this sweep's to send: a concurrent sweep that
   computed the same keys inserted nothing.
2. **Deliver**, outside any long transaction: one digest email per recipient listing all of
   their items, and one in-app notification per item. A recipient whose mail fails gets their
   rows released (sweep id cleared), so the next sweep takes them over and tries again;
   other recipients are not affected.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, models, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Notification, User
from conclusions.models import Assignment, ReminderLog, ReminderRule
from core.calendar import WorkingCalendar
from dialogue.models import Conference
from petitions.models import Petition, Reopening

logger = logging.getLogger(__name__)

Kind = ReminderRule.Kind
Subject = ReminderLog.Subject

# A claim left unsent this long belongs to a sweep that died (worker killed, server restarted):
# the next sweep takes it over. Far longer than any sweep takes.
CLAIM_LEASE = timedelta(hours=1)
CHUNK_SIZE = 2000  # candidate items decided per batch of recipient lookups and inserts
ROWS_PER_PAGE = 5000  # log rows of one recipient read at a time while delivering
USERS_PER_QUERY = 500  # recipients delivered together (one batch of queries)
NOTIFICATIONS_PER_INSERT = 5000
MAX_ITEMS_IN_EMAIL = 100  # the rest are counted, and all of them are in-app notifications
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

# (code, name, kind, days, counts_working_days, repeat_every_days). The data migration loads
# these; admins change them afterwards. Transactional tests load them again with rules_ensure.
DEFAULT_RULES = [
    ("before-7", "Nhắc trước hạn 7 ngày làm việc", Kind.BEFORE, 7, True, None),
    ("before-3", "Nhắc trước hạn 3 ngày làm việc", Kind.BEFORE, 3, True, None),
    ("before-1", "Nhắc trước hạn 1 ngày làm việc", Kind.BEFORE, 1, True, None),
    ("on-day", "Nhắc đúng ngày đến hạn", Kind.ON_DAY, 0, True, None),
    ("overdue", "Quá hạn: ngày làm việc kế tiếp, sau đó hằng tuần", Kind.OVERDUE, 1, True, 7),
    (
        "escalate-leader",
        "Báo lãnh đạo nơi ban hành khi quá hạn hơn 5 ngày",
        Kind.ESCALATE_LEADER,
        5,
        False,
        None,
    ),
    ("escalate-monitor", "Báo MTTQ giám sát khi quá hạn hơn 15 ngày", Kind.ESCALATE_MONITOR, 15, False, None),
    (
        "conference-without-notice",
        "Hội nghị đã tổ chức 10 ngày chưa có thông báo kết luận",
        Kind.CONFERENCE_WITHOUT_NOTICE,
        10,
        False,
        None,
    ),
    (
        "petition-before-2",
        "Đơn thư: nhắc trước hạn thụ lý, giải quyết 2 ngày làm việc",
        Kind.PETITION_BEFORE,
        2,
        True,
        None,
    ),
    (
        "petition-overdue",
        "Đơn thư quá hạn: ngày làm việc kế tiếp, sau đó hằng tuần",
        Kind.PETITION_OVERDUE,
        1,
        True,
        7,
    ),
    (
        "reopening-unreviewed",
        "Ý kiến người dân báo chưa giải quyết, 5 ngày làm việc chưa được lãnh đạo xem xét; nhắc hằng tuần",
        Kind.REOPENING_UNREVIEWED,
        5,
        True,
        7,
    ),
    (
        "opinion-without-outcome",
        "Ý kiến chưa phân loại xử lý 10 ngày sau hội nghị",
        Kind.OPINION_WITHOUT_OUTCOME,
        10,
        False,
        None,
    ),
]


def rules_ensure(rule_model=ReminderRule) -> None:
    """Idempotent; takes the model class so a migration can pass its historical model."""
    for code, name, kind, days, working, repeat in DEFAULT_RULES:
        if rule_model.objects.filter(code=code).exists():
            continue  # an admin's version (or versions) of it
        rule_model.objects.create(
            code=code,
            name=name,
            kind=str(kind),
            days=days,
            counts_working_days=working,
            repeat_every_days=repeat,
        )


# --- results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedReminder:
    recipient: str
    email: str
    item: str
    rule: str


@dataclass
class SweepResult:
    today: date
    dry_run: bool
    sweep_id: uuid.UUID = field(default_factory=uuid.uuid4)
    claimed: int = 0  # log rows (item × rule × recipient) this sweep took on
    recipients: int = 0
    emails_sent: int = 0
    emails_failed: int = 0
    notifications: int = 0
    planned: list[PlannedReminder] = field(default_factory=list)  # filled by a dry run


# --- the calendar of one sweep ---------------------------------------------------------------


class SweepCalendar:
    """Working-day arithmetic over one calendar loaded once: `core.calendar.add_working_days`
    queries the overrides on every call, which a sweep over thousands of deadlines cannot do."""

    def __init__(self) -> None:
        # The override table holds a few dozen days a year: all of it is smaller than one page.
        self._calendar = WorkingCalendar.for_span(date.min, date.max)
        self._shifted: dict[tuple[date, int], date] = {}

    def is_working_day(self, day: date) -> bool:
        return self._calendar.is_working_day(day)

    def shift(self, day: date, n: int) -> date:
        """The n-th working day after `day` (before it when n < 0), as core.calendar counts."""
        key = (day, n)
        if key not in self._shifted:
            step = timedelta(days=1 if n >= 0 else -1)
            current, remaining = day, abs(n)
            while remaining:
                current += step
                if self._calendar.is_working_day(current):
                    remaining -= 1
            self._shifted[key] = current
        return self._shifted[key]

    def working_days_between(self, a: date, b: date) -> int:
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))


@dataclass(frozen=True)
class Due:
    rule: ReminderRule
    occurrence: int
    on: date


class Schedule:
    """The active rules by track, and the latest due rule of a track for a reference date."""

    def __init__(self, rules: Iterable[ReminderRule], today: date, calendar: SweepCalendar) -> None:
        self.today, self.calendar = today, calendar
        self.tracks: dict[str, list[ReminderRule]] = defaultdict(list)
        for rule in rules:
            self.tracks[rule.track].append(rule)
        self._latest: dict[tuple[str, date], Due | None] = {}

    def latest(self, track: str, reference: date) -> Due | None:
        key = (track, reference)
        if key not in self._latest:
            best = None
            for rule in self.tracks.get(track, []):
                found = rule.latest_due(reference, self.today, self.calendar.shift)
                if found is None:
                    continue
                due = Due(rule, *found)
                # Latest day first; on the same day the more urgent kind, then the nearer "before".
                rank = (due.on, ReminderRule.URGENCY[rule.kind], -rule.days)
                if best is None or rank > best[0]:
                    best = (rank, due)
            self._latest[key] = best[1] if best else None
        return self._latest[key]

    def before_horizon(self, track: str = "deadline") -> date:
        """The furthest deadline any "before" rule of the track can be due for today."""
        horizon = self.today
        for rule in self.tracks.get(track, []):
            if rule.kind in (Kind.BEFORE, Kind.PETITION_BEFORE):
                reach = (
                    self.calendar.shift(self.today, rule.days)
                    if rule.counts_working_days
                    else self.today + timedelta(days=rule.days)
                )
                horizon = max(horizon, reach)
        return horizon

    def earliest_reference(self, track: str) -> date | None:
        """References after this cannot be due yet for an "after" track (a superset: working
        days reach at least as far as calendar days)."""
        rules = self.tracks.get(track, [])
        if not rules:
            return None
        return self.today - timedelta(days=min(rule.days for rule in rules))


# --- who receives what -----------------------------------------------------------------------


class People:
    """Recipients by agency and by area, looked up in batches and kept for the sweep (users
    are few next to the items, so this stays small)."""

    def __init__(self) -> None:
        self.handlers: dict[int, list[int]] = {}
        self.by_area: dict[int, dict[str, list[int]]] = {}

    def load(self, agencies: set[int], areas: set[int]) -> None:
        agencies = {pk for pk in agencies if pk is not None} - self.handlers.keys()
        if agencies:
            for pk in agencies:
                self.handlers[pk] = []
            rows = User.objects.filter(is_active=True, is_handler=True, agency_id__in=agencies)
            for user_id, agency_id in rows.order_by("pk").values_list("pk", "agency_id"):
                self.handlers[agency_id].append(user_id)
        areas = {pk for pk in areas if pk is not None} - self.by_area.keys()
        if areas:
            for pk in areas:
                self.by_area[pk] = {"clerk": [], "leader": [], "monitor": []}
            rows = User.objects.filter(is_active=True, agency__area_id__in=areas).filter(
                Q(is_clerk=True) | Q(is_leader=True) | Q(is_monitor=True)
            )
            for user_id, area_id, *roles in rows.order_by("pk").values_list(
                "pk", "agency__area_id", "is_clerk", "is_leader", "is_monitor"
            ):
                for role, holds in zip(("clerk", "leader", "monitor"), roles, strict=True):
                    if holds:
                        self.by_area[area_id][role].append(user_id)

    def of_agencies(self, agencies: Iterable[int]) -> list[int]:
        return [user for agency in agencies for user in self.handlers.get(agency, [])]

    def of_area(self, area: int, *roles: str) -> list[int]:
        found = self.by_area.get(area, {})
        return [user for role in roles for user in found.get(role, [])]


# --- phase 1: decide and claim ---------------------------------------------------------------


@dataclass
class Candidate:
    pk: int
    reference: date
    has_released: bool
    extra: tuple  # per subject: what the recipients need


@dataclass(frozen=True)
class Source:
    """One kind of item the sweep looks at."""

    subject: str
    tracks: tuple[str, ...]
    reference_field: str
    extra_fields: tuple[str, ...]

    def due_keys(self, queryset, schedule: Schedule) -> dict[str, list[dict]]:
        """The (rule, occurrence) of the latest due rule of each track, by reference date
        ("2026-11-23"), for every distinct reference date of the items: items sharing a date
        share what is due, so this is worked out for the (few thousand) dates, not for the
        (million) items. Dates with nothing due are left out."""
        tracks = [track for track in self.tracks if schedule.tracks.get(track)]
        keys_by_day = {}
        for reference in queryset.order_by().values_list(self.reference_field, flat=True).distinct():
            dues = [schedule.latest(track, reference) for track in tracks]
            keys = [{"rule": due.rule.pk, "occurrence": due.occurrence} for due in dues if due is not None]
            if keys:
                keys_by_day[reference.isoformat()] = keys
        return keys_by_day

    def candidates(self, queryset, schedule: Schedule, lease_cutoff) -> Iterator[list[Candidate]]:
        """The items with something to send, decided in SQL, in pages by primary key.

        An item is pending when one of its due keys has no log row yet, or when a claim of it
        was released (failed mail) or abandoned (dead sweep). Each item looks its date's due
        keys up in a JSON object (a binary search, whatever the number of dates) and checks
        each against the sent-log's unique index; items that are done for today never leave
        the database.

        The pages are fixed ranges of CHUNK_SIZE items, cut by one pass over the primary keys
        before the first. A LIMIT instead lets PostgreSQL decide every pending item left and
        sort them to keep the first page: quadratic (a first sweep over five years of history
        took three minutes). Each page is a fresh query on purpose: a cursor held open while
        this sweep inserts its claims would keep the plan made for the log as it was at the
        start."""
        due = self.due_keys(queryset, schedule)
        if not due:
            return
        if not uses_set_sql():
            yield from self._candidates_page_by_page(queryset, due, lease_cutoff)
            return
        columns = ("pk", self.reference_field, *self.extra_fields)
        inner, inner_params = queryset.order_by().values_list(*columns).query.sql_with_params()
        extras = [f"x{index}" for index in range(len(self.extra_fields))]
        log = connection.ops.quote_name(ReminderLog._meta.db_table)
        released = (
            f"EXISTS (SELECT 1 FROM {log} r WHERE r.subject_type = %s AND r.object_id = c.pk "
            "AND r.sent_at IS NULL AND (r.sweep_id IS NULL OR r.claimed_at < %s))"
        )
        sql = f"""
            SELECT c.pk, c.reference, {released} AS has_released, {", ".join(f"c.{x}" for x in extras)}
            FROM ({inner}) AS c (pk, reference, {", ".join(extras)})
            WHERE c.pk > %s AND c.pk <= %s AND (
                EXISTS (
                    SELECT 1
                    FROM jsonb_to_recordset(%s::jsonb -> to_char(c.reference, 'YYYY-MM-DD'))
                        AS due (rule bigint, occurrence int)
                    WHERE NOT EXISTS (
                        SELECT 1 FROM {log} l WHERE l.subject_type = %s AND l.object_id = c.pk
                        AND l.deadline = c.reference AND l.rule_id = due.rule AND l.occurrence = due.occurrence
                    )
                )
                OR {released}
            )
            ORDER BY c.pk
        """
        due_json = json.dumps(due)
        for after, upto in _pk_ranges(queryset):
            params = [
                self.subject,
                lease_cutoff,
                *inner_params,
                after,
                upto,
                due_json,
                self.subject,
                self.subject,
                lease_cutoff,
            ]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                page = cursor.fetchall()
            if page:
                yield [
                    Candidate(pk, reference, released, tuple(extra))
                    for pk, reference, released, *extra in page
                ]

    def _candidates_page_by_page(self, queryset, due, lease_cutoff) -> Iterator[list[Candidate]]:
        """The same decision for databases without JSON operators in SQL (SQLite, as `make run`
        uses): the items in pages, each page's log keys read in one query and compared in
        Python."""
        columns = ("pk", self.reference_field, *self.extra_fields)
        after = 0
        while True:
            page = list(queryset.filter(pk__gt=after).order_by("pk").values_list(*columns)[:CHUNK_SIZE])
            if not page:
                return
            ids = [row[0] for row in page]
            log = ReminderLog.objects.filter(subject_type=self.subject, object_id__in=ids)
            logged = set(log.values_list("object_id", "deadline", "rule_id", "occurrence"))
            released = set(
                log.filter(sent_at__isnull=True)
                .filter(Q(sweep_id__isnull=True) | Q(claimed_at__lt=lease_cutoff))
                .values_list("object_id", flat=True)
            )
            pending = [
                Candidate(pk, reference, pk in released, tuple(extra))
                for pk, reference, *extra in page
                if pk in released
                or any(
                    (pk, reference, key["rule"], key["occurrence"]) not in logged
                    for key in due.get(reference.isoformat(), ())
                )
            ]
            if pending:
                yield pending
            after = page[-1][0]
            if len(page) < CHUNK_SIZE:
                return


def _pk_ranges(queryset) -> Iterator[tuple[int, int]]:
    """(after, upto] ranges of the primary keys of the items, CHUNK_SIZE items in each, cut in
    one pass over them; the last range is open, so items added meanwhile are still seen."""
    inner, params = queryset.order_by().values_list("pk").query.sql_with_params()
    sql = f"""
        SELECT pk FROM (
            SELECT q.pk, row_number() OVER (ORDER BY q.pk) AS n FROM ({inner}) AS q (pk)
        ) AS numbered
        WHERE n %% {int(CHUNK_SIZE)} = 0
        ORDER BY pk
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        bounds = [pk for (pk,) in cursor.fetchall()]
    after = 0
    for upto in bounds:
        yield after, upto
        after = upto
    yield after, LAST_PK


LAST_PK = 2**63 - 1  # the largest bigint: the upper end of the last page


def uses_set_sql() -> bool:
    """PostgreSQL decides in one statement per page (JSON lookups); others page by page."""
    return connection.vendor == "postgresql"


ASSIGNMENTS = Source(
    Subject.ASSIGNMENT,
    ("deadline", "leader", "monitor"),
    "deadline",
    ("area_id", "lead_agency_id", "responsible_person_id", "responsible_person__is_active"),
)
CONFERENCES = Source(Subject.CONFERENCE, ("conference",), "held_on", ("host_area_id",))
PETITIONS = Source(Subject.PETITION, ("opinion",), "conference__held_on", ("area_id",))
# The statutory deadlines of written petitions (petitions.deadlines): acceptance (thụ lý)
# of a letter, and resolution of an accepted one not yet given to an agency (once assigned,
# the assignment's own reminders take over).
PETITION_ACCEPTANCE = Source(
    Subject.PETITION_DEADLINE, ("petition_deadline",), "acceptance_deadline", ("area_id",)
)
# Opinions reopened by a citizen's "not resolved", waiting for the leader's decision.
REOPENINGS = Source(Subject.REOPENING, ("reopening",), "opened_on", ("petition__area_id",))
PETITION_RESOLUTION = Source(
    Subject.PETITION_DEADLINE, ("petition_deadline",), "resolution_deadline", ("area_id",)
)


def _assignment_candidates(schedule: Schedule):
    # Reported done: the work is with the issuer now, nothing for the handler to chase.
    return (
        Assignment.objects.open()
        .exclude(status=Assignment.Status.REPORTED_DONE)
        .filter(deadline__isnull=False, deadline__lte=schedule.before_horizon())
    )


def _conference_candidates(schedule: Schedule):
    cutoff = schedule.earliest_reference("conference")
    # A held conference whose notice is issued is "concluded": HELD means no issued notice yet.
    return Conference.objects.filter(
        status=Conference.Status.HELD, held_on__isnull=False, held_on__lte=cutoff
    )


def _petition_candidates(schedule: Schedule):
    cutoff = schedule.earliest_reference("opinion")
    return Petition.objects.filter(
        outcome=Petition.Outcome.PENDING,
        conference__status__in=Conference.HELD_STATUSES,
        conference__held_on__isnull=False,
        conference__held_on__lte=cutoff,
    )


def _acceptance_candidates(schedule: Schedule):
    return Petition.objects.filter(
        acceptance_deadline__isnull=False,
        acceptance_deadline__lte=schedule.before_horizon("petition_deadline"),
        accepted_on__isnull=True,
        outcome=Petition.Outcome.PENDING,
    )


def _resolution_candidates(schedule: Schedule):
    return Petition.objects.filter(
        resolution_deadline__isnull=False,
        resolution_deadline__lte=schedule.before_horizon("petition_deadline"),
        accepted_on__isnull=False,
        resolved_on__isnull=True,
        outcome=Petition.Outcome.IN_AUTHORITY,
        assignments__isnull=True,
    )


def _reopening_candidates(schedule: Schedule):
    cutoff = schedule.earliest_reference("reopening")
    return Reopening.objects.filter(status=Reopening.Status.PENDING, opened_on__lte=cutoff)


def _due_keys(candidate: Candidate, source: Source, schedule: Schedule) -> list[Due]:
    """The latest due rule of each track of a pending item. Keys already logged (the item was
    pending for another track) are skipped by the insert itself."""
    dues = [
        schedule.latest(track, candidate.reference) for track in source.tracks if schedule.tracks.get(track)
    ]
    return [due for due in dues if due is not None]


def _recipients(source: Source, candidate: Candidate, due: Due, people: People, coordinating) -> set[int]:
    kind = due.rule.kind
    if source.subject == Subject.ASSIGNMENT:
        area, lead, responsible, responsible_active = candidate.extra
        if kind == Kind.ESCALATE_LEADER:
            return set(people.of_area(area, "leader"))
        if kind == Kind.ESCALATE_MONITOR:
            return set(people.of_area(area, "monitor"))
        users = set(people.of_agencies([lead]))
        if responsible is not None and responsible_active:
            users.add(responsible)
        if kind in (Kind.ON_DAY, Kind.OVERDUE):
            users.update(people.of_agencies(coordinating.get(candidate.pk, ())))
        return users
    (area,) = candidate.extra
    if source.subject in (Subject.CONFERENCE, Subject.PETITION_DEADLINE, Subject.REOPENING):
        return set(people.of_area(area, "clerk", "leader"))
    return set(people.of_area(area, "clerk"))


def _claim_chunk(
    source: Source, chunk: list[Candidate], schedule: Schedule, people: People, sweep_id, now, lease_cutoff
) -> None:
    planned = [(candidate, _due_keys(candidate, source, schedule)) for candidate in chunk]
    planned = [(candidate, dues) for candidate, dues in planned if dues]
    if not planned:
        return
    coordinating: dict[int, list[int]] = defaultdict(list)
    agencies: set[int] = set()
    areas: set[int] = set()
    if source.subject == Subject.ASSIGNMENT:
        needs_coordinating = [
            candidate.pk
            for candidate, dues in planned
            if any(due.rule.kind in (Kind.ON_DAY, Kind.OVERDUE) for due in dues)
        ]
        if needs_coordinating:
            through = Assignment.coordinating_agencies.through.objects.filter(
                assignment_id__in=needs_coordinating
            )
            for assignment_id, agency_id in through.values_list("assignment_id", "orgunit_id"):
                coordinating[assignment_id].append(agency_id)
                agencies.add(agency_id)
        for candidate, _dues in planned:
            areas.add(candidate.extra[0])
            agencies.add(candidate.extra[1])
    else:
        areas.update(candidate.extra[0] for candidate, _dues in planned)
    people.load(agencies, areas)

    keys: dict[tuple, ReminderLog] = {}
    for candidate, dues in planned:
        for due in dues:
            for recipient in _recipients(source, candidate, due, people, coordinating):
                key = (candidate.pk, candidate.reference, due.rule.pk, due.occurrence, recipient)
                keys[key] = ReminderLog(
                    subject_type=source.subject,
                    object_id=candidate.pk,
                    deadline=candidate.reference,
                    rule_id=due.rule.pk,
                    occurrence=due.occurrence,
                    recipient_id=recipient,
                    due_on=due.on,
                    sweep_id=sweep_id,
                    claimed_at=now,
                )
    _take_over_released(
        source, [c.pk for c, _d in planned if c.has_released], keys, sweep_id, now, lease_cutoff
    )
    # Sorted, so that concurrent sweeps insert the same keys in the same order (no deadlock).
    rows = [keys[key] for key in sorted(keys)]
    ReminderLog.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def _take_over_released(source: Source, item_ids: list[int], keys: dict, sweep_id, now, lease_cutoff) -> None:
    """Claims released by a failed mail (or left by a dead sweep) are this sweep's again if
    they are still what is due; superseded ones (a later rule is due now, the deadline moved)
    are dropped, so a retry never sends a stale reminder."""
    if not item_ids:
        return
    waiting = (
        ReminderLog.objects.select_for_update()
        .filter(subject_type=source.subject, object_id__in=item_ids, sent_at__isnull=True)
        .filter(Q(sweep_id__isnull=True) | Q(claimed_at__lt=lease_cutoff))
    )
    mine, superseded = [], []
    for pk, *key in waiting.values_list(
        "pk", "object_id", "deadline", "rule_id", "occurrence", "recipient_id"
    ):
        (mine if tuple(key) in keys else superseded).append(pk)
    if mine:
        ReminderLog.objects.filter(pk__in=mine).update(sweep_id=sweep_id, claimed_at=now)
    if superseded:
        ReminderLog.objects.filter(pk__in=superseded).delete()


def _claim(schedule: Schedule, sweep_id: uuid.UUID) -> None:
    now = timezone.now()
    lease_cutoff = now - CLAIM_LEASE
    people = People()
    sources = [(ASSIGNMENTS, _assignment_candidates)]
    if schedule.tracks.get("conference"):
        sources.append((CONFERENCES, _conference_candidates))
    if schedule.tracks.get("opinion"):
        sources.append((PETITIONS, _petition_candidates))
    if schedule.tracks.get("petition_deadline"):
        sources += [
            (PETITION_ACCEPTANCE, _acceptance_candidates),
            (PETITION_RESOLUTION, _resolution_candidates),
        ]
    if schedule.tracks.get("reopening"):
        sources.append((REOPENINGS, _reopening_candidates))
    for source, candidates_of in sources:
        if not any(schedule.tracks.get(track) for track in source.tracks):
            continue
        for page in source.candidates(candidates_of(schedule), schedule, lease_cutoff):
            _claim_chunk(source, page, schedule, people, sweep_id, now, lease_cutoff)


# --- phase 2: deliver ------------------------------------------------------------------------

GROUPS = [
    ("overdue", "Quá hạn"),
    ("today", "Đến hạn hôm nay"),
    ("soon", "Sắp đến hạn"),
    ("follow_up", "Cần nhắc"),
]
GROUP_LABELS = dict(GROUPS)


@dataclass
class DigestItem:
    group: str
    title: str
    detail: str
    path: str
    url: str = ""

    @property
    def notification_text(self) -> str:
        return f"{GROUP_LABELS[self.group]}: {self.title} — {self.detail}"


def site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", DEFAULT_SITE_URL).rstrip("/") + path


_PK_MARK = 987654321


@lru_cache(maxsize=8)
def _path_pattern(name: str) -> str:
    return reverse(name, args=[_PK_MARK])


def _path(name: str, pk: int) -> str:
    """reverse() once per page name, not once per item of a large sweep."""
    return _path_pattern(name).replace(str(_PK_MARK), str(pk))


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _assignment_item(row: dict, info: dict, schedule: Schedule, rule: ReminderRule) -> DigestItem:
    deadline, today = row["deadline"], schedule.today
    if deadline < today:
        group, state = "overdue", f"quá hạn {(today - deadline).days} ngày"
    elif deadline == today:
        group, state = "today", "đến hạn hôm nay"
    else:
        group, state = "soon", f"còn {schedule.calendar.working_days_between(today, deadline)} ngày làm việc"
    # An assignment given for a written petition has no notice: its statutory basis says why.
    source = info["notice__number_label"] or info["deadline_basis"] or "Đơn, thư"
    detail = f"{source} · chủ trì: {info['lead_agency__name']} · hạn {deadline:%d/%m/%Y}, {state}"
    if rule.kind in (Kind.ESCALATE_LEADER, Kind.ESCALATE_MONITOR):
        audience = "lãnh đạo" if rule.kind == Kind.ESCALATE_LEADER else "giám sát"
        detail += f" · báo cáo {audience}: quá hạn hơn {rule.days} ngày"
    return DigestItem(group, _short(info["task"]), detail, _path("conclusions:assignment", info["pk"]))


def _conference_item(row: dict, info: dict, schedule: Schedule, rule: ReminderRule) -> DigestItem:
    held = row["deadline"]
    detail = f"tổ chức ngày {held:%d/%m/%Y}, đã {(schedule.today - held).days} ngày, chưa ban hành thông báo kết luận"
    return DigestItem("follow_up", _short(info["title"]), detail, _path("dialogue:detail", info["pk"]))


def _petition_item(row: dict, info: dict, schedule: Schedule, rule: ReminderRule) -> DigestItem:
    held = row["deadline"]
    title = f"Ý kiến #{info['position']}: {_short(info['content'], 150)}"
    detail = (
        f"{_short(info['conference__title'], 120)} ({held:%d/%m/%Y}): "
        f"{(schedule.today - held).days} ngày sau hội nghị chưa phân loại, xử lý"
    )
    return DigestItem("follow_up", title, detail, _path("petitions:detail", info["pk"]))


def _petition_deadline_item(row: dict, info: dict, schedule: Schedule, rule: ReminderRule) -> DigestItem:
    """A written petition near or past its statutory deadline. Never the petitioner's name:
    a digest may be forwarded, and a denouncer's identity stays on the case page."""
    deadline, today = row["deadline"], schedule.today
    step = (
        "thụ lý" if deadline == info["acceptance_deadline"] and info["accepted_on"] is None else "giải quyết"
    )
    if deadline < today:
        group, state = "overdue", f"quá hạn {(today - deadline).days} ngày"
    elif deadline == today:
        group, state = "today", "đến hạn hôm nay"
    else:
        group, state = "soon", f"còn {schedule.calendar.working_days_between(today, deadline)} ngày làm việc"
    title = f"Đơn {info['tracking_code']}: {_short(info['content'], 150)}"
    detail = f"hạn {step} {deadline:%d/%m/%Y}, {state}"
    return DigestItem(group, title, detail, _path("petitions:detail", info["pk"]))


def _reopening_item(row: dict, info: dict, schedule: Schedule, rule: ReminderRule) -> DigestItem:
    opened = row["deadline"]
    title = f"Ý kiến {info['petition__tracking_code']}: {_short(info['petition__content'], 150)}"
    detail = f"người dân báo chưa được giải quyết ngày {opened:%d/%m/%Y}, {(schedule.today - opened).days} ngày chưa được xem xét lại"
    return DigestItem("follow_up", title, detail, _path("conclusions:reopening", info["pk"]))


# What a digest shows of each kind of item: the fields read and the line made of them.
ITEM_SOURCES = {
    Subject.ASSIGNMENT: (
        Assignment,
        ("pk", "task", "notice__number_label", "deadline_basis", "lead_agency__name"),
        _assignment_item,
    ),
    Subject.CONFERENCE: (Conference, ("pk", "title"), _conference_item),
    Subject.PETITION: (Petition, ("pk", "position", "content", "conference__title"), _petition_item),
    Subject.PETITION_DEADLINE: (
        Petition,
        ("pk", "tracking_code", "content", "acceptance_deadline", "accepted_on"),
        _petition_deadline_item,
    ),
    Subject.REOPENING: (Reopening, ("pk", "petition__tracking_code", "petition__content"), _reopening_item),
}


def _load_subjects(rows: list[dict]) -> dict[tuple[str, int], dict]:
    """The items of a page of log rows: one query per kind of item."""
    ids: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        ids[row["subject_type"]].add(row["object_id"])
    found = {}
    for subject, pks in ids.items():
        model, names, _line = ITEM_SOURCES[subject]
        for info in model.objects.filter(pk__in=pks).values(*names):
            found[subject, info["pk"]] = info
    return found


class Mailer:
    """One SMTP connection for the digests of a sweep, opened again after a failure."""

    def __init__(self) -> None:
        self.connection = None

    def send(self, message: EmailMultiAlternatives) -> str:
        """Send; return "" or what went wrong."""
        try:
            if self.connection is None:
                self.connection = get_connection()
                self.connection.open()
            message.connection = self.connection
            message.send()
        except Exception as error:
            logger.warning("Reminder digest to %s not sent", message.to, exc_info=True)
            self.close()
            return f"{type(error).__name__}: {error}"[:255]
        return ""

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                logger.debug("Closing the mail connection failed", exc_info=True)
        self.connection = None


class Digest:
    """One recipient's mail: every item counted, the first MAX_ITEMS_IN_EMAIL listed in
    urgency order. Bounded whatever the number of items."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = defaultdict(int)
        self.listed: dict[str, list[DigestItem]] = defaultdict(list)

    def add(self, item: DigestItem) -> None:
        self.counts[item.group] += 1
        if len(self.listed[item.group]) < MAX_ITEMS_IN_EMAIL:
            item.url = site_url(item.path)
            self.listed[item.group].append(item)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def message(self, user: User, today: date) -> EmailMultiAlternatives:
        groups, room = [], MAX_ITEMS_IN_EMAIL
        for key, label in GROUPS:
            items = self.listed[key][:room]
            if items:
                groups.append({"key": key, "label": label, "count": self.counts[key], "items": items})
                room -= len(items)
        counts = ", ".join(f"{self.counts[key]} {label.lower()}" for key, label in GROUPS if self.counts[key])
        context = {
            "user": user,
            "today": today,
            "groups": groups,
            "total": self.total,
            "more": self.total - (MAX_ITEMS_IN_EMAIL - room),
            "notifications_url": site_url(reverse("accounts:notifications")),
            "site_url": site_url("/"),
        }
        subject = f"Nhắc việc ngày {today:%d/%m/%Y}: {counts}"
        with translation.override("vi"):
            text = render_to_string("conclusions/email/reminder_digest.txt", context)
            html = render_to_string("conclusions/email/reminder_digest.html", {**context, "subject": subject})
        message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
        message.attach_alternative(html, "text/html")
        return message


def _pages(rows) -> Iterator[list[dict]]:
    """Claimed rows of a batch of recipients, recipient by recipient and item by item (two
    rules of one item come together), in pages by keyset so that memory stays bounded
    however many items one person has."""
    after = None
    order = ("recipient_id", "subject_type", "object_id", "pk")
    while True:
        page = rows
        if after is not None:
            recipient, subject, object_id, pk = after
            page = page.filter(
                Q(recipient_id__gt=recipient)
                | Q(recipient_id=recipient, subject_type__gt=subject)
                | Q(recipient_id=recipient, subject_type=subject, object_id__gt=object_id)
                | Q(recipient_id=recipient, subject_type=subject, object_id=object_id, pk__gt=pk)
            )
        page = list(page.order_by(*order).values(*order, "rule_id", "deadline")[:ROWS_PER_PAGE])
        if page:
            yield page
            last = page[-1]
            after = tuple(last[name] for name in order)
        if len(page) < ROWS_PER_PAGE:
            return


def recipient_batches(sweep_id: uuid.UUID) -> list[list[int]]:
    """The people a sweep claimed reminders for, in delivery batches."""
    claimed = ReminderLog.objects.filter(sweep_id=sweep_id)
    ids = list(claimed.order_by("recipient_id").values_list("recipient_id", flat=True).distinct())
    return [ids[start : start + USERS_PER_QUERY] for start in range(0, len(ids), USERS_PER_QUERY)]


def _deliver(result: SweepResult, schedule: Schedule, rules: dict[int, ReminderRule]) -> None:
    """Recipients in batches: a batch costs a fixed handful of queries to read (its log rows
    by page, the items of each page), then each person a few statements around their one
    email (their lock, their notifications, their mark), so a sweep's queries grow with the
    people reminded, never with the items."""
    mailer = Mailer()
    try:
        for batch in recipient_batches(result.sweep_id):
            _deliver_batch(result, schedule, rules, User.objects.in_bulk(batch), mailer)
    finally:
        mailer.close()


def reminders_deliver(*, sweep_id: uuid.UUID, recipient_ids: list[int], today: date) -> SweepResult:
    """Deliver one batch of a sweep's claims (a Celery task per batch, see
    conclusions.tasks.reminders_send). Safe to run twice, and alongside another delivery of
    the same batch: only rows still claimed by this sweep and not yet sent are delivered, each
    person under their own lock, so a retried or resumed task sends nothing again and rows a
    later sweep took over are no longer this one's."""
    result = SweepResult(today=today, dry_run=False, sweep_id=sweep_id)
    rules = {rule.pk: rule for rule in ReminderRule.objects.all()}
    schedule = Schedule([], today, SweepCalendar())
    mailer = Mailer()
    try:
        _deliver_batch(result, schedule, rules, User.objects.in_bulk(recipient_ids), mailer)
    finally:
        mailer.close()
    return result


def reminders_resume(*, claimed_before=None) -> int:
    """Deliver what dead deliveries left claimed and unsent, without waiting for the claim's
    lease (an hour) or the broker's redelivery (its visibility timeout, an hour too). Run when
    a worker starts and every few minutes by the beat (`claimed_before` then spares the
    deliveries that may still be queued). Safe alongside a live delivery: each person is
    delivered under their lock, once. Returns the number of emails sent."""
    left = ReminderLog.objects.filter(sweep_id__isnull=False, sent_at__isnull=True)
    if claimed_before is not None:
        left = left.filter(claimed_at__lt=claimed_before)
    sweeps = left.values("sweep_id").annotate(day=models.Min("due_on")).order_by("sweep_id")
    sent = 0
    for sweep in sweeps:
        people = list(
            left.filter(sweep_id=sweep["sweep_id"])
            .order_by("recipient_id")
            .values_list("recipient_id", flat=True)
            .distinct()
        )
        for start in range(0, len(people), USERS_PER_QUERY):
            result = reminders_deliver(
                sweep_id=sweep["sweep_id"],
                recipient_ids=people[start : start + USERS_PER_QUERY],
                today=sweep["day"],
            )
            sent += result.emails_sent
    if sent:
        logger.info("Reminder delivery resumed: %d emails sent that a dead delivery had left", sent)
    return sent


def _deliver_batch(result: SweepResult, schedule: Schedule, rules, users: dict[int, User], mailer) -> None:
    """Each person on their own: their mail is sent and their rows marked sent in one short
    transaction of theirs. A worker killed mid-batch leaves the people before it marked and
    the people after it claimed: a rerun (the broker's redelivery, reminders_resume) sends to
    those after it only. One transaction for the batch would roll back the marks of everyone
    already mailed, and they would be mailed again."""
    rows = ReminderLog.objects.filter(
        sweep_id=result.sweep_id, recipient_id__in=list(users), sent_at__isnull=True
    )
    for recipient_id, digest, notifications in _digests(result, schedule, rules, rows, users):
        if result.dry_run:
            result.recipients += 1
            continue
        _deliver_one(result, rows, users[recipient_id], digest, notifications, mailer)


def _deliver_one(result: SweepResult, rows, user: User, digest: Digest, notifications, mailer) -> None:
    """Mail first, then the marks, in the person's transaction: the only window for a repeat
    is a process killed between the SMTP server's acceptance and the commit, one person wide.
    A failed mail releases the person's rows (the next sweep tries again) and writes none of
    their notifications."""
    with transaction.atomic():
        if not _lock_person(result.sweep_id, user.pk):
            return  # sent meanwhile by another delivery of the same batch
        error, emailed = "", False
        if digest.total and user.email:
            error = mailer.send(digest.message(user, result.today))
            emailed = not error
        mine = rows.filter(recipient_id=user.pk)
        if error:
            mine.update(sweep_id=None, attempts=F("attempts") + 1, last_error=error)
            result.emails_failed += 1
        else:
            Notification.objects.bulk_create(notifications, batch_size=NOTIFICATIONS_PER_INSERT)
            if emailed:
                mine.update(
                    sent_at=timezone.now(), email_sent=True, attempts=F("attempts") + 1, last_error=""
                )
            else:
                mine.update(sent_at=timezone.now(), email_sent=False)
            result.emails_sent += emailed
            result.notifications += digest.total
    result.recipients += 1


def _lock_person(sweep_id: uuid.UUID, recipient_id: int) -> bool:
    """The person's first row of the sweep, locked until their transaction ends: a second
    delivery of the same person waits here, then finds them sent. True when still unsent."""
    first = (
        ReminderLog.objects.filter(sweep_id=sweep_id, recipient_id=recipient_id)
        .order_by("pk")
        .select_for_update()
        .values_list("sent_at", flat=True)[:1]
    )
    return bool(first) and first[0] is None


def _digests(result: SweepResult, schedule: Schedule, rules, rows, users: dict[int, User]):
    """(recipient, digest, notifications) for each person of the batch, in turn: the rows
    come ordered by recipient, so one person's are held at a time."""
    current, digest, notifications = None, Digest(), []
    last = None
    for page in _pages(rows):
        subjects = _load_subjects(page)
        for row in page:
            result.claimed += 1
            recipient_id = row["recipient_id"]
            if recipient_id != current:
                if current is not None:
                    yield current, digest, notifications
                current, digest, notifications = recipient_id, Digest(), []
            key = (recipient_id, row["subject_type"], row["object_id"])
            info = subjects.get(key[1:])
            if info is None or key == last:
                continue  # the item is gone, or listed already under another rule
            last = key
            rule = rules[row["rule_id"]]
            item = ITEM_SOURCES[row["subject_type"]][2](row, info, schedule, rule)
            user = users[recipient_id]
            digest.add(item)
            if result.dry_run:
                result.planned.append(PlannedReminder(str(user), user.email, item.title, rule.name))
            else:
                notifications.append(
                    Notification(recipient=user, text=item.notification_text[:500], url=item.path)
                )
    if current is not None:
        yield current, digest, notifications


# --- the sweep -------------------------------------------------------------------------------


def reminders_sweep(
    *,
    today: date | None = None,
    dry_run: bool = False,
    fan_out: Callable[[uuid.UUID, list[int]], object] | None = None,
) -> SweepResult:
    """Find what is due today and send it: one digest email per recipient, one in-app
    notification per item, each reminder exactly once however many sweeps run.

    `dry_run` decides and claims inside a transaction that is rolled back: it reports what
    would be sent (`SweepResult.planned`) and leaves nothing behind. `fan_out(sweep_id,
    recipient_ids)`, when given, is called once per batch of recipients instead of delivering
    here: the Celery task queues one delivery task per batch, so that mail (slow: an SMTP
    round trip per digest) is sent by every worker at once rather than one after another."""
    today = today or timezone.localdate()
    result = SweepResult(today=today, dry_run=dry_run)
    rules = {rule.pk: rule for rule in ReminderRule.objects.filter(is_active=True).in_force_on(today)}
    schedule = Schedule(rules.values(), today, SweepCalendar())
    if dry_run:
        with transaction.atomic():
            _claim(schedule, result.sweep_id)
            _deliver(result, schedule, rules)
            transaction.set_rollback(True)
        return result
    with transaction.atomic():
        _claim(schedule, result.sweep_id)
    if fan_out is not None:
        for batch in recipient_batches(result.sweep_id):
            fan_out(result.sweep_id, batch)
            result.recipients += len(batch)
        logger.info(
            "Reminder sweep %s of %s: %d people, delivery queued", result.sweep_id, today, result.recipients
        )
        return result
    _deliver(result, schedule, rules)
    logger.info(
        "Reminder sweep %s of %s: %d reminders to %d people, %d emails sent, %d failed",
        result.sweep_id,
        today,
        result.claimed,
        result.recipients,
        result.emails_sent,
        result.emails_failed,
    )
    return result
