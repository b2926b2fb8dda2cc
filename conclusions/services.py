"""Workflows of conclusion notices and assignments. Every change of a notice or an assignment
goes through here: views, the API and the demo data call these functions."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrgUnit, Role, User
from accounts.permissions import acts_for_area
from accounts.services import notifications_send
from conclusions import policies
from conclusions.models import (
    AnswerFile,
    AnswerVersion,
    Assignment,
    ConclusionNotice,
    ExtensionRequest,
    NoticeItem,
    ProgressUpdate,
)
from core.calendar import count_calendar_days, count_working_days
from dialogue import services as conference_services
from dialogue.models import Conference
from petitions import services as petition_services
from petitions.events import CitizenEvent, announce
from petitions.models import Petition, Reopening
from registers import services as register_services
from registers.models import DocumentType
from registers.services import register_take

logger = logging.getLogger(__name__)

MAX_NOTICE_ITEMS = 100  # a notice has a handful of items; this only bounds the input
TOO_MANY_ITEMS = _("Một thông báo có tối đa %(count)s mục.")

ALREADY_ISSUED = _("Thông báo đã ban hành thì không sửa được nữa. Muốn sửa, hãy lập thông báo đính chính.")
ONLY_LEADERS_ISSUE = _("Chỉ lãnh đạo mới được ban hành thông báo kết luận.")
NO_ITEMS = _("Thông báo cần ít nhất một mục kết luận.")
OPINIONS_LEFT = _(
    "Còn %(count)d ý kiến cần xử lý chưa được giao cho cơ quan nào và chưa được phân loại khác: %(numbers)s. "
    "Hãy giao việc hoặc ghi hướng xử lý cho các ý kiến này trước khi ban hành."
)
NO_TERM = register_services.NO_TERM  # kept here: tests and pages import it from conclusions
DEADLINE_BEFORE_CONFERENCE = _("Hạn xử lý không được trước ngày hội nghị (%(day)s).")
DEADLINE_IN_PAST = _("Hạn xử lý không được trước hôm nay.")
DEADLINE_NEEDS_DATE = _("Hãy ghi ngày hết hạn.")
DEADLINE_NEEDS_DAYS = _("Hãy ghi số ngày (lớn hơn 0).")
PETITION_NOT_OPEN = _("Ý kiến #%(number)s không thuộc hội nghị này hoặc đã được xử lý theo hướng khác.")
NOT_YOUR_ASSIGNMENT = _("Việc này không giao cho cơ quan của bạn.")
ANSWER_REQUIRED = _("Phải có văn bản trả lời người dân trước khi báo cáo hoàn thành.")
WRONG_STATUS = _("Việc đang ở trạng thái “%(status)s”: không thực hiện được thao tác này.")
RETURN_NEEDS_REASON = _("Hãy ghi lý do trả lại.")
NOT_THE_ISSUER = _("Chỉ cán bộ văn phòng hoặc lãnh đạo của nơi ban hành mới nghiệm thu hoặc trả lại việc.")
EXTENSION_NOT_LATER = _("Hạn đề nghị phải sau hạn hiện tại (%(day)s).")
EXTENSION_PENDING = _("Việc này đang có một đề nghị gia hạn chờ quyết định.")
ONLY_LEADERS_DECIDE = _("Chỉ lãnh đạo mới quyết định gia hạn.")
NOTICE_NOT_ISSUED = _("Thông báo chưa ban hành: việc này chưa bắt đầu.")
EXTENSION_MOOT = _("Việc đã được nghiệm thu nên không cần gia hạn.")
ALREADY_DECIDED = _("Đề nghị này đã được quyết định.")


# --- drafting ---------------------------------------------------------------------------


def _locked_notice(notice: ConclusionNotice) -> ConclusionNotice:
    """The notice re-read under a row lock: issuing takes the same lock, so a draft cannot
    gain or lose an assignment while it is being issued."""
    return (
        ConclusionNotice.objects.select_for_update(of=("self",))
        .select_related("conference")
        .get(pk=notice.pk)
    )


def _check_draft(notice: ConclusionNotice) -> None:
    if notice.is_issued:
        raise ValidationError(ALREADY_ISSUED, code="issued")


def _set_items(notice: ConclusionNotice, items: list[str]) -> None:
    """Replace the items, keeping (by position) those that already carry assignments."""
    kept = {item.position: item for item in notice.items.all()}
    for position, text in enumerate(items, start=1):
        if position in kept:
            NoticeItem.objects.filter(pk=kept.pop(position).pk).update(text=text)
        else:
            NoticeItem.objects.create(notice=notice, position=position, text=text)
    # Items beyond the new count go, with their assignments (the draft is still free to change).
    NoticeItem.objects.filter(pk__in=[item.pk for item in kept.values()]).delete()


@transaction.atomic
def notice_draft_create(
    *, by: User, issuing_body: OrgUnit, items: list[str], conference: Conference | None = None, **fields
) -> ConclusionNotice:
    notice = ConclusionNotice(
        conference=conference, issuing_body=issuing_body, area=issuing_body.area, created_by=by, **fields
    )
    notice._history_user = by
    notice.full_clean(exclude=["area"])
    notice.save()
    _set_items(notice, items)
    return notice


@transaction.atomic
def notice_draft_update(
    *, notice: ConclusionNotice, by: User, items: list[str] | None = None, **fields
) -> ConclusionNotice:
    notice = ConclusionNotice.objects.select_for_update().get(pk=notice.pk)
    _check_draft(notice)
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.area = notice.issuing_body.area
    notice._history_user = by
    notice.full_clean()
    notice.save()
    if items is not None:
        _set_items(notice, items)
    return notice


@dataclass(frozen=True)
class DeadlineSpec:
    rule: str
    on: date | None = None
    days: int | None = None


def _check_deadline(notice: ConclusionNotice, spec: DeadlineSpec) -> dict:
    errors = {}
    if spec.rule == Assignment.DeadlineRule.FIXED_DATE:
        if spec.on is None:
            errors["deadline"] = DEADLINE_NEEDS_DATE
        elif notice.conference and spec.on < notice.conference.local_date:
            errors["deadline"] = ValidationError(
                DEADLINE_BEFORE_CONFERENCE, params={"day": f"{notice.conference.local_date:%d/%m/%Y}"}
            )
        elif notice.conference is None and spec.on < timezone.localdate():
            errors["deadline"] = DEADLINE_IN_PAST
    elif not spec.days or spec.days <= 0:
        errors["deadline_days"] = DEADLINE_NEEDS_DAYS
    return errors


def _open_petitions_of(notice: ConclusionNotice):
    if notice.conference_id is None:
        return Petition.objects.none()
    return notice.conference.petitions.open().filter(duplicate_of__isnull=True)


@transaction.atomic
def assignment_add(
    *,
    notice: ConclusionNotice,
    by: User,
    item: NoticeItem,
    task: str,
    lead_agency: OrgUnit,
    deadline: DeadlineSpec,
    coordinating_agencies=(),
    responsible_person: User | None = None,
    petitions=(),
) -> Assignment:
    notice = _locked_notice(notice)
    _check_draft(notice)
    errors = _check_deadline(notice, deadline)
    allowed = set(_open_petitions_of(notice).values_list("pk", flat=True))
    for petition in petitions:
        if petition.pk not in allowed:
            errors.setdefault("petitions", []).append(
                ValidationError(PETITION_NOT_OPEN, params={"number": petition.position})
            )
    if errors:
        raise ValidationError(errors)
    assignment = Assignment(
        notice=notice,
        area=notice.area,
        item=item,
        task=task.strip(),
        lead_agency=lead_agency,
        responsible_person=responsible_person,
        deadline_rule=deadline.rule,
        deadline=deadline.on if deadline.rule == Assignment.DeadlineRule.FIXED_DATE else None,
        deadline_days=None if deadline.rule == Assignment.DeadlineRule.FIXED_DATE else deadline.days,
    )
    assignment._history_user = by
    assignment.save()
    assignment.coordinating_agencies.set(
        [agency for agency in coordinating_agencies if agency.pk != lead_agency.pk]
    )
    assignment.petitions.set(petitions)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by: User) -> None:
    _check_draft(_locked_notice(assignment.notice))
    assignment._history_user = by
    assignment.delete()


LATER_OPINIONS_SHOWN = 50


def notice_later_opinions(notice: ConclusionNotice) -> list[Petition]:
    """Opinions typed in at the notice's conference after a notice was issued (issue 19): the
    issued notice does not cover them, each needs its own handling. Each row says whether work
    already answers it (`assigned`). One query, at most LATER_OPINIONS_SHOWN rows."""
    if notice.conference_id is None:
        return []
    return list(
        Petition.objects.filter(conference=notice.conference_id, after_notice=True)
        .annotate(assigned=Exists(Assignment.objects.filter(petitions=OuterRef("pk"))))
        .order_by("position")
        .only("pk", "position", "content", "outcome", "resolved_on")[:LATER_OPINIONS_SHOWN]
    )


def notice_unhandled_opinions(notice: ConclusionNotice) -> list[Petition]:
    """Opinions of the conference that still need handling (no outcome yet, or to be handled
    here) and that no assignment of any notice of the conference takes up."""
    if notice.conference_id is None:
        return []
    # Assignments of this draft or of issued notices count; another unissued draft does not.
    assigned = (
        Assignment.objects.filter(notice__conference=notice.conference_id, petitions__isnull=False)
        .filter(Q(notice=notice) | Q(notice__status=ConclusionNotice.Status.ISSUED))
        .values("petitions")
    )
    return list(
        _open_petitions_of(notice)
        .exclude(pk__in=assigned)
        .order_by("position")
        .only("pk", "position", "content")
    )


# --- issuing ----------------------------------------------------------------------------


def _deadline_for(assignment: Assignment, issued_on: date) -> date:
    rule = Assignment.DeadlineRule
    # The same counting as every statutory deadline (core.calendar): calendar days as the
    # Civil Code counts them, a last day off moved to the next working day.
    if assignment.deadline_rule == rule.CALENDAR_DAYS:
        return count_calendar_days(issued_on, assignment.deadline_days).on
    if assignment.deadline_rule == rule.WORKING_DAYS:
        return count_working_days(issued_on, assignment.deadline_days).on
    return assignment.deadline


def _handlers_of(agencies) -> list[User]:
    return list(
        User.objects.filter(agency__in=agencies, is_active=True).filter(User.role_filter(Role.HANDLER))
    )


@transaction.atomic
def notice_issue(*, notice: ConclusionNotice, by: User, issued_on: date | None = None) -> ConclusionNotice:
    """Give the number, fix the deadlines, and from now on never change the notice.

    `issued_on` is for recording a notice that was issued on paper earlier (demo data,
    migration of old records); pages and the API always issue today."""
    if not by.has_role(Role.LEADER):
        raise ValidationError(ONLY_LEADERS_ISSUE, code="not_leader")
    notice = (
        ConclusionNotice.objects.select_for_update(of=("self",))
        .select_related("issuing_body", "conference")
        .get(pk=notice.pk)
    )
    _check_draft(notice)
    if not notice.items.exists():
        raise ValidationError(NO_ITEMS)
    left = notice_unhandled_opinions(notice)
    if left:
        raise ValidationError(
            OPINIONS_LEFT,
            code="opinions_left",
            params={"count": len(left), "numbers": ", ".join(f"#{petition.position}" for petition in left)},
        )
    today = issued_on or timezone.localdate()
    # The number comes from the body's register (sổ văn bản đi), shared with its other
    # documents, inside this transaction: a failed issue gives the number back.
    entry = register_take(
        body=notice.issuing_body,
        doc_type=DocumentType.NOTICE,
        on=today,
        summary=notice.summary,
        document=notice,
        by=by,
    )
    notice.number, notice.number_label, notice.number_series = entry.number, entry.label, entry.series
    notice.status, notice.issued_on, notice.issued_by = ConclusionNotice.Status.ISSUED, today, by
    notice._history_user = by
    notice.save()

    assignments = list(notice.assignments.select_related("lead_agency", "responsible_person"))
    for assignment in assignments:
        assignment.deadline = _deadline_for(assignment, today)
        assignment.deadline_from = today
        assignment._history_user = by
        assignment.save(update_fields=["deadline", "deadline_from", "updated_at"])
    # The opinions and the conference change through their owners' services (their history).
    petition_services.petitions_take_into_authority(
        petitions=Petition.objects.filter(assignments__notice=notice), by=by, on=today
    )
    if notice.conference_id:
        conference_services.conference_conclude(conference_id=notice.conference_id, by=by)
    _notify_assigned(notice, assignments)
    _announce_assigned(assignments)
    transaction.on_commit(lambda: queue_notice_pdf(notice.pk), robust=True)
    return notice


def _announce_assigned(assignments: list[Assignment]) -> None:
    """Tell the citizens whose opinions the work answers: the agency and the deadline (one
    query for the opinions of every assignment)."""
    opinions: dict[int, list[int]] = {}
    links = Assignment.petitions.through.objects.filter(assignment__in=assignments)
    for assignment_id, petition_id in links.values_list("assignment_id", "petition_id"):
        opinions.setdefault(assignment_id, []).append(petition_id)
    for assignment in assignments:
        announce(
            kind=CitizenEvent.ASSIGNED,
            petition_ids=opinions.get(assignment.pk, []),
            data={
                "agency": assignment.lead_agency.name,
                "deadline": assignment.deadline.isoformat() if assignment.deadline else "",
                "key": f"assignment-{assignment.pk}",
            },
        )


def _notify_assigned(notice: ConclusionNotice, assignments: list[Assignment]) -> None:
    for assignment in assignments:
        url = reverse("conclusions:assignment", args=[assignment.pk])
        recipients = [*_handlers_of([assignment.lead_agency]), assignment.responsible_person]
        notifications_send(
            recipients=recipients,
            text=f"Việc mới theo {notice.number_label}: {assignment.task[:200]} (hạn {assignment.deadline:%d/%m/%Y})",
            url=url,
        )


def queue_notice_pdf(notice_id: int) -> bool:
    """Queue the PDF; when the broker is down the notice stays "PDF pending" and the periodic
    task renders it later. Issuing never fails because of the broker."""
    from conclusions.tasks import notice_render_pdf

    try:
        notice_render_pdf.apply_async(args=[notice_id], retry=False)
    except Exception:
        logger.warning("PDF of notice %s not queued; left pending for the sweep", notice_id, exc_info=True)
        return False
    return True


@transaction.atomic
def notice_amend(*, notice: ConclusionNotice, by: User) -> ConclusionNotice:
    """A correction: a new draft that amends the issued notice (which itself never changes)."""
    if not notice.is_issued:
        raise ValidationError(_("Chỉ đính chính được thông báo đã ban hành."))
    return notice_draft_create(
        by=by,
        issuing_body=notice.issuing_body,
        conference=notice.conference,
        items=[item.text for item in notice.items.all()],
        summary=f"Đính chính {notice.number_label}: {notice.summary}"[:500],
        preamble=notice.preamble,
        closing=notice.closing,
        recipients=notice.recipients,
        signer=notice.signer,
        sign_mode=notice.sign_mode,
        signer_title=notice.signer_title,
        amends=notice,
    )


# --- following the assignments ---------------------------------------------------------


def case_files_downloaded(*, assignment: Assignment, user: User, where: str) -> None:
    """A file of the assignment was downloaded: for a denunciation's case, logged like a
    display of the denouncer's identity (Luật Tố cáo 2018: the identity is kept secret)."""
    denunciations = assignment.petitions.filter(kind=Petition.Kind.DENUNCIATION)
    petition_services.identity_disclosed(petitions=denunciations, user=user, where=where)


