from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, User
from dialogue import ports
from dialogue.models import (
    Conference,
    ConferenceAttachment,
    ConferenceBasis,
    ConferenceChair,
    ConferenceRequirement,
)

CANNOT_HOLD = _("Chỉ hội nghị đang ở trạng thái “Đã lên kế hoạch” mới được ghi nhận là đã tổ chức.")
CANNOT_HOLD_IN_FUTURE = _("Hội nghị chưa diễn ra: thời gian tổ chức còn ở phía trước.")
START_FIXED_AFTER_NOTICE = _(
    "Hội nghị đã có thông báo kết luận: ngày giờ tổ chức không sửa được nữa (hạn của các việc được giao "
    "có thể tính từ ngày này)."
)
CANNOT_CANCEL = _("Chỉ hủy được hội nghị chưa tổ chức.")
CANNOT_EDIT = _("Hội nghị đã hoàn thành hoặc đã hủy thì không sửa được nữa.")
CANNOT_MOVE = _("Chỉ đổi được địa bàn của hội nghị chưa tổ chức và chưa có ý kiến nào.")
CANCEL_NEEDS_REASON = _("Hãy ghi lý do hủy hội nghị.")


MAX_CHAIRS = 20  # a conference is chaired by a few heads; the list is bounded all the same
TOO_MANY_CHAIRS = _("Tối đa %(count)s người chủ trì.")


@dataclass(frozen=True)
class Chair:
    full_name: str
    title: str


def _set_chairs(conference: Conference, chairs: list[Chair]) -> None:
    rows = [
        ConferenceChair(conference=conference, full_name=chair.full_name, title=chair.title, position=index)
        for index, chair in enumerate(chairs[: MAX_CHAIRS + 1])
    ]
    if len(rows) > MAX_CHAIRS:
        raise ValidationError({"chairs": TOO_MANY_CHAIRS % {"count": MAX_CHAIRS}})
    for row in rows:  # a name longer than its column is a message, not a database error
        try:
            row.full_clean(exclude=["conference"])
        except ValidationError as error:
            raise ValidationError({"chairs": error.messages}) from error
    conference.chairs.all().delete()
    ConferenceChair.objects.bulk_create(rows)
    # The chairs' names are searchable: refresh the folded column now that they are saved.
    conference.save(update_fields=["search_text"])


@transaction.atomic
def conference_plan(
    *,
    by: User,
    host_area: OrgUnit,
    title: str,
    basis: ConferenceBasis,
    kind: str,
    starts_at: datetime,
    place: str,
    agenda: str = "",
    invited_guests: str = "",
    chairs: list[Chair] = (),
    meeting_type: str = Conference.MeetingType.DIALOGUE,
    **voter_meeting: str,
) -> Conference:
    """A dialogue conference, or a voter meeting (meeting_type="voter_meeting" with the
    VOTER_MEETING_FIELDS: deputy_level, deputies, session, session_timing, forwarded_to)."""
    conference = Conference(
        host_area=host_area,
        title=title,
        basis=basis,
        kind=kind,
        starts_at=starts_at,
        place=place,
        agenda=agenda,
        invited_guests=invited_guests,
        created_by=by,
        meeting_type=meeting_type,
    )
    _set_voter_meeting_fields(conference, voter_meeting)
    conference._history_user = by
    conference.full_clean()
    conference.save()
    _set_chairs(conference, list(chairs))
    return conference


VOTER_MEETING_FIELDS = ("deputy_level", "deputies", "session", "session_timing", "forwarded_to")
EDITABLE_FIELDS = (
    "host_area",
    "title",
    "basis",
    "kind",
    "starts_at",
    "place",
    "agenda",
    "invited_guests",
    "meeting_type",
    *VOTER_MEETING_FIELDS,
)