def _require(condition: bool, message) -> None:
    if not condition:
        raise ValidationError(message)


def _require_status(assignment: Assignment, *allowed: str) -> None:
    # Work starts when the notice is issued: a draft's assignments are still being written.
    # (An assignment for a written petition has no notice and starts when it is made.)
    if not assignment.is_started:
        raise ValidationError(NOTICE_NOT_ISSUED)
    if assignment.status not in allowed:
        raise ValidationError(WRONG_STATUS, params={"status": assignment.get_status_display()})


def _locked(assignment: Assignment) -> Assignment:
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("notice", "area", "lead_agency")
        .get(pk=assignment.pk)
    )


def _issuer_recipients(assignment: Assignment) -> list[User]:
    if assignment.notice_id is None:
        return [assignment.assigned_by]
    return [assignment.notice.issued_by, assignment.notice.created_by]


@transaction.atomic
def assignment_progress(*, assignment: Assignment, by: User, text: str, evidence=None) -> ProgressUpdate:
    assignment = _locked(assignment)
    _require(policies.is_assignee(by, assignment), NOT_YOUR_ASSIGNMENT)
    _require_status(
        assignment, Assignment.Status.ASSIGNED, Assignment.Status.IN_PROGRESS, Assignment.Status.RETURNED
    )
    update = ProgressUpdate(assignment=assignment, author=by, text=text.strip(), evidence=evidence or "")
    update.full_clean()
    update.save()
    if assignment.status != Assignment.Status.IN_PROGRESS:
        assignment.status = Assignment.Status.IN_PROGRESS
        assignment._history_user = by
        assignment.save(update_fields=["status", "updated_at"])
    return update