def _set_voter_meeting_fields(conference: Conference, values: dict) -> None:
    """A voter meeting's own fields; a dialogue keeps them blank (the database checks it)."""
    unknown = set(values) - set(VOTER_MEETING_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a voter meeting: {sorted(unknown)}")
    for name in VOTER_MEETING_FIELDS:
        value = values.get(name, getattr(conference, name))
        setattr(conference, name, value if conference.is_voter_meeting else "")


def _check_editable(conference: Conference, fields: dict) -> None:
    """A closed or cancelled conference is not edited; one whose opinions were raised stays in
    its area (its opinions, notices and assignments belong to that area)."""
    if conference.status in (Conference.Status.CLOSED, Conference.Status.CANCELLED):
        raise ValidationError(CANNOT_EDIT)
    moving = "host_area" in fields and fields["host_area"].pk != conference.host_area_id
    if moving and (
        conference.status != Conference.Status.PLANNED or ports.opinions().any_raised_at(conference)
    ):
        raise ValidationError({"host_area": CANNOT_MOVE})
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"conference_update does not change {sorted(unknown)}")


@transaction.atomic
def conference_update(
    *, conference: Conference, by: User, chairs: list[Chair] | None = None, **fields
) -> Conference:
    _check_editable(conference, fields)
    for name, value in fields.items():
        if name not in VOTER_MEETING_FIELDS:
            setattr(conference, name, value)
    _set_voter_meeting_fields(conference, {k: v for k, v in fields.items() if k in VOTER_MEETING_FIELDS})
    if conference.is_held:
        conference.held_on = conference.local_date
    conference._history_user = by
    conference.full_clean()
    conference.save()
    if chairs is not None:
        _set_chairs(conference, chairs)
    return conference


@transaction.atomic
def conference_hold(
    *,
    conference: Conference,
    by: User,
    participant_count: int,
    minutes: str,
    report_summary: str = "",
    starts_at: datetime | None = None,
) -> Conference:
    """Record that the conference took place: who came, the minutes, the report, and when it
    actually began (`starts_at`, when it differs from the plan)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Conference.Status.PLANNED:
        raise ValidationError(CANNOT_HOLD)
    _set_actual_start(conference, starts_at)  # a corrected time in the future: beside it
    if conference.starts_at > timezone.now():
        raise ValidationError(CANNOT_HOLD_IN_FUTURE)
    conference.status = Conference.Status.HELD
    conference.held_on = conference.local_date
    return _write_minutes(conference, by, participant_count, minutes, report_summary)


@transaction.atomic
def conference_record_minutes(
    *,
    conference: Conference,
    by: User,
    participant_count: int,
    minutes: str,
    report_summary: str = "",
    starts_at: datetime | None = None,
) -> Conference:
    """Correct the minutes of a conference already held (typing errors, a late count), and its
    actual date and time until a notice is issued (deadlines may count from that day)."""
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if not conference.is_held or conference.status == Conference.Status.CLOSED:
        raise ValidationError(CANNOT_EDIT)
    if starts_at is not None and starts_at != conference.starts_at:
        if conference.status != Conference.Status.HELD:
            raise ValidationError({"starts_at": START_FIXED_AFTER_NOTICE})
        _set_actual_start(conference, starts_at)
        conference.held_on = conference.local_date
    return _write_minutes(conference, by, participant_count, minutes, report_summary)


def _set_actual_start(conference: Conference, starts_at: datetime | None) -> None:
    """The time the conference really began, kept in its history like any change."""
    if starts_at is None:
        return
    if starts_at > timezone.now():
        raise ValidationError({"starts_at": CANNOT_HOLD_IN_FUTURE})
    conference.starts_at = starts_at


def _write_minutes(
    conference: Conference, by: User, participant_count: int, minutes: str, summary: str
) -> Conference:
    conference.participant_count = participant_count
    conference.minutes = minutes
    conference.report_summary = summary
    conference._history_user = by
    conference.save()
    return conference


@transaction.atomic
def conference_cancel(*, conference: Conference, by: User, reason: str) -> Conference:
    conference = Conference.objects.select_for_update().get(pk=conference.pk)
    if conference.status != Conference.Status.PLANNED:
        raise ValidationError(CANNOT_CANCEL)
    if not reason.strip():
        raise ValidationError({"reason": CANCEL_NEEDS_REASON})
    conference.status = Conference.Status.CANCELLED
    conference.cancel_reason = reason.strip()
    conference._history_user = by
    conference.save()
    return conference


def _move_status(conference_id: int, by: User | None, before: str, after: str) -> bool:
    """Move a conference from one status to the next if it is still in the first; the change
    is saved through the model so that its history records it. False if it was not there."""
    conference = Conference.objects.select_for_update().filter(pk=conference_id, status=before).first()
    if conference is None:
        return False
    conference.status = after
    conference._history_user = by
    conference.save(update_fields=["status", "updated_at"])
    return True


@transaction.atomic
def conference_conclude(*, conference_id: int, by: User | None) -> bool:
    """A held conference whose conclusion notice has been issued (conclusions calls this)."""
    return _move_status(conference_id, by, Conference.Status.HELD, Conference.Status.CONCLUDED)


@transaction.atomic
def conference_close(*, conference_id: int, by: User | None) -> bool:
    """A concluded conference whose assigned work has all been accepted (conclusions calls this)."""
    return _move_status(conference_id, by, Conference.Status.CONCLUDED, Conference.Status.CLOSED)


@transaction.atomic
def conference_attach(
    *, conference: Conference, by: User, file, kind: str, description: str = ""
) -> ConferenceAttachment:
    attachment = ConferenceAttachment(
        conference=conference, file=file, kind=kind, description=description, uploaded_by=by, size=file.size
    )
    attachment._history_user = by
    attachment.full_clean()
    attachment.save()
    return attachment


@dataclass(frozen=True)
class Compliance:
    """How many conferences an area held in a year against the number required: `held` are
    the ones the requirement counts (scheduled, of its bases), `other` the rest (ad hoc...)."""

    area: OrgUnit
    held: int
    required: int
    other: int = 0

    @property
    def met(self) -> bool:
        return self.held >= self.required


@dataclass(frozen=True)
class YearlyRequirement:
    per_year: int
    basis_ids: tuple[int, ...]  # the bases whose scheduled conferences count; empty: every one


def requirements_in_force(first: date, last: date) -> dict[str, YearlyRequirement]:
    """The requirement of each area kind in force during [first, last]: the latest version
    that starts in or before it. One query (a row per requirement and counted basis)."""
    rows = (
        ConferenceRequirement.objects.in_force_between(first, last)
        .order_by(F("valid_from").asc(nulls_first=True), "pk")
        .values_list("pk", "area_kind", "per_year", "bases")
    )
    versions: dict[int, tuple[str, int, list[int]]] = {}
    for pk, kind, per_year, basis in rows:
        bases = versions.setdefault(pk, (kind, per_year, []))[2]
        if basis is not None:
            bases.append(basis)
    # In the order of their start: a later version of a kind overwrites an earlier one.
    return {kind: YearlyRequirement(per_year, tuple(bases)) for kind, per_year, bases in versions.values()}


def counted_by_requirement(
    requirements: dict[str, YearlyRequirement], *, conference: str = "", area_kind: str = "host_area__kind"
) -> Q:
    """The conferences a yearly requirement counts: scheduled dialogues of the bases it names
    for their area's kind (not ad hoc meetings, not voter meetings). On Conference by default;
    from an OrgUnit, `conference="conferences__", area_kind="kind"`. One definition for the
    compliance counts, the supervision dashboard and the conference list's `counted` filter."""
    by_kind = Q(pk__in=[])  # no requirement in force: nothing counts
    for kinds, requirement in _kinds_by_requirement(requirements):
        condition = Q(**{f"{area_kind}__in": kinds})
        if requirement.basis_ids:
            condition &= Q(**{f"{conference}basis__in": requirement.basis_ids})
        by_kind |= condition
    scheduled_dialogue = Q(
        **{
            f"{conference}kind": Conference.Kind.SCHEDULED,
            f"{conference}meeting_type": Conference.MeetingType.DIALOGUE,
        }
    )
    return scheduled_dialogue & by_kind