@dataclass(frozen=True)
class ReportedFile:
    """A result file reported with an answer, and whether the handler allows publishing it."""

    file: object
    publishable: bool = False


@transaction.atomic
def assignment_report_done(
    *, assignment: Assignment, by: User, answer_to_citizen: str, files=()
) -> Assignment:
    """Report the work done: the answer is kept as a new version (never overwriting an earlier
    one), with its result files, and waits for the issuer's side to accept or return it."""
    assignment = _locked(assignment)
    _require(policies.is_assignee(by, assignment), NOT_YOUR_ASSIGNMENT)
    _require_status(
        assignment, Assignment.Status.ASSIGNED, Assignment.Status.IN_PROGRESS, Assignment.Status.RETURNED
    )
    if not answer_to_citizen.strip():
        raise ValidationError({"answer_to_citizen": ANSWER_REQUIRED})
    now = timezone.now()
    assignment.status = Assignment.Status.REPORTED_DONE
    assignment.answer_to_citizen = answer_to_citizen.strip()
    assignment.reported_at = now
    assignment._history_user = by
    assignment.save()
    last = assignment.answer_versions.order_by("-number").values_list("number", flat=True).first()
    version = AnswerVersion(
        assignment=assignment,
        number=(last or 0) + 1,
        text=assignment.answer_to_citizen,
        reported_by=by,
        reported_at=now,
    )
    version._history_user = by
    version.save()
    for reported in files:
        answer_file = AnswerFile(version=version, file=reported.file, publishable=reported.publishable)
        answer_file.full_clean(exclude=["version"])
        answer_file._history_user = by
        answer_file.save()
    notifications_send(
        recipients=_issuer_recipients(assignment),
        text=f"{assignment.lead_agency.name} báo cáo hoàn thành: {assignment.task[:200]}",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return assignment


def _decide_submitted_version(assignment: Assignment, by: User, status: str, reason: str = ""):
    """The version waiting for a decision (the last one reported) gets it, once."""
    version = (
        assignment.answer_versions.select_for_update()
        .filter(status=AnswerVersion.Status.SUBMITTED)
        .order_by("-number")
        .first()
    )
    if version is None:  # reported before versions existed and not migrated: keep it now
        last = assignment.answer_versions.order_by("-number").values_list("number", flat=True).first()
        version = AnswerVersion(
            assignment=assignment,
            number=(last or 0) + 1,
            text=assignment.answer_to_citizen,
            reported_at=assignment.reported_at or timezone.now(),
        )
    version.status, version.return_reason = status, reason
    version.decided_by, version.decided_at = by, timezone.now()
    version._history_user = by
    version.save()
    return version


@transaction.atomic
def assignment_accept(*, assignment: Assignment, by: User) -> Assignment:
    assignment = _locked(assignment)
    _require(policies.is_issuer_side(by, assignment), NOT_THE_ISSUER)
    _require_status(assignment, Assignment.Status.REPORTED_DONE)
    assignment.status = Assignment.Status.ACCEPTED
    assignment.accepted_at, assignment.accepted_by = timezone.now(), by
    assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).update(
        status=ExtensionRequest.Status.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        decision_note=str(EXTENSION_MOOT),
    )
    assignment._history_user = by
    assignment.save()
    version = _decide_submitted_version(assignment, by, AnswerVersion.Status.ACCEPTED)
    # The answer is now the official answer of every opinion the assignment answers; announced
    # before the opinions it resolves are closed, so the citizen hears of it in that order.
    announce(
        kind=CitizenEvent.ANSWERED,
        petition_ids=assignment.petitions.values_list("pk", flat=True),
        data={
            "assignment_id": assignment.pk,
            "answer_version_id": version.pk,
            "agency": assignment.lead_agency.name,
        },
    )
    _resolve_answered_petitions(assignment, by)
    notifications_send(
        recipients=[*_handlers_of([assignment.lead_agency]), assignment.responsible_person],
        text=f"Đã nghiệm thu: {assignment.task[:200]}",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    _close_conference_when_done(assignment.notice, by)
    return assignment


def _resolve_answered_petitions(assignment: Assignment, by: User) -> None:
    """An opinion is resolved when every assignment that answers it has been accepted."""
    # (petitions__isnull=False keeps NULL out of the NOT IN below, which would match nothing.)
    unfinished = Assignment.objects.exclude(status=Assignment.Status.ACCEPTED).filter(
        petitions__in=assignment.petitions.all(), petitions__isnull=False
    )
    answered = Petition.objects.filter(assignments=assignment).exclude(pk__in=unfinished.values("petitions"))
    petition_services.petitions_mark_resolved(petitions=answered, by=by, on=timezone.localdate())


def _close_conference_when_done(notice: ConclusionNotice | None, by: User) -> None:
    if notice is None:
        return
    conference_id = notice.conference_id
    if conference_id is None:
        return
    unfinished = Assignment.objects.filter(
        notice__conference=conference_id, notice__status=ConclusionNotice.Status.ISSUED
    ).exclude(status=Assignment.Status.ACCEPTED)
    if not unfinished.exists():
        conference_services.conference_close(conference_id=conference_id, by=by)


@transaction.atomic
def assignment_return(*, assignment: Assignment, by: User, reason: str) -> Assignment:
    assignment = _locked(assignment)
    _require(policies.is_issuer_side(by, assignment), NOT_THE_ISSUER)
    _require_status(assignment, Assignment.Status.REPORTED_DONE)
    if not reason.strip():
        raise ValidationError({"reason": RETURN_NEEDS_REASON})
    assignment.status = Assignment.Status.RETURNED
    assignment.return_reason = reason.strip()
    assignment._history_user = by
    assignment.save()
    _decide_submitted_version(assignment, by, AnswerVersion.Status.RETURNED, reason.strip())
    notifications_send(
        recipients=[*_handlers_of([assignment.lead_agency]), assignment.responsible_person],
        text=f"Trả lại để làm tiếp: {assignment.task[:150]} — {reason.strip()[:200]}",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return assignment


@transaction.atomic
def extension_request(
    *, assignment: Assignment, by: User, requested_deadline: date, reason: str
) -> ExtensionRequest:
    assignment = _locked(assignment)
    _require(policies.is_assignee(by, assignment), NOT_YOUR_ASSIGNMENT)
    _require_status(
        assignment, Assignment.Status.ASSIGNED, Assignment.Status.IN_PROGRESS, Assignment.Status.RETURNED
    )
    errors = {}
    if assignment.deadline and requested_deadline <= assignment.deadline:
        errors["requested_deadline"] = ValidationError(
            EXTENSION_NOT_LATER, params={"day": f"{assignment.deadline:%d/%m/%Y}"}
        )
    if not reason.strip():
        errors["reason"] = _("Hãy ghi lý do đề nghị gia hạn.")
    if assignment.extensions.filter(status=ExtensionRequest.Status.PENDING).exists():
        errors["requested_deadline"] = EXTENSION_PENDING
    if errors:
        raise ValidationError(errors)
    request = ExtensionRequest.objects.create(
        assignment=assignment, requested_by=by, requested_deadline=requested_deadline, reason=reason.strip()
    )
    leaders = User.objects.filter(User.role_filter(Role.LEADER), agency__area=assignment.area, is_active=True)
    notifications_send(
        recipients=[*leaders, *_issuer_recipients(assignment)[:1]],
        text=f"Đề nghị gia hạn đến {requested_deadline:%d/%m/%Y}: {assignment.task[:150]}",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return request


def extension_basis(request: ExtensionRequest, *, previous: str) -> str:
    """The label of a deadline an approved extension gave: "Gia hạn đến 20/11/2025 (lãnh đạo
    đồng ý ngày 10/11/2025); trước đó: 15 ngày làm việc kể từ ngày ban hành"."""
    decided_on = timezone.localdate(request.decided_at) if request.decided_at else timezone.localdate()
    text = _("Gia hạn đến %(day)s (%(who)s đồng ý ngày %(on)s); trước đó: %(previous)s") % {
        "day": f"{request.requested_deadline:%d/%m/%Y}",
        "who": str(request.decided_by),
        "on": f"{decided_on:%d/%m/%Y}",
        "previous": previous,
    }
    return text[:255]


@transaction.atomic
def extension_decide(
    *, request: ExtensionRequest, by: User, approve: bool, note: str = ""
) -> ExtensionRequest:
    if not by.has_role(Role.LEADER):
        raise ValidationError(ONLY_LEADERS_DECIDE)
    request = ExtensionRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != ExtensionRequest.Status.PENDING:
        raise ValidationError(ALREADY_DECIDED)
    assignment = _locked(request.assignment)
    _require_status(assignment, *Assignment.WORKING_STATUSES)
    request.status = ExtensionRequest.Status.APPROVED if approve else ExtensionRequest.Status.REJECTED
    request.decided_by, request.decided_at, request.decision_note = by, timezone.now(), note.strip()
    request.previous_deadline = assignment.deadline
    request.save()
    if approve:
        # The new deadline is a date decided by the leader; the history keeps the old one, and
        # the label says which extension gave the current deadline (not the first rule's).
        assignment.deadline_basis = extension_basis(request, previous=assignment.deadline_rule_text)
        assignment.deadline = request.requested_deadline
        assignment._history_user = by
        assignment.save(update_fields=["deadline", "deadline_basis", "updated_at"])
        announce(
            kind=CitizenEvent.EXTENDED,
            petition_ids=assignment.petitions.values_list("pk", flat=True),
            data={"deadline": assignment.deadline.isoformat(), "key": f"extension-{request.pk}"},
        )
    verdict = "Đồng ý gia hạn" if approve else "Không đồng ý gia hạn"
    notifications_send(
        recipients=[request.requested_by, *_handlers_of([assignment.lead_agency])],
        text=f"{verdict} đến {request.requested_deadline:%d/%m/%Y}: {assignment.task[:150]}",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return request


# --- assignments for written petitions ---------------------------------------------------

PETITION_NOT_ACCEPTED = _("Đơn chưa được thụ lý hoặc đã được giải quyết: chưa giao việc được.")
PETITION_OF_CONFERENCE = _(
    "Ý kiến tại hội nghị được giao việc qua thông báo kết luận (trừ ý kiến nhập sau khi đã ban hành thông báo)."
)
PETITION_NEEDS_DEADLINE = _("Đơn này không có thời hạn theo luật: hãy ghi hạn xử lý.")
NOT_AREA_STAFF = _("Chỉ cán bộ văn phòng hoặc lãnh đạo của địa bàn mới giao việc giải quyết đơn.")


def _check_area_staff(user: User, petition: Petition) -> None:
    if not acts_for_area(user, petition.area, Role.CLERK, Role.LEADER):
        raise ValidationError(NOT_AREA_STAFF)


def _check_assignable_alone(petition: Petition) -> None:
    """A conference's opinion is given through its notice, except one typed in after the notice
    was issued: the notice cannot take it any more, so it is given on its own (issue 19). A
    letter is given once accepted, while it is open."""
    if petition.conference_id and not petition.after_notice:
        raise ValidationError(PETITION_OF_CONFERENCE)
    if not petition.is_open or not (petition.accepted_on or petition.conference_id):
        raise ValidationError(PETITION_NOT_ACCEPTED)


def _petition_deadline(petition: Petition, deadline: date | None) -> tuple[date, str]:
    """The statutory resolution deadline with its rule, else the date the clerk gives."""
    if petition.resolution_deadline:
        return petition.resolution_deadline, petition.resolution_basis
    if deadline is None:
        raise ValidationError({"deadline": PETITION_NEEDS_DEADLINE})
    if deadline < timezone.localdate():
        raise ValidationError({"deadline": DEADLINE_IN_PAST})
    return deadline, ""


@transaction.atomic
def petition_assignment_add(
    *,
    petition: Petition,
    by: User,
    task: str,
    lead_agency: OrgUnit,
    deadline: date | None = None,
    coordinating_agencies=(),
    responsible_person: User | None = None,
) -> Assignment:
    """Give an accepted written petition to an agency: the same assignment as a notice's
    (inbox, progress, report, accept/return, extensions, reminders), with no notice. Its
    deadline is the petition's statutory resolution deadline, stored with its rule; for a
    petition without one (kiến nghị, phản ánh) the clerk gives a date."""
    petition = Petition.objects.select_for_update().select_related("area").get(pk=petition.pk)
    _check_area_staff(by, petition)
    _check_assignable_alone(petition)
    due, basis = _petition_deadline(petition, deadline)
    assignment = Assignment(
        notice=None,
        item=None,
        area=petition.area,
        task=task.strip(),
        lead_agency=lead_agency,
        responsible_person=responsible_person,
        deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
        deadline=due,
        deadline_from=petition.accepted_on or petition.received_on,
        deadline_basis=basis,
        assigned_by=by,
    )
    assignment._history_user = by
    assignment.save()
    assignment.coordinating_agencies.set(
        [agency for agency in coordinating_agencies if agency.pk != lead_agency.pk]
    )
    assignment.petitions.set([petition])
    _announce_assigned([assignment])
    # The notification names the task and the deadline, never the petitioner.
    notifications_send(
        recipients=[*_handlers_of([lead_agency]), responsible_person],
        text=f"Việc mới: giải quyết đơn {petition.tracking_code} – {assignment.task[:200]} (hạn {due:%d/%m/%Y})",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return assignment


def move_deadlines_with_extension(*, petition: Petition, extension, by: User) -> None:
    """A denunciation's resolution was extended (petitions.services.petition_extend_resolution,
    through the follow-up port): the open assignments of the written petition whose deadline
    followed the statutory one move with it; the history keeps the old."""
    following = Assignment.objects.open().filter(
        petitions=petition, notice__isnull=True, deadline=extension.previous_deadline
    )
    for assignment in following.select_related("lead_agency"):
        assignment.deadline = extension.new_deadline
        assignment.deadline_basis = f"{assignment.deadline_basis}; gia hạn theo {extension.decision_ref}"[
            :255
        ]
        assignment._history_user = by
        assignment.save(update_fields=["deadline", "deadline_basis", "updated_at"])
        notifications_send(
            recipients=[*_handlers_of([assignment.lead_agency]), assignment.responsible_person],
            text=f"Gia hạn giải quyết đến {extension.new_deadline:%d/%m/%Y}: {assignment.task[:150]}",
            url=reverse("conclusions:assignment", args=[assignment.pk]),
        )


# --- answers: publication and reopenings --------------------------------------------------

WITHHOLD_NEEDS_REASON = _("Hãy ghi lý do không công khai tệp này.")


@transaction.atomic
def answer_file_withhold(*, answer_file: AnswerFile, by: User, reason: str) -> AnswerFile:
    """The clerk (or leader) of the issuing side keeps a file the handler marked publishable
    off the public page, with the reason (kept in its history)."""
    answer_file = (
        AnswerFile.objects.select_for_update().select_related("version__assignment").get(pk=answer_file.pk)
    )
    _require(policies.is_issuer_side(by, answer_file.version.assignment), NOT_THE_ISSUER)
    if not reason.strip():
        raise ValidationError({"reason": WITHHOLD_NEEDS_REASON})
    answer_file.withheld_reason, answer_file.withheld_by = reason.strip(), by
    answer_file._history_user = by
    answer_file.save()
    return answer_file


@transaction.atomic
def reopening_reassign(
    *,
    reopening: Reopening,
    by: User,
    task: str,
    lead_agency: OrgUnit,
    deadline: date,
    responsible_person: User | None = None,
) -> Assignment:
    """The leader gives a reopened opinion to an agency again: a new assignment (without a
    notice, as for a written petition) answering it, due on the day the leader gives. The
    opinion is resolved again when that work is accepted."""
    reopening = Reopening.objects.select_for_update().select_related("petition__area").get(pk=reopening.pk)
    petition = reopening.petition
    petition_services.check_area_leader(by, petition)
    _require(reopening.status == Reopening.Status.PENDING, petition_services.REOPENING_DECIDED)
    errors = {}
    if not task.strip():
        errors["task"] = _("Hãy ghi nội dung công việc.")
    if deadline is None:
        errors["deadline"] = DEADLINE_NEEDS_DATE
    elif deadline < timezone.localdate():
        errors["deadline"] = DEADLINE_IN_PAST
    if errors:
        raise ValidationError(errors)
    assignment = Assignment(
        area=petition.area,
        task=task.strip(),
        lead_agency=lead_agency,
        responsible_person=responsible_person,
        deadline_rule=Assignment.DeadlineRule.FIXED_DATE,
        deadline=deadline,
        deadline_from=timezone.localdate(),
        deadline_basis=str(_("Giải quyết lại ý kiến người dân chưa hài lòng"))[:255],
        assigned_by=by,
    )
    assignment._history_user = by
    assignment.save()
    assignment.petitions.set([petition])
    petition_services.reopening_decide(
        reopening=reopening, by=by, status=Reopening.Status.REASSIGNED, explanation=""
    )
    announce(
        kind=CitizenEvent.ASSIGNED,
        petition_ids=[petition.pk],
        data={"assignment_id": assignment.pk, "agency": lead_agency.name, "deadline": deadline.isoformat()},
    )
    notifications_send(
        recipients=[*_handlers_of([lead_agency]), responsible_person],
        text=f"Giải quyết lại ý kiến {petition.tracking_code}: {assignment.task[:200]} (hạn {deadline:%d/%m/%Y})",
        url=reverse("conclusions:assignment", args=[assignment.pk]),
    )
    return assignment