def _kinds_by_requirement(
    requirements: dict[str, YearlyRequirement],
) -> list[tuple[list[str], YearlyRequirement]]:
    """The area kinds grouped by their requirement: one condition per distinct requirement
    rather than per kind (the five kinds of a ward's level share one). The SQL is the same
    test, and Django builds and compiles a fifth of the expressions: the conference list's
    summary took ~10 ms of Python for three small queries."""
    groups: dict[YearlyRequirement, list[str]] = {}
    for kind, requirement in requirements.items():
        groups.setdefault(requirement, []).append(kind)
    return [(kinds, requirement) for requirement, kinds in groups.items()]


def _compliance_rows(areas, year: int, requirements: dict[str, YearlyRequirement]):
    """The areas of a kind that has a requirement and that existed during the year, with the
    conferences held that year that the requirement counts (`held`), all of them (`held_all`)
    and how many they had to hold (`required`)."""
    required = Case(
        *[
            When(kind__in=kinds, then=Value(rule.per_year))
            for kinds, rule in _kinds_by_requirement(requirements)
        ],
        default=Value(0),
        output_field=IntegerField(),
    )
    # Decision 2200's requirement is of dialogues: voter meetings are neither counted nor "other".
    held_that_year = Q(
        conferences__status__in=Conference.HELD_STATUSES,
        conferences__starts_at__year=year,
        conferences__meeting_type=Conference.MeetingType.DIALOGUE,
    )
    return (
        areas.filter(kind__in=requirements.keys())
        .filter(Q(valid_from__isnull=True) | Q(valid_from__year__lte=year))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__year__gte=year))
        .annotate(
            held=Count(
                "conferences",
                filter=held_that_year
                & counted_by_requirement(requirements, conference="conferences__", area_kind="kind"),
            ),
            held_all=Count("conferences", filter=held_that_year),
        )
        .annotate(required=required)
        .order_by("held", "name")
    )


def _compliance(area) -> Compliance:
    return Compliance(area=area, held=area.held, required=area.required, other=area.held_all - area.held)


def _year_requirements(year: int) -> dict[str, YearlyRequirement]:
    return requirements_in_force(date(year, 1, 1), date(year, 12, 31))


def conference_compliance(*, areas, year: int) -> list[Compliance]:
    """Every area with its count, weakest first: one aggregate query (and one for the rules)."""
    requirements = _year_requirements(year)
    if not requirements:
        return []
    return [_compliance(area) for area in _compliance_rows(areas, year, requirements)]


@dataclass(frozen=True)
class ComplianceSummary:
    year: int
    met: int
    total: int
    lacking: list[Compliance]


def compliance_summary(*, areas, year: int, lacking: int = 20) -> ComplianceSummary:
    """How many areas met the requirement, counted in SQL, and the `lacking` weakest: what a
    page shows, in two queries whatever the number of areas (10,000 for a national user)."""
    requirements = _year_requirements(year)
    if not requirements:
        return ComplianceSummary(year=year, met=0, total=0, lacking=[])
    rows = _compliance_rows(areas, year, requirements)
    totals = rows.order_by().aggregate(total=Count("pk"), met=Count("pk", filter=Q(held__gte=F("required"))))
    weakest = rows.filter(held__lt=F("required"))[:lacking]
    return ComplianceSummary(
        year=year,
        met=totals["met"],
        total=totals["total"],
        lacking=[_compliance(area) for area in weakest],
    )


def compliance_summary_for(user, *, year: int, lacking: int = 20) -> ComplianceSummary:
    """The summary of what `user` sees. A city's or the whole country's (thousands of areas,
    a fifth of a second to aggregate) is kept DASHBOARD_CACHE_SECONDS; a ward's is always
    computed afresh."""
    areas = OrgUnit.objects.visible_to(user)
    seconds = settings.DASHBOARD_CACHE_SECONDS
    area = user.area
    if not seconds or not (user.is_superuser or (area is not None and area.depth == 0)):
        return compliance_summary(areas=areas, year=year, lacking=lacking)
    scope = "all" if user.is_superuser else "|".join(user.scope_paths)
    key = "compliance:" + hashlib.sha256(f"{scope}/{year}/{lacking}".encode()).hexdigest()
    return cache.get_or_set(key, lambda: compliance_summary(areas=areas, year=year, lacking=lacking), seconds)
